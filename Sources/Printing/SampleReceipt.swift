public import Foundation
import Flows
import Localized

/// A receipt with made-up data (no real person), to check the layout and the paper without a
/// dossier: `kioskctl print sample-receipt`, and the printing benchmark.
public enum SampleReceipt {
    public static func receipt(at date: Date = Date(timeIntervalSince1970: 1_795_408_800)) -> Receipt {
        let dossier = Dossier(
            clientUUID: UUID(uuidString: "6F1C2A34-0000-4000-8000-000000000001")!, sessionId: UUID(), kioskId: "KIOSK-MAU-01",
            procedureCode: "SAMPLE-HT-002", procedureVersion: "1", procedureEffectiveDate: CivilDate(year: 2025, month: 7, day: 1)!,
            procedureName: LocalizedText(vi: "Cấp Giấy xác nhận tình trạng hôn nhân", en: "Marital status confirmation"),
            sealedAt: date, receivedOn: CivilDate(date), dueOn: CivilDate(date),
            provisionalReference: "KIOSK-MAU-01-20261123-6F1C2A",
            identity: Identity(source: .typed, idNumber: "001185012345", fullName: "Nguyễn Thị Mẫu", dateOfBirth: CivilDate(year: 1985, month: 9, day: 5)!,
                               placeOfResidence: "Số 1, đường Mẫu, phường Mẫu, thành phố Hà Nội"),
            answers: ["phone": .text("0912345678")],
            documents: [DossierDocument(id: "id", name: LocalizedText(vi: "Bản sao Căn cước công dân", en: "ID card copy"), form: .copy,
                                        copies: 1, pageIds: [UUID(), UUID()])],
            delivery: DeliverySelection(option: .counter), fees: [])
        return Receipt(dossier: dossier, officeName: "Bộ phận Một cửa (mẫu)", timeLimitWorkingDays: 3)
    }
}
