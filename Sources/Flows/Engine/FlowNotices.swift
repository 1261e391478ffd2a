import Localized

/// What the flow itself tells the applicant (devices' notices are in `DeviceNotices`).
public enum FlowNotices {
    /// The chip refused the keys made from the QR code's or the typed details: the card on the
    /// reader is not the one those details describe (or they were mistyped).
    public static let identityContradicted = Notice(
        code: "identity.contradicted_by_card",
        message: LocalizedText(
            vi:
                "Thẻ trên đầu đọc không khớp với thông tin vừa quét hoặc nhập. Các thông tin đó đã được xoá. Vui lòng quét lại mã QR trên chính thẻ này, hoặc nhập đúng như in trên thẻ.",
            en:
                "The card on the reader does not match the details just scanned or typed, so they have been cleared. Please scan the QR code on this same card, or type the details exactly as printed on it."
        ),
        actor: .applicant, retryable: true)
}
