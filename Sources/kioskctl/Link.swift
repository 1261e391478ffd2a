import ArgumentParser
import Foundation
import KioskAPI

/// Runs a call to kioskd, with a progress line once it takes more than a second (`progress`:
/// what it says; nil for none); a failure is printed for the technician and exits 1.
func callKiosk<T: Sendable>(
    progress: String? = "waiting for kioskd", _ body: () async throws(KioskClient.Failure) -> T
) async throws -> T {
    do {
        guard let progress else { return try await body() }
        return try await withProgress(progress) { () async throws(KioskClient.Failure) in try await body() }
    } catch {
        FileHandle.standardError.write(Data("kioskctl: \(error)\n".utf8))
        throw ExitCode(1)
    }
}

func printJSON(_ value: some Encodable) throws {
    print(String(decoding: try APICoding.encoder().encode(value), as: UTF8.self))
}

/// `kioskctl enroll`.
struct Enroll: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Enrols this kiosk with its central server, using a one-time token from the central (kiosk-central token).",
        discussion: "kioskd registers its own public key (made on its first start, kiosk.key beside the store) and pins the central's command key.")

    @OptionGroup var connection: Connection
    @Option(name: .long, help: "The central's URL: https://…, or http:// on a loopback address.") var central: String
    @Option(name: .long, help: "The one-time enrolment token.") var token: String
    @Flag(name: .long, help: "Print the link's state as JSON.") var json = false

    func run() async throws {
        let client = try connection.client
        let report = try await callKiosk(progress: "enrolling with \(central)") { () async throws(KioskClient.Failure) in
            try await client.enrol(central: central, token: token)
        }
        if json { return try printJSON(report) }
        print("enrolled with \(report.centralURL ?? central) as \(report.kioskId ?? "?") (unit \(report.receivingUnit ?? "?"))")
    }
}

/// `kioskctl link`.
struct Link: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "The central link: central URL, enrolled or not, last heartbeat and its result, clock skew, delivery errors.",
        discussion: "Exit status: 0 enrolled and the last heartbeat went through, 1 kioskd unreachable, 2 not enrolled or failing.")

    @OptionGroup var connection: Connection
    @Flag(name: .long, help: "JSON.") var json = false

    func run() async throws {
        let client = try connection.client
        let report = try await callKiosk { () async throws(KioskClient.Failure) in try await client.link() }
        if json {
            try printJSON(report)
        } else {
            print(Self.text(report, now: Date()))
        }
        if !report.enrolled || report.lastHeartbeatResult != "ok" || report.outboxQuarantined > 0 { throw ExitCode(2) }
    }

    static func text(_ report: LinkReport, now: Date) -> String {
        var lines: [String] = []
        if report.enrolled {
            lines.append("central:        \(report.centralURL ?? "?") (kiosk \(report.kioskId ?? "?"), unit \(report.receivingUnit ?? "?"))")
        } else {
            lines.append("central:        not enrolled (kioskctl enroll --central URL --token TOKEN)")
        }
        lines.append("public key:     \(report.publicKey)")
        let beat = report.lastHeartbeatAt.map { "\(Int(now.timeIntervalSince($0))) s ago, #\(report.lastHeartbeatSequence ?? 0)" } ?? "none yet"
        lines.append("last heartbeat: \(beat): \(report.lastHeartbeatResult ?? "-") (every \(report.heartbeatSeconds) s)")
        lines.append(String(format: "clock skew:     %+.1f s (the central's clock minus the kiosk's)", report.clockOffsetSeconds))
        let oldest = report.outboxOldestAgeSeconds.map { ", oldest \(Int($0)) s" } ?? ""
        lines.append("outbox:         \(report.outboxDepth) waiting, \(report.outboxQuarantined) quarantined\(oldest)")
        if let error = report.lastDeliveryError { lines.append("last delivery error: \(error)") }
        return lines.joined(separator: "\n")
    }
}

/// `kioskctl outbox`.
struct Outbox: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Sealed dossiers on their way to the central: state, attempts, next attempt, last error.",
        subcommands: [List.self, Retry.self, Release.self], defaultSubcommand: List.self)

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Lists the outbox, oldest first (exit 2 when a row is quarantined).")
        @OptionGroup var connection: Connection
        @Flag(name: .long, help: "JSON.") var json = false
        @Flag(name: .long, help: "Delivered rows too.") var all = false

        func run() async throws {
            let client = try connection.client
            let rows = try await callKiosk { () async throws(KioskClient.Failure) in try await client.outbox() }.filter {
                all || $0.state != "delivered"
            }
            if json {
                try printJSON(rows)
            } else if rows.isEmpty {
                print("the outbox is empty")
            } else {
                for row in rows {
                    let next = row.nextAttemptAt.map { " next \(ISO8601DateFormatter().string(from: $0))" } ?? ""
                    let code = row.centralCode.map { " \($0)" } ?? ""
                    print(
                        "\(row.dossier)  \(row.reference)  \(row.state)  attempts \(row.attempts)\(next)\(code)\(row.lastError.map { "  \($0)" } ?? "")"
                    )
                }
            }
            if rows.contains(where: { $0.state == "quarantined" }) { throw ExitCode(2) }
        }
    }

    struct Retry: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Makes a waiting dossier due now.")
        @OptionGroup var connection: Connection
        @Argument(help: "The dossier's UUID.") var dossier: String
        @Flag(name: .long, help: "JSON.") var json = false

        func run() async throws { try await act("retry", dossier, connection, json) }
    }

    struct Release: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Takes a dossier out of quarantine and sends it again.")
        @OptionGroup var connection: Connection
        @Argument(help: "The dossier's UUID.") var dossier: String
        @Flag(name: .long, help: "JSON.") var json = false

        func run() async throws { try await act("release", dossier, connection, json) }
    }

    static func act(_ action: String, _ dossier: String, _ connection: Connection, _ json: Bool) async throws {
        guard let id = UUID(uuidString: dossier) else { throw ValidationError("\(dossier) is not a dossier UUID (see kioskctl outbox)") }
        let client = try connection.client
        let row = try await callKiosk { () async throws(KioskClient.Failure) in try await client.outbox(action, dossier: id) }
        if json { return try printJSON(row) }
        print("\(row.dossier): \(row.state)")
    }
}
