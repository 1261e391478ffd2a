import CCrypto
public import Foundation

/// Why a key could not be made, read or used.
public struct KeyError: Error, CustomStringConvertible, Sendable {
    public var description: String
    public init(_ description: String) { self.description = description }
}

/// An Ed25519 private key (RFC 8032), through OpenSSL's libcrypto. The kiosk's identity towards
/// its central, and the central's key for signing commands.
public final class SigningKey: @unchecked Sendable {
    // Immutable after init; OpenSSL's EVP_PKEY is safe to use from several threads for signing.
    private let key: OpaquePointer

    private init(key: OpaquePointer) { self.key = key }
    deinit { EVP_PKEY_free(key) }

    /// A new random key.
    public static func generate() throws(KeyError) -> SigningKey {
        guard let context = EVP_PKEY_CTX_new_id(EVP_PKEY_ED25519, nil) else { throw KeyError("libcrypto has no Ed25519") }
        defer { EVP_PKEY_CTX_free(context) }
        var key: OpaquePointer?
        guard EVP_PKEY_keygen_init(context) == 1, EVP_PKEY_keygen(context, &key) == 1, let key else {
            throw KeyError("Ed25519 key generation failed")
        }
        return SigningKey(key: key)
    }

    /// The key whose 32-byte seed is `raw` (RFC 8032's private key; JWK `d`).
    public convenience init(raw: Data) throws(KeyError) {
        guard raw.count == 32 else { throw KeyError("an Ed25519 private key is 32 bytes, not \(raw.count)") }
        let made = raw.withUnsafeBytes { EVP_PKEY_new_raw_private_key(EVP_PKEY_ED25519, nil, $0.bindMemory(to: UInt8.self).baseAddress, 32) }
        guard let made else { throw KeyError("not an Ed25519 private key") }
        self.init(key: made)
    }

    /// Reads a PKCS #8 PEM file (`openssl genpkey -algorithm ed25519` writes one).
    public convenience init(pem: Data) throws(KeyError) {
        let bio = pem.withUnsafeBytes { BIO_new_mem_buf($0.baseAddress, Int32($0.count)) }
        defer { BIO_free(bio) }
        guard let made = PEM_read_bio_PrivateKey(bio, nil, nil, nil) else { throw KeyError("not a PEM private key") }
        guard EVP_PKEY_get_id(made) == EVP_PKEY_ED25519 else {
            EVP_PKEY_free(made)
            throw KeyError("the PEM key is not an Ed25519 key")
        }
        self.init(key: made)
    }

    /// The key as PKCS #8 PEM text.
    public func pem() throws(KeyError) -> Data {
        guard let bio = BIO_new(BIO_s_mem()) else { throw KeyError("out of memory") }
        defer { BIO_free(bio) }
        guard PEM_write_bio_PrivateKey(bio, key, nil, nil, 0, nil, nil) == 1 else { throw KeyError("cannot write the key as PEM") }
        var bytes: UnsafePointer<UInt8>?
        let count = csw_bio_mem_data(bio, &bytes)
        guard let bytes, count > 0 else { throw KeyError("cannot write the key as PEM") }
        return Data(bytes: bytes, count: count)
    }

    /// The public half.
    public var publicKey: VerifyingKey {
        var raw = [UInt8](repeating: 0, count: 32)
        var length = 32
        _ = EVP_PKEY_get_raw_public_key(key, &raw, &length)
        // A key made by this type always has a 32-byte public half.
        return try! VerifyingKey(raw: Data(raw))
    }

    /// The Ed25519 signature (64 bytes) of `message`.
    public func signature(for message: some DataProtocol) throws(KeyError) -> Data {
        guard let context = EVP_MD_CTX_new() else { throw KeyError("out of memory") }
        defer { EVP_MD_CTX_free(context) }
        let bytes = Array(message)
        var signature = [UInt8](repeating: 0, count: 64)
        var length = 64
        guard EVP_DigestSignInit(context, nil, nil, nil, key) == 1,
            EVP_DigestSign(context, &signature, &length, bytes, bytes.count) == 1, length == 64
        else { throw KeyError("Ed25519 signing failed") }
        return Data(signature)
    }

    /// Loads the key at `path`, or makes one and writes it there (mode 0600, never readable
    /// by another user: it is the kiosk's identity). A file another user can read is refused.
    public static func loadOrCreate(path: String) throws(KeyError) -> SigningKey {
        if let data = FileManager.default.contents(atPath: path) {
            var info = stat()
            if stat(path, &info) == 0, info.st_mode & 0o077 != 0 {
                throw KeyError("\(path) is readable by other users (mode \(String(info.st_mode & 0o777, radix: 8))): run chmod 600 \(path)")
            }
            return try SigningKey(pem: data)
        }
        let key = try generate()
        let pem = try key.pem()
        let directory = (path as NSString).deletingLastPathComponent
        if !directory.isEmpty { try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true) }
        // Written to a temporary name and renamed, so that a crash never leaves half a key.
        let temporary = path + ".new"
        unlink(temporary)
        let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw KeyError("cannot create \(temporary): \(String(cString: strerror(errno)))") }
        let written = pem.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        let synced = fsync(fd)
        close(fd)
        guard written == pem.count, synced == 0, rename(temporary, path) == 0 else {
            unlink(temporary)
            throw KeyError("cannot write \(path): \(String(cString: strerror(errno)))")
        }
        return key
    }
}

/// An Ed25519 public key: 32 bytes.
public struct VerifyingKey: Sendable, Hashable, Codable, CustomStringConvertible {
    public let raw: Data

    public init(raw: Data) throws(KeyError) {
        guard raw.count == 32 else { throw KeyError("an Ed25519 public key is 32 bytes, not \(raw.count)") }
        self.raw = raw
    }

    /// From base64 or base64url text (JWK `x`).
    public init(base64: String) throws(KeyError) {
        guard let data = Data(base64URL: base64) else { throw KeyError("the public key is not base64") }
        try self.init(raw: data)
    }

    public var base64: String { raw.base64EncodedString() }
    public var description: String { base64 }

    /// Whether `signature` is this key's signature of `message`.
    public func isValidSignature(_ signature: some DataProtocol, for message: some DataProtocol) -> Bool {
        let signature = Array(signature)
        guard signature.count == 64,
            let key = raw.withUnsafeBytes({ EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, nil, $0.bindMemory(to: UInt8.self).baseAddress, 32) })
        else { return false }
        defer { EVP_PKEY_free(key) }
        guard let context = EVP_MD_CTX_new() else { return false }
        defer { EVP_MD_CTX_free(context) }
        let bytes = Array(message)
        return EVP_DigestVerifyInit(context, nil, nil, nil, key) == 1
            && EVP_DigestVerify(context, signature, signature.count, bytes, bytes.count) == 1
    }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        do { try self.init(base64: text) } catch {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: error.description))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(base64)
    }
}

extension Data {
    /// Decodes base64 or base64url, with or without padding.
    public init?(base64URL text: String) {
        var text = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while text.count % 4 != 0 { text += "=" }
        self.init(base64Encoded: text)
    }
}
