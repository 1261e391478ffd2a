public import Localized

/// A 422 answer: the event was stored (answers kept) but the step did not advance.
public struct RejectedEvent: Codable, Sendable {
    public var code = "flow.validation_failed"
    public var message = LocalizedText(vi: "Vui lòng kiểm tra lại các mục được đánh dấu.", en: "Please check the highlighted fields.")
    public var session: SessionScreen
    public var fields: [String: LocalizedText]

    public init(session: SessionScreen, rejected: [String: LocalizedText]) {
        self.session = session
        fields = rejected
    }
}
