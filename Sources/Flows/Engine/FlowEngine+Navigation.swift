import Localized

extension FlowEngine {
    /// Forward: validates the current screen, then moves on. Answers are kept either way.
    func next(_ s: inout FlowSession) throws(FlowError) -> Transition {
        let procedure = try procedure(s)
        s.fieldErrors = [:]
        switch s.step {
        case .identify:
            guard s.identity != nil else {
                return reject(
                    [
                        "identity": LocalizedText(
                            vi: "Vui lòng đặt thẻ căn cước lên đầu đọc, quét mã QR trên thẻ, hoặc nhập thông tin.",
                            en: "Please place your ID card on the reader, scan the QR code on the card, or type your details.")
                    ], &s)
            }
            s.returnToReview ? toReview(&s) : enterForm(at: 0, &s)
        case .form:
            let errors = validate(page: s.formPage, &s)
            guard errors.isEmpty else { return reject(errors, &s) }
            if s.returnToReview {
                toReview(&s)
            } else if s.formPage + 1 < procedure.form.pages.count {
                s.formPage += 1
            } else {
                enterDocuments(at: 0, &s)
            }
        case .documents:
            if let error = documentProblem(procedure.documents[s.documentIndex], s) {
                return reject([procedure.documents[s.documentIndex].id: error], &s)
            }
            advanceDocument(&s)
        case .review:
            s.step = procedure.fees.isEmpty ? .delivery : .fee
        case .fee:
            s.feeAcknowledged = true
            s.step = .delivery
        case .delivery:
            guard s.delivery != nil else {
                return reject(
                    ["delivery": LocalizedText(vi: "Vui lòng chọn nơi nhận kết quả.", en: "Please choose where to receive the result.")], &s)
            }
            s.step = .submit
        case .receipt:
            s.step = .rating
        case .rating:
            return end(&s)
        case .chooseProcedure, .submit, .finished:
            throw .notAllowed(.next, at: s.step)
        }
        return Transition()
    }

    /// Backward, without validation and without losing anything entered.
    func back(_ s: inout FlowSession) throws(FlowError) -> Transition {
        let procedure = try procedure(s)
        s.fieldErrors = [:]
        s.returnToReview = false
        switch s.step {
        case .identify: s.step = .chooseProcedure
        case .form:
            if s.formPage > 0 { s.formPage -= 1 } else { s.step = .identify }
        case .documents:
            if s.documentIndex > 0 { s.documentIndex -= 1 } else { leaveBackwardFromDocuments(procedure, &s) }
        case .review:
            if !procedure.documents.isEmpty {
                s.step = .documents
                s.documentIndex = procedure.documents.count - 1
            } else {
                leaveBackwardFromDocuments(procedure, &s)
            }
        case .fee: s.step = .review
        case .delivery: s.step = procedure.fees.isEmpty ? .review : .fee
        case .submit: s.step = .delivery
        case .chooseProcedure, .receipt, .rating, .finished:
            throw .notAllowed(.back, at: s.step)
        }
        return Transition()
    }

    /// From review (or any later screen before sealing): jump to a screen to correct it.
    func edit(_ step: Step, _ index: Int, _ s: inout FlowSession) throws(FlowError) -> Transition {
        let procedure = try procedure(s)
        guard [.review, .fee, .delivery, .submit].contains(s.step) else { throw .notAllowed(.edit(step: step, index: index), at: s.step) }
        switch step {
        case .identify: s.step = .identify
        case .form where procedure.form.pages.indices.contains(index):
            s.step = .form
            s.formPage = index
        case .documents where procedure.documents.indices.contains(index):
            s.step = .documents
            s.documentIndex = index
        case .delivery: s.step = .delivery
        default: throw .notAllowed(.edit(step: step, index: index), at: s.step)
        }
        s.returnToReview = step != .delivery
        s.fieldErrors = [:]
        return Transition()
    }

    func reject(_ errors: [String: LocalizedText], _ s: inout FlowSession) -> Transition {
        s.fieldErrors = errors
        return Transition(rejected: errors)
    }

    func enterForm(at page: Int, _ s: inout FlowSession) {
        if let procedure = s.procedure, procedure.form.pages.indices.contains(page) {
            s.step = .form
            s.formPage = page
        } else {
            enterDocuments(at: 0, &s)
        }
    }

    func enterDocuments(at index: Int, _ s: inout FlowSession) {
        if let procedure = s.procedure, procedure.documents.indices.contains(index) {
            s.step = .documents
            s.documentIndex = index
        } else {
            toReview(&s)
        }
    }

    func toReview(_ s: inout FlowSession) {
        s.returnToReview = false
        s.step = .review
    }

    private func leaveBackwardFromDocuments(_ procedure: Procedure, _ s: inout FlowSession) {
        if procedure.form.pages.isEmpty {
            s.step = .identify
        } else {
            s.step = .form
            s.formPage = procedure.form.pages.count - 1
        }
    }
}
