public import Foundation

/// What of an HTTP request a signature covers (RFC 9421 §2): derived components and fields.
public struct SignedRequest: Sendable {
    public var method: String
    /// Host and port as the client addressed them (`@authority`), lowercased.
    public var authority: String
    public var path: String
    /// Without the `?`; nil when the target has none.
    public var query: String?
    /// Header fields by lowercase name.
    public var fields: [String: String]

    public init(method: String, authority: String, path: String, query: String?, fields: [String: String]) {
        self.method = method
        self.authority = authority.lowercased()
        self.path = path
        self.query = query
        self.fields = Dictionary(fields.map { ($0.key.lowercased(), $0.value) }, uniquingKeysWith: { $1 })
    }

    /// The component's value in the signature base, nil when the request has none.
    func value(of component: String) -> String? {
        switch component {
        case "@method": method.uppercased()
        case "@authority": authority
        case "@path": path
        case "@query": "?" + (query ?? "")
        case "@target-uri", "@request-target", "@scheme", "@status", "@query-param", "@signature-params": nil
        default: fields[component].map { $0.trimmingCharacters(in: .whitespaces) }
        }
    }
}

/// The `Content-Digest` field (RFC 9530) with SHA-256.
public enum ContentDigest {
    public static func sha256(_ body: some DataProtocol) -> String {
        "sha-256=" + StructuredFields.serialize(.bytes(SHA256Hasher.digest(body)))
    }

    /// The SHA-256 digest `field` holds, if any.
    public static func sha256(of field: String) -> Data? {
        guard let members = try? StructuredFields.parseDictionary(field), let member = members.first(where: { $0.0 == "sha-256" })?.1,
            case .item(.bytes(let digest), _) = member
        else { return nil }
        return digest
    }

    /// Whether `field` holds the SHA-256 of `body` (other algorithms in it are ignored; one
    /// SHA-256 is required).
    public static func matches(_ field: String, body: some DataProtocol) -> Bool {
        sha256(of: field) == SHA256Hasher.digest(body)
    }
}

/// One signature's parameters (`Signature-Input`'s member): the covered components in order,
/// then `created`, `keyid`, `nonce`, `alg` and any others, as serialized.
public struct SignatureParameters: Sendable, Hashable {
    public var components: [String]
    public var parameters: [(String, StructuredFields.Bare)]

    public init(components: [String], created: Date, keyID: String, nonce: String? = nil, algorithm: String? = "ed25519") {
        self.components = components
        var parameters: [(String, StructuredFields.Bare)] = [("created", .integer(Int64(created.timeIntervalSince1970.rounded(.down))))]
        parameters.append(("keyid", .string(keyID)))
        if let nonce { parameters.append(("nonce", .string(nonce))) }
        if let algorithm { parameters.append(("alg", .string(algorithm))) }
        self.parameters = parameters
    }

    init(components: [String], parameters: [(String, StructuredFields.Bare)]) {
        self.components = components
        self.parameters = parameters
    }

    public static func == (lhs: Self, rhs: Self) -> Bool { lhs.serialized == rhs.serialized }
    public func hash(into hasher: inout Hasher) { hasher.combine(serialized) }

    public var serialized: String { StructuredFields.Member.innerList(components, parameters: parameters).serialized }

    private func parameter(_ name: String) -> StructuredFields.Bare? { parameters.first { $0.0 == name }?.1 }

    public var created: Date? {
        if case .integer(let seconds) = parameter("created") { return Date(timeIntervalSince1970: TimeInterval(seconds)) }
        return nil
    }
    public var keyID: String? {
        if case .string(let value) = parameter("keyid") { return value }
        return nil
    }
    public var nonce: String? {
        if case .string(let value) = parameter("nonce") { return value }
        return nil
    }
    public var algorithm: String? {
        if case .string(let value) = parameter("alg") { return value }
        return nil
    }

    /// The signature base (RFC 9421 §2.5) of `request`.
    public func base(for request: SignedRequest) throws(SignatureError) -> String {
        var lines: [String] = []
        for component in components {
            guard !lines.contains(where: { $0.hasPrefix("\"\(component)\":") }) else {
                throw .malformed("the component \(component) is covered twice")
            }
            guard let value = request.value(of: component) else { throw .malformed("the request has no \(component) to cover") }
            guard !value.contains("\n"), !value.contains("\r") else { throw .malformed("\(component) holds a line break") }
            lines.append("\"\(component)\": \(value)")
        }
        lines.append("\"@signature-params\": \(serialized)")
        return lines.joined(separator: "\n")
    }
}

/// Why a request's signature was not accepted. Each names what the client should fix.
public enum SignatureError: Error, Sendable, Hashable, CustomStringConvertible {
    case missing
    case malformed(String)
    /// The signature does not cover a component this server requires.
    case uncovered(String)
    case digestMismatch
    /// `created` is further than the allowed skew from the server's clock.
    case skewed(created: Date, serverTime: Date)
    case badSignature
    case unsupportedAlgorithm(String)

    public var description: String {
        switch self {
        case .missing: "the request carries no Signature and Signature-Input fields"
        case .malformed(let why): "the signature fields are malformed: \(why)"
        case .uncovered(let component): "the signature must cover \(component)"
        case .digestMismatch: "Content-Digest does not match the body"
        case .skewed(let created, let serverTime):
            "the signature was made at \(Int(created.timeIntervalSince1970)), \(Int(abs(serverTime.timeIntervalSince(created)))) s from the server's clock (\(Int(serverTime.timeIntervalSince1970)))"
        case .badSignature: "the signature does not verify with the kiosk's key"
        case .unsupportedAlgorithm(let alg): "the algorithm \(alg) is not accepted (ed25519 only)"
        }
    }
}

/// Signs requests as RFC 9421 asks, with Ed25519: `Content-Digest`, `Signature-Input` and
/// `Signature` fields.
public struct MessageSigner: Sendable {
    public static let label = "sig1"
    /// What every request of the central link covers.
    public static let components = ["@method", "@authority", "@path", "@query", "content-type", "content-digest"]

    public let key: SigningKey
    public let keyID: String

    public init(key: SigningKey, keyID: String) {
        self.key = key
        self.keyID = keyID
    }

    /// The fields to add to a request (`fields` must hold its `content-type`): content-digest,
    /// signature-input and signature. `created` is the signer's idea of the server's time.
    public func fields(
        for request: SignedRequest, body: some DataProtocol, created: Date, nonce: String = MessageSigner.nonce()
    )
        throws -> [String: String]
    {
        var request = request
        let digest = ContentDigest.sha256(body)
        request.fields["content-digest"] = digest
        let parameters = SignatureParameters(components: Self.components, created: created, keyID: keyID, nonce: nonce)
        let signature = try key.signature(for: Data(try parameters.base(for: request).utf8))
        return [
            "content-digest": digest,
            "signature-input": StructuredFields.serialize(dictionary: [
                (Self.label, .innerList(parameters.components, parameters: parameters.parameters))
            ]),
            "signature": StructuredFields.serialize(dictionary: [(Self.label, .item(.bytes(signature), parameters: []))]),
        ]
    }

    /// 128 random bits, base64url.
    public static func nonce() -> String {
        var bytes = [UInt8](repeating: 0, count: 16)
        for index in bytes.indices { bytes[index] = UInt8.random(in: 0...255) }
        return Data(bytes).base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }
}

/// A signature read from a request, before its key is known.
public struct ReceivedSignature: Sendable {
    public var parameters: SignatureParameters
    public var signature: Data

    /// Reads the `sig1` member of `Signature-Input` and `Signature` (or the only one), and checks
    /// what does not need the key: the covered components, the algorithm and the digest.
    public init(request: SignedRequest, body: some DataProtocol, required: [String] = MessageSigner.components) throws(SignatureError) {
        try self.init(request: request, required: required)
        if parameters.components.contains("content-digest") {
            guard let digest = request.fields["content-digest"], ContentDigest.matches(digest, body: body) else { throw .digestMismatch }
        }
    }

    /// The same, before the body has arrived (a streamed upload): the caller checks the body
    /// against `Content-Digest` (`ContentDigest.sha256(of:)`) once it has it all.
    public init(request: SignedRequest, required: [String] = MessageSigner.components) throws(SignatureError) {
        guard let inputField = request.fields["signature-input"], let signatureField = request.fields["signature"] else { throw .missing }
        let inputs: [(String, StructuredFields.Member)]
        let signatures: [(String, StructuredFields.Member)]
        do {
            inputs = try StructuredFields.parseDictionary(inputField)
            signatures = try StructuredFields.parseDictionary(signatureField)
        } catch {
            throw .malformed(error.description)
        }
        let label = inputs.contains { $0.0 == MessageSigner.label } ? MessageSigner.label : (inputs.count == 1 ? inputs[0].0 : nil)
        guard let label, let input = inputs.first(where: { $0.0 == label })?.1, let signed = signatures.first(where: { $0.0 == label })?.1 else {
            throw .malformed("no signature labelled \(MessageSigner.label)")
        }
        guard case .innerList(let components, let parameters) = input else { throw .malformed("Signature-Input is not an inner list") }
        guard case .item(.bytes(let signature), _) = signed else { throw .malformed("Signature is not a byte sequence") }
        self.parameters = SignatureParameters(components: components, parameters: parameters)
        self.signature = signature
        if let algorithm = self.parameters.algorithm, algorithm != "ed25519" { throw .unsupportedAlgorithm(algorithm) }
        for component in required where !components.contains(component) { throw .uncovered(component) }
        guard self.parameters.created != nil else { throw .uncovered("created") }
        guard self.parameters.keyID != nil else { throw .uncovered("keyid") }
    }

    /// Checks the signature with `key` and its age against `now` (± `maxSkew`).
    public func verify(request: SignedRequest, key: VerifyingKey, now: Date, maxSkew: TimeInterval = 300) throws(SignatureError) {
        let base = try parameters.base(for: request)
        guard key.isValidSignature(signature, for: Data(base.utf8)) else { throw .badSignature }
        if let created = parameters.created, abs(created.timeIntervalSince(now)) > maxSkew {
            throw .skewed(created: created, serverTime: now)
        }
    }
}
