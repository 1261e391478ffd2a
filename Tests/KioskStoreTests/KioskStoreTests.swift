import Flows
import Foundation
import Imaging
@testable import KioskStore
import KioskTestSupport
import Localized
import Testing

@Suite struct KioskStoreTests {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("store-\(UUID())")
    var path: String { directory.appendingPathComponent("kiosk.sqlite").path }

    func session() -> FlowSession { FlowSession(id: UUID(), now: Date(timeIntervalSince1970: 1_795_399_200), language: .vi) }

    /// A stored page of `bytes` bytes (the image bytes are not decoded by the store).
    func page(_ bytes: Int) -> PagePipeline.Output {
        let page = EncodedPage(
            width: 10, height: bytes / 10, dpi: 200, kind: .gray, filter: .dct, quality: 80, data: Data(repeating: 0x7F, count: bytes))
        return PagePipeline.Output(
            page: page, report: PageReport(width: 10, height: bytes / 10, dpi: 200, bytes: bytes, quality: 80, looksBlank: false))
    }

    /// The store holds personal data: it and its WAL are readable by the kiosk's user alone,
    /// and a store an older version left world-readable is tightened when opened.
    @Test func theStoreAndItsWALAreTheKiosksAlone() async throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        let store = try KioskStore(path: path)
        try await store.transaction { tx in try tx.save(session(), event: "start", from: nil) }
        func mode(_ file: String) throws -> Int {
            (try FileManager.default.attributesOfItem(atPath: file)[.posixPermissions] as? NSNumber)?.intValue ?? -1
        }
        #expect(try mode(path) == 0o600)
        #expect(try mode(path + "-wal") == 0o600)
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: path)
        _ = try KioskStore(path: path)
        #expect(try mode(path) == 0o600, "an existing world-readable store is tightened")
    }

    @Test func opensInWALModeAndMigrates() async throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        let store = try KioskStore(path: path)
        #expect(try await store.journalMode() == "wal")
        // Every commit synced (FULL = 2), though GRDB turns its WAL writer to NORMAL.
        #expect(try await store.writerSynchronous() == 2)
        #expect(
            try await store.appliedMigrations() == [
                "v1: sessions, pages, dossiers, outbox, audit log",
                "v2: pages hold compressed images; one PDF per dossier document",
                "v3: queue tickets", "v4: print journal", "v5: pages of sealed dossiers go",
                "v6: the central link and the outbox's delivery state",
            ])
        _ = try KioskStore(path: path)  // reopening an up-to-date file is a no-op
    }

    @Test func queueTicketsCountPerQueueAndDayAndSurviveReopening() async throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        let now = Date()
        let issued = try await KioskStore(path: path).transaction { tx in
            [
                try tx.issueTicket(queue: "ho-tich", priority: .normal, day: "2026-11-23", at: now),
                try tx.issueTicket(queue: "ho-tich", priority: .disability, day: "2026-11-23", at: now),
                try tx.issueTicket(queue: "ho-tich", priority: .normal, day: "2026-11-24", at: now),
            ]
        }
        #expect(issued.map(\.number) == [1, 2, 1] && issued.map(\.peopleAhead) == [0, 0, 0])
        let store = try KioskStore(path: path)
        let next = try await store.transaction { try $0.issueTicket(queue: "ho-tich", priority: .normal, day: "2026-11-23", at: now) }
        #expect(next.number == 3 && next.peopleAhead == 2)
        let called = try await store.transaction { tx in
            (0..<4).map { _ in try? tx.callNextTicket(queue: "ho-tich", day: "2026-11-23", at: now) }
        }
        #expect(called.map { $0?.number } == [2, 1, 3, nil])
        #expect(called.first??.priority == .disability)
    }

    @Test func sessionRoundTripsThroughAFreshConnection() async throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        var s = session()
        s.answers = ["phone": .text("0912345678"), "address": .address(Address(province: "Hà Nội", commune: "Phường Mẫu", detail: "Số 1"))]
        s.step = .form
        s.formPage = 1
        let saved = s
        let pageIds = try await KioskStore(path: path).transaction { tx in
            try tx.save(saved, event: "answer", from: .chooseProcedure)
            return try tx.insertPages([page(1000), page(2000)], session: saved.id, document: "doc")
        }
        let reopened = try KioskStore(path: path)
        let loaded = try await reopened.read { try $0.session(saved.id) }
        #expect(loaded == saved)
        let image = try await reopened.read { try $0.page(pageIds[1].id) }
        #expect(image?.data.count == 2000 && image?.filter == .dct && image?.kind == .gray && image?.quality == 80)
        #expect(pageIds.map(\.bytes) == [1000, 2000])
        #expect(try await reopened.read { try $0.auditTrail(session: saved.id).map(\.event) } == ["answer"])
    }

    @Test func sealingWritesDossierAndOutboxRowTogether() async throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        let store = try KioskStore(path: path)
        let s = session()
        let dossier = Self.dossier(session: s.id)
        try await store.transaction { tx in
            try tx.save(s, event: "submit", from: .submit)
            try tx.seal(dossier)
        }
        #expect(try await store.read { try $0.pendingOutbox() } == [dossier.clientUUID])
        #expect(try await store.read { try $0.dossier(dossier.clientUUID) } == dossier)
        await #expect(throws: StoreError.self, "a dossier is sealed once") {
            try await store.transaction { tx in try tx.seal(dossier) }
        }
        #expect(try await store.read { try $0.summary() } == StoreSummary(openSessions: 1, sealedDossiers: 1, outboxDepth: 1))
    }

    /// What the screen orders procedures by: dossiers sealed per procedure since a date.
    @Test func dossiersAreCountedByProcedureSinceADate() async throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        let store = try KioskStore(path: path)
        for code in ["T-1", "T-1", "T-2"] {
            let s = session()
            var made = Self.dossier(session: s.id)
            made.procedureCode = code
            let dossier = made
            try await store.transaction { tx in
                try tx.save(s, event: "submit", from: .submit)
                try tx.seal(dossier)
            }
        }
        let sealedAt = Self.dossier(session: UUID()).sealedAt
        #expect(try await store.read { try $0.dossierCounts(since: sealedAt.addingTimeInterval(-1)) } == ["T-1": 2, "T-2": 1])
        #expect(try await store.read { try $0.dossierCounts(since: sealedAt.addingTimeInterval(1)) }.isEmpty)
    }

    @Test func aFailedTransactionLeavesNothingBehind() async throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        let store = try KioskStore(path: path)
        let s = session()
        struct Boom: Error {}
        await #expect(throws: Boom.self) {
            try await store.transaction { tx in
                try tx.save(s, event: "submit", from: nil)
                try tx.seal(Self.dossier(session: s.id))
                throw Boom()
            }
        }
        #expect(try await store.read { try $0.session(s.id) } == nil)
        #expect(try await store.read { try $0.summary() } == StoreSummary(openSessions: 0, sealedDossiers: 0, outboxDepth: 0))
    }

    /// Decoded sessions are cached by revision: what a read returns is what a fresh connection
    /// decodes, a rolled-back save is never served, and every committed save is.
    @Test func cachedSessionsAreTheStoredOnes() async throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        let store = try KioskStore(path: path)
        var s = session()
        s.answers = ["phone": .text("0912345678")]
        let first = s
        try await store.transaction { try $0.save(first, event: "answer", from: nil) }
        #expect(try await store.read { try $0.session(first.id) } == first, "from the committed save")
        // A save rolled back: the cache still serves revision 1, as the file holds.
        var changed = s
        changed.answers = ["phone": .text("0987654321")]
        let rolledBack = changed
        struct Boom: Error {}
        await #expect(throws: Boom.self) {
            try await store.transaction { tx in
                try tx.save(rolledBack, event: "answer", from: nil)
                #expect(try tx.session(rolledBack.id) == rolledBack, "the transaction sees its own save")
                throw Boom()
            }
        }
        #expect(try await store.read { try $0.session(first.id) } == first)
        // A different second revision, committed: served, and equal to a fresh decode.
        changed.answers = ["phone": .text("0911111111")]
        changed.step = .form
        let second = changed
        try await store.transaction { try $0.save(second, event: "answer", from: nil) }
        #expect(try await store.read { try $0.session(second.id) } == second)
        #expect(try await KioskStore(path: path).read { try $0.session(second.id) } == second, "what another connection decodes")
    }

    @Test func fullStoreIsReportedAsDiskFullAndKeepsWhatWasCommitted() async throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        let store = try KioskStore(path: path, maxSizeBytes: 512 * 1024)
        let s = session()
        try await store.transaction { tx in try tx.save(s, event: "start", from: nil) }
        do {
            try await store.transaction { tx in _ = try tx.insertPages([self.page(2_000_000)], session: s.id, document: "doc") }
            Issue.record("the write must not fit")
        } catch let error as StoreError {
            #expect(error.kind == .diskFull)
        }
        #expect(try await store.read { try $0.session(s.id) } == s)
        #expect(try await store.read { try $0.pageCount(session: s.id) } == 0)
    }

    @Test func sealingWritesOnePDFPerDocumentWithPages() async throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        let store = try KioskStore(path: path)
        let s = session()
        var grey = [UInt8](repeating: 255, count: 400 * 560)
        for i in stride(from: 0, to: grey.count, by: 7) { grey[i] = 0 }
        let output = try PagePipeline().process(Raster(kind: .gray, width: 400, height: 560, dpi: 200, pixels: grey))
        var dossier = Self.dossier(session: s.id)
        let refs = try await store.transaction { tx in
            try tx.save(s, event: "scan", from: .documents)
            return try tx.insertPages([output, output, output], session: s.id, document: "id_card")
        }
        dossier.documents = [
            DossierDocument(id: "id_card", name: LocalizedText(vi: "Căn cước", en: "ID card"), form: .copy, copies: 1, pageIds: refs.map(\.id)),
            DossierDocument(id: "optional", name: LocalizedText(vi: "Giấy tờ khác", en: "Other"), form: .copy, copies: 1, pageIds: []),
        ]
        let sealed = dossier
        try await store.transaction { tx in try tx.seal(sealed) }
        let files = try await store.read { try $0.documentFiles(sealed.clientUUID) }
        #expect(files.map(\.documentId) == ["id_card"] && files.first?.pages == 3, "a skipped document has no file")
        let pdf = try #require(try await store.read { try $0.documentPDF(sealed.clientUUID, document: "id_card") })
        #expect(pdf.count == files.first?.bytes)
        let file = directory.appendingPathComponent("id_card.pdf")
        try pdf.write(to: file)
        let check = try await runProgram(URL(fileURLWithPath: "/usr/bin/qpdf"), ["--check", file.path])
        #expect(check.status == 0, "\(check.output)")
        let info = try await runProgram(URL(fileURLWithPath: "/usr/bin/pdfinfo"), [file.path])
        #expect(info.output.contains("Pages:           3") && info.output.contains("Căn cước"), "\(info.output)")
        #expect(try await store.read { try $0.pageCount(session: s.id) } == 0, "the PDFs hold the pages: their images go")
    }

    @Test func upgradingCompressesPagesStoredRawByTheFirstSchema() async throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        let old = try KioskStore(path: path, maxSizeBytes: nil, migratingUpTo: "v1: sessions, pages, dossiers, outbox, audit log")
        let s = session()
        let pixels = (0..<(300 * 200)).map { UInt8(truncatingIfNeeded: $0 / 300 * 3) }
        let pgm = Data("P5\n300 200\n255\n".utf8) + Data(pixels)
        let id = UUID()
        try await old.transaction { tx in
            try tx.save(s, event: "start", from: nil)
            try tx.db.execute(
                sql:
                    "INSERT INTO pages (id, session_id, document_id, format, width, height, dpi, bytes, created_at) VALUES (?, ?, 'doc', 'pgm', 300, 200, 200, ?, ?)",
                arguments: [id.uuidString, s.id.uuidString, pgm, Date()])
        }
        let upgraded = try KioskStore(path: path)
        let page = try #require(try await upgraded.read { try $0.page(id) })
        #expect(page.filter == .dct && page.kind == .gray && page.width == 300 && page.height == 200 && page.dpi == 200)
        #expect(page.data.starts(with: [0xFF, 0xD8]) && page.data.count < pgm.count / 4, "JPEG, \(page.data.count) bytes")
    }

    @Test func unwritableLocationIsAClearError() throws {
        #expect(throws: StoreError.self) { try KioskStore(path: "/proc/kiosk/kiosk.sqlite") }
    }

    static func dossier(session: UUID) -> Dossier {
        Dossier(
            clientUUID: UUID(), sessionId: session, kioskId: "K1", procedureCode: "T-1", procedureVersion: "1",
            procedureEffectiveDate: CivilDate(year: 2025, month: 7, day: 1)!, procedureName: LocalizedText(vi: "Thử", en: "Test"),
            sealedAt: Date(timeIntervalSince1970: 1_795_399_200), receivedOn: CivilDate(year: 2026, month: 11, day: 23)!,
            dueOn: CivilDate(year: 2026, month: 11, day: 26)!, provisionalReference: "K1-20261123-\(UUID().uuidString.prefix(6))",
            identity: Identity(assurance: .typed, idNumber: "001185012345", fullName: "Thử", dateOfBirth: CivilDate(year: 1985, month: 9, day: 5)!),
            answers: ["a": .number(1)], documents: [], delivery: DeliverySelection(option: .counter), fees: [])
    }
}
