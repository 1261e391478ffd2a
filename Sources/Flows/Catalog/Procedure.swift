public import Localized

/// One administrative procedure (thủ tục hành chính) as the kiosk offers it.
///
/// Loaded from one YAML file in the catalog directory. A session keeps a copy of the procedure
/// it started with, so a catalog change never alters a dossier already under way, and the sealed
/// dossier pins `code`, `version` and `effectiveDate`.
public struct Procedure: Codable, Sendable, Hashable, Identifiable {
    /// The national procedure code (Cổng Dịch vụ công quốc gia), or a local sample code.
    public var code: String
    /// True when `code` is not confirmed against the national database and is only a sample.
    public var codeIsSample: Bool
    public var name: LocalizedText
    /// The domain, e.g. `chung-thuc` (certification), `ho-tich` (civil status).
    public var field: ProcedureField
    /// The authority that decides (e.g. the commune People's Committee).
    public var agency: LocalizedText
    /// Legal time limit, in working days; 0 means "the same day".
    public var timeLimitWorkingDays: Int
    /// For a same-day procedure (`timeLimitWorkingDays` 0): dossiers received at or after this
    /// time of day (minutes after midnight, Vietnam time) are due the next working day
    /// (catalog: `same_day_cutoff: "15:00"`).
    public var sameDayCutoffMinutes: Int?
    public var fees: [Fee]
    public var onlineLevel: OnlineLevel
    public var documents: [RequiredDocument]
    public var form: DeclarationForm
    public var deliveryOptions: [DeliveryOption]
    /// The catalog entry's own version, pinned by every dossier filed under it.
    public var version: String
    /// The day from which this version applies (ISO `yyyy-MM-dd`).
    public var effectiveDate: CivilDate

    public var id: String { code }

    public init(
        code: String, codeIsSample: Bool, name: LocalizedText, field: ProcedureField,
        agency: LocalizedText, timeLimitWorkingDays: Int, fees: [Fee], onlineLevel: OnlineLevel,
        documents: [RequiredDocument], form: DeclarationForm, deliveryOptions: [DeliveryOption],
        version: String, effectiveDate: CivilDate, sameDayCutoffMinutes: Int? = nil
    ) {
        self.sameDayCutoffMinutes = sameDayCutoffMinutes
        self.code = code
        self.codeIsSample = codeIsSample
        self.name = name
        self.field = field
        self.agency = agency
        self.timeLimitWorkingDays = timeLimitWorkingDays
        self.fees = fees
        self.onlineLevel = onlineLevel
        self.documents = documents
        self.form = form
        self.deliveryOptions = deliveryOptions
        self.version = version
        self.effectiveDate = effectiveDate
    }
}

/// The domain a procedure belongs to, used to group and search the catalog.
public struct ProcedureField: Codable, Sendable, Hashable {
    /// A stable identifier such as `ho-tich`.
    public var id: String
    public var name: LocalizedText

    public init(id: String, name: LocalizedText) {
        self.id = id
        self.name = name
    }
}

/// A fee or charge (phí, lệ phí) due for the procedure.
public struct Fee: Codable, Sendable, Hashable {
    public var id: String
    public var name: LocalizedText
    /// Amount in Vietnamese đồng; 0 for a procedure that is free of charge. For a per-page
    /// fee, the least it can be (one copy of one page).
    public var amountVND: Int
    /// What the amount is counted per, e.g. "per page"; nil for a flat fee.
    public var unit: LocalizedText?
    /// Who is exempt or other conditions, shown as is.
    public var note: LocalizedText?
    /// A fee counted per page from the declaration (`charge(_:)`); nil for a flat fee.
    public var perPage: PageTieredRate?

    public init(
        id: String, name: LocalizedText, amountVND: Int, unit: LocalizedText? = nil, note: LocalizedText? = nil,
        perPage: PageTieredRate? = nil
    ) {
        self.id = id
        self.name = name
        self.amountVND = amountVND
        self.unit = unit
        self.note = note
        self.perPage = perPage
    }
}

/// How far the procedure can be done online (dịch vụ công trực tuyến toàn trình / một phần).
public enum OnlineLevel: String, Codable, Sendable, Hashable, CaseIterable {
    case full
    case partial
}

/// Where the applicant collects the result.
public enum DeliveryOption: String, Codable, Sendable, Hashable, CaseIterable {
    /// At the one-stop counter.
    case counter
    /// By public postal service (dịch vụ bưu chính công ích) to an address.
    case post
    /// Electronically, to the applicant's account on the public-service portal.
    case online
}

/// A document the applicant must (or may) hand in, and how the kiosk digitises it.
public struct RequiredDocument: Codable, Sendable, Hashable, Identifiable {
    public var id: String
    public var name: LocalizedText
    public var required: Bool
    public var form: DocumentForm
    /// How many copies the office needs.
    public var copies: Int
    public var scan: ScanProfile
    /// Guidance shown beside the scan button.
    public var hint: LocalizedText?

    public init(id: String, name: LocalizedText, required: Bool, form: DocumentForm, copies: Int, scan: ScanProfile, hint: LocalizedText? = nil) {
        self.id = id
        self.name = name
        self.required = required
        self.form = form
        self.copies = copies
        self.scan = scan
        self.hint = hint
    }
}

/// Whether the office needs the original, a copy, or a certified copy.
public enum DocumentForm: String, Codable, Sendable, Hashable, CaseIterable {
    case original
    case copy
    case certifiedCopy = "certified_copy"
    /// The original is shown for comparison and a copy is kept.
    case originalForComparison = "original_for_comparison"
}

/// How to scan one required document. The daemon maps it onto the scanner's own options.
public struct ScanProfile: Codable, Sendable, Hashable {
    public enum Source: String, Codable, Sendable, CaseIterable { case flatbed, feeder, duplex }
    public enum Mode: String, Codable, Sendable, CaseIterable { case color, gray, blackAndWhite = "bw" }
    public enum Paper: String, Codable, Sendable, CaseIterable { case a4, a5, idCard = "id_card" }

    public var source: Source
    public var mode: Mode
    /// Resolution in dots per inch; never below 200 for a dossier.
    public var dpi: Int
    public var paper: Paper

    public static let minimumDPI = 200

    public init(source: Source = .feeder, mode: Mode = .color, dpi: Int = 200, paper: Paper = .a4) {
        self.source = source
        self.mode = mode
        self.dpi = dpi
        self.paper = paper
    }
}
