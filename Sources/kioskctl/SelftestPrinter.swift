import ArgumentParser
import Devices
import Foundation
import KioskAPI
import Localized
import Printing

/// `kioskctl selftest printer`: internal (the queue exists and can print: nothing printed),
/// external (prints the test page and waits for CUPS to say it completed), interactive (asks
/// the technician whether the page came out whole, legible and cut).
struct SelftestPrinter: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "printer", abstract: "Self-test of a CUPS printer queue.",
        discussion: "Exit status: 0 every check passed, 1 a check failed.")

    @OptionGroup var cups: CUPSQueueOptions
    @Option(name: .long, help: "internal, external or interactive.")
    var level: SelfTestLevel = .internal
    @Flag(name: .long, help: "Print the report as JSON.")
    var json = false

    struct Report: Codable {
        var queue: String
        var level: SelfTestLevel
        var passed: Bool
        var checks: [SelftestCheck]
        var status: DeviceStatus?
    }

    func run() async throws {
        let recorder = SelftestChecks(json: json)
        let check = recorder.check
        let printer = cups.printer
        await printer.probe()
        let status = await printer.status()
        await check("queue") {
            let usable = status.state.isUsable
            let detail =
                "\(cups.queue): \(status.state.rawValue)" + (status.media.map { ", \($0.rawValue)" } ?? "")
                + (status.lastError.map { " — \($0.code): \($0.forTechnician)" } ?? "")
            return (usable, detail)
        }
        await check("paper") {
            (status.media != .paperOut && status.media != .paperJammed, status.media?.rawValue ?? "unknown (the printer does not say)")
        }
        if level >= .external, status.state.isUsable {
            await check("test page") {
                do {
                    let job = try cups.job(TestPage.document(printer: cups.queue), title: "kioskctl selftest")
                    let outcome = try await printer.print(job)
                    return (true, "job \(outcome.jobReference) completed")
                } catch let failure as DeviceFailure {
                    return (false, "\(failure.notice.code) — \(failure.notice.actor.rawValue) must act: \(failure.notice.forTechnician)")
                } catch {
                    return (false, "\(error)")
                }
            }
            if level >= .interactive, recorder.lastPassed {
                await check("technician's judgement") {
                    let answer = SelftestChecks.ask("Is the test page whole, every accent legible, the QR code sharp and the paper cut? [y/n]")
                    return (answer == "y" || answer == "yes", answer.isEmpty ? "no answer" : "answered \"\(answer)\"")
                }
            }
        }
        let passed = recorder.passed
        if json {
            print(
                String(
                    decoding: try APICoding.encoder().encode(
                        Report(queue: cups.queue, level: level, passed: passed, checks: recorder.checks, status: status)), as: UTF8.self))
        } else {
            print(passed ? "printer self-test (\(level.rawValue)) passed" : "printer self-test (\(level.rawValue)) FAILED")
        }
        if !passed { throw ExitCode(1) }
    }
}
