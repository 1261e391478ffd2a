import CentralProtocol
import CentralServer
@testable import KioskDaemon
import Foundation
import KioskTestSupport
import Testing

/// The central's `catalog.update` and `diagnostics.upload` commands, with a real kioskd and a
/// real kiosk-central.
@Suite(.serialized) struct CatalogUpdateTests {
    /// The shipped catalog with the certified-copy procedure at `version`, in a directory of
    /// the testbed's; `broken` adds a file the catalog loader rejects.
    func catalogDirectory(_ bed: LinkTestbed, name: String, version: String, broken: Bool = false) throws -> String {
        let directory = bed.kiosk.directory.appendingPathComponent(name)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let shipped = TestKiosk.repoRoot.appendingPathComponent("catalog")
        for file in try FileManager.default.contentsOfDirectory(atPath: shipped.path) where file.hasSuffix(".yaml") {
            var text = try String(contentsOf: shipped.appendingPathComponent(file), encoding: .utf8)
            if file == "chung-thuc-ban-sao.yaml" {
                #expect(text.contains("version: \"2025.07\""))
                text = text.replacingOccurrences(of: "version: \"2025.07\"", with: "version: \"\(version)\"")
            }
            try text.write(to: directory.appendingPathComponent(file), atomically: true, encoding: .utf8)
        }
        if broken {
            try "code: SAMPLE-BROKEN\nname: [unclosed\n".write(to: directory.appendingPathComponent("hong.yaml"), atomically: true, encoding: .utf8)
        }
        return directory.path
    }

    func procedureVersion(_ bed: LinkTestbed) async throws -> String? {
        try await bed.api.call("GET", "procedures/SAMPLE-CT-001").1["version"] as? String
    }

    @Test func aCatalogUpdateSwapsWhileASessionIsMidFormAndThatSessionSealsUnderItsOldVersion() async throws {
        let bed = try LinkTestbed()
        try await bed.startCentral(heartbeatSeconds: 5)
        try await bed.startKiosk()
        do {
            try await bed.enrol()
            #expect(try await procedureVersion(bed) == "2025.07")
            // An applicant is in the middle of the declaration form.
            let (_, start) = try await bed.api.call("POST", "sessions")
            let id = try #require(start["id"] as? String)
            for body in FlowScripts.certifiedCopyToDocuments.prefix(3) {
                let (status, screen) = try await bed.api.event(id, body)
                try #require(status == 200, "\(body): \(screen)")
            }
            #expect(try await bed.api.call("GET", "sessions/\(id)").1["step"] as? String == "form")

            let published = try await bed.centralTool([
                "publish-catalog", "--label", "2026.12", "--kiosk", "KIOSK-DEMO-01", try catalogDirectory(bed, name: "new", version: "2026.12"),
            ])
            let sha256 = try #require(published.split(separator: "\n").first.map(String.init))
            #expect(sha256.count == 64, "\(published)")
            let results = try await bed.waitForResults(count: 1)
            let update = try #require(results.first { $0.kind == "catalog.update" })
            #expect(update.outcome == "done" && update.detail?.contains("2026.12") == true, "\(update)")
            // New sessions see the new version at once …
            #expect(try await procedureVersion(bed) == "2026.12")
            let (_, other) = try await bed.api.call("POST", "sessions")
            let otherId = try #require(other["id"] as? String)
            let (_, chosen) = try await bed.api.event(otherId, FlowScripts.certifiedCopyToDocuments[0])
            #expect((chosen["procedure"] as? [String: Any])?["version"] as? String == "2026.12", "\(chosen)")

            // … and the applicant mid-form finishes under the version she chose.
            for body in FlowScripts.certifiedCopyToDocuments.dropFirst(3) {
                let (status, screen) = try await bed.api.event(id, body)
                try #require(status == 200, "\(body): \(screen)")
            }
            _ = try await bed.api.event(id, #"{"type":"scan","documentId":"original"}"#)
            _ = try #require(try await bed.api.waitFor(id, seconds: 60) { $0["pending"] == nil })
            for body in [
                #"{"type":"next"}"#, #"{"type":"skip_document","documentId":"copy"}"#, #"{"type":"next"}"#, #"{"type":"next"}"#,
                #"{"type":"choose_delivery","option":"counter"}"#, #"{"type":"next"}"#, #"{"type":"submit"}"#,
            ] {
                let (status, screen) = try await bed.api.event(id, body)
                try #require(status == 200, "\(body): \(screen)")
            }
            let (_, sealed) = try await bed.api.call("GET", "sessions/\(id)")
            #expect(sealed["status"] as? String == "submitted", "\(sealed)")
            #expect((sealed["procedure"] as? [String: Any])?["version"] as? String == "2025.07", "\(sealed)")
            let dossier = try #require(UUID(uuidString: (sealed["dossier"] as? [String: Any])?["clientUUID"] as? String ?? ""))
            let codes = try await bed.waitDelivered([dossier])
            // The applicant's last screen has the central's dossier code once it is known.
            let (_, last) = try await bed.api.call("GET", "sessions/\(id)")
            #expect(last["centralCode"] as? String == codes[dossier], "\(last)")
            // The dossier the central received was sealed under 2025.07.
            let manifest = try await runProgram(
                URL(fileURLWithPath: "/usr/bin/sqlite3"),
                [bed.centralState.appendingPathComponent("central.sqlite").path, "SELECT CAST(manifest AS TEXT) FROM dossiers"])
            #expect(manifest.output.contains(#""procedureVersion":"2025.07""#), "\(manifest.output.prefix(300))")

            // A bundle with a file the loader rejects changes nothing, and says which file.
            _ = try await bed.centralTool([
                "publish-catalog", "--label", "2027.01", "--kiosk", "KIOSK-DEMO-01",
                try catalogDirectory(bed, name: "broken", version: "2027.01", broken: true),
            ])
            let refused = try #require(try await bed.waitForResults(count: 2).first)
            #expect(refused.outcome == "failed" && refused.detail?.contains("hong.yaml") == true, "\(refused)")
            #expect(try await procedureVersion(bed) == "2026.12")

            // The update outlives a restart; the configured directory was never written.
            await bed.kioskd?.stop()
            try await bed.startKiosk()
            #expect(try await procedureVersion(bed) == "2026.12")
            let shipped = try String(
                contentsOf: TestKiosk.repoRoot.appendingPathComponent("catalog/chung-thuc-ban-sao.yaml"), encoding: .utf8)
            #expect(shipped.contains("version: \"2025.07\""))
            let (_, status) = try await bed.technician.call("GET", "status")
            #expect(((status["catalog"] as? [String: Any])?["directory"] as? String)?.hasSuffix("catalog-updates/\(sha256)") == true, "\(status)")
        } catch {
            Issue.record("\(error)\nkioskd:\n\(bed.kioskd?.logTail() ?? "")\ncentral:\n\(bed.central?.logTail() ?? "")")
        }
        await bed.cleanUp()
    }

    /// A bundle the command does not name (another hash), or not signed by the pinned central
    /// key, is refused before anything is written.
    @Test func aBundleOtherThanTheOneTheCommandNamesIsRefused() async throws {
        let bed = try LinkTestbed()
        try await bed.startCentral(heartbeatSeconds: 5)
        try await bed.startKiosk()
        do {
            try await bed.enrol()
            let store = try bed.centralStore()
            // Signed by a key that is not the central's, published under its own hash.
            let impostor = try SigningKey.generate()
            let forged = try SignedCatalogBundle(
                CatalogBundle(label: "forged", files: [.init(name: "a.yaml", content: "code: X\n")]), key: impostor)
            let forgedSHA = try await store.publish(forged, label: "forged")
            _ = try await bed.centralTool(["command", "KIOSK-DEMO-01", "catalog.update", "--arg", "bundle=\(forgedSHA)"])
            // A hash no bundle has.
            _ = try await bed.centralTool(["command", "KIOSK-DEMO-01", "catalog.update", "--arg", "bundle=\(String(repeating: "0", count: 64))"])
            let results = try await bed.waitForResults(count: 2)
            let details = results.compactMap(\.detail).joined(separator: "\n")
            #expect(results.allSatisfy { $0.outcome == "failed" }, "\(results)")
            #expect(details.contains("signature does not verify"), "\(details)")
            #expect(details.contains("catalog.unknown_bundle") || details.contains("404"), "\(details)")
            #expect(try await procedureVersion(bed) == "2025.07")
        } catch {
            Issue.record("\(error)\nkioskd:\n\(bed.kioskd?.logTail() ?? "")\ncentral:\n\(bed.central?.logTail() ?? "")")
        }
        await bed.cleanUp()
    }

    /// diagnostics.upload: versions, devices, recent log lines reach the central; the
    /// applicant's name, ID number, birth date and phone do not.
    @Test func aDiagnosticsBundleReachesTheCentralWithoutPersonalData() async throws {
        let bed = try LinkTestbed()
        try await bed.startCentral(heartbeatSeconds: 5)
        try await bed.startKiosk()
        do {
            try await bed.enrol()
            let dossier = try await bed.fileDossier()
            _ = try await bed.waitDelivered([dossier])
            _ = try await bed.centralTool(["command", "KIOSK-DEMO-01", "diagnostics.upload"])
            let result = try #require(try await bed.waitForResults(count: 1).first)
            #expect(result.outcome == "done" && result.detail?.contains("diagnostics uploaded") == true, "\(result)")
            let text = try await bed.centralTool(["diagnostics", "KIOSK-DEMO-01"])
            let bundle = try CentralCoding.decoder().decode(DiagnosticsBundle.self, from: Data(text.utf8))
            #expect(bundle.kioskId == "KIOSK-DEMO-01" && bundle.commandId == result.id)
            #expect(Set(bundle.devices.map(\.id)) == ["scanner", "printer", "card_reader"], "\(bundle.devices)")
            #expect(bundle.recentLog.contains { $0.contains("kioskd ready") }, "\(bundle.recentLog.suffix(5))")
            #expect(bundle.recentLog.contains { $0.contains("dossier delivered") }, "\(bundle.recentLog.suffix(5))")
            for personal in ["001185012345", "Nguyễn", "Thử Nghiệm", "0912345678", "05/09/1985", "1985-09-05"] {
                #expect(!text.contains(personal), "the diagnostics bundle holds \(personal)")
            }
        } catch {
            Issue.record("\(error)\nkioskd:\n\(bed.kioskd?.logTail() ?? "")\ncentral:\n\(bed.central?.logTail() ?? "")")
        }
        await bed.cleanUp()
    }
}

/// The second guard on the lines a diagnostics bundle carries.
struct RecentLogTests {
    @Test func longDigitRunsAreMaskedAndOnlyTheLastLinesKept() {
        #expect(RecentLog.mask("id 001185012345 phone 0912345678 job 42 at 2026-12-04") == "id •••••••••••• phone •••••••••• job 42 at 2026-12-04")
        #expect(RecentLog.mask("12345678") == "12345678")
        let log = RecentLog(capacity: 3)
        for n in 1...5 { log.append("line \(n)") }
        #expect(log.snapshot == ["line 3", "line 4", "line 5"])
    }
}
