import CitizenCard

/// PACE on the chip's side, step by step.
struct PACEState {
    var info: PACEInfo
    var curve: ECCurve
    var nonce: [UInt8]?
    var mapped: ECCurve.Point?
    var ephemeral: ECCurve.Scalar?
    var ifdPublic: [UInt8]?
    var iccPublic: [UInt8]?
    var keys: (enc: [UInt8], mac: [UInt8])?
}

extension VirtualCCCD {
    /// MSE:Set AT for PACE with the CAN.
    func setUpPACE(_ c: CommandAPDU) -> ResponseAPDU {
        guard c.p1 == 0xC1, c.p2 == 0xA4, let offered = options.pace, let objects = try? TLV.parseAll(c.data),
            let oid = objects.first(where: { $0.tag == 0x80 }), TLV(tag: TLV.objectIdentifier, value: oid.value).oidString == offered.protocolOID,
            objects.first(where: { $0.tag == 0x83 })?.value == [0x02], let curve = ECCurve(parameterID: offered.parameterID ?? 0)
        else {
            return ResponseAPDU(data: [], sw: 0x6A80)
        }
        sm = nil
        pace = PACEState(info: offered, curve: curve)
        return ResponseAPDU(data: [], sw: 0x9000)
    }

    /// GENERAL AUTHENTICATE: nonce, mapping, key agreement, tokens.
    func generalAuthenticate(_ c: CommandAPDU) -> ResponseAPDU {
        guard var state = pace, let outer = try? TLV.parse(c.data), outer.tag == 0x7C, let items = try? outer.children() else {
            return ResponseAPDU(data: [], sw: 0x6985)
        }
        func answer(_ tag: UInt32, _ value: [UInt8]) -> ResponseAPDU {
            pace = state
            return ResponseAPDU(data: TLV(tag: 0x7C, children: [TLV(tag: tag, value: value)]).encoded, sw: 0x9000)
        }
        let info = state.info, curve = state.curve
        switch items.first?.tag {
        case nil:
            let s = random.bytes(info.suite?.cipher == .tripleDES ? 8 : 16)
            guard let z = try? info.nonceCipher(encrypt: true, key: info.deriveKey(Array(citizen.idNumber.suffix(6).utf8), counter: 3), s) else {
                return ResponseAPDU(data: [], sw: 0x6F00)
            }
            state.nonce = s
            return answer(0x80, z)
        case 0x81?:
            guard let s = state.nonce, let ifd = curve.decode(items[0].value) else { return ResponseAPDU(data: [], sw: 0x6A80) }
            let sk = curve.randomScalar(random)
            guard let pk = curve.multiply(sk), let h = curve.multiply(nil, plus: ifd, times: sk),
                let mapped = curve.multiply(curve.scalar(s), plus: h, times: curve.scalar([1]))
            else { return ResponseAPDU(data: [], sw: 0x6A80) }
            state.mapped = mapped
            return answer(0x82, curve.encode(pk))
        case 0x83?:
            guard let mapped = state.mapped, let ifd = curve.decode(items[0].value) else { return ResponseAPDU(data: [], sw: 0x6A80) }
            let sk = curve.randomScalar(random)
            guard let pk = curve.multiply(sk, base: mapped), let shared = curve.multiply(sk, base: ifd) else {
                return ResponseAPDU(data: [], sw: 0x6A80)
            }
            let k = curve.xCoordinate(shared)
            state.keys = (info.deriveKey(k, counter: 1), info.deriveKey(k, counter: 2))
            state.ifdPublic = items[0].value
            state.iccPublic = curve.encode(pk)
            return answer(0x84, curve.encode(pk))
        case 0x85?:
            guard let keys = state.keys, let ifd = state.ifdPublic, let icc = state.iccPublic, let suite = info.suite else {
                return ResponseAPDU(data: [], sw: 0x6985)
            }
            pace = nil
            // A wrong CAN gives another nonce, so other keys: the reader's token does not match.
            guard (try? info.token(macKey: keys.mac, publicKey: icc)) == items[0].value,
                let token = try? info.token(macKey: keys.mac, publicKey: ifd)
            else {
                return ResponseAPDU(data: [], sw: 0x6300)
            }
            sm = CardSideSM(
                SecureMessaging(
                    cipher: suite.cipher, encKey: keys.enc, macKey: keys.mac,
                    ssc: [UInt8](repeating: 0, count: suite.cipher == .aes ? 16 : 8)))
            return ResponseAPDU(data: TLV(tag: 0x7C, children: [TLV(tag: 0x86, value: token)]).encoded, sw: 0x9000)
        default:
            return ResponseAPDU(data: [], sw: 0x6A80)
        }
    }
}
