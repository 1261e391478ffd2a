import Hummingbird

/// `/health` and `/status`: is the daemon up, and the technician's summary.
struct StatusController: Sendable {
    let status: StatusService

    func addRoutes(to group: RouterGroup<KioskRequestContext>) {
        group.get("health", use: health)
        group.get("status", use: report)
    }

    @Sendable func health(_ request: Request, context: KioskRequestContext) async throws -> Response {
        try context.respond(status.health())
    }

    @Sendable func report(_ request: Request, context: KioskRequestContext) async throws -> Response {
        try context.respond(try await status.report())
    }
}
