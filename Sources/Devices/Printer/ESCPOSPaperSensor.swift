import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The roll-paper sensor of an ESC/POS thermal printer (`DLE EOT 4`), asked directly over the
/// network for printers CUPS reaches at `socket://host:9100`: CUPS's raw path carries no answer
/// back, and "paper low" is worth knowing before a receipt is needed.
public enum ESCPOSPaperSensor {
    public static let query: [UInt8] = [0x10, 0x04, 0x04]

    public enum Reading: Sendable, Equatable {
        case ok, low, out
    }

    /// Decodes the answer to DLE EOT 4: bits 2-3 set = paper near end, bits 5-6 set = paper
    /// end. Nil when the byte is not a status answer (bits 1 and 4 set, 0 and 7 clear).
    public static func decode(_ byte: UInt8) -> Reading? {
        guard byte & 0b1001_0011 == 0b0001_0010 else { return nil }
        if byte & 0b0110_0000 != 0 { return .out }
        if byte & 0b0000_1100 != 0 { return .low }
        return .ok
    }

    /// Host and port of a `socket://host[:port]` device URI (port 9100 when absent).
    public static func endpoint(deviceURI: String) -> (host: String, port: UInt16)? {
        guard let url = URL(string: deviceURI), url.scheme == "socket", let host = url.host, !host.isEmpty else { return nil }
        return (host, UInt16(url.port ?? 9100))
    }

    /// Asks the printer at `host:port`; nil when it does not answer a status byte in time
    /// (a printer busy with a job, or one that does not implement the query).
    public static func ask(host: String, port: UInt16, timeoutMilliseconds: Int32 = 1500) -> Reading? {
        var hints = addrinfo()
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var info: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(host, String(port), &hints, &info) == 0, let first = info else { return nil }
        defer { freeaddrinfo(info) }
        let fd = socket(first.pointee.ai_family, first.pointee.ai_socktype, first.pointee.ai_protocol)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        // Connect without blocking past the timeout.
        let flags = fcntl(fd, F_GETFL, 0)
        _ = fcntl(fd, F_SETFL, flags | O_NONBLOCK)
        if connect(fd, first.pointee.ai_addr, first.pointee.ai_addrlen) != 0 {
            guard errno == EINPROGRESS, wait(fd, for: Int16(POLLOUT), timeoutMilliseconds) else { return nil }
            var error: Int32 = 0
            var length = socklen_t(MemoryLayout<Int32>.size)
            guard getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &length) == 0, error == 0 else { return nil }
        }
        guard send(fd, query, query.count, Int32(MSG_NOSIGNAL)) == query.count, wait(fd, for: Int16(POLLIN), timeoutMilliseconds) else { return nil }
        var byte: UInt8 = 0
        guard recv(fd, &byte, 1, 0) == 1 else { return nil }
        return decode(byte)
    }

    private static func wait(_ fd: Int32, for events: Int16, _ timeout: Int32) -> Bool {
        var p = pollfd(fd: fd, events: events, revents: 0)
        return poll(&p, 1, timeout) == 1 && p.revents & events != 0
    }
}
