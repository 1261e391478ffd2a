import Flows
import Foundation
import Synchronization

/// The catalog in use, and the directory it came from: read whole by every request, replaced
/// whole by a catalog update (`CatalogInstaller`). A session under way never sees the swap: it
/// keeps the copy of its procedure made when the applicant chose it.
final class LiveCatalog: Sendable {
    struct Loaded: Sendable {
        var catalog: Catalog
        var directory: URL
    }

    private let state: Mutex<Loaded>

    init(_ catalog: Catalog, directory: URL) {
        state = Mutex(Loaded(catalog: catalog, directory: directory))
    }

    var current: Catalog { state.withLock { $0.catalog } }
    var directory: URL { state.withLock { $0.directory } }

    func replace(with catalog: Catalog, from directory: URL) {
        state.withLock { $0 = Loaded(catalog: catalog, directory: directory) }
    }
}
