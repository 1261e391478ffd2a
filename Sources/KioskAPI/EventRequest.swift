public import Flows
public import Foundation
public import Localized

/// An applicant event as the kiosk screen posts it to `POST /api/v1/sessions/{id}/events`:
/// `{"type": "answer", "answers": {"phone": "0912345678"}}`.
///
/// Only applicant events exist here. Device results (a card read, scanned pages, a print) come
/// from the daemon itself and can never be posted: a client cannot forge an identity.
public struct EventRequest: Codable, Sendable {
    public var type: String
    public var code: String?
    public var payload: String?
    public var idNumber: String?
    public var fullName: String?
    public var dateOfBirth: String?
    public var dateOfExpiry: String?
    public var sex: Sex?
    public var answers: [String: Answer]?
    public var step: Step?
    public var index: Int?
    public var documentId: String?
    public var pageId: UUID?
    public var option: DeliveryOption?
    public var address: Address?
    public var kind: PrintKind?
    public var score: Int?
    public var comment: String?
    public var language: Language?

    public static let types = [
        "choose_procedure", "read_id_card", "identify_qr", "identify_typed", "card_expiry", "answer", "next", "back", "edit", "scan",
        "remove_page", "skip_document", "cancel_device_action", "choose_delivery", "submit", "reprint", "rate",
        "set_language", "still_here", "cancel",
    ]

    public init(
        type: String, code: String? = nil, payload: String? = nil, idNumber: String? = nil, fullName: String? = nil, dateOfBirth: String? = nil,
        dateOfExpiry: String? = nil, sex: Sex? = nil, answers: [String: Answer]? = nil, step: Step? = nil, index: Int? = nil,
        documentId: String? = nil, pageId: UUID? = nil, option: DeliveryOption? = nil, address: Address? = nil, kind: PrintKind? = nil,
        score: Int? = nil, comment: String? = nil, language: Language? = nil
    ) {
        self.type = type
        self.code = code
        self.payload = payload
        self.idNumber = idNumber
        self.fullName = fullName
        self.dateOfBirth = dateOfBirth
        self.dateOfExpiry = dateOfExpiry
        self.sex = sex
        self.answers = answers
        self.step = step
        self.index = index
        self.documentId = documentId
        self.pageId = pageId
        self.option = option
        self.address = address
        self.kind = kind
        self.score = score
        self.comment = comment
        self.language = language
    }
}

/// `POST /api/v1/sessions`.
public struct StartSessionRequest: Codable, Sendable {
    public var language: Language?
    /// The version of the personal-data consent text the applicant accepted on the screen.
    public var consent: String?
    public init(language: Language? = nil, consent: String? = nil) {
        self.language = language
        self.consent = consent
    }
}

/// `POST /api/v1/devices/{id}/fault`.
public struct FaultRequest: Codable, Sendable {
    public var fault: String
    public init(fault: String) { self.fault = fault }
}
