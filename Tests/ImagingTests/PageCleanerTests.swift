import Foundation
import Imaging
import Testing

@Suite struct PageCleanerTests {
    /// A white sheet with text-like lines, turned by `degrees` (clockwise, image coordinates)
    /// and laid on a scanner backing of grey `backing`, in a frame `margin` pixels larger
    /// each way. Drawn by inverse mapping, independently of the code under test.
    static func skewedSheet(degrees: Double, backing: UInt8, margin: Int = 100, sheet: (w: Int, h: Int) = (827, 1169)) -> Raster {
        let width = sheet.w + 2 * margin, height = sheet.h + 2 * margin
        let radians = degrees * .pi / 180
        let cx = Double(width - 1) / 2, cy = Double(height - 1) / 2
        var pixels = [UInt8](repeating: backing, count: width * height)
        for y in 0..<height {
            for x in 0..<width {
                let dx = Double(x) - cx, dy = Double(y) - cy
                let sx = Int((cx + dx * cos(radians) + dy * sin(radians)).rounded()) - margin
                let sy = Int((cy - dx * sin(radians) + dy * cos(radians)).rounded()) - margin
                guard sx >= 0, sy >= 0, sx < sheet.w, sy < sheet.h else { continue }
                let inLine = sy > 100 && sy < sheet.h - 100 && sy % 24 < 6 && sx > 80 && sx < sheet.w - 80 && (sx / 9) % 5 != 0
                pixels[y * width + x] = inLine ? 20 : 250
            }
        }
        return Raster(kind: .gray, width: width, height: height, dpi: 100, pixels: pixels)
    }

    /// How level the page's lines are: the share of dark pixels falling in the rows that
    /// are mostly dark (a level line fills its rows; a slanted one smears over many).
    static func levelness(_ page: Raster) -> Double {
        var rows = [Int](repeating: 0, count: page.height)
        for y in 0..<page.height { for x in 0..<page.width where page.luminance(x: x, y: y) < 100 { rows[y] += 1 } }
        let total = rows.reduce(0, +)
        let peak = rows.max() ?? 0
        return Double(rows.filter { $0 * 2 >= peak }.reduce(0, +)) / Double(max(1, total))
    }

    @Test(arguments: [3.0, -2.2, 1.0])
    func aSkewedSheetIsStraightenedAndCroppedToTheSheet(degrees: Double) {
        let scanned = Self.skewedSheet(degrees: degrees, backing: 40)
        let (page, report) = PageCleaner().clean(scanned)
        #expect(abs(report.deskewDegrees + degrees) <= 0.2, "rotated by \(report.deskewDegrees) to undo \(degrees)")
        #expect(report.cropped)
        // The sheet is 827 × 1169; the crop may keep a pixel or two of backing at each edge.
        #expect(abs(page.width - 827) <= 12 && abs(page.height - 1169) <= 12, "\(page.width)×\(page.height)")
        let before = Self.levelness(scanned.cropped(x: 100, y: 100, width: 827, height: 1169))
        let after = Self.levelness(page)
        #expect(after > 0.9 && after > before + 0.2, "levelness \(before) → \(after)")
    }

    @Test func aStraightPageIsLeftUntouched() {
        let straight = Self.skewedSheet(degrees: 0, backing: 250, margin: 0)
        let (page, report) = PageCleaner(whitenPaper: false).clean(straight)
        #expect(report == PageCleaner.Report(deskewDegrees: 0, cropped: false))
        let unchanged = page == straight
        #expect(unchanged)
    }

    @Test func aStraightSheetOnADarkBackingIsCroppedOnly() {
        let (page, report) = PageCleaner().clean(Self.skewedSheet(degrees: 0, backing: 10, margin: 60))
        #expect(report.deskewDegrees == 0 && report.cropped)
        #expect(abs(page.width - 827) <= 4 && abs(page.height - 1169) <= 4)
    }

    @Test func aBlankPageAndNoiseAreNotRotated() {
        let blank = Raster(kind: .gray, width: 800, height: 1100, dpi: 100, pixels: [UInt8](repeating: 250, count: 880_000))
        #expect(PageCleaner().clean(blank).report.deskewDegrees == 0)
        var generator = SystemRandomNumberGenerator()
        let noise = Raster(
            kind: .gray, width: 800, height: 1100, dpi: 100,
            pixels: (0..<880_000).map { _ in UInt8.random(in: 0...255, using: &generator) })
        #expect(PageCleaner().clean(noise).report == PageCleaner.Report(deskewDegrees: 0, cropped: false))
    }

    @Test func colourAndBlackAndWhitePagesTurnAndCropLikeGrey() {
        let grey = Self.skewedSheet(degrees: 2, backing: 30)
        let rgb = Raster(kind: .rgb, width: grey.width, height: grey.height, dpi: grey.dpi, pixels: grey.pixels.flatMap { [$0, $0, $0] })
        let (colourPage, colourReport) = PageCleaner().clean(rgb)
        #expect(abs(colourReport.deskewDegrees + 2) <= 0.2 && colourReport.cropped && colourPage.kind == .rgb)
        #expect(Self.levelness(colourPage) > 0.9)

        let rowBytes = (grey.width + 7) / 8
        var bits = [UInt8](repeating: 0, count: rowBytes * grey.height)
        for y in 0..<grey.height {
            for x in 0..<grey.width where grey.pixels[y * grey.width + x] < 128 { bits[y * rowBytes + x / 8] |= 0x80 >> UInt8(x % 8) }
        }
        let bilevel = Raster(kind: .bilevel, width: grey.width, height: grey.height, dpi: grey.dpi, pixels: bits)
        let (bwPage, bwReport) = PageCleaner().clean(bilevel)
        #expect(abs(bwReport.deskewDegrees + 2) <= 0.2 && bwPage.kind == .bilevel && bwPage.pixels.count == bwPage.rowBytes * bwPage.height)
        #expect(Self.levelness(bwPage) > 0.85)
    }

    @Test func offWhitePaperTurnsWhiteAndInkKeepsItsColour() {
        // Paper at (246, 243, 236) with noise of a few levels, black text lines, a red mark.
        var generator = SystemRandomNumberGenerator()
        let width = 600, height = 800
        var pixels = [UInt8](repeating: 0, count: width * height * 3)
        for y in 0..<height {
            for x in 0..<width {
                let text = y % 40 < 6 && x > 50 && x < 550
                let red = x >= 400 && x < 460 && y >= 600 && y < 660
                let base: (Int, Int, Int) = text ? (15, 15, 15) : red ? (200, 30, 40) : (246, 243, 236)
                let noise = Int.random(in: -4...4, using: &generator)
                let i = (y * width + x) * 3
                pixels[i] = UInt8(clamping: base.0 + noise)
                pixels[i + 1] = UInt8(clamping: base.1 + noise)
                pixels[i + 2] = UInt8(clamping: base.2 + noise)
            }
        }
        let scan = Raster(kind: .rgb, width: width, height: height, dpi: 100, pixels: pixels)
        let (page, report) = PageCleaner().clean(scan)
        #expect(report.whitened && report.deskewDegrees == 0 && !report.cropped)
        var paper = 0, white = 0
        for y in 0..<height where y % 40 >= 10 {
            for x in 0..<width where !(x >= 390 && x < 470 && y >= 590 && y < 670) {
                paper += 1
                let i = (y * width + x) * 3
                if page.pixels[i] == 255 && page.pixels[i + 1] == 255 && page.pixels[i + 2] == 255 { white += 1 }
            }
        }
        #expect(white * 100 >= paper * 97, "\(white) of \(paper) paper pixels white")
        let text = (2 * width + 300) * 3, mark = (630 * width + 430) * 3
        #expect(page.pixels[text] < 30 && page.pixels[text + 1] < 30, "text stays black")
        #expect(page.pixels[mark] > 180 && page.pixels[mark + 1] < 60 && page.pixels[mark + 2] < 70, "the stamp stays red")
        // Without paper to speak of (a photograph), nothing is whitened.
        let photo = Raster(
            kind: .gray, width: 400, height: 400, dpi: 100, pixels: (0..<160_000).map { UInt8(truncatingIfNeeded: ($0 % 400) * 255 / 400) })
        #expect(!PageCleaner().clean(photo).report.whitened)
    }

    @Test func cropKeepsExactPixels() {
        let page = Raster(kind: .rgb, width: 4, height: 3, dpi: 100, pixels: (0..<36).map(UInt8.init))
        let part = page.cropped(x: 1, y: 1, width: 2, height: 2)
        #expect(part.width == 2 && part.height == 2 && part.pixels == [15, 16, 17, 18, 19, 20, 27, 28, 29, 30, 31, 32])
        let bits = Raster(kind: .bilevel, width: 12, height: 1, dpi: 100, pixels: [0b1010_1010, 0b1111_0000])
        let bitPart = bits.cropped(x: 3, y: 0, width: 9, height: 1)
        // Pixels 3…11: 0 1 0 1 0 | 1 1 1 1 → 0101_0111, 1000_0000.
        #expect(bitPart.pixels == [0b0101_0111, 0b1000_0000])
    }
}
