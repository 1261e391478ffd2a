import Foundation
import KioskTestSupport
import Testing

/// `kioskctl print test` and `kioskctl selftest printer`, the real binary, against a private
/// cupsd with capture and fault queues.
@Suite struct PrintCommandTests {
    static let binary = builtProduct("kioskctl")

    func kioskctl(_ arguments: [String], input: String? = nil) async throws -> (Int32, [String: Any], String) {
        let result = try await runProgram(Self.binary, arguments + ["--json"], input: input.map { Data($0.utf8) })
        return (result.status, (try? JSONSerialization.jsonObject(with: result.stdout) as? [String: Any]) ?? [:], result.errors)
    }

    @Test func theTestPagePrintsAsESCPOSOrPDFAndAFaultIsReported() async throws {
        let cups = try await PrivateCUPS.start()
        defer { cups.stop() }
        let (status, report, err) = try await kioskctl(["print", "test", "--queue", "kiosk_receipt", "--cups-server", cups.socket])
        #expect(status == 0 && report["printed"] as? Bool == true, "\(err)")
        let escpos = try #require(cups.captured("receipt").first)
        #expect(escpos.starts(with: [0x1B, 0x40, 0x1D, 0x76, 0x30, 0x00, 72, 0]), "ESC @ then a 576-dot GS v 0 band")

        let (a4Status, _, _) = try await kioskctl(["print", "test", "--queue", "kiosk_a4", "--paper", "a4", "--cups-server", cups.socket])
        #expect(a4Status == 0)
        let pdf = cups.directory.appendingPathComponent("test.pdf")
        try #require(cups.captured("a4").first).write(to: pdf)
        let text = try await runProgram(URL(fileURLWithPath: "/usr/bin/pdftotext"), [pdf.path, "-"]).output
        #expect(text.contains("TRANG IN THỬ") && text.replacingOccurrences(of: " ", with: "").contains("ưứừửữựyýỳỷỹỵ"), "every tone mark: \(text)")

        try await cups.faultQueue("empty", "paper-out")
        let (failed, failure, _) = try await kioskctl(["print", "test", "--queue", "empty", "--cups-server", cups.socket])
        #expect(failed == 1 && (failure["error"] as? String)?.hasPrefix("printer.paper_out — staff must act") == true, "\(failure)")
    }

    @Test func selftestPrinterAtEachLevel() async throws {
        let cups = try await PrivateCUPS.start()
        defer { cups.stop() }
        func checks(_ report: [String: Any]) -> [String: Bool] {
            ((report["checks"] as? [[String: Any]]) ?? []).reduce(into: [:]) { $0[$1["name"] as? String ?? "?"] = $1["passed"] as? Bool }
        }
        let base = ["selftest", "printer", "--queue", "kiosk_receipt", "--cups-server", cups.socket]
        let (internalStatus, internalReport, _) = try await kioskctl(base)
        #expect(internalStatus == 0 && checks(internalReport) == ["queue": true, "paper": true])
        #expect(cups.captured("receipt").isEmpty, "the internal level prints nothing")

        let (externalStatus, externalReport, _) = try await kioskctl(base + ["--level", "external"])
        #expect(externalStatus == 0 && checks(externalReport)["test page"] == true && cups.captured("receipt").count == 1)

        let (yes, judged, prompts) = try await kioskctl(base + ["--level", "interactive"], input: "y\n")
        #expect(yes == 0 && checks(judged)["technician's judgement"] == true && prompts.contains("every accent legible"))
        let (no, _, _) = try await kioskctl(base + ["--level", "interactive"], input: "n\n")
        #expect(no == 1)

        let (missing, missingReport, _) = try await kioskctl(["selftest", "printer", "--queue", "nope", "--cups-server", cups.socket])
        #expect(missing == 1 && checks(missingReport)["queue"] == false)
    }
}
