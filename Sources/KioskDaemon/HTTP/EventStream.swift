import Devices
import Foundation
import Hummingbird
import KioskAPI
import ServiceLifecycle

/// `GET /api/v1/events`: Server-Sent Events of session and device changes. Opens with the
/// current status of every device; `?session=<id>` limits session events to one session.
enum EventStream {
    static func response(hub: EventHub, devices: DeviceSet, session: UUID?) async -> Response {
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
                    if let wanted = session, let id = event.sessionId, id != wanted { continue }
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
