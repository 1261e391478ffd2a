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

    /// A batch stopped mid-way (here its helper dies after the first sheet) keeps and writes
    /// the pages completed before, and says why it stopped.
    @Test func pagesScannedBeforeAFaultAreWritten() async throws {
        let sane = try await saneDirectory()
        defer { try? FileManager.default.removeItem(at: sane) }
        let pdf = sane.appendingPathComponent("partial.pdf")
        let hang = sane.appendingPathComponent("hang-once")
        try Data().write(to: hang)
        let marker = "KIOSK_TEST_SCAN=\(UUID().uuidString)"
        let scan = Task {
            try await runProgram(
                Self.binary,
                [
                    "scan", "--device", "test:0", "--sane-config-dir", sane.path, "--source", "feeder", "--mode", "gray", "--dpi", "100",
                    "-o", pdf.path,
                ],
                environment: ["KIOSK_SANE_HANG_ONCE": hang.path, String(marker.split(separator: "=")[0]): String(marker.split(separator: "=")[1])])
        }
        // The helper consumes the flag after its first page and hangs where libsane does; it
        // is then killed, as a crashing backend would die.
        for _ in 0..<600 where FileManager.default.fileExists(atPath: hang.path) { try await Task.sleep(for: .milliseconds(50)) }
        try await Task.sleep(for: .milliseconds(300))
        let helpers = processes(withEnvironment: marker).filter { pid in
            (try? String(contentsOfFile: "/proc/\(pid)/cmdline", encoding: .utf8))?.contains("kiosk-sane") == true
        }
        #expect(!helpers.isEmpty, "the hung helper is found")
        for pid in helpers { kill(pid, SIGKILL) }
        let result = try await scan.value
        #expect(result.status == 1, "\(result.errors)")
        #expect(result.errors.contains("scan stopped") && result.output.contains("1 page(s)"), "\(result.output)\(result.errors)")
        let (infoStatus, info, _) = try await run(URL(fileURLWithPath: "/usr/bin/pdfinfo"), [pdf.path])
        #expect(infoStatus == 0 && info.split(separator: " ", omittingEmptySubsequences: true).joined(separator: " ").contains("Pages: 1"))
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
