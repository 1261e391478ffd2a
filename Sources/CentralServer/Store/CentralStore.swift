public import CentralProtocol
public import Foundation
import GRDB

/// The central's state in one SQLite file (WAL, `synchronous = FULL`): enrolment tokens,
/// kiosks and their keys, the last heartbeat of each, seen nonces, dossiers and their files'
/// hashes, the dossier-code counters and the commands. The files themselves are in `FileVault`.
public final class CentralStore: Sendable {
    let pool: DatabasePool

    public init(path: String) throws {
        let directory = (path as NSString).deletingLastPathComponent
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        if !FileManager.default.fileExists(atPath: path) {
            let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
            if fd >= 0 { close(fd) }
        }
        var configuration = Configuration()
        configuration.busyMode = .timeout(10)
        configuration.foreignKeysEnabled = true
        configuration.prepareDatabase { db in try db.execute(sql: "PRAGMA synchronous = FULL") }
        pool = try DatabasePool(path: path, configuration: configuration)
        try CentralSchema.migrator.migrate(pool)
    }

    // MARK: Enrolment

    /// A new one-time enrolment token for a kiosk of `unit` (named `kioskId`, or any id the
    /// kiosk gives), valid for `lifetime`.
    public func createToken(kioskId: String?, unit: String, lifetime: TimeInterval, now: Date = Date()) async throws -> String {
        var bytes = [UInt8](repeating: 0, count: 18)
        for index in bytes.indices { bytes[index] = UInt8.random(in: 0...255) }
        let token = Data(bytes).base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
        try await pool.write { db in
            try db.execute(
                sql: "INSERT INTO enrolment_tokens (token_sha256, kiosk_id, receiving_unit, created_at, expires_at) VALUES (?, ?, ?, ?, ?)",
                arguments: [SHA256Hasher.hex(Data(token.utf8)), kioskId, unit, now, now.addingTimeInterval(lifetime)])
        }
        return token
    }

    /// Burns the token and registers the kiosk's key, in one transaction: a token enrols one
    /// kiosk once. A kiosk named by its token may enrol again (a replaced disk), with a new key.
    func enrol(_ request: EnrolmentRequest, now: Date) async throws -> String {
        try await pool.write { db in
            let hash = SHA256Hasher.hex(Data(request.token.utf8))
            guard let token = try Row.fetchOne(db, sql: "SELECT * FROM enrolment_tokens WHERE token_sha256 = ?", arguments: [hash]) else {
                throw CentralError(403, "enrolment.token_unknown", vi: "Mã đăng ký không đúng.", en: "The enrolment token is not known.")
            }
            if (token["used_at"] as Date?) != nil {
                throw CentralError(
                    403, "enrolment.token_used", vi: "Mã đăng ký đã được dùng.", en: "The enrolment token has been used already: make a new one.")
            }
            if (token["expires_at"] as Date) < now {
                throw CentralError(
                    403, "enrolment.token_expired", vi: "Mã đăng ký đã hết hạn.", en: "The enrolment token has expired: make a new one.")
            }
            let named: String? = token["kiosk_id"]
            if let named, named != request.kioskId {
                throw CentralError(
                    403, "enrolment.kiosk_mismatch", vi: "Mã đăng ký dành cho ki-ốt khác.", en: "The enrolment token is for another kiosk.",
                    detail: "the token is for \(named); this kiosk is \(request.kioskId) (kiosk.id in kiosk.conf)")
            }
            let exists = try Bool.fetchOne(db, sql: "SELECT 1 FROM kiosks WHERE kiosk_id = ?", arguments: [request.kioskId]) ?? false
            if exists {
                guard named != nil else {
                    throw CentralError(
                        409, "enrolment.kiosk_taken", vi: "Mã ki-ốt đã được đăng ký.", en: "Another kiosk is enrolled with this id.",
                        detail: "a token naming \(request.kioskId) re-enrols it with a new key")
                }
                try db.execute(
                    sql: "UPDATE kiosks SET public_key = ?, receiving_unit = ?, enrolled_at = ?, revoked_at = NULL WHERE kiosk_id = ?",
                    arguments: [request.publicKey.base64, token["receiving_unit"] as String, now, request.kioskId])
            } else {
                try db.execute(
                    sql: "INSERT INTO kiosks (kiosk_id, public_key, receiving_unit, enrolled_at) VALUES (?, ?, ?, ?)",
                    arguments: [request.kioskId, request.publicKey.base64, token["receiving_unit"] as String, now])
            }
            try db.execute(
                sql: "UPDATE enrolment_tokens SET used_at = ?, used_by = ? WHERE token_sha256 = ? AND used_at IS NULL",
                arguments: [now, request.kioskId, hash])
            guard db.changesCount == 1 else {
                throw CentralError(403, "enrolment.token_used", vi: "Mã đăng ký đã được dùng.", en: "The enrolment token has been used already.")
            }
            return token["receiving_unit"]
        }
    }

    /// An enrolled kiosk's key and whether it is revoked.
    func kiosk(_ id: String) async throws -> (key: VerifyingKey, revoked: Bool, unit: String)? {
        try await pool.read { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT public_key, revoked_at, receiving_unit FROM kiosks WHERE kiosk_id = ?", arguments: [id])
            else { return nil }
            return (try VerifyingKey(base64: row["public_key"]), (row["revoked_at"] as Date?) != nil, row["receiving_unit"])
        }
    }

    public func revoke(kioskId: String, now: Date = Date()) async throws -> Bool {
        try await pool.write { db in
            try db.execute(sql: "UPDATE kiosks SET revoked_at = ? WHERE kiosk_id = ? AND revoked_at IS NULL", arguments: [now, kioskId])
            return db.changesCount == 1
        }
    }

    /// Records a nonce; false when this kiosk used it before (a replayed request). Nonces older
    /// than the accepted skew's window are forgotten: a request that old is refused anyway.
    func remember(nonce: String, kioskId: String, now: Date) async throws -> Bool {
        try await pool.write { db in
            try db.execute(sql: "INSERT OR IGNORE INTO nonces (kiosk_id, nonce, seen_at) VALUES (?, ?, ?)", arguments: [kioskId, nonce, now])
            let fresh = db.changesCount == 1
            if Int.random(in: 0..<100) == 0 {
                try db.execute(sql: "DELETE FROM nonces WHERE seen_at < ?", arguments: [now.addingTimeInterval(-900)])
            }
            return fresh
        }
    }
}
