import Foundation
import Imaging
import Testing

import DeviceModel
@testable import SANEDriver

/// The helper's output stream as kioskd reads it, from a real pipe.
@Suite struct SANEHelperStreamTests {
    /// Writes `records` into a pipe (then closes it) and reads them back.
    func read(
        _ records: [Data], pool: PixelPool? = nil, delivered: PageCounter? = nil
    )
        -> (pages: [Raster], failure: DeviceFailure?, finished: Bool, capabilities: ScannerCapabilities?)
    {
        let pipe = Pipe()
        let writer = Thread {
            for record in records { pipe.fileHandleForWriting.write(record) }
            try? pipe.fileHandleForWriting.close()
        }
        writer.start()
        return SANEHelperScanner.read(pipe.fileHandleForReading, { _ in }, { _ in }, delivered: delivered, pool: pool)
    }

    func record(_ page: Raster) -> Data {
        SANEHelperFrame.pageHeader(page) + page.pnmHeader + Data(page.pixels)
    }

    @Test func pagesReadIntoPooledMemoryCarryTheirOwnPixels() {
        let first = Raster(kind: .gray, width: 300, height: 200, dpi: 100, pixels: (0..<60_000).map { UInt8($0 % 251) })
        let second = Raster(kind: .gray, width: 300, height: 200, dpi: 100, pixels: (0..<60_000).map { UInt8($0 % 13) })
        let pool = PixelPool()
        pool.recycle([UInt8](repeating: 0xEE, count: 60_000))  // an earlier page's pixels
        let result = read([record(first), record(second), SANEHelperFrame.done], pool: pool)
        #expect(result.finished && result.failure == nil)
        #expect(result.pages.map(\.pixels) == [first.pixels, second.pixels])
        #expect(pool.count == 0, "the pooled array was used")
    }

    /// "progress n 1" closes page n; only progress on a later page means the next sheet is
    /// on its way — the stall watchdog's shorter between-pages limit depends on it.
    @Test func aPagesClosingProgressDoesNotStartTheNextPage() {
        let page = Raster(kind: .gray, width: 8, height: 2, dpi: 100, pixels: [UInt8](repeating: 9, count: 16))
        let counter = PageCounter()
        _ = read(
            [
                SANEHelperFrame.progress(ScanProgress(page: 1, fraction: 0.5)), record(page),
                SANEHelperFrame.progress(ScanProgress(page: 1, fraction: 1)),
            ], delivered: counter)
        #expect(counter.value == 1 && counter.betweenPages)
        let next = PageCounter()
        _ = read(
            [
                record(page), SANEHelperFrame.progress(ScanProgress(page: 1, fraction: 1)),
                SANEHelperFrame.progress(ScanProgress(page: 2, fraction: 0.1)),
            ], delivered: next)
        #expect(next.value == 1 && !next.betweenPages)
    }

    @Test func aGarbledProgressRecordEndsTheStream() {
        let result = read([Data("progress one 0.5\n".utf8), SANEHelperFrame.done])
        #expect(!result.finished && result.failure?.notice.code == "scanner.helper_garbled")
    }
}
