public import CitizenCard
import Foundation
import Imaging

/// An invented citizen for the virtual card: no real person's data.
public struct SyntheticCitizen: Sendable, Hashable {
    public var idNumber = "001185012345"
    public var fullName = "Nguyễn Thị Thử Nghiệm"
    /// `yyyy-MM-dd`.
    public var dateOfBirth = "1985-09-05"
    public var sex = "Nữ"
    public var nationality = "Việt Nam"
    public var ethnicity = "Kinh"
    public var religion = "Không"
    public var placeOfOrigin = "Xã Mẫu Thử, Huyện Thử Nghiệm, Tỉnh Hà Nam"
    public var placeOfResidence = "Số 1 Phố Thử, Phường Mẫu, Quận Hoàn Kiếm, Thành phố Hà Nội"
    public var identifyingMarks = "Nốt ruồi C:1cm trên sau mép phải"
    public var issueDate = "2024-01-15"
    /// Follows from the validity rules: issued after 38 → valid until 60.
    public var expiryDate = "2045-09-05"
    public var fatherName = "Nguyễn Văn Mẫu"
    public var motherName = "Trần Thị Thử"
    public var oldIdNumber = "012345678"

    public init() {}

    /// How field 13 (parents) is nested: both layouts are seen in public parsers.
    public enum ParentsLayout: Sendable { case twoSequences, oneSequence }

    /// The QR code printed on the card's front.
    public var qrPayload: String {
        "\(idNumber)|\(oldIdNumber)|\(fullName)|\(ddMMyyyy(dateOfBirth))|\(sex)|\(placeOfResidence)|\(ddMMyyyy(issueDate))||"
    }

    public var bacKey: BACKey {
        BACKey(documentNumber: String(idNumber.suffix(9)), dateOfBirth: yymmdd(dateOfBirth), dateOfExpiry: yymmdd(expiryDate))
    }

    /// DG1: the TD1 MRZ with correct check digits.
    public var dg1: [UInt8] {
        let number = String(idNumber.suffix(9))
        var line1 = "IDVNM" + number + String(MRZ.checkDigit(number)) + idNumber
        line1 = pad(line1, 30)
        let dob = yymmdd(dateOfBirth), exp = yymmdd(expiryDate)
        var line2 = dob + String(MRZ.checkDigit(dob)) + (sex == "Nam" ? "M" : "F") + exp + String(MRZ.checkDigit(exp)) + "VNM"
        line2 = pad(line2, 29)
        let composite =
            String(line1.dropFirst(5)) + String(line2.prefix(7)) + String(line2.dropFirst(8).prefix(7)) + String(line2.dropFirst(18).prefix(11))
        line2 += String(MRZ.checkDigit(composite))
        let line3 = pad("NGUYEN<<THI<THU<NGHIEM", 30)
        return TLV(tag: 0x61, children: [TLV(tag: 0x5F1F, value: Array((line1 + line2 + line3).utf8))]).encoded
    }

    /// DG13 with every field, numbered, in the card's nesting.
    public func dg13(parents: ParentsLayout = .twoSequences) -> [UInt8] {
        func field(_ n: Int, _ values: [TLV]) -> TLV { TLV(tag: TLV.sequence, children: [.int(n)] + values) }
        func utf8(_ s: String) -> TLV { TLV(tag: TLV.utf8String, value: Array(s.utf8)) }
        func printable(_ s: String) -> TLV { TLV(tag: TLV.printableString, value: Array(s.utf8)) }
        let parentsField: TLV =
            switch parents {
            case .twoSequences:
                field(13, [TLV(tag: TLV.sequence, children: [utf8(fatherName)]), TLV(tag: TLV.sequence, children: [utf8(motherName)])])
            case .oneSequence: field(13, [TLV(tag: TLV.sequence, children: [utf8(fatherName), utf8(motherName)])])
            }
        let fields: [TLV] = [
            field(1, [printable(idNumber)]), field(2, [utf8(fullName)]), field(3, [utf8(ddMMyyyy(dateOfBirth, slash: true))]),
            field(4, [utf8(sex)]), field(5, [utf8(nationality)]), field(6, [utf8(ethnicity)]), field(7, [utf8(religion)]),
            field(8, [utf8(placeOfOrigin)]), field(9, [utf8(placeOfResidence)]), field(10, [utf8(identifyingMarks)]),
            field(11, [utf8(ddMMyyyy(issueDate, slash: true))]), field(12, [utf8(ddMMyyyy(expiryDate, slash: true))]),
            parentsField, field(14, [utf8("")]), field(15, [printable(oldIdNumber)]), field(16, [printable("SYNTHETIC0000000")]),
        ]
        // The outer OID is a placeholder: parsers identify fields by number, not by it.
        return TLV(
            tag: 0x6D, children: [TLV(tag: TLV.sequence, children: [.int(1), .oid("1.3.6.1.4.1.99999.13"), TLV(tag: TLV.set, children: fields)])]
        ).encoded
    }

    /// DG2: a biometric template whose face record holds a small synthetic JPEG.
    public var dg2: [UInt8] {
        let width = 240, height = 320
        var pixels = [UInt8](repeating: 0, count: width * height)
        for y in 0..<height {
            for x in 0..<width {
                let dx = Double(x - width / 2) / 80, dy = Double(y - height / 2) / 110
                pixels[y * width + x] = dx * dx + dy * dy < 1 ? UInt8(180 - y / 4) : UInt8(235 - x / 8)
            }
        }
        let jpeg =
            (try? JPEGEncoder().encode(Raster(kind: .gray, width: width, height: height, dpi: 100, pixels: pixels), quality: 60)).map { Array($0) }
            ?? []
        let record = Array("FAC\u{0}010\u{0}".utf8) + [UInt8](repeating: 0, count: 38) + jpeg
        let template = TLV(
            tag: 0x7F60, children: [TLV(tag: 0xA1, children: [TLV(tag: 0x80, value: [0x01, 0x01])]), TLV(tag: 0x5F2E, value: record)])
        return TLV(tag: 0x75, children: [TLV(tag: 0x7F61, children: [TLV(tag: 0x02, value: [1]), template])]).encoded
    }

    private func pad(_ s: String, _ n: Int) -> String { s + String(repeating: "<", count: max(0, n - s.count)) }
    private func yymmdd(_ iso: String) -> String {
        let p = iso.split(separator: "-")
        return String(p[0].suffix(2)) + p[1] + p[2]
    }
    private func ddMMyyyy(_ iso: String, slash: Bool = false) -> String {
        let p = iso.split(separator: "-")
        return slash ? "\(p[2])/\(p[1])/\(p[0])" : "\(p[2])\(p[1])\(p[0])"
    }
}
