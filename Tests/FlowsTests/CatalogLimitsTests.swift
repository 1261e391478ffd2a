import Flows
import Foundation
import Testing

/// Oversized or hostile procedure files are refused with the file and line, and the rest of
/// the catalog still loads.
@Suite struct CatalogLimitsTests {
    func load(_ files: [String: String]) throws -> Catalog {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("catalog-limits-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let shipped = Fixtures.shippedCatalog.appendingPathComponent("xac-nhan-tinh-trang-hon-nhan.yaml")
        try FileManager.default.copyItem(at: shipped, to: directory.appendingPathComponent("genuine.yaml"))
        for (name, text) in files { try Data(text.utf8).write(to: directory.appendingPathComponent(name)) }
        return try Catalog.load(directory: directory)
    }

    @Test func aHugeFileIsNotEvenRead() throws {
        let fees = (0..<120_000).map { "  - {name: {vi: phí \($0), en: fee \($0)}, amount_vnd: 1000}" }.joined(separator: "\n")
        let catalog = try load(["huge.yaml": "code: HUGE\nfees:\n" + fees])
        let issue = try #require(catalog.issues.first { $0.file == "huge.yaml" })
        #expect(issue.message.contains("KB, more than the 256 KB"), "\(issue)")
        #expect(catalog.procedures.count == 1, "the genuine procedure still loads")
    }

    @Test func aLongListIsRefusedWithItsLine() throws {
        let genuine = try String(contentsOf: Fixtures.shippedCatalog.appendingPathComponent("xac-nhan-tinh-trang-hon-nhan.yaml"), encoding: .utf8)
        let list = Array(repeating: "counter", count: 250).joined(separator: ", ")
        let text = genuine.replacingOccurrences(of: #"code: "SAMPLE-HT-002""#, with: #"code: "SAMPLE-LONG""#)
            .replacingOccurrences(of: "delivery: [counter, post, online]", with: "delivery: [\(list)]")
        #expect(text.contains("SAMPLE-LONG") && text.contains(list))
        let catalog = try load(["long.yaml": text])
        let issue = try #require(catalog.issues.first { $0.file == "long.yaml" }, "\(catalog.issues)")
        #expect(issue.message.contains("250 items, more than the 200") && issue.line != nil, "\(issue)")
    }

    @Test func deepNestingAndAliasBombsAreRefused() throws {
        let deep = "code: DEEP\nx: " + String(repeating: "[", count: 40) + String(repeating: "]", count: 40)
        var bomb = "a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n"
        for i in 1..<9 { bomb += "a\(i): &a\(i) [" + Array(repeating: "*a\(i - 1)", count: 10).joined(separator: ", ") + "]\n" }
        let catalog = try load(["deep.yaml": deep, "bomb.yaml": bomb])
        let deepIssue = try #require(catalog.issues.first { $0.file == "deep.yaml" })
        #expect(deepIssue.message.contains("nested") && deepIssue.line != nil, "\(deepIssue)")
        let bombIssue = try #require(catalog.issues.first { $0.file == "bomb.yaml" })
        #expect(bombIssue.message.contains("values") || bombIssue.message.contains("nested"), "\(bombIssue)")
        #expect(catalog.procedures.count == 1)
    }
}
