public import Foundation
public import Localized

/// Everything one applicant's session holds: the state machine's value.
///
/// The store persists it whole after every accepted event, so a restart resumes at the same
/// step with the same answers and pages. It holds personal data: never log it.
public struct FlowSession: Codable, Sendable, Hashable, Identifiable {
    public let id: UUID
    public var createdAt: Date
    public var lastActivityAt: Date
    public var language: Language
    public var status: SessionStatus
    public var step: Step
    /// The form page shown while `step == .form`.
    public var formPage: Int
    /// The document shown while `step == .documents`.
    public var documentIndex: Int
    /// A copy of the procedure as it was when chosen: catalog changes never reach a session under way.
    public var procedure: Procedure?
    public var identity: Identity?
    /// The card's expiry as the applicant typed it, for BAC when it cannot be worked out.
    public var cardExpiry: CivilDate?
    public var answers: [String: Answer]
    /// Fields whose answer came from the identity and was not changed by the applicant.
    public var prefilled: Set<String>
    public var pages: [String: [PageRef]]
    public var skippedDocuments: Set<String>
    public var feeAcknowledged: Bool
    public var delivery: DeliverySelection?
    /// Set once the dossier is sealed.
    public var dossier: DossierSummary?
    public var printed: Set<PrintKind>
    /// Printouts whose last print failed: the applicant may print each again once per failure
    /// (more only by a technician: a receipt carries personal data). Optional so that sessions
    /// stored before it existed still decode.
    public var reprintable: Set<PrintKind>?
    public var rating: Rating?
    public var pending: PendingAction?
    /// The last problem to show the applicant (a device fault, a wrong card…).
    public var notice: Notice?
    /// Validation messages for the current screen, by field id.
    public var fieldErrors: [String: LocalizedText]
    /// Set by `edit` from the review screen: `next` goes straight back to review.
    public var returnToReview: Bool
    /// The applicant's consent to the processing of personal data, given on the screen before
    /// any was read or typed: which wording they were shown, and when (Decree 13/2023 and the
    /// Personal Data Protection Law in force since 1 January 2026). Nil for API clients that
    /// started a session without it.
    public var consent: Consent?

    public struct Consent: Codable, Sendable, Hashable {
        /// The version of the consent text shown (the screen's own `consent.version`).
        public var version: String
        public var at: Date

        public init(version: String, at: Date) {
            self.version = version
            self.at = at
        }

        /// A version as the screen names it: 1 to 32 of `[A-Za-z0-9._-]`.
        public static func isValidVersion(_ version: String) -> Bool {
            (1...32).contains(version.count)
                && version.unicodeScalars.allSatisfy { ($0.isASCII && CharacterSet.alphanumerics.contains($0)) || "._-".unicodeScalars.contains($0) }
        }
    }

    public init(id: UUID, now: Date, language: Language) {
        self.id = id
        self.createdAt = now
        self.lastActivityAt = now
        self.language = language
        self.status = .active
        self.step = .chooseProcedure
        self.formPage = 0
        self.documentIndex = 0
        self.answers = [:]
        self.prefilled = []
        self.pages = [:]
        self.skippedDocuments = []
        self.feeAcknowledged = false
        self.printed = []
        self.fieldErrors = [:]
        self.returnToReview = false
    }

    /// True when `field` is shown, given the answers so far.
    public func isVisible(_ field: FormField) -> Bool {
        guard let condition = field.visibleWhen else { return true }
        guard let form = procedure?.form, let source = form.field(condition.field), isVisible(source) else { return false }
        let value = answers[condition.field]?.conditionValue ?? (source.type == .checkbox ? "false" : "")
        return condition.anyOf.contains(value)
    }
}

/// Where and how the result is delivered.
public struct DeliverySelection: Codable, Sendable, Hashable {
    public var option: DeliveryOption
    /// Required for `post`.
    public var address: Address?

    public init(option: DeliveryOption, address: Address? = nil) {
        self.option = option
        self.address = address
    }
}

/// The applicant's satisfaction rating (1 = very unsatisfied … 5 = very satisfied).
public struct Rating: Codable, Sendable, Hashable {
    public var score: Int
    public var comment: String?
}
