public import Foundation
public import Imaging
import Synchronization

/// A document scanner.
///
/// ```swift
/// let pages = try await scanner.scan(ScanRequest(source: .feeder, mode: .gray, dpi: 200, paper: .a4)) { progress in … }
/// ```
/// Cancel by cancelling the calling task: the driver stops the device and throws a
/// `DeviceFailure` with code `scanner.cancelled`.
public protocol DocumentScanner: Device {
    /// Scans one batch: one page from the flatbed, or every sheet in the feeder. An empty
    /// feeder at the end ends the batch normally. A fault throws `ScanInterrupted`, which
    /// carries the pages already captured. `onPage` receives each page as soon as it is
    /// complete, so that processing overlaps the scanning of the next sheet.
    func scan(
        _ request: ScanRequest, progress: @escaping @Sendable (ScanProgress) -> Void,
        onPage: @escaping @Sendable (Raster) -> Void
    ) async throws(ScanInterrupted) -> [Raster]

    /// As `scan`, but holding no page once handed to `onPage`; returns how many there were.
    /// A fault throws `ScanInterrupted` without pages (they were handed over already).
    func stream(
        _ request: ScanRequest, progress: @escaping @Sendable (ScanProgress) -> Void,
        onPage: @escaping @Sendable (Raster) -> Void
    ) async throws(ScanInterrupted) -> Int
}

/// A driver that can scan without keeping the pages it hands over: `scan` and `stream` both
/// come from its one `scan(_:_:_:retainPages:)`.
public protocol StreamingScanner: DocumentScanner {
    func scan(
        _ request: ScanRequest, _ progress: @escaping @Sendable (ScanProgress) -> Void,
        _ onPage: @escaping @Sendable (Raster) -> Void, retainPages: Bool
    ) async throws(ScanInterrupted) -> [Raster]
}

extension StreamingScanner {
    public func scan(
        _ request: ScanRequest, progress: @escaping @Sendable (ScanProgress) -> Void,
        onPage: @escaping @Sendable (Raster) -> Void
    ) async throws(ScanInterrupted) -> [Raster] {
        try await scan(request, progress, onPage, retainPages: true)
    }

    /// Holds no page once handed over; returns how many were.
    public func stream(
        _ request: ScanRequest, progress: @escaping @Sendable (ScanProgress) -> Void,
        onPage: @escaping @Sendable (Raster) -> Void
    ) async throws(ScanInterrupted) -> Int {
        let counter = PageCounter()
        _ = try await scan(
            request, progress,
            {
                counter.add()
                onPage($0)
            }, retainPages: false)
        return counter.value
    }
}

extension DocumentScanner {
    /// The default `stream`: `scan`, dropping the pages it returns. Drivers that hold pages
    /// only to return them implement `stream` to hold none (a colour A4 page at 300 dpi is
    /// 26 MB).
    public func stream(
        _ request: ScanRequest, progress: @escaping @Sendable (ScanProgress) -> Void,
        onPage: @escaping @Sendable (Raster) -> Void
    ) async throws(ScanInterrupted) -> Int {
        do {
            return try await scan(request, progress: progress, onPage: onPage).count
        } catch {
            throw ScanInterrupted(failure: error.failure, pages: [])
        }
    }

    /// Scans one batch, keeping the pages until it ends.
    public func scan(_ request: ScanRequest, progress: @escaping @Sendable (ScanProgress) -> Void) async throws(ScanInterrupted) -> [Raster] {
        try await scan(request, progress: progress, onPage: { _ in })
    }
}

/// What to scan, in device-independent terms.
public struct ScanRequest: Sendable, Hashable, Codable {
    public enum Source: String, Sendable, Codable, CaseIterable { case flatbed, feeder, duplex }
    public enum Mode: String, Sendable, Codable, CaseIterable { case color, gray, blackAndWhite = "bw" }
    public enum Paper: String, Sendable, Codable, CaseIterable {
        case a4, a5, idCard = "id_card"

        /// Width and height in millimetres.
        public var millimetres: (width: Double, height: Double) {
            switch self {
            case .a4: (210, 297)
            case .a5: (148, 210)
            case .idCard: (85.6, 53.98)
            }
        }
    }

    public var source: Source
    public var mode: Mode
    public var dpi: Int
    public var paper: Paper

    public init(source: Source, mode: Mode, dpi: Int, paper: Paper) {
        self.source = source
        self.mode = mode
        self.dpi = dpi
        self.paper = paper
    }

    /// Pixel size of a full page at this resolution.
    public var pixelSize: (width: Int, height: Int) {
        let mm = paper.millimetres
        return (Int((mm.width / 25.4 * Double(dpi)).rounded()), Int((mm.height / 25.4 * Double(dpi)).rounded()))
    }
}

/// Progress of a batch, for the live event stream.
public struct ScanProgress: Sendable, Hashable, Codable {
    /// 1-based number of the page being scanned.
    public var page: Int
    /// Fraction of that page received, 0…1.
    public var fraction: Double

    public init(page: Int, fraction: Double) {
        self.page = page
        self.fraction = fraction
    }
}

/// A batch stopped by a fault or by cancellation; `pages` are those completed before it.
public struct ScanInterrupted: Error, Sendable {
    public var failure: DeviceFailure
    public var pages: [Raster]

    public init(failure: DeviceFailure, pages: [Raster]) {
        self.failure = failure
        self.pages = pages
    }
}

/// Counts pages handed over from the reading thread.
package final class PageCounter: Sendable {
    private struct State {
        var count = 0
        var inPage = false
    }
    private let state = Mutex(State())
    package init() {}
    package func add() {
        state.withLock {
            $0.count += 1
            $0.inPage = false
        }
    }
    /// Progress reported on page `page` (counted from 1 within this helper): a page beyond
    /// those delivered has begun.
    package func progress(onPage page: Int) { state.withLock { if page > $0.count { $0.inPage = true } } }
    package var value: Int { state.withLock { $0.count } }
    /// At least one page complete and nothing of the next one yet.
    package var betweenPages: Bool { state.withLock { $0.count > 0 && !$0.inPage } }
}
