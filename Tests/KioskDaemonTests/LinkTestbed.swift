import CentralProtocol
import CentralServer
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import KioskStore
import KioskTestSupport
import Testing

/// A real `kiosk-central` and a real `kioskd` on loopback, each in its own directory; the test
/// stops both, pass or fail (`stop()`, and the processes' own deinit).
final class LinkTestbed: @unchecked Sendable {
    // @unchecked: the processes are replaced only by the test's own task.
    let kiosk: TestKiosk
    let centralState: URL
    let centralPort: Int
    let kioskPort: Int
    var central: DaemonProcess?
    var kioskd: DaemonProcess?
    let api: LiveClient
    /// kioskd's technician socket (enrolment, the outbox, fault injection).
    let technician: TechnicianClient
    static let unit = "000.00.31.H29"

    init() throws {
        kiosk = try TestKiosk()
        centralState = kiosk.directory.appendingPathComponent("central")
        centralPort = try freeLoopbackPort()
        kioskPort = try freeLoopbackPort()
        api = LiveClient(port: kioskPort)
        technician = TechnicianClient(socket: kiosk.directory.appendingPathComponent("var/kioskd.sock").path)
    }

    var centralURL: String { "http://127.0.0.1:\(centralPort)" }
    var kioskConfig: URL { kiosk.directory.appendingPathComponent("kiosk.conf") }
    var storePath: String { kiosk.directory.appendingPathComponent("state/kiosk.sqlite").path }

    /// Starts kiosk-central; `preload` as for `startKiosk`.
    func startCentral(heartbeatSeconds: Int = 5, preload: [String: String]? = nil) async throws {
        let log = kiosk.directory.appendingPathComponent("central.log")
        let process = try await Self.launch(
            builtProduct("kiosk-central"),
            ["serve", "--state", centralState.path, "--listen", "127.0.0.1:\(centralPort)", "--heartbeat-seconds", "\(heartbeatSeconds)"], log: log,
            preload: preload)
        central = process
        try await process.waitUntilReady(port: centralPort, path: "/v1/health")
    }

    /// Launches a daemon; with `preload`, through `/bin/sh -c exec`: a Swift program that
    /// Foundation's Process starts directly under libfaketime 0.9.10 loses its arguments
    /// (measured: kioskd then reads ./kiosk.conf), one started through a shell keeps them.
    static func launch(_ binary: URL, _ arguments: [String], log: URL, preload: [String: String]?) async throws -> DaemonProcess {
        guard let preload else { return try await DaemonProcess.launch(binary, arguments, log: log) }
        return try await DaemonProcess.launch(
            URL(fileURLWithPath: "/bin/sh"), ["-c", #"exec "$0" "$@""#, binary.path] + arguments, log: log, environment: preload)
    }

    /// Runs `kiosk-central` with `arguments` on this central's state; its standard output.
    func centralTool(_ arguments: [String]) async throws -> String {
        let result = try await runProgram(builtProduct("kiosk-central"), arguments + ["--state", centralState.path])
        try #require(result.status == 0, "kiosk-central \(arguments): \(result.errors)")
        return result.output.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    func token(kiosk: String? = "KIOSK-DEMO-01") async throws -> String {
        try await centralTool(["token", "--unit", Self.unit] + (kiosk.map { ["--kiosk", $0] } ?? []))
    }

    /// `pageDelayMs`: the simulated scanner's time per page; `emulatedCardReader`: the CCID
    /// driver on the emulated reader instead of the simulated card reader.
    func writeKioskConfig(
        heartbeatSeconds: Int = 5, chunkKB: Int = 1024, timeoutSeconds: Int = 30, pageDelayMs: Int = 5, emulatedCardReader: Bool = false
    ) throws {
        let cardReader =
            emulatedCardReader
            ? "driver = \"ccid\"\nreader = \"virtual\"\ncsca_directory = \"\(TestKiosk.repoRoot.path)/csca\"" : "driver = \"simulated\""
        try """
        [api]
        listen = "127.0.0.1:\(kioskPort)"
        [store]
        path = "state/kiosk.sqlite"
        [catalog]
        directory = "\(TestKiosk.repoRoot.appendingPathComponent("catalog").path)"
        [central]
        heartbeat_seconds = \(heartbeatSeconds)
        chunk_kb = \(chunkKB)
        timeout_seconds = \(timeoutSeconds)
        [devices.scanner]
        driver = "simulated"
        page_delay_ms = \(pageDelayMs)
        [devices.card_reader]
        \(cardReader)
        [devices.printer]
        driver = "simulated"
        output_directory = "printed"
        """.write(to: kioskConfig, atomically: true, encoding: .utf8)
    }

    /// Starts kioskd; with `preload` (a library for LD_PRELOAD, e.g. libfaketime, and its
    /// settings) too.
    func startKiosk(preload: [String: String]? = nil) async throws {
        if !FileManager.default.fileExists(atPath: kioskConfig.path) { try writeKioskConfig() }
        let log = kiosk.directory.appendingPathComponent("kioskd.log")
        let process = try await Self.launch(TestKiosk.kioskdBinary, ["--config", kioskConfig.path], log: log, preload: preload)
        kioskd = process
        try await process.waitUntilReady(port: kioskPort)
    }

    /// Enrols the running kioskd with a fresh token (through `port`, a proxy's, if given).
    func enrol(through port: Int? = nil) async throws {
        let token = try await token()
        let url = port.map { "http://127.0.0.1:\($0)" } ?? centralURL
        let (status, report) = try await technician.call("POST", "link/enrolment", #"{"central":"\#(url)","token":"\#(token)"}"#)
        try #require(status == 200, "\(report)")
    }

    /// Files a certified copy with one scanned page and submits it; its client UUID.
    func fileDossier() async throws -> UUID {
        let (_, start) = try await api.call("POST", "sessions")
        let id = try #require(start["id"] as? String)
        for body in FlowScripts.certifiedCopyToDocuments {
            let (status, answer) = try await api.event(id, body)
            try #require(status == 200, "\(body): \(answer)")
        }
        _ = try await api.event(id, #"{"type":"scan","documentId":"original"}"#)
        _ = try #require(try await api.waitFor(id, seconds: 60) { $0["pending"] == nil })
        for body in [
            #"{"type":"next"}"#, #"{"type":"skip_document","documentId":"copy"}"#, #"{"type":"next"}"#, #"{"type":"next"}"#,
            #"{"type":"choose_delivery","option":"counter"}"#, #"{"type":"next"}"#, #"{"type":"submit"}"#,
        ] {
            let (status, answer) = try await api.event(id, body)
            try #require(status == 200, "\(body): \(answer)")
        }
        let (_, screen) = try await api.call("GET", "sessions/\(id)")
        return try #require(UUID(uuidString: (screen["dossier"] as? [String: Any])?["clientUUID"] as? String ?? ""))
    }

    /// The kiosk's outbox rows by dossier.
    func outbox() async throws -> [String: [String: Any]] {
        let (_, answer) = try await technician.call("GET", "outbox", timeout: 10)
        let rows = answer["array"] as? [[String: Any]] ?? []
        return Dictionary(rows.map { ($0["dossier"] as? String ?? "", $0) }, uniquingKeysWith: { $1 })
    }

    /// Waits until every one of `dossiers` is delivered (their central codes), or `seconds` pass.
    func waitDelivered(_ dossiers: [UUID], seconds: Double = 60) async throws -> [UUID: String] {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if let rows = try? await outbox() {
                let codes = dossiers.compactMap { id in (rows[id.uuidString]?["centralCode"] as? String).map { (id, $0) } }
                if codes.count == dossiers.count, dossiers.allSatisfy({ rows[$0.uuidString]?["state"] as? String == "delivered" }) {
                    return Dictionary(uniqueKeysWithValues: codes)
                }
            }
            try await Task.sleep(for: .milliseconds(100))
        }
        Issue.record("not delivered within \(Int(seconds)) s: \(String(describing: try? await outbox()))\nkioskd:\n\(kioskd?.logTail() ?? "")")
        return [:]
    }

    func fleet() async throws -> [String: Any] {
        let text = try await centralTool(["fleet", "--json", "--heartbeat-seconds", "5"])
        return try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    func receivedDossiers() async throws -> [[String: Any]] {
        let text = try await centralTool(["dossiers", "--json"])
        return try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [[String: Any]])
    }

    /// Checks that the central holds each of `dossiers` once, under `codes`, with the bytes
    /// the kiosk sealed; and nothing else.
    func expectCentralHoldsExactly(_ codes: [UUID: String]) async throws {
        let received = try await receivedDossiers()
        #expect(received.count == codes.count, "the central holds \(received.count) dossiers, not \(codes.count)")
        #expect(Set(received.compactMap { $0["centralCode"] as? String }) == Set(codes.values))
        let store = try KioskStore(path: storePath)
        for entry in received {
            let id = try #require(UUID(uuidString: entry["clientUUID"] as? String ?? ""))
            #expect(codes[id] == entry["centralCode"] as? String)
            let pdfs = try await store.read { t in try t.documentFiles(id).map { try t.documentPDF(id, document: $0.documentId)! } }
            let files = (entry["files"] as? [[String: Any]]) ?? []
            #expect(pdfs.count == files.count && !files.isEmpty)
            for (pdf, file) in zip(pdfs, files) {
                let sha = try #require(file["sha256"] as? String)
                let stored = try Data(contentsOf: centralState.appendingPathComponent("files/sha256/\(sha.prefix(2))/\(sha)"))
                #expect(stored == pdf && SHA256Hasher.hex(stored) == sha, "byte-identical at both ends")
            }
        }
    }

    func stop() async {
        if let kioskd { await kioskd.stop() }
        if let central { await central.stop() }
    }

    /// The central's store, read beside the running kiosk-central.
    func centralStore() throws -> CentralStore { try CentralStore(path: centralState.appendingPathComponent("central.sqlite").path) }

    /// Waits until `count` commands have a result; all commands, newest first.
    func waitForResults(count: Int, seconds: Double = 45) async throws -> [CommandRecord] {
        let store = try centralStore()
        let deadline = Date().addingTimeInterval(seconds)
        var commands: [CommandRecord] = []
        while Date() < deadline {
            commands = try await store.commands()
            if commands.filter({ $0.outcome != nil }).count >= count { return commands }
            try await Task.sleep(for: .milliseconds(200))
        }
        Issue.record("only \(commands.filter { $0.outcome != nil }.count) of \(count) results: \(commands)")
        return commands
    }

    func cleanUp() async {
        await stop()
        kiosk.cleanUp()
    }
}
