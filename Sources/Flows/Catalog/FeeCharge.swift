import Foundation
import Localized

/// A per-page fee counted from what the applicant declared: for each copy, the first pages at
/// one rate and the rest at another, with a ceiling per copy (Circular 226/2016/TT-BTC for
/// certified copies: 2,000 đ a page for the first two, 1,000 đ from the third, at most
/// 200,000 đ a copy).
public struct PageTieredRate: Codable, Sendable, Hashable {
    /// The form's number fields holding the number of copies and the pages of each.
    public var copiesField: String
    public var pagesField: String
    /// Pages charged at `firstPageVND`; every further page at `furtherPageVND`.
    public var firstPages: Int
    public var firstPageVND: Int
    public var furtherPageVND: Int
    public var maxPerCopyVND: Int?

    public init(copiesField: String, pagesField: String, firstPages: Int, firstPageVND: Int, furtherPageVND: Int, maxPerCopyVND: Int?) {
        self.copiesField = copiesField
        self.pagesField = pagesField
        self.firstPages = firstPages
        self.firstPageVND = firstPageVND
        self.furtherPageVND = furtherPageVND
        self.maxPerCopyVND = maxPerCopyVND
    }
}

/// A fee as charged for one dossier: the amount, and how it was reached, in words.
public struct FeeCharge: Codable, Sendable, Hashable {
    public var feeId: String
    public var name: LocalizedText
    public var amountVND: Int
    /// "2 bản × (2 trang × 2.000 đ + 3 trang × 1.000 đ) = 14.000 đ".
    public var working: LocalizedText

    public init(feeId: String, name: LocalizedText, amountVND: Int, working: LocalizedText) {
        self.feeId = feeId
        self.name = name
        self.amountVND = amountVND
        self.working = working
    }
}

extension Fee {
    /// The fee for a dossier with these answers: a flat fee as is; a per-page fee from the
    /// declared copies and pages (nil while they are not declared yet).
    public func charge(_ answers: [String: Answer]) -> FeeCharge? {
        guard let rate = perPage else {
            let text = Self.vnd(amountVND)
            return FeeCharge(feeId: id, name: name, amountVND: amountVND, working: LocalizedText(vi: text, en: text))
        }
        func number(_ field: String) -> Int? {
            switch answers[field] {
            case .number(let value)?: Int(exactly: value.rounded()).flatMap { $0 > 0 ? $0 : nil }
            case .text(let text)?: Int(text).flatMap { $0 > 0 ? $0 : nil }
            default: nil
            }
        }
        guard let copies = number(rate.copiesField), let pages = number(rate.pagesField) else { return nil }
        let first = min(pages, rate.firstPages), further = max(0, pages - rate.firstPages)
        let counted = first * rate.firstPageVND + further * rate.furtherPageVND
        let perCopy = rate.maxPerCopyVND.map { min(counted, $0) } ?? counted
        let total = copies * perCopy
        var partsVi = ["\(first) trang × \(Self.vnd(rate.firstPageVND))"]
        var partsEn = ["\(first) page\(first == 1 ? "" : "s") × \(Self.vnd(rate.firstPageVND))"]
        if further > 0 {
            partsVi.append("\(further) trang × \(Self.vnd(rate.furtherPageVND))")
            partsEn.append("\(further) page\(further == 1 ? "" : "s") × \(Self.vnd(rate.furtherPageVND))")
        }
        var vi = "\(copies) bản × (\(partsVi.joined(separator: " + ")))"
        var en = "\(copies) cop\(copies == 1 ? "y" : "ies") × (\(partsEn.joined(separator: " + ")))"
        if perCopy < counted, let ceiling = rate.maxPerCopyVND {
            vi = "\(copies) bản × \(Self.vnd(ceiling)) (mỗi bản tối đa \(Self.vnd(ceiling)))"
            en = "\(copies) cop\(copies == 1 ? "y" : "ies") × \(Self.vnd(ceiling)) (at most \(Self.vnd(ceiling)) a copy)"
        }
        return FeeCharge(
            feeId: id, name: name, amountVND: total, working: LocalizedText(vi: vi + " = \(Self.vnd(total))", en: en + " = \(Self.vnd(total))"))
    }

    /// `14.000 đ`: Vietnamese thousands separators.
    public static func vnd(_ amount: Int) -> String {
        var digits = String(amount)
        var groups: [String] = []
        while digits.count > 3 {
            groups.insert(String(digits.suffix(3)), at: 0)
            digits = String(digits.dropLast(3))
        }
        groups.insert(digits, at: 0)
        return groups.joined(separator: ".") + " đ"
    }
}

extension Procedure {
    /// Every fee as charged for these answers (a per-page fee not yet countable is left out).
    public func charges(_ answers: [String: Answer]) -> [FeeCharge] {
        fees.compactMap { $0.charge(answers) }
    }
}
