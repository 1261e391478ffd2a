/// BER-TLV, as used by ISO 7816-4 and the ICAO 9303 data groups: multi-byte tags, short and
/// long lengths. Parsing never traps: anything malformed is a `TLVError` saying where.
public struct TLV: Sendable, Hashable {
    public var tag: UInt32
    /// The value bytes (for a constructed tag, the encoding of its children).
    public var value: [UInt8]

    public init(tag: UInt32, value: [UInt8]) {
        self.tag = tag
        self.value = value
    }

    /// True when the tag's constructed bit is set (its value is itself TLVs).
    public var isConstructed: Bool {
        var first = tag
        while first > 0xFF { first >>= 8 }
        return first & 0x20 != 0
    }

    /// The children of a constructed value.
    public func children() throws(TLVError) -> [TLV] {
        try TLV.parseAll(value)
    }

    /// The first child with `tag`, if any.
    public func child(_ tag: UInt32) throws(TLVError) -> TLV? {
        try children().first { $0.tag == tag }
    }

    /// DER encoding of this element.
    public var encoded: [UInt8] { TLV.encodeTag(tag) + TLV.encodeLength(value.count) + value }

    public init(tag: UInt32, children: [TLV]) {
        self.init(tag: tag, value: children.flatMap(\.encoded))
    }

    // MARK: parsing

    /// Parses exactly one element spanning all of `bytes`.
    public static func parse(_ bytes: [UInt8]) throws(TLVError) -> TLV {
        var offset = 0
        let tlv = try parse(bytes, at: &offset)
        guard offset == bytes.count else { throw TLVError(reason: .trailingBytes, offset: offset) }
        return tlv
    }

    /// Parses a concatenation of elements.
    public static func parseAll(_ bytes: [UInt8]) throws(TLVError) -> [TLV] {
        var offset = 0
        var out: [TLV] = []
        while offset < bytes.count {
            // Padding between elements (00 or FF) is allowed by ISO 7816-4.
            if bytes[offset] == 0x00 || bytes[offset] == 0xFF {
                offset += 1
                continue
            }
            out.append(try parse(bytes, at: &offset))
        }
        return out
    }

    /// Parses one element at `offset`, advancing it past the element.
    public static func parse(_ bytes: [UInt8], at offset: inout Int) throws(TLVError) -> TLV {
        let start = offset
        guard let header = try header(bytes, at: offset) else { throw TLVError(reason: .truncated, offset: start) }
        let end = header.valueOffset + header.length
        guard end <= bytes.count else { throw TLVError(reason: .lengthBeyondData, offset: start) }
        offset = end
        return TLV(tag: header.tag, value: Array(bytes[header.valueOffset..<end]))
    }

    /// Reads a tag and length without needing the value: how many bytes the whole element
    /// takes, once enough of its start is known. Nil when `bytes` is too short to tell.
    public static func header(_ bytes: [UInt8], at start: Int = 0) throws(TLVError) -> (tag: UInt32, length: Int, valueOffset: Int)? {
        var i = start
        guard i < bytes.count else { return nil }
        var tag = UInt32(bytes[i])
        i += 1
        if tag & 0x1F == 0x1F {
            // Subsequent tag bytes while bit 8 is set; we accept tags up to 4 bytes.
            repeat {
                guard i < bytes.count else { return nil }
                guard tag <= 0xFF_FFFF, i - start < 4 else { throw TLVError(reason: .tagTooLong, offset: start) }
                tag = tag << 8 | UInt32(bytes[i])
                i += 1
            } while bytes[i - 1] & 0x80 != 0
        }
        guard i < bytes.count else { return nil }
        let first = bytes[i]
        i += 1
        var length = 0
        if first < 0x80 {
            length = Int(first)
        } else if first == 0x80 {
            throw TLVError(reason: .indefiniteLength, offset: start)
        } else {
            let count = Int(first & 0x7F)
            guard count <= 3 else { throw TLVError(reason: .lengthTooLong, offset: start) }
            for _ in 0..<count {
                guard i < bytes.count else { return nil }
                length = length << 8 | Int(bytes[i])
                i += 1
            }
        }
        return (tag, length, i)
    }

    static func encodeTag(_ tag: UInt32) -> [UInt8] {
        var bytes: [UInt8] = []
        var t = tag
        repeat {
            bytes.insert(UInt8(t & 0xFF), at: 0)
            t >>= 8
        } while t > 0
        return bytes
    }

    static func encodeLength(_ length: Int) -> [UInt8] {
        switch length {
        case ..<0x80: [UInt8(length)]
        case ..<0x100: [0x81, UInt8(length)]
        case ..<0x10000: [0x82, UInt8(length >> 8), UInt8(length & 0xFF)]
        default: [0x83, UInt8(length >> 16), UInt8((length >> 8) & 0xFF), UInt8(length & 0xFF)]
        }
    }
}

/// Why bytes are not valid BER-TLV, and where.
public struct TLVError: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Reason: String, Sendable, Hashable {
        case truncated = "data ends inside a tag or length"
        case lengthBeyondData = "length runs past the end of the data"
        case indefiniteLength = "indefinite length is not allowed here"
        case lengthTooLong = "length field longer than 3 bytes"
        case tagTooLong = "tag longer than 4 bytes"
        case trailingBytes = "bytes left over after the element"
    }
    public var reason: Reason
    public var offset: Int
    public var description: String { "\(reason.rawValue) (at byte \(offset))" }
}

// MARK: DER helpers for the ASN.1 structures of the data groups and the SOD

extension TLV {
    public static let sequence: UInt32 = 0x30
    public static let set: UInt32 = 0x31
    public static let integer: UInt32 = 0x02
    public static let octetString: UInt32 = 0x04
    public static let objectIdentifier: UInt32 = 0x06
    public static let utf8String: UInt32 = 0x0C
    public static let printableString: UInt32 = 0x13

    /// The value of a small non-negative INTEGER.
    public var integerValue: Int? {
        guard tag == TLV.integer, !value.isEmpty, value.count <= 4, value[0] & 0x80 == 0 else { return nil }
        return value.reduce(0) { $0 << 8 | Int($1) }
    }

    /// The text of a string type (UTF8String, PrintableString, IA5String, T61String…).
    public var stringValue: String? {
        switch tag {
        case 0x0C, 0x13, 0x16, 0x14, 0x1A, 0x12: String(validating: value, as: UTF8.self)
        default: nil
        }
    }

    public static func int(_ v: Int) -> TLV {
        var bytes: [UInt8] = []
        var x = v
        repeat {
            bytes.insert(UInt8(x & 0xFF), at: 0)
            x >>= 8
        } while x > 0
        if bytes[0] & 0x80 != 0 { bytes.insert(0, at: 0) }
        return TLV(tag: integer, value: bytes)
    }

    /// Dotted OID text to its DER value.
    public static func oid(_ dotted: String) -> TLV {
        let arcs = dotted.split(separator: ".").compactMap { UInt64($0) }
        var bytes: [UInt8] = [UInt8(arcs[0] * 40 + arcs[1])]
        for arc in arcs.dropFirst(2) {
            var chunk: [UInt8] = [UInt8(arc & 0x7F)]
            var a = arc >> 7
            while a > 0 {
                chunk.insert(UInt8(a & 0x7F) | 0x80, at: 0)
                a >>= 7
            }
            bytes += chunk
        }
        return TLV(tag: objectIdentifier, value: bytes)
    }

    /// Dotted text of an OBJECT IDENTIFIER's value.
    public var oidString: String? {
        guard tag == TLV.objectIdentifier, !value.isEmpty else { return nil }
        var arcs: [UInt64] = [UInt64(value[0] / 40), UInt64(value[0] % 40)]
        var acc: UInt64 = 0
        for b in value.dropFirst() {
            guard acc < (1 << 56) else { return nil }
            acc = acc << 7 | UInt64(b & 0x7F)
            if b & 0x80 == 0 {
                arcs.append(acc)
                acc = 0
            }
        }
        return arcs.map(String.init).joined(separator: ".")
    }
}
