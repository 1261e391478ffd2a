import Hummingbird

/// The request context of the local API. Bodies are small JSON events: anything larger than
/// 64 KiB is refused with 413 before it is decoded.
struct KioskRequestContext: RequestContext {
    var coreContext: CoreRequestContextStorage

    init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
    }

    var maxUploadSize: Int { 64 * 1024 }
}
