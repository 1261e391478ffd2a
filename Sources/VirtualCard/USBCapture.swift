public import Devices
import Foundation

/// Turns a recorded CCID exchange into what `umockdev-run` replays for an unmodified libusb
/// program: a device description (sysfs attributes, USB descriptors) and a usbmon capture
/// (pcap, link type 220, `LINKTYPE_USB_LINUX_MMAPPED`) with a Submit and a Complete record
/// per transfer.
public struct USBCapture: Sendable {
    public var vendorID: UInt16
    public var productID: UInt16
    public var descriptor: CCIDDescriptor
    public var bus: UInt8 = 1
    public var address: UInt8 = 2
    public var bulkOut: UInt8 = 0x02
    public var bulkIn: UInt8 = 0x82
    public var interruptIn: UInt8 = 0x83

    public init(vendorID: UInt16, productID: UInt16, descriptor: CCIDDescriptor) {
        self.vendorID = vendorID
        self.productID = productID
        self.descriptor = descriptor
    }

    /// The sysfs path of the device in the description.
    public var sysfsPath: String { "/sys/devices/pci0000:00/0000:00:14.0/usb\(bus)/\(bus)-1" }

    /// Device descriptor then configuration (one CCID interface, bulk out/in, interrupt in).
    /// String indexes are 0: nothing needs a control transfer.
    public var descriptors: [UInt8] {
        let device: [UInt8] = [18, 0x01, 0x00, 0x02, 0, 0, 0, 64] + le16(vendorID) + le16(productID) + [0x00, 0x01, 0, 0, 0, 1]
        let ccid = descriptor.bytes
        let endpoints: [UInt8] = [7, 0x05, bulkOut, 0x02, 64, 0, 0] + [7, 0x05, bulkIn, 0x02, 64, 0, 0] + [7, 0x05, interruptIn, 0x03, 8, 0, 16]
        let interface: [UInt8] = [9, 0x04, 0, 0, 3, 0x0B, 0, 0, 0]
        let total = 9 + interface.count + ccid.count + endpoints.count
        let config: [UInt8] = [9, 0x02] + le16(UInt16(total)) + [1, 1, 0, 0x80, 50]
        return device + config + interface + ccid + endpoints
    }

    /// The `umockdev-run -d` file.
    public var deviceDescription: String {
        let hex = descriptors.map { b in
            let s = String(b, radix: 16, uppercase: true)
            return s.count == 1 ? "0" + s : s
        }.joined()
        let busText = String(format: "%03d", bus), addressText = String(format: "%03d", address)
        return """
            P: \(sysfsPath.dropFirst(4))
            N: bus/usb/\(busText)/\(addressText)=\(hex)
            E: DEVNAME=/dev/bus/usb/\(busText)/\(addressText)
            E: DEVTYPE=usb_device
            E: DRIVER=usb
            E: PRODUCT=\(String(vendorID, radix: 16))/\(String(productID, radix: 16))/100
            E: TYPE=0/0/0
            E: BUSNUM=\(busText)
            E: DEVNUM=\(addressText)
            E: MAJOR=189
            E: MINOR=\(Int(address) - 1)
            E: SUBSYSTEM=usb
            A: bConfigurationValue=1
            A: bDeviceClass=00
            A: bNumConfigurations=1
            A: bNumInterfaces= 1
            A: busnum=\(bus)
            A: devnum=\(address)
            A: speed=12
            A: idVendor=\(String(format: "%04x", vendorID))
            A: idProduct=\(String(format: "%04x", productID))
            H: descriptors=\(hex)

            """
    }

    /// The usbmon capture of `transfers`.
    public func pcap(_ transfers: [RecordingPipe.Transfer]) -> [UInt8] {
        var out: [UInt8] = le32(0xA1B2_C3D4) + le16(2) + le16(4) + le32(0) + le32(0) + le32(65535) + le32(220)
        var id: UInt64 = 0xFFFF_8800_0000_0000
        var clock = 0
        func record(_ type: Character, id: UInt64, endpoint: UInt8, urbLength: Int, data: [UInt8], dataFlag: UInt8) {
            clock += 1000
            var h: [UInt8] = le64(id) + [UInt8(type.asciiValue!), 0x03, endpoint, address] + le16(UInt16(bus)) + [UInt8(ascii: "-"), dataFlag]
            h += le64(UInt64(clock / 1_000_000)) + le32(UInt32(clock % 1_000_000)) + le32(0)
            h += le32(UInt32(urbLength)) + le32(UInt32(data.count)) + [UInt8](repeating: 0, count: 8)
            h += le32(0) + le32(0) + le32(0) + le32(0)
            let packet = h + data
            out += le32(UInt32(clock / 1_000_000)) + le32(UInt32(clock % 1_000_000)) + le32(UInt32(packet.count)) + le32(UInt32(packet.count))
            out += packet
        }
        for t in transfers {
            id += 0x100
            switch t {
            case .out(let bytes):
                record("S", id: id, endpoint: bulkOut, urbLength: bytes.count, data: bytes, dataFlag: 0)
                record("C", id: id, endpoint: bulkOut, urbLength: bytes.count, data: [], dataFlag: UInt8(ascii: ">"))
            case .in(let requested, let bytes):
                record("S", id: id, endpoint: bulkIn, urbLength: requested, data: [], dataFlag: UInt8(ascii: "<"))
                record("C", id: id, endpoint: bulkIn, urbLength: bytes.count, data: bytes, dataFlag: 0)
            }
        }
        return out
    }

}

private func le16(_ v: UInt16) -> [UInt8] { [UInt8(v & 0xFF), UInt8(v >> 8)] }
private func le32(_ v: UInt32) -> [UInt8] { [UInt8(v & 0xFF), UInt8((v >> 8) & 0xFF), UInt8((v >> 16) & 0xFF), UInt8(v >> 24)] }
private func le64(_ v: UInt64) -> [UInt8] { le32(UInt32(v & 0xFFFF_FFFF)) + le32(UInt32(v >> 32)) }
