import Flows
import Foundation
import KioskTestSupport
import Localized
import Printing
import Testing

/// The declaration the applicant signs shows what they chose, as they would write it: option
/// labels, not codes; dates as dd/MM/yyyy; a checkbox as Có/Không.
@Suite struct DeclarationLayoutTests {
    @Test func answersAppearAsTheApplicantReadsThem() throws {
        let catalog = try Catalog.load(directory: repositoryRoot.appendingPathComponent("catalog"))
        let birth = try #require(catalog.procedure("SAMPLE-HT-001"))
        let dossier = Dossier(
            clientUUID: UUID(), sessionId: UUID(), kioskId: "K1", procedureCode: birth.code, procedureVersion: birth.version,
            procedureEffectiveDate: CivilDate(year: 2025, month: 7, day: 1)!, procedureName: birth.name,
            sealedAt: Date(timeIntervalSince1970: 1_795_399_200), receivedOn: CivilDate(year: 2026, month: 11, day: 23)!,
            dueOn: CivilDate(year: 2026, month: 11, day: 23)!, provisionalReference: "K1-20261123-ABC123",
            identity: Identity(
                assurance: .typed, idNumber: "001185012345", fullName: "Nguyễn Thị Thử Nghiệm", dateOfBirth: CivilDate(year: 1985, month: 9, day: 5)!),
            answers: [
                "relationship": .text("mother"), "child_sex": .text("male"), "child_birth_date": .text("2026-11-20"), "father_known": .flag(true),
            ],
            documents: [], delivery: DeliverySelection(option: .counter), fees: [])
        let values = DeclarationLayout.document(dossier, procedure: birth).blocks.reduce(into: [String]()) { found, block in
            if case .field(_, let value) = block { found.append(value) }
        }
        #expect(values.contains("Mẹ") && values.contains("Nam"), "option labels: \(values)")
        #expect(values.contains("20/11/2026"), "dates as dd/MM/yyyy: \(values)")
        #expect(values.contains("Có"), "a checkbox as yes/no: \(values)")
        #expect(!values.contains { ["mother", "male", "true", "2026-11-20"].contains($0) }, "no raw value: \(values)")
        let field = try #require(birth.form.allFields.first { $0.id == "relationship" })
        #expect(field.displayValue(.text("father"), in: .en) == "Father" && field.displayValue(.text("unknown"), in: .vi) == "unknown")
    }
}
