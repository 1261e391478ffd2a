public import CentralProtocol
public import Foundation
import GRDB

extension CentralStore {
    /// Stores a heartbeat, applies the command results it reports, and returns the commands
    /// still waiting for this kiosk (issued after the last one it handled, with no result).
    func record(heartbeat: Heartbeat, body: Data, kioskId: String, now: Date) async throws -> [(RemoteCommand.Kind, Int64, [String: String], Date)] {
        try await pool.write { db in
            try db.execute(
                sql: """
                    UPDATE kiosks SET last_seen = ?, last_sequence = ?, went_offline = ?, clock_skew = ?, heartbeat = ?
                    WHERE kiosk_id = ?
                    """,
                arguments: [now, heartbeat.sequence, heartbeat.goingOffline, heartbeat.kioskTime.timeIntervalSince(now), body, kioskId])
            for result in heartbeat.commandResults {
                try db.execute(
                    sql: "UPDATE commands SET outcome = ?, detail = ?, finished_at = ? WHERE id = ? AND kiosk_id = ? AND outcome IS NULL",
                    arguments: [result.outcome.rawValue, String(result.detail.prefix(500)), result.finishedAt, result.id, kioskId])
            }
            return try Row.fetchAll(
                db, sql: "SELECT id, kind, arguments, issued_at FROM commands WHERE kiosk_id = ? AND id > ? AND outcome IS NULL ORDER BY id LIMIT 20",
                arguments: [kioskId, heartbeat.lastCommandId]
            ).compactMap { row in
                guard let kind = RemoteCommand.Kind(rawValue: row["kind"]) else { return nil }
                let arguments = (try? JSONDecoder().decode([String: String].self, from: row["arguments"] as Data)) ?? [:]
                return (kind, row["id"], arguments, row["issued_at"])
            }
        }
    }

    /// Queues a command for a kiosk; its id grows with every command the central issues.
    public func issue(_ kind: RemoteCommand.Kind, arguments: [String: String], to kioskId: String, now: Date = Date()) async throws -> Int64 {
        try await pool.write { db in
            guard try Bool.fetchOne(db, sql: "SELECT 1 FROM kiosks WHERE kiosk_id = ?", arguments: [kioskId]) ?? false else {
                throw CentralError(404, "kiosk.unknown", vi: "Không có ki-ốt này.", en: "No kiosk is enrolled with this id.", detail: kioskId)
            }
            try db.execute(
                sql: "INSERT INTO commands (kiosk_id, kind, arguments, issued_at) VALUES (?, ?, ?, ?)",
                arguments: [kioskId, kind.rawValue, try JSONEncoder().encode(arguments), now])
            return db.lastInsertedRowID
        }
    }

    /// Commands and their results, newest first.
    public func commands(kioskId: String? = nil, limit: Int = 50) async throws -> [CommandRecord] {
        try await pool.read { db in
            try Row.fetchAll(
                db,
                sql: "SELECT * FROM commands WHERE (? IS NULL OR kiosk_id = ?) ORDER BY id DESC LIMIT ?",
                arguments: [kioskId, kioskId, limit]
            ).map { row in
                CommandRecord(
                    id: row["id"], kioskId: row["kiosk_id"], kind: row["kind"], issuedAt: row["issued_at"],
                    outcome: row["outcome"], detail: row["detail"], finishedAt: row["finished_at"])
            }
        }
    }
}

/// A command as the central keeps it.
public struct CommandRecord: Codable, Sendable, Hashable {
    public var id: Int64
    public var kioskId: String
    public var kind: String
    public var issuedAt: Date
    public var outcome: String?
    public var detail: String?
    public var finishedAt: Date?
}
