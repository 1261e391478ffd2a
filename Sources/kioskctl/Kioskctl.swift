import ArgumentParser
import Foundation
import KioskAPI

/// `kioskctl`: the technician's diagnostics tool.
@main
struct Kioskctl: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kioskctl",
        abstract: "Diagnostics for a self-service kiosk.",
        version: KioskVersion.current,
        subcommands: [Status.self, Scan.self, Print.self, Card.self, Selftest.self])
}

/// Where kioskd listens.
struct Connection: ParsableArguments {
    @Option(name: .long, help: "kioskd's address (api.listen in kiosk.conf).")
    var url = "http://127.0.0.1:8080"

    @Option(name: .long, help: "Seconds to wait for kioskd's answer (printing commands wait at least 90).")
    var timeout: Double = 5

    var client: KioskClient {
        get throws {
            guard let url = URL(string: url), url.scheme == "http" || url.scheme == "https" else {
                throw ValidationError("--url must be an http:// address, such as http://127.0.0.1:8080")
            }
            guard timeout > 0 else { throw ValidationError("--timeout must be a number of seconds above 0") }
            return KioskClient(baseURL: url, timeout: timeout)
        }
    }
}

/// `kioskctl status`.
struct Status: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Is kioskd running; versions, devices, sessions, outbox depth, catalog problems.",
        discussion: "Exit status: 0 all good, 1 kioskd unreachable or refused, 2 running but something needs attention.")

    @OptionGroup var connection: Connection

    @Flag(name: .long, help: "Print the report as JSON.")
    var json = false

    func run() async throws {
        let report: StatusReport
        do {
            report = try await connection.client.status()
        } catch let failure as KioskClient.Failure {
            if json {
                print(#"{"reachable":false,"error":\#(String(reflecting: failure.description))}"#)
            } else {
                FileHandle.standardError.write(Data("kioskctl: \(failure)\n".utf8))
            }
            throw ExitCode(1)
        }
        if json {
            print(String(decoding: try APICoding.encoder().encode(report), as: UTF8.self))
        } else {
            print(StatusFormatter.text(report))
        }
        if StatusFormatter.needsAttention(report) { throw ExitCode(2) }
    }
}
