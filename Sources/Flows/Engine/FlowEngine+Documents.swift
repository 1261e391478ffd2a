import Foundation
import Localized

extension FlowEngine {
    func documentEvent(_ event: FlowEvent, _ s: inout FlowSession) throws(FlowError) -> Transition {
        try require(.documents, event, s)
        let document = try procedure(s).documents[s.documentIndex]
        switch event {
        case .scan(let id):
            guard id == document.id else { throw .notCurrentDocument(id, current: document) }
            s.skippedDocuments.remove(id)
            s.pending = .scan(documentId: id)
            s.fieldErrors = [:]
            return Transition(actions: [.scan(documentId: id, profile: document.scan)])
        case .removePage(let id, let pageId):
            guard id == document.id, let index = s.pages[id]?.firstIndex(where: { $0.id == pageId }) else {
                throw .unknown("page", pageId.uuidString, field: "pageId")
            }
            s.pages[id]?.remove(at: index)
            return Transition()
        case .skipDocument(let id):
            guard id == document.id else { throw .notCurrentDocument(id, current: document) }
            guard !document.required else {
                return reject(
                    [id: LocalizedText(vi: "Giấy tờ này là bắt buộc, không thể bỏ qua.", en: "This document is required and cannot be skipped.")], &s)
            }
            s.skippedDocuments.insert(id)
            s.pages[id] = nil
            advanceDocument(&s)
            return Transition()
        default:
            throw .notAllowed(event, at: s.step)
        }
    }

    /// Why the applicant cannot move past `document` yet, if anything.
    func documentProblem(_ document: RequiredDocument, _ s: FlowSession) -> LocalizedText? {
        let scanned = !(s.pages[document.id] ?? []).isEmpty
        if scanned || s.skippedDocuments.contains(document.id) { return nil }
        if document.required {
            return LocalizedText(
                vi: "Vui lòng quét «\(document.name.vi)» trước khi tiếp tục.",
                en: "Please scan “\(document.name.en)” before continuing.")
        }
        return LocalizedText(
            vi: "Vui lòng quét «\(document.name.vi)» hoặc bấm «Không nộp giấy tờ này».",
            en: "Please scan “\(document.name.en)” or press “I don't have this document”.")
    }

    func advanceDocument(_ s: inout FlowSession) {
        if s.returnToReview {
            toReview(&s)
        } else {
            enterDocuments(at: s.documentIndex + 1, &s)
        }
    }
}
