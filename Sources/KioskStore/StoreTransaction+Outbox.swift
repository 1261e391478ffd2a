public import Foundation
import GRDB

/// The outbox as the central link works it: one row per sealed dossier, delivered in order,
/// never deleted because of a failure.
public struct OutboxRow: Sendable, Hashable, Codable {
    public enum State: String, Sendable, Codable {
        case pending, quarantined, delivered
    }

    public var id: Int64
    public var dossier: UUID
    public var reference: String
    public var state: State
    public var attempts: Int
    public var createdAt: Date
    public var nextAttemptAt: Date
    public var lastError: String?
    public var centralCode: String?
    public var deliveredAt: Date?
    public var manifest: Data?
    public var manifestSHA256: String?
}

extension StoreTransaction {
    private static let outboxSelect = """
        SELECT o.*, d.provisional_reference, d.central_code FROM outbox o JOIN dossiers d ON d.client_uuid = o.dossier_uuid
        """

    private func outboxRow(_ row: Row) -> OutboxRow? {
        guard let uuid = UUID(uuidString: row["dossier_uuid"]) else { return nil }
        let delivered: Date? = row["delivered_at"]
        let quarantined: Date? = row["quarantined_at"]
        return OutboxRow(
            id: row["id"], dossier: uuid, reference: row["provisional_reference"],
            state: delivered != nil ? .delivered : quarantined != nil ? .quarantined : .pending, attempts: row["attempts"],
            createdAt: row["created_at"], nextAttemptAt: row["next_attempt_at"], lastError: row["last_error"],
            centralCode: row["central_code"], deliveredAt: delivered, manifest: row["manifest"], manifestSHA256: row["manifest_sha256"])
    }

    /// The oldest row due for an attempt at `now`, if any (quarantined rows wait for a person).
    public func nextDue(at now: Date) throws -> OutboxRow? {
        try Row.fetchOne(
            db,
            sql: Self.outboxSelect + " WHERE o.delivered_at IS NULL AND o.quarantined_at IS NULL AND o.next_attempt_at <= ? ORDER BY o.id LIMIT 1",
            arguments: [now]
        ).flatMap(outboxRow)
    }

    /// When the next pending row falls due (nil: nothing pending).
    public func nextAttemptTime() throws -> Date? {
        try Date.fetchOne(db, sql: "SELECT MIN(next_attempt_at) FROM outbox WHERE delivered_at IS NULL AND quarantined_at IS NULL")
    }

    /// Rows, oldest first; `pendingOnly` leaves out the delivered.
    public func outboxRows(pendingOnly: Bool = false, limit: Int = 200) throws -> [OutboxRow] {
        try Row.fetchAll(
            db, sql: Self.outboxSelect + (pendingOnly ? " WHERE o.delivered_at IS NULL" : "") + " ORDER BY o.id LIMIT ?", arguments: [limit]
        ).compactMap(outboxRow)
    }

    public func outboxRow(dossier: UUID) throws -> OutboxRow? {
        try Row.fetchOne(db, sql: Self.outboxSelect + " WHERE o.dossier_uuid = ?", arguments: [dossier.uuidString]).flatMap(outboxRow)
    }

    /// Keeps the manifest made for the first attempt.
    public func setManifest(_ manifest: Data, sha256: String, dossier: UUID) throws {
        try db.execute(
            sql: "UPDATE outbox SET manifest = ?, manifest_sha256 = ? WHERE dossier_uuid = ? AND manifest IS NULL",
            arguments: [manifest, sha256, dossier.uuidString])
    }

    /// A failed attempt: counted, its reason kept, the next one scheduled.
    public func recordAttemptFailure(dossier: UUID, error: String, nextAttempt: Date) throws {
        try db.execute(
            sql: "UPDATE outbox SET attempts = attempts + 1, last_error = ?, next_attempt_at = ? WHERE dossier_uuid = ?",
            arguments: [String(error.prefix(500)), nextAttempt, dossier.uuidString])
    }

    /// Set aside for a technician (a conflict, a permanent refusal): kept, not retried.
    public func quarantine(dossier: UUID, reason: String, at now: Date) throws {
        try db.execute(
            sql: "UPDATE outbox SET attempts = attempts + 1, last_error = ?, quarantined_at = ? WHERE dossier_uuid = ? AND delivered_at IS NULL",
            arguments: [String(reason.prefix(500)), now, dossier.uuidString])
    }

    /// Acknowledged by the central: the row is done and the dossier keeps its central code.
    public func markDelivered(dossier: UUID, centralCode: String, at now: Date) throws {
        try db.execute(
            sql: "UPDATE outbox SET delivered_at = ?, last_error = NULL WHERE dossier_uuid = ? AND delivered_at IS NULL",
            arguments: [now, dossier.uuidString])
        try db.execute(sql: "UPDATE dossiers SET central_code = ? WHERE client_uuid = ?", arguments: [centralCode, dossier.uuidString])
    }

    /// A technician's `retry`: due now. False when no undelivered row has that id.
    public func retryNow(dossier: UUID, at now: Date) throws -> Bool {
        try db.execute(
            sql: "UPDATE outbox SET next_attempt_at = ? WHERE dossier_uuid = ? AND delivered_at IS NULL AND quarantined_at IS NULL",
            arguments: [now, dossier.uuidString])
        return db.changesCount == 1
    }

    /// A technician's `release`: out of quarantine, due now.
    public func release(dossier: UUID, at now: Date) throws -> Bool {
        try db.execute(
            sql: "UPDATE outbox SET quarantined_at = NULL, next_attempt_at = ? WHERE dossier_uuid = ? AND quarantined_at IS NOT NULL",
            arguments: [now, dossier.uuidString])
        return db.changesCount == 1
    }

    /// Depth, quarantined count and when the oldest undelivered row was made.
    public func outboxHealth() throws -> (depth: Int, quarantined: Int, oldest: Date?) {
        let row = try Row.fetchOne(
            db,
            sql: """
                SELECT COUNT(*) AS depth, COUNT(quarantined_at) AS quarantined, MIN(created_at) AS oldest
                FROM outbox WHERE delivered_at IS NULL
                """)
        return (row?["depth"] ?? 0, row?["quarantined"] ?? 0, row?["oldest"])
    }

    /// The central's code for a dossier, once acknowledged.
    public func centralCode(dossier: UUID) throws -> String? {
        try String.fetchOne(db, sql: "SELECT central_code FROM dossiers WHERE client_uuid = ?", arguments: [dossier.uuidString])
    }

    /// Sessions created since `start` (for the heartbeat's count of the day).
    public func sessionsStarted(since start: Date) throws -> Int {
        try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM sessions WHERE created_at >= ?", arguments: [start]) ?? 0
    }
}
