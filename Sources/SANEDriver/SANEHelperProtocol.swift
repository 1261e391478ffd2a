public import DeviceModel
import Foundation
public import Imaging

/// What kioskd asks of the `kiosk-sane` helper: one scan (or a probe), then the helper exits.
///
/// Why a helper process: Debian's SANE backends stop their reader threads with asynchronous
/// pthread_cancel (sanei_thread), which can leave the C allocator locked in a process with
/// many threads — the whole process then hangs. In its own process a backend can at worst hang
/// the helper, which kioskd kills; kioskd itself never stops answering.
public struct SANEHelperRequest: Codable, Sendable {
    public var device: String
    public var flatbed: [String]
    public var feeder: [String]
    public var duplex: [String]
    public var options: [[String]]
    /// nil: only open the device and report (a probe).
    public var scan: ScanRequest?

    public init(device: String, sourceNames: SANEScanner.SourceNames, options: [(name: String, value: String)], scan: ScanRequest?) {
        self.device = device
        flatbed = sourceNames.flatbed
        feeder = sourceNames.feeder
        duplex = sourceNames.duplex
        self.options = options.map { [$0.name, $0.value] }
        self.scan = scan
    }

    public var sourceNames: SANEScanner.SourceNames { .init(flatbed: flatbed, feeder: feeder, duplex: duplex) }
    public var extraOptions: [(name: String, value: String)] { options.compactMap { $0.count == 2 ? ($0[0], $0[1]) : nil } }
}

/// The helper's output stream: text header lines, each page's bytes right after its header.
///
///     progress <page> <fraction>
///     page <width> <height> <dpi> <pgm|ppm|pbm> <byte count>\n<bytes>
///     capabilities <byte count>\n<ScannerCapabilities as JSON>   (probe only)
///     done
///     failed <byte count>\n<DeviceFailure as JSON>
public enum SANEHelperFrame {
    public static func progress(_ p: ScanProgress) -> Data { Data("progress \(p.page) \(p.fraction)\n".utf8) }

    /// A page's header line; the PNM file follows it, header then pixels (written
    /// separately: no copy of the page).
    public static func pageHeader(_ page: Raster) -> Data {
        Data("page \(page.width) \(page.height) \(page.dpi) \(page.kind.rawValue) \(page.pnmHeader.count + page.pixels.count)\n".utf8)
    }

    public static let done = Data("done\n".utf8)

    public static func capabilities(_ capabilities: ScannerCapabilities) -> Data {
        let json = (try? JSONEncoder().encode(capabilities)) ?? Data("{}".utf8)
        return Data("capabilities \(json.count)\n".utf8) + json
    }

    public static func failed(_ failure: DeviceFailure) -> Data {
        let json = (try? JSONEncoder().encode(failure)) ?? Data("{}".utf8)
        return Data("failed \(json.count)\n".utf8) + json
    }
}
