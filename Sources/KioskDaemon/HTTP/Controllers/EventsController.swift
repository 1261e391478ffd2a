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
        let filter = request.uri.queryParameters["session"].flatMap { UUID(uuidString: String($0)) }
        return await EventStream.response(hub: hub, devices: devices, session: filter)
    }
}
