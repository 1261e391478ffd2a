public import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
import Synchronization

/// HTTP/1.1 over a Unix domain socket: how kioskctl reaches kioskd's technician channel
/// (URLSession has no Unix sockets on Linux). One connection per request.
public struct UnixSocketHTTP: Sendable {
    public let socketPath: String

    public init(socketPath: String) { self.socketPath = socketPath }

    public struct Answer: Sendable {
        public var status: Int
        public var body: Data
    }

    public enum Failure: Error, CustomStringConvertible {
        /// The socket could not be connected to (absent, refused, no permission).
        case connect(String)
        /// The connection broke, or no whole answer came within the time allowed.
        case exchange(String)

        public var description: String {
            switch self {
            case .connect(let why), .exchange(let why): why
            }
        }
    }

    /// Sends one request and collects the whole answer, within `timeout` seconds.
    public func send(_ method: String, _ path: String, body: Data? = nil, timeout: TimeInterval) async throws(Failure) -> Answer {
        var status = 0
        var collected = Data()
        try await exchange(method, path, body: body, timeout: timeout, head: { status = $0 }, chunk: { collected.append($0) })
        return Answer(status: status, body: collected)
    }

    /// Sends one request and hands the answer's body over as it arrives, until kioskd ends it
    /// (or the task is cancelled). `head` gets the status first.
    public func stream(
        _ method: String, _ path: String, head: (Int) -> Void, chunk: (Data) async throws -> Void
    ) async throws(Failure) {
        try await exchange(method, path, body: nil, timeout: nil, head: head, chunk: chunk)
    }

    private func exchange(
        _ method: String, _ path: String, body: Data?, timeout: TimeInterval?, head: (Int) -> Void,
        chunk: (Data) async throws -> Void
    ) async throws(Failure) {
        let channel: NIOAsyncChannel<HTTPClientResponsePart, HTTPClientRequestPart>
        do {
            channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                .connectTimeout(.seconds(5))
                .connect(unixDomainSocketPath: socketPath) { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try channel.pipeline.syncOperations.addHTTPClientHandlers()
                        return try NIOAsyncChannel<HTTPClientResponsePart, HTTPClientRequestPart>(wrappingChannelSynchronously: channel)
                    }
                }
        } catch {
            throw .connect(Self.explain(error, path: socketPath))
        }
        // Past the time allowed the connection is closed, which ends the exchange below.
        let expired = Expired()
        let deadline = timeout.map { seconds in
            channel.channel.eventLoop.scheduleTask(in: .milliseconds(Int64(seconds * 1000))) {
                expired.flag.withLock { $0 = true }
                channel.channel.close(promise: nil)
            }
        }
        defer { deadline?.cancel() }
        do {
            try await channel.executeThenClose { inbound, outbound in
                var headers = HTTPHeaders([("Host", "localhost"), ("Connection", "close"), ("Accept", "application/json")])
                if let body { headers.add(name: "Content-Type", value: "application/json") }
                // Always a length: without one, NIO's encoder would make a POST chunked, which
                // kioskd reads as a body of unknown type.
                headers.add(name: "Content-Length", value: "\(body?.count ?? 0)")
                // The whole request in one write: written part by part, kioskd could answer and
                // close (Connection: close) once the body was in, and the last part's write would
                // then fail on the closed channel before the answer was read.
                var parts: [HTTPClientRequestPart] = [
                    .head(HTTPRequestHead(version: .http1_1, method: HTTPMethod(rawValue: method), uri: path, headers: headers))
                ]
                if let body { parts.append(.body(.byteBuffer(ByteBuffer(bytes: body)))) }
                parts.append(.end(nil))
                do {
                    try await outbound.write(contentsOf: parts)
                } catch ChannelError.ioOnClosedChannel {
                    // Closed after the request went out: the answer may be waiting below.
                }
                for try await part in inbound {
                    switch part {
                    case .head(let response): head(Int(response.status.code))
                    case .body(let buffer): try await chunk(Data(buffer.readableBytesView))
                    case .end: return
                    }
                }
                throw Failure.exchange("kioskd closed the connection before its answer was whole")
            }
        } catch {
            if expired.flag.withLock({ $0 }), let timeout { throw .exchange("no whole answer from kioskd within \(Int(timeout)) s") }
            if let failure = error as? Failure { throw failure }
            throw .exchange("the exchange with kioskd broke: \(error)")
        }
    }

    private final class Expired: Sendable {
        let flag = Mutex(false)
    }

    /// What the technician can do about a socket that does not connect.
    static func explain(_ error: any Error, path: String) -> String {
        let errno = (error as? IOError)?.errnoCode
        switch errno {
        case ENOENT: return "no socket at \(path): is kioskd running, and is this its technician.socket?"
        case ECONNREFUSED: return "nothing listens on \(path): kioskd is not running (systemctl status kioskd)"
        case EACCES, EPERM:
            return "no permission to use \(path): run kioskctl as a member of the technicians' group (technician.group in kiosk.conf), or as root"
        default: return "cannot connect to \(path): \(error)"
        }
    }
}
