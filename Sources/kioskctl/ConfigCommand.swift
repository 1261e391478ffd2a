import ArgumentParser
import Foundation

/// `kioskctl config check`.
struct ConfigCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "config", abstract: "The configuration file and the catalog it names.", subcommands: [Check.self])

    struct Check: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Checks kiosk.conf and the catalog: each problem with file:line, the key, and what is expected.",
            discussion: """
                The check is kioskd's own (kioskd --check, installed beside kioskctl), so it reads the file exactly as \
                kioskd will. Exit status: 0 no problem, 65 a catalog file is rejected, 78 the configuration is not valid.
                """)

        @Option(name: .long, help: "The configuration file (default: kiosk.conf here, else /etc/kiosk/kiosk.conf).") var config: String?
        @Flag(name: .long, help: "JSON.") var json = false

        func run() async throws {
            let file = config ?? Connection.defaultConfig
            let process = Process()
            process.executableURL = Self.kioskd()
            process.arguments = ["--check", "--config", file] + (json ? ["--check-format", "json"] : [])
            // Its exit awaited, not waited for on a thread of the cooperative pool.
            let status: Int32
            do {
                status = try await withCheckedThrowingContinuation { continuation in
                    process.terminationHandler = { continuation.resume(returning: $0.terminationStatus) }
                    do {
                        try process.run()
                    } catch {
                        process.terminationHandler = nil
                        continuation.resume(throwing: error)
                    }
                }
            } catch {
                FileHandle.standardError.write(Data("kioskctl: cannot run \(process.executableURL?.path ?? "kioskd"): \(error)\n".utf8))
                throw ExitCode(1)
            }
            if status != 0 { throw ExitCode(status) }
        }

        /// kioskd beside this kioskctl (as installed, or in the same build), else on the PATH.
        static func kioskd() -> URL {
            let me = URL(fileURLWithPath: (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0])
            let beside = me.deletingLastPathComponent().appendingPathComponent("kioskd")
            if FileManager.default.isExecutableFile(atPath: beside.path) { return beside }
            for directory in (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin").split(separator: ":") {
                let candidate = URL(fileURLWithPath: String(directory)).appendingPathComponent("kioskd")
                if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
            }
            return beside
        }
    }
}
