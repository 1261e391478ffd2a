import Foundation
import Imaging
import Testing

/// kioskd fits a dossier to its limit by compressing pages again from their compressed form,
/// so no raw page (~12 MB each in colour) is held for the whole batch.
@Suite struct ReencodeTests {
    static func meanDifference(_ a: Raster, _ b: Raster) -> Double {
        Double(zip(a.pixels, b.pixels).reduce(0) { $0 + abs(Int($1.0) - Int($1.1)) }) / Double(a.pixels.count)
    }

    @Test func compressedPagesDecodeToTheirOwnSizeAndKind() throws {
        let pipeline = PagePipeline(cleaner: PageCleaner(whitenPaper: false))
        for kind in [Raster.Kind.gray, .rgb] {
            let page = ImagingTests.page(dpi: 100, kind: kind)
            let encoded = try pipeline.process(page).page
            let decoded = try encoded.decoded()
            #expect(decoded.kind == kind && decoded.width == page.width && decoded.height == page.height && decoded.dpi == 100)
            #expect(Self.meanDifference(decoded, page) < 3, "JPEG at quality \(encoded.quality ?? 0) stays close")
        }
        let bilevel = ImagingTests.page(dpi: 100, kind: .bilevel)
        let flate = try pipeline.process(bilevel).page
        let inflated = try flate.decoded()
        #expect(flate.filter == .flate && inflated == bilevel, "lossless")
    }

    @Test func garbageInAPageIsRefusedNotCrashedOn() {
        let jpeg = EncodedPage(width: 10, height: 10, dpi: 200, kind: .gray, filter: .dct, quality: 80, data: Data("not a jpeg".utf8))
        let flate = EncodedPage(width: 10, height: 10, dpi: 200, kind: .bilevel, filter: .flate, quality: nil, data: Data([0x78, 0x9C, 1, 2]))
        #expect(throws: JPEGEncoder.Failure.self) { try jpeg.decoded() }
        #expect(throws: Raster.Malformed.self) { try flate.decoded() }
    }

    @Test func aPageCompressedAgainFitsTheSmallerLimitAndKeepsWhatWasFoundOnIt() throws {
        let pipeline = PagePipeline()
        // A strip of an A4 page at 300 dpi: enough to step quality and resolution, small
        // enough not to hold the shared test process's threads for long.
        let a4 = ImagingTests.page(dpi: 300, kind: .rgb)
        let original = a4.cropped(x: 0, y: a4.height / 10, width: a4.width, height: a4.height / 5)
        let first = try pipeline.process(original)
        let limit = first.page.data.count * 2 / 3
        let smaller = try pipeline.reencode(first, limit: limit)
        #expect(smaller.page.data.count <= limit && smaller.report.bytes == smaller.page.data.count)
        #expect((smaller.page.quality ?? 0) <= (first.page.quality ?? 0), "never a better quality than the page had")
        #expect(smaller.page.dpi >= 200 && smaller.page.dpi <= 300)
        #expect(
            smaller.report.scannedDPI == 300 && smaller.report.looksBlank == first.report.looksBlank
                && smaller.report.whitened == first.report.whitened && smaller.report.cropped == first.report.cropped)
        // Against the page as scanned, brought to the same resolution the same way: what two
        // rounds of JPEG took away.
        var reference = original
        while reference.dpi > smaller.page.dpi { reference = reference.resampled(dpi: max(smaller.page.dpi, reference.dpi * 3 / 4)) }
        let now = try smaller.page.decoded()
        #expect(now.width == reference.width && Self.meanDifference(now, reference) < 5)

        // Within the limit already: the very same page.
        let same = try pipeline.reencode(first, limit: first.page.data.count)
        #expect(same.page == first.page)
        // Nothing fits a few hundred bytes, even at 200 dpi and the lowest quality.
        #expect(throws: PageEncoder.TooLarge.self) { try pipeline.reencode(first, limit: 500) }
    }
}
