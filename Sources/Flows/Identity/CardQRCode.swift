import Foundation
import Localized

/// The QR code printed on the card's front: pipe-separated
/// `id | old id | name | dob ddMMyyyy | sex | residence | issue date ddMMyyyy`, sometimes with
/// trailing empty fields, sometimes without the old number (then six fields before the
/// trailing ones). Read with the checks the typed path makes: anyone can print a QR code.
public enum CardQRCode {
    /// Why a payload is not a CCCD's QR code, naming the field.
    public enum Problem: Error, Sendable, Hashable, CustomStringConvertible {
        case tooLong
        case tooFewFields(Int)
        case idNumber(CitizenID.Problem)
        case name(PersonName.Problem)
        case badDateOfBirth
        case birthInFuture
        case unknownSex
        case badResidence
        case badIssueDate
        case issueBeforeBirth
        case issueInFuture

        /// The identity field the problem is in (the applicant's screen marks it).
        public var field: String {
            switch self {
            case .tooLong, .tooFewFields: "identity"
            case .idNumber: "idNumber"
            case .name: "fullName"
            case .badDateOfBirth, .birthInFuture: "dateOfBirth"
            case .unknownSex: "sex"
            case .badResidence: "placeOfResidence"
            case .badIssueDate, .issueBeforeBirth, .issueInFuture: "issueDate"
            }
        }

        /// For the technician (kioskctl, logs without the payload).
        public var description: String {
            switch self {
            case .tooLong: "longer than any card's QR code (1000 characters)"
            case .tooFewFields(let count): "\(count) fields; a CCCD's QR code has 7 (number, old number, name, birth, sex, residence, issue)"
            case .idNumber(let problem): "field 1, the CCCD number: \(problem)"
            case .name(let problem): "field 3, the full name: \(problem)"
            case .badDateOfBirth: "field 4, the date of birth: not a date as ddMMyyyy"
            case .birthInFuture: "field 4, the date of birth: in the future"
            case .unknownSex: "field 5, the sex: neither Nam nor Nữ"
            case .badResidence: "field 6, the place of residence: holds control, format or line-break characters"
            case .badIssueDate: "field 7, the issue date: not a date as ddMMyyyy"
            case .issueBeforeBirth: "field 7, the issue date: before the date of birth"
            case .issueInFuture: "field 7, the issue date: in the future"
            }
        }

        /// For the applicant, in their language: what is wrong and what to do.
        public var message: LocalizedText {
            let again = (
                vi: " Vui lòng quét lại mã QR trên thẻ, hoặc nhập thông tin.", en: " Please scan the QR code on the card again, or type your details."
            )
            return switch self {
            case .tooLong, .tooFewFields:
                LocalizedText(vi: "Đây không phải mã QR của thẻ căn cước." + again.vi, en: "This is not the QR code of an ID card." + again.en)
            case .idNumber(let problem): FieldValidator.message(for: problem)
            case .name:
                LocalizedText(
                    vi: "Họ và tên trong mã QR có ký tự không hợp lệ." + again.vi,
                    en: "The name in the QR code holds characters no name has." + again.en)
            case .badDateOfBirth, .birthInFuture:
                LocalizedText(vi: "Ngày sinh trong mã QR không hợp lệ." + again.vi, en: "The date of birth in the QR code is not valid." + again.en)
            case .unknownSex:
                LocalizedText(vi: "Giới tính trong mã QR không hợp lệ." + again.vi, en: "The sex in the QR code is not valid." + again.en)
            case .badResidence:
                LocalizedText(
                    vi: "Nơi thường trú trong mã QR có ký tự không hợp lệ." + again.vi,
                    en: "The place of residence in the QR code holds characters an address does not have." + again.en)
            case .badIssueDate, .issueBeforeBirth, .issueInFuture:
                LocalizedText(
                    vi: "Ngày cấp thẻ trong mã QR không hợp lệ." + again.vi, en: "The card's issue date in the QR code is not valid." + again.en)
            }
        }
    }

    /// The identity in `payload`, or why there is none; dates are judged against `today`.
    public static func read(_ payload: String, today: CivilDate) -> Result<Identity, Problem> {
        guard payload.count <= 1_000 else { return .failure(.tooLong) }
        var fields = payload.split(separator: "|", omittingEmptySubsequences: false).map {
            $0.trimmingCharacters(in: .whitespaces)
        }
        // Form without the old number: the second field is already the name.
        if fields.count > 2, !fields[1].isEmpty, !fields[1].allSatisfy(\.isNumber) { fields.insert("", at: 1) }
        while fields.count > 7, fields.last?.isEmpty == true { fields.removeLast() }
        guard fields.count >= 7 else { return .failure(.tooFewFields(fields.count)) }
        func field(_ i: Int) -> String? { fields[i].isEmpty ? nil : fields[i] }
        let name: String
        switch PersonName.validate(fields[2]) {
        case .success(let valid): name = valid
        case .failure(let problem): return .failure(.name(problem))
        }
        guard let dob = field(3).flatMap(CivilDate.init(parsing:)) else { return .failure(.badDateOfBirth) }
        guard dob <= today else { return .failure(.birthInFuture) }
        guard let sex = field(4).flatMap(Sex.init(cardText:)) else { return .failure(.unknownSex) }
        let number: String
        switch CitizenID.validate(fields[0], birthDate: dob, sex: sex, today: today) {
        case .success(let id): number = id.digits
        case .failure(let problem): return .failure(.idNumber(problem))
        }
        guard let issued = field(6).flatMap(CivilDate.init(parsing:)) else { return .failure(.badIssueDate) }
        guard issued >= dob else { return .failure(.issueBeforeBirth) }
        guard issued <= today else { return .failure(.issueInFuture) }
        let forbidden: [Unicode.GeneralCategory] = [.control, .format, .lineSeparator, .paragraphSeparator]
        if let residence = field(5), residence.unicodeScalars.contains(where: { forbidden.contains($0.properties.generalCategory) }) {
            return .failure(.badResidence)
        }
        return .success(
            Identity(
                assurance: .qrCode, idNumber: number, fullName: name, dateOfBirth: dob, sex: sex, placeOfResidence: field(5),
                issueDate: issued, oldIdNumber: field(1)))
    }
}
