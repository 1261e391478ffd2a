import Foundation
import Hummingbird

/// Only the kiosk's own screen drives the local API. A page open in the kiosk's browser, or
/// anywhere else, must not create sessions, print or read events:
/// - `Host` must name the kiosk (loopback, or a configured name): a DNS-rebinding page
///   reaches the socket with its own host name and is refused;
/// - an `Origin`, when a browser sends one, must be the kiosk's own (same host names);
/// - a body is accepted as `application/json` only, so a cross-site "simple" request
///   (`text/plain`, a form) that needs no CORS preflight is refused before it is read.
/// No CORS header is ever sent, so no other origin can read an answer. Tools without a
/// browser (curl, kioskctl) send no `Origin` and pass.
struct OriginGuard: RouterMiddleware {
    typealias Context = KioskRequestContext
    let hosts: Set<String>

    init(allowedHosts: [String]) {
        hosts = Set(["127.0.0.1", "localhost", "::1"] + allowedHosts.map { $0.lowercased() })
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        // HTTP/1.1's Host header, which every browser sends (an in-process request has none).
        if let host = request.head.authority, !hosts.contains(Self.hostName(host)) {
            throw APIError(
                .forbidden, code: "request.host_not_allowed", vi: "Yêu cầu không đến từ ki-ốt.", en: "This address does not serve that host name.")
        }
        if let origin = request.headers[.origin], !allows(origin: origin) {
            throw APIError(
                .forbidden, code: "request.origin_not_allowed", vi: "Yêu cầu không đến từ màn hình ki-ốt.",
                en: "Only the kiosk's own screen may use this API.")
        }
        if request.method != .get, request.method != .head, hasBody(request), !Self.isJSON(request.headers[.contentType]) {
            throw APIError(
                .unsupportedMediaType, code: "request.not_json", vi: "Yêu cầu phải là JSON.",
                en: "The body must be application/json.")
        }
        return try await next(request, context)
    }

    /// `http://127.0.0.1:8080` → allowed; `null`, another scheme or host → not.
    func allows(origin: String) -> Bool {
        let lowered = origin.lowercased()
        guard lowered.hasPrefix("http://") || lowered.hasPrefix("https://") else { return false }
        let authority = lowered.split(separator: "/", omittingEmptySubsequences: true).dropFirst().first.map(String.init) ?? ""
        return hosts.contains(Self.hostName(authority))
    }

    private func hasBody(_ request: Request) -> Bool {
        if let length = request.headers[.contentLength], let bytes = Int(length) { return bytes > 0 }
        return request.headers[.transferEncoding] != nil || request.headers[.contentType] != nil
    }

    static func isJSON(_ contentType: String?) -> Bool {
        guard let type = contentType?.split(separator: ";").first?.trimmingCharacters(in: .whitespaces).lowercased() else { return false }
        return type == "application/json"
    }

    /// The host of `host[:port]` or `[v6]:port`, lower-cased.
    static func hostName(_ authority: String) -> String {
        let lowered = authority.lowercased()
        if lowered.hasPrefix("["), let end = lowered.firstIndex(of: "]") {
            return String(lowered[lowered.index(after: lowered.startIndex)..<end])
        }
        return lowered.split(separator: ":", maxSplits: 1).first.map(String.init) ?? lowered
    }
}
