import CentralProtocol
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import KioskStore
import Synchronization

/// What the central link knows that is not in the store: the last heartbeat and its result,
/// the period the central asked for, the last delivery error; and the signal that wakes the
/// link's services (an enrolment, a technician's retry, a device change).
final class LinkState: Sendable {
    struct Snapshot: Sendable {
        var lastHeartbeatAt: Date?
        var lastHeartbeatSequence: Int64?
        var lastHeartbeatResult: String?
        var heartbeatSeconds: Int
        var lastDeliveryError: String?
    }

    let key: SigningKey
    let clock = CentralClock()
    private let state: Mutex<Snapshot>
    /// One client (one URLSession, one kept-alive connection) per enrolment: making a
    /// URLSession costs milliseconds of CPU (measured: most of a heartbeat's cost), and each
    /// one left behind holds its resources until invalidated.
    private let clients = Mutex<(central: String, kioskId: String, client: CentralClient)?>(nil)
    private let outboxWake = Wake()
    private let heartbeatWake = Wake()

    init(key: SigningKey, heartbeatSeconds: Int) {
        self.key = key
        state = Mutex(Snapshot(heartbeatSeconds: heartbeatSeconds))
    }

    var snapshot: Snapshot { state.withLock { $0 } }

    func update(_ body: (inout Snapshot) -> Void) { state.withLock { body(&$0) } }

    /// Wakes the outbox sender (a dossier sealed, a row released, an enrolment).
    func wakeOutbox() { outboxWake.signal() }
    /// Wakes the heartbeat (a device changed, an enrolment).
    func wakeHeartbeat() { heartbeatWake.signal() }

    /// Waits for a wake-up of the outbox sender or `timeout`, whichever comes first.
    func outboxWait(_ timeout: Duration) async { await outboxWake.wait(timeout) }
    func heartbeatWait(_ timeout: Duration) async { await heartbeatWake.wait(timeout) }

    /// The client for an enrolment, signing as the kiosk.
    func client(for enrolment: CentralEnrolment) -> CentralClient? {
        guard let url = URL(string: enrolment.centralURL) else { return nil }
        let (client, replaced) = clients.withLock { cached -> (CentralClient, CentralClient?) in
            if let cached, cached.central == enrolment.centralURL, cached.kioskId == enrolment.kioskId { return (cached.client, nil) }
            let client = CentralClient(base: url, signer: MessageSigner(key: key, keyID: enrolment.kioskId), clock: clock)
            let previous = cached?.client
            cached = (enrolment.centralURL, enrolment.kioskId, client)
            return (client, previous)
        }
        replaced?.session.finishTasksAndInvalidate()
        return client
    }
}

/// A wake-up signal: one waiter at a time; a signal with nobody waiting is kept for the next.
final class Wake: Sendable {
    private let pending = Mutex<(signalled: Bool, waiter: CheckedContinuation<Void, Never>?)>((false, nil))

    func signal() {
        let waiter = pending.withLock { state -> CheckedContinuation<Void, Never>? in
            if let waiter = state.waiter {
                state.waiter = nil
                return waiter
            }
            state.signalled = true
            return nil
        }
        waiter?.resume()
    }

    /// Returns at a signal, at `timeout`, or when the task is cancelled.
    func wait(_ timeout: Duration) async {
        await withTaskGroup(of: Void.self) { group in
            group.addTask {
                await withTaskCancellationHandler {
                    await withCheckedContinuation { continuation in
                        let ready = self.pending.withLock { state -> Bool in
                            if state.signalled {
                                state.signalled = false
                                return true
                            }
                            // Cancelled before the waiter was in place: onCancel found none.
                            if Task.isCancelled { return true }
                            state.waiter?.resume()
                            state.waiter = continuation
                            return false
                        }
                        if ready { continuation.resume() }
                    }
                } onCancel: {
                    self.pending.withLock { state in
                        let waiter = state.waiter
                        state.waiter = nil
                        return waiter
                    }?.resume()
                }
            }
            group.addTask { try? await Task.sleep(for: timeout) }
            await group.next()
            group.cancelAll()
        }
    }
}
