import CentralProtocol
import Flows
import Foundation
import Testing

/// RFC 9421 and RFC 9530 test vectors, and the checks a central makes of a kiosk's request.
struct MessageSignatureTests {
    /// RFC 9421 Appendix B.1.4's key (JWK `d`).
    static let rfcKey = try! SigningKey(raw: Data(base64URL: "n4Ni-HpISpVObnQMW0wOhCKROaIKqKtW_2ZYb2p9KcU")!)

    /// Appendix B.2's request.
    static let rfcRequest = SignedRequest(
        method: "POST", authority: "example.com", path: "/foo", query: "param=Value&Pet=dog",
        fields: [
            "Date": "Tue, 20 Apr 2021 02:07:55 GMT", "Content-Type": "application/json", "Content-Length": "18",
            "Content-Digest": "sha-512=:WZDPaVn/7XgHaAy8pmojAkGWoRx2UFChF41A2svX+TaPm+AbwAgBWnrIiYllu7BNNyealdVLvRwEmTHWXvJwew==:",
        ])

    @Test func rfc9421AppendixB26Ed25519() throws {
        #expect(Self.rfcKey.publicKey.raw == Data(base64URL: "JrQLj5P_89iXES9-vFgrIy29clF9CC_oPPsw3c5D0bs"))
        let parameters = SignatureParameters(
            components: ["date", "@method", "@path", "@authority", "content-type", "content-length"],
            created: Date(timeIntervalSince1970: 1_618_884_473), keyID: "test-key-ed25519", algorithm: nil)
        let base = try parameters.base(for: Self.rfcRequest)
        #expect(
            base == """
                "date": Tue, 20 Apr 2021 02:07:55 GMT
                "@method": POST
                "@path": /foo
                "@authority": example.com
                "content-type": application/json
                "content-length": 18
                "@signature-params": ("date" "@method" "@path" "@authority" "content-type" "content-length");created=1618884473;keyid="test-key-ed25519"
                """)
        let expected = Data(base64Encoded: "wqcAqbmYJ2ji2glfAMaRy4gruYYnx2nEFN2HN6jrnDnQCK1u02Gb04v9EDgwUPiu4A0w6vuQv5lIp5WPpBKRCw==")!
        // libcrypto's Ed25519 is deterministic, as RFC 8032 defines it: the same bytes.
        #expect(try Self.rfcKey.signature(for: Data(base.utf8)) == expected)
        #expect(Self.rfcKey.publicKey.isValidSignature(expected, for: Data(base.utf8)))

        // The same signature, as its fields carry it, read back and verified.
        var request = Self.rfcRequest
        request.fields["signature-input"] =
            #"sig-b26=("date" "@method" "@path" "@authority" "content-type" "content-length");created=1618884473;keyid="test-key-ed25519""#
        request.fields["signature"] = "sig-b26=:wqcAqbmYJ2ji2glfAMaRy4gruYYnx2nEFN2HN6jrnDnQCK1u02Gb04v9EDgwUPiu4A0w6vuQv5lIp5WPpBKRCw==:"
        let received = try ReceivedSignature(request: request, body: Data(#"{"hello": "world"}"#.utf8), required: ["@method", "@path"])
        #expect(received.parameters.keyID == "test-key-ed25519")
        try received.verify(request: request, key: Self.rfcKey.publicKey, now: Date(timeIntervalSince1970: 1_618_884_473 + 10))
        #expect(
            throws: SignatureError.skewed(
                created: Date(timeIntervalSince1970: 1_618_884_473), serverTime: Date(timeIntervalSince1970: 1_618_884_473 + 301))
        ) {
            try received.verify(request: request, key: Self.rfcKey.publicKey, now: Date(timeIntervalSince1970: 1_618_884_473 + 301))
        }
        var tampered = request
        tampered.path = "/bar"
        #expect(throws: SignatureError.badSignature) {
            try received.verify(request: tampered, key: Self.rfcKey.publicKey, now: Date(timeIntervalSince1970: 1_618_884_473))
        }
    }

    @Test func rfc9530ContentDigest() {
        #expect(ContentDigest.sha256(Data(#"{"hello": "world"}"#.utf8)) == "sha-256=:X48E9qOokqqrvdts8nOJRJN3OWDUoyWxBf7kbu9DBPE=:")
        #expect(
            ContentDigest.matches("sha-512=:abc=:, sha-256=:X48E9qOokqqrvdts8nOJRJN3OWDUoyWxBf7kbu9DBPE=:", body: Data(#"{"hello": "world"}"#.utf8)))
        #expect(!ContentDigest.matches("sha-256=:X48E9qOokqqrvdts8nOJRJN3OWDUoyWxBf7kbu9DBPE=:", body: Data(#"{"hello":"world"}"#.utf8)))
    }

    func kioskRequest(body: Data) throws -> (SignedRequest, SigningKey) {
        let key = try SigningKey.generate()
        var request = SignedRequest(
            method: "POST", authority: "127.0.0.1:9000", path: "/v1/heartbeats", query: nil, fields: ["content-type": "application/json"])
        let signer = MessageSigner(key: key, keyID: "KIOSK-01")
        for (name, value) in try signer.fields(for: request, body: body, created: Date()) { request.fields[name] = value }
        return (request, key)
    }

    @Test func aKioskSignatureVerifiesAndCoversWhatTheCentralRequires() throws {
        let body = Data(#"{"sequence":1}"#.utf8)
        let (request, key) = try kioskRequest(body: body)
        let received = try ReceivedSignature(request: request, body: body)
        #expect(received.parameters.keyID == "KIOSK-01")
        #expect(received.parameters.nonce?.count == 22)
        try received.verify(request: request, key: key.publicKey, now: Date())
        // Another key, another body, another query: refused.
        #expect(throws: SignatureError.badSignature) {
            try received.verify(request: request, key: try SigningKey.generate().publicKey, now: Date())
        }
        #expect(throws: SignatureError.digestMismatch) { try ReceivedSignature(request: request, body: Data(#"{"sequence":2}"#.utf8)) }
        var moved = request
        moved.query = "offset=0"
        #expect(throws: SignatureError.badSignature) { try received.verify(request: moved, key: key.publicKey, now: Date()) }
    }

    @Test func unsignedPartialAndHostileFieldsAreRefusedWithTheirReason() throws {
        let body = Data("{}".utf8)
        let (request, _) = try kioskRequest(body: body)
        var unsigned = request
        unsigned.fields["signature"] = nil
        #expect(throws: SignatureError.missing) { try ReceivedSignature(request: unsigned, body: body) }
        var narrow = request
        narrow.fields["signature-input"] = #"sig1=("@method" "@path");created=1;keyid="K""#
        #expect(throws: SignatureError.uncovered("@authority")) { try ReceivedSignature(request: narrow, body: body) }
        var otherAlg = request
        otherAlg.fields["signature-input"] = request.fields["signature-input"]!.replacingOccurrences(of: "ed25519", with: "hmac-sha256")
        #expect(throws: SignatureError.unsupportedAlgorithm("hmac-sha256")) { try ReceivedSignature(request: otherAlg, body: body) }
        for hostile in [
            "sig1=(", "sig1=(\"a\";x)", "sig1=:!!:", String(repeating: "a", count: 9000), "sig1=(\"\u{7}\")", "SIG=1", "sig1=12345678901234567",
        ] {
            var bad = request
            bad.fields["signature-input"] = hostile
            #expect(throws: SignatureError.self) { try ReceivedSignature(request: bad, body: body) }
        }
    }

    @Test func keysRoundTripThroughAPrivateFile() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("key-\(UUID())")
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("kiosk.key").path
        let made = try SigningKey.loadOrCreate(path: path)
        let loaded = try SigningKey.loadOrCreate(path: path)
        #expect(made.publicKey == loaded.publicKey)
        var info = stat()
        #expect(stat(path, &info) == 0)
        #expect(info.st_mode & 0o777 == 0o600)
        chmod(path, 0o644)
        #expect(throws: KeyError.self) { try SigningKey.loadOrCreate(path: path) }
    }

    @Test func commandsVerifyOnlyWithTheCentralKey() throws {
        let central = try SigningKey.generate()
        let command = RemoteCommand(
            kioskId: "K1", id: 7, kind: .testPrint, arguments: [:], issuedAt: Date(timeIntervalSince1970: 1_796_000_000), ageSeconds: 1.5)
        let signed = try SignedCommand(command, key: central)
        #expect(signed.verified(with: central.publicKey) == command)
        #expect(signed.verified(with: try SigningKey.generate().publicKey) == nil)
        var forged = signed
        forged.payload = try CentralCoding.encoder().encode(
            RemoteCommand(kioskId: "K2", id: 7, kind: .testPrint, arguments: [:], issuedAt: command.issuedAt, ageSeconds: 1.5))
        #expect(forged.verified(with: central.publicKey) == nil)
    }

    @Test func dossierCodesFollowCircular01Of2018() {
        #expect(DossierCode.isValidUnit("000.00.31.H29"))
        #expect(!DossierCode.isValidUnit("000.00.31.h29"))
        #expect(!DossierCode.isValidUnit("00.00.31.H29"))
        let code = DossierCode.make(unit: "000.00.31.H29", day: CivilDate(year: 2026, month: 12, day: 4)!, sequence: 7)
        #expect(code == "000.00.31.H29-261204-0007")
        #expect(DossierCode.isValid(code))
        #expect(!DossierCode.isValid("OK"))
    }
}
