public import Flows
public import Foundation
import GRDB
public import Imaging
import Localized

/// One transaction's view of the store. Obtained only through `KioskStore.transaction` or
/// `KioskStore.read`; do not keep it past the closure.
public struct StoreTransaction {
    let db: Database
    let cache: SessionCache?
    /// A write transaction's saves, for the cache once it commits (nil when reading).
    let pending: PendingSaves?

    init(db: Database, cache: SessionCache? = nil, pending: PendingSaves? = nil) {
        self.db = db
        self.cache = cache
        self.pending = pending
    }

    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        return encoder
    }()

    static let decoder = JSONDecoder()

    // MARK: Sessions

    /// The session with `id`, or nil.
    public func session(_ id: UUID) throws -> FlowSession? {
        guard let row = try Row.fetchOne(db, sql: "SELECT revision, state FROM sessions WHERE id = ?", arguments: [id.uuidString]) else {
            return nil
        }
        let revision: Int64 = row["revision"]
        if let cached = cache?.session(id, revision: revision) { return cached }
        let data: Data = row["state"]
        let session: FlowSession
        do {
            session = try Self.decoder.decode(FlowSession.self, from: data)
        } catch {
            throw StoreError(kind: .undecodable, detail: "session \(id) cannot be decoded: \(error)")
        }
        // Only a committed state: in a write transaction this row may be one it saved itself.
        if pending == nil { cache?.put(session, revision: revision) }
        return session
    }

    /// Sessions still open (active or submitted), oldest first.
    public func openSessions() throws -> [FlowSession] {
        let rows = try Data.fetchAll(db, sql: "SELECT state FROM sessions WHERE status IN ('active', 'submitted') ORDER BY created_at")
        return try rows.map { try Self.decoder.decode(FlowSession.self, from: $0) }
    }

    /// Writes `session` and an audit row for the event that produced it.
    public func save(_ session: FlowSession, event: String, from previousStep: Step?, outcome: String = "accepted") throws {
        let state = try Self.encoder.encode(session)
        let revision = try Int64.fetchOne(
            db,
            sql: """
                INSERT INTO sessions (id, status, step, procedure_code, state, revision, created_at, updated_at)
                VALUES (?, ?, ?, ?, ?, 1, ?, ?)
                ON CONFLICT(id) DO UPDATE SET status = excluded.status, step = excluded.step,
                  procedure_code = excluded.procedure_code, state = excluded.state,
                  revision = sessions.revision + 1, updated_at = excluded.updated_at
                RETURNING revision
                """,
            arguments: [
                session.id.uuidString, session.status.rawValue, session.step.rawValue, session.procedure?.code,
                state, session.createdAt, session.lastActivityAt,
            ])
        if let revision { pending?.saved.append((session, revision)) }
        try audit(session: session.id, event: event, from: previousStep, to: session.step, outcome: outcome)
    }

    public func audit(session: UUID?, event: String, from: Step?, to: Step?, outcome: String) throws {
        try db.execute(
            sql: "INSERT INTO audit_log (at, session_id, event, step_from, step_to, outcome) VALUES (?, ?, ?, ?, ?, ?)",
            arguments: [Date(), session?.uuidString, event, from?.rawValue, to?.rawValue, outcome])
    }

    // MARK: Pages

    /// Stores a session document's pages, compressed, and returns their references in order.
    public func insertPages(_ pages: [PagePipeline.Output], session: UUID, document: String) throws -> [PageRef] {
        var refs: [PageRef] = []
        for output in pages {
            let page = output.page
            let ref = PageRef(
                id: UUID(), widthPixels: page.width, heightPixels: page.height, dpi: page.dpi,
                looksBlank: output.report.looksBlank, bytes: page.data.count)
            try db.execute(
                sql: """
                    INSERT INTO pages (id, session_id, document_id, format, width, height, dpi, quality, bytes, created_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    ref.id.uuidString, session.uuidString, document, StoredFormat(page).rawValue, page.width, page.height,
                    page.dpi, page.quality, page.data, Date(),
                ])
            refs.append(ref)
        }
        return refs
    }

    /// A stored page's compressed image.
    public func page(_ id: UUID) throws -> EncodedPage? {
        guard
            let row = try Row.fetchOne(
                db, sql: "SELECT format, width, height, dpi, quality, bytes FROM pages WHERE id = ?", arguments: [id.uuidString])
        else {
            return nil
        }
        guard let format = StoredFormat(rawValue: row["format"]) else {
            throw StoreError(kind: .undecodable, detail: "page \(id) is stored as \(row["format"] as String? ?? "?"), not a compressed image")
        }
        return EncodedPage(
            width: row["width"], height: row["height"], dpi: row["dpi"], kind: format.kind, filter: format.filter,
            quality: row["quality"], data: row["bytes"])
    }

    /// Deletes the page images of `session` that its state no longer refers to (pages removed
    /// by the applicant, or all of them once the session is abandoned).
    public func deleteUnreferencedPages(of session: FlowSession) throws {
        let kept = Set(session.pages.values.flatMap { $0.map(\.id.uuidString) })
        let stored = try String.fetchAll(db, sql: "SELECT id FROM pages WHERE session_id = ?", arguments: [session.id.uuidString])
        for id in stored where !kept.contains(id) {
            try db.execute(sql: "DELETE FROM pages WHERE id = ?", arguments: [id])
        }
    }

    /// How many page images are stored for `session`.
    public func pageCount(session: UUID) throws -> Int {
        try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM pages WHERE session_id = ?", arguments: [session.uuidString]) ?? 0
    }

    // MARK: Dossiers and outbox

    /// Stores a sealed dossier with one PDF per document that has pages, and queues it for
    /// delivery. Sealing the same dossier twice fails.
    public func seal(_ dossier: Dossier) throws {
        let content = try Self.encoder.encode(dossier)
        try db.execute(
            sql: """
                INSERT INTO dossiers (client_uuid, session_id, procedure_code, procedure_version, provisional_reference, sealed_at, content)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [
                dossier.clientUUID.uuidString, dossier.sessionId.uuidString, dossier.procedureCode,
                dossier.procedureVersion, dossier.provisionalReference, dossier.sealedAt, content,
            ])
        for document in dossier.documents where !document.pageIds.isEmpty {
            let pages = try document.pageIds.map { id in
                guard let page = try page(id) else {
                    throw StoreError(kind: .undecodable, detail: "page \(id) of document \(document.id) is missing")
                }
                return page
            }
            let pdf = PDFWriter.document(pages, title: "\(dossier.provisionalReference) — \(document.name.vi)", created: dossier.sealedAt)
            try db.execute(
                sql: "INSERT INTO dossier_files (dossier_uuid, document_id, pdf, bytes, pages) VALUES (?, ?, ?, ?, ?)",
                arguments: [dossier.clientUUID.uuidString, document.id, pdf, pdf.count, pages.count])
        }
        try db.execute(
            sql: "INSERT INTO outbox (dossier_uuid, kind, created_at, next_attempt_at) VALUES (?, 'dossier', ?, ?)",
            arguments: [dossier.clientUUID.uuidString, dossier.sealedAt, dossier.sealedAt])
        // The PDFs hold every page now: the page images go (a dossier's pages are ~7 MB).
        try db.execute(sql: "DELETE FROM pages WHERE session_id = ?", arguments: [dossier.sessionId.uuidString])
    }

    /// Takes the store's write lock and changes nothing: proof that the store would accept an
    /// applicant's event now (systemd's watchdog is fed only after it).
    public func takeWriteLock() throws {
        try db.execute(sql: "DELETE FROM audit_log WHERE 0")
    }

    /// Dossiers sealed since `start`, by procedure code (no personal data: counts only).
    public func dossierCounts(since start: Date) throws -> [String: Int] {
        let rows = try Row.fetchAll(
            db, sql: "SELECT procedure_code, COUNT(*) AS n FROM dossiers WHERE sealed_at >= ? GROUP BY procedure_code", arguments: [start])
        return Dictionary(uniqueKeysWithValues: rows.map { ($0["procedure_code"] as String, $0["n"] as Int) })
    }

    /// The PDFs of a sealed dossier: document id, size in bytes and page count, in document order.
    public func documentFiles(_ clientUUID: UUID) throws -> [(documentId: String, bytes: Int, pages: Int)] {
        try Row.fetchAll(
            db, sql: "SELECT document_id, bytes, pages FROM dossier_files WHERE dossier_uuid = ? ORDER BY rowid",
            arguments: [clientUUID.uuidString]
        ).map { ($0["document_id"], $0["bytes"], $0["pages"]) }
    }

    /// One document's PDF.
    public func documentPDF(_ clientUUID: UUID, document: String) throws -> Data? {
        try Data.fetchOne(
            db, sql: "SELECT pdf FROM dossier_files WHERE dossier_uuid = ? AND document_id = ?",
            arguments: [clientUUID.uuidString, document])
    }

    /// The sealed dossier with `clientUUID`.
    public func dossier(_ clientUUID: UUID) throws -> Dossier? {
        guard let data = try Data.fetchOne(db, sql: "SELECT content FROM dossiers WHERE client_uuid = ?", arguments: [clientUUID.uuidString]) else {
            return nil
        }
        return try Self.decoder.decode(Dossier.self, from: data)
    }

    /// Dossier UUIDs waiting in the outbox, oldest first.
    public func pendingOutbox() throws -> [UUID] {
        try String.fetchAll(db, sql: "SELECT dossier_uuid FROM outbox WHERE delivered_at IS NULL ORDER BY id").compactMap(UUID.init(uuidString:))
    }

    public func summary() throws -> StoreSummary {
        StoreSummary(
            openSessions: try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM sessions WHERE status IN ('active', 'submitted')") ?? 0,
            sealedDossiers: try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM dossiers") ?? 0,
            outboxDepth: try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM outbox WHERE delivered_at IS NULL") ?? 0)
    }

    /// Sealed dossiers whose receipt has not printed (the applicant may have left without it),
    /// newest first: (client UUID, reference as printed).
    public func unprintedReceipts(limit: Int = 50) throws -> [(dossier: UUID, reference: String)] {
        let rows = try Row.fetchAll(
            db,
            sql: """
                SELECT d.client_uuid, d.provisional_reference, s.state FROM dossiers d JOIN sessions s ON s.id = d.session_id
                ORDER BY d.sealed_at DESC LIMIT 500
                """)
        var result: [(UUID, String)] = []
        for row in rows {
            let state: Data = row["state"]
            guard let session = try? Self.decoder.decode(FlowSession.self, from: state), !session.printed.contains(.receipt),
                let uuid = UUID(uuidString: row["client_uuid"])
            else { continue }
            result.append((uuid, row["provisional_reference"]))
            if result.count == limit { break }
        }
        return result
    }

    /// The sealed dossier printed with `reference` (the code on its receipt).
    public func dossier(reference: String) throws -> Dossier? {
        guard let uuid = try String.fetchOne(db, sql: "SELECT client_uuid FROM dossiers WHERE provisional_reference = ?", arguments: [reference]),
            let id = UUID(uuidString: uuid)
        else { return nil }
        return try dossier(id)
    }

    /// The audit trail of a session: (event, step after, outcome), oldest first.
    public func auditTrail(session: UUID) throws -> [(event: String, step: String?, outcome: String)] {
        try Row.fetchAll(db, sql: "SELECT event, step_to, outcome FROM audit_log WHERE session_id = ? ORDER BY id", arguments: [session.uuidString])
            .map { ($0["event"], $0["step_to"], $0["outcome"]) }
    }
}
