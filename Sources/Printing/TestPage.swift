public import Foundation

/// The printer test page: every Vietnamese tone mark on every vowel, bold and regular text,
/// a rule, and a QR code — what a technician looks at to judge a printer.
public enum TestPage {
    public static func document(printer: String, printedAt: Date = Date()) -> PrintDocument {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "vi_VN")
        formatter.timeZone = TimeZone(identifier: "Asia/Ho_Chi_Minh")
        formatter.dateFormat = "HH:mm dd/MM/yyyy"
        return PrintDocument([
            .text("TRANG IN THỬ — PRINTER TEST", bold: true, alignment: .center, scale: 1.15),
            .rule,
            .field(label: "Máy in", value: printer),
            .field(label: "Thời gian", value: formatter.string(from: printedAt)),
            .text("a á à ả ã ạ ă ắ ằ ẳ ẵ ặ â ấ ầ ẩ ẫ ậ đ e é è ẻ ẽ ẹ ê ế ề ể ễ ệ"),
            .text("i í ì ỉ ĩ ị o ó ò ỏ õ ọ ô ố ồ ổ ỗ ộ ơ ớ ờ ở ỡ ợ u ú ù ủ ũ ụ ư ứ ừ ử ữ ự y ý ỳ ỷ ỹ ỵ"),
            .text("Ă Â Đ Ê Ô Ơ Ư — Nguyễn Thị Thử Nghiệm, Hà Nội", bold: true),
            .text("0123456789 ABCDEFGHIJKLMNOPQRSTUVWXYZ"),
            .rule,
            .qr(payload: "KIOSK-PRINTER-TEST", caption: "KIOSK-PRINTER-TEST"),
        ])
    }
}
