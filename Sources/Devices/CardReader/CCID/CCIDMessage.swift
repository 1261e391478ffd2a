public import CitizenCard

/// One CCID bulk message (USB CCID specification 1.1 §6): a 10-byte header, little-endian
/// length, then data.
public struct CCIDMessage: Sendable, Hashable {
    public enum Kind: UInt8, Sendable {
        // PC to reader
        case iccPowerOn = 0x62
        case iccPowerOff = 0x63
        case getSlotStatus = 0x65
        case xfrBlock = 0x6F
        case abort = 0x72
        // Reader to PC
        case dataBlock = 0x80
        case slotStatus = 0x81
        case parameters = 0x82
        case escape = 0x83
    }

    public var type: UInt8
    public var slot: UInt8
    public var seq: UInt8
    /// The three message-specific header bytes (for responses: bStatus, bError, bChainParameter).
    public var specific: [UInt8]
    public var data: [UInt8]

    public init(type: UInt8, slot: UInt8 = 0, seq: UInt8, specific: [UInt8] = [0, 0, 0], data: [UInt8] = []) {
        self.type = type
        self.slot = slot
        self.seq = seq
        self.specific = specific
        self.data = data
    }

    public var bytes: [UInt8] {
        let n = UInt32(data.count)
        return [type, UInt8(n & 0xFF), UInt8((n >> 8) & 0xFF), UInt8((n >> 16) & 0xFF), UInt8(n >> 24), slot, seq]
            + specific + data
    }

    /// Parses a message; the data length must match the header's.
    public init(bytes: [UInt8]) throws(CardReaderError) {
        guard bytes.count >= 10 else { throw .protocolError("CCID message of \(bytes.count) bytes, shorter than its header") }
        let length = Int(bytes[1]) | Int(bytes[2]) << 8 | Int(bytes[3]) << 16 | Int(bytes[4]) << 24
        guard length == bytes.count - 10 else { throw .protocolError("CCID header says \(length) data bytes, \(bytes.count - 10) came") }
        self.init(type: bytes[0], slot: bytes[5], seq: bytes[6], specific: Array(bytes[7..<10]), data: Array(bytes[10...]))
    }

    // Response fields
    public var status: UInt8 { specific[0] }
    public var error: UInt8 { specific[1] }
    /// bmICCStatus: 0 present and active, 1 present and inactive, 2 absent.
    public var iccStatus: UInt8 { status & 0x03 }
    /// bmCommandStatus: 0 processed, 1 failed (see `error`), 2 time extension requested.
    public var commandStatus: UInt8 { (status >> 6) & 0x03 }
}

/// The CCID class descriptor (§5.1) fields the driver needs.
public struct CCIDDescriptor: Sendable, Hashable {
    public var maxSlotIndex: UInt8
    public var features: UInt32
    public var maxMessageLength: Int

    public init(maxSlotIndex: UInt8 = 0, features: UInt32, maxMessageLength: Int) {
        self.maxSlotIndex = maxSlotIndex
        self.features = features
        self.maxMessageLength = maxMessageLength
    }

    /// Parses the 54-byte class-specific descriptor (type 0x21) found in an interface's extra bytes.
    public init?(extra: [UInt8]) {
        var i = 0
        while i + 1 < extra.count {
            let length = Int(extra[i])
            guard length >= 2, i + length <= extra.count else { return nil }
            if extra[i + 1] == 0x21, length >= 0x36 {
                let d = Array(extra[i..<(i + length)])
                func u32(_ at: Int) -> UInt32 { UInt32(d[at]) | UInt32(d[at + 1]) << 8 | UInt32(d[at + 2]) << 16 | UInt32(d[at + 3]) << 24 }
                self.init(maxSlotIndex: d[4], features: u32(40), maxMessageLength: Int(u32(44)))
                return
            }
            i += length
        }
        return nil
    }

    /// The 54-byte descriptor (for emulated readers).
    public var bytes: [UInt8] {
        func le32(_ v: UInt32) -> [UInt8] { [UInt8(v & 0xFF), UInt8((v >> 8) & 0xFF), UInt8((v >> 16) & 0xFF), UInt8(v >> 24)] }
        var d: [UInt8] = [0x36, 0x21, 0x10, 0x01, maxSlotIndex, 0x07]
        d += le32(0x03)  // T=0 and T=1
        d += le32(4000) + le32(4000) + [0]
        d += le32(10752) + le32(10752) + [0]
        d += le32(254) + le32(0) + le32(0)
        d += le32(features) + le32(UInt32(maxMessageLength))
        d += [0xFF, 0xFF, 0, 0, 0, 1]
        return d
    }

    public static let tpduLevel: UInt32 = 0x0001_0000
    public static let shortAPDULevel: UInt32 = 0x0002_0000
    public static let extendedAPDULevel: UInt32 = 0x0004_0000

    /// Whether the reader exchanges whole APDUs (the only level this driver speaks).
    public var exchangesAPDUs: Bool { features & (Self.shortAPDULevel | Self.extendedAPDULevel) != 0 }
    public var extendedAPDUs: Bool { features & Self.extendedAPDULevel != 0 }
}

/// Readers known by USB id, and what they need.
public struct KnownReader: Sendable, Hashable {
    public var vendorID: UInt16
    public var productID: UInt16
    public var name: String
    /// Overrides the descriptor's message length when a reader reports it wrongly.
    public var maxMessageLength: Int?
    /// False for readers that cannot carry extended APDUs whatever they report.
    public var extendedAPDUs: Bool
    /// Known behaviour worth a technician's attention.
    public var note: String

    public static let table: [KnownReader] = [
        KnownReader(
            vendorID: 0x072F, productID: 0x2200, name: "ACS ACR122U", maxMessageLength: 271, extendedAPDUs: false,
            note: "PN532 behind CCID: short APDUs only, files read in 223-byte blocks"),
        KnownReader(
            vendorID: 0x072F, productID: 0x223E, name: "ACS ACR1252U", maxMessageLength: 522, extendedAPDUs: true,
            note: "short and extended APDUs, 522-byte messages"),
    ]

    public static func find(vendorID: UInt16, productID: UInt16) -> KnownReader? {
        table.first { $0.vendorID == vendorID && $0.productID == productID }
    }
}
