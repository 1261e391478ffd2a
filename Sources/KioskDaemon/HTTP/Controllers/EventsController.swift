import Foundation
import Hummingbird

/// `/events`: the live event stream (Server-Sent Events).
struct EventsController: Sendable {
    let hub: EventHub
    let devices: DeviceSet

    func addRoutes(to group: RouterGroup<KioskRequestContext>) {
        group.get("events", use: stream)
    }

    @Sendable func stream(_ request: Request, context: KioskRequestContext) async throws -> Response {
        let query = request.uri.queryParameters
        if let session = query["session"] {
            guard let id = UUID(uuidString: String(session)) else { throw KioskError.sessionNotFound }
            return await EventStream.response(hub: hub, devices: devices, scope: .session(id))
        }
        if query["devices"] != nil { return await EventStream.response(hub: hub, devices: devices, scope: .devices) }
        // Every session's events at once: the technician's (a live view of the kiosk).
        if context.isTechnician { return await EventStream.response(hub: hub, devices: devices, scope: .all) }
        throw KioskError.technicianOnly("every session's events; the screen asks for one session's, ?session=ID, or the devices', ?devices")
    }
}
