public import Foundation

/// The flow engine's source of time, injected so that tests control it.
public struct FlowClock: Sendable {
    private let read: @Sendable () -> Date

    public init(_ read: @escaping @Sendable () -> Date) { self.read = read }

    public func now() -> Date { read() }

    /// The machine's clock.
    public static let system = FlowClock { Date() }
}
