import Foundation

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
                assurance: .qrCode, idNumber: number, fullName: name, dateOfBirth: dob,
                sex: field(4).flatMap(Sex.init(cardText:)), placeOfResidence: field(5),
                issueDate: field(6).flatMap(CivilDate.init(parsing:)), oldIdNumber: field(1)))
    }
}
