import Hummingbird

/// `/health` and `/status`: is the daemon up, and the technician's summary.
struct StatusController: Sendable {
    let status: StatusService

    /// `health` for anyone on the API; the full status for technicians.
    func addRoutes(applicant: RouterGroup<KioskRequestContext>, technician: RouterGroup<KioskRequestContext>) {
        applicant.get("health", use: health)
        technician.get("status", use: report)
    }

    @Sendable func health(_ request: Request, context: KioskRequestContext) async throws -> Response {
        try context.respond(status.health())
    }

    @Sendable func report(_ request: Request, context: KioskRequestContext) async throws -> Response {
        try context.respond(try await status.report())
    }
}
