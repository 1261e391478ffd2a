import ArgumentParser
import Foundation
import KioskAPI
import Localized

/// `kioskctl print ticket --queue NAME`: issues the next number of a counter's queue through
/// kioskd (which numbers tickets per day) and prints it on the kiosk's printer.
struct PrintTicket: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ticket", abstract: "Issue and print a queue ticket through kioskd.",
        discussion: "Exit status: 0 issued and printed, 1 not issued, not printed, or kioskd unreachable.")

    @OptionGroup var connection: Connection
    @Option(name: .long, help: "The queue: a catalog field's id, such as ho-tich or chung-thuc.")
    var queue: String
    @Option(name: .long, help: "normal, elderly, disability, pregnant or meritorious.")
    var priority = "normal"
    @Flag(name: .long, help: "Print the outcome as JSON.")
    var json = false

    func run() async throws {
        let client = try connection.client
        let report: QueueTicketReport
        do throws(KioskClient.Failure) {
            report = try await withProgress("printing the ticket") { () async throws(KioskClient.Failure) in
                try await client.issueTicket(queue: queue, priority: priority)
            }
        } catch {
            throw notPrinted(error, json: json)
        }
        if json {
            print(String(decoding: try APICoding.encoder().encode(report), as: UTF8.self))
        } else {
            print(
                "ticket \(report.displayNumber) (\(report.queue), \(report.priority)): \(report.peopleAhead) ahead, about \(report.estimatedWaitMinutes) min"
                    + (report.printed
                        ? ", printed (job \(report.printJob ?? "?"))"
                        : ", NOT printed: \(report.printNotice.map { "\($0.code): \($0.forTechnician)" } ?? "?")"))
        }
        if !report.printed { throw ExitCode(1) }
    }
}
