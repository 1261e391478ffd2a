import ArgumentParser
import Devices
import Foundation
import KioskAPI
import Localized
import Printing

/// Which CUPS queue and how to reach it: shared by `print test` and `selftest printer`.
struct CUPSQueueOptions: ParsableArguments {
    @Option(name: .long, help: "The CUPS queue (lpstat -p).")
    var queue = "kiosk_receipt"
    @Option(name: .long, help: "cupsd's address: a socket path or host:port (default: CUPS_SERVER, or the system's).")
    var cupsServer: String?
    @Option(name: .long, help: "80mm or 58mm (ESC/POS raster) or a4 (PDF).")
    var paper = "80mm"

    func validate() throws {
        guard ["80mm", "58mm", "a4"].contains(paper) else { throw ValidationError("--paper takes 80mm, 58mm or a4") }
    }

    var printer: CUPSPrinter { CUPSPrinter(id: "printer", destination: queue, server: cupsServer, askPaperSensor: paper != "a4") }

    /// The job for `document` on this paper.
    func job(_ document: PrintDocument, title: String) throws -> PrintJob {
        if paper == "a4" {
            return PrintJob(
                title: title, content: .pdf(try PrintRenderer().pdf(document, pageWidth: 595.28, pageHeight: 841.89, sideMargin: 56, title: title)))
        }
        let width = (ESCPOS.Paper(rawValue: paper) ?? .mm80).dots
        return PrintJob(title: title, content: .raw(ESCPOS.job(PrintRenderer().raster(document, width: width))))
    }
}

/// `kioskctl print`.
struct Print: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print a test page, or reprint a dossier's receipt.",
        subcommands: [PrintTest.self, PrintSampleReceipt.self, PrintReceipt.self, PrintTicket.self])
}

/// `kioskctl print test`: the test page straight to a CUPS queue.
struct PrintTest: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "test", abstract: "Print the test page to a CUPS queue and wait until CUPS says it printed.",
        discussion: "Exit status: 0 printed, 1 not printed (the reason and who must act are printed).")

    @OptionGroup var cups: CUPSQueueOptions
    @Flag(name: .long, help: "Print the outcome as JSON.")
    var json = false

    struct Report: Codable {
        var queue: String
        var printed: Bool
        var job: String?
        var bytes: Int
        var error: String?
    }

    func run() async throws {
        let job = try cups.job(TestPage.document(printer: cups.queue), title: "kioskctl test page")
        let bytes =
            switch job.content {
            case .raw(let d), .pdf(let d): d.count
            case .text(let t): t.utf8.count
            }
        let printer = cups.printer
        let outcome: PrintOutcome
        do throws(DeviceFailure) {
            outcome = try await printer.print(job)
        } catch {
            let message = "\(error.notice.code) — \(error.notice.actor.rawValue) must act: \(error.notice.forTechnician)"
            if json {
                print(try encode(Report(queue: cups.queue, printed: false, bytes: bytes, error: message)))
            } else {
                FileHandle.standardError.write(Data("kioskctl: not printed: \(message)\n".utf8))
            }
            throw ExitCode(1)
        }
        if json {
            print(try encode(Report(queue: cups.queue, printed: true, job: outcome.jobReference, bytes: bytes)))
        } else {
            print("printed: job \(outcome.jobReference), \(bytes) bytes")
        }
    }

    private func encode(_ report: Report) throws -> String { String(decoding: try APICoding.encoder().encode(report), as: UTF8.self) }
}

/// `kioskctl print receipt --dossier ID`: kioskd reprints a sealed dossier's receipt (or
/// declaration) on its own printer, from the dossier as it was sealed.
struct PrintReceipt: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "receipt", abstract: "Reprint a sealed dossier's receipt through kioskd.",
        discussion: "Exit status: 0 printed, 1 not printed or kioskd unreachable.")

    @OptionGroup var connection: Connection
    @Option(name: .long, help: "The dossier: the reference printed on its receipt (Mã hồ sơ), or its UUID, as kioskctl status lists them.")
    var dossier: String
    @Option(name: .long, help: "receipt or declaration.")
    var kind = "receipt"
    @Flag(name: .long, help: "Print the outcome as JSON.")
    var json = false

    func validate() throws {
        guard
            UUID(uuidString: dossier) != nil
                || (!dossier.isEmpty && dossier.count <= 80
                    && dossier.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") }))
        else {
            throw ValidationError("--dossier takes the reference printed on the receipt (such as KIOSK-01-20261123-6F1C2A) or the dossier's UUID")
        }
        guard ["receipt", "declaration"].contains(kind) else { throw ValidationError("--kind takes receipt or declaration") }
    }

    func run() async throws {
        let client = try connection.client
        let report: PrintReport
        do throws(KioskClient.Failure) {
            report = try await withProgress("printing the \(kind)") { () async throws(KioskClient.Failure) in
                try await client.print(dossier: dossier, kind: kind)
            }
        } catch {
            throw notPrinted(error, json: json)
        }
        if json {
            print(String(decoding: try APICoding.encoder().encode(report), as: UTF8.self))
        } else {
            print("printed: \(report.kind) of \(report.dossier.uuidString), job \(report.job)")
        }
    }
}

/// Says why kioskd did not print (as JSON or on standard error) and gives the exit status.
func notPrinted(_ error: KioskClient.Failure, json: Bool) -> ExitCode {
    if json {
        print(#"{"printed":false,"error":\#(String(reflecting: error.description))}"#)
    } else {
        FileHandle.standardError.write(Data("kioskctl: \(error)\n".utf8))
    }
    return ExitCode(1)
}

/// `kioskctl print sample-receipt`: a receipt with made-up data, to check the layout and the
/// paper; `--copies` prints it repeatedly (a burn-in, and the printing benchmark).
struct PrintSampleReceipt: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sample-receipt", abstract: "Print a receipt with made-up data to a CUPS queue.",
        discussion: "Each copy is laid out, rendered and sent anew, and counts once CUPS says it completed. Exit status: 0 all printed, 1 one failed."
    )

    @OptionGroup var cups: CUPSQueueOptions
    @Option(name: .long, help: "How many copies.")
    var copies = 1
    @Flag(name: .long, help: "Print the outcome as JSON.")
    var json = false

    struct Report: Codable {
        var queue: String
        var copies: Int
        var seconds: Double
        var millisecondsPerCopy: Double
        var bytesPerCopy: Int
    }

    func validate() throws {
        guard (1...10_000).contains(copies) else { throw ValidationError("--copies must be from 1 to 10000") }
    }

    func run() async throws {
        let printer = cups.printer
        let started = DispatchTime.now()
        var bytes = 0
        for copy in 1...copies {
            let job = try cups.job(ReceiptLayout.document(SampleReceipt.receipt()), title: "kioskctl sample receipt \(copy)")
            if case .raw(let data) = job.content { bytes = data.count } else if case .pdf(let data) = job.content { bytes = data.count }
            do throws(DeviceFailure) {
                _ = try await printer.print(job)
            } catch {
                FileHandle.standardError.write(
                    Data("kioskctl: copy \(copy) not printed: \(error.notice.code) — \(error.notice.forTechnician)\n".utf8))
                throw ExitCode(1)
            }
        }
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - started.uptimeNanoseconds) / 1e9
        let report = Report(
            queue: cups.queue, copies: copies, seconds: seconds, millisecondsPerCopy: seconds * 1000 / Double(copies), bytesPerCopy: bytes)
        if json {
            print(String(decoding: try APICoding.encoder().encode(report), as: UTF8.self))
        } else {
            print(
                String(
                    format: "%d cop%@ printed in %.2f s: %.1f ms each, %d bytes each", copies, copies == 1 ? "y" : "ies", seconds,
                    report.millisecondsPerCopy, bytes))
        }
    }
}
