public import Foundation
import Flows
import Localized

/// A receipt with made-up data (no real person), to check the layout and the paper without a
/// dossier: `kioskctl print sample-receipt`, and the printing benchmark.
public enum SampleReceipt {
    /// Received at `date` (default 2026-11-23 11:40, Hà Nội time), due three days later.
    public static func receipt(
        name: String = "Nguyễn Thị Thử Nghiệm", address: String? = nil,
        at date: Date = Date(timeIntervalSince1970: 1_795_408_800)
    ) -> Receipt {
        let dossier = Dossier(
            clientUUID: UUID(uuidString: "6F1C2A34-0000-4000-8000-000000000001")!, sessionId: UUID(), kioskId: "KIOSK-01",
            procedureCode: "SAMPLE-HT-002", procedureVersion: "1", procedureEffectiveDate: CivilDate(year: 2025, month: 7, day: 1)!,
            procedureName: LocalizedText(vi: "Cấp Giấy xác nhận tình trạng hôn nhân", en: "Marital status confirmation"),
            sealedAt: date, receivedOn: CivilDate(date), dueOn: CivilDate(date).adding(days: 3),
            provisionalReference: "KIOSK-01-20261123-6F1C2A",
            identity: Identity(
                assurance: .typed, idNumber: "001185012345", fullName: name, dateOfBirth: CivilDate(year: 1985, month: 9, day: 5)!,
                placeOfResidence: address),
            answers: ["phone": .text("0912345678")],
            documents: [
                DossierDocument(
                    id: "id", name: LocalizedText(vi: "Bản sao Căn cước công dân", en: "ID card copy"), form: .copy,
                    copies: 1, pageIds: [UUID(), UUID()])
            ],
            delivery: DeliverySelection(option: .counter), fees: [])
        return Receipt(dossier: dossier, officeName: "Bộ phận Một cửa — Ủy ban nhân dân phường Mẫu", timeLimitWorkingDays: 3)
    }
}
