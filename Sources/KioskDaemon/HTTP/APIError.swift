import Flows
import Foundation
import Hummingbird
import KioskAPI
import KioskStore
import Localized

/// An error answered as JSON `{code, message: {vi, en}, fields?}` with its HTTP status.
struct APIError: Error, HTTPResponseError {
    var status: HTTPResponse.Status
    var body: APIErrorBody

    init(
        _ status: HTTPResponse.Status, code: String, vi: String, en: String, fields: [String: LocalizedText]? = nil, detail: String? = nil
    ) {
        self.status = status
        body = APIErrorBody(code: code, message: LocalizedText(vi: vi, en: en), fields: fields, detail: detail)
    }

    func response(from request: Request, context: some RequestContext) throws -> Response {
        var data = (try? APICoding.encoder().encode(body)) ?? Data(#"{"code":"internal"}"#.utf8)
        data.append(0x0A)
        return Response(
            status: status, headers: [.contentType: "application/json; charset=utf-8"],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: data)))
    }

    static func badRequest(_ detail: String) -> APIError {
        APIError(
            .badRequest, code: "request.malformed",
            vi: "Yêu cầu không hợp lệ.", en: "The request is not valid: \(detail)")
    }

    /// A service's refusal, with the status that says who is at fault.
    init(_ refusal: KioskError) {
        switch refusal {
        case .sessionNotFound:
            self.init(
                .notFound, code: "session.not_found",
                vi: "Không tìm thấy phiên làm việc. Vui lòng bắt đầu lại từ màn hình chính.",
                en: "Session not found. Please start again from the home screen.")
        case .dossierNotFound:
            self.init(.notFound, code: "dossier.not_found", vi: "Không tìm thấy hồ sơ với mã này.", en: "No sealed dossier has this id.")
        case .procedureNotFound(let code):
            self.init(
                .notFound, code: "procedure.not_found", vi: "Không có thủ tục \(code.prefix(40)).", en: "There is no procedure \(code.prefix(40)).")
        case .queueNotFound(let id, let known):
            let list = known.joined(separator: ", ")
            self.init(
                .notFound, code: "queue.not_found", vi: "Không có hàng chờ \"\(id.prefix(40))\". Các hàng: \(list).",
                en: "No queue \"\(id.prefix(40))\". Queues: \(list).")
        case .queueEmpty(let service):
            self.init(
                .conflict, code: "queue.empty", vi: "Không còn ai chờ ở hàng \(service.vi).", en: "Nobody is waiting in the \(service.en) queue.")
        case .deviceNotSimulated(let id):
            self.init(
                .conflict, code: "device.not_simulated", vi: "Chỉ thiết bị giả lập mới nhận lỗi giả lập.",
                en: "Only simulated devices accept injected faults; \"\(id.prefix(40))\" is not one.")
        case .invalidValue(let field, let expected):
            self = .badRequest("\(field) must be one of \(expected)")
        case .device(let notice):
            self.init(.serviceUnavailable, code: notice.code, vi: notice.message.vi, en: notice.message.en, detail: notice.detail)
        case .deviceRefused(let notice):
            self.init(.badRequest, code: notice.code, vi: notice.message.vi, en: notice.message.en, detail: notice.detail)
        case .technicianOnly(let what):
            self.init(
                .forbidden, code: "request.technician_only", vi: "Chức năng này chỉ dành cho kỹ thuật viên.",
                en: "This is for technicians only (\(what)): kioskctl on the kiosk serves it, through kioskd's Unix socket (technician.socket).")
        case .invalidCentralURL(let url, let why):
            self.init(
                .badRequest, code: "link.invalid_url", vi: "Địa chỉ máy chủ trung tâm không hợp lệ.", en: "The central's address is not accepted.",
                detail: "\(url.prefix(200)): \(why)")
        case .enrolmentFailed(let code, let detail):
            self.init(
                .badGateway, code: "link.enrolment_failed", vi: "Không đăng ký được với máy chủ trung tâm.", en: "Enrolment with the central failed.",
                detail: "\(code): \(detail)")
        case .outOfService:
            self.init(
                .serviceUnavailable, code: "kiosk.out_of_service",
                vi: "Ki-ốt đang tạm ngừng phục vụ để bảo trì. Xin mời quý vị đến quầy tiếp nhận.",
                en: "This kiosk is out of service for maintenance. Please go to the reception counter.")
        case .outboxRowNotFound:
            self.init(
                .notFound, code: "outbox.not_found", vi: "Không có hồ sơ này trong hàng đợi gửi.",
                en: "No outbox row for this dossier in that state (see kioskctl outbox).")
        }
    }

    /// The refusal of a flow event: 409, as the session's state does not allow it now.
    /// 422 when the event's values were refused (naming the field), 409 when the event does
    /// not fit the session's step or state.
    init(_ refusal: FlowError) {
        self.init(
            refusal.isValidation ? .unprocessableContent : .conflict, code: refusal.code, vi: refusal.message.vi, en: refusal.message.en,
            fields: refusal.field.map { [$0: refusal.message] })
    }

    /// A storage failure: the applicant is told to ask staff; the technician reads the code.
    init(_ failure: StoreError) {
        switch failure.kind {
        case .diskFull:
            self.init(
                .insufficientStorage, code: "store.disk_full",
                vi: "Ki-ốt tạm thời không lưu được dữ liệu. Những gì ông/bà đã khai trước đó vẫn được giữ. Vui lòng báo cán bộ.",
                en: "The kiosk cannot save data at the moment. What you entered before is kept. Please tell staff.")
        case .busy:
            self.init(
                .serviceUnavailable, code: "store.busy",
                vi: "Ki-ốt đang bận, vui lòng thử lại sau giây lát.", en: "The kiosk is busy; please try again in a moment.")
        default:
            self.init(
                .internalServerError, code: "store.\(failure.kind.rawValue)",
                vi: "Ki-ốt gặp lỗi lưu trữ. Vui lòng báo cán bộ.", en: "The kiosk has a storage fault. Please tell staff.")
        }
    }
}

extension HTTPResponse.Status {
    static let insufficientStorage = HTTPResponse.Status(code: 507, reasonPhrase: "Insufficient Storage")
}
