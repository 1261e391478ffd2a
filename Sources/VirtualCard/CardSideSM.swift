import CitizenCard

/// Secure messaging as the chip does it: commands checked and decrypted, responses protected,
/// with the same primitives (3DES or AES) as the reader side.
struct CardSideSM {
    var sm: SecureMessaging

    init(_ sm: SecureMessaging) { self.sm = sm }

    init(encKey: [UInt8], macKey: [UInt8], ssc: [UInt8]) {
        sm = SecureMessaging(cipher: .tripleDES, encKey: encKey, macKey: macKey, ssc: ssc)
    }

    mutating func unwrap(_ c: CommandAPDU) -> CommandAPDU? {
        sm.incrementSSC()
        guard let objects = try? TLV.parseAll(c.data), let mac = objects.first(where: { $0.tag == 0x8E }) else { return nil }
        let header = sm.pad([c.cla, c.ins, c.p1, c.p2])
        let covered = objects.filter { $0.tag == 0x87 || $0.tag == 0x97 }.flatMap(\.encoded)
        guard (try? sm.mac(sm.ssc + header + covered)) == mac.value else { return nil }
        var data: [UInt8] = []
        if let enc = objects.first(where: { $0.tag == 0x87 }) {
            guard enc.value.first == 1, let p = try? sm.decrypt(Array(enc.value.dropFirst())),
                let u = CardCrypto.unpad(p, block: sm.blockSize)
            else { return nil }
            data = u
        }
        var ne: Int?
        if let le = objects.first(where: { $0.tag == 0x97 }) {
            let n = le.value.reduce(0) { $0 << 8 | Int($1) }
            ne = n == 0 ? (le.value.count == 1 ? 256 : 65536) : n
        }
        return CommandAPDU(cla: c.cla & ~0x0C, ins: c.ins, p1: c.p1, p2: c.p2, data: data, ne: ne)
    }

    mutating func wrap(_ r: ResponseAPDU) -> ResponseAPDU {
        sm.incrementSSC()
        var body: [UInt8] = []
        if !r.data.isEmpty, let enc = try? sm.encrypt(sm.pad(r.data)) {
            body += TLV(tag: 0x87, value: [0x01] + enc).encoded
        }
        body += TLV(tag: 0x99, value: r.sw.bigEndianBytes).encoded
        let mac = (try? sm.mac(sm.ssc + body)) ?? []
        body += TLV(tag: 0x8E, value: mac).encoded
        return ResponseAPDU(data: body, sw: r.sw)
    }
}
