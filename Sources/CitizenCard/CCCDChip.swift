/// Everything read from one CCCD chip, with the result of passive authentication beside it.
/// Personal data: never log it (its description is redacted).
public struct CCCDRead: Sendable, CustomStringConvertible {
    /// Each file as delivered.
    public var files: [LDSFile: [UInt8]]
    public var mrz: MRZ
    public var dg13: DG13?
    public var authenticity: Authenticity
    /// How the chip was opened: `PACE` or `BAC`.
    public var accessControl: String
    /// Commands sent to the card for this read (including failed access attempts).
    public var apduCount: Int

    public var description: String { "CCCDRead(files \(files.keys.map(\.rawValue).sorted()), \(accessControl), \(authenticity), \(apduCount) APDUs)" }

    /// The face image inside DG2 (JPEG or JPEG 2000, as delivered), if DG2 was read.
    public var faceImage: [UInt8]? { files[.dg2].flatMap(FaceImage.extract) }
}

/// What opens the chip: the CAN for PACE, MRZ keys for BAC (candidates, best first).
public struct AccessKeys: Sendable, Hashable, CustomStringConvertible {
    public var can: String?
    public var bac: [BACKey]

    public init(can: String? = nil, bac: [BACKey] = []) {
        self.can = can
        self.bac = bac
    }

    public var description: String { "AccessKeys(\(can == nil ? "no CAN" : "CAN"), \(bac.count) BAC key(s), redacted)" }
}

/// Reads the chip ID card: PACE with the CAN when the card offers it (EF.CardAccess), BAC as
/// the fallback (each candidate key in turn), then the files and passive authentication. A
/// failure throws; nothing partial is returned.
public enum CCCDChip {
    /// The files the kiosk reads by default. EF.COM is skipped: the files needed are fixed,
    /// and the SOD lists what the card holds.
    public static let defaultFiles: [LDSFile] = [.dg1, .dg13, .dg2, .sod]

    public static func read(
        transport: any APDUTransport, access: AccessKeys, files: [LDSFile] = defaultFiles, store: CSCAStore,
        random: any RandomSource = SystemRandom(), isCancelled: () -> Bool = { false }
    ) throws(CardError) -> CCCDRead {
        let session = ChipSession(transport: transport, random: random)
        let accessControl = try open(session, access: access)
        var contents: [LDSFile: [UInt8]] = [:]
        for file in files {
            if isCancelled() { throw .cancelled }
            if let bytes = try session.readFile(file) { contents[file] = bytes }
        }
        guard let dg1 = contents[.dg1] else { throw .malformed(file: "DG1", reason: "the card has no DG1") }
        let mrz = try DG1.parse(dg1)
        let dg13 = try contents[.dg13].map { (b) throws(CardError) -> DG13 in try DG13.parse(b) }
        let authenticity: Authenticity
        if let sod = contents[.sod] {
            var groups: [Int: [UInt8]] = [:]
            for (file, bytes) in contents { if let n = file.dataGroupNumber { groups[n] = bytes } }
            authenticity = PassiveAuthentication.check(sod: sod, dataGroups: groups, store: store)
        } else {
            authenticity = files.contains(.sod) ? .failed("the card has no EF.SOD") : .failed("EF.SOD was not read")
        }
        return CCCDRead(
            files: contents, mrz: mrz, dg13: dg13, authenticity: authenticity, accessControl: accessControl,
            apduCount: session.apduCount)
    }
}

extension CCCDChip {
    /// Opens secure messaging: PACE first, BAC when PACE is not offered or the chip refuses it;
    /// a failure on the way to the card (card gone, reader gone, timeout) ends the read.
    @discardableResult
    static func open(_ session: ChipSession, access: AccessKeys) throws(CardError) -> String {
        var paceFailure: CardError?
        if let can = access.can {
            do throws(CardError) {
                if let cardAccess = try session.readFile(.cardAccess),
                    let info = try PACEInfo.parse(cardAccess: cardAccess).first(where: { $0.suite != nil })
                {
                    try session.performPACE(can: can, info: info)
                    try session.selectApplication()
                    return "PACE"
                }
            } catch {
                switch error {
                case .transport, .cancelled: throw error
                default: paceFailure = error
                }
            }
        }
        guard !access.bac.isEmpty else { throw paceFailure ?? .mrzKeysNeeded }
        session.resetSecureMessaging()
        try session.selectApplication()
        for key in access.bac {
            do throws(CardError) {
                try session.performBAC(key: key)
                return "BAC"
            } catch .accessDenied {
                continue
            }
        }
        throw .accessDenied
    }
}

/// Finds the face image in DG2's biometric template (ISO 19794-5 record inside 5F2E/7F2E).
enum FaceImage {
    static func extract(_ dg2: [UInt8]) -> [UInt8]? {
        guard let record = try? find(in: TLV.parse(dg2), tags: [0x5F2E, 0x7F2E], depth: 0) else { return nil }
        let signatures: [[UInt8]] = [[0xFF, 0xD8, 0xFF], [0x00, 0x00, 0x00, 0x0C, 0x6A, 0x50], [0xFF, 0x4F, 0xFF, 0x51]]
        for sig in signatures {
            if let start = firstIndex(of: sig, in: record) { return Array(record[start...]) }
        }
        return nil
    }

    private static func find(in tlv: TLV, tags: Set<UInt32>, depth: Int) -> [UInt8]? {
        if tags.contains(tlv.tag) { return tlv.value }
        guard tlv.isConstructed, depth < 6, let children = try? tlv.children() else { return nil }
        for c in children { if let v = find(in: c, tags: tags, depth: depth + 1) { return v } }
        return nil
    }

    private static func firstIndex(of needle: [UInt8], in hay: [UInt8]) -> Int? {
        guard hay.count >= needle.count else { return nil }
        for i in 0...(hay.count - needle.count) where hay[i] == needle[0] && Array(hay[i..<(i + needle.count)]) == needle {
            return i
        }
        return nil
    }
}
