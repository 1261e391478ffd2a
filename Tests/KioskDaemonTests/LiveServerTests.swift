import Foundation
import KioskTestSupport
import Hummingbird
import HummingbirdTesting
import Logging
import Testing

@testable import KioskDaemon

/// One test against the server on a real socket: the live event stream.
@Suite struct LiveServerTests {
    @Test func eventStreamReportsDevicesAndSessionSteps() async throws {
        let kiosk = try TestKiosk()
        defer { kiosk.cleanUp() }
        let app = try await buildApplication(config: kiosk.config, logger: Logger(label: "test"))
        try await app.test(.live) { client in
            let port = try #require(client.port)
            let api = LiveClient(port: port)
            let (_, start) = try await api.call("POST", "sessions")
            let id = try #require(start["id"] as? String)
            let stream = try SSEReader(port: port, path: "/api/v1/events?session=\(id)")
            let opening = await stream.next("device") { $0["id"] as? String == "card_reader" }
            #expect(opening != nil, "opens with every device's status")

            _ = try await api.event(id, #"{"type":"choose_procedure","code":"SAMPLE-HT-001"}"#)
            let identify = await stream.next("session") { $0["step"] as? String == "identify" }
            #expect(identify?["sessionId"] as? String == id)
            _ = try await api.event(id, #"{"type":"read_id_card"}"#)
            let pending = await stream.next("session") { ($0["pending"] as? [String: Any])?["type"] as? String == "read_id_card" }
            #expect(pending != nil)
            let done = await stream.next("session") { $0["pending"] == nil }
            #expect(done?["step"] as? String == "identify")
            #expect(done?.keys.contains("identity") == false, "live events carry no personal data")

            // A technician unplugs the (simulated) scanner, through the technician socket.
            try await TechnicianClient(kiosk.config).call("POST", "devices/scanner/fault", #"{"fault":"unplugged"}"#)
            let unplugged = await stream.next("device") { $0["id"] as? String == "scanner" && $0["state"] as? String == "no_device" }
            #expect((unplugged?["lastError"] as? [String: Any])?["actor"] as? String == "technician")
        }
    }
}

/// kioskctl, the real binary, against a live kioskd.
@Suite struct KioskctlAgainstLiveDaemonTests {
    @Test func statusJSONReportsDevicesSessionsAndOutbox() async throws {
        var kiosk = try TestKiosk()
        kiosk.config.printer.fault = .paperOut
        defer { kiosk.cleanUp() }
        let app = try await buildApplication(config: kiosk.config, logger: Logger(label: "test"))
        let socket = kiosk.config.technician.socket.path
        try await app.test(.live) { client in
            let port = try #require(client.port)
            _ = try await LiveClient(port: port).call("POST", "sessions")
            try await TechnicianClient(socket: socket).call("GET", "health")
            let result = try await runProgram(
                TestKiosk.kioskdBinary.deletingLastPathComponent().appendingPathComponent("kioskctl"),
                // A generous wait: this daemon shares the test process with CPU-heavy suites.
                ["status", "--json", "--socket", socket, "--timeout", "60"])
            #expect(result.status == 2, "a printer out of paper needs attention")
            let report = try JSON.object(result.stdout)
            #expect(report["openSessions"] as? Int == 1 && report["outboxDepth"] as? Int == 0)
            let devices = try #require(report["devices"] as? [[String: Any]])
            #expect(devices.count == 3)
            #expect(devices.first { $0["id"] as? String == "printer" }?["media"] as? String == "paper_out")
            #expect((report["store"] as? [String: Any])?["journalMode"] as? String == "wal")
        }
    }
}
