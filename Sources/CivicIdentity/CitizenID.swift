import Foundation

/// The 12-digit citizen identity number (số định danh cá nhân, printed on the CCCD).
///
/// Layout (Decree 137/2015/NĐ-CP, Circular 07/2016/TT-BCA): 3 digits of the province where
/// the birth was registered, 1 digit for century and sex, 2 digits for the year of birth,
/// 6 random digits. There is no check digit, so validation checks the structure and, when
/// known, agreement with the date of birth and sex.
public struct CitizenID: Sendable, Hashable {
    public let digits: String
    public let provinceCode: String
    /// The year of birth encoded in digits 4–6.
    public let birthYear: Int
    public let sex: Sex

    /// Why a number is not a valid CCCD number.
    public enum Problem: Error, Sendable, Hashable, CustomStringConvertible {
        case notTwelveDigits
        case unknownProvince(String)
        case birthYearInFuture
        case disagreesWithBirthDate
        case disagreesWithSex

        public var description: String {
            switch self {
            case .notTwelveDigits: "not 12 digits"
            case .unknownProvince(let code): "\(code) is not a province code"
            case .birthYearInFuture: "its digits 4-6 encode a year of birth in the future"
            case .disagreesWithBirthDate: "its digits 4-6 encode another year of birth than the date of birth"
            case .disagreesWithSex: "its 4th digit encodes the other sex than the sex field"
            }
        }
    }

    /// Parses and checks `text` (spaces and dots ignored, as people often type them).
    public static func validate(_ text: String, birthDate: CivilDate? = nil, sex: Sex? = nil, today: CivilDate? = nil) -> Result<CitizenID, Problem> {
        let digits = text.filter { $0 != " " && $0 != "." }
        guard digits.count == 12, digits.allSatisfy({ $0.isASCII && $0.isNumber }) else { return .failure(.notTwelveDigits) }
        let d = Array(digits).map { Int(String($0))! }
        let province = String(digits.prefix(3))
        guard provinceCodes.contains(province) else { return .failure(.unknownProvince(province)) }
        // Digit 4: 0/1 born 1900–1999 (male/female), 2/3 2000–2099, 4/5 2100–2199, and so on.
        let century = 1900 + (d[3] / 2) * 100
        let year = century + d[4] * 10 + d[5]
        let idSex: Sex = d[3] % 2 == 0 ? .male : .female
        if let today, year > today.year { return .failure(.birthYearInFuture) }
        if let birthDate, birthDate.year != year { return .failure(.disagreesWithBirthDate) }
        if let sex, sex != idSex { return .failure(.disagreesWithSex) }
        return .success(CitizenID(digits: digits, provinceCode: province, birthYear: year, sex: idSex))
    }

    /// The number with all but the last 4 digits hidden, for screens other people may see.
    public static func masked(_ digits: String) -> String {
        String(repeating: "•", count: max(0, digits.count - 4)) + digits.suffix(4)
    }

    /// Province codes of Circular 07/2016/TT-BCA. Numbers issued before the 2025 merger of
    /// provinces keep their codes, so the 63 historical codes all remain valid.
    public static let provinceCodes: Set<String> = [
        "001", "002", "004", "006", "008", "010", "011", "012", "014", "015", "017", "019", "020", "022",
        "024", "025", "026", "027", "030", "031", "033", "034", "035", "036", "037", "038", "040", "042",
        "044", "045", "046", "048", "049", "051", "052", "054", "056", "058", "060", "062", "064", "066",
        "067", "068", "070", "072", "074", "075", "077", "079", "080", "082", "083", "084", "086", "087",
        "089", "091", "092", "093", "094", "095", "096",
    ]
}

/// Sex as recorded on the ID card.
public enum Sex: String, Codable, Sendable, Hashable, CaseIterable {
    case male
    case female

    /// Reads the card's and QR code's wording (`Nam` / `Nữ`) as well as `male` / `female`.
    public init?(cardText: String) {
        switch cardText.trimmingCharacters(in: .whitespaces).lowercased() {
        case "nam", "male", "m": self = .male
        case "nữ", "nu", "female", "f": self = .female
        default: return nil
        }
    }
}
