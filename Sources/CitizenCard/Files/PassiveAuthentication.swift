import CCrypto
import Foundation

/// The outcome of passive authentication, reported beside the data (never instead of it).
public enum Authenticity: Sendable, Hashable, CustomStringConvertible {
    /// Hashes match, the SOD signature is valid and its signer chains to a trusted CSCA.
    case verified
    /// Hashes match and the signature is valid, but the signer is not from a CSCA in the store.
    case caUnknown
    /// A hash or the signature does not match: the data cannot be trusted.
    case failed(String)

    public var description: String {
        switch self {
        case .verified: "verified"
        case .caUnknown: "signature valid, CA unknown"
        case .failed(let why): "failed: \(why)"
        }
    }

    /// A short machine-readable name: `verified`, `ca_unknown`, `failed`.
    public var code: String {
        switch self {
        case .verified: "verified"
        case .caUnknown: "ca_unknown"
        case .failed: "failed"
        }
    }
}

/// The LDS security object inside EF.SOD: which hash, and each data group's hash.
public struct SecurityObject: Sendable, Hashable {
    public static let contentType = "2.23.136.1.1.1"
    public var digest: CardCrypto.Digest
    public var hashes: [Int: [UInt8]]

    public init(digest: CardCrypto.Digest, hashes: [Int: [UInt8]]) {
        self.digest = digest
        self.hashes = hashes
    }

    /// `LDSSecurityObject ::= SEQUENCE { version, hashAlgorithm, dataGroupHashValues }`.
    public init(der: [UInt8]) throws(CardError) {
        do {
            let parts = try TLV.parse(der).children()
            guard parts.count >= 3, parts[0].integerValue != nil,
                let oid = try parts[1].child(TLV.objectIdentifier)?.oidString
            else {
                throw CardError.malformed(file: "EF.SOD", reason: "security object is not version, algorithm, hashes")
            }
            guard let digest = CardCrypto.Digest(oid: oid) else {
                throw CardError.malformed(file: "EF.SOD", reason: "unknown hash algorithm \(oid)")
            }
            var hashes: [Int: [UInt8]] = [:]
            for entry in try parts[2].children() {
                let pair = try entry.children()
                guard pair.count == 2, let number = pair[0].integerValue, pair[1].tag == TLV.octetString else {
                    throw CardError.malformed(file: "EF.SOD", reason: "a data-group hash entry is malformed")
                }
                hashes[number] = pair[1].value
            }
            self.init(digest: digest, hashes: hashes)
        } catch let e as CardError {
            throw e
        } catch {
            throw .malformed(file: "EF.SOD", reason: "\(error)")
        }
    }

    public var der: [UInt8] {
        TLV(
            tag: TLV.sequence,
            children: [
                .int(0),
                TLV(tag: TLV.sequence, children: [.oid(digest.oid)]),
                TLV(
                    tag: TLV.sequence,
                    children: hashes.keys.sorted().map {
                        TLV(tag: TLV.sequence, children: [.int($0), TLV(tag: TLV.octetString, value: hashes[$0]!)])
                    }),
            ]
        ).encoded
    }
}

/// Trusted country-signing CA certificates (CSCA), PEM or DER files, loaded once.
public final class CSCAStore: Sendable {
    /// The certificates' DER, as loaded.
    public let certificates: [[UInt8]]
    /// Files that could not be read as certificates (reported by selftest, never fatal).
    public let rejected: [String]

    public init(certificates: [[UInt8]], rejected: [String] = []) {
        self.certificates = certificates
        self.rejected = rejected
    }

    /// Every `.pem`, `.crt`, `.cer` and `.der` file in `directory` (a missing directory is an
    /// empty store: every card then reads as "CA unknown").
    public convenience init(directory: String) {
        var certs: [[UInt8]] = []
        var rejected: [String] = []
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        for name in names.sorted() where [".pem", ".crt", ".cer", ".der"].contains(where: name.lowercased().hasSuffix) {
            let path = (directory as NSString).appendingPathComponent(name)
            guard let data = FileManager.default.contents(atPath: path) else {
                rejected.append(name)
                continue
            }
            let found = CSCAStore.parseCertificates(Array(data))
            if found.isEmpty { rejected.append(name) }
            certs += found
        }
        self.init(certificates: certs, rejected: rejected)
    }

    /// The DER of every certificate in PEM text, or of one DER certificate.
    static func parseCertificates(_ bytes: [UInt8]) -> [[UInt8]] {
        guard let bio = BIO_new_mem_buf(bytes, Int32(bytes.count)) else { return [] }
        defer { BIO_free(bio) }
        var out: [[UInt8]] = []
        while let cert = PEM_read_bio_X509(bio, nil, nil, nil) {
            out.append(PassiveAuthentication.der(of: cert))
            X509_free(cert)
        }
        ERR_clear_error()
        if out.isEmpty {
            var p: UnsafePointer<UInt8>? = nil
            bytes.withUnsafeBufferPointer { buf in
                p = buf.baseAddress
                if let cert = d2i_X509(nil, &p, buf.count) {
                    out.append(PassiveAuthentication.der(of: cert))
                    X509_free(cert)
                }
            }
            ERR_clear_error()
        }
        return out
    }
}

/// Passive authentication (ICAO 9303-11 §5.1): the SOD's signature with the document signer
/// certificate inside it, that certificate against the CSCA store, and each data group
/// against its hash in the SOD.
public enum PassiveAuthentication {
    /// Checks `dataGroups` (number → file bytes as read) against `sod` (EF.SOD as read).
    public static func check(sod: [UInt8], dataGroups: [Int: [UInt8]], store: CSCAStore) -> Authenticity {
        let object: SecurityObject
        let signerCert: OpaquePointer
        do {
            let outer = try TLV.parse(sod)
            guard outer.tag == LDSFile.sod.tag else { return .failed("EF.SOD does not start with tag 77") }
            (object, signerCert) = try verifySignature(contentInfo: outer.value)
        } catch let e as CardError {
            return .failed(e.description)
        } catch {
            return .failed("EF.SOD: \(error)")
        }
        defer { X509_free(signerCert) }
        for (number, bytes) in dataGroups.sorted(by: { $0.key < $1.key }) {
            guard let expected = object.hashes[number] else { return .failed("DG\(number) has no hash in the SOD") }
            guard CardCrypto.hash(object.digest, bytes) == expected else { return .failed("DG\(number) does not match its hash") }
        }
        return chainsToStore(signerCert, store: store) ? .verified : .caUnknown
    }

    /// Verifies the CMS signature with the certificate it carries; returns the signed security
    /// object and the signer certificate (owned by the caller).
    static func verifySignature(contentInfo: [UInt8]) throws(CardError) -> (SecurityObject, OpaquePointer) {
        guard let input = BIO_new_mem_buf(contentInfo, Int32(contentInfo.count)) else { throw .malformed(file: "EF.SOD", reason: "no memory") }
        defer { BIO_free(input) }
        guard let cms = d2i_CMS_bio(input, nil) else {
            ERR_clear_error()
            throw .malformed(file: "EF.SOD", reason: "not a CMS SignedData")
        }
        defer { CMS_ContentInfo_free(cms) }
        guard let type = CMS_get0_eContentType(cms), oidText(type) == SecurityObject.contentType else {
            throw .malformed(file: "EF.SOD", reason: "content is not an LDS security object")
        }
        guard let output = BIO_new(BIO_s_mem()) else { throw .malformed(file: "EF.SOD", reason: "no memory") }
        defer { BIO_free(output) }
        // The signer certificate's chain is checked separately, against the CSCA store, so an
        // unknown CA is told apart from a bad signature.
        let flags = UInt32(CMS_NO_SIGNER_CERT_VERIFY | CMS_BINARY)
        guard CMS_verify(cms, nil, nil, nil, output, flags) == 1 else {
            let reason = lastError()
            throw .malformed(file: "EF.SOD", reason: "signature does not verify (\(reason))")
        }
        var pointer: UnsafePointer<UInt8>? = nil
        let length = csw_bio_mem_data(output, &pointer)
        guard let pointer, length > 0 else { throw .malformed(file: "EF.SOD", reason: "empty security object") }
        let object = try SecurityObject(der: Array(UnsafeBufferPointer(start: pointer, count: length)))
        guard let signers = CMS_get0_signers(cms) else { throw .malformed(file: "EF.SOD", reason: "no signer certificate") }
        defer { csw_sk_X509_free(signers) }
        guard csw_sk_X509_num(signers) == 1, let signer = csw_sk_X509_value(signers, 0) else {
            throw .malformed(file: "EF.SOD", reason: "not exactly one signer certificate")
        }
        X509_up_ref(signer)
        return (object, signer)
    }

    static func chainsToStore(_ cert: OpaquePointer, store csca: CSCAStore) -> Bool {
        guard !csca.certificates.isEmpty, let store = X509_STORE_new() else { return false }
        defer { X509_STORE_free(store) }
        for der in csca.certificates {
            var p: UnsafePointer<UInt8>? = nil
            der.withUnsafeBufferPointer { buf in
                p = buf.baseAddress
                if let c = d2i_X509(nil, &p, buf.count) {
                    X509_STORE_add_cert(store, c)
                    X509_free(c)
                }
            }
        }
        // A document signer certificate may expire while the cards it signed stay valid, so
        // time is not checked (ICAO 9303-11 verifies at the time of signing).
        X509_STORE_set_flags(store, UInt(X509_V_FLAG_NO_CHECK_TIME))
        guard let ctx = X509_STORE_CTX_new() else { return false }
        defer { X509_STORE_CTX_free(ctx) }
        guard X509_STORE_CTX_init(ctx, store, cert, nil) == 1 else { return false }
        let ok = X509_verify_cert(ctx) == 1
        ERR_clear_error()
        return ok
    }

    static func der(of cert: OpaquePointer) -> [UInt8] {
        var out: UnsafeMutablePointer<UInt8>? = nil
        let n = i2d_X509(cert, &out)
        guard n > 0, let out else { return [] }
        defer { CRYPTO_free(out, #file, #line) }
        return Array(UnsafeBufferPointer(start: out, count: Int(n)))
    }

    static func oidText(_ object: OpaquePointer) -> String {
        var buffer = [CChar](repeating: 0, count: 128)
        let n = OBJ_obj2txt(&buffer, 128, object, 1)
        return n > 0 ? text(buffer) : ""
    }

    static func lastError() -> String {
        let code = ERR_get_error()
        ERR_clear_error()
        guard code != 0 else { return "no detail" }
        var buffer = [CChar](repeating: 0, count: 256)
        ERR_error_string_n(code, &buffer, 256)
        return text(buffer)
    }

    /// A NUL-terminated C string from a buffer.
    static func text(_ buffer: [CChar]) -> String {
        String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
