public import Localized

extension FormField {
    /// The answer as a person reads it in `language`: a choice's label (not its code), a
    /// checkbox as yes/no, a date as `dd/MM/yyyy`, an address on one line. For documents the
    /// applicant signs; rules compare `Answer.conditionValue` instead.
    public func displayValue(_ answer: Answer, in language: Language) -> String {
        switch (type, answer) {
        case (.select, .text(let code)):
            return options.first { $0.value == code }?.label.text(in: language) ?? code
        case (_, .flag(let checked)):
            return LocalizedText(vi: checked ? "Có" : "Không", en: checked ? "Yes" : "No").text(in: language)
        case (.date, .text(let text)):
            return CivilDate(parsing: text)?.vietnamese ?? text
        default:
            return answer.conditionValue
        }
    }
}
