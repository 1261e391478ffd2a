@testable import Flows
import Foundation
import Localized
import Testing

@Suite struct ValidationTests {
    let today = CivilDate(year: 2026, month: 11, day: 23)!

    @Test(arguments: [
        ("001185012345", true), ("079203001234", true), ("001 185 012 345", true),
        ("00118501234", false), ("0011850123456", false), ("003185012345", false), ("00118501234a", false),
        ("001390012345", false),  // 2090: birth year in the future
    ])
    func citizenIdStructure(number: String, valid: Bool) {
        let result = CitizenID.validate(number, today: today)
        if case .success = result { #expect(valid) } else { #expect(!valid) }
    }

    @Test func citizenIdDecodesCenturyAndSex() throws {
        let id = try CitizenID.validate("079303001234").get()
        #expect(id.birthYear == 2003 && id.sex == .female && id.provinceCode == "079")
        #expect(CitizenID.masked("079303001234") == "••••••••1234")
    }

    @Test func datesParseInAllCardFormatsAndRejectImpossibleDays() {
        #expect(CivilDate(parsing: "05/09/1985") == CivilDate(year: 1985, month: 9, day: 5))
        #expect(CivilDate(parsing: "05091985") == CivilDate(year: 1985, month: 9, day: 5))
        #expect(CivilDate(parsing: "1985-09-05")?.vietnamese == "05/09/1985")
        #expect(CivilDate(parsing: "29/02/2023") == nil)
        #expect(CivilDate(parsing: "29/02/2024") != nil)
        #expect(CivilDate(parsing: "1985-9-5x") == nil)
    }

    @Test func workingDaysSkipWeekendsAndHolidays() {
        let friday = CivilDate(year: 2026, month: 11, day: 27)!
        let calendar = WorkingCalendar(holidays: [CivilDate(year: 2026, month: 12, day: 1)!])
        #expect(calendar.dueDate(receivedOn: friday, workingDays: 0) == friday)
        #expect(calendar.dueDate(receivedOn: friday, workingDays: 1) == CivilDate(year: 2026, month: 11, day: 30))
        #expect(calendar.dueDate(receivedOn: friday, workingDays: 2) == CivilDate(year: 2026, month: 12, day: 2), "skips the holiday")
    }

    /// Same-day procedures follow the catalog's cut-off in Vietnam's time: received at 23:43
    /// (or after 15:00) is due the next working day; on a weekend, the next working day too.
    @Test func sameDayProceduresApplyTheCutOffInVietnamsTime() throws {
        let calendar = WorkingCalendar(holidays: [CivilDate(year: 2026, month: 12, day: 1)!])
        func vietnam(_ text: String) throws -> Date {
            let parser = ISO8601DateFormatter()
            return try #require(parser.date(from: text))
        }
        let cutoff = 15 * 60
        // (received, cut-off, due, why); Thursday 3 December 2026 in Hà Nội (UTC+7).
        let cases: [(String, Int?, CivilDate, String)] = [
            ("2026-12-03T10:00:00+07:00", cutoff, CivilDate(year: 2026, month: 12, day: 3)!, "before the cut-off: the same day"),
            ("2026-12-03T23:43:00+07:00", cutoff, CivilDate(year: 2026, month: 12, day: 4)!, "late at night: the next working day"),
            ("2026-12-03T15:00:00+07:00", cutoff, CivilDate(year: 2026, month: 12, day: 4)!, "at the cut-off is after it"),
            ("2026-12-03T16:30:00Z", cutoff, CivilDate(year: 2026, month: 12, day: 4)!, "23:30 in Vietnam though the clock says UTC"),
            ("2026-12-04T16:00:00+07:00", cutoff, CivilDate(year: 2026, month: 12, day: 7)!, "Friday after the cut-off: Monday"),
            ("2026-12-05T09:00:00+07:00", cutoff, CivilDate(year: 2026, month: 12, day: 7)!, "Saturday: Monday"),
            ("2026-11-30T17:00:00+07:00", cutoff, CivilDate(year: 2026, month: 12, day: 2)!, "Monday late: Wednesday, 1/12 a holiday"),
            ("2026-12-03T23:43:00+07:00", nil, CivilDate(year: 2026, month: 12, day: 3)!, "no cut-off in the catalog: the same working day"),
        ]
        for (received, cutoff, due, why) in cases {
            #expect(calendar.dueDate(receivedAt: try vietnam(received), workingDays: 0, sameDayCutoffMinutes: cutoff) == due, "\(why)")
        }
    }

    @Test func fieldRulesProduceCanonicalAnswers() {
        let number = FormField(id: "n", label: LocalizedText(vi: "Số", en: "Number"), type: .number, required: true, min: 1, max: 50)
        #expect(FieldValidator.check(number, .text("12,5"), today: today) == .accepted(.number(12.5)))
        guard case .rejected(let range) = FieldValidator.check(number, .number(51), today: today) else {
            Issue.record()
            return
        }
        #expect(range.vi == "«Số» phải trong khoảng 1 đến 50.")
        let phone = FormField(id: "p", label: LocalizedText(vi: "ĐT", en: "Phone"), type: .phone)
        #expect(FieldValidator.check(phone, .text("+84 912 345 678"), today: today) == .accepted(.text("0912345678")))
        #expect(FieldValidator.check(phone, .text("0112345678"), today: today) != .accepted(.text("0112345678")))
        #expect(FieldValidator.check(phone, nil, today: today) == .accepted(nil), "optional and empty")
        let date = FormField(id: "d", label: LocalizedText(vi: "Ngày", en: "Date"), type: .date, required: true)
        #expect(FieldValidator.check(date, .text("05/09/1985"), today: today) == .accepted(.text("1985-09-05")))
        guard case .rejected = FieldValidator.check(date, .text("01/01/2030"), today: today) else {
            Issue.record("future date accepted")
            return
        }
        let pattern = FormField(id: "t", label: LocalizedText(vi: "Mã", en: "Code"), type: .text, pattern: "[A-Z]{2}[0-9]+")
        #expect(FieldValidator.check(pattern, .text("AB12"), today: today) == .accepted(.text("AB12")))
        guard case .rejected = FieldValidator.check(pattern, .text("AB12x"), today: today) else {
            Issue.record("pattern must match whole text")
            return
        }
    }
}
