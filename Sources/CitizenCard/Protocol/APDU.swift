/// An ISO 7816-4 command APDU.
public struct CommandAPDU: Sendable, Hashable {
    public var cla: UInt8
    public var ins: UInt8
    public var p1: UInt8
    public var p2: UInt8
    public var data: [UInt8]
    /// Expected response length: nil for none, 256 (short) or 65536 (extended) for "as much as there is".
    public var ne: Int?

    public init(cla: UInt8 = 0x00, ins: UInt8, p1: UInt8, p2: UInt8, data: [UInt8] = [], ne: Int? = nil) {
        self.cla = cla
        self.ins = ins
        self.p1 = p1
        self.p2 = p2
        self.data = data
        self.ne = ne
    }

    /// Whether this command needs extended length fields.
    public var isExtended: Bool { data.count > 255 || (ne ?? 0) > 256 }

    /// The bytes sent to the card (cases 1–4, short or extended).
    public var bytes: [UInt8] {
        var out = [cla, ins, p1, p2]
        let extended = isExtended
        if !data.isEmpty {
            if extended {
                out += [0x00, UInt8(data.count >> 8), UInt8(data.count & 0xFF)]
            } else {
                out.append(UInt8(data.count))
            }
            out += data
        }
        if let ne {
            if extended {
                let le = ne >= 65536 ? 0 : ne
                if data.isEmpty { out.append(0x00) }
                out += [UInt8(le >> 8), UInt8(le & 0xFF)]
            } else {
                out.append(ne >= 256 ? 0 : UInt8(ne))
            }
        }
        return out
    }

    /// Parses command bytes (the card side of the virtual chip uses this).
    public init?(bytes b: [UInt8]) {
        guard b.count >= 4 else { return nil }
        self.init(cla: b[0], ins: b[1], p1: b[2], p2: b[3])
        let body = Array(b.dropFirst(4))
        if body.isEmpty { return }
        if body.count == 1 {
            ne = body[0] == 0 ? 256 : Int(body[0])
        } else if body[0] != 0 {
            let lc = Int(body[0])
            guard body.count == 1 + lc || body.count == 2 + lc else { return nil }
            data = Array(body[1..<(1 + lc)])
            if body.count == 2 + lc { ne = body[1 + lc] == 0 ? 256 : Int(body[1 + lc]) }
        } else {
            guard body.count >= 3 else { return nil }
            let n = Int(body[1]) << 8 | Int(body[2])
            if body.count == 3 {
                ne = n == 0 ? 65536 : n
            } else {
                guard body.count == 3 + n || body.count == 5 + n else { return nil }
                data = Array(body[3..<(3 + n)])
                if body.count == 5 + n {
                    let le = Int(body[3 + n]) << 8 | Int(body[4 + n])
                    ne = le == 0 ? 65536 : le
                }
            }
        }
    }
}

/// A response APDU: data and the status word.
public struct ResponseAPDU: Sendable, Hashable {
    public var data: [UInt8]
    public var sw: UInt16

    public init(data: [UInt8], sw: UInt16) {
        self.data = data
        self.sw = sw
    }

    public init?(bytes: [UInt8]) {
        guard bytes.count >= 2 else { return nil }
        data = Array(bytes.dropLast(2))
        sw = UInt16(bytes[bytes.count - 2]) << 8 | UInt16(bytes[bytes.count - 1])
    }

    public var bytes: [UInt8] { data + sw.bigEndianBytes }
    public var isSuccess: Bool { sw == 0x9000 }
}

/// Carries APDUs to the card: the CCID driver over USB, or the virtual chip in tests.
public protocol APDUTransport {
    /// Sends one command APDU and returns the card's full response (data ‖ SW1 SW2).
    func transmit(_ command: [UInt8]) throws(CardError) -> [UInt8]
    /// The most response bytes (data and status word) one exchange can return: 258 on a
    /// short-APDU reader, more where the reader carries extended lengths.
    var maxResponseLength: Int { get }
}
