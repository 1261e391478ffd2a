import Foundation
import Imaging
import KioskTestSupport
import Hummingbird
import HummingbirdTesting
import KioskStore
import Logging
import Testing

@testable import KioskDaemon

/// The local API in-process: the same graph `kioskd` builds, with the test router client.
@Suite struct APITests {
    static let logger = Logger(label: "test")

    func withKiosk(
        _ adjust: (inout KioskConfig) -> Void = { _ in }, _ body: @escaping @Sendable (any TestClientProtocol, TestKiosk) async throws -> Void
    ) async throws {
        var mutable = try TestKiosk()
        adjust(&mutable.config)
        let kiosk = mutable
        defer { kiosk.cleanUp() }
        let app = try await buildApplication(config: kiosk.config, logger: Self.logger, sweepInterval: .milliseconds(50))
        try await app.test(.router) { client in try await body(client, kiosk) }
    }

    func call(
        _ client: any TestClientProtocol, _ method: HTTPRequest.Method, _ uri: String, _ body: String? = nil
    ) async throws -> (HTTPResponse.Status, [String: Any]) {
        // The kiosk's screen sends JSON bodies as JSON (OriginGuard refuses anything else).
        let headers: HTTPFields = body == nil ? [:] : [.contentType: "application/json"]
        return try await client.execute(uri: uri, method: method, headers: headers, body: body.map { ByteBuffer(string: $0) }) { response in
            let data = Data(response.body.readableBytesView)
            let object =
                data.isEmpty
                ? [:] : (try JSONSerialization.jsonObject(with: data) as? [String: Any] ?? ["array": try JSONSerialization.jsonObject(with: data)])
            return (response.status, object)
        }
    }

    /// A call on the technician's channel (the kiosk's Unix socket, which the in-process
    /// application serves too).
    func technician(
        _ kiosk: TestKiosk, _ method: HTTPRequest.Method, _ uri: String, _ body: String? = nil
    ) async throws -> (HTTPResponse.Status, [String: Any]) {
        let path = uri.hasPrefix("/api/v1/") ? String(uri.dropFirst("/api/v1/".count)) : uri
        let (status, object) = try await TechnicianClient(kiosk.config).call(method.rawValue, path, body)
        return (HTTPResponse.Status(code: status), object)
    }

    func event(_ client: any TestClientProtocol, _ session: String, _ body: String) async throws -> (HTTPResponse.Status, [String: Any]) {
        try await call(client, .post, "/api/v1/sessions/\(session)/events", body)
    }

    /// SANE's `test` device configured by the project's script (its second device is used,
    /// so the daemon tests share no option state with the Devices tests running alongside).
    func saneTestDevice() async throws -> URL {
        let sane = FileManager.default.temporaryDirectory.appendingPathComponent("kiosk-daemon-sane-\(getpid())")
        let setup = try await runProgram(
            URL(fileURLWithPath: "/bin/bash"),
            [TestKiosk.repoRoot.appendingPathComponent("scripts/setup-sane-test-device.sh").path, sane.path])
        try #require(setup.status == 0, "\(setup.errors)")
        return sane
    }

    /// A session for the certified copy (SAMPLE-CT-001), identified and declared, at its
    /// first document; returns the session id.
    func certifiedCopyAtDocuments(_ client: any TestClientProtocol) async throws -> String {
        let (_, start) = try await call(client, .post, "/api/v1/sessions")
        let id = try #require(start["id"] as? String)
        for body in FlowScripts.certifiedCopyToDocuments {
            let (status, _) = try await event(client, id, body)
            try #require(status == .ok, "\(body)")
        }
        return id
    }

    /// Polls the session until `condition` holds (device actions finish asynchronously; a
    /// debug build on a loaded two-core machine needs seconds for a batch of A4 pages).
    func waitFor(_ client: any TestClientProtocol, _ session: String, _ condition: ([String: Any]) -> Bool) async throws -> [String: Any] {
        for _ in 0..<1500 {
            let (_, screen) = try await call(client, .get, "/api/v1/sessions/\(session)")
            if condition(screen) { return screen }
            try await Task.sleep(for: .milliseconds(20))
        }
        Issue.record("condition not reached")
        return [:]
    }

    @Test func healthProceduresAndSearch() async throws {
        try await withKiosk { client, _ in
            let (status, health) = try await call(client, .get, "/api/v1/health")
            #expect(status == .ok && health["status"] as? String == "ok")
            let (_, list) = try await call(client, .get, "/api/v1/procedures")
            #expect((list["procedures"] as? [Any])?.count == 3)
            #expect((list["fields"] as? [Any])?.count == 2)
            let (_, found) = try await call(client, .get, "/api/v1/procedures?q=khai%20sinh")
            let items = try #require(found["procedures"] as? [[String: Any]])
            #expect(items.map { $0["code"] as? String } == ["SAMPLE-HT-001"])
            let (_, byField) = try await call(client, .get, "/api/v1/procedures?field=chung-thuc")
            #expect((byField["procedures"] as? [Any])?.count == 1)
            let (okStatus, procedure) = try await call(client, .get, "/api/v1/procedures/SAMPLE-HT-002")
            #expect(okStatus == .ok && (procedure["form"] as? [String: Any])?["pages"] != nil)
            let (missing, error) = try await call(client, .get, "/api/v1/procedures/NOPE")
            #expect(missing == .notFound && error["code"] as? String == "procedure.not_found")
            #expect(((error["message"] as? [String: String])?["vi"])?.isEmpty == false)
        }
    }

    @Test func scriptedSessionReachesSubmittedWithSealedDossierAndOutboxRow() async throws {
        try await withKiosk { client, kiosk in
            let (created, start) = try await call(client, .post, "/api/v1/sessions", #"{"language":"en"}"#)
            #expect(created == .created && start["language"] as? String == "en" && start["step"] as? String == "choose_procedure")
            let id = try #require(start["id"] as? String)
            _ = try await event(client, id, #"{"type":"choose_procedure","code":"SAMPLE-HT-002"}"#)
            let (_, reading) = try await event(client, id, #"{"type":"read_id_card"}"#)
            #expect((reading["pending"] as? [String: Any])?["type"] as? String == "read_id_card")
            let identified = try await waitFor(client, id) { $0["identity"] != nil && $0["pending"] == nil }
            #expect((identified["identity"] as? [String: Any])?["idNumberMasked"] as? String == "••••••••2345")
            #expect((identified["identity"] as? [String: Any])?["chipVerified"] as? Bool == false, "a simulated reader verifies nothing")
            _ = try await event(client, id, #"{"type":"next"}"#)
            let (rejected, problems) = try await event(client, id, #"{"type":"next"}"#)
            #expect(rejected == .unprocessableContent)
            #expect((problems["fields"] as? [String: Any])?["phone"] != nil)
            _ = try await event(
                client, id,
                #"{"type":"answer","answers":{"residence":{"province":"Hà Nội","commune":"Phường Mẫu","detail":"Số 1"},"phone":"0912345678"}}"#)
            _ = try await event(client, id, #"{"type":"next"}"#)
            _ = try await event(
                client, id,
                #"{"type":"answer","answers":{"marital_status":"never_married","purpose":"marriage","partner_name":"Trần Văn Mẫu","partner_birth_date":"1990-01-01"}}"#
            )
            let (_, documents) = try await event(client, id, #"{"type":"next"}"#)
            #expect(documents["step"] as? String == "documents")
            _ = try await event(client, id, #"{"type":"scan","documentId":"divorce_or_death"}"#)
            let scanned = try await waitFor(client, id) { ($0["document"] as? [String: Any])?["pages"].map { ($0 as? [Any])?.count == 3 } == true }
            #expect(scanned["pending"] == nil)
            let flags = ((scanned["document"] as? [String: Any])?["pages"] as? [[String: Any]])?.map { $0["looksBlank"] as? Bool }
            #expect(flags == [false, false, false], "the simulated pages carry text")
            _ = try await event(client, id, #"{"type":"next"}"#)
            _ = try await event(client, id, #"{"type":"skip_document","documentId":"previous_certificate"}"#)
            _ = try await event(client, id, #"{"type":"next"}"#)  // review → fee
            _ = try await event(client, id, #"{"type":"next"}"#)  // fee → delivery
            _ = try await event(
                client, id, #"{"type":"choose_delivery","option":"post","address":{"province":"Hà Nội","commune":"Phường Mẫu","detail":"Số 1"}}"#)
            _ = try await event(client, id, #"{"type":"next"}"#)
            let (submittedStatus, submitted) = try await event(client, id, #"{"type":"submit"}"#)
            #expect(submittedStatus == .ok && submitted["status"] as? String == "submitted")
            let printed = try await waitFor(client, id) { ($0["printed"] as? [String]) == ["receipt"] }
            let dossier = try #require(printed["dossier"] as? [String: Any])
            let uuid = try #require(UUID(uuidString: dossier["clientUUID"] as? String ?? ""))

            let store = try KioskStore(path: kiosk.config.store.path.path)
            let sealed = try #require(try await store.read { try $0.dossier(uuid) })
            #expect(sealed.procedureCode == "SAMPLE-HT-002" && sealed.documents.first?.pageIds.count == 3)
            #expect(sealed.delivery.option == .post)
            #expect(try await store.read { try $0.pendingOutbox() } == [uuid])
            let files = try await store.read { try $0.documentFiles(uuid) }
            #expect(files.map(\.documentId) == ["divorce_or_death"] && files.first?.pages == 3, "one PDF per document with pages")
            let pdf = try #require(try await store.read { try $0.documentPDF(uuid, document: "divorce_or_death") })
            let pdfFile = kiosk.directory.appendingPathComponent("document.pdf")
            try pdf.write(to: pdfFile)
            let check = try await runProgram(URL(fileURLWithPath: "/usr/bin/qpdf"), ["--check", pdfFile.path])
            #expect(check.status == 0, "\(check.output)")
            let printedFiles = try FileManager.default.contentsOfDirectory(atPath: kiosk.config.printer.outputDirectory.path)
            let receipts = printedFiles.filter { $0.hasSuffix(".txt") }
            #expect(receipts.count == 1)
            // The receipt went through the real layout path: an ESC/POS job (ESC @, then GS v 0
            // raster blocks 576 dots wide), as a thermal printer would get it.
            let raster = try #require(printedFiles.first { $0.hasSuffix(".bin") })
            let job = try Data(contentsOf: kiosk.config.printer.outputDirectory.appendingPathComponent(raster))
            #expect(job.prefix(2) == Data([0x1B, 0x40]) && job.count > 10_000)
            let rasterBlock = try #require(job.firstRange(of: Data([0x1D, 0x76, 0x30])), "a GS v 0 raster block")
            let widthBytes = Int(job[rasterBlock.upperBound + 1]) | Int(job[rasterBlock.upperBound + 2]) << 8
            #expect(widthBytes == 576 / 8)
            let text = try String(contentsOf: kiosk.config.printer.outputDirectory.appendingPathComponent(receipts[0]), encoding: .utf8)
            #expect(text.contains("GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ") && text.contains(sealed.provisionalReference))

            _ = try await event(client, id, #"{"type":"next"}"#)
            let (_, done) = try await event(client, id, #"{"type":"rate","score":4}"#)
            #expect(done["status"] as? String == "finished")
            let (_, status) = try await technician(kiosk, .get, "/api/v1/status")
            #expect(status["outboxDepth"] as? Int == 1 && status["sealedDossiers"] as? Int == 1 && status["openSessions"] as? Int == 0)
        }
    }

    @Test func hostileRequestsGetJSONErrors() async throws {
        try await withKiosk { client, kiosk in
            let (_, start) = try await call(client, .post, "/api/v1/sessions")
            let id = try #require(start["id"] as? String)
            let cases: [(HTTPRequest.Method, String, String?, HTTPResponse.Status, String)] = [
                (.get, "/api/v1/nothing", nil, .notFound, "route.not_found"),
                (.get, "/api/v1/sessions/not-a-uuid", nil, .notFound, "session.not_found"),
                (.get, "/api/v1/sessions/\(UUID())", nil, .notFound, "session.not_found"),
                (.post, "/api/v1/sessions/\(id)/events", "{nope", .badRequest, "request.malformed"),
                (.post, "/api/v1/sessions/\(id)/events", #"{"type":"card_read","identity":{}}"#, .badRequest, "request.malformed"),
                (.post, "/api/v1/sessions/\(id)/events", #"{"type":"answer"}"#, .badRequest, "request.malformed"),
                (.post, "/api/v1/sessions/\(id)/events", #"{"type":"next"}"#, .conflict, "flow.not_allowed"),
                (.post, "/api/v1/sessions/\(id)/events", #"{"type":"choose_procedure","code":"X"}"#, .conflict, "flow.unknown_procedure"),
                (.post, "/api/v1/sessions/\(id)/events", String(repeating: "x", count: 70_000), .contentTooLarge, "request.too_large"),
                (.post, "/api/v1/sessions", String(repeating: "x", count: 70_000), .contentTooLarge, "request.too_large"),
                (.post, "/api/v1/sessions", "[1,2", .badRequest, "request.malformed"),
                // The technician's routes, on the applicant's side.
                (.post, "/api/v1/devices/scanner/fault", #"{"fault":"none"}"#, .forbidden, "request.technician_only"),
                (.get, "/api/v1/status", nil, .forbidden, "request.technician_only"),
            ]
            // …and hostile requests on the technician's channel get the same JSON errors.
            let technicianCases: [(HTTPRequest.Method, String, String?, HTTPResponse.Status, String)] = [
                (.post, "/api/v1/devices/scanner/fault", #"{"fault":"smoke"}"#, .badRequest, "device.unknown_fault"),
                (.post, "/api/v1/devices/kettle/fault", #"{"fault":"none"}"#, .conflict, "device.not_simulated"),
                (.post, "/api/v1/devices/scanner/fault", "{nope", .badRequest, "request.malformed"),
                (.post, "/api/v1/sessions/\(UUID())/abandon", "{}", .notFound, "session.not_found"),
                (.post, "/api/v1/selftests", #"{"device":"kettle","level":"internal"}"#, .notFound, "device.not_found"),
                (.post, "/api/v1/selftests", #"{"device":"scanner","level":"loud"}"#, .badRequest, "request.malformed"),
                (.get, "/api/v1/logs?lines=-1", nil, .badRequest, "request.malformed"),
                (.put, "/api/v1/maintenance", #"{"on":"yes"}"#, .badRequest, "request.malformed"),
            ]
            for (method, uri, body, expected, code) in cases + technicianCases.map({ ($0.0, "technician:" + $0.1, $0.2, $0.3, $0.4) }) {
                let onSocket = uri.hasPrefix("technician:")
                let path = onSocket ? String(uri.dropFirst("technician:".count)) : uri
                let (status, error) = try await onSocket ? technician(kiosk, method, path, body) : call(client, method, path, body)
                #expect(status == expected, "\(method) \(uri)")
                #expect(error["code"] as? String == code, "\(method) \(uri): \(error)")
                let message = error["message"] as? [String: String]
                #expect(message?["vi"]?.isEmpty == false && message?["en"]?.isEmpty == false)
            }
            let (_, screen) = try await call(client, .get, "/api/v1/sessions/\(id)")
            #expect(screen["step"] as? String == "choose_procedure", "refused events change nothing")
        }
    }

    @Test func deviceFaultReachesTheApplicantAndStatus() async throws {
        try await withKiosk({ $0.printer.fault = .paperOut }) { client, kiosk in
            let (_, devices) = try await call(client, .get, "/api/v1/devices")
            let list = try #require(devices["array"] as? [[String: Any]])
            let printer = try #require(list.first { $0["id"] as? String == "printer" })
            #expect(printer["state"] as? String == "user_error" && printer["media"] as? String == "paper_out")
            let (_, start) = try await call(client, .post, "/api/v1/sessions")
            let id = try #require(start["id"] as? String)
            _ = try await event(client, id, #"{"type":"choose_procedure","code":"SAMPLE-HT-001"}"#)
            let (_, injected) = try await technician(kiosk, .post, "/api/v1/devices/card_reader/fault", #"{"fault":"card_removed"}"#)
            #expect(injected["state"] as? String == "online")
            _ = try await event(client, id, #"{"type":"read_id_card"}"#)
            let failed = try await waitFor(client, id) { $0["notice"] != nil }
            let notice = try #require(failed["notice"] as? [String: Any])
            #expect(notice["code"] as? String == "card.removed" && notice["actor"] as? String == "applicant")
            #expect(failed["identity"] == nil)
        }
    }

    @Test func cancelledSessionForgetsTheApplicantAndDeletesItsPages() async throws {
        try await withKiosk { client, kiosk in
            let id = try await certifiedCopyAtDocuments(client)
            _ = try await event(client, id, #"{"type":"scan","documentId":"original"}"#)
            let scanned = try await waitFor(client, id) {
                $0["pending"] == nil && (($0["document"] as? [String: Any])?["pages"] as? [Any])?.count == 1
            }
            let pageId = try #require(((scanned["document"] as? [String: Any])?["pages"] as? [[String: Any]])?.first?["id"] as? String)
            let store = try KioskStore(path: kiosk.config.store.path.path)
            let session = try #require(UUID(uuidString: id))
            #expect(try await store.read { try $0.pageCount(session: session) } == 1)
            _ = try await event(client, id, #"{"type":"remove_page","documentId":"original","pageId":"\#(pageId)"}"#)
            #expect(try await store.read { try $0.pageCount(session: session) } == 0, "a removed page's image is deleted")
            _ = try await event(client, id, #"{"type":"scan","documentId":"original"}"#)
            _ = try await waitFor(client, id) { $0["pending"] == nil }
            let (_, ended) = try await event(client, id, #"{"type":"cancel"}"#)
            #expect(ended["status"] as? String == "abandoned" && ended["identity"] == nil)
            #expect(try await store.read { try $0.pageCount(session: session) } == 0)
            let stored = try await store.read { try $0.session(session) }
            #expect(stored?.identity == nil && stored?.answers.isEmpty == true)
        }
    }

    /// The scan action through the real SANE driver on the `test` backend (its second
    /// device, so it shares no option state with the Devices tests running alongside).
    @Test func scanActionRunsThroughTheSANEDriver() async throws {
        let sane = try await saneTestDevice()
        try await withKiosk({
            $0.scanner.driver = .sane
            $0.scanner.device = "test:1"
            $0.scanner.saneConfigDirectory = sane
            $0.scanner.options = [("test-picture", "Solid white"), ("read-return-value", "Default")]
        }) { client, kiosk in
            let id = try await certifiedCopyAtDocuments(client)
            _ = try await event(client, id, #"{"type":"scan","documentId":"original"}"#)
            let scanned = try await waitFor(client, id) { $0["pending"] == nil }
            #expect(scanned["notice"] == nil, "\(scanned["notice"] ?? "")")
            let pages = try #require((scanned["document"] as? [String: Any])?["pages"] as? [[String: Any]])
            #expect(pages.count == 1, "the flatbed gives one page")
            let page = try #require(pages.first)
            #expect(page["dpi"] as? Int == 300)
            #expect(page["looksBlank"] as? Bool == true, "a Solid white page is flagged for the applicant to confirm")
            #expect(
                abs((page["widthPixels"] as? Int ?? 0) - 2480) <= 2 && abs((page["heightPixels"] as? Int ?? 0) - 3508) <= 2, "A4 at 300 dpi: \(page)")
            let store = try KioskStore(path: kiosk.config.store.path.path)
            let pageId = try #require(UUID(uuidString: page["id"] as? String ?? ""))
            let stored = try await store.read { try $0.page(pageId) }
            #expect(stored?.kind == .rgb && stored?.filter == .dct, "the profile asks for colour, kept as JPEG")
            #expect(stored?.data.count == page["bytes"] as? Int && (stored?.data.count ?? .max) <= 1_000_000)
            let (_, devices) = try await call(client, .get, "/api/v1/devices")
            let scanner = (devices["array"] as? [[String: Any]])?.first { $0["id"] as? String == "scanner" }
            #expect(scanner?["driver"] as? String == "sane" && scanner?["state"] as? String == "online")
        }
    }

    /// The dossier's size limit through the real driver: pages that would pass it are
    /// compressed to share what is left, then refused, and the applicant is told each time.
    @Test func theDossierLimitStepsQualityDownThenRefusesAndSaysWhy() async throws {
        let sane = try await saneTestDevice()
        try await withKiosk({
            $0.scanner.driver = .sane
            $0.scanner.device = "test:1"
            $0.scanner.saneConfigDirectory = sane
            // A grid compresses to about 200 KB per A4 page at 300 dpi.
            $0.scanner.options = [("test-picture", "Grid"), ("read-return-value", "Default")]
            $0.documents.maxDossierBytes = 1_000_000
        }) { client, kiosk in
            let id = try await certifiedCopyAtDocuments(client)
            var notices: [String?] = []
            var pageCounts: [Int] = []
            for _ in 0..<9 {
                _ = try await event(client, id, #"{"type":"scan","documentId":"original"}"#)
                let screen = try await waitFor(client, id) { $0["pending"] == nil }
                let notice = screen["notice"] as? [String: Any]
                notices.append(notice?["code"] as? String)
                let pages = (screen["document"] as? [String: Any])?["pages"] as? [[String: Any]] ?? []
                pageCounts.append(pages.count)
                let total = pages.reduce(0) { $0 + ($1["bytes"] as? Int ?? 0) }
                #expect(total <= 1_000_000, "the dossier stays within its limit: \(total) bytes")
                if let message = (notice?["message"] as? [String: Any])?["vi"] as? String {
                    #expect(message.contains("1 MB"), "the applicant is told the limit: \(message)")
                }
                if notices.last == "dossier.full" { break }
            }
            #expect(notices.contains("dossier.compressed_to_fit"), "\(notices)")
            #expect(notices.last == "dossier.full", "\(notices)")
            #expect(pageCounts.suffix(2).first == pageCounts.last, "refused pages are not added: \(pageCounts)")
            let store = try KioskStore(path: kiosk.config.store.path.path)
            let sessionId = try #require(UUID(uuidString: id))
            #expect(try await store.read { try $0.pageCount(session: sessionId) } == pageCounts.last, "refused pages are not stored")
        }
    }

    /// The receipt through the real CUPS driver and a private cupsd: out of paper first (the
    /// applicant is told, the receipt waits), then reprinted once staff load paper.
    @Test func theReceiptPrintsThroughCUPSAndAFailedPrintIsReprinted() async throws {
        let cups = try await PrivateCUPS.start()
        defer { cups.stop() }
        let outOfPaper = try await cups.tool("lpadmin", ["-p", "kiosk_receipt", "-v", "fault:/paper-out", "-o", "printer-error-policy=abort-job"])
        try #require(outOfPaper.status == 0, "\(outOfPaper.errors)")
        try await withKiosk({
            $0.printer.driver = .cups
            $0.printer.cupsServer = cups.socket
            $0.printer.destination = "kiosk_receipt"
            $0.printer.paper = .a4
        }) { client, kiosk in
            let id = try await certifiedCopyAtDocuments(client)
            _ = try await event(client, id, #"{"type":"scan","documentId":"original"}"#)
            _ = try await waitFor(client, id) { $0["pending"] == nil }
            for body in [
                #"{"type":"next"}"#, #"{"type":"skip_document","documentId":"copy"}"#, #"{"type":"next"}"#, #"{"type":"next"}"#,
                #"{"type":"choose_delivery","option":"counter"}"#, #"{"type":"next"}"#, #"{"type":"submit"}"#,
            ] {
                _ = try await event(client, id, body)
            }
            let failed = try await waitFor(client, id) { $0["status"] as? String == "submitted" && $0["pending"] == nil }
            let notice = failed["notice"] as? [String: Any]
            #expect(notice?["code"] as? String == "printer.paper_out", "\(failed)")
            #expect(((notice?["message"] as? [String: Any])?["vi"] as? String)?.contains("hết giấy") == true)
            #expect((failed["printed"] as? [String])?.isEmpty != false, "a failed receipt is not counted as printed")
            let (_, devices) = try await call(client, .get, "/api/v1/devices")
            let printer = (devices["array"] as? [[String: Any]])?.first { $0["id"] as? String == "printer" }
            #expect(printer?["driver"] as? String == "cups" && printer?["media"] as? String == "paper_out")
            // The technician's status lists the receipt that did not print, by its reference.
            let (_, status) = try await technician(kiosk, .get, "/api/v1/status")
            let unprinted = try #require(status["unprintedReceipts"] as? [[String: Any]])
            let failedReference = try #require((failed["dossier"] as? [String: Any])?["provisionalReference"] as? String)
            #expect(unprinted.map { $0["reference"] as? String } == [failedReference])

            // Staff load paper: the queue prints again, and the applicant presses Reprint.
            let fixed = try await cups.tool("lpadmin", ["-p", "kiosk_receipt", "-v", "capture:\(cups.printed.path)/receipt"])
            try #require(fixed.status == 0)
            let (reprint, _) = try await event(client, id, #"{"type":"reprint","kind":"receipt"}"#)
            #expect(reprint == .ok)
            let printed = try await waitFor(client, id) { ($0["printed"] as? [String]) == ["receipt"] }
            let reference = try #require((printed["dossier"] as? [String: Any])?["provisionalReference"] as? String)
            let receipts = cups.captured("receipt")
            #expect(receipts.count == 1, "printed once")
            let (again, refusal) = try await event(client, id, #"{"type":"reprint","kind":"receipt"}"#)
            #expect(again == .conflict && refusal["code"] as? String == "flow.reprint_needs_staff", "one applicant reprint per failure")
            #expect(cups.captured("receipt").count == 1)
            let file = kiosk.directory.appendingPathComponent("receipt.pdf")
            try (receipts.first ?? Data()).write(to: file)
            let text = try await runProgram(URL(fileURLWithPath: "/usr/bin/pdftotext"), [file.path, "-"]).output
            #expect(text.contains(reference) && text.contains("GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ"), "\(text)")

            // The technician reprints it from the sealed dossier; an unknown dossier is a 404.
            let uuid = try #require((printed["dossier"] as? [String: Any])?["clientUUID"] as? String)
            let (reprinted, report) = try await technician(kiosk, .post, "/api/v1/dossiers/\(uuid)/print", #"{"kind":"receipt"}"#)
            #expect(reprinted == .ok && (report["job"] as? String)?.hasPrefix("kiosk_receipt-") == true, "\(report)")
            #expect(cups.captured("receipt").count == 2)
            // …or by the reference printed on it.
            let (byReference, _) = try await technician(kiosk, .post, "/api/v1/dossiers/\(reference)/print", #"{"kind":"receipt"}"#)
            #expect(byReference == .ok && cups.captured("receipt").count == 3)
            let (_, after) = try await technician(kiosk, .get, "/api/v1/status")
            #expect((after["unprintedReceipts"] as? [Any])?.isEmpty == true, "printed since")
            let (unknown, _) = try await technician(kiosk, .post, "/api/v1/dossiers/\(UUID())/print", #"{"kind":"receipt"}"#)
            #expect(unknown == .notFound)
            let (unknownReference, _) = try await technician(kiosk, .post, "/api/v1/dossiers/KIOSK-X-20260101-000000/print", #"{"kind":"receipt"}"#)
            #expect(unknownReference == .notFound)
        }
    }

    @Test func idleSessionIsEndedBySweeper() async throws {
        try await withKiosk({ $0.session.idleTimeoutSeconds = 1 }) { client, _ in
            let (_, start) = try await call(client, .post, "/api/v1/sessions")
            let id = try #require(start["id"] as? String)
            let ended = try await waitFor(client, id) { $0["status"] as? String == "abandoned" }
            #expect(ended["step"] as? String == "finished")
        }
    }
}
