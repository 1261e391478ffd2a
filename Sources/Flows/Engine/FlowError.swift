import Foundation
public import Localized

/// Why an event was refused. The session is unchanged when one is thrown.
public struct FlowError: Error, Sendable, Hashable, CustomStringConvertible {
    /// A stable code, e.g. `flow.not_allowed`.
    public var code: String
    public var message: LocalizedText
    /// True when the event's own values were refused (HTTP 422); false when the event does
    /// not fit the session's state (409).
    public var isValidation: Bool
    /// The request field the refusal is about, when there is one (the screen marks it).
    public var field: String?

    public init(code: String, message: LocalizedText, isValidation: Bool = false, field: String? = nil) {
        self.code = code
        self.message = message
        self.isValidation = isValidation
        self.field = field
    }

    public var description: String { "\(code): \(message)" }

    static func notAllowed(_ event: FlowEvent, at step: Step) -> FlowError {
        FlowError(
            code: "flow.not_allowed",
            message: LocalizedText(
                vi: "Thao tác này không thực hiện được ở bước hiện tại. Vui lòng làm theo hướng dẫn trên màn hình.",
                en: "This action is not available at the current step (\(event.name) at \(step.rawValue)). Please follow the on-screen instructions.")
        )
    }

    static let closed = FlowError(
        code: "flow.session_closed",
        message: LocalizedText(
            vi: "Phiên làm việc đã kết thúc. Vui lòng bắt đầu lại từ màn hình chính.",
            en: "This session has ended. Please start again from the home screen."))

    static let busy = FlowError(
        code: "flow.device_busy",
        message: LocalizedText(
            vi: "Thiết bị đang xử lý, vui lòng chờ trong giây lát hoặc bấm Hủy.",
            en: "A device is still working; please wait a moment or press Cancel."))

    static let stale = FlowError(
        code: "flow.stale_result",
        message: LocalizedText(
            vi: "Kết quả thiết bị không còn phù hợp với bước hiện tại.",
            en: "The device result no longer matches the current step."))

    static let reprintNeedsStaff = FlowError(
        code: "flow.reprint_needs_staff",
        message: LocalizedText(
            vi: "Giấy tờ này đã được in. Nếu cần in thêm, vui lòng nhờ cán bộ tại quầy.",
            en: "This has already been printed. If you need another copy, please ask staff at the counter."))

    static func unknownProcedure(_ code: String) -> FlowError {
        FlowError(
            code: "flow.unknown_procedure",
            message: LocalizedText(
                vi: "Không tìm thấy thủ tục \(code). Vui lòng chọn thủ tục khác trong danh sách.",
                en: "Procedure \(code) was not found. Please choose another one from the list."))
    }

    /// A value in the event names nothing the procedure has (`what` in words, `field` the
    /// request's key).
    static func unknown(_ what: String, _ id: String, field: String) -> FlowError {
        FlowError(
            code: "flow.unknown_\(what.replacingOccurrences(of: " ", with: "_"))",
            message: LocalizedText(
                vi: "Không có mục \"\(id.prefix(60))\" trong thủ tục này.",
                en: "There is no \(what) \"\(id.prefix(60))\" in this procedure."),
            isValidation: true, field: field)
    }

    /// A value of the event that cannot be taken, named by its request key.
    static func invalid(_ field: String, _ what: LocalizedText) -> FlowError {
        FlowError(code: "flow.invalid_input", message: what, isValidation: true, field: field)
    }

    /// A scan or skip of a document other than the one whose turn it is.
    static func notCurrentDocument(_ id: String, current: RequiredDocument) -> FlowError {
        FlowError(
            code: "flow.not_current_document",
            message: LocalizedText(
                vi: "Đang đến lượt giấy tờ «\(current.name.vi)»; «\(id.prefix(60))» sẽ được quét khi đến lượt.",
                en: "It is the turn of “\(current.name.en)”; “\(id.prefix(60))” is scanned at its own turn."),
            field: "documentId")
    }
}
