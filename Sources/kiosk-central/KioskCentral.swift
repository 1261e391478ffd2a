import ArgumentParser
import CentralProtocol
import CentralServer
import Foundation
import Hummingbird
import Logging

/// `kiosk-central`: the reference central server and its administration.
@main
struct KioskCentral: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kiosk-central",
        abstract: "The reference central server for kiosks: enrolment, heartbeats, dossier intake, commands, fleet read-out.",
        subcommands: [
            Serve.self, Token.self, Command.self, Commands.self, Fleet.self, Dossiers.self, Revoke.self, PublishCatalog.self, Diagnostics.self,
        ],
        defaultSubcommand: Serve.self)
}

struct StateOption: ParsableArguments {
    @Option(name: .long, help: "The central's state directory (database, files, keys).")
    var state = "central-state"

    var central: CentralState { CentralState(directory: URL(fileURLWithPath: state)) }
}

struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Runs the central server.")

    @OptionGroup var state: StateOption

    @Option(name: .long, help: "Listen on HOST:PORT.")
    var listen = "127.0.0.1:9080"

    @Option(name: .long, help: "The heartbeat period kiosks are asked for, in seconds.")
    var heartbeatSeconds = 60

    @Option(name: .long, help: "trace, debug, info, notice, warning, error or critical.")
    var logLevel = "info"

    func run() async throws {
        guard let colon = listen.lastIndex(of: ":"), let port = Int(listen[listen.index(after: colon)...]), (0...65535).contains(port) else {
            throw ValidationError("--listen takes HOST:PORT")
        }
        guard (5...3600).contains(heartbeatSeconds) else { throw ValidationError("--heartbeat-seconds takes 5 to 3600") }
        guard let level = Logger.Level(rawValue: logLevel) else { throw ValidationError("--log-level: \(logLevel) is not a level") }
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        let logger = Logger(label: "kiosk-central")
        let app = try buildCentral(
            state: state.central, host: String(listen[..<colon]), port: port, heartbeatSeconds: heartbeatSeconds, logger: logger)
        try await app.runService()
    }
}

struct Token: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Makes a one-time enrolment token and prints it.")

    @OptionGroup var state: StateOption

    @Option(name: .long, help: "The receiving unit's code, V1V2V3.Z1Z2.Y1Y2.MX1X2 (e.g. 000.00.31.H29): the first part of its dossier codes.")
    var unit: String

    @Option(name: .long, help: "The kiosk id the token is for (kiosk.id in its kiosk.conf); any id when absent.")
    var kiosk: String?

    @Option(name: .long, help: "Hours the token stays valid.")
    var hours = 24.0

    func run() async throws {
        guard DossierCode.isValidUnit(unit) else { throw ValidationError("--unit: \(unit) is not a unit code like 000.00.31.H29") }
        let token = try await state.central.store().createToken(kioskId: kiosk, unit: unit, lifetime: hours * 3600)
        print(token)
    }
}

struct Command: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Issues a command to a kiosk (sent, signed, with its next heartbeat).")

    @OptionGroup var state: StateOption

    @Argument(help: "The kiosk id.")
    var kiosk: String

    @Argument(help: "One of: \(RemoteCommand.Kind.allCases.map(\.rawValue).joined(separator: ", ")).")
    var kind: String

    @Option(name: .customLong("arg"), help: "An argument as NAME=VALUE (repeatable).")
    var arguments: [String] = []

    func run() async throws {
        guard let kind = RemoteCommand.Kind(rawValue: kind) else { throw ValidationError("\(kind) is not a command") }
        var parsed: [String: String] = [:]
        for argument in arguments {
            guard let equals = argument.firstIndex(of: "=") else { throw ValidationError("--arg takes NAME=VALUE") }
            parsed[String(argument[..<equals])] = String(argument[argument.index(after: equals)...])
        }
        let id = try await state.central.store().issue(kind, arguments: parsed, to: kiosk)
        print(id)
    }
}

struct Commands: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Lists commands and their results, newest first.")

    @OptionGroup var state: StateOption
    @Option(name: .long, help: "Only this kiosk's.") var kiosk: String?
    @Flag(name: .long, help: "JSON.") var json = false

    func run() async throws {
        let commands = try await state.central.store().commands(kioskId: kiosk)
        if json { return try printJSON(commands) }
        for command in commands {
            print("\(command.id)\t\(command.kioskId)\t\(command.kind)\t\(command.outcome ?? "pending")\t\(command.detail ?? "")")
        }
    }
}

struct Fleet: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Shows every kiosk: last seen, online, alerts, outbox, clock skew.")

    @OptionGroup var state: StateOption
    @Option(name: .long, help: "The heartbeat period the server runs with, in seconds.") var heartbeatSeconds = 60
    @Flag(name: .long, help: "JSON.") var json = false

    func run() async throws {
        let report = try await state.central.store().fleet(heartbeatSeconds: heartbeatSeconds)
        if json { return try printJSON(report) }
        for kiosk in report.kiosks {
            let seen = kiosk.lastSeen.map { "\(Int(report.serverTime.timeIntervalSince($0))) s ago" } ?? "never"
            let state = kiosk.revoked ? "revoked" : kiosk.online ? "online" : "offline"
            let outbox = kiosk.outboxDepth.map { "outbox \($0)" } ?? "outbox ?"
            let skew = kiosk.clockSkewSeconds.map { String(format: "skew %+.0f s", $0) } ?? ""
            print("\(kiosk.kioskId)\t\(state)\tseen \(seen)\t\(outbox)\t\(skew)\t\(kiosk.alerts.joined(separator: ","))")
        }
    }
}

struct Dossiers: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Lists dossiers received, by dossier code, newest first.")

    @OptionGroup var state: StateOption
    @Flag(name: .long, help: "JSON.") var json = false

    func run() async throws {
        let dossiers = try await state.central.store().receivedDossiers()
        if json { return try printJSON(dossiers) }
        for dossier in dossiers {
            print("\(dossier.centralCode)\t\(dossier.kioskId)\t\(dossier.procedureCode)\t\(dossier.files.count) files\t\(dossier.clientUUID)")
        }
    }
}

struct Revoke: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Revokes a kiosk's key: its requests are refused until it enrols again.")

    @OptionGroup var state: StateOption
    @Argument(help: "The kiosk id.") var kiosk: String

    func run() async throws {
        guard try await state.central.store().revoke(kioskId: kiosk) else {
            throw ValidationError("no enrolled, unrevoked kiosk \(kiosk)")
        }
        print("revoked \(kiosk)")
    }
}

func printJSON(_ value: some Encodable) throws {
    let encoder = CentralCoding.encoder()
    encoder.outputFormatting.insert(.prettyPrinted)
    print(String(decoding: try encoder.encode(value), as: UTF8.self))
}
