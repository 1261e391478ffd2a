/// PACE (ICAO 9303-11 §4.4) with ECDH Generic Mapping — what the CCCD offers with its CAN.
/// Parameters come from EF.CardAccess; the password is the CAN (last 6 digits of the ID number).
public struct PACEInfo: Sendable, Hashable {
    public static let prefix = "0.4.0.127.0.7.2.2.4."
    public var protocolOID: String
    public var version: Int
    public var parameterID: Int?

    public init(protocolOID: String, version: Int = 2, parameterID: Int?) {
        self.protocolOID = protocolOID
        self.version = version
        self.parameterID = parameterID
    }

    /// The cipher and key length of a supported protocol (ECDH-GM with 3DES or AES); nil otherwise.
    public var suite: (cipher: SecureMessaging.Cipher, keyLength: Int)? {
        switch protocolOID {
        case Self.prefix + "2.1": (.tripleDES, 16)
        case Self.prefix + "2.2": (.aes, 16)
        case Self.prefix + "2.3": (.aes, 24)
        case Self.prefix + "2.4": (.aes, 32)
        default: nil
        }
    }

    /// The PACE entries of EF.CardAccess (`SecurityInfos ::= SET OF SecurityInfo`), supported ones first.
    public static func parse(cardAccess: [UInt8]) throws(CardError) -> [PACEInfo] {
        do {
            let set = try TLV.parse(cardAccess)
            guard set.tag == TLV.set else { throw CardError.malformed(file: "EF.CardAccess", reason: "not a SET of security infos") }
            var out: [PACEInfo] = []
            for info in try set.children() where info.tag == TLV.sequence {
                let parts = try info.children()
                guard let oid = parts.first?.oidString, oid.hasPrefix(prefix), parts.count >= 2,
                    let version = parts[1].integerValue
                else { continue }
                // PACEInfo has a version then an optional parameter id; PACEDomainParameterInfo
                // (an AlgorithmIdentifier in second place) has no integer version and is skipped.
                out.append(PACEInfo(protocolOID: oid, version: version, parameterID: parts.count > 2 ? parts[2].integerValue : nil))
            }
            return out.sorted { ($0.suite != nil ? 0 : 1) < ($1.suite != nil ? 0 : 1) }
        } catch let e as CardError {
            throw e
        } catch {
            throw .malformed(file: "EF.CardAccess", reason: "\(error)")
        }
    }

    /// KDF (ICAO 9303-11 §9.7.1): SHA-1 for 3DES and AES-128, SHA-256 above; 3DES keys get parity.
    public func deriveKey(_ secret: [UInt8], counter: UInt32) -> [UInt8] {
        guard let suite else { return [] }
        if suite.cipher == .tripleDES { return CardCrypto.deriveKey(seed: secret, counter: counter) }
        let c = [UInt8(counter >> 24), UInt8((counter >> 16) & 0xFF), UInt8((counter >> 8) & 0xFF), UInt8(counter & 0xFF)]
        return Array(CardCrypto.hash(suite.keyLength == 16 ? .sha1 : .sha256, secret + c).prefix(suite.keyLength))
    }

    /// Encrypts or decrypts the nonce with K_π (CBC, zero IV).
    public func nonceCipher(encrypt: Bool, key: [UInt8], _ data: [UInt8]) throws(CardCrypto.Failure) -> [UInt8] {
        suite?.cipher == .tripleDES
            ? try CardCrypto.tripleDES(encrypt: encrypt, key: key, data: data)
            : try CardCrypto.aes(encrypt: encrypt, key: key, data: data)
    }

    /// The authentication token: MAC over the other side's ephemeral public key data object
    /// (`7F49 { 06 OID, 86 point }`); 3DES pads for its retail MAC, AES-CMAC needs no padding.
    public func token(macKey: [UInt8], publicKey: [UInt8]) throws(CardCrypto.Failure) -> [UInt8] {
        let object = TLV(tag: 0x7F49, children: [TLV.oid(protocolOID), TLV(tag: 0x86, value: publicKey)]).encoded
        return suite?.cipher == .tripleDES
            ? try CardCrypto.retailMAC(key: macKey, data: CardCrypto.pad(object))
            : Array(try CardCrypto.cmac(key: macKey, data: object).prefix(8))
    }
}

extension ChipSession {
    /// PACE with the CAN. Throws `.accessDenied` when the card refuses the password, and
    /// `.unsupportedCard` when the card's parameters are ones this code does not speak.
    public func performPACE(can: String, info: PACEInfo) throws(CardError) {
        guard let suite = info.suite, let parameterID = info.parameterID, let curve = ECCurve(parameterID: parameterID) else {
            throw .unsupportedCard("PACE \(info.protocolOID) with parameters \(info.parameterID.map(String.init) ?? "none") is not supported")
        }
        resetSecureMessaging()
        var setAT = TLV(tag: 0x80, value: TLV.oid(info.protocolOID).value).encoded + [0x83, 0x01, 0x02]
        setAT += [0x84, 0x01, UInt8(parameterID)]
        let mse = try send(CommandAPDU(ins: 0x22, p1: 0xC1, p2: 0xA4, data: setAT), step: "PACE set-up")
        guard mse.isSuccess else { throw .status(step: "PACE set-up", sw: mse.sw) }

        func authenticate(_ tag: UInt32, _ value: [UInt8], last: Bool = false, step: String) throws(CardError) -> [UInt8] {
            let body = TLV(tag: 0x7C, children: value.isEmpty && tag == 0 ? [] : [TLV(tag: tag, value: value)]).encoded
            let r = try send(CommandAPDU(cla: last ? 0x00 : 0x10, ins: 0x86, p1: 0, p2: 0, data: body, ne: 256), step: step)
            if r.sw == 0x6300 || r.sw == 0x6982 || (r.sw & 0xFFF0) == 0x63C0 { throw .accessDenied }
            guard r.isSuccess else { throw .status(step: step, sw: r.sw) }
            do {
                let outer = try TLV.parse(r.data)
                guard outer.tag == 0x7C, let inner = try outer.children().first else {
                    throw CardError.secureMessaging("\(step): no dynamic authentication data")
                }
                return inner.value
            } catch let e as CardError {
                throw e
            } catch {
                throw .secureMessaging("\(step): \(error)")
            }
        }

        // 1. The encrypted nonce.
        let z = try authenticate(0, [], step: "PACE nonce")
        let kPi = info.deriveKey(Array(can.utf8), counter: 3)
        let s: [UInt8]
        do {
            s = try info.nonceCipher(encrypt: false, key: kPi, z)
        } catch {
            throw .secureMessaging("PACE nonce: \(error)")
        }
        // 2. Generic Mapping: G' = s·G + SK_map·PK_map(ICC).
        let skMap = curve.randomScalar(random)
        guard let pkMap = curve.multiply(skMap) else { throw .secureMessaging("PACE: key generation failed") }
        let pkMapICCBytes = try authenticate(0x81, curve.encode(pkMap), step: "PACE mapping")
        guard let pkMapICC = curve.decode(pkMapICCBytes), pkMapICCBytes != curve.encode(pkMap),
            let h = curve.multiply(nil, plus: pkMapICC, times: skMap),
            let mapped = curve.multiply(curve.scalar(s), plus: h, times: curve.scalar([1]))
        else {
            throw .secureMessaging("PACE mapping: the card's point is not usable")
        }
        // 3. Key agreement on the mapped generator.
        let skEph = curve.randomScalar(random)
        guard let pkEph = curve.multiply(skEph, base: mapped) else { throw .secureMessaging("PACE: key generation failed") }
        let pkEphBytes = curve.encode(pkEph)
        let pkICCBytes = try authenticate(0x83, pkEphBytes, step: "PACE key agreement")
        guard let pkICC = curve.decode(pkICCBytes), pkICCBytes != pkEphBytes,
            let shared = curve.multiply(skEph, base: pkICC)
        else {
            throw .secureMessaging("PACE key agreement: the card's point is not usable")
        }
        let k = curve.xCoordinate(shared)
        let encKey = info.deriveKey(k, counter: 1), macKey = info.deriveKey(k, counter: 2)
        // 4. Mutual authentication with tokens.
        let tICC: [UInt8]
        do {
            tICC = try authenticate(0x85, info.token(macKey: macKey, publicKey: pkICCBytes), last: true, step: "PACE authentication")
            guard tICC == (try info.token(macKey: macKey, publicKey: pkEphBytes)) else {
                throw CardError.secureMessaging("PACE: the card's authentication token does not match")
            }
        } catch let e as CardError {
            throw e
        } catch {
            throw .secureMessaging("PACE tokens: \(error)")
        }
        establish(
            SecureMessaging(
                cipher: suite.cipher, encKey: encKey, macKey: macKey,
                ssc: [UInt8](repeating: 0, count: suite.cipher == .aes ? 16 : 8)))
    }
}
