public import Foundation
public import Localized

/// A sealed dossier (hồ sơ): what the applicant submitted, fixed at the moment of submission.
///
/// Pins the procedure's code, version and effective date, holds only the answers of fields
/// that were visible, and names each document's pages. The client UUID is the idempotency key
/// for delivery to the central system.
public struct Dossier: Codable, Sendable, Hashable, Identifiable {
    public var clientUUID: UUID
    public var sessionId: UUID
    public var kioskId: String
    public var procedureCode: String
    public var procedureVersion: String
    public var procedureEffectiveDate: CivilDate
    public var procedureName: LocalizedText
    public var sealedAt: Date
    public var receivedOn: CivilDate
    /// When the result is due, in working days from `receivedOn`.
    public var dueOn: CivilDate
    /// Printed on the receipt until the central system assigns its own dossier code.
    public var provisionalReference: String
    public var identity: Identity
    public var answers: [String: Answer]
    public var documents: [DossierDocument]
    public var delivery: DeliverySelection
    public var fees: [Fee]
    /// The fees as charged for this dossier, with how each was reached (nil in dossiers
    /// sealed before charges were counted).
    public var charges: [FeeCharge]?

    public init(
        clientUUID: UUID, sessionId: UUID, kioskId: String, procedureCode: String, procedureVersion: String,
        procedureEffectiveDate: CivilDate, procedureName: LocalizedText, sealedAt: Date, receivedOn: CivilDate,
        dueOn: CivilDate, provisionalReference: String, identity: Identity, answers: [String: Answer],
        documents: [DossierDocument], delivery: DeliverySelection, fees: [Fee], charges: [FeeCharge]? = nil
    ) {
        self.clientUUID = clientUUID
        self.sessionId = sessionId
        self.kioskId = kioskId
        self.procedureCode = procedureCode
        self.procedureVersion = procedureVersion
        self.procedureEffectiveDate = procedureEffectiveDate
        self.procedureName = procedureName
        self.sealedAt = sealedAt
        self.receivedOn = receivedOn
        self.dueOn = dueOn
        self.provisionalReference = provisionalReference
        self.identity = identity
        self.answers = answers
        self.documents = documents
        self.delivery = delivery
        self.fees = fees
        self.charges = charges
    }

    public var id: UUID { clientUUID }

    public var totalFeeVND: Int { (charges?.map(\.amountVND) ?? fees.map(\.amountVND)).reduce(0, +) }
}

/// One document of a sealed dossier.
public struct DossierDocument: Codable, Sendable, Hashable {
    public var id: String
    public var name: LocalizedText
    public var form: DocumentForm
    public var copies: Int
    /// The scanned pages, in order; empty for an optional document the applicant skipped.
    public var pageIds: [UUID]

    public init(id: String, name: LocalizedText, form: DocumentForm, copies: Int, pageIds: [UUID]) {
        self.id = id
        self.name = name
        self.form = form
        self.copies = copies
        self.pageIds = pageIds
    }
}

/// What a session keeps of its sealed dossier, for the receipt screen.
public struct DossierSummary: Codable, Sendable, Hashable {
    public var clientUUID: UUID
    public var provisionalReference: String
    public var sealedAt: Date
    public var receivedOn: CivilDate
    public var dueOn: CivilDate
}
