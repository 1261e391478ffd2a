public import Foundation
import Localized

/// The receipt and appointment slip (Giấy tiếp nhận hồ sơ và hẹn trả kết quả, Mẫu 01) for a
/// sealed dossier, as data. Printer drivers lay it out; `plainText` is the simplest layout.
public struct Receipt: Sendable, Hashable {
    public var officeName: String
    public var dossierCode: String
    /// True while the central system has not assigned its own code: the slip says so.
    public var codeIsProvisional: Bool
    public var applicantName: String
    /// What vouches for the applicant's identity (printed, so staff know what was checked).
    public var identityAssurance: Identity.Assurance
    public var address: String?
    public var phone: String?
    public var procedureName: String
    /// Document name and number of pages received.
    public var documents: [(name: String, pages: Int)]
    public var sets: Int
    public var timeLimitWorkingDays: Int
    public var receivedAt: Date
    public var dueOn: CivilDate
    public var delivery: DeliverySelection
    /// The fees as charged, with how each was reached; empty when free or not counted.
    public var charges: [FeeCharge]

    /// Builds the receipt for `dossier`; answers named like the catalog's usual phone and
    /// residence fields are printed when present.
    public init(dossier: Dossier, officeName: String, timeLimitWorkingDays: Int, centralCode: String? = nil) {
        self.officeName = officeName
        dossierCode = centralCode ?? dossier.provisionalReference
        codeIsProvisional = centralCode == nil
        applicantName = dossier.identity.fullName
        identityAssurance = dossier.identity.assurance
        let addressAnswer = dossier.answers.first { $0.key.contains("residence") }?.value
        if case .address(let address)? = addressAnswer { self.address = address.oneLine } else { address = dossier.identity.placeOfResidence }
        phone = dossier.answers["phone"]?.conditionValue
        procedureName = dossier.procedureName.vi
        documents = dossier.documents.filter { !$0.pageIds.isEmpty }.map { ($0.name.vi, $0.pageIds.count) }
        sets = 1
        self.timeLimitWorkingDays = timeLimitWorkingDays
        receivedAt = dossier.sealedAt
        dueOn = dossier.dueOn
        delivery = dossier.delivery
        charges = (dossier.charges ?? []).filter { $0.amountVND > 0 }
    }

    public static func == (lhs: Receipt, rhs: Receipt) -> Bool { lhs.plainText == rhs.plainText }
    public func hash(into hasher: inout Hasher) { hasher.combine(plainText) }

    public static let title = "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ"

    /// How the receipt names what vouched for the identity.
    public static func wording(_ assurance: Identity.Assurance) -> String {
        switch assurance {
        case .chipVerified: "Chip CCCD, đã xác thực chữ ký số"
        case .chipCAUnknown: "Chip CCCD, chưa xác minh được nơi cấp chữ ký"
        case .chipUnchecked: "Chip CCCD, chưa xác thực"
        case .qrCode: "Mã QR trên thẻ CCCD"
        case .typed: "Người nộp tự khai"
        }
    }

    /// The code line: the dossier code, marked when it is only the kiosk's provisional one.
    public var codeLine: String {
        "Mã hồ sơ: \(dossierCode)" + (codeIsProvisional ? " (MÃ TẠM — chờ hệ thống cấp mã chính thức)" : "")
    }

    /// The form's fields before the list of documents, as (label, value).
    public var applicantFields: [(label: String, value: String)] {
        var fields = [("Người nộp", applicantName), ("Xác thực", Self.wording(identityAssurance))]
        if let address { fields.append(("Địa chỉ", address)) }
        if let phone { fields.append(("Số điện thoại", phone)) }
        fields.append(("Thủ tục", procedureName))
        return fields
    }

    /// The form's fields after the list of documents: sets, time limit, when received, when
    /// due, where to collect.
    public var appointmentFields: [(label: String, value: String)] {
        var clock = Calendar(identifier: .gregorian)
        clock.timeZone = CivilDate.vietnamTimeZone
        let parts = clock.dateComponents([.hour, .minute], from: receivedAt)
        let time = String(format: "%02d giờ %02d phút", parts.hour ?? 0, parts.minute ?? 0)
        let deliveryText =
            switch delivery.option {
            case .counter: "Tại Bộ phận Một cửa"
            case .post: "Qua dịch vụ bưu chính công ích" + (delivery.address.map { ": \($0.oneLine)" } ?? "")
            case .online: "Trực tuyến trên Cổng Dịch vụ công"
            }
        return [
            ("Số lượng hồ sơ", "\(String(format: "%02d", sets)) bộ"),
            ("Thời hạn giải quyết", timeLimitWorkingDays == 0 ? "trong ngày" : "\(timeLimitWorkingDays) ngày làm việc"),
            ("Thời gian nhận hồ sơ", "\(time), ngày \(CivilDate(receivedAt).vietnamese)"),
            ("Thời gian trả kết quả", "ngày \(dueOn.vietnamese)"),
            ("Nơi nhận kết quả", deliveryText),
        ] + charges.map { ("Lệ phí", $0.working.vi) }
    }

    /// The receipt as Vietnamese text lines (UTF-8, every diacritic exact).
    public var plainText: String {
        var lines = [officeName, Self.title, codeLine]
        lines += applicantFields.map { "\($0.label): \($0.value)" }
        lines.append("Thành phần hồ sơ:")
        for (index, document) in documents.enumerated() {
            lines.append("  \(index + 1). \(document.name) — \(document.pages) trang")
        }
        lines += appointmentFields.map { "\($0.label): \($0.value)" }
        return lines.joined(separator: "\n") + "\n"
    }
}
