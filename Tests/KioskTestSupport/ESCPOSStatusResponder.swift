import Dispatch
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A network ESC/POS printer's status side on 127.0.0.1: answers `DLE EOT 4` with the byte it
/// is given (or stays silent with nil), one connection at a time, until stopped.
public final class ESCPOSStatusResponder: @unchecked Sendable {
    public let port: UInt16
    private let fd: Int32
    private let lock = NSLock()
    private var answer: UInt8?
    private var stopped = false
    public private(set) var queries = 0

    public init(answer: UInt8?) throws {
        self.answer = answer
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var one: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, listen(fd, 4) == 0 else { throw POSIXError(.EADDRINUSE) }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) } }
        port = UInt16(bigEndian: address.sin_port)
        self.fd = fd
        let thread = Thread { [self] in serve() }
        thread.start()
    }

    public func set(answer: UInt8?) { lock.withLock { self.answer = answer } }

    public func stop() {
        lock.withLock { stopped = true }
        shutdown(fd, Int32(SHUT_RDWR))
        close(fd)
    }

    private func serve() {
        while true {
            let client = accept(fd, nil, nil)
            if client < 0 { return }
            var query = [UInt8](repeating: 0, count: 3)
            let n = recv(client, &query, 3, 0)
            let (reply, done) = lock.withLock { () -> (UInt8?, Bool) in
                if n == 3, query == [0x10, 0x04, 0x04] { queries += 1 }
                return (answer, stopped)
            }
            if n == 3, query == [0x10, 0x04, 0x04], var byte = reply { _ = send(client, &byte, 1, Int32(MSG_NOSIGNAL)) }
            close(client)
            if done { return }
        }
    }
}
