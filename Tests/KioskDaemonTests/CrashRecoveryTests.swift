import Dispatch
import Foundation
import KioskTestSupport
import KioskStore
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// A real `kioskd` process, killed with SIGKILL mid-flow and started again on the same store.
@Suite(.serialized) struct CrashRecoveryTests {
    /// Starts kioskd on `config` and waits until it answers; one that does not is killed
    /// and the test fails with its log.
    static func launch(_ config: URL, port: Int) async throws -> DaemonProcess {
        let log = config.deletingLastPathComponent().appendingPathComponent("kioskd.log")
        let daemon = try await DaemonProcess.launch(TestKiosk.kioskdBinary, ["--config", config.path], log: log)
        try await daemon.waitUntilReady(port: port)
        return daemon
    }

    func launch(_ config: URL, port: Int) async throws -> DaemonProcess { try await Self.launch(config, port: port) }

    func killHard(_ daemon: DaemonProcess) async { daemon.kill() }

    /// A kiosk.conf on `port` with its store in the kiosk's directory, the repository's
    /// catalog, a simulated scanner and card reader, and `printer` as the printer's section.
    func writeConfig(_ kiosk: TestKiosk, port: Int, scannerPageDelayMs: Int, printer: String) throws -> URL {
        let config = kiosk.directory.appendingPathComponent("kiosk.conf")
        try """
        [api]
        listen = "127.0.0.1:\(port)"
        [store]
        path = "state/kiosk.sqlite"
        [catalog]
        directory = "\(TestKiosk.repoRoot.appendingPathComponent("catalog").path)"
        [devices.scanner]
        driver = "simulated"
        page_delay_ms = \(scannerPageDelayMs)
        [devices.card_reader]
        driver = "simulated"
        read_timeout_seconds = 2
        [devices.printer]
        \(printer)
        """.write(to: config, atomically: true, encoding: .utf8)
        return config
    }

    @Test func sessionSurvivesSIGKILLAndResumesWithAnswersAndPages() async throws {
        let kiosk = try TestKiosk()
        defer { kiosk.cleanUp() }
        let port = try freeLoopbackPort()
        let config = try writeConfig(kiosk, port: port, scannerPageDelayMs: 400, printer: "driver = \"simulated\"\noutput_directory = \"printed\"")
        let api = LiveClient(port: port)

        var daemon = try await launch(config, port: port)
        defer { daemon.kill() }
        let (_, start) = try await api.call("POST", "sessions")
        let id = try #require(start["id"] as? String)
        _ = try await api.event(id, #"{"type":"choose_procedure","code":"SAMPLE-HT-002"}"#)
        _ = try await api.event(id, #"{"type":"read_id_card"}"#)
        _ = try #require(try await api.waitFor(id) { $0["identity"] != nil })
        _ = try await api.event(id, #"{"type":"next"}"#)
        _ = try await api.event(
            id, #"{"type":"answer","answers":{"residence":{"province":"Hà Nội","commune":"Phường Mẫu","detail":"Số 1"},"phone":"0912345678"}}"#)
        _ = try await api.event(id, #"{"type":"next"}"#)
        _ = try await api.event(id, #"{"type":"answer","answers":{"marital_status":"divorced","purpose":"other"}}"#)

        // 1. Killed mid-form: the accepted answers of the unfinished page are already stored.
        await killHard(daemon)
        daemon = try await launch(config, port: port)
        var (_, screen) = try await api.call("GET", "sessions/\(id)")
        #expect(screen["step"] as? String == "form")
        let form = try #require(screen["form"] as? [String: Any])
        #expect(form["pageIndex"] as? Int == 1)
        let values = (form["fields"] as? [[String: Any]] ?? []).reduce(into: [String: String]()) {
            $0[($1["field"] as? [String: Any])?["id"] as? String ?? ""] = $1["value"] as? String
        }
        #expect(values["marital_status"] == "divorced" && values["purpose"] == "other")
        _ = try await api.event(id, #"{"type":"answer","answers":{"other_purpose":"Bổ sung hồ sơ vay vốn"}}"#)
        _ = try await api.event(id, #"{"type":"next"}"#)

        // 2. Scan 3 pages, then kill while a second scan is under way.
        _ = try await api.event(id, #"{"type":"scan","documentId":"divorce_or_death"}"#)
        _ = try #require(try await api.waitFor(id) { $0["pending"] == nil && (($0["document"] as? [String: Any])?["pages"] as? [Any])?.count == 3 })
        _ = try await api.event(id, #"{"type":"scan","documentId":"divorce_or_death"}"#)
        try await Task.sleep(for: .milliseconds(100))
        await killHard(daemon)
        daemon = try await launch(config, port: port)
        let recovered = try #require(try await api.waitFor(id) { $0["pending"] == nil })
        #expect((recovered["notice"] as? [String: Any])?["code"] as? String == "flow.action_interrupted")
        #expect(((recovered["document"] as? [String: Any])?["pages"] as? [Any])?.count == 3, "pages captured before the crash are kept")
        let store = try KioskStore(path: kiosk.directory.appendingPathComponent("state/kiosk.sqlite").path)
        let sessionID = try #require(UUID(uuidString: id))
        #expect(try await store.read { try $0.pageCount(session: sessionID) } == 3, "no orphan pages from the killed scan")

        // 3. Finish: the dossier is sealed with its outbox row, and survives another SIGKILL.
        _ = try await api.event(id, #"{"type":"next"}"#)
        _ = try await api.event(id, #"{"type":"skip_document","documentId":"previous_certificate"}"#)
        _ = try await api.event(id, #"{"type":"next"}"#)
        _ = try await api.event(id, #"{"type":"next"}"#)
        _ = try await api.event(id, #"{"type":"choose_delivery","option":"counter"}"#)
        _ = try await api.event(id, #"{"type":"next"}"#)
        let (status, submitted) = try await api.event(id, #"{"type":"submit"}"#)
        #expect(status == 200 && submitted["status"] as? String == "submitted")
        await killHard(daemon)
        daemon = try await launch(config, port: port)
        (_, screen) = try await api.call("GET", "sessions/\(id)")
        #expect(screen["status"] as? String == "submitted" && screen["step"] as? String == "receipt")
        let uuid = try #require(UUID(uuidString: (screen["dossier"] as? [String: Any])?["clientUUID"] as? String ?? ""))
        #expect(try await store.read { try $0.pendingOutbox() } == [uuid])
        let sealed = try await store.read { try $0.dossier(uuid) }
        #expect(sealed?.documents.first?.pageIds.count == 3)
        // The technician's status, through kioskd's socket (beside its kiosk.conf, by default).
        let technician = TechnicianClient(socket: config.deletingLastPathComponent().appendingPathComponent("var/kioskd.sock").path)
        let (_, statusReport) = try await technician.call("GET", "status")
        #expect(statusReport["outboxDepth"] as? Int == 1)
        let ended = await daemon.stop()
        #expect(ended.reason == .exit && ended.status == 0, "SIGTERM shuts kioskd down cleanly")
    }

    /// kioskd SIGKILLed while its receipt is printing through a real cupsd, then started again:
    /// the applicant gets exactly one receipt, and the session knows it was printed (the job id
    /// was journaled before the document was sent; the restart asks CUPS about it).
    @Test(arguments: [1, 2])
    func aReceiptPrintingWhenKioskdIsKilledIsPrintedExactlyOnce(killedAfterSeconds: Int) async throws {
        let kiosk = try TestKiosk()
        defer { kiosk.cleanUp() }
        let cups = try await PrivateCUPS.start()
        defer { cups.stop() }
        // Each receipt takes 3 s to print: kioskd is killed while CUPS holds the job.
        try await cups.slowQueue("slow_receipt", seconds: 3)
        let port = try freeLoopbackPort()
        let config = try writeConfig(
            kiosk, port: port, scannerPageDelayMs: 5,
            printer: """
                driver = "cups"
                cups_server = "\(cups.socket)"
                destination = "slow_receipt"
                paper = "80mm"
                """)
        let api = LiveClient(port: port)
        var daemon = try await launch(config, port: port)
        defer { daemon.kill() }
        let (_, start) = try await api.call("POST", "sessions")
        let id = try #require(start["id"] as? String)
        for body in FlowScripts.certifiedCopyToDocuments + [#"{"type":"scan","documentId":"original"}"#] {
            let (status, answer) = try await api.event(id, body)
            try #require(status == 200, "\(body): \(answer)")
        }
        _ = try #require(try await api.waitFor(id) { $0["pending"] == nil })
        for body in [
            #"{"type":"next"}"#, #"{"type":"skip_document","documentId":"copy"}"#, #"{"type":"next"}"#, #"{"type":"next"}"#,
            #"{"type":"choose_delivery","option":"counter"}"#, #"{"type":"next"}"#, #"{"type":"submit"}"#,
        ] {
            let (status, answer) = try await api.event(id, body)
            try #require(status == 200, "\(body): \(answer)")
        }
        // The job is with CUPS (the backend sleeps before capturing): kill kioskd.
        for _ in 0..<400 {
            if try await cups.tool("lpstat", ["-o", "slow_receipt"]).output.contains("slow_receipt-") { break }
            try await Task.sleep(for: .milliseconds(25))
        }
        try await Task.sleep(for: .seconds(killedAfterSeconds))
        await killHard(daemon)
        #expect(cups.captured("slow_receipt").count <= 1)

        daemon = try await launch(config, port: port)
        let printed = try #require(
            try await api.waitFor(id, seconds: 60) { ($0["printed"] as? [String]) == ["receipt"] && $0["pending"] == nil },
            "the session learns that its receipt printed")
        #expect(
            printed["notice"] == nil || (printed["notice"] as? [String: Any])?["code"] as? String != "flow.action_interrupted",
            "the applicant is not asked to print again")
        // Give a wrongly repeated job every chance to show up before counting.
        try await Task.sleep(for: .seconds(4))
        #expect(cups.captured("slow_receipt").count == 1, "exactly one receipt")
        #expect(try await cups.tool("lpstat", ["-o", "slow_receipt"]).output.isEmpty, "nothing left queued")
        let ended = await daemon.stop()
        #expect(ended.reason == .exit && ended.status == 0)
    }

    /// One kioskd per store: a second one on the same store refuses to start and names the
    /// process that holds it; once the first is gone (even by SIGKILL) the store is free.
    @Test func aSecondKioskdOnTheSameStoreRefusesToStart() async throws {
        let kiosk = try TestKiosk()
        defer { kiosk.cleanUp() }
        let port = try freeLoopbackPort()
        let config = try writeConfig(kiosk, port: port, scannerPageDelayMs: 5, printer: "driver = \"simulated\"\noutput_directory = \"printed\"")
        let first = try await launch(config, port: port)
        defer { first.kill() }
        let second = try await runProgram(TestKiosk.kioskdBinary, ["--config", config.path, "--listen", "127.0.0.1:\(try freeLoopbackPort())"])
        #expect(second.status != 0, "a second kioskd on the same store must not run")
        let said = second.output + second.errors
        #expect(said.contains("in use by another kioskd (process \(first.pid))"), "\(said)")
        first.kill()
        let again = try await launch(config, port: port)
        let ended = await again.stop()
        #expect(ended.reason == .exit && ended.status == 0)
    }

    /// SIGTERM ends kioskd at once even when every service is idle — the heartbeat waiting for
    /// its next period (60 s) must not hold the shutdown (it did, and a service manager would
    /// have killed kioskd instead).
    @Test func sigtermEndsAnIdleKioskdPromptly() async throws {
        let kiosk = try TestKiosk()
        defer { kiosk.cleanUp() }
        let port = try freeLoopbackPort()
        let config = try writeConfig(kiosk, port: port, scannerPageDelayMs: 5, printer: "driver = \"simulated\"\noutput_directory = \"printed\"")
        let daemon = try await launch(config, port: port)
        defer { daemon.kill() }
        // Long enough for every service to settle into its wait.
        try await Task.sleep(for: .seconds(2))
        let ended = await daemon.stop(grace: 10)
        #expect(ended.reason == .exit && ended.status == 0, "\(daemon.logTail())")
    }

    @Test func badConfigurationStopsStartUpWithFileLineAndKey() async throws {
        let kiosk = try TestKiosk()
        defer { kiosk.cleanUp() }
        let config = kiosk.directory.appendingPathComponent("kiosk.conf")
        try "[api]\nlisten = \"127.0.0.1:8080\"\n[devices.scanner]\ndriver = \"magic\"\n".write(to: config, atomically: true, encoding: .utf8)
        let result = try await runProgram(TestKiosk.kioskdBinary, ["--config", config.path])
        let message = result.errors
        #expect(result.status == 78)
        #expect(message.contains("kiosk.conf:4: devices.scanner.driver: expected one of \"sane\", \"simulated\", found \"magic\""), "\(message)")
    }

    @Test func checkValidatesConfigurationAndCatalogThenExits() async throws {
        let kiosk = try TestKiosk()
        defer { kiosk.cleanUp() }
        let good = kiosk.directory.appendingPathComponent("good.conf")
        let root = TestKiosk.repoRoot.path
        try "[catalog]\ndirectory = \"\(root)/catalog\"\n[screen]\ndirectory = \"\(root)/screen\"\n".write(
            to: good, atomically: true, encoding: .utf8)
        let ok = try await runProgram(TestKiosk.kioskdBinary, ["--config", good.path, "--check"])
        #expect(ok.status == 0, "\(ok.output)")
        #expect(ok.output.contains("catalog: 3 procedures") && ok.output.contains("no problems"), "\(ok.output)")

        let catalog = kiosk.directory.appendingPathComponent("catalog")
        try FileManager.default.createDirectory(at: catalog, withIntermediateDirectories: true)
        try "code: [\n".write(to: catalog.appendingPathComponent("broken.yaml"), atomically: true, encoding: .utf8)
        let bad = kiosk.directory.appendingPathComponent("bad.conf")
        try "[catalog]\ndirectory = \"catalog\"\n[screen]\ndirectory = \"\(root)/screen\"\n".write(to: bad, atomically: true, encoding: .utf8)
        let rejected = try await runProgram(TestKiosk.kioskdBinary, ["--config", bad.path, "--check"])
        #expect(rejected.status == 65)
        #expect(rejected.output.contains("\(catalog.path)/broken.yaml:"), "\(rejected.output)")
        // Each problem in JSON too (kioskctl config check --json), with its file and line.
        let json = try await runProgram(TestKiosk.kioskdBinary, ["--config", bad.path, "--check", "--check-format", "json"])
        let report = try #require(try JSONSerialization.jsonObject(with: json.stdout) as? [String: Any])
        let problems = try #require(report["problems"] as? [[String: Any]])
        #expect(json.status == 65 && report["configValid"] as? Bool == true)
        #expect(
            problems.count == 1 && problems.first?["line"] as? Int != nil && (problems.first?["file"] as? String)?.hasSuffix("broken.yaml") == true,
            "\(problems)")

        let remote = try await runProgram(TestKiosk.kioskdBinary, ["--config", good.path, "--listen", "0.0.0.0:8080", "--check"])
        #expect(remote.status == 78)
        #expect(remote.output.contains("--listen: expected a loopback address"), "\(remote.output)")
    }
}
