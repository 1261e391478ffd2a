import Foundation
import KioskTestSupport
import Testing

/// `kioskctl selftest scanner`, the real binary, on SANE's `test` device at each level.
@Suite struct SelftestCommandTests {
    static let binary = builtProduct("kioskctl")

    func saneDirectory() async throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("kioskctl-selftest-\(UUID())")
        let setup = try await runProgram(
            URL(fileURLWithPath: "/bin/bash"), [repositoryRoot.appendingPathComponent("scripts/setup-sane-test-device.sh").path, dir.path])
        try #require(setup.status == 0, "\(setup.errors)")
        return dir
    }

    /// Runs the self-test with `--json`; returns the exit status, the report and stderr.
    func selftest(_ sane: URL, _ arguments: [String], input: String? = nil) async throws -> (Int32, [String: Any], String) {
        let result = try await runProgram(
            Self.binary, ["selftest", "scanner", "--sane-config-dir", sane.path, "--json"] + arguments,
            input: input.map { Data($0.utf8) })
        let report = try JSONSerialization.jsonObject(with: result.stdout) as? [String: Any] ?? [:]
        return (result.status, report, result.errors)
    }

    func checks(_ report: [String: Any]) -> [String: Bool] {
        ((report["checks"] as? [[String: Any]]) ?? []).reduce(into: [:]) { $0[$1["name"] as? String ?? "?"] = $1["passed"] as? Bool }
    }

    @Test func internalLevelChecksTheDeviceAgainstTheProfilesWithoutScanning() async throws {
        let sane = try await saneDirectory()
        defer { try? FileManager.default.removeItem(at: sane) }
        let (status, report, err) = try await selftest(sane, ["--device", "test:0"])
        #expect(status == 0, "\(err)")
        #expect(checks(report) == ["helper": true, "open": true, "sources": true, "modes": true, "resolution": true, "scan area": true])
        let capabilities = try #require(report["capabilities"] as? [String: Any])
        #expect((capabilities["sources"] as? [String: String])?["feeder"] == "Automatic Document Feeder")
        #expect((capabilities["modes"] as? [String: String])?["bw"] == "Gray at 1 bit")
    }

    @Test func aMissingDeviceFailsTheInternalLevel() async throws {
        let sane = try await saneDirectory()
        defer { try? FileManager.default.removeItem(at: sane) }
        let (status, report, _) = try await selftest(sane, ["--device", "test:99", "--level", "external"])
        #expect(status == 1 && report["passed"] as? Bool == false)
        #expect(checks(report) == ["helper": true, "open": false], "nothing is scanned from a device that does not open")
    }

    @Test func externalLevelScansAPageAndReportsAFault() async throws {
        let sane = try await saneDirectory()
        defer { try? FileManager.default.removeItem(at: sane) }
        let (status, report, err) = try await selftest(
            sane, ["--device", "test:0", "--level", "external", "--source", "flatbed", "--option", "test-picture=Grid"])
        #expect(status == 0, "\(err)")
        #expect(checks(report)["scan"] == true && checks(report)["page size"] == true && checks(report)["compression"] == true)

        let (jamStatus, jammed, _) = try await selftest(
            sane, ["--device", "test:0", "--level", "external", "--option", "read-return-value=SANE_STATUS_JAMMED"])
        #expect(jamStatus == 1 && checks(jammed)["scan"] == false)
        let detail = ((jammed["checks"] as? [[String: Any]]) ?? []).first { $0["name"] as? String == "scan" }?["detail"] as? String
        #expect(detail?.contains("scanner.jammed — staff must act") == true, "\(detail ?? "")")
    }

    @Test func interactiveLevelAsksTheTechnician() async throws {
        let sane = try await saneDirectory()
        defer { try? FileManager.default.removeItem(at: sane) }
        let pdf = sane.appendingPathComponent("selftest.pdf")
        let (status, report, prompts) = try await selftest(
            sane, ["--device", "test:0", "--level", "interactive", "--option", "test-picture=Grid", "-o", pdf.path], input: "\ny\n")
        #expect(status == 0 && checks(report)["printed page"] == true && checks(report)["technician's judgement"] == true)
        #expect(prompts.contains("Place a page with printed text in the feeder") && FileManager.default.fileExists(atPath: pdf.path))

        let (refused, judged, _) = try await selftest(
            sane, ["--device", "test:0", "--level", "interactive", "--option", "test-picture=Grid", "-o", pdf.path], input: "\nn\n")
        #expect(refused == 1 && checks(judged)["technician's judgement"] == false)
        let (blankStatus, blank, _) = try await selftest(
            sane, ["--device", "test:0", "--level", "interactive", "--option", "test-picture=Solid white", "-o", pdf.path], input: "\ny\n")
        #expect(blankStatus == 1 && checks(blank)["printed page"] == false, "a blank page is not a printed test page")
    }
}
