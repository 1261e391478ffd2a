import Foundation

/// Holds one device's current status and pushes every change to its subscribers.
public actor StatusBroadcaster {
    public private(set) var current: DeviceStatus
    private var subscribers: [UUID: AsyncStream<DeviceStatus>.Continuation] = [:]

    public init(_ initial: DeviceStatus) { current = initial }

    /// Changes the status; subscribers hear of it only when something other than the
    /// timestamp changed.
    public func update(_ change: (inout DeviceStatus) -> Void) {
        var next = current
        change(&next)
        next.updatedAt = current.updatedAt
        guard next != current else { return }
        next.updatedAt = Date()
        current = next
        for continuation in subscribers.values { continuation.yield(next) }
    }

    /// A stream of changes, starting with the current status.
    public func updates() -> AsyncStream<DeviceStatus> {
        let (stream, continuation) = AsyncStream.makeStream(of: DeviceStatus.self, bufferingPolicy: .bufferingNewest(16))
        let id = UUID()
        subscribers[id] = continuation
        continuation.yield(current)
        continuation.onTermination = { [weak self] _ in
            Task { await self?.remove(id) }
        }
        return stream
    }

    private func remove(_ id: UUID) { subscribers[id] = nil }
}
