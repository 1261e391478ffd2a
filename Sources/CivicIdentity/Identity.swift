/// Who the applicant is: the card holder's data as the chip, the card's QR code or the
/// applicant's typing gave it, with real dates. The card reader returns it, the flow keeps it,
/// the dossier carries it — one type.
///
/// Personal data: never logged. It lives in the session (and so in the store) until the
/// dossier is sealed or the session is purged.
public struct Identity: Sendable, Hashable {
    /// How the identity was obtained.
    public enum Source: String, Codable, Sendable, Hashable {
        /// Read from the card's chip.
        case chip
        /// Read from the QR code printed on the card's front.
        case qrCode = "qr_code"
        /// Typed by the applicant on the touch screen.
        case typed
    }

    /// How far the identity can be trusted, from strongest to weakest. Carried to the receipt
    /// data and the dossier's manifest.
    public enum Assurance: String, Codable, Sendable, Hashable, CaseIterable {
        /// Read from the chip; passive authentication verified it against a trusted CA.
        case chipVerified = "chip_verified"
        /// Read from the chip; the data matches its signature, but the signer's CA is not
        /// in the kiosk's store.
        case chipCAUnknown = "chip_ca_unknown"
        /// Read from a chip by a driver that does not check (the simulated reader).
        case chipUnchecked = "chip_unchecked"
        /// Read from the QR code on the card's front (anyone can print one).
        case qrCode = "qr_code"
        /// Typed by the applicant.
        case typed

        public var source: Source {
            switch self {
            case .chipVerified, .chipCAUnknown, .chipUnchecked: .chip
            case .qrCode: .qrCode
            case .typed: .typed
            }
        }
    }

    public var assurance: Assurance
    public var idNumber: String
    public var fullName: String
    public var dateOfBirth: CivilDate
    public var sex: Sex?
    public var nationality: String?
    public var ethnicity: String?
    public var religion: String?
    public var placeOfOrigin: String?
    public var placeOfResidence: String?
    public var issueDate: CivilDate?
    public var expiryDate: CivilDate?
    public var oldIdNumber: String?

    public init(
        assurance: Assurance, idNumber: String, fullName: String, dateOfBirth: CivilDate,
        sex: Sex? = nil, nationality: String? = nil, ethnicity: String? = nil, religion: String? = nil,
        placeOfOrigin: String? = nil, placeOfResidence: String? = nil, issueDate: CivilDate? = nil,
        expiryDate: CivilDate? = nil, oldIdNumber: String? = nil
    ) {
        self.assurance = assurance
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
    }

    public var source: Source { assurance.source }
    /// True only when the chip's data passed passive authentication against a trusted CA.
    public var chipVerified: Bool { assurance == .chipVerified }
}

extension Identity: Codable {
    private enum CodingKeys: String, CodingKey {
        case assurance, idNumber, fullName, dateOfBirth, sex, nationality, ethnicity, religion, placeOfOrigin,
            placeOfResidence, issueDate, expiryDate, oldIdNumber
        // Written by kioskd before the assurance existed; still read from stored sessions.
        case source, chipVerified
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        if let assurance = try c.decodeIfPresent(Assurance.self, forKey: .assurance) {
            self.assurance = assurance
        } else {
            // A session stored by an earlier kioskd: its chip data was verified, or is
            // counted as unchecked (never stronger than what was recorded).
            let verified = try c.decodeIfPresent(Bool.self, forKey: .chipVerified) ?? false
            switch try c.decode(Source.self, forKey: .source) {
            case .chip: assurance = verified ? .chipVerified : .chipUnchecked
            case .qrCode: assurance = .qrCode
            case .typed: assurance = .typed
            }
        }
        idNumber = try c.decode(String.self, forKey: .idNumber)
        fullName = try c.decode(String.self, forKey: .fullName)
        dateOfBirth = try c.decode(CivilDate.self, forKey: .dateOfBirth)
        sex = try c.decodeIfPresent(Sex.self, forKey: .sex)
        nationality = try c.decodeIfPresent(String.self, forKey: .nationality)
        ethnicity = try c.decodeIfPresent(String.self, forKey: .ethnicity)
        religion = try c.decodeIfPresent(String.self, forKey: .religion)
        placeOfOrigin = try c.decodeIfPresent(String.self, forKey: .placeOfOrigin)
        placeOfResidence = try c.decodeIfPresent(String.self, forKey: .placeOfResidence)
        issueDate = try c.decodeIfPresent(CivilDate.self, forKey: .issueDate)
        expiryDate = try c.decodeIfPresent(CivilDate.self, forKey: .expiryDate)
        oldIdNumber = try c.decodeIfPresent(String.self, forKey: .oldIdNumber)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(assurance, forKey: .assurance)
        try c.encode(idNumber, forKey: .idNumber)
        try c.encode(fullName, forKey: .fullName)
        try c.encode(dateOfBirth, forKey: .dateOfBirth)
        try c.encodeIfPresent(sex, forKey: .sex)
        try c.encodeIfPresent(nationality, forKey: .nationality)
        try c.encodeIfPresent(ethnicity, forKey: .ethnicity)
        try c.encodeIfPresent(religion, forKey: .religion)
        try c.encodeIfPresent(placeOfOrigin, forKey: .placeOfOrigin)
        try c.encodeIfPresent(placeOfResidence, forKey: .placeOfResidence)
        try c.encodeIfPresent(issueDate, forKey: .issueDate)
        try c.encodeIfPresent(expiryDate, forKey: .expiryDate)
        try c.encodeIfPresent(oldIdNumber, forKey: .oldIdNumber)
    }
}
