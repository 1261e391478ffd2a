public import Foundation
import Localized

/// The procedures this kiosk offers, and the files that could not be loaded.
public struct Catalog: Sendable {
    /// Procedures sorted by field, then Vietnamese name.
    public private(set) var procedures: [Procedure]
    /// One entry per rejected file; those files are not offered.
    public private(set) var issues: [CatalogIssue]

    /// A catalog of `procedures`, which must have distinct codes (`load` checks that for files).
    public init(procedures: [Procedure], issues: [CatalogIssue] = []) {
        self.procedures = procedures.sorted { ($0.field.id, $0.name.vi) < ($1.field.id, $1.name.vi) }
        self.issues = issues
    }

    /// Loads every `*.yaml` / `*.yml` file in `directory`. A bad file becomes an issue and the
    /// rest still load; only an unreadable directory throws.
    public static func load(directory: URL) throws -> Catalog {
        let names = try FileManager.default.contentsOfDirectory(atPath: directory.path)
            .filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") }
            .sorted()
        var parsed: [(file: String, procedure: Procedure)] = []
        var issues: [CatalogIssue] = []
        if names.count > CatalogLimits.files {
            issues.append(
                CatalogIssue(
                    file: names[CatalogLimits.files], line: nil, field: nil,
                    message: "the catalog has \(names.count) files; only the first \(CatalogLimits.files) (by name) are read"))
        }
        for name in names.prefix(CatalogLimits.files) {
            let url = directory.appendingPathComponent(name)
            let size = (try? FileManager.default.attributesOfItem(atPath: url.path)[.size] as? Int) ?? 0
            guard size <= CatalogLimits.fileBytes else {
                issues.append(
                    CatalogIssue(
                        file: name, line: nil, field: nil,
                        message: "\(size / 1024) KB, more than the \(CatalogLimits.fileBytes / 1024) KB a procedure file may have; not read"))
                continue
            }
            guard let data = FileManager.default.contents(atPath: url.path) else {
                issues.append(CatalogIssue(file: name, line: nil, field: nil, message: "cannot be read"))
                continue
            }
            guard let text = String(data: data, encoding: .utf8) else {
                issues.append(CatalogIssue(file: name, line: nil, field: nil, message: "is not UTF-8 text"))
                continue
            }
            do throws(CatalogIssue) {
                parsed.append((name, try ProcedureParser.parse(text, file: name)))
            } catch {
                issues.append(error)
            }
        }
        // A code defined by two files is ambiguous: neither wins (a planted `00-….yaml` must
        // not replace a genuine procedure by sorting first). Both are refused until one goes.
        let filesOfCode = Dictionary(grouping: parsed, by: \.procedure.code).mapValues { $0.map(\.file) }
        var procedures: [Procedure] = []
        for (file, procedure) in parsed {
            let files = filesOfCode[procedure.code] ?? []
            guard files.count == 1 else {
                let others = files.filter { $0 != file }.joined(separator: ", ")
                issues.append(
                    CatalogIssue(
                        file: file, line: nil, field: "code",
                        message: "procedure \(procedure.code) is also defined in \(others); all of them are refused until only one remains"))
                continue
            }
            procedures.append(procedure)
        }
        return Catalog(procedures: procedures, issues: issues)
    }

    /// The procedure with `code`.
    public func procedure(_ code: String) -> Procedure? { procedures.first { $0.code == code } }

    /// Procedures whose code, name (either language) or field match `text`, ignoring case and
    /// Vietnamese diacritics ("khai sinh" finds "Đăng ký khai sinh"), optionally in one `field`.
    public func search(text: String?, field: String?) -> [Procedure] {
        let needle = text.map(Self.fold)?.trimmingCharacters(in: .whitespaces) ?? ""
        return procedures.filter { procedure in
            if let field, !field.isEmpty, procedure.field.id != field { return false }
            guard !needle.isEmpty else { return true }
            let haystack = [procedure.code, procedure.name.vi, procedure.name.en, procedure.field.name.vi, procedure.field.name.en]
                .map(Self.fold).joined(separator: " ")
            return needle.split(separator: " ").allSatisfy { haystack.contains($0) }
        }
    }

    /// `procedures` most used first (`uses`: dossiers sealed per procedure code), the catalog's
    /// own order among equals: what the applicant most likely came for is at the top.
    public static func mostUsedFirst(_ procedures: [Procedure], uses: [String: Int]) -> [Procedure] {
        procedures.enumerated()
            .sorted { a, b in
                let (ua, ub) = (uses[a.element.code] ?? 0, uses[b.element.code] ?? 0)
                return ua != ub ? ua > ub : a.offset < b.offset
            }
            .map(\.element)
    }

    /// Lower case without diacritics; `đ` folds to `d`.
    static func fold(_ text: String) -> String {
        text.folding(options: [.caseInsensitive, .diacriticInsensitive], locale: Locale(identifier: "vi_VN"))
            .replacingOccurrences(of: "đ", with: "d").replacingOccurrences(of: "Đ", with: "d").lowercased()
    }
}
