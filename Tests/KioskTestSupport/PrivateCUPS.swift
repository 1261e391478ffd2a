import Foundation

/// A private cupsd in a fresh directory, started by the project's own scripts/setup-cups.sh
/// (queues kiosk_receipt and kiosk_a4 capturing into `printed`); `stop()` ends it.
public struct PrivateCUPS: Sendable {
    public let directory: URL
    public var socket: String { directory.appendingPathComponent("cups.sock").path }
    public var printed: URL { directory.appendingPathComponent("printed") }

    public static func start() async throws -> PrivateCUPS {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("kiosk-cups-\(UUID().uuidString.prefix(8))")
        let setup = try await runProgram(
            URL(fileURLWithPath: "/bin/bash"), [repositoryRoot.appendingPathComponent("scripts/setup-cups.sh").path, dir.path])
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

    /// Adds a raw queue that captures like kiosk_receipt but takes `seconds` to print each job.
    public func slowQueue(_ name: String, seconds: Double) async throws {
        let uri = "capture:\(printed.appendingPathComponent(name).path)?delay=\(seconds)"
        let added = try await tool("lpadmin", ["-p", name, "-E", "-v", uri, "-m", "raw"])
        guard added.status == 0 else { throw Failure(message: "lpadmin failed: \(added.errors)") }
    }

    /// cupsd's process id, from the pid file setup-cups.sh writes.
    public var schedulerPID: Int32? {
        (try? String(contentsOf: directory.appendingPathComponent("cupsd.pid"), encoding: .utf8))
            .flatMap { Int32($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
    }

    /// Kills cupsd with SIGKILL, as a crash would; its backends go on, as they would.
    public func crashScheduler() async {
        guard let pid = schedulerPID else { return }
        kill(pid, SIGKILL)
        // Gone once it no longer answers on its socket.
        for _ in 0..<100 {
            guard (try? await tool("lpstat", ["-r"]))?.status == 0 else { break }
            try? await Task.sleep(for: .milliseconds(50))
        }
    }

    /// Starts cupsd again on the same directory, queues and job history.
    public func restartScheduler() async throws {
        let setup = try await runProgram(
            URL(fileURLWithPath: "/bin/bash"), [repositoryRoot.appendingPathComponent("scripts/setup-cups.sh").path, directory.path])
        guard setup.status == 0 else { throw Failure(message: "setup-cups.sh failed: \(setup.errors)") }
    }

    /// Stops cupsd and every backend or filter it started (cupsd runs each in a process group
    /// of its own, so they are found by the server root in their environment), then removes
    /// the directory.
    public func stop() {
        // SIGKILL: a process started from a thread of the test runner inherits that thread's
        // blocked signals (SIGTERM among them), and this cupsd keeps nothing.
        if let pid = schedulerPID { kill(pid, SIGKILL) }
        for pid in processes(withEnvironment: "CUPS_SERVERROOT=\(directory.path)") { kill(pid, SIGKILL) }
        try? FileManager.default.removeItem(at: directory)
    }

    private func processes(withEnvironment entry: String) -> [Int32] {
        KioskTestSupport.processes(withEnvironment: entry)
    }

    public struct Failure: Error, CustomStringConvertible {
        public var message: String
        public var description: String { message }
    }
}

/// The processes (other than this one) whose environment holds `entry` (`NAME=value`): a
/// test marks the processes it starts with a unique entry to find them, and their children.
public func processes(withEnvironment entry: String) -> [Int32] {
    let wanted = Data(entry.utf8)
    let pids = ((try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []).compactMap(Int32.init)
    return pids.filter { pid in
        guard pid != getpid(), let environment = FileManager.default.contents(atPath: "/proc/\(pid)/environ") else { return false }
        return environment.split(separator: 0).contains { Data($0) == wanted }
    }
}
