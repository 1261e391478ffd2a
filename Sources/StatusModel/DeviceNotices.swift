public import Localized

/// Every device problem the kiosk can report, with who must act and what to do.
/// One place, so that drivers of the same kind say the same thing for the same fault.
public enum DeviceNotices {
    public static let scannerFeederEmpty = Notice(
        code: "scanner.feeder_empty",
        message: LocalizedText(
            vi: "Khay nạp giấy đang trống. Vui lòng đặt giấy tờ vào khay, mặt cần quét úp xuống, rồi bấm Quét.",
            en: "The document feeder is empty. Please put your pages in the feeder, face down, then press Scan."),
        actor: .applicant, retryable: true)
    public static let scannerJammed = Notice(
        code: "scanner.jammed",
        message: LocalizedText(
            vi: "Máy quét bị kẹt giấy. Các trang đã quét vẫn được giữ lại. Vui lòng nhờ cán bộ hỗ trợ gỡ giấy, rồi quét tiếp.",
            en: "The scanner has a paper jam. Pages already scanned are kept. Please ask staff to clear it, then continue scanning."),
        actor: .staff, retryable: true)
    public static let scannerCoverOpen = Notice(
        code: "scanner.cover_open",
        message: LocalizedText(
            vi: "Nắp máy quét đang mở. Vui lòng đóng nắp rồi bấm Quét lại.",
            en: "The scanner cover is open. Please close it and press Scan again."),
        actor: .applicant, retryable: true)
    public static let scannerBusy = Notice(
        code: "scanner.busy",
        message: LocalizedText(
            vi: "Máy quét đang bận. Vui lòng chờ vài giây rồi thử lại.",
            en: "The scanner is busy. Please wait a few seconds and try again."),
        actor: .applicant, retryable: true)
    public static let scannerUnavailable = Notice(
        code: "scanner.unavailable",
        message: LocalizedText(
            vi: "Máy quét tạm thời không hoạt động. Vui lòng liên hệ cán bộ tại quầy; kỹ thuật viên đã được báo.",
            en: "The scanner is not working at the moment. Please ask staff at the counter; a technician has been alerted."),
        actor: .technician, retryable: false)
    public static let scannerCancelled = Notice(
        code: "scanner.cancelled",
        message: LocalizedText(
            vi: "Đã dừng quét. Các trang đã quét xong vẫn được giữ lại.",
            en: "Scanning was stopped. Pages already scanned are kept."),
        actor: .applicant, retryable: true)
    public static let printCancelled = Notice(
        code: "printer.cancelled",
        message: LocalizedText(
            vi: "Đã dừng in. Chưa có trang nào được in; bạn có thể in lại.",
            en: "Printing was stopped. Nothing was printed; you can print again."),
        actor: .applicant, retryable: true)
    public static let scannerTimedOut = Notice(
        code: "scanner.timed_out",
        message: LocalizedText(
            vi: "Máy quét không phản hồi nên đã dừng. Vui lòng thử quét lại; nếu vẫn lỗi, liên hệ cán bộ.",
            en: "The scanner stopped responding, so scanning was stopped. Please try again; if it fails again, ask staff."),
        actor: .staff, retryable: true)

    public static let printerPaperOut = Notice(
        code: "printer.paper_out",
        message: LocalizedText(
            vi: "Máy in hết giấy. Hồ sơ của ông/bà đã được tiếp nhận. Vui lòng báo cán bộ thay giấy, rồi bấm In lại để nhận giấy biên nhận.",
            en:
                "The printer is out of paper. Your dossier has been received. Please ask staff to load paper, then press Print again for your receipt."
        ),
        actor: .staff, retryable: true)
    public static let printerJammed = Notice(
        code: "printer.jammed",
        message: LocalizedText(
            vi: "Máy in bị kẹt giấy. Hồ sơ đã được tiếp nhận; vui lòng báo cán bộ để in lại giấy biên nhận.",
            en: "The printer has a paper jam. Your dossier has been received; please tell staff so the receipt can be reprinted."),
        actor: .staff, retryable: true)
    public static let printerCoverOpen = Notice(
        code: "printer.cover_open",
        message: LocalizedText(
            vi: "Nắp máy in đang mở. Vui lòng báo cán bộ đóng nắp để in lại.",
            en: "The printer cover is open. Please ask staff to close it so printing can resume."),
        actor: .staff, retryable: true)
    public static let printerPaperLow = Notice(
        code: "printer.paper_low",
        message: LocalizedText(
            vi: "Máy in sắp hết giấy. Vui lòng báo cán bộ thay cuộn giấy mới.",
            en: "The printer is running low on paper. Please ask staff to load a new roll."),
        actor: .staff, retryable: true)
    public static let printerStopped = Notice(
        code: "printer.stopped",
        message: LocalizedText(
            vi: "Máy in đang tạm dừng. Hồ sơ đã được tiếp nhận; vui lòng báo cán bộ để bật lại máy in và in lại giấy biên nhận.",
            en: "The printer is paused. Your dossier has been received; please ask staff to restart the printer and reprint the receipt."),
        actor: .technician, retryable: true)
    /// The job could not be recorded before printing (the store refused it), so it was not sent.
    public static let printerNotRecorded = Notice(
        code: "printer.not_recorded",
        message: LocalizedText(
            vi: "Không ghi nhận được lệnh in nên chưa in. Vui lòng thử in lại; nếu vẫn lỗi, báo cán bộ.",
            en: "The print could not be recorded, so nothing was printed. Please try again; if it fails again, tell staff."),
        actor: .staff, retryable: true)
    public static let printerOffline = Notice(
        code: "printer.offline",
        message: LocalizedText(
            vi: "Máy in không kết nối. Hồ sơ đã được tiếp nhận; vui lòng ghi lại mã hồ sơ trên màn hình và báo cán bộ.",
            en: "The printer is offline. Your dossier has been received; please note the dossier code on the screen and tell staff."),
        actor: .technician, retryable: true)

    public static let cardNotPresent = Notice(
        code: "card.not_present",
        message: LocalizedText(
            vi: "Chưa thấy thẻ căn cước. Vui lòng đặt thẻ nằm yên trên đầu đọc và giữ nguyên cho đến khi có thông báo.",
            en: "No ID card found. Please lay your card flat on the reader and leave it there until you are told."),
        actor: .applicant, retryable: true)
    public static let cardRemoved = Notice(
        code: "card.removed",
        message: LocalizedText(
            vi: "Thẻ đã bị nhấc ra trong khi đọc. Vui lòng đặt lại thẻ và giữ yên khoảng 5 giây.",
            en: "The card was lifted while being read. Please put it back and keep it still for about 5 seconds."),
        actor: .applicant, retryable: true)
    public static let cardAccessDenied = Notice(
        code: "card.access_denied",
        message: LocalizedText(
            vi: "Không mở được chip với số CCCD và ngày sinh đã nhập. Vui lòng kiểm tra lại các số này.",
            en: "The chip could not be opened with the ID number and date of birth given. Please check them."),
        actor: .applicant, retryable: true)
    public static let cardReaderUnavailable = Notice(
        code: "card.reader_unavailable",
        message: LocalizedText(
            vi: "Đầu đọc thẻ không hoạt động. Ông/bà có thể quét mã QR trên thẻ hoặc nhập thông tin bằng tay.",
            en: "The card reader is not working. You can scan the QR code on your card or type your details instead."),
        actor: .technician, retryable: false)

    public static let cardKeysNeeded = Notice(
        code: "card.keys_needed",
        message: LocalizedText(
            vi: "Để mở chip của thẻ, vui lòng quét mã QR ở mặt trước thẻ, hoặc nhập số CCCD và ngày sinh.",
            en: "To open the card's chip, please scan the QR code on the front of the card, or type your ID number and date of birth."),
        actor: .applicant, retryable: true)
    public static let cardExpiryNeeded = Notice(
        code: "card.expiry_needed",
        message: LocalizedText(
            vi: "Không suy ra được ngày hết hạn của thẻ. Vui lòng nhập ngày hết hạn in ở mặt trước thẻ (mục Có giá trị đến).",
            en: "The card's expiry date could not be worked out. Please type the date printed on the front of the card (\"Date of expiry\")."),
        actor: .applicant, retryable: true)
    public static let cardUnreadable = Notice(
        code: "card.unreadable",
        message: LocalizedText(
            vi:
                "Không đọc được chip của thẻ. Vui lòng nhấc thẻ ra, đặt lại nằm yên giữa đầu đọc. Nếu vẫn không được, hãy quét mã QR trên thẻ hoặc nhập thông tin.",
            en:
                "The card's chip could not be read. Please lift the card and lay it flat in the middle of the reader. If that fails, scan the QR code on the card or type your details."
        ),
        actor: .applicant, retryable: true)
    public static let cardTimedOut = Notice(
        code: "card.timed_out",
        message: LocalizedText(
            vi: "Thẻ không trả lời kịp. Vui lòng nhấc thẻ ra rồi đặt lại và giữ yên khoảng 5 giây.",
            en: "The card did not answer in time. Please lift it, put it back and keep it still for about 5 seconds."),
        actor: .applicant, retryable: true)
    public static let cardNotAuthentic = Notice(
        code: "card.not_authentic",
        message: LocalizedText(
            vi: "Dữ liệu trong chip không khớp với chữ ký của cơ quan cấp thẻ, nên không thể dùng. Vui lòng đến quầy để cán bộ hỗ trợ.",
            en: "The data in the chip does not match the issuer's signature, so it cannot be used. Please go to the counter for help."),
        actor: .staff, retryable: false)
    public static let cardReaderUnsupported = Notice(
        code: "card.reader_unsupported",
        message: LocalizedText(
            vi: "Đầu đọc thẻ này chưa được hỗ trợ. Ông/bà có thể quét mã QR trên thẻ hoặc nhập thông tin bằng tay.",
            en: "This card reader is not supported. You can scan the QR code on your card or type your details instead."),
        actor: .technician, retryable: false)
    public static let cardReadCancelled = Notice(
        code: "card.read_cancelled",
        message: LocalizedText(
            vi: "Đã dừng đọc thẻ.", en: "Card reading stopped."),
        actor: .applicant, retryable: true)

    public static func unknownFault(_ name: String, allowed: [String]) -> Notice {
        Notice(
            code: "device.unknown_fault",
            message: LocalizedText(
                vi: "Không có lỗi giả lập tên \"\(name.prefix(40))\". Các giá trị: \(allowed.joined(separator: ", ")).",
                en: "No simulated fault called \"\(name.prefix(40))\". Expected one of: \(allowed.joined(separator: ", ")).",
            ), actor: .technician, retryable: false)
    }
}
