public import Dispatch
public import Foundation

/// Cleans and compresses each page of a batch on a queue of its own while the scanner feeds
/// the next sheet, so that a batch is ready moments after its last page (and CPU-heavy work
/// never occupies the cooperative thread pool that serves the screen).
public final class PageProcessing: @unchecked Sendable {
    // Thread safety: `results` is only touched on `queue`.
    private let queue = DispatchQueue(label: "kiosk.page-processing", qos: .userInitiated)
    private let pipeline: PagePipeline
    private var results: [Result] = []

    public struct Result: Sendable {
        public var prepared: PagePipeline.Prepared?
        /// The page compressed within the page limit, or why it could not be.
        public var output: Swift.Result<PagePipeline.Output, PageProblem>
    }

    public enum PageProblem: Error, CustomStringConvertible {
        /// Not a readable image (a scanner or driver fault).
        case unreadable(String)
        /// Over the page limit even at the lowest quality and resolution.
        case tooLarge

        public var description: String {
            switch self {
            case .unreadable(let reason): "unreadable page: \(reason)"
            case .tooLarge: "the page does not fit the page limit even at the lowest quality and resolution"
            }
        }
    }

    /// Keep each cleaned page after compressing it, for `reencode` (kioskd's dossier limit);
    /// without it a batch holds only compressed pages.
    private let keepPrepared: Bool

    /// Bounds the pages waiting to be processed (see `init`); nil: unbounded.
    private let slots: DispatchSemaphore?
    /// Where each raw page's pixels go once it is processed (see PixelPool).
    private let pool: PixelPool?

    /// With `maxWaiting`, `add` blocks its caller while that many pages wait: a scanner that
    /// delivers faster than pages are compressed is held back (through the helper's pipe, as
    /// a real feeder waits for its host) instead of piling up raw pages — ~12 MB each for A4
    /// colour at 200 dpi. With `pool`, each raw page's memory is handed back for a later one.
    public init(pipeline: PagePipeline, keepPrepared: Bool = true, maxWaiting: Int? = nil, pool: PixelPool? = nil) {
        self.pipeline = pipeline
        self.keepPrepared = keepPrepared
        self.pool = pool
        slots = maxWaiting.map { DispatchSemaphore(value: max(1, $0)) }
    }

    /// Queues a page; returns at once, or, with `maxWaiting`, once a place is free (call it
    /// from a thread that may block, never from the cooperative pool).
    public func add(_ raster: Raster) {
        slots?.wait()
        // Handed to the queue in a box the queue empties, so that once processed the page's
        // pixels are held by nothing but the pool.
        let handoff = Handoff(raster)
        queue.async { [self] in
            defer { slots?.signal() }
            guard var raster = handoff.take() else { return }
            results.append(process(raster))
            if let pool {
                var pixels: [UInt8] = []
                swap(&pixels, &raster.pixels)
                pool.recycle(pixels)
            }
        }
    }

    private func process(_ raster: Raster) -> Result {
        guard raster.width > 0, raster.height > 0, raster.pixels.count == raster.rowBytes * raster.height else {
            return Result(prepared: nil, output: .failure(.unreadable("\(raster.pixels.count) bytes for a \(raster.width)×\(raster.height) page")))
        }
        let prepared = pipeline.prepare(raster)
        do {
            return Result(prepared: keepPrepared ? prepared : nil, output: .success(try pipeline.encode(prepared)))
        } catch {
            return Result(prepared: keepPrepared ? prepared : nil, output: .failure(.tooLarge))
        }
    }

    /// Every page added so far, in order, once processed.
    public func finish() async -> [Result] {
        await withCheckedContinuation { continuation in
            queue.async { [self] in continuation.resume(returning: results) }
        }
    }

    /// Compresses `prepared` pages again, each within `limit` bytes; nil if one does not fit.
    public func reencode(_ prepared: [PagePipeline.Prepared], limit: Int) async -> [PagePipeline.Output]? {
        await withCheckedContinuation { continuation in
            queue.async { [pipeline] in
                continuation.resume(returning: try? prepared.map { try pipeline.encode($0, limit: limit) })
            }
        }
    }
}

/// Carries one value to another thread, which takes it out (leaving nothing behind).
private final class Handoff<Value>: @unchecked Sendable {
    // Thread safety: written once before it is handed over, emptied once by the receiver.
    private var value: Value?
    init(_ value: Value) { self.value = value }
    func take() -> Value? {
        defer { value = nil }
        return value
    }
}
