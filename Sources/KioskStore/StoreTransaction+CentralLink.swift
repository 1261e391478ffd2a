public import Foundation
import GRDB

/// The central this kiosk is enrolled with.
public struct CentralEnrolment: Sendable, Hashable, Codable {
    public var centralURL: String
    public var kioskId: String
    /// The central's command-signing key (Ed25519, base64), pinned at enrolment.
    public var centralKey: String
    public var receivingUnit: String
    public var enrolledAt: Date

    public init(centralURL: String, kioskId: String, centralKey: String, receivingUnit: String, enrolledAt: Date) {
        self.centralURL = centralURL
        self.kioskId = kioskId
        self.centralKey = centralKey
        self.receivingUnit = receivingUnit
        self.enrolledAt = enrolledAt
    }
}

extension StoreTransaction {
    public func enrolment() throws -> CentralEnrolment? {
        try Row.fetchOne(db, sql: "SELECT * FROM central_link WHERE id = 1").map {
            CentralEnrolment(
                centralURL: $0["central_url"], kioskId: $0["kiosk_id"], centralKey: $0["central_key"], receivingUnit: $0["receiving_unit"],
                enrolledAt: $0["enrolled_at"])
        }
    }

    /// Records an enrolment, replacing an earlier one (the heartbeat sequence and the last
    /// command id start again: they are the new central's).
    public func saveEnrolment(_ enrolment: CentralEnrolment) throws {
        try db.execute(
            sql: """
                INSERT OR REPLACE INTO central_link (id, central_url, kiosk_id, central_key, receiving_unit, enrolled_at)
                VALUES (1, ?, ?, ?, ?, ?)
                """,
            arguments: [enrolment.centralURL, enrolment.kioskId, enrolment.centralKey, enrolment.receivingUnit, enrolment.enrolledAt])
    }

    /// The next heartbeat sequence number, counted in the store (kept across restarts).
    public func nextHeartbeatSequence() throws -> Int64 {
        try db.execute(sql: "UPDATE central_link SET heartbeat_sequence = heartbeat_sequence + 1 WHERE id = 1")
        return try Int64.fetchOne(db, sql: "SELECT heartbeat_sequence FROM central_link WHERE id = 1") ?? 0
    }

    public func lastCommandId() throws -> Int64 {
        try Int64.fetchOne(db, sql: "SELECT last_command_id FROM central_link WHERE id = 1") ?? 0
    }

    /// Raises the last command id handled (never lowers it).
    public func setLastCommandId(_ id: Int64) throws {
        try db.execute(sql: "UPDATE central_link SET last_command_id = MAX(last_command_id, ?) WHERE id = 1", arguments: [id])
    }
}
