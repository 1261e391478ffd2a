import CCrypto
import Synchronization
import Foundation

/// The symmetric primitives of BAC and secure messaging (ICAO 9303-11), through libcrypto.
///
/// OpenSSL 3 keeps single DES in its legacy provider only, so single-DES steps run as
/// two-key 3DES with both halves equal (E_K D_K E_K = E_K).
public enum CardCrypto {
    public enum Failure: Error, Sendable, Hashable {
        case cipher(String)
    }

    /// 3DES (two keys, 16 bytes) in CBC mode with a zero IV, no padding: `data` must be
    /// whole 8-byte blocks.
    public static func tripleDES(encrypt: Bool, key: [UInt8], data: [UInt8], iv: [UInt8] = [UInt8](repeating: 0, count: 8)) throws(Failure) -> [UInt8]
    {
        precondition(key.count == 16 && iv.count == 8)
        return try cbc(EVP_des_ede_cbc(), name: "3DES", block: 8, encrypt: encrypt, key: key, iv: iv, data: data)
    }

    /// One CBC pass through libcrypto without padding: `data` must be whole blocks.
    static func cbc(
        _ cipher: OpaquePointer?, name: String, block: Int, encrypt: Bool, key: [UInt8], iv: [UInt8], data: [UInt8]
    ) throws(Failure) -> [UInt8] {
        guard data.count % block == 0 else { throw .cipher("\(name): data is not whole \(block)-byte blocks") }
        if data.isEmpty { return [] }
        guard let cipher, let ctx = EVP_CIPHER_CTX_new() else { throw .cipher("\(name): no cipher context") }
        defer { EVP_CIPHER_CTX_free(ctx) }
        guard EVP_CipherInit_ex(ctx, cipher, nil, key, iv, encrypt ? 1 : 0) == 1 else { throw .cipher("\(name) init failed") }
        EVP_CIPHER_CTX_set_padding(ctx, 0)
        var out = [UInt8](repeating: 0, count: data.count + block)
        var written: Int32 = 0
        var final: Int32 = 0
        let ok = out.withUnsafeMutableBufferPointer { o in
            EVP_CipherUpdate(ctx, o.baseAddress, &written, data, Int32(data.count)) == 1
                && EVP_CipherFinal_ex(ctx, o.baseAddress! + Int(written), &final) == 1
        }
        guard ok else { throw .cipher("\(name) failed") }
        return Array(out.prefix(Int(written + final)))
    }

    /// ISO 9797-1 MAC algorithm 3 ("retail MAC") with DES: CBC with K1 over every block, the
    /// last one finished with D_K2 then E_K1. `data` must already be padded.
    public static func retailMAC(key: [UInt8], data: [UInt8]) throws(Failure) -> [UInt8] {
        precondition(key.count == 16)
        guard !data.isEmpty, data.count % 8 == 0 else { throw .cipher("MAC input is not whole 8-byte blocks") }
        let k1 = Array(key[0..<8])
        var chain = [UInt8](repeating: 0, count: 8)
        if data.count > 8 {
            let head = try tripleDES(encrypt: true, key: k1 + k1, data: Array(data.dropLast(8)))
            chain = Array(head.suffix(8))
        }
        // E_K1(D_K2(E_K1(x XOR chain))) is two-key 3DES of the last block.
        return try tripleDES(encrypt: true, key: key, data: Array(data.suffix(8)), iv: chain)
    }

    /// ISO 9797-1 padding method 2: 0x80 then zeros to a multiple of the block size.
    public static func pad(_ data: [UInt8], block: Int = 8) -> [UInt8] {
        var out = data
        out.append(0x80)
        while out.count % block != 0 { out.append(0) }
        return out
    }

    /// Removes method-2 padding; nil when it is malformed.
    public static func unpad(_ data: [UInt8], block: Int = 8) -> [UInt8]? {
        guard let marker = data.lastIndex(where: { $0 != 0 }), data[marker] == 0x80, data.count - marker <= block else { return nil }
        return Array(data[..<marker])
    }

    public enum Digest: String, Sendable, Hashable, CaseIterable {
        case sha1, sha224, sha256, sha384, sha512

        /// The digest named by an AlgorithmIdentifier's OID.
        public init?(oid: String) {
            switch oid {
            case "1.3.14.3.2.26": self = .sha1
            case "2.16.840.1.101.3.4.2.4": self = .sha224
            case "2.16.840.1.101.3.4.2.1": self = .sha256
            case "2.16.840.1.101.3.4.2.2": self = .sha384
            case "2.16.840.1.101.3.4.2.3": self = .sha512
            default: return nil
            }
        }

        public var oid: String {
            switch self {
            case .sha1: "1.3.14.3.2.26"
            case .sha224: "2.16.840.1.101.3.4.2.4"
            case .sha256: "2.16.840.1.101.3.4.2.1"
            case .sha384: "2.16.840.1.101.3.4.2.2"
            case .sha512: "2.16.840.1.101.3.4.2.3"
            }
        }

        var md: OpaquePointer? {
            switch self {
            case .sha1: EVP_sha1()
            case .sha224: EVP_sha224()
            case .sha256: EVP_sha256()
            case .sha384: EVP_sha384()
            case .sha512: EVP_sha512()
            }
        }
    }

    public static func hash(_ digest: Digest, _ data: [UInt8]) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
        var length: UInt32 = 0
        let ok = EVP_Digest(data, data.count, &out, &length, digest.md, nil)
        precondition(ok == 1, "libcrypto digest failed")
        return Array(out.prefix(Int(length)))
    }

    /// ICAO 9303-11 key derivation for 3DES: SHA-1(seed ‖ counter), first 16 bytes, DES parity adjusted.
    public static func deriveKey(seed: [UInt8], counter: UInt32) -> [UInt8] {
        let c = [UInt8(counter >> 24), UInt8((counter >> 16) & 0xFF), UInt8((counter >> 8) & 0xFF), UInt8(counter & 0xFF)]
        return hash(.sha1, seed + c).prefix(16).map { b in
            // Odd parity in the low bit of each byte.
            let ones = (b >> 1).nonzeroBitCount
            return (b & 0xFE) | (ones % 2 == 0 ? 1 : 0)
        }
    }
}

/// Where nonces come from. The kiosk uses the system's generator; tests use a seeded one so a
/// recorded USB exchange replays byte for byte.
public protocol RandomSource: Sendable {
    func bytes(_ count: Int) -> [UInt8]
}

/// libcrypto's CSPRNG.
public struct SystemRandom: RandomSource {
    public init() {}
    public func bytes(_ count: Int) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: count)
        precondition(RAND_bytes(&out, Int32(count)) == 1, "libcrypto's random generator failed")
        return out
    }
}

/// Deterministic bytes from a seed (SHA-256 in counter mode). For tests and replays only.
public final class SeededRandom: RandomSource, Sendable {
    private let seed: [UInt8]
    private let counter = Mutex<UInt32>(0)

    public init(seed: String) { self.seed = Array(seed.utf8) }

    public func bytes(_ count: Int) -> [UInt8] {
        counter.withLock { counter in
            var out: [UInt8] = []
            while out.count < count {
                counter += 1
                out += CardCrypto.hash(.sha256, seed + [UInt8(counter >> 8), UInt8(counter & 0xFF)])
            }
            return Array(out.prefix(count))
        }
    }
}
