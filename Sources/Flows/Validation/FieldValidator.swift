import Foundation
public import Localized

/// Checks one answer against its field's rules and returns it in canonical form
/// (dates as `yyyy-MM-dd`, numbers as numbers, ID numbers without spaces).
///
/// Every rejection is a message in Vietnamese and English that tells the applicant what to type.
public enum FieldValidator {
    /// The outcome of checking one answer.
    public enum Checked: Sendable, Hashable {
        /// The answer in canonical form; nil for an optional field left empty.
        case accepted(Answer?)
        /// What the applicant should correct.
        case rejected(LocalizedText)
    }

    public static func check(_ field: FormField, _ answer: Answer?, today: CivilDate) -> Checked {
        let label = field.label
        guard let answer, !isBlank(answer) else {
            return field.required
                ? .rejected(LocalizedText(vi: "Vui lòng điền «\(label.vi)».", en: "Please fill in “\(label.en)”."))
                : .accepted(nil)
        }
        switch field.type {
        case .text: return text(field, answer)
        case .number: return number(field, answer)
        case .date: return date(field, answer, today: today)
        case .select:
            let value = answer.conditionValue
            guard field.options.contains(where: { $0.value == value }) else {
                return .rejected(
                    LocalizedText(
                        vi: "Vui lòng chọn một mục trong danh sách «\(label.vi)».",
                        en: "Please choose one of the options for “\(label.en)”."))
            }
            return .accepted(.text(value))
        case .checkbox:
            switch answer {
            case .flag: return .accepted(answer)
            case .text("true"): return .accepted(.flag(true))
            case .text("false"): return .accepted(.flag(false))
            default:
                return .rejected(LocalizedText(vi: "Vui lòng đánh dấu hoặc bỏ đánh dấu «\(label.vi)».", en: "Please tick or untick “\(label.en)”."))
            }
        case .phone: return phone(field, answer)
        case .email:
            let value = answer.conditionValue.trimmingCharacters(in: .whitespaces)
            guard value.range(of: #"^[^@\s]+@[^@\s]+\.[^@\s]+$"#, options: .regularExpression) != nil, value.count <= 254 else {
                return .rejected(
                    LocalizedText(
                        vi: "Địa chỉ thư điện tử chưa đúng (ví dụ: ten@example.vn).",
                        en: "The email address is not valid (for example: name@example.vn)."))
            }
            return .accepted(.text(value))
        case .citizenId: return citizenID(answer, today: today)
        case .address: return address(field, answer)
        }
    }

    /// The message for an ID-number problem, shared by the form and the identify step.
    public static func message(for problem: CitizenID.Problem) -> LocalizedText {
        switch problem {
        case .notTwelveDigits:
            LocalizedText(
                vi: "Số định danh cá nhân (số CCCD) gồm đúng 12 chữ số. Vui lòng kiểm tra lại.",
                en: "The personal identification number (CCCD) has exactly 12 digits. Please check it.")
        case .unknownProvince(let code):
            LocalizedText(
                vi: "Ba số đầu \(code) không phải mã tỉnh hợp lệ. Vui lòng kiểm tra lại số CCCD.",
                en: "The first three digits \(code) are not a valid province code. Please check the CCCD number.")
        case .birthYearInFuture:
            LocalizedText(
                vi: "Số CCCD có năm sinh không hợp lệ. Vui lòng kiểm tra lại.",
                en: "The CCCD number encodes an impossible year of birth. Please check it.")
        case .disagreesWithBirthDate:
            LocalizedText(
                vi: "Năm sinh không khớp với số CCCD. Vui lòng kiểm tra lại số CCCD và ngày sinh.",
                en: "The year of birth does not match the CCCD number. Please check both.")
        case .disagreesWithSex:
            LocalizedText(
                vi: "Giới tính không khớp với số CCCD. Vui lòng kiểm tra lại.",
                en: "The sex does not match the CCCD number. Please check it.")
        }
    }

    private static func isBlank(_ answer: Answer) -> Bool {
        switch answer {
        case .text(let value): value.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty
        case .address(let value): [value.province, value.commune, value.detail].allSatisfy { $0.trimmingCharacters(in: .whitespaces).isEmpty }
        case .number, .flag: false
        }
    }

    private static func text(_ field: FormField, _ answer: Answer) -> Checked {
        let label = field.label
        let value = answer.conditionValue.trimmingCharacters(in: .whitespacesAndNewlines)
        if let min = field.minLength, value.count < min {
            return .rejected(LocalizedText(vi: "«\(label.vi)» cần ít nhất \(min) ký tự.", en: "“\(label.en)” needs at least \(min) characters."))
        }
        if let max = field.maxLength, value.count > max {
            return .rejected(
                LocalizedText(
                    vi: "«\(label.vi)» dài quá \(max) ký tự, vui lòng rút gọn.",
                    en: "“\(label.en)” is longer than \(max) characters; please shorten it."))
        }
        if let pattern = field.pattern, value.range(of: "^(?:\(pattern))$", options: .regularExpression) == nil {
            return .rejected(
                field.patternHint ?? LocalizedText(vi: "«\(label.vi)» chưa đúng định dạng.", en: "“\(label.en)” is not in the expected format."))
        }
        return .accepted(.text(value))
    }

    private static func number(_ field: FormField, _ answer: Answer) -> Checked {
        let label = field.label
        let value: Double?
        switch answer {
        case .number(let number): value = number
        case .text(let text): value = Double(text.trimmingCharacters(in: .whitespaces).replacingOccurrences(of: ",", with: "."))
        default: value = nil
        }
        guard let value, value.isFinite else {
            return .rejected(LocalizedText(vi: "«\(label.vi)» phải là một số.", en: "“\(label.en)” must be a number."))
        }
        if (field.min.map { value < $0 } ?? false) || (field.max.map { value > $0 } ?? false) {
            let low = field.min.map { Answer.number($0).conditionValue } ?? "…"
            let high = field.max.map { Answer.number($0).conditionValue } ?? "…"
            return .rejected(
                LocalizedText(vi: "«\(label.vi)» phải trong khoảng \(low) đến \(high).", en: "“\(label.en)” must be between \(low) and \(high)."))
        }
        return .accepted(.number(value))
    }

    private static func date(_ field: FormField, _ answer: Answer, today: CivilDate) -> Checked {
        let label = field.label
        guard case .text(let text) = answer, let date = CivilDate(parsing: text) else {
            return .rejected(
                LocalizedText(
                    vi: "«\(label.vi)»: ngày không hợp lệ. Vui lòng nhập theo dạng ngày/tháng/năm, ví dụ 05/09/1985.",
                    en: "“\(label.en)”: not a valid date. Please enter day/month/year, for example 05/09/1985."))
        }
        // `min`/`max` on a date field bound the number of years before today (an age range).
        let age = date.years(until: today)
        if let min = field.min, Double(age) < min {
            return .rejected(
                LocalizedText(
                    vi: "«\(label.vi)»: cần cách ngày hôm nay ít nhất \(Int(min)) năm.", en: "“\(label.en)” must be at least \(Int(min)) years ago."))
        }
        if let max = field.max, Double(age) > max {
            return .rejected(LocalizedText(vi: "«\(label.vi)»: ngày quá xa trong quá khứ.", en: "“\(label.en)” is too far in the past."))
        }
        if field.min == nil, date > today {
            return .rejected(LocalizedText(vi: "«\(label.vi)» không thể là ngày trong tương lai.", en: "“\(label.en)” cannot be in the future."))
        }
        return .accepted(.text(date.description))
    }

    private static func phone(_ field: FormField, _ answer: Answer) -> Checked {
        var digits = answer.conditionValue.filter { !" .-()".contains($0) }
        if digits.hasPrefix("+84") { digits = "0" + digits.dropFirst(3) }
        // Vietnamese numbers: 10 digits starting with 0 (mobile 03/05/07/08/09, landline 02).
        guard digits.count == 10, digits.hasPrefix("0"), digits.allSatisfy({ $0.isASCII && $0.isNumber }),
            "235789".contains(digits[digits.index(after: digits.startIndex)])
        else {
            return .rejected(
                LocalizedText(
                    vi: "Số điện thoại gồm 10 chữ số, bắt đầu bằng số 0 (ví dụ 0912345678).",
                    en: "The phone number has 10 digits and starts with 0 (for example 0912345678)."))
        }
        return .accepted(.text(digits))
    }

    private static func citizenID(_ answer: Answer, today: CivilDate) -> Checked {
        switch CitizenID.validate(answer.conditionValue, today: today) {
        case .success(let id): .accepted(.text(id.digits))
        case .failure(let problem): .rejected(message(for: problem))
        }
    }

    private static func address(_ field: FormField, _ answer: Answer) -> Checked {
        guard case .address(let value) = answer else {
            return .rejected(
                LocalizedText(
                    vi: "«\(field.label.vi)»: vui lòng chọn tỉnh/thành phố, xã/phường và nhập số nhà, đường.",
                    en: "“\(field.label.en)”: please choose the province or city, the commune or ward, and type the street address."))
        }
        let trimmed = Address(
            province: value.province.trimmingCharacters(in: .whitespaces),
            commune: value.commune.trimmingCharacters(in: .whitespaces),
            detail: value.detail.trimmingCharacters(in: .whitespaces))
        if trimmed.province.isEmpty || trimmed.commune.isEmpty || trimmed.detail.isEmpty {
            return .rejected(
                LocalizedText(
                    vi: "«\(field.label.vi)»: cần đủ tỉnh/thành phố, xã/phường/đặc khu và số nhà, đường hoặc thôn, tổ dân phố.",
                    en:
                        "“\(field.label.en)”: give the province or city, the commune, ward or special zone, and the street, hamlet or residential group."
                ))
        }
        guard [trimmed.province, trimmed.commune, trimmed.detail].allSatisfy({ $0.count <= 200 }) else {
            return .rejected(LocalizedText(vi: "«\(field.label.vi)» quá dài.", en: "“\(field.label.en)” is too long."))
        }
        return .accepted(.address(trimmed))
    }
}
