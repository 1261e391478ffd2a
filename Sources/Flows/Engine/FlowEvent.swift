public import Foundation
public import Localized

/// Something that happened to a session: an applicant's input, a device's result, or time.
///
/// Applicant events come from the kiosk screen. Device results are produced only by the
/// daemon after it carried out a `FlowAction`; the HTTP API never accepts them from a client.
public enum FlowEvent: Sendable, Hashable {
    // The applicant.
    case chooseProcedure(code: String)
    case readIDCard
    case identifyByQRCode(payload: String)
    case identifyTyped(idNumber: String, fullName: String, dateOfBirth: String, sex: Sex?)
    /// The card's expiry date as printed, when the chip offers only BAC and the expiry cannot
    /// be worked out from the birth and issue dates (`card.expiry_needed`); then read the card again.
    case setCardExpiry(dateOfExpiry: String)
    case answer([String: Answer])
    case next
    case back
    /// From the review screen: go to a form page or a document, then come back to review.
    case edit(step: Step, index: Int)
    case scan(documentId: String)
    case removePage(documentId: String, pageId: UUID)
    case skipDocument(documentId: String)
    case cancelDeviceAction
    case chooseDelivery(DeliveryOption, address: Address?)
    case submit
    case reprint(PrintKind)
    case rate(score: Int, comment: String?)
    case setLanguage(Language)
    /// "I need more time": the applicant answered the idle warning; only the idle clock moves.
    case stillHere
    case cancel

    // The daemon, reporting a device action's outcome.
    case cardRead(Identity)
    case cardReadFailed(Notice)
    /// `notice`, when set, tells the applicant something about the pages (compressed harder
    /// to fit the dossier's size limit).
    case pagesScanned(documentId: String, pages: [PageRef], notice: Notice? = nil)
    /// The scan stopped on a fault; `pages` are those captured before it, which are kept.
    case scanFailed(documentId: String, notice: Notice, pages: [PageRef])
    case printed(PrintKind)
    case printFailed(PrintKind, Notice)
    /// The daemon restarted while the pending action was running; its outcome is unknown.
    case actionInterrupted

    // Time: sent periodically so that an idle session ends.
    case tick

    /// A short name for audit logs; carries no personal data.
    public var name: String {
        switch self {
        case .chooseProcedure: "choose_procedure"
        case .readIDCard: "read_id_card"
        case .identifyByQRCode: "identify_qr"
        case .identifyTyped: "identify_typed"
        case .setCardExpiry: "card_expiry"
        case .answer: "answer"
        case .next: "next"
        case .back: "back"
        case .edit: "edit"
        case .scan: "scan"
        case .removePage: "remove_page"
        case .skipDocument: "skip_document"
        case .cancelDeviceAction: "cancel_device_action"
        case .chooseDelivery: "choose_delivery"
        case .submit: "submit"
        case .reprint: "reprint"
        case .rate: "rate"
        case .setLanguage: "set_language"
        case .stillHere: "still_here"
        case .cancel: "cancel"
        case .cardRead: "card_read"
        case .cardReadFailed: "card_read_failed"
        case .pagesScanned: "pages_scanned"
        case .scanFailed: "scan_failed"
        case .printed: "printed"
        case .printFailed: "print_failed"
        case .actionInterrupted: "action_interrupted"
        case .tick: "tick"
        }
    }

    /// True for results the daemon reports, as opposed to the applicant's input.
    public var isDeviceResult: Bool {
        switch self {
        case .cardRead, .cardReadFailed, .pagesScanned, .scanFailed, .printed, .printFailed, .actionInterrupted: true
        default: false
        }
    }
}

/// A scanned page stored with the session; the image itself lives in the store.
public struct PageRef: Codable, Sendable, Hashable, Identifiable {
    public var id: UUID
    public var widthPixels: Int
    public var heightPixels: Int
    public var dpi: Int
    /// Flagged by blank-page detection for the applicant to confirm; never dropped silently.
    public var looksBlank: Bool
    /// Size of the stored, compressed image: what the page adds to the dossier.
    public var bytes: Int

    public init(id: UUID, widthPixels: Int, heightPixels: Int, dpi: Int, looksBlank: Bool = false, bytes: Int = 0) {
        self.id = id
        self.widthPixels = widthPixels
        self.heightPixels = heightPixels
        self.dpi = dpi
        self.looksBlank = looksBlank
        self.bytes = bytes
    }

    enum CodingKeys: String, CodingKey { case id, widthPixels, heightPixels, dpi, looksBlank, bytes }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            id: try c.decode(UUID.self, forKey: .id), widthPixels: try c.decode(Int.self, forKey: .widthPixels),
            heightPixels: try c.decode(Int.self, forKey: .heightPixels), dpi: try c.decode(Int.self, forKey: .dpi),
            looksBlank: try c.decode(Bool.self, forKey: .looksBlank),
            // Sessions stored before sizes were recorded.
            bytes: try c.decodeIfPresent(Int.self, forKey: .bytes) ?? 0)
    }
}

extension FlowSession {
    /// Bytes of all the pages scanned so far: what the dossier's documents will weigh.
    public var scannedBytes: Int { pages.values.joined().reduce(0) { $0 + $1.bytes } }
}
