import CCrypto
public import Foundation

/// SHA-256, through OpenSSL's libcrypto: content digests, manifest and file hashes.
public struct SHA256Hasher: ~Copyable {
    private let context: OpaquePointer

    public init() {
        context = EVP_MD_CTX_new()
        EVP_DigestInit_ex(context, EVP_sha256(), nil)
    }

    deinit { EVP_MD_CTX_free(context) }

    public mutating func update(_ data: some DataProtocol) {
        for region in data.regions {
            region.withUnsafeBytes { _ = EVP_DigestUpdate(context, $0.baseAddress, $0.count) }
        }
    }

    public consuming func finish() -> Data {
        var out = [UInt8](repeating: 0, count: 32)
        var length: UInt32 = 32
        EVP_DigestFinal_ex(context, &out, &length)
        return Data(out)
    }

    /// The digest of `data`.
    public static func digest(_ data: some DataProtocol) -> Data {
        var hasher = SHA256Hasher()
        hasher.update(data)
        return hasher.finish()
    }

    /// The digest of `data` as lowercase hex.
    public static func hex(_ data: some DataProtocol) -> String { digest(data).hexString }
}

extension Data {
    /// Lowercase hexadecimal.
    public var hexString: String { map { String(format: "%02x", $0) }.joined() }
}
