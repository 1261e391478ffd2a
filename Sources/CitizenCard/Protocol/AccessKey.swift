/// The key material of Basic Access Control: the document number, date of birth and date of
/// expiry as in the MRZ. Personal data: never log it (its description is redacted).
public struct BACKey: Sendable, Hashable, CustomStringConvertible {
    public var documentNumber: String
    /// `YYMMDD`.
    public var dateOfBirth: String
    /// `YYMMDD`.
    public var dateOfExpiry: String

    public init(documentNumber: String, dateOfBirth: String, dateOfExpiry: String) {
        self.documentNumber = documentNumber
        self.dateOfBirth = dateOfBirth
        self.dateOfExpiry = dateOfExpiry
    }

    public var description: String { "BACKey(redacted)" }

    /// K_seed: the first 16 bytes of SHA-1 over the MRZ information with its check digits.
    public var seed: [UInt8] {
        var number = documentNumber
        while number.count < 9 { number += "<" }
        let info =
            number + String(MRZ.checkDigit(number)) + dateOfBirth + String(MRZ.checkDigit(dateOfBirth))
            + dateOfExpiry + String(MRZ.checkDigit(dateOfExpiry))
        return Array(CardCrypto.hash(.sha1, Array(info.utf8)).prefix(16))
    }

    public var encKey: [UInt8] { CardCrypto.deriveKey(seed: seed, counter: 1) }
    public var macKey: [UInt8] { CardCrypto.deriveKey(seed: seed, counter: 2) }
}

/// Access keys for the Vietnamese chip ID card (CCCD), from what the applicant can give: the
/// 12-digit number (QR code or typed), the date of birth, and the expiry date when known.
public enum CCCDAccess {
    /// Why the given details cannot make a key.
    public enum Problem: Error, Sendable, Hashable {
        case idNumberNotTwelveDigits
        case badDate
        case noExpiry
    }

    /// BAC's document number: the last 9 digits of the ID number.
    public static func documentNumber(idNumber: String) throws(Problem) -> String {
        guard idNumber.count == 12, idNumber.allSatisfy({ $0.isASCII && $0.isNumber }) else { throw .idNumberNotTwelveDigits }
        return String(idNumber.suffix(9))
    }

    /// The keys to try, best first. With `dateOfExpiry` there is one. Without it the expiry
    /// follows from the card's validity rules (Law on Identification 2023, art. 21; 2014, art.
    /// 21): a card is renewed at 25, 40 and 60, and one issued within the two years before such
    /// an age stays valid until the next. With the issue date that gives one date; without it,
    /// each age still ahead of the card's era is a candidate.
    public static func keys(idNumber: String, dateOfBirth: String, dateOfExpiry: String? = nil, issueDate: String? = nil) throws(Problem) -> [BACKey]
    {
        let number = try documentNumber(idNumber: idNumber)
        guard let birth = CardDate(iso: dateOfBirth) else { throw .badDate }
        if let dateOfExpiry {
            guard let expiry = CardDate(iso: dateOfExpiry) else { throw .badDate }
            return [BACKey(documentNumber: number, dateOfBirth: birth.yymmdd, dateOfExpiry: expiry.yymmdd)]
        }
        let expiries = try expiryCandidates(
            birth: birth,
            issued: issueDate.map { (s) throws(Problem) -> CardDate in
                guard let d = CardDate(iso: s) else { throw .badDate }
                return d
            })
        guard !expiries.isEmpty else { throw .noExpiry }
        return expiries.map { BACKey(documentNumber: number, dateOfBirth: birth.yymmdd, dateOfExpiry: $0.yymmdd) }
    }

    static let renewalAges = [25, 40, 60]

    static func expiryCandidates(birth: CardDate, issued: CardDate?) -> [CardDate] {
        let milestones = renewalAges.map { birth.addingYears($0) }
        if let issued {
            // The first renewal age at least two years after issue.
            return milestones.first { issued < $0.addingYears(-2) }.map { [$0] } ?? []
        }
        // Chip cards have been issued since 2021: an expiry before that cannot be on a chip card.
        return milestones.filter { $0 >= CardDate(year: 2021, month: 1, day: 1) }
    }
}

/// A calendar date as the card protocol needs it.
struct CardDate: Comparable, Hashable, Sendable {
    var year: Int
    var month: Int
    var day: Int

    init(year: Int, month: Int, day: Int) {
        self.year = year
        self.month = month
        self.day = day
    }

    /// `yyyy-MM-dd`.
    init?(iso: String) {
        let parts = iso.split(separator: "-")
        guard parts.count == 3, parts[0].count == 4, let y = Int(parts[0]), let m = Int(parts[1]), let d = Int(parts[2]),
            (1...12).contains(m), (1...31).contains(d)
        else { return nil }
        self.init(year: y, month: m, day: d)
    }

    var yymmdd: String {
        func two(_ v: Int) -> String { v < 10 ? "0\(v)" : "\(v)" }
        return two(year % 100) + two(month) + two(day)
    }

    /// The same day `years` later; 29 February becomes 28 February in common years.
    func addingYears(_ years: Int) -> CardDate {
        let y = year + years
        let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
        return CardDate(year: y, month: month, day: month == 2 && day == 29 && !leap ? 28 : day)
    }

    static func < (a: CardDate, b: CardDate) -> Bool { (a.year, a.month, a.day) < (b.year, b.month, b.day) }
}
