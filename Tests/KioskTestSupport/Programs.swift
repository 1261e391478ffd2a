import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The repository's root directory.
public let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

/// An executable built next to the test bundle (`kioskd`, `kioskctl`).
public func builtProduct(_ name: String) -> URL {
    let exe = URL(fileURLWithPath: (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0])
    return exe.deletingLastPathComponent().appendingPathComponent(name)
}

/// The outcome of a program run to its end.
public struct ProgramResult: Sendable {
    public var status: Int32
    public var stdout: Data
    public var stderr: Data
    public var output: String { String(decoding: stdout, as: UTF8.self) }
    public var errors: String { String(decoding: stderr, as: UTF8.self) }
}

/// Runs `body` on a thread of its own and returns its result.
///
/// Blocking waits (a pipe read, waitpid, a socket) must stay off both the cooperative pool and
/// libdispatch's global queues: on this 2-core machine each has about two threads, and a test
/// that blocks them starves everything else in the test process — URLSession's completions
/// among them (a kioskd that curl reached in 24 ms was not reached by the test within 20 s).
public func onOwnThread<T: Sendable>(_ body: @escaping @Sendable () -> T) async -> T {
    await withCheckedContinuation { continuation in
        let thread = Thread { continuation.resume(returning: body()) }
        thread.stackSize = 1 << 20
        thread.start()
    }
}

/// Runs a program to its end without blocking the cooperative pool (a server under test may
/// need those threads; this machine has two). Standard output and standard error are read at
/// the same time, so a child that fills one pipe while we wait on the other cannot deadlock.
/// `input`, when given, is the program's standard input.
public func runProgram(
    _ executable: URL, _ arguments: [String], environment: [String: String]? = nil, input: Data? = nil
) async throws -> ProgramResult {
    let process = Process()
    process.executableURL = executable
    process.arguments = arguments
    if let environment { process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 } }
    let stdout = Pipe()
    let stderr = Pipe()
    process.standardOutput = stdout
    process.standardError = stderr
    let stdin = Pipe()
    if input != nil { process.standardInput = stdin }
    try await start(process)
    async let out = onOwnThread { stdout.fileHandleForReading.readDataToEndOfFile() }
    async let err = onOwnThread { stderr.fileHandleForReading.readDataToEndOfFile() }
    if let input {
        // Written from a thread of its own too: a large input must not wait on our reading.
        await onOwnThread {
            stdin.fileHandleForWriting.write(input)
            try? stdin.fileHandleForWriting.close()
        }
    }
    let (output, errors) = await (out, err)
    await waitForExit(process)
    return ProgramResult(status: process.terminationStatus, stdout: output, stderr: errors)
}

/// Starts `process` from a thread of its own. A child started from the cooperative pool or a
/// dispatch queue inherits that thread's signal mask, which blocks nearly every signal —
/// SIGTERM included — so it could only ever be stopped with SIGKILL.
public func start(_ process: Process) async throws {
    try await onOwnThread { Result { try process.run() } }.get()
}

/// Waits for a process to end without holding any thread: Foundation's `waitUntilExit` spins
/// a run loop at full CPU on any thread but the main one, and only returns once every process
/// that inherited the child's descriptors (a grandchild in the background) has exited too.
public func waitForExit(_ process: Process) async {
    while process.isRunning { try? await Task.sleep(for: .milliseconds(10)) }
}
