import Devices
import Flows
import Foundation

/// Something the kiosk screen should hear about at once. Carries no personal data: a screen
/// that needs more fetches `GET /sessions/{id}`.
enum LiveEvent: Sendable, Encodable {
    case session(SessionChange)
    case device(DeviceStatus)
    case scanProgress(ScanProgressEvent)

    struct SessionChange: Sendable, Encodable {
        var sessionId: UUID
        var step: Step
        var status: SessionStatus
        var pending: PendingAction?
        var noticeCode: String?
    }

    struct ScanProgressEvent: Sendable, Encodable {
        var sessionId: UUID
        var documentId: String
        var page: Int
        var fraction: Double
    }

    /// The SSE event name.
    var name: String {
        switch self {
        case .session: "session"
        case .device: "device"
        case .scanProgress: "scan_progress"
        }
    }

    /// The session the event concerns, if any.
    var sessionId: UUID? {
        switch self {
        case .session(let change): change.sessionId
        case .scanProgress(let progress): progress.sessionId
        case .device: nil
        }
    }

    func encode(to encoder: any Encoder) throws {
        switch self {
        case .session(let change): try change.encode(to: encoder)
        case .device(let status): try status.encode(to: encoder)
        case .scanProgress(let progress): try progress.encode(to: encoder)
        }
    }
}

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
