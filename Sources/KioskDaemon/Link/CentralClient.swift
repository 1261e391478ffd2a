import CentralProtocol
import Foundation
import Localized
import Synchronization
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Why a call to the central failed, and so what the kiosk does next.
enum LinkFailure: Error, CustomStringConvertible {
    /// Nothing answered, the connection broke, or no answer came in time: try again later.
    case unreachable(String)
    /// The central refused, with its reason (`body`) when it gave one in the protocol's shape.
    case refused(status: Int, body: CentralErrorBody?, retryAfter: TimeInterval?)
    /// An answer that is not the protocol's (a captive portal's page, a proxy's 200).
    case unreadable(status: Int, String)

    var description: String {
        switch self {
        case .unreachable(let why): "the central is not reachable: \(why)"
        case .refused(let status, let body, _):
            "the central answered \(status)" + (body.map { " \($0.code): \($0.detail ?? $0.message.en)" } ?? " without the protocol's error body")
        case .unreadable(let status, let why): "the central's answer (HTTP \(status)) is not the protocol's: \(why)"
        }
    }

    var code: String? {
        if case .refused(_, let body, _) = self { return body?.code }
        return nil
    }

    /// A refusal that sending the same thing again will not change (4xx but for timeouts,
    /// rate limits and the kiosk's own authentication, which a technician fixes).
    var isPermanent: Bool {
        guard case .refused(let status, let body, _) = self else { return false }
        if [408, 425, 429].contains(status) || status >= 500 { return false }
        if status == 401 || status == 403 { return false }
        return body != nil || status == 404 || status == 413
    }

    /// The intake state a refusal with `code` carries (where the central stands).
    func intakeState(if code: String) -> IntakeState? {
        if case .refused(_, let body?, _) = self, body.code == code { return body.state }
        return nil
    }

    var retryAfter: TimeInterval? {
        if case .refused(_, _, let after) = self { return after }
        return nil
    }
}

/// The kiosk's correction of its own clock towards the central's, learned from each answer
/// that carries the server's time, and applied to each signature's `created`.
final class CentralClock: Sendable {
    private let offset = Mutex<TimeInterval>(0)

    var offsetSeconds: TimeInterval { offset.withLock { $0 } }
    /// Now, by the central's clock as last learned.
    var now: Date { Date().addingTimeInterval(offsetSeconds) }

    func learn(serverTime: Date, sentAt: Date, receivedAt: Date) {
        let midpoint = sentAt.addingTimeInterval(receivedAt.timeIntervalSince(sentAt) / 2)
        offset.withLock { $0 = serverTime.timeIntervalSince(midpoint) }
    }
}

/// Signed requests to the central (RFC 9421 over method, authority, path, query, type and
/// digest), through Foundation's URLSession (libcurl): one connection kept alive.
struct CentralClient: Sendable {
    let base: URL
    let signer: MessageSigner
    let clock: CentralClock
    let session: URLSession

    init(base: URL, signer: MessageSigner, clock: CentralClock) {
        self.base = base
        self.signer = signer
        self.clock = clock
        let configuration = URLSessionConfiguration.ephemeral
        configuration.httpMaximumConnectionsPerHost = 1
        configuration.requestCachePolicy = .reloadIgnoringLocalCacheData
        configuration.urlCache = nil
        configuration.httpCookieStorage = nil
        // Each request's own limit is kept by `withDeadline`; these only bound what it misses.
        configuration.timeoutIntervalForRequest = 600
        configuration.timeoutIntervalForResource = 3600
        session = URLSession(configuration: configuration)
    }

    /// Sends a signed request; returns the status and body of a 2xx answer. A signature
    /// refused as skewed is sent once more with the clock learned from the refusal; one
    /// refused as replayed too, signed anew (libcurl sends a request again by itself when a
    /// kept-alive connection breaks under it, nonce and all).
    func send(
        _ method: String, _ path: String, query: String? = nil, body: Data, contentType: String = "application/json",
        timeout: TimeInterval = 30
    ) async throws(LinkFailure) -> (status: Int, body: Data) {
        do throws(LinkFailure) {
            return try await attempt(method, path, query: query, body: body, contentType: contentType, timeout: timeout)
        } catch {
            guard error.code == "signature.skewed" || error.code == "signature.replayed" else { throw error }
            return try await attempt(method, path, query: query, body: body, contentType: contentType, timeout: timeout)
        }
    }

    private func attempt(
        _ method: String, _ path: String, query: String?, body: Data, contentType: String, timeout: TimeInterval
    )
        async throws(LinkFailure) -> (status: Int, body: Data)
    {
        var components = URLComponents(url: base, resolvingAgainstBaseURL: false)!
        components.percentEncodedPath = base.path.hasSuffix("/") ? String(base.path.dropLast()) + path : base.path + path
        components.percentEncodedQuery = query
        guard let url = components.url else { throw .unreachable("cannot make a URL of \(path)") }
        let authority = (base.host ?? "") + (base.port.map { ":\($0)" } ?? "")
        let signed = SignedRequest(
            method: method, authority: authority, path: components.percentEncodedPath, query: query, fields: ["content-type": contentType])
        var request = URLRequest(url: url, timeoutInterval: timeout)
        request.httpMethod = method
        request.httpBody = body
        request.setValue(contentType, forHTTPHeaderField: "Content-Type")
        request.setValue(authority, forHTTPHeaderField: "Host")
        do {
            for (name, value) in try signer.fields(for: signed, body: body, created: clock.now) {
                request.setValue(value, forHTTPHeaderField: name)
            }
        } catch {
            throw .unreachable("cannot sign: \(error)")
        }
        let sentAt = Date()
        let data: Data
        let response: URLResponse
        do {
            let prepared = request
            (data, response) = try await withDeadline(timeout) { [session] in try await session.data(for: prepared) }
        } catch {
            throw .unreachable(error is DeadlineExceeded ? "no answer within \(Int(timeout)) s" : error.localizedDescription)
        }
        let status = (response as? HTTPURLResponse)?.statusCode ?? 0
        guard (200..<300).contains(status) else {
            let error = try? CentralCoding.decoder().decode(CentralErrorBody.self, from: data)
            if let serverTime = error?.serverTime { clock.learn(serverTime: serverTime, sentAt: sentAt, receivedAt: Date()) }
            let retryAfter = (response as? HTTPURLResponse)?.value(forHTTPHeaderField: "Retry-After").flatMap(TimeInterval.init)
            throw .refused(status: status, body: error, retryAfter: retryAfter)
        }
        return (status, data)
    }

    /// Sends and decodes a 2xx answer as `T`; an answer of another shape is `unreadable`.
    func call<T: Decodable>(
        _ type: T.Type, _ method: String, _ path: String, query: String? = nil, body: Data, contentType: String = "application/json",
        timeout: TimeInterval = 30
    ) async throws(LinkFailure) -> T {
        let (status, data) = try await send(method, path, query: query, body: body, contentType: contentType, timeout: timeout)
        do {
            return try CentralCoding.decoder().decode(T.self, from: data)
        } catch {
            throw .unreadable(status: status, "expected \(T.self)")
        }
    }

    /// Whether `url` may be a central: `https://`, or `http://` on a loopback address only.
    static func checkCentralURL(_ text: String) throws(KioskError) -> URL {
        guard let url = URL(string: text), let scheme = url.scheme?.lowercased(), let host = url.host, !host.isEmpty else {
            throw KioskError.invalidCentralURL(text, "not a URL")
        }
        switch scheme {
        case "https": return url
        case "http":
            let loopback = host == "localhost" || host == "::1" || host == "[::1]" || host.hasPrefix("127.")
            guard loopback else { throw KioskError.invalidCentralURL(text, "plain http:// is accepted for a loopback address only: use https://") }
            return url
        default: throw KioskError.invalidCentralURL(text, "the scheme must be https")
        }
    }
}

struct DeadlineExceeded: Error {}

/// Runs `body`, cancelling it and throwing `DeadlineExceeded` after `seconds`. (URLSession on
/// Linux does not keep a request's own `timeoutInterval` for a server that accepts and then
/// says nothing.)
func withDeadline<T: Sendable>(_ seconds: TimeInterval, _ body: @escaping @Sendable () async throws -> T) async throws -> T {
    try await withThrowingTaskGroup(of: T.self) { group in
        group.addTask { try await body() }
        group.addTask {
            try await Task.sleep(for: .milliseconds(Int(seconds * 1000)))
            throw DeadlineExceeded()
        }
        defer { group.cancelAll() }
        return try await group.next()!
    }
}
