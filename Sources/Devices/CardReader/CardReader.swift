/// A reader for the chip-based citizen ID card (CCCD).
public protocol CardReader: Device {
    /// Waits up to `timeoutSeconds` for a card, reads it and returns its holder's data.
    /// Never returns partial data: a removed card or a failed check throws.
    func readCard(_ request: CardReadRequest) async throws(DeviceFailure) -> CardHolderData
}

/// How to read the card: the access key material when it is known (from the QR code or typed).
public struct CardReadRequest: Sendable, Hashable {
    /// The card's 12-digit number (its last 6 digits are the CAN, its last 9 BAC's document number).
    public var idNumber: String?
    /// `yyyy-MM-dd`.
    public var dateOfBirth: String?
    /// `yyyy-MM-dd`.
    public var dateOfExpiry: String?
    /// `yyyy-MM-dd`, from the QR code: lets the expiry follow from the card's validity rules.
    public var issueDate: String?
    public var timeoutSeconds: Double

    public init(
        idNumber: String? = nil, dateOfBirth: String? = nil, dateOfExpiry: String? = nil, issueDate: String? = nil,
        timeoutSeconds: Double = 30
    ) {
        self.idNumber = idNumber
        self.dateOfBirth = dateOfBirth
        self.dateOfExpiry = dateOfExpiry
        self.issueDate = issueDate
        self.timeoutSeconds = timeoutSeconds
    }
}

/// The holder's data as read from the chip. Personal data: never log it.
public struct CardHolderData: Sendable, Hashable, Codable {
    public var idNumber: String
    public var fullName: String
    /// `yyyy-MM-dd`.
    public var dateOfBirth: String
    /// As printed: `Nam` / `Nữ`.
    public var sex: String?
    public var nationality: String?
    public var ethnicity: String?
    public var religion: String?
    public var placeOfOrigin: String?
    public var placeOfResidence: String?
    /// `yyyy-MM-dd`.
    public var issueDate: String?
    /// `yyyy-MM-dd`.
    public var expiryDate: String?
    public var oldIdNumber: String?
    /// True only when passive authentication verified the data against a trusted CA.
    public var chipVerified: Bool
    /// Passive authentication's outcome: `verified`, `ca_unknown` (signature valid, CA not in
    /// the store); nil when the driver does not check (the simulated reader).
    public var authenticity: String?

    public init(
        idNumber: String, fullName: String, dateOfBirth: String, sex: String? = nil, nationality: String? = nil,
        ethnicity: String? = nil, religion: String? = nil, placeOfOrigin: String? = nil, placeOfResidence: String? = nil,
        issueDate: String? = nil, expiryDate: String? = nil, oldIdNumber: String? = nil, chipVerified: Bool,
        authenticity: String? = nil
    ) {
        self.idNumber = idNumber
        self.fullName = fullName
        self.dateOfBirth = dateOfBirth
        self.sex = sex
        self.nationality = nationality
        self.ethnicity = ethnicity
        self.religion = religion
        self.placeOfOrigin = placeOfOrigin
        self.placeOfResidence = placeOfResidence
        self.issueDate = issueDate
        self.expiryDate = expiryDate
        self.oldIdNumber = oldIdNumber
        self.chipVerified = chipVerified
        self.authenticity = authenticity
    }
}
