import ArgumentParser
import Foundation
import KioskAPI

/// `kioskctl sessions`.
struct Sessions: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Open sessions: procedure, step, idle time (no personal data); abandon one.",
        subcommands: [List.self, Abandon.self], defaultSubcommand: List.self)

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Lists the open sessions, oldest first.")
        @OptionGroup var connection: Connection
        @Flag(name: .long, help: "JSON.") var json = false

        func run() async throws {
            let client = try connection.client
            let sessions = try await callKiosk { () async throws(KioskClient.Failure) in try await client.sessions() }
            if json { return try printJSON(sessions) }
            print(Sessions.text(sessions, now: Date()))
        }
    }

    struct Abandon: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Ends an open session as if the applicant had cancelled it (a sealed dossier stays in the outbox).")
        @OptionGroup var connection: Connection
        @Argument(help: "The session's id (kioskctl sessions).") var id: String
        @Flag(name: .long, help: "JSON.") var json = false

        func run() async throws {
            guard let session = UUID(uuidString: id) else { throw ValidationError("\(id) is not a session id (see kioskctl sessions)") }
            let client = try connection.client
            let report = try await callKiosk { () async throws(KioskClient.Failure) in try await client.abandon(session: session) }
            if json { return try printJSON(report) }
            print("session \(report.id) ended (it was at \(report.step))")
        }
    }

    static func text(_ sessions: [OpenSessionSummary], now: Date) -> String {
        guard !sessions.isEmpty else { return "no open sessions" }
        var lines = ["SESSION                               PROCEDURE         STEP          LANG  STARTED     IDLE    DEVICE"]
        for s in sessions {
            lines.append(
                StatusFormatter.pad(s.id.uuidString.lowercased(), 38) + StatusFormatter.pad(s.procedure ?? "-", 18)
                    + StatusFormatter.pad(s.step, 14) + StatusFormatter.pad(s.language, 6)
                    + StatusFormatter.pad("\(StatusFormatter.duration(now.timeIntervalSince(s.startedAt))) ago", 12)
                    + StatusFormatter.pad(StatusFormatter.duration(s.idleSeconds), 8) + (s.deviceAction ?? "-"))
        }
        return lines.joined(separator: "\n")
    }
}
