import Foundation
import Hummingbird
import HummingbirdTesting
import KioskTestSupport
import Testing

@testable import KioskDaemon

/// The local API answers the kiosk's own screen only: a page from elsewhere — a "simple"
/// cross-site POST, a foreign Origin, a DNS-rebinding host name — is refused before anything
/// happens, and nothing invites another origin to read an answer.
@Suite struct OriginGuardTests {
    func withLiveKiosk(_ body: @escaping @Sendable (any TestClientProtocol) async throws -> Void) async throws {
        let kiosk = try TestKiosk()
        defer { kiosk.cleanUp() }
        var config = kiosk.config
        config.api.allowedHosts = ["kiosk.local"]
        let app = try await buildApplication(config: config, logger: APITests.logger, sweepInterval: .seconds(5))
        try await app.test(.live) { client in try await body(client) }
    }

    func post(
        _ client: any TestClientProtocol, _ path: String, _ headers: HTTPFields, _ body: String = "{}"
    ) async throws -> (HTTPResponse.Status, String, HTTPFields) {
        try await client.execute(uri: path, method: .post, headers: headers, body: ByteBuffer(string: body)) { response in
            (response.status, String(buffer: response.body), response.headers)
        }
    }

    @Test func aCrossSiteSimpleRequestIsRefusedBeforeItActs() async throws {
        try await withLiveKiosk { client in
            // What a form or fetch(mode: "no-cors") on another site sends: no preflight needed.
            let (plain, answer, _) = try await post(client, "/api/v1/sessions", [.contentType: "text/plain"])
            #expect(plain == .unsupportedMediaType && answer.contains("request.not_json"), "\(answer)")
            let (form, _, _) = try await post(
                client, "/api/v1/queues/ho-tich/tickets", [.contentType: "application/x-www-form-urlencoded"], "priority=elderly")
            #expect(form == .unsupportedMediaType)
            // A foreign Origin, even with a JSON body.
            let (foreign, why, _) = try await post(client, "/api/v1/sessions", [.contentType: "application/json", .origin: "http://evil.example"])
            #expect(foreign == .forbidden && why.contains("request.origin_not_allowed"), "\(why)")
            let (opaque, _, _) = try await post(client, "/api/v1/sessions", [.contentType: "application/json", .origin: "null"])
            #expect(opaque == .forbidden, "a sandboxed or file: page sends Origin: null")
            // The kiosk's own screen, and tools that send no Origin.
            let (own, _, headers) = try await post(
                client, "/api/v1/sessions", [.contentType: "application/json; charset=utf-8", .origin: "http://127.0.0.1:8080"])
            #expect(own == .created)
            #expect(headers[.accessControlAllowOrigin] == nil, "no other origin is invited to read")
            let (tool, _, _) = try await post(client, "/api/v1/sessions", [.contentType: "application/json"])
            #expect(tool == .created)
        }
    }

    /// Every session's events at once are a technician's: the applicant's API streams one
    /// session's (with the devices'), or the devices' alone.
    @Test func allSessionsEventsAreNotForTheApplicantsAPI() async throws {
        try await withLiveKiosk { client in
            let port = try #require(client.port)
            func status(_ path: String) async -> Int? { await onOwnThread { httpStatus(port: port, path: path) } }
            #expect(await status("/api/v1/events") == 403)
            #expect(await status("/api/v1/events?session=not-a-uuid") == 404)
            #expect(await status("/api/v1/events?devices") == 200)
            #expect(await status("/api/v1/events?session=\(UUID())") == 200)
            let refusal = try await client.execute(uri: "/api/v1/events", method: .get) { String(buffer: $0.body) }
            #expect(refusal.contains("request.technician_only"), "\(refusal)")
        }
    }

    @Test func aRebindingHostNameIsRefused() async throws {
        try await withLiveKiosk { client in
            let port = try #require(client.port)
            /// The status of a GET with this Host header, over a plain socket as a browser sends it.
            func status(host: String) async -> Int? {
                await onOwnThread { httpStatus(port: port, path: "/api/v1/health", host: host) }
            }
            // DNS rebinding: the attacker's name now points at 127.0.0.1, and the browser says so.
            #expect(await status(host: "attacker.example:\(port)") == 403)
            #expect(await status(host: "kiosk.local:\(port)") == 200, "a configured name")
            #expect(await status(host: "localhost:\(port)") == 200)
            #expect(await status(host: "127.0.0.1:\(port)") == 200)
        }
        #expect(OriginGuard.hostName("[::1]:8080") == "::1" && OriginGuard.hostName("LocalHost") == "localhost")
        #expect(OriginGuard(allowedHosts: []).allows(origin: "http://localhost:8080") && !OriginGuard(allowedHosts: []).allows(origin: "file://"))
    }
}
