import CentralProtocol
import Devices
import Flows
import Foundation
import KioskAPI
import KioskStore
import Logging
import ServiceLifecycle

/// Delivers sealed dossiers to the central, oldest first, one at a time. A row is never
/// deleted: a transient failure is retried with backoff, a conflict or a permanent refusal is
/// set aside (quarantined) for a technician, and a row is done only on an acknowledgement
/// that echoes it. The central's dossier code is kept with the dossier and announced.
struct OutboxSender: Service {
    let store: KioskStore
    let link: LinkState
    let hub: EventHub
    let kioskId: String
    let catalog: LiveCatalog
    let chunkBytes: Int
    let timeout: TimeInterval
    let logger: Logger

    func run() async throws {
        await cancelWhenGracefulShutdown { await loop() }
    }

    private func loop() async {
        while !Task.isCancelled {
            guard let enrolment = try? await store.read({ try $0.enrolment() }), let client = link.client(for: enrolment) else {
                await link.outboxWait(.seconds(30))
                continue
            }
            let now = Date()
            guard let row = try? await store.read({ try $0.nextDue(at: now) }) else {
                let next = (try? await store.read { try $0.nextAttemptTime() }) ?? nil
                let wait = next.map { min(max($0.timeIntervalSince(now), 0.05), 1) } ?? 1
                await link.outboxWait(.milliseconds(Int(wait * 1000)))
                continue
            }
            let delivery = DossierDelivery(
                store: store, client: client, kioskId: enrolment.kioskId, catalogVersion: catalog.current.fingerprint, chunkBytes: chunkBytes,
                timeout: timeout)
            let outcome = await delivery.deliver(row)
            guard !Task.isCancelled else { return }
            await record(outcome, for: row)
        }
    }

    private func record(_ outcome: DossierDelivery.Outcome, for row: OutboxRow) async {
        let now = Date()
        do {
            switch outcome {
            case .delivered(let acknowledgement):
                try await store.transaction { try $0.markDelivered(dossier: row.dossier, centralCode: acknowledgement.centralCode, at: now) }
                link.update { $0.lastDeliveryError = nil }
                logger.notice(
                    "dossier delivered", metadata: ["kiosk.dossier": "\(row.dossier)", "kiosk.central_code": "\(acknowledgement.centralCode)"])
                if let session = try await store.read({ try $0.dossier(row.dossier)?.sessionId }) {
                    await hub.publish(
                        .dossierDelivered(.init(sessionId: session, dossier: row.dossier, centralCode: acknowledgement.centralCode)))
                }
            case .quarantine(let reason):
                try await store.transaction { try $0.quarantine(dossier: row.dossier, reason: reason, at: now) }
                link.update { $0.lastDeliveryError = reason }
                // The technician's alert: the log, and the heartbeat's quarantined count.
                logger.error(
                    "dossier set aside: a technician must look (kioskctl outbox)",
                    metadata: ["kiosk.dossier": "\(row.dossier)", "kiosk.reason": "\(reason)"])
            case .retry(let failure):
                let delay = Backoff.delay(attempt: row.attempts + 1, base: 2, cap: 300, retryAfter: failure.retryAfter)
                try await store.transaction {
                    try $0.recordAttemptFailure(
                        dossier: row.dossier, error: failure.description, nextAttempt: now.addingTimeInterval(delay.timeInterval))
                }
                link.update { $0.lastDeliveryError = failure.description }
                logger.warning(
                    "dossier delivery will be retried",
                    metadata: ["kiosk.dossier": "\(row.dossier)", "kiosk.error": "\(failure)", "kiosk.retry_in": "\(delay)"])
            }
        } catch {
            logger.error("cannot record a delivery attempt", metadata: ["kiosk.error": "\(error)"])
            await link.outboxWait(.seconds(5))
        }
    }
}
