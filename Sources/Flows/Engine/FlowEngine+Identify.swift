import Foundation
import Localized

extension FlowEngine {
    func identify(_ event: FlowEvent, _ s: inout FlowSession) throws(FlowError) -> Transition {
        try require(.identify, event, s)
        switch event {
        case .readIDCard:
            s.pending = .readIDCard
            return Transition(actions: [.readIDCard])
        case .identifyByQRCode(let payload):
            switch CardQRCode.read(payload, today: today) {
            case .success(let identity):
                setIdentity(identity, &s)
                return Transition()
            case .failure(let problem):
                return reject([problem.field: problem.message], &s)
            }
        case .setCardExpiry(let text):
            guard let expiry = CivilDate(parsing: text), expiry >= today, expiry.year <= today.year + 100 else {
                return reject(
                    [
                        "dateOfExpiry": LocalizedText(
                            vi: "Ngày hết hạn không hợp lệ. Vui lòng nhập ngày in ở mục Có giá trị đến, dạng ngày/tháng/năm.",
                            en: "The expiry date is not valid. Please enter the date printed under \"Date of expiry\", as day/month/year.")
                    ], &s)
            }
            s.cardExpiry = expiry
            s.fieldErrors = [:]
            return Transition()
        case .identifyTyped(let idNumber, let fullName, let dateOfBirth, let sex):
            var errors: [String: LocalizedText] = [:]
            let name = (try? PersonName.validate(fullName.trimmingCharacters(in: .whitespaces)).get()) ?? ""
            if name.isEmpty {
                errors["fullName"] = LocalizedText(
                    vi: "Vui lòng nhập họ, chữ đệm và tên như trên thẻ căn cước (chỉ gồm chữ cái).",
                    en: "Please type your full name as printed on your ID card (letters only).")
            }
            let birth = CivilDate(parsing: dateOfBirth)
            if birth == nil || birth! > today {
                errors["dateOfBirth"] = LocalizedText(
                    vi: "Ngày sinh không hợp lệ. Vui lòng nhập theo dạng ngày/tháng/năm.",
                    en: "The date of birth is not valid. Please enter day/month/year.")
            }
            switch CitizenID.validate(idNumber, birthDate: birth, sex: sex, today: today) {
            case .success(let id) where errors.isEmpty:
                setIdentity(Identity(assurance: .typed, idNumber: id.digits, fullName: name, dateOfBirth: birth!, sex: sex ?? id.sex), &s)
                return Transition()
            case .success: break
            case .failure(let problem): errors["idNumber"] = FieldValidator.message(for: problem)
            }
            return reject(errors, &s)
        default:
            throw .notAllowed(event, at: s.step)
        }
    }

    private func setIdentity(_ identity: Identity, _ s: inout FlowSession) {
        s.identity = identity
        s.fieldErrors = [:]
        prefill(&s)
    }

    /// Copies identity data into prefillable fields the applicant has not answered themselves.
    func prefill(_ s: inout FlowSession) {
        guard let identity = s.identity, let form = s.procedure?.form else { return }
        for field in form.allFields {
            guard let key = field.prefill, var value = identity.prefill(key) else { continue }
            guard s.answers[field.id] == nil || s.prefilled.contains(field.id) else { continue }
            if field.type == .address, case .text(let text) = value {
                // The card's residence is free text: what matches today's province and commune
                // is prefilled; the rest (an address from before the 2025 reform) is the
                // applicant's to choose.
                value = .address(Address(cardText: text))
            }
            s.answers[field.id] = value
            s.prefilled.insert(field.id)
        }
    }
}
