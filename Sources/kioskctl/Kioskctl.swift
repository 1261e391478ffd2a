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
        subcommands: [
            Status.self, DevicesCommand.self, Sessions.self, Logs.self, Maintenance.self, ConfigCommand.self, Selftest.self, Diagnostics.self,
            Scan.self, Print.self, Card.self, Enroll.self, Link.self, Outbox.self,
        ])
}

/// Where kioskd's technician channel is: `--socket`, else `technician.socket` in kioskd's
/// configuration file.
struct Connection: ParsableArguments {
    @Option(name: .long, help: "kioskd's technician socket (default: technician.socket in --config, else /run/kiosk/kioskd.sock).")
    var socket: String?

    @Option(name: .long, help: "kioskd's configuration file, for its technician socket (default: kiosk.conf here, else /etc/kiosk/kiosk.conf).")
    var config: String?

    @Option(name: .long, help: "Seconds to wait for kioskd's answer (printing commands wait at least 90, self-tests 300).")
    var timeout: Double = 5

    /// The configuration file in use: `--config`, else kiosk.conf in this directory, else the
    /// installed one.
    var configPath: String { config ?? Self.defaultConfig }

    static var defaultConfig: String {
        FileManager.default.fileExists(atPath: "kiosk.conf") ? "kiosk.conf" : "/etc/kiosk/kiosk.conf"
    }

    /// `--socket`; else `[technician] socket` of the configuration file (relative to the
    /// file's directory), kioskd's default beside it when the key is absent, or the installed
    /// default when the file cannot be read (a technician may not read kiosk.conf).
    func socketPath() -> String {
        if let socket { return socket }
        let file = URL(fileURLWithPath: configPath)
        guard let text = try? String(contentsOf: file, encoding: .utf8) else { return "/run/kiosk/kioskd.sock" }
        let value = Self.value(table: "technician", key: "socket", in: text) ?? "var/kioskd.sock"
        return value.hasPrefix("/") ? value : file.deletingLastPathComponent().appendingPathComponent(value).path
    }

    /// The quoted string value of `key` in `[table]` of a kiosk.conf.
    static func value(table wanted: String, key: String, in text: String) -> String? {
        var table = ""
        for raw in text.split(separator: "\n") {
            let line = raw.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first?.trimmingCharacters(in: .whitespaces) ?? ""
            if line.hasPrefix("[") {
                table = line.trimmingCharacters(in: CharacterSet(charactersIn: "[] "))
            } else if table == wanted, let equals = line.firstIndex(of: "="),
                line[..<equals].trimmingCharacters(in: .whitespaces) == key
            {
                let value = line[line.index(after: equals)...].trimmingCharacters(in: .whitespaces)
                return value.count >= 2 && value.hasPrefix("\"") && value.hasSuffix("\"") ? String(value.dropFirst().dropLast()) : nil
            }
        }
        return nil
    }

    var client: KioskClient {
        get throws {
            guard timeout > 0 else { throw ValidationError("--timeout must be a number of seconds above 0") }
            return KioskClient(socket: socketPath(), timeout: timeout)
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
