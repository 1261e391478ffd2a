import CentralProtocol
import Foundation
import Hummingbird
import NIOCore

/// Checks that a request comes from an enrolled kiosk: an RFC 9421 signature covering the
/// method, authority, path, query, content type and digest; its key the kiosk's and not
/// revoked; made within five minutes of the central's clock; its nonce not seen before.
struct RequestAuthenticator: Sendable {
    let store: CentralStore
    let maxSkew: TimeInterval = 300

    /// The request's body and the kiosk that signed it.
    func authenticate(_ request: Request, context: CentralContext, limit: Int) async throws -> (kioskId: String, body: Data) {
        let (signed, body) = try await Self.read(request, context: context, limit: limit)
        let kioskId = try await verify(signed) { () throws(SignatureError) in try ReceivedSignature(request: signed, body: body) }
        return (kioskId, body)
    }

    /// The kiosk that signed a request whose body is still to come (a streamed chunk). The
    /// caller checks the body against the `Content-Digest` this signature covers.
    func authenticateHead(_ request: Request) async throws -> (kioskId: String, digest: Data) {
        let signed = Self.signedParts(request)
        let kioskId = try await verify(signed) { () throws(SignatureError) in try ReceivedSignature(request: signed) }
        guard let digest = signed.fields["content-digest"].flatMap(ContentDigest.sha256(of:)) else {
            throw CentralError.unauthenticated(.uncovered("content-digest with sha-256"), serverTime: Date())
        }
        return (kioskId, digest)
    }

    private func verify(_ signed: SignedRequest, _ read: () throws(SignatureError) -> ReceivedSignature) async throws -> String {
        let now = Date()
        let signature: ReceivedSignature
        do {
            signature = try read()
        } catch {
            throw CentralError.unauthenticated(error, serverTime: now)
        }
        let kioskId = signature.parameters.keyID ?? ""
        guard let kiosk = try await store.kiosk(kioskId) else {
            throw CentralError(
                401, "kiosk.unknown", vi: "Ki-ốt chưa được đăng ký.", en: "This kiosk is not enrolled: run kioskctl enroll.",
                detail: "no kiosk enrolled as \(kioskId)", serverTime: now)
        }
        do {
            try signature.verify(request: signed, key: kiosk.key, now: now, maxSkew: maxSkew)
        } catch {
            throw CentralError.unauthenticated(error, serverTime: now)
        }
        guard !kiosk.revoked else {
            throw CentralError(
                403, "kiosk.revoked", vi: "Khóa của ki-ốt đã bị thu hồi.", en: "This kiosk's key has been revoked: enrol it again with a new token.",
                serverTime: now)
        }
        guard let nonce = signature.parameters.nonce, !nonce.isEmpty, nonce.count <= 64 else {
            throw CentralError.unauthenticated(.uncovered("nonce"), serverTime: now)
        }
        guard try await store.remember(nonce: nonce, kioskId: kioskId, now: now) else {
            throw CentralError(
                401, "signature.replayed", vi: "Yêu cầu này đã được gửi trước đó.", en: "This request was sent before (its nonce is used).",
                serverTime: now)
        }
        return kioskId
    }

    /// The request's signed parts and its body (at most `limit` bytes).
    static func read(_ request: Request, context: CentralContext, limit: Int) async throws -> (SignedRequest, Data) {
        var request = request
        let buffer = try await request.collectBody(upTo: limit)
        return (signedParts(request), Data(buffer.readableBytesView))
    }

    static func signedParts(_ request: Request) -> SignedRequest {
        var fields: [String: String] = [:]
        for field in request.headers {
            let name = field.name.canonicalName
            fields[name] = fields[name].map { $0 + ", " + field.value } ?? field.value
        }
        return SignedRequest(
            method: request.method.rawValue, authority: request.head.authority ?? fields["host"] ?? "", path: request.uri.path,
            query: request.uri.query, fields: fields)
    }
}
