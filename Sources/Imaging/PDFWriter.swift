public import Foundation

/// Writes a PDF with one image per page, each page the size of its image at its resolution
/// (an A4 page scanned at 200 dpi is 595 × 842 pt), so that the document prints at real size.
public enum PDFWriter {
    public static func document(_ pages: [EncodedPage], title: String, created: Date = Date()) -> Data {
        var out = Data("%PDF-1.4\n%\u{E2}\u{E3}\u{CF}\u{D3}\n".utf8)
        // Sized once: the images are nearly all of it (no regrowing copies of ~10 MB).
        out.reserveCapacity(pages.reduce(4096) { $0 + $1.data.count + 1024 })
        var offsets: [Int] = []
        func object(_ parts: Data...) {
            offsets.append(out.count)
            out.append(Data("\(offsets.count) 0 obj\n".utf8))
            for part in parts { out.append(part) }
            out.append(Data("\nendobj\n".utf8))
        }
        func text(_ s: String) -> Data { Data(s.utf8) }
        // 1 catalog, 2 page tree, 3 info; then per page: page, contents, image.
        let pageIds = pages.indices.map { 4 + 3 * $0 }
        object(text("<< /Type /Catalog /Pages 2 0 R >>"))
        object(text("<< /Type /Pages /Count \(pages.count) /Kids [\(pageIds.map { "\($0) 0 R" }.joined(separator: " "))] >>"))
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(secondsFromGMT: 0)
        formatter.dateFormat = "yyyyMMddHHmmss"
        object(text("<< /Title \(pdfString(title)) /Producer (kioskd) /CreationDate (D:\(formatter.string(from: created))Z) >>"))
        for (index, page) in pages.enumerated() {
            let id = pageIds[index]
            let w = Double(page.width) * 72 / Double(page.dpi)
            let h = Double(page.height) * 72 / Double(page.dpi)
            let (ws, hs) = (format(w), format(h))
            object(text("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 \(ws) \(hs)] /Resources << /XObject << /Im0 \(id + 2) 0 R >> >> /Contents \(id + 1) 0 R >>"))
            let content = "q \(ws) 0 0 \(hs) 0 0 cm /Im0 Do Q"
            object(text("<< /Length \(content.utf8.count) >>\nstream\n\(content)\nendstream"))
            let colorSpace = page.kind == .rgb ? "/DeviceRGB" : "/DeviceGray"
            let bits = page.kind == .bilevel ? 1 : 8
            // PBM and SANE mark black with 1; PDF's DeviceGray has 0 for black: invert.
            let decode = page.kind == .bilevel ? " /Decode [1 0]" : ""
            object(text("<< /Type /XObject /Subtype /Image /Width \(page.width) /Height \(page.height) /ColorSpace \(colorSpace) /BitsPerComponent \(bits)\(decode) /Filter /\(page.filter.rawValue) /Length \(page.data.count) >>\nstream\n"),
                   page.data, text("\nendstream"))
        }
        let xref = out.count
        out.append(text("xref\n0 \(offsets.count + 1)\n0000000000 65535 f \n"))
        for offset in offsets { out.append(text(String(format: "%010d 00000 n \n", offset))) }
        out.append(text("trailer\n<< /Size \(offsets.count + 1) /Root 1 0 R /Info 3 0 R >>\nstartxref\n\(xref)\n%%EOF\n"))
        return out
    }

    static func format(_ value: Double) -> String { String(format: "%.2f", value) }

    /// A PDF text string: UTF-16BE with BOM, so Vietnamese titles survive.
    static func pdfString(_ s: String) -> String {
        "<FEFF" + s.utf16.map { String(format: "%04X", $0) }.joined() + ">"
    }
}
