@testable import Flows
import Foundation
import KioskAPI
import Localized
import Testing

/// A certified copy's fee counted from the declaration: copies × pages at the legal per-page
/// tiers, with the ceiling per copy, and the working shown.
@Suite struct FeeChargeTests {
    func certification() throws -> Fee {
        try #require(try Fixtures.catalog().procedure("SAMPLE-CT-001")?.fees.first { $0.id == "certification" })
    }

    func charge(copies: Int, pages: Int) throws -> FeeCharge {
        try #require(try certification().charge(["copy_count": .number(Double(copies)), "page_count": .number(Double(pages))]))
    }

    @Test func pagesAreCountedAtTheirTierForEachCopy() throws {
        #expect(try charge(copies: 1, pages: 1).amountVND == 2_000)
        #expect(try charge(copies: 1, pages: 2).amountVND == 4_000)
        let two = try charge(copies: 2, pages: 5)
        #expect(two.amountVND == 14_000)
        #expect(two.working.vi == "2 bản × (2 trang × 2.000 đ + 3 trang × 1.000 đ) = 14.000 đ", "\(two.working.vi)")
        #expect(two.working.en == "2 copies × (2 pages × 2.000 đ + 3 pages × 1.000 đ) = 14.000 đ")
    }

    @Test func aCopyCostsAtMostTheCeiling() throws {
        let long = try charge(copies: 3, pages: 300)  // 2 × 2,000 + 298 × 1,000 = 302,000 → 200,000 a copy
        #expect(long.amountVND == 600_000 && long.working.vi.contains("tối đa 200.000 đ"), "\(long.working.vi)")
    }

    @Test func notYetDeclaredIsNotCharged() throws {
        #expect(try certification().charge([:]) == nil)
        #expect(try certification().charge(["copy_count": .number(2)]) == nil)
    }

    @Test func theFeeStepShowsTheChargeAndTheDossierKeepsIt() throws {
        let clock = ManualClock(Fixtures.monday)
        let engine = try Fixtures.engine(clock: clock)
        var s = engine.start()
        _ = try engine.apply(.chooseProcedure(code: "SAMPLE-CT-001"), to: &s)
        s.answers["copy_count"] = .number(2)
        s.answers["page_count"] = .number(5)
        s.step = .fee
        let screen = SessionScreen(s)
        #expect(screen.totalFeeVND == 14_000 && screen.charges?.first?.working.vi.hasSuffix("= 14.000 đ") == true)
    }

    @Test func aPerPageFeeNamingNoNumberFieldIsRefused() throws {
        let text = try String(contentsOf: Fixtures.shippedCatalog.appendingPathComponent("chung-thuc-ban-sao.yaml"), encoding: .utf8)
            .replacingOccurrences(of: "pages_field: page_count", with: "pages_field: phone")
        #expect(throws: CatalogIssue.self) { try ProcedureParser.parse(text, file: "x.yaml") }
    }
}
