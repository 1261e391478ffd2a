public import CentralProtocol
public import Foundation
import GRDB

extension CentralStore {
    /// Keeps a signed catalog bundle (again: the same bytes are one bundle); its SHA-256.
    @discardableResult
    public func publish(_ bundle: SignedCatalogBundle, label: String, now: Date = Date()) async throws -> String {
        let sha256 = bundle.sha256
        try await pool.write { db in
            try db.execute(
                sql: "INSERT OR IGNORE INTO catalog_bundles (sha256, label, payload, signature, published_at) VALUES (?, ?, ?, ?, ?)",
                arguments: [sha256, label, bundle.payload, bundle.signature, now])
        }
        return sha256
    }

    /// The bundle whose payload's SHA-256 is `sha256`.
    func catalogBundle(sha256: String) async throws -> SignedCatalogBundle? {
        try await pool.read { db in
            try Row.fetchOne(db, sql: "SELECT payload, signature FROM catalog_bundles WHERE sha256 = ?", arguments: [sha256]).map {
                SignedCatalogBundle(payload: $0["payload"], signature: $0["signature"])
            }
        }
    }

    /// Keeps a kiosk's diagnostics bundle.
    func keep(diagnostics: Data, commandId: Int64?, kioskId: String, now: Date) async throws {
        try await pool.write { db in
            try db.execute(
                sql: "INSERT INTO diagnostics (kiosk_id, command_id, received_at, bundle) VALUES (?, ?, ?, ?)",
                arguments: [kioskId, commandId, now, diagnostics])
        }
    }

    /// The latest diagnostics bundle a kiosk sent, as it sent it, with when.
    public func latestDiagnostics(kioskId: String) async throws -> (receivedAt: Date, bundle: Data)? {
        try await pool.read { db in
            try Row.fetchOne(
                db, sql: "SELECT received_at, bundle FROM diagnostics WHERE kiosk_id = ? ORDER BY id DESC LIMIT 1", arguments: [kioskId]
            ).map { ($0["received_at"], $0["bundle"]) }
        }
    }
}
