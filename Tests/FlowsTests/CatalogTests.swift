@testable import Flows
import Foundation
import Localized
import Testing

@Suite struct CatalogTests {
    @Test func shippedCatalogLoadsWithoutIssues() throws {
        let catalog = try Fixtures.catalog()
        #expect(catalog.issues.isEmpty, "\(catalog.issues)")
        #expect(catalog.procedures.count >= 3)
        let birth = try #require(catalog.procedure("SAMPLE-HT-001"))
        #expect(birth.name.vi == "Đăng ký khai sinh")
        #expect(birth.codeIsSample)
        #expect(birth.form.pages.count == 3)
        #expect(birth.deliveryOptions == [.counter, .post, .online])
        #expect(birth.documents.first?.scan == ScanProfile(source: .flatbed, mode: .color, dpi: 300, paper: .a5))
        #expect(birth.effectiveDate == CivilDate(year: 2025, month: 7, day: 1))
        let fatherName = try #require(birth.form.field("father_name"))
        #expect(fatherName.visibleWhen == VisibilityCondition(field: "father_known", anyOf: ["true"]))
    }

    @Test func searchIgnoresDiacriticsAndFiltersByField() throws {
        let catalog = try Fixtures.catalog()
        #expect(catalog.search(text: "khai sinh", field: nil).map(\.code) == ["SAMPLE-HT-001"])
        #expect(catalog.search(text: "HON NHAN", field: nil).map(\.code) == ["SAMPLE-HT-002"])
        #expect(catalog.search(text: "chứng thực", field: "ho-tich").isEmpty)
        #expect(catalog.search(text: nil, field: "ho-tich").count == 2)
        #expect(catalog.search(text: "certified copy", field: nil).count == 1)
    }

    /// The screen's list starts with what applicants at this kiosk file most; equals keep the
    /// catalog's order.
    @Test func mostUsedProceduresComeFirst() throws {
        let all = try Fixtures.catalog().search(text: nil, field: nil)
        let codes = all.map(\.code)
        #expect(Catalog.mostUsedFirst(all, uses: [:]).map(\.code) == codes)
        let ordered = Catalog.mostUsedFirst(all, uses: [codes[2]: 7, codes[1]: 2]).map(\.code)
        #expect(ordered == [codes[2], codes[1], codes[0]])
        #expect(Catalog.mostUsedFirst(all, uses: [codes[1]: 1]).map(\.code) == [codes[1], codes[0], codes[2]])
    }

    /// Each malformed file names its file, line and field; the rest of the directory still loads.
    @Test(arguments: [
        ("tab-indent.yaml", "code: X\nname:\n\t vi: a\n", 3, nil as String?, "not valid YAML"),
        ("empty.yaml", "", nil, nil, "the file is empty"),
        ("list-root.yaml", "- a\n- b\n", 1, "", "expected a mapping"),
        ("unknown-key.yaml", validBody + "colour: red\n", 34, "colour", "unknown key"),
        ("bad-dpi.yaml", validBody.replacingOccurrences(of: "dpi: 200", with: "dpi: 150"), 19, "documents[0].scan.dpi", "from 200 to 600"),
        ("bad-type.yaml", validBody.replacingOccurrences(of: "type: text", with: "type: colour"), 26, "form[0].fields[0].type", "expected one of"),
        ("missing-en.yaml", validBody.replacingOccurrences(of: "  en: \"Test\"\n", with: ""), nil, "name.en", "is required"),
        ("bad-date.yaml", validBody.replacingOccurrences(of: "2025-07-01", with: "2025-02-30"), 12, "effective_date", "expected a date"),
        ("bad-delivery.yaml", validBody.replacingOccurrences(of: "[counter]", with: "[counter, drone]"), nil, "delivery[1]", "drone"),
        ("dup-field.yaml", validBody.replacingOccurrences(of: "id: second", with: "id: first"), nil, "form[0].fields[1].id", "duplicate field id"),
        (
            "forward-condition.yaml", validBody.replacingOccurrences(of: "field: first", with: "field: third"), nil,
            "form[0].fields[1].visible_when.field", "not a field asked before"
        ),
        (
            "bad-regex.yaml", validBody.replacingOccurrences(of: "pattern: \"[A-Z]+\"", with: "pattern: \"[A-Z\""), 29, "form[0].fields[0].pattern",
            "regular expression"
        ),
        (
            "select-no-options.yaml", validBody.replacingOccurrences(of: "type: checkbox", with: "type: select"), nil, "form[0].fields[1].options",
            "needs options"
        ),
        ("duplicate-key.yaml", validBody + "version: \"2\"\n", nil, "version", "the same key appears twice"),
        ("bad-cutoff.yaml", validBody + "same_day_cutoff: \"3pm\"\n", nil, "same_day_cutoff", "expected a time of day as \"HH:mm\""),
    ])
    func malformedFileIsRejectedWithPlace(file: String, text: String, line: Int?, field: String?, message: String) throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("catalog-\(UUID())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        try Self.validBody.write(to: dir.appendingPathComponent("good.yaml"), atomically: true, encoding: .utf8)
        try text.write(to: dir.appendingPathComponent(file), atomically: true, encoding: .utf8)

        let catalog = try Catalog.load(directory: dir)
        #expect(catalog.procedures.map(\.code) == ["T-1"], "the good file still loads")
        let issue = try #require(catalog.issues.first)
        #expect(catalog.issues.count == 1)
        #expect(issue.file == file)
        if let line { #expect(issue.line == line, "\(issue)") }
        if let field { #expect(issue.field == field, "\(issue)") }
        #expect(issue.message.contains(message), "\(issue)")
    }

    /// A planted `00-….yaml` with a genuine procedure's code sorts first: neither file may win.
    @Test func aCodeDefinedTwiceRefusesBothFiles() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("catalog-\(UUID())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        try Self.validBody.write(to: dir.appendingPathComponent("genuine.yaml"), atomically: true, encoding: .utf8)
        try Self.validBody.replacingOccurrences(of: "id: second", with: "id: planted_second")
            .write(to: dir.appendingPathComponent("00-planted.yaml"), atomically: true, encoding: .utf8)
        let catalog = try Catalog.load(directory: dir)
        #expect(catalog.procedures.isEmpty, "an ambiguous code is served by neither file")
        #expect(catalog.issues.map(\.file).sorted() == ["00-planted.yaml", "genuine.yaml"])
        #expect(catalog.issues.allSatisfy { $0.field == "code" && $0.message.contains("all of them are refused") })
        #expect(catalog.issues.first { $0.file == "genuine.yaml" }?.message.contains("also defined in 00-planted.yaml") == true)
    }

    @Test func nonUTF8FileIsReported() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("catalog-\(UUID())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        try Data([0xFF, 0xFE, 0x00, 0xC3]).write(to: dir.appendingPathComponent("binary.yaml"))
        let catalog = try Catalog.load(directory: dir)
        #expect(catalog.issues.first?.message == "is not UTF-8 text")
    }

    static let validBody = """
        code: "T-1"
        name:
          vi: "Thử"
          en: "Test"
        field: { id: test, name: { vi: "Thử", en: "Test" } }
        agency: { vi: "UBND", en: "Committee" }
        time_limit_working_days: 3
        online_level: partial
        version: "1"
        fees: []
        delivery: [counter]
        effective_date: 2025-07-01
        documents:
          - id: doc
            name: { vi: "Giấy", en: "Paper" }
            form: copy
            scan:
              source: feeder
              dpi: 200
        form:
          - id: p1
            title: { vi: "Trang", en: "Page" }
            fields:
              - id: first
                label: { vi: "Một", en: "One" }
                type: text
                required: true
                max_length: 10
                pattern: "[A-Z]+"
              - id: second
                label: { vi: "Hai", en: "Two" }
                type: checkbox
                visible_when: { field: first, equals: "YES" }

        """
}
