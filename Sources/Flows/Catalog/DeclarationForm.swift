public import Localized

/// The declaration (tờ khai) as grouped pages of fields.
public struct DeclarationForm: Codable, Sendable, Hashable {
    public var pages: [FormPage]

    public init(pages: [FormPage]) { self.pages = pages }

    /// Every field of every page, in order.
    public var allFields: [FormField] { pages.flatMap(\.fields) }

    /// The field with `id`, if the form has one.
    public func field(_ id: String) -> FormField? { allFields.first { $0.id == id } }
}

/// One screen of the declaration.
public struct FormPage: Codable, Sendable, Hashable, Identifiable {
    public var id: String
    public var title: LocalizedText
    public var fields: [FormField]

    public init(id: String, title: LocalizedText, fields: [FormField]) {
        self.id = id
        self.title = title
        self.fields = fields
    }
}

/// One question of the declaration, with its validation rules.
public struct FormField: Codable, Sendable, Hashable, Identifiable {
    public var id: String
    public var label: LocalizedText
    public var type: FieldType
    public var required: Bool
    /// A regular expression the whole text answer must match.
    public var pattern: String?
    /// What the pattern expects, shown when it does not match.
    public var patternHint: LocalizedText?
    public var minLength: Int?
    public var maxLength: Int?
    /// Inclusive range for numbers.
    public var min: Double?
    public var max: Double?
    /// The choices of a `select` field.
    public var options: [SelectOption]
    /// Shown only while this condition on other answers holds.
    public var visibleWhen: VisibilityCondition?
    /// Filled from the applicant's identity when it is known.
    public var prefill: PrefillKey?
    public var help: LocalizedText?

    public init(
        id: String, label: LocalizedText, type: FieldType, required: Bool = false,
        pattern: String? = nil, patternHint: LocalizedText? = nil, minLength: Int? = nil, maxLength: Int? = nil,
        min: Double? = nil, max: Double? = nil, options: [SelectOption] = [],
        visibleWhen: VisibilityCondition? = nil, prefill: PrefillKey? = nil, help: LocalizedText? = nil
    ) {
        self.id = id
        self.label = label
        self.type = type
        self.required = required
        self.pattern = pattern
        self.patternHint = patternHint
        self.minLength = minLength
        self.maxLength = maxLength
        self.min = min
        self.max = max
        self.options = options
        self.visibleWhen = visibleWhen
        self.prefill = prefill
        self.help = help
    }
}

/// The kinds of answers a field takes.
public enum FieldType: String, Codable, Sendable, Hashable, CaseIterable {
    case text, number, date, select, checkbox, phone, email
    /// A 12-digit citizen identity number (CCCD).
    case citizenId = "citizen_id"
    /// A structured address: province, commune or ward, and street detail.
    case address
}

/// One choice of a `select` field.
public struct SelectOption: Codable, Sendable, Hashable {
    public var value: String
    public var label: LocalizedText

    public init(value: String, label: LocalizedText) {
        self.value = value
        self.label = label
    }
}

/// A condition on another field's answer that decides whether a field is shown.
public struct VisibilityCondition: Codable, Sendable, Hashable {
    /// The field whose answer is tested.
    public var field: String
    /// Shown when that answer is one of these values (a checkbox answers "true" or "false").
    public var anyOf: [String]

    public init(field: String, anyOf: [String]) {
        self.field = field
        self.anyOf = anyOf
    }
}

/// The pieces of identity a form field can be prefilled from.
public enum PrefillKey: String, Codable, Sendable, Hashable, CaseIterable {
    case idNumber = "id_number"
    case fullName = "full_name"
    case dateOfBirth = "date_of_birth"
    case sex
    case nationality
    case ethnicity
    case religion
    case placeOfOrigin = "place_of_origin"
    case placeOfResidence = "place_of_residence"
    case issueDate = "issue_date"
    case expiryDate = "expiry_date"
    case oldIdNumber = "old_id_number"
}
