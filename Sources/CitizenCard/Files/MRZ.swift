import Foundation

/// The machine-readable zone of a TD1 (ID-card size) document, as stored in DG1.
/// Personal data: never log it (its description is redacted).
public struct MRZ: Sendable, Hashable, CustomStringConvertible {
    public var documentCode: String
    public var issuingState: String
    public var documentNumber: String
    /// Optional data of line 1; on the CCCD, the full 12-digit ID number.
    public var optionalData1: String
    /// `YYMMDD`.
    public var dateOfBirth: String
    /// `M`, `F` or `<`.
    public var sex: String
    /// `YYMMDD`.
    public var dateOfExpiry: String
    public var nationality: String
    public var optionalData2: String
    /// Primary identifier (surname), then secondary identifiers, `<` turned into spaces.
    public var primaryIdentifier: String
    public var secondaryIdentifier: String

    public var description: String { "MRZ(\(documentCode) \(issuingState), redacted)" }

    /// Why an MRZ is refused.
    public enum Problem: Error, Sendable, Hashable, CustomStringConvertible {
        case wrongShape(String)
        case checkDigit(String)
        public var description: String {
            switch self {
            case .wrongShape(let why): "not a TD1 MRZ: \(why)"
            case .checkDigit(let field): "check digit of \(field) does not match"
            }
        }
    }

    /// Parses the 90 characters of a TD1 MRZ (line breaks allowed) and checks every check digit.
    public init(td1 text: String) throws(Problem) {
        let chars = Array(text.filter { $0 != "\n" && $0 != "\r" })
        guard chars.count == 90 else { throw .wrongShape("\(chars.count) characters instead of 90") }
        guard chars.allSatisfy({ ($0.isASCII && ($0.isUppercase || $0.isNumber)) || $0 == "<" }) else {
            throw .wrongShape("characters outside A–Z, 0–9 and <")
        }
        func field(_ from: Int, _ length: Int) -> String { String(chars[from..<(from + length)]) }
        func digit(_ at: Int) -> Character { chars[at] }
        documentCode = field(0, 2).replacingOccurrences(of: "<", with: "")
        issuingState = field(2, 3).replacingOccurrences(of: "<", with: "")
        var number = field(5, 9)
        var optional1 = field(15, 15)
        // A long document number continues in the optional data, its check digit after it,
        // and a '<' where the check digit would be.
        if digit(14) == "<", let end = optional1.firstIndex(of: "<"), end > optional1.startIndex {
            let rest = String(optional1[..<end])
            let check = rest.last!
            number += rest.dropLast()
            guard MRZ.checkDigit(number) == check else { throw .checkDigit("document number") }
            optional1 = String(optional1[optional1.index(after: end)...])
        } else {
            guard MRZ.checkDigit(number) == digit(14) else { throw .checkDigit("document number") }
        }
        documentNumber = number.replacingOccurrences(of: "<", with: "")
        optionalData1 = optional1.replacingOccurrences(of: "<", with: "")
        dateOfBirth = field(30, 6)
        guard MRZ.checkDigit(dateOfBirth) == digit(36) else { throw .checkDigit("date of birth") }
        sex = field(37, 1)
        dateOfExpiry = field(38, 6)
        guard MRZ.checkDigit(dateOfExpiry) == digit(44) else { throw .checkDigit("date of expiry") }
        nationality = field(45, 3).replacingOccurrences(of: "<", with: "")
        optionalData2 = field(48, 11).replacingOccurrences(of: "<", with: "")
        let composite = field(5, 25) + field(30, 7) + field(38, 7) + field(48, 11)
        guard MRZ.checkDigit(composite) == digit(59) else { throw .checkDigit("composite") }
        let name = field(60, 30)
        let parts = name.components(separatedBy: "<<")
        primaryIdentifier = parts[0].replacingOccurrences(of: "<", with: " ").trimmingCharacters(in: .whitespaces)
        secondaryIdentifier = parts.dropFirst().joined(separator: " ").replacingOccurrences(of: "<", with: " ")
            .trimmingCharacters(in: .whitespaces)
    }

    /// ICAO 9303-3 check digit: weights 7, 3, 1; digits as themselves, A–Z as 10–35, `<` as 0.
    public static func checkDigit(_ text: String) -> Character {
        let weights = [7, 3, 1]
        var sum = 0
        for (i, c) in text.unicodeScalars.enumerated() {
            let v: Int
            switch c.value {
            case 48...57: v = Int(c.value) - 48
            case 65...90: v = Int(c.value) - 55
            default: v = 0
            }
            sum += v * weights[i % 3]
        }
        return Character(String(sum % 10))
    }
}
