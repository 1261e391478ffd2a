import KioskAPI
import Devices
import Flows
import Foundation

/// Fans live events out to every open event stream. A slow subscriber loses its oldest
/// events rather than holding up the kiosk.
actor EventHub {
    private var subscribers: [UUID: AsyncStream<LiveEvent>.Continuation] = [:]

    func publish(_ event: LiveEvent) {
        for continuation in subscribers.values { continuation.yield(event) }
    }

    func subscribe() -> AsyncStream<LiveEvent> {
        let (stream, continuation) = AsyncStream.makeStream(of: LiveEvent.self, bufferingPolicy: .bufferingNewest(64))
        let id = UUID()
        subscribers[id] = continuation
        continuation.onTermination = { [weak self] _ in Task { await self?.remove(id) } }
        return stream
    }

    /// Ends every stream (at shutdown), so that open HTTP responses finish.
    func finishAll() {
        for continuation in subscribers.values { continuation.finish() }
        subscribers = [:]
    }

    private func remove(_ id: UUID) { subscribers[id] = nil }
}
