import CCrypto
import Foundation
public import CitizenCard

/// A throw-away country-signing CA and document signer, made fresh with libcrypto, to sign the
/// virtual card's SOD. Nothing here is a real authority's key.
/// `@unchecked Sendable`: holds OpenSSL key and certificate handles (C pointers), never
/// changed after creation.
public final class TestPKI: @unchecked Sendable {
    public enum Failure: Error, Sendable { case openssl(String) }

    private let caKey: OpaquePointer
    private let caCert: OpaquePointer
    private let signerKey: OpaquePointer
    private let signerCert: OpaquePointer

    /// `name` goes into the certificates' common names.
    public init(name: String = "Test CSCA (not a real authority)") throws(Failure) {
        guard let caKey = csw_ec_key("P-256"), let signerKey = csw_ec_key("P-256") else { throw .openssl("key generation") }
        self.caKey = caKey
        self.signerKey = signerKey
        caCert = try Self.certificate(subject: name, key: caKey, issuerKey: caKey, issuer: nil, serial: 1, isCA: true)
        signerCert = try Self.certificate(subject: "Test document signer", key: signerKey, issuerKey: caKey, issuer: caCert, serial: 2, isCA: false)
    }

    deinit {
        X509_free(caCert)
        X509_free(signerCert)
        EVP_PKEY_free(caKey)
        EVP_PKEY_free(signerKey)
    }

    /// The CA certificate, DER.
    public var caCertificateDER: [UInt8] { Self.der(caCert) }

    /// The CA certificate as PEM text (for a CSCA store directory).
    public var caCertificatePEM: String {
        "-----BEGIN CERTIFICATE-----\n" + Data(caCertificateDER).base64EncodedString(options: [.lineLength64Characters, .endLineWithLineFeed])
            + "\n-----END CERTIFICATE-----\n"
    }

    /// A store that trusts this CA.
    public var store: CSCAStore { CSCAStore(certificates: [caCertificateDER]) }

    /// EF.SOD: tag 77 around a CMS SignedData of the security object, signed by the document
    /// signer, its certificate included.
    public func signSOD(_ object: SecurityObject) throws(Failure) -> [UInt8] {
        let content = object.der
        guard let input = BIO_new_mem_buf(content, Int32(content.count)) else { throw .openssl("BIO") }
        defer { BIO_free(input) }
        let flags = UInt32(CMS_BINARY | CMS_PARTIAL | CMS_NOSMIMECAP)
        guard let cms = CMS_sign(signerCert, signerKey, nil, nil, flags) else { throw .openssl("CMS_sign") }
        defer { CMS_ContentInfo_free(cms) }
        guard let type = OBJ_txt2obj(SecurityObject.contentType, 1) else { throw .openssl("OID") }
        defer { ASN1_OBJECT_free(type) }
        guard CMS_set1_eContentType(cms, type) == 1, CMS_final(cms, input, nil, flags) == 1 else { throw .openssl("CMS_final") }
        var out: UnsafeMutablePointer<UInt8>? = nil
        let n = i2d_CMS_ContentInfo(cms, &out)
        guard n > 0, let out else { throw .openssl("i2d_CMS_ContentInfo") }
        defer { CRYPTO_free(out, #file, #line) }
        return TLV(tag: 0x77, value: Array(UnsafeBufferPointer(start: out, count: Int(n)))).encoded
    }

    private static func certificate(
        subject: String, key: OpaquePointer, issuerKey: OpaquePointer, issuer: OpaquePointer?,
        serial: Int, isCA: Bool
    ) throws(Failure) -> OpaquePointer {
        guard let cert = X509_new() else { throw .openssl("X509_new") }
        X509_set_version(cert, 2)
        ASN1_INTEGER_set(X509_get_serialNumber(cert), serial)
        X509_gmtime_adj(X509_getm_notBefore(cert), -86400)
        X509_gmtime_adj(X509_getm_notAfter(cert), 10 * 365 * 86400)
        X509_set_pubkey(cert, key)
        let name = X509_get_subject_name(cert)
        X509_NAME_add_entry_by_txt(name, "C", MBSTRING_ASC, "VN", -1, -1, 0)
        X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8, subject, -1, -1, 0)
        X509_set_issuer_name(cert, issuer.map { X509_get_subject_name($0) } ?? name)
        let issuerCert = issuer ?? cert
        let ok =
            csw_x509_add_ext(cert, issuerCert, NID_basic_constraints, isCA ? "critical,CA:TRUE" : "critical,CA:FALSE") == 1
            && csw_x509_add_ext(cert, issuerCert, NID_key_usage, isCA ? "critical,keyCertSign,cRLSign" : "critical,digitalSignature") == 1
            && csw_x509_add_ext(cert, issuerCert, NID_subject_key_identifier, "hash") == 1
            && (isCA || csw_x509_add_ext(cert, issuerCert, NID_authority_key_identifier, "keyid:always") == 1)
        guard ok, X509_sign(cert, issuerKey, EVP_sha256()) > 0 else {
            X509_free(cert)
            throw .openssl("certificate for \(subject)")
        }
        return cert
    }

    private static func der(_ cert: OpaquePointer) -> [UInt8] {
        var out: UnsafeMutablePointer<UInt8>? = nil
        let n = i2d_X509(cert, &out)
        guard n > 0, let out else { return [] }
        defer { CRYPTO_free(out, #file, #line) }
        return Array(UnsafeBufferPointer(start: out, count: Int(n)))
    }
}
