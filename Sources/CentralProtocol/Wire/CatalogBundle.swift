public import Foundation

/// A procedure catalog as the central publishes it: the procedure files by name, as a kiosk
/// keeps them in its catalog directory, under a label for people ("2026.12").
public struct CatalogBundle: Codable, Sendable, Hashable {
    public struct File: Codable, Sendable, Hashable {
        /// A plain file name ending in `.yaml` or `.yml`: no directory part.
        public var name: String
        public var content: String

        public init(name: String, content: String) {
            self.name = name
            self.content = content
        }
    }

    public var label: String
    public var files: [File]

    public init(label: String, files: [File]) {
        self.label = label
        self.files = files
    }

    /// The most a bundle's payload may weigh (the kiosk refuses a larger answer unread).
    public static let maxBytes = 8 * 1024 * 1024

    /// Whether `name` may be a file of a bundle: what a kiosk writes into a directory of its
    /// own, so nothing that could leave it.
    public static func isAcceptableName(_ name: String) -> Bool {
        (name.hasSuffix(".yaml") || name.hasSuffix(".yml")) && name.count <= 100 && !name.hasPrefix(".")
            && name.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" || $0 == ".") }
    }
}

/// A bundle as sent: its exact JSON bytes and the central's Ed25519 signature of them. The
/// `catalog.update` command names the payload's SHA-256, so the command (signed too) pins
/// the very bytes to install.
public struct SignedCatalogBundle: Codable, Sendable, Hashable {
    public var payload: Data
    public var signature: Data

    public init(payload: Data, signature: Data) {
        self.payload = payload
        self.signature = signature
    }

    public init(_ bundle: CatalogBundle, key: SigningKey) throws {
        payload = try CentralCoding.encoder().encode(bundle)
        signature = try key.signature(for: payload)
    }

    /// The payload's SHA-256, lowercase hex: the bundle's name at the central.
    public var sha256: String { SHA256Hasher.hex(payload) }

    /// The bundle, when `key` signed it.
    public func verified(with key: VerifyingKey) -> CatalogBundle? {
        guard key.isValidSignature(signature, for: payload) else { return nil }
        return try? CentralCoding.decoder().decode(CatalogBundle.self, from: payload)
    }
}
