import CentralProtocol
import Foundation
import KioskAPI
import KioskStore
import Logging

/// The technician's side of the central link: enrolment, the link's state, the outbox.
struct LinkService: Sendable {
    let store: KioskStore
    let link: LinkState
    let kioskId: String
    let logger: Logger

    /// Registers this kiosk's key with the central using a one-time token, and pins the
    /// central's command key. The request is signed with the key it registers.
    func enrol(central: String, token: String) async throws -> LinkReport {
        let url = try CentralClient.checkCentralURL(central)
        guard !token.isEmpty, token.count <= 200 else { throw KioskError.invalidValue(field: "token", expected: "the token kiosk-central printed") }
        let client = CentralClient(base: url, signer: MessageSigner(key: link.key, keyID: kioskId), clock: link.clock)
        let request = EnrolmentRequest(token: token, kioskId: kioskId, publicKey: link.key.publicKey, softwareVersion: KioskVersion.current)
        let body = try CentralCoding.encoder().encode(request)
        let response: EnrolmentResponse
        do {
            let sentAt = Date()
            response = try await client.call(EnrolmentResponse.self, "POST", CentralPaths.enrolments, body: body)
            link.clock.learn(serverTime: response.serverTime, sentAt: sentAt, receivedAt: Date())
        } catch {
            throw KioskError.enrolmentFailed(code: error.code ?? "link.unreachable", detail: error.description)
        }
        guard response.kioskId == kioskId else {
            throw KioskError.enrolmentFailed(code: "link.unexpected", detail: "the central answered for kiosk \(response.kioskId)")
        }
        let enrolment = CentralEnrolment(
            centralURL: url.absoluteString, kioskId: response.kioskId, centralKey: response.centralKey.base64,
            receivingUnit: response.receivingUnit, enrolledAt: Date())
        try await store.transaction { try $0.saveEnrolment(enrolment) }
        link.update { $0.heartbeatSeconds = response.heartbeatSeconds }
        logger.notice("enrolled with the central", metadata: ["kiosk.central": "\(url.absoluteString)", "kiosk.unit": "\(response.receivingUnit)"])
        link.wakeHeartbeat()
        link.wakeOutbox()
        return try await report()
    }

    func report() async throws -> LinkReport {
        let (enrolment, health) = try await store.read { (try $0.enrolment() as CentralEnrolment?, try $0.outboxHealth()) }
        let snapshot = link.snapshot
        return LinkReport(
            enrolled: enrolment != nil, centralURL: enrolment?.centralURL, kioskId: enrolment?.kioskId, receivingUnit: enrolment?.receivingUnit,
            enrolledAt: enrolment?.enrolledAt, publicKey: link.key.publicKey.base64, lastHeartbeatAt: snapshot.lastHeartbeatAt,
            lastHeartbeatSequence: snapshot.lastHeartbeatSequence, lastHeartbeatResult: snapshot.lastHeartbeatResult,
            clockOffsetSeconds: link.clock.offsetSeconds, heartbeatSeconds: snapshot.heartbeatSeconds, lastDeliveryError: snapshot.lastDeliveryError,
            outboxDepth: health.depth, outboxQuarantined: health.quarantined,
            outboxOldestAgeSeconds: health.oldest.map { Date().timeIntervalSince($0) })
    }

    func outbox() async throws -> [OutboxEntry] {
        try await store.read { try $0.outboxRows() }.map(Self.entry)
    }

    /// `retry`: a pending row is due now. `release`: a quarantined row goes back to pending.
    func act(_ action: String, dossier: UUID) async throws -> OutboxEntry {
        let now = Date()
        let done: Bool
        switch action {
        case "retry": done = try await store.transaction { try $0.retryNow(dossier: dossier, at: now) }
        case "release": done = try await store.transaction { try $0.release(dossier: dossier, at: now) }
        default: throw KioskError.invalidValue(field: "action", expected: "retry, release")
        }
        guard done, let row = try await store.read({ try $0.outboxRow(dossier: dossier) }) else { throw KioskError.outboxRowNotFound }
        logger.notice("outbox row \(action)", metadata: ["kiosk.dossier": "\(dossier)"])
        link.wakeOutbox()
        return Self.entry(row)
    }

    static func entry(_ row: OutboxRow) -> OutboxEntry {
        OutboxEntry(
            dossier: row.dossier, reference: row.reference, state: row.state.rawValue, attempts: row.attempts, createdAt: row.createdAt,
            nextAttemptAt: row.state == .pending ? row.nextAttemptAt : nil, lastError: row.lastError, centralCode: row.centralCode,
            deliveredAt: row.deliveredAt)
    }
}
