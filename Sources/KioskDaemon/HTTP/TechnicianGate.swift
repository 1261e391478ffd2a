import Hummingbird

/// The technician's routes answer only through the technician's Unix domain socket (mode
/// 0660, `technician.socket`), which kioskctl uses: the kiosk screen, and anything else on the
/// applicant's TCP port (a page in the kiosk's browser, a process on the machine), is refused
/// with 403 `request.technician_only` before the route runs.
struct TechnicianGate: RouterMiddleware {
    typealias Context = KioskRequestContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard context.isTechnician else {
            throw KioskError.technicianOnly("\(request.method) \(request.uri.path)")
        }
        return try await next(request, context)
    }
}
