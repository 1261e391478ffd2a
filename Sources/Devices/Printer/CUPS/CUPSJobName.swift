import Foundation

/// The name a job and its document carry into CUPS (`job-name`, `document-name`), made safe
/// once here for every caller (kioskd, kioskctl, tests).
///
/// Why: Debian 12's CUPS security update 2.4.2-3+deb12u10 crashes cupsd (SIGSEGV) when a
/// job attribute of type `name` other than `job-name` — `document-name` among them — holds a
/// white-space character: `get_options()` in scheduler/job.c writes a space for it without
/// advancing over it, until it runs off the options buffer (see `notes/cups-deb12u10-crash/`).
/// A title such as "receipt TEST-1" therefore took down every queue of the office's cupsd.
///
/// What a name keeps: ASCII letters and digits, `.`, `_`, `-`, `+`, `:`; Vietnamese letters lose
/// their diacritics (`Biên nhận` → `Bien-nhan`); every run of anything else becomes one `-`.
/// At most 100 characters; never empty.
public struct CUPSJobName: Sendable, Hashable, CustomStringConvertible {
    public let value: String
    public var description: String { value }

    static let maximumLength = 100

    public init(_ title: String) {
        var result = ""
        var pendingSeparator = false
        for scalar in Self.folded(title).unicodeScalars {
            if Self.kept(scalar) {
                if pendingSeparator, !result.isEmpty { result.append("-") }
                pendingSeparator = false
                result.unicodeScalars.append(scalar)
            } else {
                pendingSeparator = true
            }
            if result.count >= Self.maximumLength { break }
        }
        value = result.isEmpty ? "document" : String(result.prefix(Self.maximumLength))
    }

    private static func kept(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar {
        case "a"..."z", "A"..."Z", "0"..."9", ".", "_", "-", "+", ":": true
        default: false
        }
    }

    /// Vietnamese (and other Latin) letters without their marks; đ and Đ have none to drop.
    private static func folded(_ text: String) -> String {
        var out = ""
        for character in text {
            switch character {
            case "đ": out.append("d")
            case "Đ": out.append("D")
            default:
                // Canonical decomposition, then the base letter only.
                let base = String(character).decomposedStringWithCanonicalMapping.unicodeScalars.filter {
                    !(0x0300...0x036F).contains($0.value)
                }
                out.unicodeScalars.append(contentsOf: base)
            }
        }
        return out
    }
}
