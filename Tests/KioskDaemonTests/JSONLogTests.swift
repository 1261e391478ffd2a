import Foundation
import KioskTestSupport
import Testing

/// `kioskd --log-format json`: every line a JSON object a collector can parse, with the time,
/// the level, the message and each field under its own name — and no personal data.
@Suite struct JSONLogTests {
    @Test func everyLineIsAnObjectWithItsFields() async throws {
        let kiosk = try TestKiosk()
        defer { kiosk.cleanUp() }
        let port = try freeLoopbackPort()
        let config = try CrashRecoveryTests().writeConfig(
            kiosk, port: port, scannerPageDelayMs: 5, printer: "driver = \"simulated\"\noutput_directory = \"printed\"")
        let log = kiosk.directory.appendingPathComponent("kioskd.log")
        let daemon = try await DaemonProcess.launch(TestKiosk.kioskdBinary, ["--config", config.path, "--log-format", "json"], log: log)
        defer { daemon.kill() }
        try await daemon.waitUntilReady(port: port)
        let api = LiveClient(port: port)
        let (_, started) = try await api.call("POST", "sessions", #"{"language":"vi"}"#)
        let session = try #require(started["id"] as? String)
        _ = try await api.event(session, #"{"type":"choose_procedure","code":"SAMPLE-CT-001"}"#)
        _ = try await api.event(
            session, #"{"type":"identify_typed","idNumber":"001185012345","fullName":"Nguyễn Thị Thử Nghiệm","dateOfBirth":"05/09/1985"}"#)
        let ended = await daemon.stop(grace: 15)
        #expect(ended.status == 0)

        let text = try String(contentsOf: log, encoding: .utf8)
        let lines = text.split(separator: "\n").filter { !$0.isEmpty }
        #expect(lines.count > 5)
        var objects: [[String: String]] = []
        for line in lines {
            let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: String]
            #expect(object != nil, "not a JSON object: \(line)")
            if let object { objects.append(object) }
        }
        #expect(objects.allSatisfy { $0["time"]?.hasSuffix("Z") == true && $0["level"] != nil && $0["message"] != nil })
        let ready = objects.first { $0["message"] == "kioskd ready" }
        #expect(ready?["kiosk.listen"]?.contains("\(port)") == true, "\(ready ?? [:])")
        #expect(objects.contains { $0["message"] == "session started" && $0["kiosk.session"] == session })
        for secret in ["001185012345", "Nguyễn", "Nguy\\u1ec5n", "05/09/1985"] {
            #expect(!text.contains(secret), "personal data in the log: \(secret)")
        }
    }
}
