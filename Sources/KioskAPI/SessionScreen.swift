public import Flows
public import Foundation
public import Localized

/// Everything the kiosk screen needs to render a session's current step, in one value.
///
/// Built from a `FlowSession`; the UI renders it without knowing the flow's rules. The ID
/// number is masked: people queueing behind the applicant can see the screen.
public struct SessionScreen: Codable, Sendable {
    public var id: UUID
    public var status: SessionStatus
    public var step: Step
    public var language: Language
    public var title: LocalizedText
    /// The steps this procedure goes through, for a progress bar.
    public var steps: [Step]
    public var procedure: ProcedureSummary?
    public var identity: IdentitySummary?
    public var form: FormScreen?
    public var document: DocumentScreen?
    public var review: ReviewScreen?
    public var fees: [Fee]?
    /// At the fee step: each fee as charged for what was declared, how it was reached, and
    /// the total.
    public var charges: [FeeCharge]?
    public var totalFeeVND: Int?
    public var delivery: DeliveryScreen?
    public var dossier: DossierSummary?
    /// The dossier code the central gave (mã hồ sơ), once it acknowledged the dossier: the
    /// last screen shows it when it arrives in time (the `dossier_delivered` event says when).
    public var centralCode: String?
    public var printed: [PrintKind]
    public var pending: PendingAction?
    public var notice: Notice?
    public var errors: [String: LocalizedText]
    public var lastActivityAt: Date
    /// The personal-data consent given when the session started (its text's version, when).
    public var consent: FlowSession.Consent?
    /// The events the current step accepts, with their fields.
    public var accepts: [AcceptedEvent]

    public struct ProcedureSummary: Codable, Sendable {
        public var code: String
        public var name: LocalizedText
        public var agency: LocalizedText
        public var timeLimitWorkingDays: Int
        public var version: String
    }

    public struct IdentitySummary: Codable, Sendable {
        public var source: Identity.Source
        public var chipVerified: Bool
        /// What vouches for the identity (chip verified / CA unknown / unchecked, QR, typed).
        public var assurance: Identity.Assurance
        public var fullName: String
        public var idNumberMasked: String
        public var dateOfBirth: CivilDate
    }

    public struct FieldScreen: Codable, Sendable {
        public var field: FormField
        public var value: Answer?
        public var prefilled: Bool
        public var error: LocalizedText?
    }

    public struct FormScreen: Codable, Sendable {
        public var pageIndex: Int
        public var pageCount: Int
        public var title: LocalizedText
        /// Only the fields currently visible.
        public var fields: [FieldScreen]
    }

    public struct DocumentScreen: Codable, Sendable {
        public var index: Int
        public var count: Int
        public var document: RequiredDocument
        public var pages: [PageRef]
        public var skipped: Bool
    }

    public struct ReviewScreen: Codable, Sendable {
        public struct Line: Codable, Sendable {
            public var fieldId: String
            public var label: LocalizedText
            public var value: String
            public var page: Int
        }
        public struct DocumentLine: Codable, Sendable {
            public var name: LocalizedText
            public var pageCount: Int
            public var skipped: Bool
            public var index: Int
        }
        public var answers: [Line]
        public var documents: [DocumentLine]
    }

    public struct DeliveryScreen: Codable, Sendable {
        public var options: [DeliveryOption]
        public var chosen: DeliverySelection?
    }

    public init(_ s: FlowSession) {
        id = s.id
        status = s.status
        step = s.step
        language = s.language
        title = Self.title(of: s.step)
        pending = s.pending
        notice = s.notice?.forApplicant
        accepts = AcceptedEvent.accepted(by: s)
        errors = s.fieldErrors
        dossier = s.dossier
        printed = PrintKind.allCases.filter(s.printed.contains)
        lastActivityAt = s.lastActivityAt
        consent = s.consent
        steps = Step.allCases.filter { $0 != .finished && ($0 != .fee || !(s.procedure?.fees.isEmpty ?? false)) }
        if let p = s.procedure {
            procedure = ProcedureSummary(
                code: p.code, name: p.name, agency: p.agency, timeLimitWorkingDays: p.timeLimitWorkingDays, version: p.version)
        }
        if let i = s.identity {
            identity = IdentitySummary(
                source: i.source, chipVerified: i.chipVerified, assurance: i.assurance, fullName: i.fullName,
                idNumberMasked: CitizenID.masked(i.idNumber), dateOfBirth: i.dateOfBirth)
        }
        guard let p = s.procedure else { return }
        switch s.step {
        case .form where p.form.pages.indices.contains(s.formPage):
            let page = p.form.pages[s.formPage]
            form = FormScreen(
                pageIndex: s.formPage, pageCount: p.form.pages.count, title: page.title,
                fields: page.fields.filter(s.isVisible).map {
                    FieldScreen(field: $0, value: s.answers[$0.id], prefilled: s.prefilled.contains($0.id), error: s.fieldErrors[$0.id])
                })
        case .documents where p.documents.indices.contains(s.documentIndex):
            let d = p.documents[s.documentIndex]
            document = DocumentScreen(
                index: s.documentIndex, count: p.documents.count, document: d,
                pages: s.pages[d.id] ?? [], skipped: s.skippedDocuments.contains(d.id))
        case .review, .submit:
            review = Self.review(p, s)
        case .fee:
            fees = p.fees
            charges = p.charges(s.answers)
            totalFeeVND = charges?.reduce(0) { $0 + $1.amountVND }
        case .delivery:
            delivery = DeliveryScreen(options: p.deliveryOptions, chosen: s.delivery)
        default: break
        }
    }

    static func review(_ p: Procedure, _ s: FlowSession) -> ReviewScreen {
        var lines: [ReviewScreen.Line] = []
        for (pageIndex, page) in p.form.pages.enumerated() {
            for field in page.fields where s.isVisible(field) {
                guard let answer = s.answers[field.id] else { continue }
                // As the applicant reads it (a choice's label, yes/no, dd/MM/yyyy); an ID
                // number masked, for those queueing behind.
                let value =
                    field.type == .citizenId ? CitizenID.masked(answer.conditionValue) : field.displayValue(answer, in: s.language)
                lines.append(.init(fieldId: field.id, label: field.label, value: value, page: pageIndex))
            }
        }
        let documents = p.documents.enumerated().map { index, d in
            ReviewScreen.DocumentLine(
                name: d.name, pageCount: s.pages[d.id]?.count ?? 0,
                skipped: s.skippedDocuments.contains(d.id), index: index)
        }
        return ReviewScreen(answers: lines, documents: documents)
    }

    static func title(of step: Step) -> LocalizedText {
        switch step {
        case .chooseProcedure: LocalizedText(vi: "Chọn thủ tục", en: "Choose a procedure")
        case .identify: LocalizedText(vi: "Xác thực người nộp hồ sơ", en: "Identify yourself")
        case .form: LocalizedText(vi: "Kê khai tờ khai", en: "Fill in the declaration")
        case .documents: LocalizedText(vi: "Quét giấy tờ", en: "Scan your documents")
        case .review: LocalizedText(vi: "Kiểm tra lại hồ sơ", en: "Review your dossier")
        case .fee: LocalizedText(vi: "Phí, lệ phí", en: "Fees")
        case .delivery: LocalizedText(vi: "Nơi nhận kết quả", en: "Where to receive the result")
        case .submit: LocalizedText(vi: "Nộp hồ sơ", en: "Submit your dossier")
        case .receipt: LocalizedText(vi: "Giấy tiếp nhận hồ sơ", en: "Your receipt")
        case .rating: LocalizedText(vi: "Đánh giá mức độ hài lòng", en: "Rate our service")
        case .finished: LocalizedText(vi: "Cảm ơn ông/bà", en: "Thank you")
        }
    }
}
