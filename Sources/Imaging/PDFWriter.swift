public import Foundation

/// Writes a PDF with one image per page, each page the size of its image at its resolution
/// (an A4 page scanned at 200 dpi is 595 × 842 pt), so that the document prints at real size.
///
/// With an sRGB output profile (by default Debian's, see ICCProfile) the file is identified as
/// PDF/A-2b for archiving: XMP metadata (pdfaid part 2, conformance B) matching the document
/// information, the profile as the output intent that gives the images' DeviceRGB and
/// DeviceGray values their meaning, a file identifier; nothing PDF/A forbids (no encryption,
/// no filters on the metadata, no interpolation, no actions). No PDF/A validator (veraPDF)
/// runs on this machine: tests check each of these parts with qpdf and poppler.
public enum PDFWriter {
    public static func document(
        _ pages: [EncodedPage], title: String, created: Date = Date(),
        outputProfile: Data? = ICCProfile.sRGB
    ) -> Data {
        var out = Data("%PDF-1.7\n%\u{E2}\u{E3}\u{CF}\u{D3}\n".utf8)
        // Sized once: the images are nearly all of it (no regrowing copies of ~10 MB).
        out.reserveCapacity(pages.reduce(4096 + (outputProfile?.count ?? 0)) { $0 + $1.data.count + 1024 })
        var offsets: [Int] = []
        func object(_ parts: Data...) {
            offsets.append(out.count)
            out.append(Data("\(offsets.count) 0 obj\n".utf8))
            for part in parts { out.append(part) }
            out.append(Data("\nendobj\n".utf8))
        }
        func text(_ s: String) -> Data { Data(s.utf8) }
        // 1 catalog, 2 page tree, 3 info; then per page: page, contents, image; then, for
        // PDF/A, the XMP metadata and the output profile.
        let pageIds = pages.indices.map { 4 + 3 * $0 }
        let metadataId = 4 + 3 * pages.count, profileId = metadataId + 1
        if outputProfile != nil {
            object(
                text(
                    "<< /Type /Catalog /Pages 2 0 R /Metadata \(metadataId) 0 R /OutputIntents [<< /Type /OutputIntent /S /GTS_PDFA1 "
                        + "/OutputConditionIdentifier (sRGB IEC61966-2.1) /Info (sRGB IEC61966-2.1) /DestOutputProfile \(profileId) 0 R >>] >>"))
        } else {
            object(text("<< /Type /Catalog /Pages 2 0 R >>"))
        }
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
            object(
                text(
                    "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 \(ws) \(hs)] /Resources << /XObject << /Im0 \(id + 2) 0 R >> >> /Contents \(id + 1) 0 R >>"
                ))
            let content = "q \(ws) 0 0 \(hs) 0 0 cm /Im0 Do Q"
            object(text("<< /Length \(content.utf8.count) >>\nstream\n\(content)\nendstream"))
            let colorSpace = page.kind == .rgb ? "/DeviceRGB" : "/DeviceGray"
            let bits = page.kind == .bilevel ? 1 : 8
            // PBM and SANE mark black with 1; PDF's DeviceGray has 0 for black: invert.
            let decode = page.kind == .bilevel ? " /Decode [1 0]" : ""
            object(
                text(
                    "<< /Type /XObject /Subtype /Image /Width \(page.width) /Height \(page.height) /ColorSpace \(colorSpace) /BitsPerComponent \(bits)\(decode) /Filter /\(page.filter.rawValue) /Length \(page.data.count) >>\nstream\n"
                ),
                page.data, text("\nendstream"))
        }
        if let outputProfile {
            let xmp = text(metadata(title: title, created: created))
            object(text("<< /Type /Metadata /Subtype /XML /Length \(xmp.count) >>\nstream\n"), xmp, text("\nendstream"))
            object(text("<< /N 3 /Length \(outputProfile.count) >>\nstream\n"), outputProfile, text("\nendstream"))
        }
        let xref = out.count
        out.append(text("xref\n0 \(offsets.count + 1)\n0000000000 65535 f \n"))
        for offset in offsets { out.append(text(String(format: "%010d 00000 n \n", offset))) }
        // The file identifier PDF/A requires: new for each file written.
        let id = withUnsafeBytes(of: UUID().uuid) { $0.map { String(format: "%02X", $0) }.joined() }
        out.append(text("trailer\n<< /Size \(offsets.count + 1) /Root 1 0 R /Info 3 0 R /ID [<\(id)> <\(id)>] >>\nstartxref\n\(xref)\n%%EOF\n"))
        return out
    }

    static func format(_ value: Double) -> String { String(format: "%.2f", value) }

    /// The XMP packet: PDF/A-2b identification and the document information's title,
    /// producer and creation date, which PDF/A requires to agree with it.
    static func metadata(title: String, created: Date) -> String {
        // XML allows no control characters but tab and line ends.
        let printable = String(String.UnicodeScalarView(title.unicodeScalars.filter { $0.value >= 0x20 || $0 == "\t" }))
        let escaped = printable.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;")
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = TimeZone(secondsFromGMT: 0)
        return """
            <?xpacket begin="\u{FEFF}" id="W5M0MpCehiHzreSzNTczkc9d"?>
            <x:xmpmeta xmlns:x="adobe:ns:meta/">
             <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
              <rdf:Description rdf:about="" xmlns:pdfaid="http://www.aiim.org/pdfa/ns/id/" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:xmp="http://ns.adobe.com/xap/1.0/" xmlns:pdf="http://ns.adobe.com/pdf/1.3/">
               <pdfaid:part>2</pdfaid:part>
               <pdfaid:conformance>B</pdfaid:conformance>
               <dc:format>application/pdf</dc:format>
               <dc:title><rdf:Alt><rdf:li xml:lang="x-default">\(escaped)</rdf:li></rdf:Alt></dc:title>
               <pdf:Producer>kioskd</pdf:Producer>
               <xmp:CreateDate>\(formatter.string(from: created))</xmp:CreateDate>
              </rdf:Description>
             </rdf:RDF>
            </x:xmpmeta>
            <?xpacket end="w"?>
            """
    }

    /// A PDF text string: UTF-16BE with BOM, so Vietnamese titles survive.
    static func pdfString(_ s: String) -> String {
        "<FEFF" + s.utf16.map { String(format: "%04X", $0) }.joined() + ">"
    }
}
