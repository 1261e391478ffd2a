import Foundation
import Hummingbird
import HummingbirdTesting
import KioskTestSupport
import Logging
import KioskAPI
import Testing

@testable import KioskDaemon

/// The technician's channel: its routes answer on the Unix socket and are refused on the
/// applicant's TCP port.
@Suite struct TechnicianChannelTests {
    /// Every technician route, with a body it accepts the shape of.
    static let routes: [(method: String, path: String, body: String?)] = [
        ("GET", "status", nil),
        ("POST", "devices/scanner/fault", #"{"fault":"none"}"#),
        ("POST", "dossiers/\(UUID())/print", #"{"kind":"receipt"}"#),
        ("POST", "queues/ho-tich/call", nil),
        ("GET", "link", nil),
        ("POST", "link/enrolment", #"{"central":"http://192.0.2.1:9","token":"x"}"#),
        ("GET", "outbox", nil),
        ("POST", "outbox/\(UUID())/retry", "{}"),
        ("GET", "sessions", nil),
        ("POST", "sessions/\(UUID())/abandon", "{}"),
        ("GET", "logs", nil),
        ("GET", "maintenance", nil),
        ("PUT", "maintenance", #"{"on":false}"#),
        ("POST", "selftests", #"{"device":"printer","level":"internal"}"#),
        ("GET", "diagnostics", nil),
    ]

    @Test func technicianRoutesAreRefusedOnTheApplicantPortAndServedOnTheSocket() async throws {
        let kiosk = try TestKiosk()
        defer { kiosk.cleanUp() }
        let app = try await buildApplication(config: kiosk.config, logger: Logger(label: "test"))
        try await app.test(.live) { client in
            let applicant = LiveClient(port: try #require(client.port))
            let technician = TechnicianClient(kiosk.config)
            try await technician.call("GET", "health")
            for route in Self.routes {
                let (refused, refusal) = try await applicant.call(route.method, route.path, route.body)
                #expect(refused == 403 && refusal["code"] as? String == "request.technician_only", "\(route.method) \(route.path): \(refusal)")
                let message = refusal["message"] as? [String: String]
                #expect(message?["vi"]?.isEmpty == false && message?["en"]?.contains("kioskctl") == true)

                let (status, answer) = try await technician.call(route.method, route.path, route.body)
                let code = answer["code"] as? String
                #expect(
                    status != 403 && code != "route.not_found" && code != "request.technician_only",
                    "\(route.method) \(route.path): \(status) \(answer)")
                #expect(status < 500, "\(route.method) \(route.path): \(status) \(answer)")
            }
            // Every session's events at once: refused on the TCP port, a stream on the socket
            // (it opens with every device's status; read until the first one, then hang up).
            let (allEvents, _) = try await applicant.call("GET", "events")
            #expect(allEvents == 403)
            var streamed = (status: 0, text: "")
            struct Enough: Error {}
            do {
                try await UnixSocketHTTP(socketPath: kiosk.config.technician.socket.path).stream(
                    "GET", "/api/v1/events", head: { streamed.status = $0 },
                    chunk: { data in
                        streamed.text += String(decoding: data, as: UTF8.self)
                        if streamed.text.contains("event: device") { throw Enough() }
                    })
            } catch let failure as UnixSocketHTTP.Failure {
                // The hang-up above ends the exchange; nothing else may.
                guard case .exchange(let why) = failure, why.contains("Enough") else { throw failure }
            }
            #expect(streamed.status == 200 && streamed.text.contains("event: device"), "\(streamed)")

            // The applicant's routes stay open on the TCP port.
            let (health, _) = try await applicant.call("GET", "health")
            let (devices, _) = try await applicant.call("GET", "devices")
            #expect(health == 200 && devices == 200)

            // The socket: mode 0660 (the technicians' group may use it, nobody else).
            let attributes = try FileManager.default.attributesOfItem(atPath: kiosk.config.technician.socket.path)
            #expect((attributes[.posixPermissions] as? Int) == 0o660)
            #expect(attributes[.type] as? FileAttributeType == .typeSocket)
        }
        #expect(!FileManager.default.fileExists(atPath: kiosk.config.technician.socket.path), "removed when kioskd stops")
    }

    @Test func aGroupThatDoesNotExistIsAConfigurationError() throws {
        let kiosk = try TestKiosk()
        defer { kiosk.cleanUp() }
        let file = kiosk.directory.appendingPathComponent("kiosk.conf")
        try "[technician]\ngroup = \"no-such-group-\(getpid())\"\n".write(to: file, atomically: true, encoding: .utf8)
        #expect {
            try KioskConfig.load(path: file.path)
        } throws: { error in
            "\(error)".contains("kiosk.conf:2: technician.group: a group that exists")
        }
        let long = String(repeating: "d", count: 120)
        try "[technician]\nsocket = \"/tmp/\(long)/k.sock\"\n".write(to: file, atomically: true, encoding: .utf8)
        #expect {
            try KioskConfig.load(path: file.path)
        } throws: { error in
            "\(error)".contains("technician.socket: a socket path of at most 107 bytes")
        }
    }
}

/// kioskctl's toolbox, the real binary, against a real kioskd process.
@Suite(.serialized) struct KioskctlToolboxTests {
    func kioskctl(_ bed: LinkTestbed, _ arguments: [String]) async throws -> ProgramResult {
        try await runProgram(builtProduct("kioskctl"), arguments + ["--socket", bed.technician.socket, "--timeout", "120"])
    }

    static let personal = ["Nguyễn Thị Thử Nghiệm", "001185012345", "05/09/1985", "1985-09-05", "0912345678"]

    @Test func devicesSessionsMaintenanceLogsSelftestsAndDiagnostics() async throws {
        let bed = try LinkTestbed()
        // A scanner slow enough (1.5 s a page) that the external self-test shows its progress line.
        try bed.writeKioskConfig(pageDelayMs: 1500)
        try await bed.startKiosk()
        var follower: DaemonProcess?
        do {
            try await bed.technician.call("GET", "health")
            // devices
            let devices = try await kioskctl(bed, ["devices", "--json"])
            #expect(devices.status == 0, "\(devices.errors)")
            let list = try #require(try JSONSerialization.jsonObject(with: devices.stdout) as? [[String: Any]])
            #expect(Set(list.compactMap { $0["id"] as? String }) == ["scanner", "printer", "card_reader"])
            let table = try await kioskctl(bed, ["devices"])
            #expect(table.output.contains("card_reader") && table.output.contains("online") && table.output.contains("ago"), "\(table.output)")

            // sessions: an applicant identified by name and number; the list shows neither.
            let (_, start) = try await bed.api.call("POST", "sessions")
            let id = try #require(start["id"] as? String)
            for body in FlowScripts.certifiedCopyToDocuments { _ = try await bed.api.event(id, body) }
            let sessions = try await kioskctl(bed, ["sessions", "--json"])
            let open = try #require(try JSONSerialization.jsonObject(with: sessions.stdout) as? [[String: Any]])
            #expect(
                open.count == 1 && open.first?["procedure"] as? String == "SAMPLE-CT-001" && open.first?["step"] as? String == "documents", "\(open)")
            let text = try await kioskctl(bed, ["sessions"])
            #expect(text.output.contains(id.lowercased()) && text.output.contains("documents"), "\(text.output)")
            for value in Self.personal { #expect(!sessions.output.contains(value) && !text.output.contains(value), "\(value)") }

            // logs --follow, started before the events it is to show.
            let followLog = bed.kiosk.directory.appendingPathComponent("follow.log")
            follower = try await DaemonProcess.launch(
                builtProduct("kioskctl"), ["logs", "--follow", "--lines", "0", "--socket", bed.technician.socket], log: followLog)
            try await Task.sleep(for: .milliseconds(500))

            // maintenance: no new session while on; the one filing may go on.
            let on = try await kioskctl(bed, ["maintenance", "on"])
            #expect(on.status == 0 && on.output.contains("maintenance on (1 applicant(s) still filing)"), "\(on.output) \(on.errors)")
            let (refused, refusal) = try await bed.api.call("POST", "sessions")
            #expect(refused == 503 && refusal["code"] as? String == "kiosk.out_of_service")
            let state = try await kioskctl(bed, ["maintenance", "--json"])
            #expect((try JSON.object(state.stdout))["on"] as? Bool == true)

            // abandon the open session.
            let abandoned = try await kioskctl(bed, ["sessions", "abandon", id])
            #expect(abandoned.status == 0 && abandoned.output.contains("it was at documents"), "\(abandoned.output) \(abandoned.errors)")
            let (_, screen) = try await bed.api.call("GET", "sessions/\(id)")
            #expect(screen["status"] as? String == "abandoned")
            #expect((try await kioskctl(bed, ["sessions"])).output.contains("no open sessions"))
            let again = try await kioskctl(bed, ["sessions", "abandon", id])
            #expect(again.status == 1 && again.errors.contains("session.not_found"), "\(again.errors)")

            #expect((try await kioskctl(bed, ["maintenance", "off"])).output.contains("maintenance off (no applicant filing)"))

            // logs: the recent lines, and the follower saw the new ones as they came.
            let logs = try await kioskctl(bed, ["logs", "-n", "50"])
            #expect(
                logs.status == 0 && logs.output.contains("maintenance mode on") && logs.output.contains("session ended by a technician"),
                "\(logs.output)")
            let deadline = Date().addingTimeInterval(30)
            var followed = ""
            while Date() < deadline {
                followed = (try? String(contentsOf: followLog, encoding: .utf8)) ?? ""
                if followed.contains("maintenance mode off") { break }
                try await Task.sleep(for: .milliseconds(100))
            }
            #expect(followed.contains("maintenance mode on") && followed.contains("maintenance mode off"), "\(followed)")
            #expect(follower?.process.isRunning == true, "--follow keeps following")
            for value in Self.personal { #expect(!logs.output.contains(value) && !followed.contains(value), "\(value)") }

            // selftest all: internal, then external (prints and scans), then a broken printer.
            let internalTest = try await kioskctl(bed, ["selftest", "all", "--level", "internal"])
            #expect(internalTest.status == 0 && internalTest.output.contains("all 3 devices passed"), "\(internalTest.output) \(internalTest.errors)")
            let external = try await kioskctl(bed, ["selftest", "all", "--level", "external", "--json"])
            #expect(external.status == 0, "\(external.output) \(external.errors)")
            let results = try #require(try JSONSerialization.jsonObject(with: external.stdout) as? [[String: Any]])
            let checks = results.flatMap { ($0["checks"] as? [[String: Any]]) ?? [] }.compactMap { $0["name"] as? String }
            #expect(results.count == 3 && checks.contains("test_page") && checks.contains("scan_a4"), "\(results)")
            // Past a second, a progress line on stderr (one line, as stderr is not a terminal).
            #expect(external.errors.contains("kioskctl: testing scanner (external)…"), "\(external.errors)")
            try await bed.technician.call("POST", "devices/printer/fault", #"{"fault":"paper_out"}"#)
            let broken = try await kioskctl(bed, ["selftest", "all"])
            #expect(
                broken.status == 2 && broken.output.contains("FAIL  printer") && broken.output.contains("1 of 3 devices failed"), "\(broken.output)")

            // diagnostics: a file for its owner only, with settings and status, no personal data.
            let bundle = bed.kiosk.directory.appendingPathComponent("diag.json")
            let diagnostics = try await kioskctl(bed, ["diagnostics", "-o", bundle.path])
            #expect(diagnostics.status == 0 && diagnostics.output.contains("wrote \(bundle.path)"), "\(diagnostics.output) \(diagnostics.errors)")
            let attributes = try FileManager.default.attributesOfItem(atPath: bundle.path)
            #expect(attributes[.posixPermissions] as? Int == 0o600)
            let data = try Data(contentsOf: bundle)
            let report = try JSON.object(data)
            let settings = try #require(report["settings"] as? [[String: Any]])
            #expect(settings.contains { $0["key"] as? String == "technician.socket" })
            #expect((report["status"] as? [String: Any])?["kioskId"] as? String == "KIOSK-DEMO-01")
            #expect((report["recentLog"] as? [String])?.isEmpty == false)
            let bundleText = String(decoding: data, as: UTF8.self)
            for value in Self.personal { #expect(!bundleText.contains(value), "\(value) in the diagnostics bundle") }
        } catch {
            Issue.record("\(error)\nkioskd:\n\(bed.kioskd?.logTail() ?? "")")
        }
        _ = await follower?.stop(grace: 2)
        await bed.cleanUp()
    }

    /// The interactive level: kioskctl asks for a sheet, judges the printed page with the
    /// technician, and waits for a card on the (emulated CCID) reader.
    @Test func interactiveSelftestAsksForTheTechniciansHands() async throws {
        let bed = try LinkTestbed()
        try bed.writeKioskConfig(emulatedCardReader: true)
        try await bed.startKiosk()
        do {
            try await bed.technician.call("POST", "devices/card_reader/fault", #"{"fault":"card_removed"}"#)
            // The technician's answers: Enter (a sheet is on the glass), "y" (the page is good),
            // Enter (a card is on the reader — placed a moment later, below).
            let run = Task {
                try await runProgram(
                    builtProduct("kioskctl"), ["selftest", "all", "--level", "interactive", "--json", "--socket", bed.technician.socket],
                    input: Data("\ny\n\n".utf8))
            }
            try await Task.sleep(for: .seconds(2))
            try await bed.technician.call("POST", "devices/card_reader/fault", #"{"fault":"card_placed"}"#)
            let result = try await run.value
            #expect(result.status == 0, "\(result.output) \(result.errors)")
            #expect(
                result.errors.contains("Place an ID card on the reader") && result.errors.contains("Did a clean, legible test page"),
                "\(result.errors)")
            let results = try #require(try JSONSerialization.jsonObject(with: result.stdout) as? [[String: Any]])
            let checks = results.flatMap { ($0["checks"] as? [[String: Any]]) ?? [] }
            #expect(checks.contains { $0["name"] as? String == "card_placed" && $0["passed"] as? Bool == true }, "\(checks)")
            #expect(checks.contains { $0["name"] as? String == "page_judged" && $0["passed"] as? Bool == true }, "\(checks)")
        } catch {
            Issue.record("\(error)\nkioskd:\n\(bed.kioskd?.logTail() ?? "")")
        }
        await bed.cleanUp()
    }

    @Test func configCheckReportsEachProblemWithItsPlace() async throws {
        let kioskctl = builtProduct("kioskctl")
        let demo = try await runProgram(kioskctl, ["config", "check", "--config", TestKiosk.repoRoot.appendingPathComponent("kiosk.conf").path])
        #expect(
            demo.status == 0 && demo.output.contains("catalog: 3 procedures") && demo.output.contains("no problems"), "\(demo.output) \(demo.errors)")

        let kiosk = try TestKiosk()
        defer { kiosk.cleanUp() }
        let file = kiosk.directory.appendingPathComponent("kiosk.conf")
        try "[kiosk]\nid = \"K1\"\n\n[session]\nidle_timeout_seconds = 5\n".write(to: file, atomically: true, encoding: .utf8)
        let bad = try await runProgram(kioskctl, ["config", "check", "--config", file.path, "--json"])
        #expect(bad.status == 78, "\(bad.output) \(bad.errors)")
        let report = try JSON.object(bad.stdout)
        let problem = try #require((report["problems"] as? [[String: Any]])?.first)
        #expect(problem["line"] as? Int == 5 && problem["key"] as? String == "session.idle_timeout_seconds", "\(problem)")
        #expect((problem["message"] as? String)?.contains("30") == true, "\(problem)")
    }
}
