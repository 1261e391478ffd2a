import Dispatch
import Foundation
import KioskTestSupport
import Testing

/// `kioskctl scan`, the real binary, on SANE's `test` device (its own process, so its
/// libsane state is its own).
@Suite struct ScanCommandTests {
    static let root = repositoryRoot
    static let binary = builtProduct("kioskctl")

    func run(_ executable: URL, _ arguments: [String]) async throws -> (Int32, String, String) {
        let result = try await runProgram(executable, arguments)
        return (result.status, result.output, result.errors)
    }

    func saneDirectory() async throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("kioskctl-sane-\(UUID())")
        let (status, _, err) = try await run(
            URL(fileURLWithPath: "/bin/bash"), [Self.root.appendingPathComponent("scripts/setup-sane-test-device.sh").path, dir.path])
        try #require(status == 0, "\(err)")
        return dir
    }

    @Test func feederBatchBecomesOnePDFWithEveryPage() async throws {
        let sane = try await saneDirectory()
        let pdf = sane.appendingPathComponent("out.pdf")
        defer { try? FileManager.default.removeItem(at: sane) }
        let (status, out, err) = try await run(
            Self.binary,
            [
                "scan", "--device", "test:0", "--source", "feeder", "--mode", "gray", "--dpi", "100",
                "--sane-config-dir", sane.path, "--option", "test-picture=Solid white", "-o", pdf.path, "--json",
            ])
        #expect(status == 0, "\(err)")
        let report = try #require(try JSONSerialization.jsonObject(with: Data(out.utf8)) as? [String: Any])
        let pages = try #require(report["pages"] as? [[String: Any]])
        #expect(pages.count == 10 && pages.allSatisfy { $0["looksBlank"] as? Bool == true && $0["dpi"] as? Int == 100 })
        let (infoStatus, info, _) = try await run(URL(fileURLWithPath: "/usr/bin/pdfinfo"), [pdf.path])
        #expect(infoStatus == 0 && info.split(separator: " ", omittingEmptySubsequences: true).joined(separator: " ").contains("Pages: 10"))
        let (checkStatus, check, _) = try await run(URL(fileURLWithPath: "/usr/bin/qpdf"), ["--check", pdf.path])
        #expect(checkStatus == 0, "\(check)")
    }

    @Test func aJamFailsWithWhoMustAct() async throws {
        let sane = try await saneDirectory()
        defer { try? FileManager.default.removeItem(at: sane) }
        let (status, _, err) = try await run(
            Self.binary,
            [
                "scan", "--device", "test:0", "--sane-config-dir", sane.path,
                "--option", "read-return-value=SANE_STATUS_JAMMED", "-o", sane.appendingPathComponent("x.pdf").path,
            ])
        #expect(status == 1)
        #expect(err.contains("scanner.jammed — staff must act"), "\(err)")
        #expect(!FileManager.default.fileExists(atPath: sane.appendingPathComponent("x.pdf").path), "no PDF for a failed scan")
    }
}
