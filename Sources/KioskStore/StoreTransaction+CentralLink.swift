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

    /// Keeps a command's result until a heartbeat carries it.
    public func saveCommandResult(id: Int64, outcome: String, detail: String, at: Date) throws {
        try db.execute(
            sql: "INSERT OR REPLACE INTO command_results (id, outcome, detail, finished_at) VALUES (?, ?, ?, ?)",
            arguments: [id, outcome, String(detail.prefix(500)), at])
    }

    /// Results not yet carried by a heartbeat the central answered: (id, outcome, detail, when).
    public func unreportedCommandResults(limit: Int = 20) throws -> [(id: Int64, outcome: String, detail: String, finishedAt: Date)] {
        try Row.fetchAll(db, sql: "SELECT * FROM command_results WHERE reported = 0 ORDER BY id LIMIT ?", arguments: [limit])
            .map { ($0["id"], $0["outcome"], $0["detail"], $0["finished_at"]) }
    }

    public func markCommandResultsReported(_ ids: [Int64]) throws {
        for id in ids { try db.execute(sql: "UPDATE command_results SET reported = 1 WHERE id = ?", arguments: [id]) }
    }

    public func flag(_ name: String) throws -> String? {
        try String.fetchOne(db, sql: "SELECT value FROM kiosk_flags WHERE name = ?", arguments: [name])
    }

    public func setFlag(_ name: String, _ value: String?) throws {
        if let value {
            try db.execute(sql: "INSERT OR REPLACE INTO kiosk_flags (name, value) VALUES (?, ?)", arguments: [name, value])
        } else {
            try db.execute(sql: "DELETE FROM kiosk_flags WHERE name = ?", arguments: [name])
        }
    }
}
