import Devices
import Flows
import Foundation
import Printing

/// The print job for a sealed dossier's receipt or declaration, in the form the configured
/// printer takes: ESC/POS raster for thermal rolls, PDF for A4, text for the simulated printer.
struct Printouts: Sendable {
    let config: KioskConfig

    /// `centralCode`: the dossier code the central gave, once it has (a reprint prints it in
    /// place of the provisional reference).
    func job(_ kind: PrintKind, dossier: Dossier, procedure: Procedure, centralCode: String? = nil) throws -> PrintJob {
        let title = "\(kind.rawValue)-\(dossier.provisionalReference)"
        let receipt = Receipt(
            dossier: dossier, officeName: config.kiosk.officeName, timeLimitWorkingDays: procedure.timeLimitWorkingDays, centralCode: centralCode)
        let document = kind == .receipt ? ReceiptLayout.document(receipt) : DeclarationLayout.document(dossier, procedure: procedure)
        return try job(document, title: title)
    }

    /// A queue ticket, on the same printer.
    func ticketJob(_ ticket: QueueTicket) throws -> PrintJob {
        try job(TicketLayout.document(ticket, officeName: config.kiosk.officeName), title: "ticket-\(ticket.queue)-\(ticket.displayNumber)")
    }

    /// The printer's test page.
    func testPageJob() throws -> PrintJob {
        try job(TestPage.document(printer: config.printer.driver == .cups ? config.printer.destination : "simulated"), title: "test page")
    }

    private func job(_ document: PrintDocument, title: String) throws -> PrintJob {
        // Every printout goes through the real layout, whatever the printer: the simulated one
        // gets the same ESC/POS or PDF bytes a real one would, and the text beside them for a
        // person reading var/printed.
        let renderer = PrintRenderer()
        let transcript = config.printer.driver == .simulated ? document.plainText : nil
        switch config.printer.paper {
        case .a4:
            let pdf = try renderer.pdf(document, pageWidth: 595.28, pageHeight: 841.89, sideMargin: 56, title: title)
            return PrintJob(title: title, content: .pdf(pdf), transcript: transcript)
        case .mm80, .mm58:
            let paper: ESCPOS.Paper = config.printer.paper == .mm58 ? .mm58 : .mm80
            return PrintJob(title: title, content: .raw(ESCPOS.job(renderer.raster(document, width: paper.dots))), transcript: transcript)
        }
    }
}
