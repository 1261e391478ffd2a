/// Everything read from one CCCD chip, with the result of passive authentication beside it.
/// Personal data: never log it (its description is redacted).
public struct CCCDRead: Sendable, CustomStringConvertible {
    /// Each file as delivered.
    public var files: [LDSFile: [UInt8]]
    public var mrz: MRZ
    public var dg13: DG13?
    public var authenticity: Authenticity
    /// Commands sent to the card for this read (including failed access attempts).
    public var apduCount: Int

    public var description: String { "CCCDRead(files \(files.keys.map(\.rawValue).sorted()), \(authenticity), \(apduCount) APDUs)" }

    /// The face image inside DG2 (JPEG or JPEG 2000, as delivered), if DG2 was read.
    public var faceImage: [UInt8]? { files[.dg2].flatMap(FaceImage.extract) }
}

/// Reads the chip ID card: select, BAC (each candidate key in turn), the files, passive
/// authentication. A failure throws; nothing partial is returned.
public enum CCCDChip {
    /// The files the kiosk reads by default. EF.COM is skipped: the files needed are fixed,
    /// and the SOD lists what the card holds.
    public static let defaultFiles: [LDSFile] = [.dg1, .dg13, .dg2, .sod]

    public static func read(
        transport: any APDUTransport, keys: [BACKey], files: [LDSFile] = defaultFiles, store: CSCAStore,
        random: any RandomSource = SystemRandom(), isCancelled: () -> Bool = { false }
    ) throws(CardError) -> CCCDRead {
        let session = ChipSession(transport: transport, random: random)
        try session.selectApplication()
        var opened = false
        for key in keys {
            do throws(CardError) {
                try session.performBAC(key: key)
                opened = true
                break
            } catch .accessDenied {
                continue
            }
        }
        guard opened else { throw .accessDenied }
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
        return CCCDRead(files: contents, mrz: mrz, dg13: dg13, authenticity: authenticity, apduCount: session.apduCount)
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
