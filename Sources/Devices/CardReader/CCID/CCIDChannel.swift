public import CitizenCard

/// The USB side of a CCID reader: its bulk-out and bulk-in endpoints. The real one is
/// libusb (`LibUSBReader`); tests also plug in an emulated reader.
public protocol CCIDPipe: AnyObject {
    func write(_ bytes: [UInt8], timeoutMilliseconds: Int) throws(CardReaderError)
    /// Reads one transfer of at most `maxLength` bytes.
    func read(maxLength: Int, timeoutMilliseconds: Int) throws(CardReaderError) -> [UInt8]
}

/// One slot of a CCID reader, spoken to at the short- or extended-APDU exchange level:
/// sequence numbers checked, time extensions followed, error bytes turned into `CardReaderError`.
/// Every transfer is bounded by a timeout. Not thread-safe: one owner at a time.
public final class CCIDChannel: APDUTransport {
    public let pipe: any CCIDPipe
    public let descriptor: CCIDDescriptor
    public let slot: UInt8
    /// Per-transfer timeouts (pcsc-lite's CCID driver uses 5 s out, 3 s in).
    public var writeTimeoutMilliseconds = 5_000
    public var readTimeoutMilliseconds = 3_000
    /// How long one command may keep asking for time extensions.
    public var commandDeadlineMilliseconds = 15_000
    private var seq: UInt8 = 0
    private let readLength: Int

    public init(pipe: any CCIDPipe, descriptor: CCIDDescriptor, slot: UInt8 = 0) {
        self.pipe = pipe
        self.descriptor = descriptor
        self.slot = slot
        readLength = max(descriptor.maxMessageLength, 10 + 258)
    }

    public var maxResponseLength: Int { descriptor.extendedAPDUs ? descriptor.maxMessageLength - 10 : 258 }

    /// Whether a card is in the field: nil when the reader does not answer.
    public func cardPresent() throws(CardReaderError) -> Bool {
        let r = try exchange(.getSlotStatus, step: "slot status", allowAbsent: true)
        return r.iccStatus != 2
    }

    /// Powers the card and returns its ATR (for contactless cards, built by the reader).
    public func powerOn() throws(CardReaderError) -> [UInt8] {
        let r = try exchange(.iccPowerOn, specific: [0, 0, 0], step: "power on")
        return r.data
    }

    public func powerOff() throws(CardReaderError) {
        _ = try exchange(.iccPowerOff, step: "power off", allowAbsent: true)
    }

    /// One APDU exchange; the reader's failures reach the chip protocol as `CardError.transport`.
    public func transmit(_ command: [UInt8]) throws(CardError) -> [UInt8] {
        do throws(CardReaderError) {
            guard command.count + 10 <= descriptor.maxMessageLength else {
                throw .protocolError("APDU of \(command.count) bytes exceeds the reader's \(descriptor.maxMessageLength)-byte messages")
            }
            let r = try exchange(.xfrBlock, data: command, step: "APDU")
            guard r.type == CCIDMessage.Kind.dataBlock.rawValue else { throw .protocolError("APDU answered with message type \(r.type)") }
            return r.data
        } catch {
            throw .transport(error)
        }
    }

    private func nextSeq() -> UInt8 {
        defer { seq &+= 1 }
        return seq
    }

    /// Sends one command message and reads until its own answer arrives.
    func exchange(
        _ kind: CCIDMessage.Kind, specific: [UInt8] = [0, 0, 0], data: [UInt8] = [], step: String, allowAbsent: Bool = false
    ) throws(CardReaderError) -> CCIDMessage {
        let s = nextSeq()
        let message = CCIDMessage(type: kind.rawValue, slot: slot, seq: s, specific: specific, data: data)
        try pipe.write(message.bytes, timeoutMilliseconds: writeTimeoutMilliseconds)
        var mismatches = 0
        var waited = 0
        while true {
            let raw = try pipe.read(maxLength: readLength, timeoutMilliseconds: readTimeoutMilliseconds)
            let reply = try CCIDMessage(bytes: raw)
            guard reply.seq == s, reply.slot == slot else {
                // An answer to an earlier, abandoned command: discard it and read again.
                mismatches += 1
                if mismatches > 10 { throw .protocolError("\(step): 10 answers with the wrong sequence number") }
                continue
            }
            switch reply.commandStatus {
            case 2:
                // Time extension: the card needs longer; bounded by the command deadline.
                waited += readTimeoutMilliseconds
                if waited > commandDeadlineMilliseconds { throw .timeout("\(step): card kept asking for more time") }
                continue
            case 1:
                if allowAbsent, reply.iccStatus == 2 { return reply }
                throw Self.failure(reply, kind: kind, step: step)
            default:
                if reply.iccStatus == 2, !allowAbsent { throw kind == .iccPowerOn ? .noCard : .cardRemoved }
                return reply
            }
        }
    }

    static func failure(_ reply: CCIDMessage, kind: CCIDMessage.Kind, step: String) -> CardReaderError {
        switch reply.error {
        case 0xFE: kind == .iccPowerOn ? .noCard : .cardRemoved
        case 0xF0: .timeout("\(step): the card did not answer in time")
        case 0xFB: .protocolError("\(step): reader hardware error")
        case 0xEF: .aborted
        case 0xE0: .protocolError("\(step): slot busy")
        case 0x00: .unsupportedReader("\(step): command not supported by the reader")
        default: .protocolError("\(step): reader error \(String(reply.error, radix: 16))")
        }
    }
}
