import Foundation

extension Identity {
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
