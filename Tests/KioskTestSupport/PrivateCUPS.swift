import Foundation

/// A private cupsd in a fresh directory, started by the project's own scripts/setup-cups.sh
/// (queues kiosk_receipt and kiosk_a4 capturing into `printed`); `stop()` ends it.
public struct PrivateCUPS: Sendable {
    public let directory: URL
    public var socket: String { directory.appendingPathComponent("cups.sock").path }
    public var printed: URL { directory.appendingPathComponent("printed") }

    public static func start() async throws -> PrivateCUPS {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("kiosk-cups-\(UUID().uuidString.prefix(8))")
        let setup = try await runProgram(URL(fileURLWithPath: "/bin/bash"), [repositoryRoot.appendingPathComponent("scripts/setup-cups.sh").path, dir.path])
        guard setup.status == 0 else { throw Failure(message: "setup-cups.sh failed: \(setup.errors)") }
        return PrivateCUPS(directory: dir)
    }

    /// Runs a CUPS command-line tool against this cupsd.
    @discardableResult
    public func tool(_ name: String, _ arguments: [String]) async throws -> ProgramResult {
        let path = ["/usr/sbin/\(name)", "/usr/bin/\(name)"].first { FileManager.default.isExecutableFile(atPath: $0) } ?? name
        return try await runProgram(URL(fileURLWithPath: path), arguments, environment: ["CUPS_SERVER": socket])
    }

    /// Adds a queue on the fault backend (`paper-out`, `jam`, `offline`, `cover-open`).
    public func faultQueue(_ name: String, _ fault: String) async throws {
        let added = try await tool("lpadmin", ["-p", name, "-E", "-v", "fault:/\(fault)", "-m", "raw", "-o", "printer-error-policy=abort-job"])
        guard added.status == 0 else { throw Failure(message: "lpadmin failed: \(added.errors)") }
    }

    public func captured(_ folder: String) -> [Data] {
        let dir = printed.appendingPathComponent(folder)
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []).filter { !$0.hasSuffix(".part") }.sorted()
        return names.compactMap { FileManager.default.contents(atPath: dir.appendingPathComponent($0).path) }
    }

    public func stop() {
        if let pid = try? String(contentsOf: directory.appendingPathComponent("cupsd.pid"), encoding: .utf8), let value = Int32(pid.trimmingCharacters(in: .whitespacesAndNewlines)) {
            // SIGKILL: a process started from a thread of the test runner inherits that
            // thread's blocked signals (SIGTERM among them), and this cupsd keeps nothing.
            kill(value, SIGKILL)
        }
        try? FileManager.default.removeItem(at: directory)
    }

    public struct Failure: Error, CustomStringConvertible {
        public var message: String
        public var description: String { message }
    }
}
