import CitizenCard
import Dispatch
import Foundation

/// Set from a task's cancellation handler, read by the worker between steps.
final class CancelFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var value = false
    func set() { lock.withLock { value = true } }
    var isSet: Bool { lock.withLock { value } }
}

/// Owns the open reader; every method runs on its serial queue.
final class CCIDWorker: @unchecked Sendable {
    private let source: any CCIDReaderSource
    private let queue = DispatchQueue(label: "kiosk.ccid")
    private var reader: OpenedCCIDReader?
    private var channel: CCIDChannel?

    init(source: any CCIDReaderSource) { self.source = source }

    /// Runs `body` on the queue.
    func run<T: Sendable>(_ body: @escaping @Sendable (CCIDWorker) throws(CardError) -> T) async -> Result<T, CardError> {
        await withCheckedContinuation { continuation in
            queue.async {
                do throws(CardError) {
                    continuation.resume(returning: .success(try body(self)))
                } catch {
                    if case .readerUnavailable = error { self.drop() }
                    continuation.resume(returning: .failure(error))
                }
            }
        }
    }

    func open() throws(CardError) -> CCIDChannel {
        if let channel { return channel }
        let opened = try source.open()
        reader = opened
        let c = CCIDChannel(pipe: opened.pipe, descriptor: opened.descriptor)
        channel = c
        return c
    }

    func drop() {
        reader?.close()
        reader = nil
        channel = nil
    }

    func slotState() throws(CardError) -> (String, Bool) {
        let c = try open()
        return (reader?.name ?? "CCID reader", try c.cardPresent())
    }

    /// Waits for a card, reads it, and starts over if it is lifted mid-read, until the deadline.
    func read(
        keys: AccessKeys, files: [LDSFile], settings: CCIDCardReader.Settings, deadline: ContinuousClock.Instant,
        cancelled: CancelFlag
    ) throws(CardError) -> CCCDRead {
        let c = try open()
        var lastFailure = CardError.noCard
        // The slot is looked at at least once, however late this queue got to the request.
        var first = true
        while first || ContinuousClock.now < deadline {
            first = false
            if cancelled.isSet { throw .cancelled }
            guard try c.cardPresent() else {
                Thread.sleep(forTimeInterval: Self.seconds(settings.pollInterval))
                continue
            }
            do throws(CardError) {
                _ = try c.powerOn()
                let result = try CCCDChip.read(
                    transport: c, access: keys, files: files, store: settings.cscaStore,
                    random: settings.random, isCancelled: { cancelled.isSet })
                try? c.powerOff()
                return result
            } catch .cardRemoved, .noCard {
                // Lifted mid-read: nothing kept; read again from the start when it returns.
                lastFailure = .cardRemoved
                try? c.powerOff()
            } catch {
                try? c.powerOff()
                throw error
            }
        }
        throw lastFailure
    }

    static func seconds(_ d: Duration) -> Double {
        Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
    }
}
