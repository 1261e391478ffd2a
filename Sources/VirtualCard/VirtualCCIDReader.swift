public import CitizenCard
public import Devices
import Foundation

/// A CCID reader emulated at the bulk-message level, holding a `VirtualCCCD`: the driver's
/// own CCID code runs against it unchanged. Faults can be injected at any step.
/// `@unchecked Sendable`: a test double touched by the driver's executor and a test's thread;
/// its state is guarded by `lock`.
public final class VirtualCCIDReader: CCIDPipe, @unchecked Sendable {
    public var descriptor: CCIDDescriptor
    public private(set) var card: VirtualCCCD?
    private var powered = false
    private var pending: [[UInt8]] = []
    private var unplugged = false
    /// Removes the card when this many more APDUs have been sent (the last one gets no answer
    /// from the card: the reader reports it absent).
    public var removeCardAfterAPDUs: Int?
    /// Time-extension answers sent before each APDU's real answer.
    public var timeExtensionsPerAPDU = 0
    /// A stale answer (wrong sequence number) sent before each APDU's real answer.
    public var staleAnswerBeforeAPDU = false
    /// APDUs carried since creation.
    public private(set) var apduCount = 0
    /// The driver's queue and a test's thread may both touch the reader.
    private let lock = NSRecursiveLock()

    /// A reader with short-APDU exchange and 271-byte messages, like the ACR122U.
    public static let shortAPDUDescriptor = CCIDDescriptor(features: 0x0002_00BA, maxMessageLength: 271)
    /// A reader with extended-APDU exchange and 522-byte messages, like the ACR1252U.
    public static let extendedAPDUDescriptor = CCIDDescriptor(features: 0x0004_00BA, maxMessageLength: 522)

    public init(card: VirtualCCCD?, descriptor: CCIDDescriptor = VirtualCCIDReader.extendedAPDUDescriptor) {
        self.card = card
        self.descriptor = descriptor
    }

    public func insert(_ card: VirtualCCCD) {
        lock.lock()
        defer { lock.unlock() }
        card.reset()
        self.card = card
        powered = false
    }

    public func removeCard() {
        lock.lock()
        defer { lock.unlock() }
        card?.reset()
        card = nil
        powered = false
    }

    /// Whether a card is in the field (safe from any thread).
    public var holdsCard: Bool { lock.withLock { card != nil } }

    public func unplug() { lock.withLock { unplugged = true } }
    public var isUnplugged: Bool { lock.withLock { unplugged } }
    public func replug() {
        lock.lock()
        defer { lock.unlock() }
        unplugged = false
        pending = []
    }

    public func write(_ bytes: [UInt8], timeoutMilliseconds: Int) throws(CardReaderError) {
        lock.lock()
        defer { lock.unlock() }
        if unplugged { throw .readerUnavailable("unplugged during bulk out") }
        guard bytes.count <= descriptor.maxMessageLength, let m = try? CCIDMessage(bytes: bytes) else {
            throw .protocolError("emulated reader: malformed or oversized message")
        }
        func reply(_ type: CCIDMessage.Kind, status: UInt8, error: UInt8 = 0, data: [UInt8] = []) {
            pending.append(CCIDMessage(type: type.rawValue, slot: m.slot, seq: m.seq, specific: [status, error, 0], data: data).bytes)
        }
        let icc: UInt8 = card == nil ? 2 : (powered ? 0 : 1)
        switch CCIDMessage.Kind(rawValue: m.type) {
        case .getSlotStatus?:
            reply(.slotStatus, status: icc)
        case .iccPowerOn?:
            if card == nil {
                reply(.dataBlock, status: 0x40 | 2, error: 0xFE)
            } else {
                powered = true
                // A contactless reader's pseudo-ATR for an ISO 14443-4 card.
                reply(.dataBlock, status: 0, data: [0x3B, 0x80, 0x80, 0x01, 0x01])
            }
        case .iccPowerOff?:
            powered = false
            reply(.slotStatus, status: card == nil ? 2 : 1)
        case .xfrBlock?:
            apduCount += 1
            if let n = removeCardAfterAPDUs {
                if n <= 0 {
                    removeCardAfterAPDUs = nil
                    removeCard()
                } else {
                    removeCardAfterAPDUs = n - 1
                }
            }
            guard let card, powered else {
                reply(.dataBlock, status: 0x40 | (card == nil ? 2 : 1), error: 0xFE)
                return
            }
            if staleAnswerBeforeAPDU {
                pending.append(
                    CCIDMessage(type: CCIDMessage.Kind.dataBlock.rawValue, slot: m.slot, seq: m.seq &- 1, specific: [0, 0, 0], data: [0x90, 0x00])
                        .bytes)
            }
            for _ in 0..<timeExtensionsPerAPDU { reply(.dataBlock, status: 0x80, error: 1) }
            let answer = card.process(m.data)
            if answer.count + 10 > descriptor.maxMessageLength {
                reply(.dataBlock, status: 0x40, error: 0xFB)
            } else {
                reply(.dataBlock, status: 0, data: answer)
            }
        default:
            reply(.slotStatus, status: 0x40 | icc, error: 0x00)
        }
    }

    public func read(maxLength: Int, timeoutMilliseconds: Int) throws(CardReaderError) -> [UInt8] {
        lock.lock()
        defer { lock.unlock() }
        if unplugged { throw .readerUnavailable("unplugged during bulk in") }
        guard !pending.isEmpty else { throw .timeout("bulk in transfer") }
        let next = pending.removeFirst()
        guard next.count <= maxLength else { throw .protocolError("emulated reader: answer longer than the read buffer") }
        return next
    }
}

/// Wraps a pipe and records every transfer, to turn an exchange into a usbmon capture.
/// `@unchecked Sendable`: a test double used from one thread at a time (the driver's).
public final class RecordingPipe: CCIDPipe, @unchecked Sendable {
    public enum Transfer: Sendable, Hashable {
        case out([UInt8])
        /// A bulk-in of `requested` bytes that returned `data`.
        case `in`(requested: Int, data: [UInt8])
    }

    let inner: any CCIDPipe
    public private(set) var transfers: [Transfer] = []

    public init(_ inner: any CCIDPipe) { self.inner = inner }

    public func write(_ bytes: [UInt8], timeoutMilliseconds: Int) throws(CardReaderError) {
        try inner.write(bytes, timeoutMilliseconds: timeoutMilliseconds)
        transfers.append(.out(bytes))
    }

    public func read(maxLength: Int, timeoutMilliseconds: Int) throws(CardReaderError) -> [UInt8] {
        let data = try inner.read(maxLength: maxLength, timeoutMilliseconds: timeoutMilliseconds)
        transfers.append(.in(requested: maxLength, data: data))
        return data
    }
}
