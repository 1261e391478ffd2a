/// The inspection-system side of the eMRTD application: select it, open it with BAC, read
/// files under secure messaging. One session per card insertion; not shared between threads.
public final class ChipSession {
    public static let applicationID: [UInt8] = [0xA0, 0x00, 0x00, 0x02, 0x47, 0x10, 0x01]
    /// JMRTD's default block size for short APDUs: 223 plain bytes fit a 256-byte protected
    /// response with room to spare.
    public static let shortBlock = 0xDF

    let transport: any APDUTransport
    let random: any RandomSource
    private var sm: SecureMessaging?
    /// Commands sent to the card so far.
    public private(set) var apduCount = 0
    /// Falls back to short APDUs when the card refuses an extended one.
    private var extendedAllowed: Bool
    /// Falls back to SELECT + READ BINARY when the card refuses short EF identifiers.
    private var shortIDsAllowed = true

    public init(transport: any APDUTransport, random: any RandomSource = SystemRandom()) {
        self.transport = transport
        self.random = random
        extendedAllowed = transport.maxResponseLength > 258
    }

    func resetSecureMessaging() { sm = nil }
    func establish(_ messaging: SecureMessaging) { sm = messaging }

    /// Sends a command, through secure messaging once it is established.
    func send(_ command: CommandAPDU, step: String) throws(CardError) -> ResponseAPDU {
        apduCount += 1
        if var sm {
            let wrapped = try sm.wrap(command)
            let raw = try transport.transmit(wrapped.bytes)
            guard let response = ResponseAPDU(bytes: raw) else { throw .truncatedResponse(step: step) }
            // A plain 6987/6988 means the card rejected our SM objects: the session is over.
            if response.data.isEmpty, response.sw == 0x6987 || response.sw == 0x6988 {
                self.sm = nil
                throw .secureMessaging("\(step): card refused the protected command (\(response.sw.bigEndianBytes.hex))")
            }
            let plain = try sm.unwrap(response)
            self.sm = sm
            return plain
        }
        let raw = try transport.transmit(command.bytes)
        guard let response = ResponseAPDU(bytes: raw) else { throw .truncatedResponse(step: step) }
        return response
    }

    /// SELECT the eMRTD application by its AID.
    public func selectApplication() throws(CardError) {
        let r = try send(CommandAPDU(ins: 0xA4, p1: 0x04, p2: 0x0C, data: Self.applicationID), step: "select eMRTD application")
        guard r.isSuccess else {
            if r.sw == 0x6A82 { throw .unsupportedCard("the card has no eMRTD application (is it a CCCD chip card?)") }
            throw .status(step: "select eMRTD application", sw: r.sw)
        }
    }

    /// Basic Access Control: mutual authentication with the MRZ-derived keys, then secure
    /// messaging with the session keys. Wrong keys throw `.accessDenied`.
    public func performBAC(key: BACKey) throws(CardError) {
        sm = nil
        let challenge = try send(CommandAPDU(ins: 0x84, p1: 0, p2: 0, ne: 8), step: "get challenge")
        guard challenge.isSuccess, challenge.data.count == 8 else { throw .status(step: "get challenge", sw: challenge.sw) }
        let rndICC = challenge.data
        let rndIFD = random.bytes(8)
        let kIFD = random.bytes(16)
        let kEnc = key.encKey
        let kMac = key.macKey
        let eIFD: [UInt8]
        let mIFD: [UInt8]
        do {
            eIFD = try CardCrypto.tripleDES(encrypt: true, key: kEnc, data: rndIFD + rndICC + kIFD)
            mIFD = try CardCrypto.retailMAC(key: kMac, data: CardCrypto.pad(eIFD))
        } catch {
            throw .secureMessaging("BAC: \(error)")
        }
        let answer = try send(CommandAPDU(ins: 0x82, p1: 0, p2: 0, data: eIFD + mIFD, ne: 40), step: "external authenticate")
        if answer.sw == 0x6300 || answer.sw == 0x6982 || (answer.sw & 0xFFF0) == 0x63C0 { throw .accessDenied }
        guard answer.isSuccess, answer.data.count == 40 else { throw .status(step: "external authenticate", sw: answer.sw) }
        let eICC = Array(answer.data[0..<32])
        let mICC = Array(answer.data[32..<40])
        let plain: [UInt8]
        do {
            guard try CardCrypto.retailMAC(key: kMac, data: CardCrypto.pad(eICC)) == mICC else {
                throw CardError.secureMessaging("BAC: the card's answer fails its MAC")
            }
            plain = try CardCrypto.tripleDES(encrypt: false, key: kEnc, data: eICC)
        } catch let e as CardError {
            throw e
        } catch {
            throw .secureMessaging("BAC: \(error)")
        }
        guard Array(plain[0..<8]) == rndICC, Array(plain[8..<16]) == rndIFD else {
            throw .secureMessaging("BAC: the card's answer does not echo the challenges")
        }
        let seed = kIFD ^ Array(plain[16..<32])
        sm = SecureMessaging(
            cipher: .tripleDES, encKey: CardCrypto.deriveKey(seed: seed, counter: 1), macKey: CardCrypto.deriveKey(seed: seed, counter: 2),
            ssc: Array(rndICC[4..<8]) + Array(rndIFD[4..<8]))
    }

    /// Plain bytes one READ BINARY can return under secure messaging on this reader.
    var blockSize: Int {
        guard extendedAllowed else { return Self.shortBlock }
        // Response: 87 82 LL LL 01 ‖ padded data, 99 02 SW, 8E 08 MAC, SW; padding to the
        // cipher's block (8 for 3DES, 16 for AES) always adds at least one byte.
        let block = sm?.blockSize ?? 8
        let padded = (transport.maxResponseLength - 21) / block * block
        return max(Self.shortBlock, min(padded - 1, 0x7FFF))
    }

    /// Reads a whole file; nil when the card has no such file (`6A82`).
    public func readFile(_ file: LDSFile) throws(CardError) -> [UInt8]? {
        let step = "read \(file.rawValue)"
        var first: ResponseAPDU
        if shortIDsAllowed {
            first = try readBinary(p1: 0x80 | file.shortID, p2: 0, length: blockSize, step: step)
            if first.sw == 0x6A82 { return nil }
            if [0x6A86, 0x6A81, 0x6D00, 0x6B00, 0x6986].contains(first.sw) {
                shortIDsAllowed = false
                return try readFile(file)
            }
        } else {
            let select = try send(CommandAPDU(ins: 0xA4, p1: 0x02, p2: 0x0C, data: file.fileID.bigEndianBytes), step: "select \(file.rawValue)")
            if select.sw == 0x6A82 { return nil }
            guard select.isSuccess else { throw .status(step: "select \(file.rawValue)", sw: select.sw) }
            first = try readBinary(p1: 0, p2: 0, length: blockSize, step: step)
        }
        guard first.isSuccess || first.sw == 0x6282 else { throw .status(step: step, sw: first.sw) }
        let header: (tag: UInt32, length: Int, valueOffset: Int)?
        do {
            header = try TLV.header(first.data)
        } catch {
            throw .malformed(file: file.rawValue, reason: "\(error)")
        }
        guard let header else { throw .malformed(file: file.rawValue, reason: "file too short for its header") }
        guard header.tag == file.tag else { throw .malformed(file: file.rawValue, reason: "starts with tag \(String(header.tag, radix: 16))") }
        let total = header.valueOffset + header.length
        guard total <= 0x7FFF else { throw .malformed(file: file.rawValue, reason: "longer than 32 KB") }
        var content = Array(first.data.prefix(total))
        while content.count < total {
            let offset = content.count
            let r = try readBinary(p1: UInt8(offset >> 8), p2: UInt8(offset & 0xFF), length: min(blockSize, total - offset), step: step)
            guard r.isSuccess || r.sw == 0x6282 else { throw .status(step: step, sw: r.sw) }
            guard !r.data.isEmpty else { throw .malformed(file: file.rawValue, reason: "ends at \(offset) of \(total) bytes") }
            content += r.data.prefix(total - offset)
        }
        return content
    }

    private func readBinary(p1: UInt8, p2: UInt8, length: Int, step: String) throws(CardError) -> ResponseAPDU {
        let r = try send(CommandAPDU(ins: 0xB0, p1: p1, p2: p2, ne: length), step: step)
        if r.sw == 0x6700, length > Self.shortBlock, extendedAllowed {
            // The card does not take extended lengths after all: stay with short ones.
            extendedAllowed = false
            return try readBinary(p1: p1, p2: p2, length: Self.shortBlock, step: step)
        }
        return r
    }
}
