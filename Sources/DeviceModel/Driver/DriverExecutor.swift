import Dispatch
import Foundation
import Synchronization

/// The one shape of every real driver (SANE, CUPS, CCID/libusb): an actor whose isolated code
/// runs on a thread of its own, never on Swift's cooperative pool — so its blocking C
/// calls (a libusb transfer, an IPP request, `sane_read`) hold a thread that is the
/// driver's, one call at a time, and the rest of the daemon keeps running. Written once here
/// (after GRDB's `DispatchQueueActor`, with a thread instead of a queue), declared by each driver:
///
///     public actor SomeDriver: DriverActor {
///         public nonisolated let executor = DriverExecutor(label: "kiosk.some")
///         public nonisolated var unownedExecutor: UnownedSerialExecutor { executor.asUnownedSerialExecutor() }
///     }
///
/// Inside, a blocking loop checks `DriverDeadline.check()` between calls: the request's
/// cancellation (the task's) and its time limit are honoured the same way by every driver.
public final class DriverExecutor: SerialExecutor {
    private let jobs = JobQueue()

    /// Starts the driver's thread, named `label` (as `ps -L` and a debugger show it).
    public init(label: String) {
        let jobs = self.jobs
        let thread = Thread { jobs.run() }
        thread.name = label
        thread.start()
    }

    deinit { jobs.finish() }

    public func enqueue(_ job: consuming ExecutorJob) {
        jobs.add(UnownedJob(job), on: asUnownedSerialExecutor())
    }

    public func asUnownedSerialExecutor() -> UnownedSerialExecutor {
        UnownedSerialExecutor(ordinary: self)
    }

    /// Whether the calling code runs on this driver's thread (for tests and preconditions).
    public var isCurrent: Bool { jobs.isOnItsThread }
}

/// The jobs waiting for a driver's thread, run one at a time in order. A thread of its own,
/// not a dispatch queue: a driver blocked in a C call for minutes (a scan, a print followed to
/// its end) never waits for, or starves, a shared pool.
private final class JobQueue: Sendable {
    private struct State {
        var waiting: [(UnownedJob, UnownedSerialExecutor)] = []
        var finished = false
    }
    private let state = Mutex(State())
    private let ready = DispatchSemaphore(value: 0)
    private let thread = Mutex<pthread_t?>(nil)

    var isOnItsThread: Bool { thread.withLock { $0.map { pthread_equal($0, pthread_self()) != 0 } ?? false } }

    func add(_ job: UnownedJob, on executor: UnownedSerialExecutor) {
        state.withLock { $0.waiting.append((job, executor)) }
        ready.signal()
    }

    func finish() {
        state.withLock { $0.finished = true }
        ready.signal()
    }

    func run() {
        thread.withLock { $0 = pthread_self() }
        while true {
            ready.wait()
            let next: (UnownedJob, UnownedSerialExecutor)? = state.withLock { state in
                state.waiting.isEmpty ? nil : state.waiting.removeFirst()
            }
            if let (job, executor) = next {
                job.runSynchronously(on: executor)
            } else if state.withLock({ $0.finished }) {
                return
            }
        }
    }
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
