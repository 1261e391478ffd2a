import ArgumentParser
import Foundation
import KioskAPI

/// `kioskctl logs`.
struct Logs: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "kioskd's recent log lines (kept in memory, digit runs of 9 or more masked); --follow for new ones as they come.",
        discussion: "The full log is the journal's: journalctl -u kioskd.")

    @OptionGroup var connection: Connection
    @Option(name: [.customShort("n"), .long], help: "How many recent lines (0–10000).") var lines = 50
    @Flag(name: [.short, .long], help: "Keep printing new lines until interrupted (Ctrl-C).") var follow = false
    @Flag(name: .long, help: "One JSON object per line ({\"line\": …}); without --follow, one JSON document.") var json = false

    func validate() throws {
        guard (0...10_000).contains(lines) else { throw ValidationError("--lines must be from 0 to 10000") }
    }

    func run() async throws {
        let client = try connection.client
        if follow {
            try await callKiosk(progress: nil) { () async throws(KioskClient.Failure) in
                try await client.followLogs(lines: lines) { line in
                    // Written straight to the descriptor: each line shows at once, even into a pipe.
                    let text = json ? String(decoding: try APICoding.encoder().encode(["line": line]), as: UTF8.self) : line
                    FileHandle.standardOutput.write(Data((text + "\n").utf8))
                }
            }
            return
        }
        let recent = try await callKiosk { () async throws(KioskClient.Failure) in try await client.logs(lines: lines) }
        if json { return try printJSON(recent) }
        for line in recent.lines { print(line) }
    }
}
