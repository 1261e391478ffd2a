import Dispatch
import Foundation
import Imaging
import KioskTestSupport
import Testing

@Suite struct ImagingTests {
    /// An A4-proportioned grey page at `dpi`: white, with dark text-like bars unless blank.
    static func page(dpi: Int, blank: Bool = false, kind: Raster.Kind = .gray) -> Raster {
        let width = 1654 * dpi / 200, height = 2339 * dpi / 200
        var gray = [UInt8](repeating: 255, count: width * height)
        if !blank {
            for y in stride(from: height / 10, to: height * 9 / 10, by: max(4, dpi / 6)) {
                for row in y..<min(height, y + max(2, dpi / 20)) {
                    for x in (width / 10)..<(width * 9 / 10) where (x / 13) % 4 != 0 { gray[row * width + x] = 30 }
                }
            }
        }
        switch kind {
        case .gray: return Raster(kind: .gray, width: width, height: height, dpi: dpi, pixels: gray)
        case .rgb: return Raster(kind: .rgb, width: width, height: height, dpi: dpi, pixels: gray.flatMap { [$0, $0, $0 &+ 0] })
        case .bilevel:
            let rowBytes = (width + 7) / 8
            var bits = [UInt8](repeating: 0, count: rowBytes * height)
            for y in 0..<height { for x in 0..<width where gray[y * width + x] < 128 { bits[y * rowBytes + x / 8] |= 0x80 >> UInt8(x % 8) } }
            return Raster(kind: .bilevel, width: width, height: height, dpi: dpi, pixels: bits)
        }
    }

    func run(_ tool: String, _ arguments: [String]) async throws -> (Int32, String) {
        let result = try await runProgram(URL(fileURLWithPath: "/usr/bin/\(tool)"), arguments)
        return (result.status, result.output + result.errors)
    }

    @Test func pnmHeadersAreReadAndGarbageRefused() throws {
        let pgm = Data("P5\n# comment\n3 2\n255\n".utf8) + Data([0, 1, 2, 3, 4, 5])
        let raster = try Raster(pnm: pgm, dpi: 200)
        #expect(raster.kind == .gray && raster.width == 3 && raster.height == 2 && raster.pixels == [0, 1, 2, 3, 4, 5])
        let pbm = try Raster(pnm: Data("P4\n9 1\n".utf8) + Data([0xFF, 0x80]), dpi: 300)
        #expect(pbm.kind == .bilevel && pbm.luminance(x: 8, y: 0) == 0 && pbm.rowBytes == 2)
        for bad in [
            Data("P3\n1 1\n255\n0 0 0".utf8), Data("P5\n3 2\n255\n".utf8) + Data([1]), Data("P5\n0 2\n255\n".utf8),
            Data("P5\n3 2\n65535\n".utf8) + Data(count: 12), Data([0xFF, 0xD8, 0xFF]), Data(),
        ] {
            #expect(throws: Raster.Malformed.self) { try Raster(pnm: bad, dpi: 200) }
        }
    }

    @Test func blankPagesAreFlaggedAndTextPagesAreNot() {
        #expect(BlankDetector.looksBlank(Self.page(dpi: 200, blank: true)))
        #expect(!BlankDetector.looksBlank(Self.page(dpi: 200)))
        #expect(!BlankDetector.looksBlank(Self.page(dpi: 200, kind: .bilevel)))
        var speck = Self.page(dpi: 200, blank: true)
        for i in 0..<20 { speck.pixels[speck.width * 1000 + 800 + i] = 0 }
        #expect(BlankDetector.looksBlank(speck), "a speck of dust is not content")
        let black = Raster(kind: .gray, width: 400, height: 400, dpi: 200, pixels: [UInt8](repeating: 0, count: 160_000))
        #expect(!BlankDetector.looksBlank(black))
    }

    @Test func qualityStepsDownToFitTheLimitAndRefusesWhatCannotFit() throws {
        var generator = SystemRandomNumberGenerator()
        let noise = Raster(
            kind: .gray, width: 600, height: 600, dpi: 200, pixels: (0..<360_000).map { _ in UInt8.random(in: 0...255, using: &generator) })
        let best = try PageEncoder(maxPageBytes: 10_000_000).encode(noise)
        #expect(best.quality == 80)
        let fitted = try PageEncoder(maxPageBytes: best.data.count * 3 / 4).encode(noise)
        #expect(fitted.data.count <= best.data.count * 3 / 4 && (fitted.quality ?? 100) < 80)
        #expect(throws: PageEncoder.TooLarge.self) { try PageEncoder(maxPageBytes: 1_000).encode(noise) }
    }

    @Test func overTheLimitTheResolutionStepsDownButNeverBelow200DPI() throws {
        var generator = SystemRandomNumberGenerator()
        var page = Self.page(dpi: 300)
        for i in page.pixels.indices where i % 7 == 0 { page.pixels[i] = UInt8.random(in: 0...255, using: &generator) }
        let pipeline = PagePipeline(encoder: PageEncoder(maxPageBytes: 100_000_000, qualities: [40]))
        let at300 = try pipeline.process(page, limit: 100_000_000)
        let at200 = try PageEncoder(maxPageBytes: 100_000_000, qualities: [40]).encode(page.resampled(dpi: 200))
        #expect(at300.report.dpi == 300 && at200.dpi == 200 && at200.width == 1654 && at200.data.count < at300.page.data.count)

        let limit = (at200.data.count + at300.page.data.count) / 2
        let stepped = try pipeline.process(page, limit: limit)
        #expect(stepped.page.data.count <= limit && stepped.report.bytes == stepped.page.data.count)
        #expect(stepped.report.dpi < 300 && stepped.report.dpi >= 200 && stepped.report.scannedDPI == 300)
        #expect(throws: PageEncoder.TooLarge.self) { try pipeline.process(page, limit: at200.data.count / 2) }
    }

    @Test func resamplingAveragesGreyAndKeepsBlackAndWhiteLegible() {
        let grey = Raster(kind: .gray, width: 4, height: 2, dpi: 400, pixels: [0, 100, 200, 255, 50, 150, 250, 255])
        let half = grey.resampled(dpi: 200)
        #expect(half.width == 2 && half.height == 1 && half.pixels == [75, 240] && half.dpi == 200)
        let bw = Self.page(dpi: 300, kind: .bilevel).resampled(dpi: 200)
        #expect(bw.kind == .bilevel && bw.pixels.count == bw.rowBytes * bw.height && !BlankDetector.looksBlank(bw))
    }

    @Test func pdfPassesQPDFAndHasTheRightPagesSizesAndResolution() async throws {
        let encoder = PageEncoder()
        let gray = try encoder.encode(Self.page(dpi: 200))
        let color = try encoder.encode(Self.page(dpi: 300, kind: .rgb))
        let bw = try encoder.encode(Self.page(dpi: 300, kind: .bilevel))
        #expect(gray.filter == .dct && bw.filter == .flate && gray.data.count <= 1_000_000)
        let pdf = PDFWriter.document([gray, color, bw], title: "Giấy khai sinh — bản sao")
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("doc-\(UUID()).pdf")
        try pdf.write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }

        let (qpdfStatus, qpdfOut) = try await run("qpdf", ["--check", file.path])
        #expect(qpdfStatus == 0, "\(qpdfOut)")
        let (_, raw) = try await run("pdfinfo", ["-f", "1", "-l", "3", file.path])
        let info = raw.split(separator: " ", omittingEmptySubsequences: true).joined(separator: " ")
        #expect(info.contains("Pages: 3"), "\(info)")
        #expect(info.contains("Title: Giấy khai sinh — bản sao"), "\(info)")
        #expect(info.contains("Page 1 size: 595.44 x 842.04 pts (A4)"), "A4 at 200 dpi prints at A4: \(info)")
        #expect(info.contains("Page 2 size: 595.44 x 841.92 pts (A4)"), "and at 300 dpi too: \(info)")
        let (_, images) = try await run("pdfimages", ["-list", file.path])
        let rows = images.split(separator: "\n").dropFirst(2).map { $0.split(separator: " ", omittingEmptySubsequences: true).map(String.init) }
        #expect(rows.count == 3)
        // page num type width height color comp bpc enc interp object ID x-ppi y-ppi size ratio
        #expect(rows[0][3] == "1654" && rows[0][5] == "gray" && rows[0][8] == "jpeg" && rows[0][12] == "200")
        #expect(rows[1][5] == "rgb" && rows[1][8] == "jpeg" && rows[1][12] == "300")
        #expect(rows[2][7] == "1" && rows[2][8] == "image" && rows[2][12] == "300")
    }
}
