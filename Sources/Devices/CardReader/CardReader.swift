public import CivicIdentity

/// A reader for the chip-based citizen ID card (CCCD).
public protocol CardReader: Device {
    /// Waits up to `timeoutSeconds` for a card, reads it and returns its holder's data.
    /// Never returns partial data: a removed card or a failed check throws.
    /// The identity's assurance says what vouches for the data: passive authentication
    /// against a trusted CA, a valid signature from an unknown CA, or nothing (a simulation).
    func readCard(_ request: CardReadRequest) async throws(DeviceFailure) -> Identity
}

/// How to read the card: the access key material when it is known (from the QR code or typed).
public struct CardReadRequest: Sendable, Hashable {
    /// The card's 12-digit number (its last 6 digits are the CAN, its last 9 BAC's document number).
    public var idNumber: String?
    public var dateOfBirth: CivilDate?
    public var dateOfExpiry: CivilDate?
    /// From the QR code: lets the expiry follow from the card's validity rules.
    public var issueDate: CivilDate?
    public var timeoutSeconds: Double

    public init(
        idNumber: String? = nil, dateOfBirth: CivilDate? = nil, dateOfExpiry: CivilDate? = nil, issueDate: CivilDate? = nil,
        timeoutSeconds: Double = 30
    ) {
        self.idNumber = idNumber
        self.dateOfBirth = dateOfBirth
        self.dateOfExpiry = dateOfExpiry
        self.issueDate = issueDate
        self.timeoutSeconds = timeoutSeconds
    }
}
