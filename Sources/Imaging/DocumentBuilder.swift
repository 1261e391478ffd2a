public import Foundation

/// From scanned pages to one document's PDF, each page through the page pipeline.
public enum DocumentBuilder {
    public struct Result: Sendable {
        public var pdf: Data
        public var pages: [PageReport]
    }

    /// Builds the PDF for `pages`.
    public static func pdf(pages: [Raster], title: String, pipeline: PagePipeline = PagePipeline()) throws -> Result {
        var encoded: [EncodedPage] = []
        var reports: [PageReport] = []
        for page in pages {
            let output = try pipeline.process(page)
            encoded.append(output.page)
            reports.append(output.report)
        }
        return Result(pdf: PDFWriter.document(encoded, title: title), pages: reports)
    }
}
