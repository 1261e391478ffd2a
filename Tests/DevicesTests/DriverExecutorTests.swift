import DeviceModel
import Foundation
import Testing

/// The one driver shape: isolated code on the driver's own queue, the request's cancellation
/// and deadline checked the same way everywhere.
struct DriverExecutorTests {
    actor Probe: DriverActor {
        nonisolated let executor = DriverExecutor(label: "test.driver")
        nonisolated var unownedExecutor: UnownedSerialExecutor { executor.asUnownedSerialExecutor() }
        private var calls = 0

        /// A blocking call, as a C library makes them; returns where it ran.
        func block(for duration: Duration) -> (onDriverQueue: Bool, overlapped: Bool) {
            calls += 1
            let before = calls
            Thread.sleep(forTimeInterval: duration.timeInterval)
            return (executor.isCurrent, calls != before)
        }

        /// Loops on blocking steps until its deadline or cancellation stops it.
        func loop(_ deadline: DriverDeadline) -> DriverStop {
            while true {
                do throws(DriverStop) { try deadline.check() } catch { return error }
                Thread.sleep(forTimeInterval: 0.01)
            }
        }
    }

    @Test func blockingCallsRunOnTheDriversQueueOneAtATime() async {
        let driver = Probe()
        #expect(!driver.executor.isCurrent)
        async let a = driver.block(for: .milliseconds(50))
        async let b = driver.block(for: .milliseconds(50))
        let (first, second) = await (a, b)
        #expect(first.onDriverQueue && second.onDriverQueue)
        #expect(!first.overlapped && !second.overlapped, "serial: no call starts while another blocks")
    }

    @Test func theRequestsDeadlineAndCancellationStopABlockingLoop() async throws {
        let driver = Probe()
        let started = ContinuousClock.now
        #expect(await driver.loop(DriverDeadline(after: .milliseconds(100))) == .timedOut)
        #expect(ContinuousClock.now - started >= .milliseconds(100))
        let task = Task { await driver.loop(DriverDeadline(after: .seconds(60))) }
        try await Task.sleep(for: .milliseconds(50))
        task.cancel()
        #expect(await task.value == .cancelled)
    }
}
