public import Flows

/// The receipt and appointment slip (Mẫu 01) as a printable document: office, title, dossier
/// code (marked when provisional), applicant, documents received, time limit, when received
/// and due, where to collect, and a QR code to track the dossier.
public enum ReceiptLayout {
    /// `trackingURL`: what the QR code opens (the dossier's page on the public service
    /// portal); nil prints the dossier code itself in the QR code.
    public static func document(_ receipt: Receipt, trackingURL: String? = nil) -> PrintDocument {
        var blocks: [PrintDocument.Block] = [
            .text(receipt.officeName, bold: true, alignment: .center),
            .rule,
            .text(Receipt.title, bold: true, alignment: .center, scale: 1.15),
            .space(0.3),
            .text(receipt.codeLine, bold: true),
        ]
        blocks += receipt.applicantFields.map { .field(label: $0.label, value: $0.value) }
        blocks.append(.text("Thành phần hồ sơ:", bold: true))
        for (index, document) in receipt.documents.enumerated() {
            blocks.append(.text("\(index + 1). \(document.name) — \(document.pages) trang"))
        }
        blocks += receipt.appointmentFields.map { .field(label: $0.label, value: $0.value) }
        blocks.append(.space(0.5))
        blocks.append(.qr(payload: trackingURL ?? receipt.dossierCode, caption: "Tra cứu hồ sơ: \(receipt.dossierCode)"))
        blocks.append(.text("Vui lòng mang theo giấy này khi nhận kết quả.", alignment: .center, scale: 0.85))
        return PrintDocument(blocks)
    }
}
