public import Foundation

/// From scanned pages to one document's PDF: each page compressed within the page limit and
/// checked for blankness.
public enum DocumentBuilder {
    /// What became of one page.
    public struct PageReport: Sendable, Hashable, Codable {
        public var width: Int
        public var height: Int
        public var dpi: Int
        public var bytes: Int
        /// JPEG quality, nil for lossless black and white.
        public var quality: Int?
        public var looksBlank: Bool
    }

    public struct Result: Sendable {
        public var pdf: Data
        public var pages: [PageReport]
    }

    /// Builds the PDF for `pages` (binary PNM files with their resolution).
    public static func pdf(pages: [(pnm: Data, dpi: Int)], title: String, encoder: PageEncoder = PageEncoder()) throws -> Result {
        var encoded: [EncodedPage] = []
        var reports: [PageReport] = []
        for page in pages {
            let raster = try Raster(pnm: page.pnm, dpi: page.dpi)
            let result = try encoder.encode(raster)
            encoded.append(result)
            reports.append(PageReport(width: raster.width, height: raster.height, dpi: raster.dpi, bytes: result.data.count,
                                      quality: result.quality, looksBlank: BlankDetector.looksBlank(raster)))
        }
        return Result(pdf: PDFWriter.document(encoded, title: title), pages: reports)
    }
}
