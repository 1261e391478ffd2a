/// Secure messaging (ICAO 9303-11 §9.8): commands and responses encrypted with KS_enc and
/// authenticated with KS_mac over the send-sequence counter. 3DES after BAC (or PACE with
/// 3DES); AES after PACE with AES.
public struct SecureMessaging: Sendable {
    public enum Cipher: Sendable, Hashable {
        /// 3DES-CBC with a zero IV, ISO 9797-1 MAC algorithm 3; 8-byte blocks and counter.
        case tripleDES
        /// AES-CBC with IV = E(KS_enc, SSC), AES-CMAC truncated to 8 bytes; 16-byte blocks and counter.
        case aes
    }

    public let cipher: Cipher
    let encKey: [UInt8]
    let macKey: [UInt8]
    /// The send-sequence counter, incremented before each command and each response.
    public private(set) var ssc: [UInt8]

    public init(cipher: Cipher = .tripleDES, encKey: [UInt8], macKey: [UInt8], ssc: [UInt8]) {
        self.cipher = cipher
        self.encKey = encKey
        self.macKey = macKey
        self.ssc = ssc
    }

    public var blockSize: Int { cipher == .aes ? 16 : 8 }

    public mutating func incrementSSC() {
        for i in stride(from: ssc.count - 1, through: 0, by: -1) {
            ssc[i] &+= 1
            if ssc[i] != 0 { break }
        }
    }

    public func pad(_ data: [UInt8]) -> [UInt8] { CardCrypto.pad(data, block: blockSize) }

    /// Encrypts padded data under the current counter.
    public func encrypt(_ data: [UInt8]) throws(CardCrypto.Failure) -> [UInt8] {
        switch cipher {
        case .tripleDES: try CardCrypto.tripleDES(encrypt: true, key: encKey, data: data)
        case .aes: try CardCrypto.aes(encrypt: true, key: encKey, data: data, iv: CardCrypto.aes(encrypt: true, key: encKey, data: ssc))
        }
    }

    public func decrypt(_ data: [UInt8]) throws(CardCrypto.Failure) -> [UInt8] {
        switch cipher {
        case .tripleDES: try CardCrypto.tripleDES(encrypt: false, key: encKey, data: data)
        case .aes: try CardCrypto.aes(encrypt: false, key: encKey, data: data, iv: CardCrypto.aes(encrypt: true, key: encKey, data: ssc))
        }
    }

    /// The 8-byte MAC of `data` (padded here).
    public func mac(_ data: [UInt8]) throws(CardCrypto.Failure) -> [UInt8] {
        switch cipher {
        case .tripleDES: try CardCrypto.retailMAC(key: macKey, data: pad(data))
        case .aes: Array(try CardCrypto.cmac(key: macKey, data: pad(data)).prefix(8))
        }
    }

    /// Protects a plain command.
    public mutating func wrap(_ command: CommandAPDU) throws(CardError) -> CommandAPDU {
        incrementSSC()
        let cla = command.cla | 0x0C
        let header = pad([cla, command.ins, command.p1, command.p2])
        var body: [UInt8] = []
        do {
            if !command.data.isEmpty {
                // Odd INS (e.g. READ BINARY B1) would use DO'85'; the eMRTD commands used here are even.
                body += TLV(tag: 0x87, value: [0x01] + (try encrypt(pad(command.data)))).encoded
            }
            if let ne = command.ne {
                let n = ne >= 65536 ? 0 : ne
                let le: [UInt8] = ne > 256 ? [UInt8(n >> 8), UInt8(n & 0xFF)] : [ne >= 256 ? 0 : UInt8(ne)]
                body += TLV(tag: 0x97, value: le).encoded
            }
            body += TLV(tag: 0x8E, value: try mac(ssc + header + body)).encoded
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
        guard let received = objects.first(where: { $0.tag == 0x8E }) else { throw .secureMessaging("response has no MAC") }
        let covered = objects.filter { $0.tag == 0x87 || $0.tag == 0x99 || $0.tag == 0x85 }.flatMap(\.encoded)
        let expected: [UInt8]
        do {
            expected = try mac(ssc + covered)
        } catch {
            throw .secureMessaging("\(error)")
        }
        guard received.value == expected else { throw .secureMessaging("response MAC does not match") }
        var data: [UInt8] = []
        if let enc = objects.first(where: { $0.tag == 0x87 }) {
            guard enc.value.first == 0x01, (enc.value.count - 1) % blockSize == 0 else { throw .secureMessaging("bad encrypted data object") }
            let plain: [UInt8]
            do {
                plain = try decrypt(Array(enc.value.dropFirst()))
            } catch {
                throw .secureMessaging("\(error)")
            }
            guard let unpadded = CardCrypto.unpad(plain, block: blockSize) else { throw .secureMessaging("bad padding") }
            data = unpadded
        }
        var sw = response.sw
        if let status = objects.first(where: { $0.tag == 0x99 }), status.value.count == 2 {
            sw = UInt16(status.value[0]) << 8 | UInt16(status.value[1])
        }
        return ResponseAPDU(data: data, sw: sw)
    }
}
