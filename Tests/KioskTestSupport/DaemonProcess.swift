import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A daemon a test starts (kioskd): its output goes to a log file, it counts as ready when
/// its health URL answers on loopback, and the test always stops it, pass or fail — SIGTERM,
/// then SIGKILL after a grace period; a daemon that never becomes ready is killed at once.
public final class DaemonProcess: @unchecked Sendable {
    // @unchecked: Process is not Sendable; it is only started here and then signalled or
    // waited on, which Foundation allows from any thread.
    public let process: Process
    public let log: URL

    public static func launch(_ executable: URL, _ arguments: [String], log: URL, environment: [String: String]? = nil) async throws -> DaemonProcess
    {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        if let environment { process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 } }
        FileManager.default.createFile(atPath: log.path, contents: nil)
        let handle = try FileHandle(forWritingTo: log)
        try handle.seekToEnd()
        process.standardOutput = handle
        process.standardError = handle
        process.standardInput = FileHandle.nullDevice
        try await start(process)
        try? handle.close()
        return DaemonProcess(process: process, log: log)
    }

    private init(process: Process, log: URL) {
        self.process = process
        self.log = log
    }

    deinit { if process.isRunning { Glibc.kill(process.processIdentifier, SIGKILL) } }

    public var pid: Int32 { process.processIdentifier }

    /// The last lines of the daemon's output, for a failure message.
    public func logTail(_ lines: Int = 30) -> String {
        let text = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
        return text.split(separator: "\n", omittingEmptySubsequences: false).suffix(lines).joined(separator: "\n")
    }

    /// Waits until `GET path` on 127.0.0.1:`port` answers 200. Polls over a plain socket on a
    /// thread of its own, so a busy test process cannot make a ready daemon look dead; a
    /// daemon that exits, or is not ready after `seconds`, is killed and the wait throws with
    /// its log.
    public func waitUntilReady(port: Int, path: String = "/api/v1/health", seconds: Double = 90) async throws {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            guard process.isRunning else {
                throw Failure(message: "the daemon exited (status \(process.terminationStatus)) before it was ready:\n\(logTail())")
            }
            if await onOwnThread({ httpStatus(port: port, path: path) }) == 200 { return }
            try await Task.sleep(for: .milliseconds(50))
        }
        kill()
        throw Failure(message: "the daemon did not answer \(path) on port \(port) within \(Int(seconds)) s; killed:\n\(logTail())")
    }

    /// SIGKILL, as a crash would; returns once the process is gone.
    public func kill() {
        guard process.isRunning else { return }
        Glibc.kill(process.processIdentifier, SIGKILL)
        while process.isRunning { usleep(5_000) }
    }

    /// SIGTERM, then SIGKILL if it has not exited after `grace`; returns how it ended.
    @discardableResult
    public func stop(grace: Double = 15) async -> (reason: Process.TerminationReason, status: Int32) {
        if process.isRunning {
            Glibc.kill(process.processIdentifier, SIGTERM)
            let deadline = Date().addingTimeInterval(grace)
            while process.isRunning, Date() < deadline { try? await Task.sleep(for: .milliseconds(20)) }
            kill()
        }
        await waitForExit(process)
        return (process.terminationReason, process.terminationStatus)
    }

    public struct Failure: Error, CustomStringConvertible {
        public var message: String
        public var description: String { message }
    }
}

/// The status code of `GET path` on 127.0.0.1:`port` (with `host` as its Host header, if
/// given), or nil if nothing answered in time.
/// Blocking: call it from a thread of its own.
public func httpStatus(port: Int, path: String, host: String? = nil, timeoutSeconds: Int = 5) -> Int? {
    guard let fd = connectLoopback(port: port, timeoutSeconds: timeoutSeconds) else { return nil }
    defer { close(fd) }
    let request = "GET \(path) HTTP/1.1\r\nHost: \(host ?? "127.0.0.1:\(port)")\r\nConnection: close\r\n\r\n"
    guard request.withCString({ send(fd, $0, strlen($0), 0) }) > 0 else { return nil }
    var buffer = [UInt8](repeating: 0, count: 64)
    let count = recv(fd, &buffer, buffer.count, 0)
    guard count > 12 else { return nil }
    // "HTTP/1.1 200 OK"
    let line = String(decoding: buffer[0..<count], as: UTF8.self)
    return line.split(separator: " ").dropFirst().first.flatMap { Int($0) }
}

/// A blocking TCP socket connected to 127.0.0.1:`port`, reads and writes bounded by
/// `timeoutSeconds`; nil if nothing accepts. The caller closes it.
public func connectLoopback(port: Int, timeoutSeconds: Int) -> Int32? {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard fd >= 0 else { return nil }
    var timeout = timeval(tv_sec: timeoutSeconds, tv_usec: 0)
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = in_port_t(UInt16(port).bigEndian)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    let connected = withUnsafePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
    }
    guard connected == 0 else {
        close(fd)
        return nil
    }
    return fd
}

/// A loopback TCP port that nothing listens on now (the kernel's choice, not a random guess
/// that may collide with another test's server).
public func freeLoopbackPort() throws -> Int {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard fd >= 0 else { throw POSIXError(.EMFILE) }
    defer { close(fd) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = 0
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    let bound = withUnsafeMutablePointer(to: &address) { pointer in
        pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0 }
    }
    guard bound else { throw POSIXError(.EADDRINUSE) }
    return Int(UInt16(bigEndian: address.sin_port))
}

/// A Unix stream socket bound at `path` (not yet listening), or nil; the caller closes it.
public func boundUnixSocket(_ path: String) -> Int32? {
    let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
    guard fd >= 0 else { return nil }
    var address = sockaddr_un()
    address.sun_family = sa_family_t(AF_UNIX)
    withUnsafeMutableBytes(of: &address.sun_path) { raw in _ = path.utf8CString.withUnsafeBytes { raw.copyBytes(from: $0.prefix(raw.count - 1)) } }
    let bound = withUnsafePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
    }
    guard bound == 0 else {
        close(fd)
        return nil
    }
    return fd
}
