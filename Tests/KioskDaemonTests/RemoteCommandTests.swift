import CentralProtocol
import CentralServer
import Foundation
import KioskTestSupport
import Testing

@testable import KioskDaemon

/// The central's commands: what the kiosk refuses and why, and what it does, end to end.
@Suite(.serialized) struct RemoteCommandTests {
    static let central = try! SigningKey.generate()

    func signed(kiosk: String = "K1", id: Int64 = 5, age: Double = 3, key: SigningKey = central) throws -> SignedCommand {
        try SignedCommand(RemoteCommand(kioskId: kiosk, id: id, kind: .testPrint, arguments: [:], issuedAt: Date(), ageSeconds: age), key: key)
    }

    func verdict(_ command: SignedCommand, lastHandled: Int64 = 4, heldFor: Duration = .zero) -> String {
        switch CommandRunner.check(command, centralKey: Self.central.publicKey, kioskId: "K1", lastHandled: lastHandled, heldFor: heldFor) {
        case .success: "accepted"
        case .failure(let refusal): refusal.reason
        }
    }

    @Test func forgedMisaddressedReplayedAndExpiredCommandsAreRefusedSayingWhy() throws {
        #expect(verdict(try signed()) == "accepted")
        #expect(verdict(try signed(key: try SigningKey.generate())).hasPrefix("forged"))
        #expect(verdict(try signed(kiosk: "K2")).hasPrefix("misaddressed"))
        #expect(verdict(try signed(id: 4)).hasPrefix("replayed"))
        #expect(verdict(try signed(age: 601)).hasPrefix("expired"))
        // Age counts on the kiosk's monotonic clock from arrival, whatever its wall clock says.
        #expect(verdict(try signed(age: 500), heldFor: .seconds(101)).hasPrefix("expired"))
        #expect(verdict(try signed(age: 500), heldFor: .seconds(99)) == "accepted")
        #expect(verdict(try signed(age: -5)).hasPrefix("malformed"), "a negative age is not believed")
        // A payload changed after signing.
        var tampered = try signed()
        tampered.payload = try CentralCoding.encoder().encode(
            RemoteCommand(kioskId: "K1", id: 99, kind: .restart, arguments: [:], issuedAt: Date(), ageSeconds: 1))
        #expect(verdict(tampered).hasPrefix("forged"))
    }

    @Test func maintenanceBlocksNewSessionsLetsTheCurrentOneFinishAndExpiredCommandsAreRefused() async throws {
        let bed = try LinkTestbed()
        try await bed.startCentral(heartbeatSeconds: 5)
        try bed.writeKioskConfig(heartbeatSeconds: 5)
        try await bed.startKiosk()
        do {
            try await bed.enrol()
            // An applicant is filing.
            let (_, start) = try await bed.api.call("POST", "sessions")
            let id = try #require(start["id"] as? String)
            for body in FlowScripts.certifiedCopyToDocuments { _ = try await bed.api.event(id, body) }

            let maintenance = try await bed.centralTool(["command", "KIOSK-DEMO-01", "maintenance.on"])
            // One issued eleven minutes ago: expired when it arrives.
            let store = try bed.centralStore()
            let stale = try await store.issue(.testPrint, arguments: [:], to: "KIOSK-DEMO-01", now: Date().addingTimeInterval(-660))
            let results = try await bed.waitForResults(count: 2)
            #expect(results.first { $0.id == Int64(maintenance) }?.outcome == "done", "\(results)")
            let expired = results.first { $0.id == stale }
            #expect(expired?.outcome == "refused" && expired?.detail?.hasPrefix("expired") == true, "\(results)")

            let (refused, body) = try await bed.api.call("POST", "sessions")
            #expect(refused == 503 && body["code"] as? String == "kiosk.out_of_service", "\(body)")
            #expect(((body["message"] as? [String: Any])?["vi"] as? String)?.contains("bảo trì") == true)
            // The applicant already filing finishes.
            _ = try await bed.api.event(id, #"{"type":"scan","documentId":"original"}"#)
            _ = try #require(try await bed.api.waitFor(id, seconds: 60) { $0["pending"] == nil })
            for body in [
                #"{"type":"next"}"#, #"{"type":"skip_document","documentId":"copy"}"#, #"{"type":"next"}"#, #"{"type":"next"}"#,
                #"{"type":"choose_delivery","option":"counter"}"#, #"{"type":"next"}"#,
            ] { _ = try await bed.api.event(id, body) }
            let (submitted, screen) = try await bed.api.event(id, #"{"type":"submit"}"#)
            #expect(submitted == 200 && screen["status"] as? String == "submitted", "\(screen)")

            // The fleet shows it; maintenance survives a restart; off again, sessions start.
            let fleet = try #require((try await bed.fleet()["kiosks"] as? [[String: Any]])?.first)
            #expect(fleet["maintenance"] as? Bool == true, "\(fleet)")
            await bed.kioskd?.stop()
            try await bed.startKiosk()
            #expect(try await bed.api.call("POST", "sessions").0 == 503)
            let off = try await bed.centralTool(["command", "KIOSK-DEMO-01", "maintenance.off"])
            _ = try await bed.waitForResults(count: 3)
            #expect(try await store.commands().first { $0.id == Int64(off) }?.outcome == "done")
            #expect(try await bed.api.call("POST", "sessions").0 == 201)
        } catch {
            Issue.record("\(error)\nkioskd:\n\(bed.kioskd?.logTail() ?? "")\ncentral:\n\(bed.central?.logTail() ?? "")")
        }
        await bed.cleanUp()
    }

    /// devices.selftest: internal probes; external also prints a test page and scans one A4
    /// page, and waits for no applicant to be filing.
    @Test func selfTestsInternalAndExternal() async throws {
        let bed = try LinkTestbed()
        try await bed.startCentral(heartbeatSeconds: 5)
        try await bed.startKiosk()
        do {
            try await bed.enrol()
            _ = try await bed.centralTool(["command", "KIOSK-DEMO-01", "devices.selftest"])
            let probed = try #require(try await bed.waitForResults(count: 1).first)
            #expect(probed.outcome == "done", "\(probed)")
            #expect(probed.detail?.hasPrefix("internal self-test: scanner: state ok (online") == true, "\(probed)")
            for device in ["printer", "card_reader"] { #expect(probed.detail?.contains("\(device): state ok (online") == true, "\(probed)") }

            _ = try await bed.centralTool(["command", "KIOSK-DEMO-01", "devices.selftest", "--arg", "level=external"])
            let external = try #require(try await bed.waitForResults(count: 2).first)
            #expect(external.outcome == "done", "\(external)")
            #expect(
                external.detail?.contains("test_page ok (printed") == true && external.detail?.contains("scan_a4 ok (one A4 page") == true,
                "\(external)")

            // Not while an applicant is filing.
            _ = try await bed.api.call("POST", "sessions")
            _ = try await bed.centralTool(["command", "KIOSK-DEMO-01", "devices.selftest", "--arg", "level=external"])
            let busy = try #require(try await bed.waitForResults(count: 3).first)
            #expect(busy.outcome == "failed" && busy.detail?.contains("an applicant is filing") == true, "\(busy)")
        } catch {
            Issue.record("\(error)\nkioskd:\n\(bed.kioskd?.logTail() ?? "")\ncentral:\n\(bed.central?.logTail() ?? "")")
        }
        await bed.cleanUp()
    }

    @Test func aTestPrintAndARestartRunAndReportBack() async throws {
        let bed = try LinkTestbed()
        try await bed.startCentral(heartbeatSeconds: 5)
        try await bed.startKiosk()
        do {
            try await bed.enrol()
            _ = try await bed.centralTool(["command", "KIOSK-DEMO-01", "printer.test"])
            let printed = try await bed.waitForResults(count: 1)
            #expect(printed.first?.outcome == "done" && printed.first?.detail?.contains("test page printed") == true, "\(printed)")
            let pages = try FileManager.default.contentsOfDirectory(atPath: bed.kiosk.directory.appendingPathComponent("printed").path)
            #expect(pages.contains { $0.hasSuffix(".txt") }, "\(pages)")

            _ = try await bed.centralTool(["command", "KIOSK-DEMO-01", "kioskd.restart"])
            let restarted = try await bed.waitForResults(count: 2)
            #expect(restarted.first { $0.kind == "kioskd.restart" }?.outcome == "done")
            // It reported, then shut down cleanly, for its service manager to start it again.
            let deadline = Date().addingTimeInterval(30)
            while bed.kioskd?.process.isRunning == true, Date() < deadline { try await Task.sleep(for: .milliseconds(100)) }
            #expect(bed.kioskd?.process.isRunning == false)
            let ended = await bed.kioskd!.stop()
            #expect(ended.status == 0)
        } catch {
            Issue.record("\(error)\nkioskd:\n\(bed.kioskd?.logTail() ?? "")\ncentral:\n\(bed.central?.logTail() ?? "")")
        }
        await bed.cleanUp()
    }
}
