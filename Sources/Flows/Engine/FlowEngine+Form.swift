import Foundation
import Localized

extension FlowEngine {
    /// Stores answers for fields of the current page. Values are checked on `next`.
    func answer(_ answers: [String: Answer], _ s: inout FlowSession) throws(FlowError) -> Transition {
        try require(.form, .answer(answers), s)
        let page = try procedure(s).form.pages[s.formPage]
        for (id, value) in answers {
            guard let field = page.fields.first(where: { $0.id == id }) else { throw .unknown("field", id, field: "answers.\(id.prefix(60))") }
            let length: Int? =
                switch value {
                case .text(let text): text.count > 4_000 ? 4_000 : nil
                case .address(let address): address.oneLine.count > 1_000 ? 1_000 : nil
                default: nil
                }
            if let length {
                throw .invalid(
                    "answers.\(id)",
                    LocalizedText(
                        vi: "«\(field.label.vi)» quá dài: tối đa \(length) ký tự.",
                        en: "“\(field.label.en)” is too long: at most \(length) characters."))
            }
        }
        for (id, value) in answers {
            s.answers[id] = value
            s.prefilled.remove(id)
            s.fieldErrors[id] = nil
        }
        return Transition()
    }

    /// Checks the visible fields of form page `index`, storing canonical answers; returns the
    /// messages for those that fail.
    func validate(page index: Int, _ s: inout FlowSession) -> [String: LocalizedText] {
        guard let page = s.procedure?.form.pages[index] else { return [:] }
        var errors: [String: LocalizedText] = [:]
        for field in page.fields where s.isVisible(field) {
            switch FieldValidator.check(field, s.answers[field.id], today: today) {
            case .accepted(let value): s.answers[field.id] = value
            case .rejected(let message): errors[field.id] = message
            }
        }
        return errors
    }
}
