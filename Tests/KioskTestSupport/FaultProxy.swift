import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// A TCP proxy on loopback between a client and a server, for fault injection: it passes
/// bytes through, cuts each connection after a number of bytes from the client, answers 500
/// itself, holds connections without answering, or refuses them. Every connection and thread
/// ends with `stop()`.
public final class FaultProxy: Sendable {
    public enum Mode: Sendable, Equatable {
        case pass
        /// Each connection is cut once the client has sent this many bytes through it.
        case cutAfter(Int)
        /// Reads the request and answers `500 Internal Server Error` itself.
        case answer500
        /// Accepts and reads, never answers.
        case hang
        /// Accepts and closes at once.
        case refuse
    }

    public let port: Int
    private let target: Int
    private let listener: Int32
    private let mode: Mutex<Mode>
    private let open = Mutex<Set<Int32>>([])
    private let stopped = Mutex(false)
    /// Connections accepted so far.
    public var connections: Int { accepted.withLock { $0 } }
    private let accepted = Mutex(0)

    public init(to target: Int, mode: Mode = .pass) throws {
        self.target = target
        self.mode = Mutex(mode)
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var yes: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0 }
        }
        guard fd >= 0, bound, listen(fd, 64) == 0 else { throw POSIXError(.EADDRINUSE) }
        listener = fd
        port = Int(UInt16(bigEndian: address.sin_port))
        let thread = Thread { [self] in acceptLoop() }
        thread.start()
    }

    /// Switches to `mode` for the connections made from now on, and cuts the ones open (as a
    /// central restarting or a link dropping would): a client that keeps its connection alive
    /// meets the new mode on its next request, not only on its next connection.
    public func set(_ mode: Mode) {
        self.mode.withLock { $0 = mode }
        for fd in open.withLock({ $0 }) { shutdown(fd, Int32(SHUT_RDWR)) }
    }

    /// Closes the listener and every connection.
    public func stop() {
        let already = stopped.withLock { value -> Bool in
            defer { value = true }
            return value
        }
        guard !already else { return }
        shutdown(listener, Int32(SHUT_RDWR))
        close(listener)
        for fd in open.withLock({ $0 }) { shutdown(fd, Int32(SHUT_RDWR)) }
    }

    deinit { stop() }

    private func track(_ fd: Int32) { open.withLock { _ = $0.insert(fd) } }
    private func finish(_ fd: Int32) {
        open.withLock { _ = $0.remove(fd) }
        close(fd)
    }

    private func acceptLoop() {
        while !stopped.withLock({ $0 }) {
            let client = accept(listener, nil, nil)
            guard client >= 0 else {
                if stopped.withLock({ $0 }) { return }
                continue
            }
            accepted.withLock { $0 += 1 }
            track(client)
            let current = mode.withLock { $0 }
            Thread { [self] in serve(client, current) }.start()
        }
    }

    private func serve(_ client: Int32, _ mode: Mode) {
        switch mode {
        case .refuse:
            finish(client)
        case .hang:
            var buffer = [UInt8](repeating: 0, count: 65536)
            while recv(client, &buffer, buffer.count, 0) > 0 {}
            finish(client)
        case .answer500:
            var buffer = [UInt8](repeating: 0, count: 65536)
            var seen = Data()
            while !seen.contains(Data("\r\n\r\n".utf8)) {
                let count = recv(client, &buffer, buffer.count, 0)
                guard count > 0 else { break }
                seen.append(contentsOf: buffer[0..<count])
            }
            let answer = "HTTP/1.1 500 Internal Server Error\r\nContent-Type: text/plain\r\nContent-Length: 5\r\nConnection: close\r\n\r\noops!"
            _ = answer.withCString { send(client, $0, strlen($0), Int32(MSG_NOSIGNAL)) }
            shutdown(client, Int32(SHUT_WR))
            finish(client)
        case .pass, .cutAfter:
            guard let server = connectLoopback(port: target, timeoutSeconds: 120) else {
                finish(client)
                return
            }
            track(server)
            let limit: Int? = if case .cutAfter(let n) = mode { n } else { nil }
            let done = DispatchSemaphore(value: 0)
            Thread { [self] in
                pump(from: server, to: client, limit: nil)
                shutdown(client, Int32(SHUT_RDWR))
                shutdown(server, Int32(SHUT_RDWR))
                done.signal()
            }.start()
            pump(from: client, to: server, limit: limit)
            shutdown(client, Int32(SHUT_RDWR))
            shutdown(server, Int32(SHUT_RDWR))
            done.wait()
            finish(server)
            finish(client)
        }
    }

    /// Copies until either side closes, or `limit` bytes have gone through.
    private func pump(from source: Int32, to destination: Int32, limit: Int?) {
        var buffer = [UInt8](repeating: 0, count: 65536)
        var total = 0
        while true {
            let wanted = limit.map { min(buffer.count, $0 - total) } ?? buffer.count
            guard wanted > 0 else { return }
            let count = recv(source, &buffer, wanted, 0)
            guard count > 0 else { return }
            var sent = 0
            while sent < count {
                let written = buffer.withUnsafeBytes { send(destination, $0.baseAddress! + sent, count - sent, Int32(MSG_NOSIGNAL)) }
                guard written > 0 else { return }
                sent += written
            }
            total += count
        }
    }
}
