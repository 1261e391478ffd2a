/// 3DES secure messaging (ICAO 9303-11 §9.8): commands and responses encrypted with KS_enc
/// and authenticated with a retail MAC under KS_mac over the send-sequence counter.
public struct SecureMessaging: Sendable {
    let encKey: [UInt8]
    let macKey: [UInt8]
    /// The send-sequence counter, incremented before each command and each response.
    private(set) var ssc: [UInt8]

    public init(encKey: [UInt8], macKey: [UInt8], ssc: [UInt8]) {
        self.encKey = encKey
        self.macKey = macKey
        self.ssc = ssc
    }

    mutating func incrementSSC() {
        for i in stride(from: ssc.count - 1, through: 0, by: -1) {
            ssc[i] &+= 1
            if ssc[i] != 0 { break }
        }
    }

    /// Protects a plain command.
    public mutating func wrap(_ command: CommandAPDU) throws(CardError) -> CommandAPDU {
        incrementSSC()
        let cla = command.cla | 0x0C
        let header = CardCrypto.pad([cla, command.ins, command.p1, command.p2])
        var body: [UInt8] = []
        do {
            if !command.data.isEmpty {
                let encrypted = try CardCrypto.tripleDES(encrypt: true, key: encKey, data: CardCrypto.pad(command.data))
                // Odd INS (e.g. READ BINARY B1) would use DO'85'; the eMRTD commands used here are even.
                body += TLV(tag: 0x87, value: [0x01] + encrypted).encoded
            }
            if let ne = command.ne {
                let extended = ne > 256
                let le: [UInt8] = extended ? [UInt8((ne >= 65536 ? 0 : ne) >> 8), UInt8((ne >= 65536 ? 0 : ne) & 0xFF)]
                    : [ne >= 256 ? 0 : UInt8(ne)]
                body += TLV(tag: 0x97, value: le).encoded
            }
            let mac = try CardCrypto.retailMAC(key: macKey, data: CardCrypto.pad(ssc + header + body))
            body += TLV(tag: 0x8E, value: mac).encoded
        } catch {
            throw .secureMessaging("\(error)")
        }
        let extended = (command.ne ?? 0) > 256 || body.count > 255
        return CommandAPDU(cla: cla, ins: command.ins, p1: command.p1, p2: command.p2, data: body, ne: extended ? 65536 : 256)
    }

    /// Checks and decrypts a protected response. A response without SM objects (a plain error
    /// status) is returned as is: cards answer some errors unprotected.
    public mutating func unwrap(_ response: ResponseAPDU) throws(CardError) -> ResponseAPDU {
        incrementSSC()
        if response.data.isEmpty { return response }
        let objects: [TLV]
        do {
            objects = try TLV.parseAll(response.data)
        } catch {
            throw .secureMessaging("response objects: \(error)")
        }
        guard let mac = objects.first(where: { $0.tag == 0x8E }) else { throw .secureMessaging("response has no MAC") }
        let covered = objects.filter { $0.tag == 0x87 || $0.tag == 0x99 || $0.tag == 0x85 }.flatMap(\.encoded)
        let expected: [UInt8]
        do {
            expected = try CardCrypto.retailMAC(key: macKey, data: CardCrypto.pad(ssc + covered))
        } catch {
            throw .secureMessaging("\(error)")
        }
        guard mac.value == expected else { throw .secureMessaging("response MAC does not match") }
        var data: [UInt8] = []
        if let enc = objects.first(where: { $0.tag == 0x87 }) {
            guard enc.value.first == 0x01, (enc.value.count - 1) % 8 == 0 else { throw .secureMessaging("bad encrypted data object") }
            let plain: [UInt8]
            do {
                plain = try CardCrypto.tripleDES(encrypt: false, key: encKey, data: Array(enc.value.dropFirst()))
            } catch {
                throw .secureMessaging("\(error)")
            }
            guard let unpadded = CardCrypto.unpad(plain) else { throw .secureMessaging("bad padding") }
            data = unpadded
        }
        var sw = response.sw
        if let status = objects.first(where: { $0.tag == 0x99 }), status.value.count == 2 {
            sw = UInt16(status.value[0]) << 8 | UInt16(status.value[1])
        }
        return ResponseAPDU(data: data, sw: sw)
    }
}
