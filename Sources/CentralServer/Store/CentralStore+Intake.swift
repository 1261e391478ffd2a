public import CentralProtocol
public import Foundation
import Flows
import GRDB

extension CentralStore {
    /// Registers a dossier's manifest. The client UUID's uniqueness is the table's primary
    /// key: the insert is ignored when the dossier exists, and then the stored manifest's hash
    /// decides — the same one is a resumed delivery, another is a conflict (409).
    func intake(manifest: DossierManifest, bytes: Data, sha256: String, kioskId: String, now: Date) async throws {
        try await pool.write { db in
            try db.execute(
                sql: """
                    INSERT OR IGNORE INTO dossiers (client_uuid, kiosk_id, manifest_sha256, manifest, procedure_code, created_at)
                    VALUES (?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    manifest.clientUUID.uuidString.lowercased(), kioskId, sha256, bytes, manifest.dossier.procedureCode, now,
                ])
            guard db.changesCount == 1 else {
                let stored = try Row.fetchOne(
                    db, sql: "SELECT kiosk_id, manifest_sha256 FROM dossiers WHERE client_uuid = ?",
                    arguments: [manifest.clientUUID.uuidString.lowercased()])
                guard stored?["kiosk_id"] == kioskId, stored?["manifest_sha256"] == sha256 else {
                    throw CentralError(
                        409, "dossier.conflict", vi: "Hồ sơ này đã được gửi với nội dung khác.",
                        en: "A dossier with this client UUID was received with other content.",
                        detail: "manifest SHA-256 \(sha256) differs from the one received first")
                }
                return
            }
            for file in manifest.files {
                try db.execute(
                    sql: "INSERT INTO dossier_files (client_uuid, name, sha256, bytes, media_type) VALUES (?, ?, ?, ?, ?)",
                    arguments: [manifest.clientUUID.uuidString.lowercased(), file.name, file.sha256, file.bytes, file.mediaType])
            }
        }
    }

    /// A dossier of `kioskId` as the central holds it: its manifest's hash, each file (with
    /// whether it is whole) and its acknowledgement once committed. Nil when this kiosk sent no
    /// such dossier.
    func dossier(_ id: UUID, kioskId: String) async throws -> StoredDossier? {
        try await pool.read { db in
            guard
                let row = try Row.fetchOne(
                    db, sql: "SELECT * FROM dossiers WHERE client_uuid = ? AND kiosk_id = ?", arguments: [id.uuidString.lowercased(), kioskId])
            else { return nil }
            let files = try Row.fetchAll(
                db, sql: "SELECT name, sha256, bytes, media_type, complete FROM dossier_files WHERE client_uuid = ? ORDER BY rowid",
                arguments: [id.uuidString.lowercased()]
            ).map {
                (
                    file: ManifestFile(name: $0["name"], sha256: $0["sha256"], bytes: $0["bytes"], mediaType: $0["media_type"]),
                    complete: $0["complete"] as Bool
                )
            }
            let code: String? = row["central_code"]
            let receivedAt: Date? = row["received_at"]
            let sha: String = row["manifest_sha256"]
            return StoredDossier(
                id: id, manifestSHA256: sha, files: files,
                acknowledgement: code.flatMap { code in
                    receivedAt.map { Acknowledgement(clientUUID: id, manifestSHA256: sha, centralCode: code, receivedAt: $0) }
                })
        }
    }

    func markComplete(_ id: UUID, file name: String) async throws {
        try await pool.write { db in
            try db.execute(
                sql: "UPDATE dossier_files SET complete = 1 WHERE client_uuid = ? AND name = ?", arguments: [id.uuidString.lowercased(), name])
        }
    }

    /// Gives the dossier its code (the unit's daily sequence, in Vietnam's date) unless it has
    /// one, in one transaction: a commit sent twice gets the same code.
    func commit(_ id: UUID, unit: String, now: Date) async throws -> Acknowledgement {
        try await pool.write { db in
            let key = id.uuidString.lowercased()
            guard
                let row = try Row.fetchOne(
                    db, sql: "SELECT manifest_sha256, central_code, received_at FROM dossiers WHERE client_uuid = ?", arguments: [key])
            else { throw CentralError.notFound }
            let sha: String = row["manifest_sha256"]
            if let code: String = row["central_code"], let receivedAt: Date = row["received_at"] {
                return Acknowledgement(clientUUID: id, manifestSHA256: sha, centralCode: code, receivedAt: receivedAt)
            }
            let day = CivilDate(vietnamDateOf: now)
            let dayKey = String(format: "%04d-%02d-%02d", day.year, day.month, day.day)
            try db.execute(
                sql: "INSERT INTO code_counters (unit, day, last) VALUES (?, ?, 1) ON CONFLICT (unit, day) DO UPDATE SET last = last + 1",
                arguments: [unit, dayKey])
            let sequence = try Int.fetchOne(db, sql: "SELECT last FROM code_counters WHERE unit = ? AND day = ?", arguments: [unit, dayKey]) ?? 1
            let code = DossierCode.make(unit: unit, day: day, sequence: sequence)
            try db.execute(sql: "UPDATE dossiers SET central_code = ?, received_at = ? WHERE client_uuid = ?", arguments: [code, now, key])
            return Acknowledgement(clientUUID: id, manifestSHA256: sha, centralCode: code, receivedAt: now)
        }
    }

    /// Dossiers received whole, newest first.
    public func receivedDossiers(limit: Int = 100) async throws -> [ReceivedDossier] {
        try await pool.read { db in
            try Row.fetchAll(
                db, sql: "SELECT * FROM dossiers WHERE central_code IS NOT NULL ORDER BY received_at DESC, central_code DESC LIMIT ?",
                arguments: [limit]
            ).map { row in
                let id: String = row["client_uuid"]
                let files = try Row.fetchAll(
                    db, sql: "SELECT name, sha256, bytes, media_type FROM dossier_files WHERE client_uuid = ? ORDER BY rowid", arguments: [id]
                ).map { ManifestFile(name: $0["name"], sha256: $0["sha256"], bytes: $0["bytes"], mediaType: $0["media_type"]) }
                return ReceivedDossier(
                    centralCode: row["central_code"], clientUUID: UUID(uuidString: id) ?? UUID(), kioskId: row["kiosk_id"],
                    procedureCode: row["procedure_code"], receivedAt: row["received_at"], files: files)
            }
        }
    }
}

/// A dossier as the central holds it.
struct StoredDossier: Sendable {
    var id: UUID
    var manifestSHA256: String
    var files: [(file: ManifestFile, complete: Bool)]
    var acknowledgement: Acknowledgement?
}

extension CivilDate {
    /// The date in Vietnam (UTC+7, no daylight saving) at `instant`.
    init(vietnamDateOf instant: Date) {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(secondsFromGMT: 7 * 3600)!
        let parts = calendar.dateComponents([.year, .month, .day], from: instant)
        self = CivilDate(year: parts.year!, month: parts.month!, day: parts.day!)!
    }
}
