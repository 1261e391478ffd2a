import Flows
import Foundation
import KioskAPI
import Localized

extension EventRequest {
    /// The flow event, or a 400 naming what is missing.
    func event() throws -> FlowEvent {
        func need<T>(_ value: T?, _ name: String) throws -> T {
            guard let value else { throw APIError.badRequest("\"\(type)\" needs the field \"\(name)\"") }
            return value
        }
        switch type {
        case "choose_procedure": return .chooseProcedure(code: try need(code, "code"))
        case "read_id_card": return .readIDCard
        case "identify_qr": return .identifyByQRCode(payload: try need(payload, "payload"))
        case "card_expiry": return .setCardExpiry(dateOfExpiry: try need(dateOfExpiry, "dateOfExpiry"))
        case "identify_typed":
            return .identifyTyped(
                idNumber: try need(idNumber, "idNumber"), fullName: try need(fullName, "fullName"),
                dateOfBirth: try need(dateOfBirth, "dateOfBirth"), sex: sex)
        case "answer":
            let answers = try need(answers, "answers")
            guard answers.count <= 200 else { throw APIError.badRequest("too many answers in one event") }
            return .answer(answers)
        case "next": return .next
        case "back": return .back
        case "edit": return .edit(step: try need(step, "step"), index: index ?? 0)
        case "scan": return .scan(documentId: try need(documentId, "documentId"))
        case "remove_page": return .removePage(documentId: try need(documentId, "documentId"), pageId: try need(pageId, "pageId"))
        case "skip_document": return .skipDocument(documentId: try need(documentId, "documentId"))
        case "cancel_device_action": return .cancelDeviceAction
        case "choose_delivery": return .chooseDelivery(try need(option, "option"), address: address)
        case "submit": return .submit
        case "reprint": return .reprint(try need(kind, "kind"))
        case "rate": return .rate(score: try need(score, "score"), comment: comment)
        case "set_language": return .setLanguage(try need(language, "language"))
        case "still_here": return .stillHere
        case "cancel": return .cancel
        default:
            throw APIError.badRequest("unknown event type \"\(type.prefix(40))\"; expected one of \(Self.types.joined(separator: ", "))")
        }
    }
}
