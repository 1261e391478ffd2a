import Dispatch
import Foundation
import KioskAPI
import KioskTestSupport
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
#if canImport(Glibc)
import Glibc
#endif

@testable import KioskDaemon

/// A plain HTTP client for tests that talk to a real `kioskd` over a socket.
struct LiveClient {
    let base: URL

    init(port: Int) { base = URL(string: "http://127.0.0.1:\(port)/api/v1/")! }

    @discardableResult
    func call(_ method: String, _ path: String, _ body: String? = nil) async throws -> (Int, [String: Any]) {
        var request = URLRequest(url: URL(string: path, relativeTo: base)!)
        request.httpMethod = method
        request.timeoutInterval = 10
        if let body {
            request.httpBody = Data(body.utf8)
            request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        }
        let (data, response) = try await URLSession.shared.data(for: request)
        let object = (try? JSONSerialization.jsonObject(with: data) as? [String: Any]) ?? [:]
        return ((response as? HTTPURLResponse)?.statusCode ?? 0, object)
    }

    func event(_ session: String, _ body: String) async throws -> (Int, [String: Any]) {
        try await call("POST", "sessions/\(session)/events", body)
    }

    /// Polls `GET /sessions/{id}` until `condition` holds or `seconds` pass.
    func waitFor(_ session: String, seconds: Double = 30, _ condition: ([String: Any]) -> Bool) async throws -> [String: Any]? {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            let (_, screen) = try await call("GET", "sessions/\(session)")
            if condition(screen) { return screen }
            try await Task.sleep(for: .milliseconds(20))
        }
        return nil
    }
}

/// A JSON object carried across threads as its text.
struct JSONText: Sendable {
    let data: Data
    init(_ object: [String: Any]) { data = (try? JSONSerialization.data(withJSONObject: object)) ?? Data("{}".utf8) }
    var object: [String: Any]? { try? JSONSerialization.jsonObject(with: data) as? [String: Any] }
}

/// Reads a Server-Sent Events stream over a raw socket, so a test can watch events arrive
/// while it drives the API.
final class SSEReader: @unchecked Sendable {
    private let fd: Int32
    private var buffer = Data()

    init(port: Int, path: String) throws {
        guard let fd = connectLoopback(port: port, timeoutSeconds: 10) else { throw POSIXError(.ECONNREFUSED) }
        self.fd = fd
        let request = "GET \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n"
        _ = request.withCString { send(fd, $0, strlen($0), 0) }
    }

    deinit { close(fd) }

    /// Reads until an event named `name` whose data satisfies `match` arrives; returns its data.
    /// The blocking socket read runs on a thread of its own, never on the cooperative pool
    /// or a dispatch queue (`onOwnThread`).
    func next(_ name: String, where match: @escaping @Sendable ([String: Any]) -> Bool = { _ in true }) async -> [String: Any]? {
        let found = await onOwnThread { self.readNext(name, match).map(JSONText.init) }
        return found?.object
    }

    private func readNext(_ name: String, _ match: ([String: Any]) -> Bool) -> [String: Any]? {
        let separator = Data("\n\n".utf8)
        while true {
            // Frames are decoded only when whole: a UTF-8 character may straddle two reads.
            while let end = buffer.range(of: separator) {
                let frame = String(decoding: buffer[buffer.startIndex..<end.lowerBound], as: UTF8.self)
                buffer = Data(buffer[end.upperBound...])
                guard let start = frame.range(of: "event: ") else { continue }
                let lines = frame[start.lowerBound...].split(separator: "\n")
                let event = lines.first?.dropFirst("event: ".count).trimmingCharacters(in: .whitespaces)
                let data = lines.first { $0.hasPrefix("data: ") }.map { String($0.dropFirst(6)) } ?? "{}"
                if event == name, let object = try? JSONSerialization.jsonObject(with: Data(data.utf8)) as? [String: Any], match(object) {
                    return object
                }
            }
            var chunk = [UInt8](repeating: 0, count: 4096)
            let count = recv(fd, &chunk, chunk.count, 0)
            guard count > 0 else { return nil }
            buffer.append(contentsOf: chunk[0..<count])
        }
    }
}

/// The technician's channel of a kioskd (its Unix socket), as kioskctl uses it.
struct TechnicianClient: Sendable {
    let socket: String

    init(socket: String) { self.socket = socket }
    init(_ config: KioskConfig) { socket = config.technician.socket.path }

    /// `path` below /api/v1/ (or from the root, when it starts with `/`). kioskd binds the socket as it starts: a socket not there yet
    /// is waited for (up to 60 s, for a busy machine).
    @discardableResult
    func call(_ method: String, _ path: String, _ body: String? = nil, timeout: TimeInterval = 120) async throws -> (Int, [String: Any]) {
        let deadline = Date().addingTimeInterval(60)
        let client = UnixSocketHTTP(socketPath: socket)
        var answer: UnixSocketHTTP.Answer?
        while answer == nil {
            do {
                answer = try await client.send(
                    method, path.hasPrefix("/") ? path : "/api/v1/" + path, body: body.map { Data($0.utf8) }, timeout: timeout)
            } catch {
                guard case .connect = error, Date() < deadline else { throw error }
                try await Task.sleep(for: .milliseconds(50))
            }
        }
        let data = answer?.body ?? Data()
        let parsed = data.isEmpty ? nil : try? JSONSerialization.jsonObject(with: data)
        return (answer?.status ?? 0, parsed as? [String: Any] ?? (parsed.map { ["array": $0] } ?? [:]))
    }
}
