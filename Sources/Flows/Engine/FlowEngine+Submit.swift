import Foundation
import Localized

extension FlowEngine {
    func chooseDelivery(_ option: DeliveryOption, _ address: Address?, _ s: inout FlowSession) throws(FlowError) -> Transition {
        try require(.delivery, .chooseDelivery(option, address: address), s)
        guard try procedure(s).deliveryOptions.contains(option) else { throw .unknown("delivery option", option.rawValue, field: "option") }
        var selection = DeliverySelection(option: option)
        if option == .post {
            let field = FormField(
                id: "address", label: LocalizedText(vi: "Địa chỉ nhận kết quả", en: "Delivery address"),
                type: .address, required: true)
            switch FieldValidator.check(field, address.map(Answer.address), today: today) {
            case .accepted(.address(let clean)?): selection.address = clean
            case .rejected(let message): return reject([field.id: message], &s)
            case .accepted: return reject([field.id: LocalizedText(vi: "Vui lòng nhập địa chỉ.", en: "Please enter the address.")], &s)
            }
        }
        s.delivery = selection
        s.fieldErrors = [:]
        return Transition()
    }

    /// Checks the whole dossier once more; if complete, seals it and asks for the receipt.
    func submit(_ s: inout FlowSession) throws(FlowError) -> Transition {
        try require(.submit, .submit, s)
        let procedure = try procedure(s)
        guard let identity = s.identity else {
            s.step = .identify
            return try next(&s)
        }
        for index in procedure.form.pages.indices {
            let errors = validate(page: index, &s)
            if !errors.isEmpty {
                s.step = .form
                s.formPage = index
                s.returnToReview = true
                return reject(errors, &s)
            }
        }
        for (index, document) in procedure.documents.enumerated() {
            if let problem = documentProblem(document, s) {
                s.step = .documents
                s.documentIndex = index
                s.returnToReview = true
                return reject([document.id: problem], &s)
            }
        }
        guard let delivery = s.delivery else {
            s.step = .delivery
            return try next(&s)
        }
        let now = clock.now()
        let received = CivilDate(now)
        let uuid = makeUUID()
        let visibleAnswers = procedure.form.allFields.filter { s.isVisible($0) }.reduce(into: [String: Answer]()) {
            if let answer = s.answers[$1.id] { $0[$1.id] = answer }
        }
        let dossier = Dossier(
            clientUUID: uuid, sessionId: s.id, kioskId: kioskId,
            procedureCode: procedure.code, procedureVersion: procedure.version,
            procedureEffectiveDate: procedure.effectiveDate, procedureName: procedure.name,
            sealedAt: now, receivedOn: received,
            dueOn: calendar.dueDate(
                receivedAt: now, workingDays: procedure.timeLimitWorkingDays, sameDayCutoffMinutes: procedure.sameDayCutoffMinutes),
            provisionalReference: Self.provisionalReference(kioskId: kioskId, day: received, uuid: uuid),
            identity: identity, answers: visibleAnswers,
            documents: procedure.documents.map {
                DossierDocument(id: $0.id, name: $0.name, form: $0.form, copies: $0.copies, pageIds: (s.pages[$0.id] ?? []).map(\.id))
            },
            delivery: delivery, fees: procedure.fees, charges: procedure.charges(visibleAnswers))
        s.dossier = DossierSummary(
            clientUUID: uuid, provisionalReference: dossier.provisionalReference,
            sealedAt: now, receivedOn: received, dueOn: dossier.dueOn)
        s.status = .submitted
        s.step = .receipt
        s.pending = .print(.receipt)
        s.fieldErrors = [:]
        return Transition(actions: [.print(.receipt)], sealed: dossier)
    }

    /// `KIOSK-yyyyMMdd-XXXXXX`: readable over the phone, unique through the client UUID.
    static func provisionalReference(kioskId: String, day: CivilDate, uuid: UUID) -> String {
        let date = day.description.replacingOccurrences(of: "-", with: "")
        return "\(kioskId)-\(date)-\(uuid.uuidString.prefix(6))"
    }

    func reprint(_ kind: PrintKind, _ s: inout FlowSession) throws(FlowError) -> Transition {
        guard s.status == .submitted, [.receipt, .rating].contains(s.step) else { throw .notAllowed(.reprint(kind), at: s.step) }
        // One applicant reprint per failed print; a further copy is a technician's reprint.
        guard s.reprintable?.contains(kind) == true else { throw .reprintNeedsStaff }
        s.reprintable?.remove(kind)
        s.pending = .print(kind)
        return Transition(actions: [.print(kind)])
    }

    func rate(_ score: Int, _ comment: String?, _ s: inout FlowSession) throws(FlowError) -> Transition {
        try require(.rating, .rate(score: score, comment: comment), s)
        guard (1...5).contains(score) else {
            throw .invalid("score", LocalizedText(vi: "Vui lòng chọn từ 1 đến 5 sao.", en: "Please choose from 1 to 5 stars."))
        }
        let text = comment?.trimmingCharacters(in: .whitespacesAndNewlines)
        guard (text?.count ?? 0) <= 500 else {
            throw .invalid("comment", LocalizedText(vi: "Góp ý tối đa 500 ký tự.", en: "Comments are limited to 500 characters."))
        }
        s.rating = Rating(score: score, comment: text?.isEmpty == true ? nil : text)
        return end(&s)
    }
}
