import Devices
import Foundation
import Hummingbird
import KioskAPI
import ServiceLifecycle

/// `GET /api/v1/events`: Server-Sent Events of device changes, and of one session's changes
/// (`?session=<id>`), or of the devices alone (`?devices`). Opens with the current status of
/// every device. Every session's events at once (no query) are a technician's: served on the
/// technician socket only.
enum EventStream {
    /// What a stream carries.
    enum Scope: Sendable, Equatable {
        /// Device events and this session's.
        case session(UUID)
        /// Device events only (the screen between applicants).
        case devices
        /// Every event (the technician's channel only).
        case all
    }

    static func response(hub: EventHub, devices: DeviceSet, scope: Scope) async -> Response {
        let stream = await hub.subscribe()
        let initial = await devices.statuses()
        var headers: HTTPFields = [.contentType: "text/event-stream; charset=utf-8", .cacheControl: "no-cache"]
        headers[.connection] = "keep-alive"
        return Response(
            status: .ok, headers: headers,
            body: ResponseBody { writer in
                let encoder = APICoding.encoder()
                for status in initial {
                    try await writer.write(frame(.device(status), encoder))
                }
                // Ends on graceful shutdown: the server waits for open responses before it stops,
                // and a kiosk screen always holds this one open.
                for await event in stream.cancelOnGracefulShutdown() {
                    switch (scope, event.sessionId) {
                    case (.session(let wanted), let id?) where id != wanted: continue
                    case (.devices, _?): continue
                    default: break
                    }
                    try await writer.write(frame(event, encoder))
                }
                try await writer.finish(nil)
            })
    }

    static func frame(_ event: LiveEvent, _ encoder: JSONEncoder) -> ByteBuffer {
        let data = (try? encoder.encode(event)) ?? Data("{}".utf8)
        return ByteBuffer(string: "event: \(event.name)\ndata: \(String(decoding: data, as: UTF8.self))\n\n")
    }
}
