import Devices
import Flows

extension CardHolderData {
    /// The flow's identity for this card's data, or nil when the dates the chip returned do
    /// not parse (garbage from a card is refused, not half-used).
    var identity: Identity? {
        guard let birth = CivilDate(parsing: dateOfBirth) else { return nil }
        return Identity(
            source: .chip, chipVerified: chipVerified, idNumber: idNumber, fullName: fullName, dateOfBirth: birth,
            sex: sex.flatMap(Sex.init(cardText:)), nationality: nationality, ethnicity: ethnicity, religion: religion,
            placeOfOrigin: placeOfOrigin, placeOfResidence: placeOfResidence,
            issueDate: issueDate.flatMap(CivilDate.init(parsing:)), expiryDate: expiryDate.flatMap(CivilDate.init(parsing:)),
            oldIdNumber: oldIdNumber)
    }
}
