import ArgumentParser
import Devices
import Foundation
import Imaging
import KioskAPI
import Localized

/// `kioskctl scan`: scans straight from a SANE device into a PDF, without the daemon — for a
/// technician checking a scanner (while kioskd is idle: a device opens once at a time).
struct Scan: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Scan from a SANE device into a PDF (while kioskd is not scanning).",
        discussion: "Exit status: 0 scanned, 1 the scan failed (the reason and who must act are printed).")

    @OptionGroup var sane: SANEDeviceOptions
    @Option(name: .long, help: "flatbed, feeder or duplex.")
    var source: ScanRequest.Source = .flatbed
    @Option(name: .long, help: "color, gray or bw.")
    var mode: ScanRequest.Mode = .color
    @Option(name: .long, help: "Resolution in dots per inch.")
    var dpi = 200
    @Option(name: .long, help: "a4, a5 or id_card.")
    var paper: ScanRequest.Paper = .a4
    @Option(name: [.short, .customLong("output")], help: "The PDF to write.")
    var output: String
    @Flag(name: .long, help: "Print the report as JSON.")
    var json = false

    struct Report: Codable {
        var device: String
        var output: String
        var pages: [PageReport]
        var pdfBytes: Int
        var error: String?
    }

    func validate() throws {
        guard (50...1200).contains(dpi) else { throw ValidationError("--dpi must be from 50 to 1200") }
    }

    func run() async throws {
        // Each page's memory is reused for a later one of the batch.
        let pool = PixelPool()
        let scanner = sane.scanner(pixelPool: pool)
        let device = sane.device
        let request = ScanRequest(source: source, mode: mode, dpi: dpi, paper: paper)
        // Each page is compressed while the next sheet scans, as kioskd does; a scanner faster
        // than compression waits (pages arrive on the helper's reading thread, which may block).
        let processing = PageProcessing(pipeline: PagePipeline(), maxWaiting: 2, pool: pool)
        // A fault mid-batch (a jam, a cover opened) keeps the pages completed before it: they
        // are written, and the fault is reported beside them (exit status 1).
        var failure: String?
        do {
            _ = try await scanner.stream(request, progress: { _ in }, onPage: { processing.add($0) })
        } catch {
            failure = "\(error.failure.notice.code) — \(error.failure.notice.actor.rawValue) must act: \(error.failure.notice.forTechnician)"
        }
        await scanner.close()
        let outputs = try await processing.finish().map { try $0.output.get() }
        var pdfBytes = 0
        if !outputs.isEmpty {
            let pdf = PDFWriter.document(outputs.map(\.page), title: "kioskctl scan \(device)")
            try pdf.write(to: URL(fileURLWithPath: output))
            pdfBytes = pdf.count
        }
        let pages = outputs.map(\.report)
        let report = Report(device: device, output: output, pages: pages, pdfBytes: pdfBytes, error: failure)
        if json {
            print(try encode(report))
        } else {
            if let failure { FileHandle.standardError.write(Data("kioskctl: scan stopped: \(failure)\n".utf8)) }
            print(pages.isEmpty ? "no page scanned; nothing written" : "\(pages.count) page(s), \(pdfBytes) bytes → \(output)")
            for (index, page) in pages.enumerated() {
                var notes = [page.quality.map { "JPEG q\($0)" } ?? "lossless"]
                if page.scannedDPI != page.dpi { notes.append("scanned at \(page.scannedDPI) dpi, reduced to fit") }
                if page.deskewDegrees != 0 { notes.append(String(format: "straightened %+.1f°", page.deskewDegrees)) }
                if page.cropped { notes.append("cropped to the sheet") }
                if page.looksBlank { notes.append("looks blank") }
                print("  \(index + 1). \(page.width)×\(page.height) px at \(page.dpi) dpi, \(page.bytes) bytes, " + notes.joined(separator: ", "))
            }
        }
        if failure != nil { throw ExitCode(1) }
    }

    private func encode(_ report: Report) throws -> String {
        String(decoding: try APICoding.encoder().encode(report), as: UTF8.self)
    }
}

extension ScanRequest.Source: ExpressibleByArgument {}
extension ScanRequest.Mode: ExpressibleByArgument {}
extension ScanRequest.Paper: ExpressibleByArgument {}
