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

    public init(pipeline: PagePipeline, keepPrepared: Bool = true) {
        self.pipeline = pipeline
        self.keepPrepared = keepPrepared
    }

    /// Queues a page; returns at once.
    public func add(_ raster: Raster) {
        queue.async { [self] in
            guard raster.width > 0, raster.height > 0, raster.pixels.count == raster.rowBytes * raster.height else {
                results.append(Result(prepared: nil, output: .failure(.unreadable(
                    "\(raster.pixels.count) bytes for a \(raster.width)×\(raster.height) page"))))
                return
            }
            let prepared = pipeline.prepare(raster)
            do {
                results.append(Result(prepared: keepPrepared ? prepared : nil, output: .success(try pipeline.encode(prepared))))
            } catch {
                results.append(Result(prepared: keepPrepared ? prepared : nil, output: .failure(.tooLarge)))
            }
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
