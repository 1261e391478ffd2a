import DeviceModel
import Foundation
import Imaging
import Localized

/// A scanner that exists only in software, for demos and fault-injection tests of the flow.
/// It never stands in for the SANE driver.
///
/// Like SANE's `test` backend, its feeder holds `feederPages` sheets at the start of every
/// batch. Pages are grey or colour test charts at the requested size and resolution.
public actor SimulatedScanner: DocumentScanner, FaultInjectable, BroadcastingDevice {
    public nonisolated let id: String
    public nonisolated var kind: DeviceKind { .scanner }
    public nonisolated var faultNames: [String] { Fault.allCases.map(\.rawValue) }

    public enum Fault: String, CaseIterable, Sendable {
        case none
        case feederEmpty = "feeder_empty"
        /// Jams after the first page of a batch.
        case jam
        case coverOpen = "cover_open"
        case busy
        case unplugged
    }

    public nonisolated let broadcaster: StatusBroadcaster
    private let feederPages: Int
    private let pageDelay: Duration
    private var fault: Fault = .none

    public init(id: String, feederPages: Int = 3, pageDelay: Duration = .milliseconds(200)) {
        self.id = id
        self.feederPages = max(1, feederPages)
        self.pageDelay = pageDelay
        broadcaster = StatusBroadcaster(DeviceStatus(id: id, kind: .scanner, driver: "simulated", model: "Simulated A4 scanner", state: .online))
    }

    public func inject(fault name: String) async throws(DeviceFailure) {
        let fault: Fault = try await fault(named: name)
        self.fault = fault
        switch fault {
        case .none: await set(.online, nil, nil)
        case .unplugged: await set(.noDevice, nil, DeviceNotices.scannerUnavailable)
        case .coverOpen: await set(.userError, nil, DeviceNotices.scannerCoverOpen)
        case .feederEmpty: await set(.online, .feederEmpty, nil)
        case .jam, .busy: break  // shows when a scan starts
        }
    }

    public func scan(
        _ request: ScanRequest, progress: @escaping @Sendable (ScanProgress) -> Void,
        onPage: @escaping @Sendable (Raster) -> Void
    ) async throws(ScanInterrupted) -> [Raster] {
        switch fault {
        case .unplugged: throw ScanInterrupted(failure: DeviceFailure(state: .noDevice, notice: DeviceNotices.scannerUnavailable), pages: [])
        case .coverOpen: throw ScanInterrupted(failure: DeviceFailure(state: .userError, notice: DeviceNotices.scannerCoverOpen), pages: [])
        case .busy: throw ScanInterrupted(failure: DeviceFailure(state: .busy, notice: DeviceNotices.scannerBusy), pages: [])
        case .feederEmpty where request.source != .flatbed:
            throw ScanInterrupted(failure: DeviceFailure(state: .online, media: .feederEmpty, notice: DeviceNotices.scannerFeederEmpty), pages: [])
        default: break
        }
        await set(.busy, nil, nil)
        var pages: [Raster] = []
        let sheets = request.source == .flatbed ? 1 : feederPages
        for number in 1...sheets {
            progress(ScanProgress(page: number, fraction: 0))
            do {
                try await Task.sleep(for: pageDelay)
            } catch {
                await set(.online, nil, nil)
                throw ScanInterrupted(failure: DeviceFailure(state: .online, notice: DeviceNotices.scannerCancelled), pages: pages)
            }
            if fault == .jam, number == 2 {
                let failure = DeviceFailure(state: .userError, media: .paperJammed, notice: DeviceNotices.scannerJammed)
                await set(.userError, .paperJammed, failure.notice)
                throw ScanInterrupted(failure: failure, pages: pages)
            }
            pages.append(Self.testChart(request, number: number))
            onPage(pages[pages.count - 1])
            progress(ScanProgress(page: number, fraction: 1))
        }
        await set(.online, nil, nil)
        return pages
    }

    private func set(_ state: DeviceState, _ media: MediaState?, _ error: Notice?) async {
        await broadcaster.update {
            $0.state = state
            $0.media = media
            $0.lastError = error
        }
    }

    /// A white page with dark bars where text would be, different on every page number.
    static func testChart(_ request: ScanRequest, number: Int) -> Raster {
        let (width, height) = request.pixelSize
        let format: Raster.Kind =
            switch request.mode {
            case .color: .rgb
            case .gray: .gray
            case .blackAndWhite: .bilevel
            }
        var pixels: [UInt8] = []
        let bytesPerPixel = format == .rgb ? 3 : 1
        let rowBytes = format == .bilevel ? (width + 7) / 8 : width * bytesPerPixel
        let white: UInt8 = format == .bilevel ? 0x00 : 0xFF
        let ink: UInt8 = format == .bilevel ? 0xFF : 0x20
        let blank = [UInt8](repeating: white, count: rowBytes)
        var text = blank
        let margin = rowBytes / 10
        for x in margin..<(rowBytes - margin) where (x / max(1, rowBytes / 40) + number) % 3 != 0 { text[x] = ink }
        let lineHeight = max(4, request.dpi / 6)
        pixels.reserveCapacity(rowBytes * height)
        for y in 0..<height {
            let inBody = y > height / 10 && y < height * 9 / 10
            pixels.append(contentsOf: inBody && (y % lineHeight) < lineHeight / 3 ? text : blank)
        }
        return Raster(kind: format, width: width, height: height, dpi: request.dpi, pixels: pixels)
    }
}
