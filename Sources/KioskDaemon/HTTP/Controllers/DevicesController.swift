import KioskAPI
import Hummingbird

/// `/devices`: every device's status; faults injected into simulated ones.
struct DevicesController: Sendable {
    let devices: DeviceSet

    /// The devices' states for the screen; fault injection for technicians.
    func addRoutes(applicant: RouterGroup<KioskRequestContext>, technician: RouterGroup<KioskRequestContext>) {
        applicant.get("devices", use: list)
        technician.post("devices/{id}/fault", use: injectFault)
    }

    @Sendable func list(_ request: Request, context: KioskRequestContext) async throws -> Response {
        try context.respond(await devices.statuses())
    }

    @Sendable func injectFault(_ request: Request, context: KioskRequestContext) async throws -> Response {
        let id = try context.parameters.require("id")
        let fault = try await request.decode(as: FaultRequest.self, context: context).fault
        return try context.respond(try await devices.inject(fault: fault, into: id))
    }
}
