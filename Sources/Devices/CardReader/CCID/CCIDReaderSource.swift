public import CitizenCard

/// An opened reader: its pipe, what it can carry, and how to let it go.
public struct OpenedCCIDReader {
    public var pipe: any CCIDPipe
    public var descriptor: CCIDDescriptor
    public var name: String
    public var close: () -> Void

    public init(pipe: any CCIDPipe, descriptor: CCIDDescriptor, name: String, close: @escaping () -> Void = {}) {
        self.pipe = pipe
        self.descriptor = descriptor
        self.name = name
        self.close = close
    }
}

/// Where the CCID driver gets its reader: the USB bus through libusb, or (demos, tests) an
/// emulated reader. `open` blocks; the driver calls it on its own queue.
public protocol CCIDReaderSource: Sendable {
    func open() throws(CardReaderError) -> OpenedCCIDReader
}

/// The first CCID reader on the USB bus, through a fresh libusb context each time.
public struct LibUSBReaderSource: CCIDReaderSource {
    public init() {}

    public func open() throws(CardReaderError) -> OpenedCCIDReader {
        let reader = try LibUSBReader.openFirst()
        let descriptor = reader.info.effectiveDescriptor
        guard descriptor.exchangesAPDUs else {
            reader.close()
            throw .unsupportedReader("\(reader.info.name) exchanges TPDUs or characters, not APDUs")
        }
        return OpenedCCIDReader(pipe: reader, descriptor: descriptor, name: reader.info.name, close: { reader.close() })
    }
}
