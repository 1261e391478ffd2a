import Foundation
import Imaging
import KioskTestSupport
import Testing

/// Dossier PDFs identify themselves as PDF/A-2b. No PDF/A validator runs here (veraPDF is
/// neither in Debian nor on PyPI), so each part PDF/A-2b asks of an image-only file is checked
/// with qpdf and poppler instead.
@Suite struct PDFArchivalTests {
    static let title = "Giấy khai sinh — bản sao <số 1> & 2"

    func write(_ pdf: Data) throws -> URL {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("pdfa-\(UUID()).pdf")
        try pdf.write(to: file)
        return file
    }

    /// qpdf's JSON view of every object and the trailer.
    func objects(_ file: URL) async throws -> [String: Any] {
        let result = try await runProgram(URL(fileURLWithPath: "/usr/bin/qpdf"), ["--json", "--json-key=qpdf", file.path])
        let json = try JSONSerialization.jsonObject(with: Data(result.output.utf8)) as? [String: Any]
        return ((json?["qpdf"] as? [Any])?[1] as? [String: Any]) ?? [:]
    }

    func value(_ objects: [String: Any], _ reference: String) -> [String: Any] {
        ((objects["obj:\(reference)"] as? [String: Any])?["value"] as? [String: Any])
            ?? (((objects["obj:\(reference)"] as? [String: Any])?["stream"] as? [String: Any])?["dict"] as? [String: Any]) ?? [:]
    }

    @Test func theDebianSRGBProfileIsFoundAndOnlyRGBProfilesAreTaken() throws {
        let profile = try #require(ICCProfile.sRGB, "install-deps.sh installs libgs-common")
        #expect(ICCProfile.isRGBProfile(profile))
        #expect(!ICCProfile.isRGBProfile(profile.prefix(2000)), "cut short")
        var cmyk = profile
        cmyk.replaceSubrange(16..<20, with: Data("CMYK".utf8))
        #expect(!ICCProfile.isRGBProfile(cmyk))
        var future = profile
        future[8] = 5
        #expect(!ICCProfile.isRGBProfile(future), "ICC v5 is beyond what PDF/A-2 allows")
        #expect(!ICCProfile.isRGBProfile(Data("not a profile".utf8)))
    }

    @Test func aDossierPDFCarriesEveryPartOfPDFA2bIdentification() async throws {
        let profile = try #require(ICCProfile.sRGB)
        let encoder = PageEncoder()
        let pages = [try encoder.encode(ImagingTests.page(dpi: 100, kind: .rgb)), try encoder.encode(ImagingTests.page(dpi: 100, kind: .bilevel))]
        let created = Date(timeIntervalSince1970: 1_795_000_000)  // 2026-11-18 11:06:40 UTC
        let file = try write(PDFWriter.document(pages, title: Self.title, created: created))
        defer { try? FileManager.default.removeItem(at: file) }
        let head = try FileHandle(forReadingFrom: file).read(upToCount: 15) ?? Data()
        #expect(
            head.prefix(9) == Data("%PDF-1.7\n".utf8) && head[9] == UInt8(ascii: "%") && head[10...13].allSatisfy { $0 >= 128 },
            "PDF ≤ 1.7 header, then a comment of bytes above 127")
        let check = try await runProgram(URL(fileURLWithPath: "/usr/bin/qpdf"), ["--check", file.path])
        #expect(check.status == 0, "\(check.output)")

        let all = try await objects(file)
        let trailer = (all["trailer"] as? [String: Any])?["value"] as? [String: Any] ?? [:]
        let ids = trailer["/ID"] as? [String] ?? []
        #expect(ids.count == 2 && ids[0] == ids[1] && ids[0].count == 2 + 32, "a 16-byte file identifier: \(ids)")
        #expect(trailer["/Encrypt"] == nil)
        let catalog = value(all, "1 0 R")
        let intents = catalog["/OutputIntents"] as? [[String: Any]] ?? []
        #expect(intents.count == 1 && intents.first?["/S"] as? String == "/GTS_PDFA1")
        let profileRef = try #require(intents.first?["/DestOutputProfile"] as? String)
        #expect(value(all, profileRef)["/N"] as? Int == 3 && value(all, profileRef)["/Length"] as? Int == profile.count)
        let metadataRef = try #require(catalog["/Metadata"] as? String)
        let metadata = value(all, metadataRef)
        #expect(
            metadata["/Type"] as? String == "/Metadata" && metadata["/Subtype"] as? String == "/XML" && metadata["/Filter"] == nil,
            "uncompressed XMP, as PDF/A requires")
        // No image asks to be interpolated, and none is JPEG 2000 or anything but DCT and Flate.
        for (key, object) in all where key.hasPrefix("obj:") {
            let dict = ((object as? [String: Any])?["stream"] as? [String: Any])?["dict"] as? [String: Any] ?? [:]
            guard dict["/Subtype"] as? String == "/Image" else { continue }
            #expect(dict["/Interpolate"] == nil && ["/DCTDecode", "/FlateDecode"].contains(dict["/Filter"] as? String ?? ""))
        }

        // The XMP packet: well-formed, PDF/A-2b, and saying what the document information says.
        let meta = try await runProgram(URL(fileURLWithPath: "/usr/bin/pdfinfo"), ["-meta", file.path]).output
        let start = try #require(meta.range(of: "<?xpacket begin"))
        let xmp = String(meta[start.lowerBound...])
        let xmpFile = file.appendingPathExtension("xmp")
        try Data(xmp.utf8).write(to: xmpFile)
        defer { try? FileManager.default.removeItem(at: xmpFile) }
        let lint = try await runProgram(URL(fileURLWithPath: "/usr/bin/xmllint"), ["--noout", xmpFile.path])
        #expect(lint.status == 0, "well-formed XML: \(lint.errors)")
        let escapedTitle = "Giấy khai sinh — bản sao &lt;số 1&gt; &amp; 2"
        for field in [
            "<pdfaid:part>2</pdfaid:part>", "<pdfaid:conformance>B</pdfaid:conformance>",
            "<rdf:li xml:lang=\"x-default\">\(escapedTitle)</rdf:li>", "<pdf:Producer>kioskd</pdf:Producer>",
            "<xmp:CreateDate>2026-11-18T11:06:40Z</xmp:CreateDate>",
        ] {
            #expect(xmp.contains(field), "\(field) in \(xmp)")
        }
        let raw = try await runProgram(URL(fileURLWithPath: "/usr/bin/pdfinfo"), ["-isodates", file.path]).output
        let info = raw.split(separator: " ", omittingEmptySubsequences: true).joined(separator: " ")
        #expect(info.contains("Title: \(Self.title)") && info.contains("Producer: kioskd"), "\(info)")
        #expect(info.contains("CreationDate: 2026-11-18T11:06:40"), "Info's CreationDate agrees with xmp:CreateDate: \(info)")
    }

    @Test func withoutAProfileTheFileIsPlainPDFAndClaimsNothing() async throws {
        let page = try PageEncoder().encode(ImagingTests.page(dpi: 100))
        let file = try write(PDFWriter.document([page], title: "plain", outputProfile: nil))
        defer { try? FileManager.default.removeItem(at: file) }
        let catalog = value(try await objects(file), "1 0 R")
        #expect(catalog["/Metadata"] == nil && catalog["/OutputIntents"] == nil && catalog["/Pages"] != nil)
    }
}
