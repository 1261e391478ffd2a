import Foundation

/// Who the applicant is, as established in the identify step.
///
/// Personal data: never logged. It lives in the session (and so in the store) until the
/// dossier is sealed or the session is purged.
public struct Identity: Codable, Sendable, Hashable {
    /// How the identity was obtained.
    public enum Source: String, Codable, Sendable, Hashable {
        /// Read from the card's chip; `chipVerified` tells if passive authentication succeeded.
        case chip
        /// Read from the QR code printed on the card's front.
        case qrCode = "qr_code"
        /// Typed by the applicant on the touch screen.
        case typed
    }

    public var source: Source
    /// True only when the chip's data passed passive authentication.
    public var chipVerified: Bool
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
        source: Source, chipVerified: Bool = false, idNumber: String, fullName: String, dateOfBirth: CivilDate,
        sex: Sex? = nil, nationality: String? = nil, ethnicity: String? = nil, religion: String? = nil,
        placeOfOrigin: String? = nil, placeOfResidence: String? = nil, issueDate: CivilDate? = nil,
        expiryDate: CivilDate? = nil, oldIdNumber: String? = nil
    ) {
        self.source = source
        self.chipVerified = chipVerified
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

    /// The answer a form field with `key` is prefilled with, if the identity has it.
    public func prefill(_ key: PrefillKey) -> Answer? {
        switch key {
        case .idNumber: .text(idNumber)
        case .fullName: .text(fullName)
        case .dateOfBirth: .text(dateOfBirth.description)
        case .sex: sex.map { .text($0.rawValue) }
        case .nationality: nationality.map(Answer.text)
        case .ethnicity: ethnicity.map(Answer.text)
        case .religion: religion.map(Answer.text)
        case .placeOfOrigin: placeOfOrigin.map(Answer.text)
        case .placeOfResidence: placeOfResidence.map(Answer.text)
        case .issueDate: issueDate.map { .text($0.description) }
        case .expiryDate: expiryDate.map { .text($0.description) }
        case .oldIdNumber: oldIdNumber.map(Answer.text)
        }
    }
}

/// The QR code printed on the card's front: pipe-separated
/// `id | old id | name | dob ddMMyyyy | sex | residence | issue date ddMMyyyy`, sometimes with
/// trailing empty fields, sometimes without the old number. The field count is not fixed.
public enum CardQRCode {
    /// Why a payload is not a CCCD's QR code.
    public enum Problem: Error, Sendable, Hashable, CustomStringConvertible {
        case tooLong
        case idNumber(CitizenID.Problem)
        case noName
        case badDateOfBirth

        public var description: String {
            switch self {
            case .tooLong: "longer than any card's QR code (1000 characters)"
            case .idNumber(let problem): "first field is not a CCCD number (\(problem))"
            case .noName: "no full name in the third field"
            case .badDateOfBirth: "no date of birth (ddMMyyyy) in the fourth field"
            }
        }
    }

    public static func parse(_ payload: String) -> Identity? {
        try? read(payload).get()
    }

    /// The identity in `payload`, or why there is none.
    public static func read(_ payload: String) -> Result<Identity, Problem> {
        guard payload.count <= 1_000 else { return .failure(.tooLong) }
        var fields = payload.split(separator: "|", omittingEmptySubsequences: false).map {
            $0.trimmingCharacters(in: .whitespacesAndNewlines)
        }
        let number: String
        switch CitizenID.validate(fields.first ?? "") {
        case .success(let id): number = id.digits
        case .failure(let problem): return .failure(.idNumber(problem))
        }
        // Form without the old number: the second field is already the name.
        if fields.count > 2, !fields[1].isEmpty, !fields[1].allSatisfy(\.isNumber) { fields.insert("", at: 1) }
        func field(_ i: Int) -> String? { i < fields.count && !fields[i].isEmpty ? fields[i] : nil }
        guard let name = field(2) else { return .failure(.noName) }
        guard let dob = field(3).flatMap(CivilDate.init(parsing:)) else { return .failure(.badDateOfBirth) }
        return .success(
            Identity(
                source: .qrCode, idNumber: number, fullName: name, dateOfBirth: dob,
                sex: field(4).flatMap(Sex.init(cardText:)), placeOfResidence: field(5),
                issueDate: field(6).flatMap(CivilDate.init(parsing:)), oldIdNumber: field(1)))
    }
}
