/// A person's full name as printed on the CCCD: letters (Vietnamese diacritics included),
/// spaces, and the few marks names use. What a QR code or a keyboard can carry beyond that —
/// control, bidi-override, zero-width and line-break characters, digits — is refused, so a name
/// never reorders or breaks a printed receipt or a screen.
public enum PersonName {
    public enum Problem: Error, Sendable, Hashable, CustomStringConvertible {
        case empty
        case tooLong(Int)
        /// A digit, a control or format character (bidi override, zero-width), a line break,
        /// or another character no name has.
        case notALetter(Unicode.Scalar)

        public var description: String {
            switch self {
            case .empty: "empty"
            case .tooLong(let count): "\(count) characters, more than \(PersonName.maximumLength)"
            case .notALetter(let scalar): "holds U+\(String(scalar.value, radix: 16, uppercase: true)), which no name has"
            }
        }
    }

    public static let maximumLength = 100

    /// The name with its spaces tidied, or why it cannot be one.
    public static func validate(_ text: String) -> Result<String, Problem> {
        let name = text.split(whereSeparator: { $0 == " " }).joined(separator: " ")
        guard !name.isEmpty else { return .failure(.empty) }
        guard name.count <= maximumLength else { return .failure(.tooLong(name.count)) }
        for scalar in name.unicodeScalars {
            let allowed =
                scalar == " " || scalar == "-" || scalar == "'" || scalar == "."
                || [.uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .otherLetter, .modifierLetter, .nonspacingMark, .spacingMark]
                    .contains(scalar.properties.generalCategory)
            if !allowed { return .failure(.notALetter(scalar)) }
        }
        return .success(name)
    }
}
