import Foundation
import Hummingbird
import HummingbirdTesting
import KioskTestSupport
import Testing

@testable import KioskDaemon

/// kioskd serves the applicant's screen at `/` beside the API: the screen's files under a
/// Content-Security-Policy of its own origin only, every API answer `no-store` (they carry
/// personal data), the consent recorded with the session, spoken guidance from espeak-ng, and
/// page previews and the receipt's QR code only for the session they belong to.
@Suite struct ScreenServingTests {
    func withLiveKiosk(_ body: @escaping @Sendable (any TestClientProtocol, TestKiosk) async throws -> Void) async throws {
        let kiosk = try TestKiosk()
        defer { kiosk.cleanUp() }
        var config = kiosk.config
        config.screenDirectory = TestKiosk.repoRoot.appendingPathComponent("screen")
        let app = try await buildApplication(config: config, logger: APITests.logger, sweepInterval: .seconds(5))
        try await app.test(.live) { client in try await body(client, kiosk) }
    }

    func request(
        _ client: any TestClientProtocol, _ method: HTTPRequest.Method, _ path: String, _ body: String? = nil
    ) async throws -> (HTTPResponse.Status, HTTPFields, ByteBuffer) {
        try await client.execute(
            uri: path, method: method, headers: body == nil ? [:] : [.contentType: "application/json"],
            body: body.map { ByteBuffer(string: $0) }
        ) { response in (response.status, response.headers, response.body) }
    }

    func json(_ buffer: ByteBuffer) -> [String: Any] {
        (try? JSONSerialization.jsonObject(with: Data(buffer: buffer)) as? [String: Any]) ?? [:]
    }

    @Test func theScreenIsServedAtTheRootUnderItsOwnOriginOnly() async throws {
        try await withLiveKiosk { client, _ in
            let (status, headers, body) = try await request(client, .get, "/")
            #expect(status == .ok)
            #expect(headers[.contentType]?.hasPrefix("text/html") == true)
            #expect(String(buffer: body).contains("app.js"))
            let policy = try #require(headers[.contentSecurityPolicy])
            #expect(policy.contains("default-src 'self'") && policy.contains("frame-ancestors 'none'") && !policy.contains("unsafe-inline"))
            #expect(headers[.xContentTypeOptions] == "nosniff")
            let (script, scriptHeaders, _) = try await request(client, .get, "/telex.js")
            #expect(script == .ok && scriptHeaders[.contentType]?.contains("javascript") == true)
            let (settings, settingsHeaders, settingsBody) = try await request(client, .get, "/api/v1/screen")
            #expect(settings == .ok && json(settingsBody)["idleTimeoutSeconds"] as? Int == 180)
            #expect(settingsHeaders[.cacheControl] == "no-store")
        }
    }

    @Test func everyAPIAnswerIsNoStoreAndTheConsentIsKeptWithTheSession() async throws {
        try await withLiveKiosk { client, _ in
            let (created, headers, body) = try await request(client, .post, "/api/v1/sessions", #"{"language":"vi","consent":"2026.1"}"#)
            #expect(created == .created && headers[.cacheControl] == "no-store")
            let id = try #require(json(body)["id"] as? String)
            let (_, readHeaders, read) = try await request(client, .get, "/api/v1/sessions/\(id)")
            #expect(readHeaders[.cacheControl] == "no-store")
            #expect((json(read)["consent"] as? [String: Any])?["version"] as? String == "2026.1")
            // An error answer too.
            let (missing, missingHeaders, _) = try await request(client, .get, "/api/v1/sessions/\(UUID())")
            #expect(missing == .notFound && missingHeaders[.cacheControl] == "no-store")
            let (bad, _, why) = try await request(client, .post, "/api/v1/sessions", #"{"consent":"<script>"}"#)
            #expect(bad == .badRequest && String(buffer: why).contains("consent"))
        }
    }

    @Test func stillHereKeepsTheSessionFromItsIdleTimeout() async throws {
        try await withLiveKiosk { client, _ in
            let (_, _, body) = try await request(client, .post, "/api/v1/sessions", #"{"language":"vi"}"#)
            let started = json(body)
            let id = try #require(started["id"] as? String)
            #expect((started["accepts"] as? [[String: Any]])?.contains { $0["type"] as? String == "still_here" } == true)
            try await Task.sleep(for: .milliseconds(1100))
            let (status, _, after) = try await request(client, .post, "/api/v1/sessions/\(id)/events", #"{"type":"still_here"}"#)
            #expect(status == .ok)
            #expect((after.getString(at: 0, length: after.readableBytes) ?? "") != String(buffer: body))
            #expect(json(after)["step"] as? String == "choose_procedure", "only the idle clock moves")
            #expect((json(after)["lastActivityAt"] as? String ?? "") > (started["lastActivityAt"] as? String ?? "~"))
        }
    }

    @Test func spokenGuidanceIsAWaveFileFromEspeakAndIsCached() async throws {
        try await withLiveKiosk { client, kiosk in
            let text = #"{"text":"Xin chào. Hãy chạm vào việc ông bà cần làm.","language":"vi"}"#
            let (status, headers, wav) = try await request(client, .post, "/api/v1/speech", text)
            #expect(status == .ok, "is espeak-ng installed? \(String(buffer: wav))")
            #expect(headers[.contentType] == "audio/wav")
            #expect(wav.getString(at: 0, length: 4) == "RIFF" && wav.readableBytes > 10_000)
            let cache = kiosk.config.store.path.deletingLastPathComponent().appendingPathComponent("speech-cache")
            #expect(try FileManager.default.contentsOfDirectory(atPath: cache.path).filter { $0.hasSuffix(".wav") }.count == 1)
            let (again, _, second) = try await request(client, .post, "/api/v1/speech", text)
            #expect(again == .ok && second == wav)
            let long = String(repeating: "a", count: 700)
            let (tooLong, _, _) = try await request(client, .post, "/api/v1/speech", #"{"text":"\#(long)","language":"vi"}"#)
            #expect(tooLong == .badRequest)
        }
    }

    @Test func pagePreviewsAndTheReceiptQRBelongToTheirSessionOnly() async throws {
        try await withLiveKiosk { client, _ in
            let (_, _, body) = try await request(client, .post, "/api/v1/sessions", #"{"language":"vi"}"#)
            let id = try #require(json(body)["id"] as? String)
            let (page, _, _) = try await request(client, .get, "/api/v1/sessions/\(id)/pages/\(UUID())")
            #expect(page == .notFound)
            let (qr, _, why) = try await request(client, .get, "/api/v1/sessions/\(id)/receipt-qr")
            #expect(qr == .notFound && String(buffer: why).contains("dossier.not_sealed"))
        }
    }
}
