public import CitizenCard
import CUSB
import Foundation

/// A CCID reader found on the USB bus.
public struct USBReaderInfo: Sendable, Hashable {
    public var bus: UInt8
    public var address: UInt8
    public var vendorID: UInt16
    public var productID: UInt16
    public var interfaceNumber: UInt8
    public var bulkIn: UInt8
    public var bulkOut: UInt8
    public var descriptor: CCIDDescriptor
    public var known: KnownReader?

    /// What the technician sees: the known model, else the USB id.
    public var name: String {
        known?.name ?? String(format: "CCID reader %04x:%04x", vendorID, productID)
    }

    /// The descriptor with the known reader's corrections applied.
    public var effectiveDescriptor: CCIDDescriptor {
        var d = descriptor
        if let known {
            if let m = known.maxMessageLength { d.maxMessageLength = m }
            if !known.extendedAPDUs { d.features &= ~CCIDDescriptor.extendedAPDULevel }
        }
        return d
    }
}

/// A libusb context. The driver makes a fresh one each time it looks for a reader after
/// losing one: a context that saw a device leave may never see it return.
final class LibUSBContext {
    let context: OpaquePointer

    init() throws(CardReaderError) {
        var ctx: OpaquePointer?
        let rc = libusb_init(&ctx)
        guard rc == 0, let ctx else { throw .readerUnavailable("libusb_init: \(LibUSBReader.errorName(rc))") }
        context = ctx
    }

    deinit { libusb_exit(context) }

    /// Every device exposing a CCID interface (class 0x0B) with bulk in and out endpoints.
    func readers() -> [USBReaderInfo] {
        var list: UnsafeMutablePointer<OpaquePointer?>?
        let count = libusb_get_device_list(context, &list)
        guard count > 0, let list else { return [] }
        defer { libusb_free_device_list(list, 1) }
        var found: [USBReaderInfo] = []
        for i in 0..<count {
            guard let device = list[i] else { continue }
            if let info = Self.describe(device) { found.append(info) }
        }
        return found
    }

    static func describe(_ device: OpaquePointer) -> USBReaderInfo? {
        var dd = libusb_device_descriptor()
        guard libusb_get_device_descriptor(device, &dd) == 0 else { return nil }
        var configPointer: UnsafeMutablePointer<libusb_config_descriptor>?
        guard libusb_get_active_config_descriptor(device, &configPointer) == 0, let config = configPointer else { return nil }
        defer { libusb_free_config_descriptor(config) }
        let known = KnownReader.find(vendorID: dd.idVendor, productID: dd.idProduct)
        for i in 0..<Int(config.pointee.bNumInterfaces) {
            let interface = config.pointee.interface[i]
            for a in 0..<Int(interface.num_altsetting) {
                let alt = interface.altsetting[a]
                guard alt.bInterfaceClass == 0x0B || (known != nil && alt.bInterfaceClass == 0xFF) else { continue }
                var bulkIn: UInt8?
                var bulkOut: UInt8?
                var extra = bytes(alt.extra, Int(alt.extra_length))
                for e in 0..<Int(alt.bNumEndpoints) {
                    let ep = alt.endpoint[e]
                    // Some readers put the class descriptor after the endpoints.
                    extra += bytes(ep.extra, Int(ep.extra_length))
                    guard ep.bmAttributes & 0x03 == 0x02 else { continue }
                    if ep.bEndpointAddress & 0x80 != 0 { bulkIn = ep.bEndpointAddress } else { bulkOut = ep.bEndpointAddress }
                }
                extra += bytes(config.pointee.extra, Int(config.pointee.extra_length))
                guard let bulkIn, let bulkOut, let descriptor = CCIDDescriptor(extra: extra) else { continue }
                return USBReaderInfo(
                    bus: libusb_get_bus_number(device), address: libusb_get_device_address(device),
                    vendorID: dd.idVendor, productID: dd.idProduct, interfaceNumber: alt.bInterfaceNumber,
                    bulkIn: bulkIn, bulkOut: bulkOut, descriptor: descriptor, known: known)
            }
        }
        return nil
    }

    private static func bytes(_ p: UnsafePointer<UInt8>?, _ n: Int) -> [UInt8] {
        guard let p, n > 0 else { return [] }
        return Array(UnsafeBufferPointer(start: p, count: n))
    }
}

/// A CCID reader opened through libusb: its interface claimed, bulk transfers with timeouts.
/// Blocking: call it from the driver's own queue, never from the cooperative pool.
public final class LibUSBReader: CCIDPipe {
    public let info: USBReaderInfo
    private let context: LibUSBContext
    private var handle: OpaquePointer?

    /// Opens the first CCID reader on the bus (or the one at `bus`/`address`).
    public static func openFirst(bus: UInt8? = nil, address: UInt8? = nil) throws(CardReaderError) -> LibUSBReader {
        let context = try LibUSBContext()
        let readers = context.readers().filter { (bus == nil || $0.bus == bus) && (address == nil || $0.address == address) }
        guard let info = readers.first else { throw .readerUnavailable("no CCID reader on the USB bus") }
        return try LibUSBReader(context: context, info: info)
    }

    /// The CCID readers on the bus now.
    public static func list() throws(CardReaderError) -> [USBReaderInfo] {
        try LibUSBContext().readers()
    }

    init(context: LibUSBContext, info: USBReaderInfo) throws(CardReaderError) {
        self.context = context
        self.info = info
        var list: UnsafeMutablePointer<OpaquePointer?>?
        let count = libusb_get_device_list(context.context, &list)
        defer { if let list { libusb_free_device_list(list, 1) } }
        var target: OpaquePointer?
        if let list {
            for i in 0..<max(0, count) {
                if let d = list[i], libusb_get_bus_number(d) == info.bus, libusb_get_device_address(d) == info.address { target = d }
            }
        }
        guard let target else { throw .readerUnavailable("the reader left the bus") }
        var h: OpaquePointer?
        let rc = libusb_open(target, &h)
        guard rc == 0, let h else { throw .readerUnavailable("cannot open \(info.name): \(Self.errorName(rc))") }
        let claim = libusb_claim_interface(h, Int32(info.interfaceNumber))
        guard claim == 0 else {
            libusb_close(h)
            throw .readerUnavailable("cannot claim \(info.name) (another program such as pcscd may hold it): \(Self.errorName(claim))")
        }
        handle = h
    }

    deinit { close() }

    public func close() {
        guard let h = handle else { return }
        libusb_release_interface(h, Int32(info.interfaceNumber))
        libusb_close(h)
        handle = nil
    }

    public func write(_ bytes: [UInt8], timeoutMilliseconds: Int) throws(CardReaderError) {
        guard let handle else { throw .readerUnavailable("reader closed") }
        var data = bytes
        var sent: Int32 = 0
        let rc = libusb_bulk_transfer(handle, info.bulkOut, &data, Int32(data.count), &sent, UInt32(timeoutMilliseconds))
        try Self.check(rc, "bulk out")
        guard Int(sent) == bytes.count else { throw .protocolError("bulk out sent \(sent) of \(bytes.count) bytes") }
    }

    public func read(maxLength: Int, timeoutMilliseconds: Int) throws(CardReaderError) -> [UInt8] {
        guard let handle else { throw .readerUnavailable("reader closed") }
        var buffer = [UInt8](repeating: 0, count: maxLength)
        var received: Int32 = 0
        let rc = libusb_bulk_transfer(handle, info.bulkIn, &buffer, Int32(maxLength), &received, UInt32(timeoutMilliseconds))
        try Self.check(rc, "bulk in")
        return Array(buffer.prefix(Int(received)))
    }

    static func check(_ rc: Int32, _ what: String) throws(CardReaderError) {
        guard rc != 0 else { return }
        switch rc {
        case LIBUSB_ERROR_NO_DEVICE.rawValue: throw .readerUnavailable("unplugged during \(what)")
        case LIBUSB_ERROR_TIMEOUT.rawValue: throw .timeout("\(what) transfer")
        default: throw .protocolError("\(what): \(errorName(rc))")
        }
    }

    static func errorName(_ rc: Int32) -> String {
        String(cString: libusb_error_name(rc))
    }
}
