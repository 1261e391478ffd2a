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
        subcommands: [Status.self, Scan.self, Print.self, Card.self, Selftest.self, Enroll.self, Link.self, Outbox.self])
}

/// Where kioskd listens: `--url`, else `api.listen` in kioskd's configuration file.
struct Connection: ParsableArguments {
    @Option(name: .long, help: "kioskd's address, such as http://127.0.0.1:8080 (default: api.listen in --config).")
    var url: String?

    @Option(name: .long, help: "kioskd's configuration file, for its address (api.listen).")
    var config = "kiosk.conf"

    @Option(name: .long, help: "Seconds to wait for kioskd's answer (printing commands wait at least 90).")
    var timeout: Double = 5

    /// `--url`, or the address kioskd listens on by its configuration (127.0.0.1:8080 when the
    /// file or the key is absent, as kioskd's default).
    func address() throws -> String {
        if let url { return url }
        guard let text = try? String(contentsOfFile: config, encoding: .utf8) else { return "http://127.0.0.1:8080" }
        guard let listen = Self.listen(in: text) else { return "http://127.0.0.1:8080" }
        let host = listen.hasPrefix("0.0.0.0") ? "127.0.0.1" + listen.dropFirst(7) : Substring(listen)
        return "http://\(host)"
    }

    /// The value of `listen` in the `[api]` table of a kiosk.conf.
    static func listen(in text: String) -> String? {
        var table = ""
        for raw in text.split(separator: "\n") {
            let line = raw.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first?.trimmingCharacters(in: .whitespaces) ?? ""
            if line.hasPrefix("[") {
                table = line.trimmingCharacters(in: CharacterSet(charactersIn: "[] "))
            } else if table == "api", line.hasPrefix("listen"), let equals = line.firstIndex(of: "=") {
                let value = line[line.index(after: equals)...].trimmingCharacters(in: .whitespaces)
                return value.count >= 2 && value.hasPrefix("\"") && value.hasSuffix("\"") ? String(value.dropFirst().dropLast()) : nil
            }
        }
        return nil
    }

    var client: KioskClient {
        get throws {
            guard let url = URL(string: try address()), url.scheme == "http" || url.scheme == "https" else {
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
