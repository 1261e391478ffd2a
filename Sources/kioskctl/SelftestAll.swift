import ArgumentParser
import Foundation
import KioskAPI
import StatusModel

/// `kioskctl selftest all`: kioskd tests every device it holds, one after another.
struct SelftestAll: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "all",
        abstract: "kioskd tests every device in turn; a summary table, and the exit status.",
        discussion: """
            internal: each device is probed and its state judged; nothing moves. external: also a test page printed and \
            one A4 page scanned (load a sheet first); refused while an applicant is filing (kioskctl maintenance on, then \
            wait). interactive: also a card placed on the reader when asked, and your judgement of the printed page. \
            Exit status: 0 every device passed, 1 kioskd unreachable or refused, 2 a device failed.
            """)

    @OptionGroup var connection: Connection
    @Option(name: .long, help: "internal, external or interactive.") var level: SelfTestLevel = .internal
    @Flag(name: .long, help: "Print the results as JSON.") var json = false

    func run() async throws {
        let client = try connection.client
        let devices = try await callKiosk { () async throws(KioskClient.Failure) in try await client.devices() }
        var results: [SelfTestResult] = []
        for device in devices {
            if level == .interactive {
                switch device.kind {
                case .cardReader: _ = SelftestChecks.ask("Place an ID card on the reader (\(device.id)), then press Enter:")
                case .scanner: _ = SelftestChecks.ask("Put an A4 sheet on the scanner's glass (\(device.id)), then press Enter:")
                case .printer: break
                }
            }
            var result = try await callKiosk(progress: "testing \(device.id) (\(level.rawValue))") { () async throws(KioskClient.Failure) in
                try await client.selfTest(device: device.id, level: level)
            }
            if level == .interactive, device.kind == .printer, result.passed {
                let answer = SelftestChecks.ask("Did a clean, legible test page come out of \(device.id)? [y/n]")
                let good = answer.hasPrefix("y") || answer.hasPrefix("c")
                result.checks.append(
                    .init(name: "page_judged", passed: good, detail: good ? "the technician judged it good" : "the technician judged it bad"))
                result.passed = good
            }
            if !json {
                print(
                    "\(result.passed ? "PASS" : "FAIL")  \(device.id): "
                        + result.checks.map { "\($0.name) \($0.passed ? "ok" : "failed") (\($0.detail))" }.joined(separator: "; "))
            }
            results.append(result)
        }
        if json {
            try printJSON(results)
        } else {
            print(Self.table(results))
        }
        if !results.allSatisfy(\.passed) { throw ExitCode(2) }
    }

    static func table(_ results: [SelfTestResult]) -> String {
        var lines = ["", "DEVICE        KIND          LEVEL        RESULT  STATE       TIME"]
        for r in results {
            lines.append(
                StatusFormatter.pad(r.device, 14) + StatusFormatter.pad(r.kind, 14) + StatusFormatter.pad(r.level.rawValue, 13)
                    + StatusFormatter.pad(r.passed ? "pass" : "FAIL", 8) + StatusFormatter.pad(r.state, 12) + String(format: "%.1f s", r.seconds))
        }
        let failed = results.filter { !$0.passed }.count
        lines.append(failed == 0 ? "all \(results.count) devices passed" : "\(failed) of \(results.count) devices failed")
        return lines.joined(separator: "\n")
    }
}
