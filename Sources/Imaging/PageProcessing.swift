import Dispatch
import Foundation

/// Cleans and compresses each page of a batch on a queue of its own while the scanner feeds
/// the next sheet, so that a batch is ready moments after its last page (and CPU-heavy work
/// never occupies the cooperative thread pool that serves the screen).
public final class PageProcessing: @unchecked Sendable {
    // Thread safety: `results` is only touched on `queue`.
    private let queue = DispatchQueue(label: "kiosk.page-processing", qos: .userInitiated)
    private let pipeline: PagePipeline
    private var results: [Result] = []

    public struct Result: Sendable {
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

    /// Bounds the pages waiting to be processed (see `init`); nil: unbounded.
    private let slots: DispatchSemaphore?
    /// Where each raw page's pixels go once it is processed (see PixelPool).
    private let pool: PixelPool?

    /// With `maxWaiting`, `add` blocks its caller while that many pages wait: a scanner that
    /// delivers faster than pages are compressed is held back (through the helper's pipe, as
    /// a real feeder waits for its host) instead of piling up raw pages — ~12 MB each for A4
    /// colour at 200 dpi. With `pool`, each raw page's memory is handed back for a later one.
    /// Once processed a page is held only compressed (≤ the page limit), however long the batch.
    public init(pipeline: PagePipeline, maxWaiting: Int? = nil, pool: PixelPool? = nil) {
        self.pipeline = pipeline
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
            return Result(output: .failure(.unreadable("\(raster.pixels.count) bytes for a \(raster.width)×\(raster.height) page")))
        }
        do {
            return Result(output: .success(try pipeline.process(raster)))
        } catch {
            return Result(output: .failure(.tooLarge))
        }
    }

    /// Every page added so far, in order, once processed.
    public func finish() async -> [Result] {
        await withCheckedContinuation { continuation in
            queue.async { [self] in continuation.resume(returning: results) }
        }
    }

    /// Compresses pages again, each within `limit` bytes (kioskd's dossier limit), from their
    /// compressed form; nil if one does not fit.
    public func reencode(_ outputs: [PagePipeline.Output], limit: Int) async -> [PagePipeline.Output]? {
        await withCheckedContinuation { continuation in
            queue.async { [pipeline] in
                continuation.resume(returning: try? outputs.map { try pipeline.reencode($0, limit: limit) })
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
