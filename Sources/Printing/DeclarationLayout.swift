public import Flows
import Localized

/// The declaration as the applicant answered it, to read over and sign.
public enum DeclarationLayout {
    public static func document(_ dossier: Dossier, procedure: Procedure) -> PrintDocument {
        var blocks: [PrintDocument.Block] = [
            .text("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", bold: true, alignment: .center),
            .text("Độc lập - Tự do - Hạnh phúc", bold: true, alignment: .center),
            .space(0.5),
            .text("TỜ KHAI — \(procedure.name.vi.uppercased())", bold: true, alignment: .center, scale: 1.15),
            .text("Mã hồ sơ: \(dossier.provisionalReference)", alignment: .center),
            .space(0.5),
            .field(label: "Người khai", value: dossier.identity.fullName),
        ]
        for field in procedure.form.allFields {
            // Labels of choices and dd/MM/yyyy dates, in the declaration's language (Vietnamese).
            if let answer = dossier.answers[field.id] { blocks.append(.field(label: field.label.vi, value: field.displayValue(answer, in: .vi))) }
        }
        blocks += [
            .space(1),
            .text("Tôi cam đoan những nội dung khai trên đây là đúng sự thật và chịu trách nhiệm trước pháp luật về lời khai của mình."),
            .space(1),
            .text("NGƯỜI KHAI", bold: true, alignment: .center),
            .text("(Ký, ghi rõ họ, chữ đệm, tên)", alignment: .center, scale: 0.85),
            .space(4),
        ]
        return PrintDocument(blocks)
    }
}
