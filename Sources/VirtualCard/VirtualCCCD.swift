public import CitizenCard

/// The card side of a CCCD chip, in memory: the eMRTD application with BAC, 3DES secure
/// messaging and the files of a synthetic citizen, its SOD signed by a test CA. It answers
/// command APDUs with response APDUs, as the chip does through a reader.
/// `@unchecked Sendable`: a test double whose card state the driver's executor and a test's
/// thread both reach, always through the reader that holds it (whose lock guards them).
public final class VirtualCCCD: @unchecked Sendable {
    public struct Options: Sendable {
        /// Whether the chip accepts extended-length APDUs.
        public var extendedLength = true
        /// Whether READ BINARY accepts short EF identifiers.
        public var shortFileIDs = true
        public var parentsLayout: SyntheticCitizen.ParentsLayout = .twoSequences
        /// PACE offered in EF.CardAccess (nil: BAC only). Default: ECDH Generic Mapping with
        /// AES-128 on brainpoolP256r1.
        public var pace: PACEInfo? = PACEInfo(protocolOID: PACEInfo.prefix + "2.2", parameterID: 13)
        public init() {}
    }

    public let citizen: SyntheticCitizen
    public private(set) var files: [LDSFile: [UInt8]]
    let key: BACKey
    let options: Options
    let random: any RandomSource
    var selectedApplication = false
    private var challenge: [UInt8]?
    var sm: CardSideSM?
    var pace: PACEState?
    private var selectedFile: LDSFile?

    public init(
        citizen: SyntheticCitizen = SyntheticCitizen(), pki: TestPKI, options: Options = Options(),
        random: any RandomSource = SeededRandom(seed: "virtual-cccd")
    ) throws {
        self.citizen = citizen
        self.options = options
        self.random = random
        key = citizen.bacKey
        var files: [LDSFile: [UInt8]] = [
            .com: TLV(
                tag: 0x60,
                children: [
                    TLV(tag: 0x5F01, value: Array("0107".utf8)), TLV(tag: 0x5F36, value: Array("040000".utf8)),
                    TLV(tag: 0x5C, value: [0x61, 0x75, 0x6D]),
                ]
            ).encoded,
            .dg1: citizen.dg1, .dg2: citizen.dg2, .dg13: citizen.dg13(parents: options.parentsLayout),
        ]
        var hashes: [Int: [UInt8]] = [:]
        for (file, bytes) in files { if let n = file.dataGroupNumber { hashes[n] = CardCrypto.hash(.sha256, bytes) } }
        files[.sod] = try pki.signSOD(SecurityObject(digest: .sha256, hashes: hashes))
        if let info = options.pace {
            files[.cardAccess] =
                TLV(
                    tag: TLV.set,
                    children: [
                        TLV(
                            tag: TLV.sequence,
                            children: [
                                .oid(info.protocolOID), .int(info.version), .int(info.parameterID ?? 0),
                            ])
                    ]
                ).encoded
        }
        self.files = files
    }

    /// Changes one byte of a data group after signing, as a forger would.
    public func tamper(_ file: LDSFile) {
        guard var bytes = files[file], bytes.count > 20 else { return }
        let i = bytes.count - 3
        // Keep text text (an MRZ stays parseable), so the forgery reaches passive authentication.
        bytes[i] = bytes[i] == UInt8(ascii: "X") ? UInt8(ascii: "Y") : (bytes[i] == UInt8(ascii: "<") ? UInt8(ascii: "X") : bytes[i] ^ 0x01)
        files[file] = bytes
    }

    /// Leaving the field: the chip forgets its session.
    public func reset() {
        selectedApplication = false
        challenge = nil
        sm = nil
        pace = nil
        selectedFile = nil
    }

    public func process(_ bytes: [UInt8]) -> [UInt8] {
        guard let command = CommandAPDU(bytes: bytes) else { return ResponseAPDU(data: [], sw: 0x6700).bytes }
        if command.cla & 0x0C == 0x0C {
            guard var sm else { return plain(0x6988) }
            guard let inner = sm.unwrap(command) else {
                self.sm = nil
                return plain(0x6988)
            }
            let response = handleProtected(inner)
            if response.data.count > 0x7FFF { return plain(0x6700) }
            let wrapped = sm.wrap(response)
            self.sm = sm
            // A short Le cannot carry more than 256 bytes.
            if !command.isExtended, wrapped.data.count > 256 { return plain(0x6700) }
            return wrapped.bytes
        }
        return handlePlain(command).bytes
    }

    private func plain(_ sw: UInt16) -> [UInt8] { ResponseAPDU(data: [], sw: sw).bytes }

    private func handlePlain(_ c: CommandAPDU) -> ResponseAPDU {
        switch (c.ins, c.p1) {
        case (0xA4, 0x04):
            guard c.data == ChipSession.applicationID else { return ResponseAPDU(data: [], sw: 0x6A82) }
            reset()
            selectedApplication = true
            return ResponseAPDU(data: [], sw: 0x9000)
        case (0xB0, let p1) where p1 == 0x80 | LDSFile.cardAccess.shortID && !selectedApplication:
            // EF.CardAccess sits in the master file, readable by anyone.
            guard let bytes = files[.cardAccess] else { return ResponseAPDU(data: [], sw: 0x6A82) }
            let chunk = Array(bytes[min(Int(c.p2), bytes.count)..<min(bytes.count, Int(c.p2) + (c.ne ?? 256))])
            return ResponseAPDU(data: chunk, sw: chunk.count < (c.ne ?? 256) ? 0x6282 : 0x9000)
        case (0xA4, _), (0xB0, _):
            return ResponseAPDU(data: [], sw: selectedApplication ? 0x6982 : 0x6A82)
        case (0x22, _):
            return setUpPACE(c)
        case (0x86, _):
            return generalAuthenticate(c)
        case (0x84, _):
            guard selectedApplication else { return ResponseAPDU(data: [], sw: 0x6985) }
            let rnd = random.bytes(8)
            challenge = rnd
            return ResponseAPDU(data: rnd, sw: 0x9000)
        case (0x82, _):
            return externalAuthenticate(c)
        default:
            return ResponseAPDU(data: [], sw: 0x6D00)
        }
    }

    private func externalAuthenticate(_ c: CommandAPDU) -> ResponseAPDU {
        guard let rndICC = challenge, c.data.count == 40 else { return ResponseAPDU(data: [], sw: 0x6985) }
        challenge = nil
        let e = Array(c.data[0..<32]), m = Array(c.data[32..<40])
        guard (try? CardCrypto.retailMAC(key: key.macKey, data: CardCrypto.pad(e))) == m,
            let s = try? CardCrypto.tripleDES(encrypt: false, key: key.encKey, data: e),
            Array(s[8..<16]) == rndICC
        else {
            return ResponseAPDU(data: [], sw: 0x6300)
        }
        let rndIFD = Array(s[0..<8]), kIFD = Array(s[16..<32])
        let kICC = random.bytes(16)
        guard let eICC = try? CardCrypto.tripleDES(encrypt: true, key: key.encKey, data: rndICC + rndIFD + kICC),
            let mICC = try? CardCrypto.retailMAC(key: key.macKey, data: CardCrypto.pad(eICC))
        else {
            return ResponseAPDU(data: [], sw: 0x6F00)
        }
        let seed = zip(kIFD, kICC).map { $0 ^ $1 }
        sm = CardSideSM(
            encKey: CardCrypto.deriveKey(seed: seed, counter: 1), macKey: CardCrypto.deriveKey(seed: seed, counter: 2),
            ssc: Array(rndICC[4..<8]) + Array(rndIFD[4..<8]))
        return ResponseAPDU(data: eICC + mICC, sw: 0x9000)
    }

    private func handleProtected(_ c: CommandAPDU) -> ResponseAPDU {
        switch c.ins {
        case 0xA4 where c.p1 == 0x04:
            // SELECT of the application after PACE, under secure messaging.
            guard c.data == ChipSession.applicationID else { return ResponseAPDU(data: [], sw: 0x6A82) }
            selectedApplication = true
            return ResponseAPDU(data: [], sw: 0x9000)
        case 0xA4:
            guard c.p1 == 0x02 || c.p1 == 0x00, c.data.count == 2 else { return ResponseAPDU(data: [], sw: 0x6A86) }
            let fid = UInt16(c.data[0]) << 8 | UInt16(c.data[1])
            guard let file = LDSFile.allCases.first(where: { $0.fileID == fid }), files[file] != nil else {
                return ResponseAPDU(data: [], sw: 0x6A82)
            }
            selectedFile = file
            return ResponseAPDU(data: [], sw: 0x9000)
        case 0xB0:
            var offset: Int
            if c.p1 & 0x80 != 0 {
                guard options.shortFileIDs else { return ResponseAPDU(data: [], sw: 0x6A86) }
                guard let file = LDSFile.allCases.first(where: { $0.shortID == c.p1 & 0x1F }), files[file] != nil else {
                    return ResponseAPDU(data: [], sw: 0x6A82)
                }
                selectedFile = file
                offset = Int(c.p2)
            } else {
                offset = Int(c.p1) << 8 | Int(c.p2)
            }
            guard let file = selectedFile, let bytes = files[file] else { return ResponseAPDU(data: [], sw: 0x6986) }
            let ne = c.ne ?? 256
            if ne > 256, !options.extendedLength { return ResponseAPDU(data: [], sw: 0x6700) }
            guard offset < bytes.count else { return ResponseAPDU(data: [], sw: 0x6B00) }
            let chunk = Array(bytes[offset..<min(bytes.count, offset + ne)])
            return ResponseAPDU(data: chunk, sw: chunk.count < ne ? 0x6282 : 0x9000)
        default:
            return ResponseAPDU(data: [], sw: 0x6D00)
        }
    }
}
