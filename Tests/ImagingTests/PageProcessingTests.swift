import Foundation
import Imaging
import Testing

@Suite struct PageProcessingTests {
    @Test func aPoolHandsBackArraysOfTheSizeAskedAndNoMoreThanItsCapacity() {
        let pool = PixelPool(capacity: 2)
        #expect(pool.take(count: 12) == nil)
        pool.recycle([UInt8](repeating: 1, count: 12))
        pool.recycle([UInt8](repeating: 2, count: 8))
        pool.recycle([UInt8](repeating: 3, count: 12))  // over capacity: dropped
        #expect(pool.count == 2)
        #expect(pool.take(count: 10) == nil)
        #expect(pool.take(count: 12) == [UInt8](repeating: 1, count: 12))
        #expect(pool.take(count: 12) == nil)
        #expect(pool.take(count: 8)?.count == 8)
        pool.recycle([])
        #expect(pool.count == 0)
    }

    @Test func anArrayHandedBackWhileStillHeldIsCopiedBeforeItIsOverwritten() {
        let pool = PixelPool()
        let kept = Raster(kind: .gray, width: 4, height: 2, dpi: 200, pixels: [UInt8](repeating: 7, count: 8))
        pool.recycle(kept.pixels)
        var reused = pool.take(count: 8)!
        _ = reused.withUnsafeMutableBytes { $0.initializeMemory(as: UInt8.self, repeating: 0) }
        #expect(kept.pixels == [UInt8](repeating: 7, count: 8))
        #expect(reused == [UInt8](repeating: 0, count: 8))
    }

    @Test func pagesComeOutInOrderAndTheirMemoryGoesBackToThePool() async throws {
        let pool = PixelPool()
        let processing = PageProcessing(pipeline: PagePipeline(), pool: pool)
        let pages = [ImagingTests.page(dpi: 100), ImagingTests.page(dpi: 100, blank: true), ImagingTests.page(dpi: 150)]
        for page in pages { processing.add(page) }
        let results = await processing.finish()
        let outputs = try results.map { try $0.output.get() }
        #expect(outputs.map(\.report.scannedDPI) == [100, 100, 150])
        #expect(outputs.map(\.report.looksBlank) == [false, true, false])
        #expect(pool.count == 3)
        #expect(pool.take(count: pages[2].pixels.count) != nil)
    }

    /// With `maxWaiting`, `add` returns only once a place is free: a fast scanner is held back
    /// rather than piling up raw pages.
    @Test func withALimitTheCallerWaitsForThePageBeforeToBeProcessed() async throws {
        let pool = PixelPool()
        let processing = PageProcessing(pipeline: PagePipeline(), maxWaiting: 1, pool: pool)
        // From a thread of its own, as the scanner's reading thread calls it (add may block).
        let handedBackBeforeSecondAccepted = await withCheckedContinuation { continuation in
            Thread.detachNewThread {
                processing.add(ImagingTests.page(dpi: 200))
                processing.add(ImagingTests.page(dpi: 200))
                continuation.resume(returning: pool.count >= 1)
            }
        }
        #expect(handedBackBeforeSecondAccepted, "the first page was processed and handed back before the second was accepted")
        #expect(try await processing.finish().map { try $0.output.get().report.dpi } == [200, 200])
    }
}
