public import CitizenCard
public import Devices

/// An emulated CCID reader with the synthetic citizen's card on it, as a reader source for the
/// real CCID driver: demos run the whole card protocol without hardware.
/// `@unchecked Sendable`: hands out the one emulated reader, whose own lock guards it.
public final class VirtualReaderSource: CCIDReaderSource, @unchecked Sendable {
    public let reader: VirtualCCIDReader
    public let pki: TestPKI

    public init(descriptor: CCIDDescriptor = VirtualCCIDReader.extendedAPDUDescriptor, cardPresent: Bool = true) throws {
        pki = try TestPKI()
        let card = try VirtualCCCD(pki: pki, random: SystemRandom())
        reader = VirtualCCIDReader(card: cardPresent ? card : nil, descriptor: descriptor)
    }

    public func open() throws(CardReaderError) -> OpenedCCIDReader {
        if reader.isUnplugged { throw .readerUnavailable("no CCID reader on the USB bus") }
        return OpenedCCIDReader(pipe: reader, descriptor: reader.descriptor, name: "Emulated CCID reader (synthetic card)")
    }
}
