import Dispatch

/// The one shape of every real driver (SANE, CUPS, CCID/libusb): an actor whose isolated code
/// runs on a serial queue of its own, never on Swift's cooperative pool — so its blocking C
/// calls (a libusb transfer, an IPP request, `sane_read`) hold a thread that is the
/// driver's, one call at a time, and the rest of the daemon keeps running. Written once here
/// (as GRDB's `DispatchQueueActor` does), declared by each driver:
///
///     public actor SomeDriver: DriverActor {
///         public nonisolated let executor = DriverExecutor(label: "kiosk.some")
///         public nonisolated var unownedExecutor: UnownedSerialExecutor { executor.asUnownedSerialExecutor() }
///     }
///
/// Inside, a blocking loop checks `DriverDeadline.check()` between calls: the request's
/// cancellation (the task's) and its time limit are honoured the same way by every driver.
public final class DriverExecutor: SerialExecutor {
    private let queue: DispatchQueue
    private let key = DispatchSpecificKey<Void>()

    public init(label: String) {
        queue = DispatchQueue(label: label)
        queue.setSpecific(key: key, value: ())
    }

    public func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        let executor = asUnownedSerialExecutor()
        queue.async { job.runSynchronously(on: executor) }
    }

    public func asUnownedSerialExecutor() -> UnownedSerialExecutor {
        UnownedSerialExecutor(ordinary: self)
    }

    /// Whether the calling code runs on this driver's queue (for tests and preconditions).
    public var isCurrent: Bool { DispatchQueue.getSpecific(key: key) != nil }
}

/// A driver actor: see `DriverExecutor`.
public protocol DriverActor: Actor {
    /// The driver's own serial executor; its `unownedExecutor` returns this one.
    nonisolated var executor: DriverExecutor { get }
}

/// Why a driver stopped a request between two blocking calls.
public enum DriverStop: Error, Sendable, Hashable {
    /// The caller cancelled the request (its task was cancelled).
    case cancelled
    /// The request's time limit passed.
    case timedOut
}

/// A request's time limit, carried with it into the driver.
public struct DriverDeadline: Sendable, Hashable {
    public let instant: ContinuousClock.Instant

    public init(_ instant: ContinuousClock.Instant) { self.instant = instant }

    /// `duration` from now.
    public init(after duration: Duration) { instant = .now + duration }

    public var hasPassed: Bool { ContinuousClock.now >= instant }
    public var remaining: Duration { max(.zero, instant - .now) }

    /// The check every driver makes between blocking calls: throws `.cancelled` when the
    /// request's task was cancelled, `.timedOut` when its time is up.
    public func check() throws(DriverStop) {
        if Task.isCancelled { throw .cancelled }
        if hasPassed { throw .timedOut }
    }
}

extension Duration {
    /// In seconds, for the blocking calls that take a `TimeInterval`.
    public var timeInterval: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}
