import Foundation
import Localized
import Yams

/// Turns one procedure file's YAML text into a `Procedure`, or the first problem found in it.
public enum ProcedureParser {
    /// Parses `text`, naming `file` in every issue.
    public static func parse(_ text: String, file: String) throws(CatalogIssue) -> Procedure {
        let root: Node
        do {
            guard let node = try Yams.compose(yaml: text) else {
                throw CatalogIssue(file: file, line: nil, field: nil, message: "the file is empty")
            }
            root = node
        } catch let issue as CatalogIssue {
            throw issue
        } catch let error as YamlError {
            throw syntaxIssue(error, file: file)
        } catch {
            throw CatalogIssue(file: file, line: nil, field: nil, message: "not valid YAML: \(error)")
        }
        try CatalogLimits.check(root, file: file)
        let top = try YAMLObject(root, file: file, path: "")
        let procedure = try procedure(top)
        try top.finish()
        try check(procedure, top)
        return procedure
    }

    private static func procedure(_ o: YAMLObject) throws(CatalogIssue) -> Procedure {
        let code = try o.string("code")
        let effective = try o.string("effective_date")
        guard let effectiveDate = CivilDate(parsing: effective) else {
            throw o.issue("effective_date", "expected a date (yyyy-MM-dd), found \"\(effective)\"", at: o.node("effective_date"))
        }
        guard let fieldObject = try o.object("field") else { throw o.issue("field", "is required (id and name)") }
        let field = ProcedureField(id: try fieldObject.string("id"), name: try fieldObject.text("name"))
        try fieldObject.finish()
        let delivery: [DeliveryOption] = try o.stringList("delivery").enumerated().map { (index, raw) throws(CatalogIssue) in
            guard let option = DeliveryOption(rawValue: raw) else {
                throw o.issue("delivery[\(index)]", "expected one of: counter, post, online, found \"\(raw)\"")
            }
            return option
        }
        guard !delivery.isEmpty else { throw o.issue("delivery", "is required (at least one of counter, post, online)") }
        return Procedure(
            code: code,
            codeIsSample: try o.bool("code_is_sample", default: false),
            name: try o.text("name"),
            field: field,
            agency: try o.text("agency"),
            timeLimitWorkingDays: try o.int("time_limit_working_days", range: 0...365),
            fees: try o.list("fees", fee),
            onlineLevel: try o.choice("online_level"),
            documents: try o.list("documents", document),
            form: DeclarationForm(pages: try o.list("form", page)),
            deliveryOptions: delivery,
            version: try o.string("version"),
            effectiveDate: effectiveDate,
            sameDayCutoffMinutes: try cutoff(o)
        )
    }

    private static func fee(_ o: YAMLObject) throws(CatalogIssue) -> Fee {
        var rate: PageTieredRate?
        if let p = try o.object("per_page") {
            let money = 0...1_000_000_000
            rate = PageTieredRate(
                copiesField: try p.string("copies_field"), pagesField: try p.string("pages_field"),
                firstPages: try p.int("first_pages", range: 0...10_000), firstPageVND: try p.int("first_page_vnd", range: money),
                furtherPageVND: try p.int("further_page_vnd", range: money), maxPerCopyVND: try p.optionalInt("max_per_copy_vnd", range: money))
            try p.finish()
        }
        let amount =
            if let rate {
                try o.int("amount_vnd", range: 0...1_000_000_000, default: rate.firstPages > 0 ? rate.firstPageVND : rate.furtherPageVND)
            } else { try o.int("amount_vnd", range: 0...1_000_000_000) }
        return Fee(
            id: try o.string("id"), name: try o.text("name"), amountVND: amount,
            unit: try o.optionalText("unit"), note: try o.optionalText("note"), perPage: rate)
    }

    private static func document(_ o: YAMLObject) throws(CatalogIssue) -> RequiredDocument {
        var profile = ScanProfile()
        if let scan = try o.object("scan") {
            profile = ScanProfile(
                source: try scan.choice("source", default: .feeder),
                mode: try scan.choice("mode", default: .color),
                dpi: try scan.int("dpi", range: ScanProfile.minimumDPI...600, default: 200),
                paper: try scan.choice("paper", default: .a4))
            try scan.finish()
        }
        return RequiredDocument(
            id: try o.string("id"), name: try o.text("name"),
            required: try o.bool("required", default: true),
            form: try o.choice("form"),
            copies: try o.int("copies", range: 1...20, default: 1),
            scan: profile, hint: try o.optionalText("hint"))
    }

    private static func page(_ o: YAMLObject) throws(CatalogIssue) -> FormPage {
        let fields = try o.list("fields", field)
        guard !fields.isEmpty else { throw o.issue("fields", "a form page needs at least one field") }
        return FormPage(id: try o.string("id"), title: try o.text("title"), fields: fields)
    }

    private static func field(_ o: YAMLObject) throws(CatalogIssue) -> FormField {
        let type: FieldType = try o.choice("type")
        var condition: VisibilityCondition?
        if let when = try o.object("visible_when") {
            var anyOf = try when.stringList("any_of")
            if let equals = try when.optionalString("equals") { anyOf.append(equals) }
            guard !anyOf.isEmpty else { throw when.issue("any_of", "give `equals` or `any_of`") }
            condition = VisibilityCondition(field: try when.string("field"), anyOf: anyOf)
            try when.finish()
        }
        let pattern = try o.optionalString("pattern")
        if let pattern {
            do { _ = try NSRegularExpression(pattern: pattern) } catch {
                throw o.issue("pattern", "not a valid regular expression", at: o.node("pattern"))
            }
        }
        let options = try o.list("options") { (option) throws(CatalogIssue) in
            SelectOption(value: try option.string("value"), label: try option.text("label"))
        }
        if type == .select, options.isEmpty { throw o.issue("options", "a select field needs options") }
        return FormField(
            id: try o.string("id"), label: try o.text("label"), type: type,
            required: try o.bool("required", default: false),
            pattern: pattern, patternHint: try o.optionalText("pattern_hint"),
            minLength: try o.optionalInt("min_length", range: 0...10_000),
            maxLength: try o.optionalInt("max_length", range: 1...10_000),
            min: try o.optionalDouble("min"), max: try o.optionalDouble("max"),
            options: options, visibleWhen: condition,
            prefill: try o.node("prefill") == nil ? nil : o.choice("prefill") as PrefillKey,
            help: try o.optionalText("help"))
    }

    /// Rules across fields: unique ids, conditions that point at earlier fields.
    private static func check(_ procedure: Procedure, _ o: YAMLObject) throws(CatalogIssue) {
        var seen: Set<String> = []
        for (pageIndex, page) in procedure.form.pages.enumerated() {
            for (fieldIndex, field) in page.fields.enumerated() {
                let path = "form[\(pageIndex)].fields[\(fieldIndex)]"
                guard seen.insert(field.id).inserted else {
                    throw CatalogIssue(file: o.file, line: nil, field: "\(path).id", message: "duplicate field id \"\(field.id)\"")
                }
                if let condition = field.visibleWhen, !seen.contains(condition.field) {
                    throw CatalogIssue(
                        file: o.file, line: nil, field: "\(path).visible_when.field",
                        message: "\"\(condition.field)\" is not a field asked before this one")
                }
                if let min = field.minLength, let max = field.maxLength, min > max {
                    throw CatalogIssue(file: o.file, line: nil, field: "\(path).min_length", message: "is larger than max_length")
                }
            }
        }
        // A per-page fee counts from number fields the declaration asks.
        let numberFields = Set(procedure.form.allFields.filter { $0.type == .number && $0.required }.map(\.id))
        for (index, fee) in procedure.fees.enumerated() {
            guard let rate = fee.perPage else { continue }
            for (key, id) in [("copies_field", rate.copiesField), ("pages_field", rate.pagesField)] where !numberFields.contains(id) {
                throw CatalogIssue(
                    file: o.file, line: nil, field: "fees[\(index)].per_page.\(key)", message: "\"\(id)\" is not a required number field of the form")
            }
        }
        var documentIds: Set<String> = []
        for (index, document) in procedure.documents.enumerated() where !documentIds.insert(document.id).inserted {
            throw CatalogIssue(file: o.file, line: nil, field: "documents[\(index)].id", message: "duplicate document id \"\(document.id)\"")
        }
    }

    private static func syntaxIssue(_ error: YamlError, file: String) -> CatalogIssue {
        switch error {
        case .scanner(_, let problem, let mark, _), .parser(_, let problem, let mark, _), .composer(_, let problem, let mark, _):
            CatalogIssue(file: file, line: mark.line, field: nil, message: "not valid YAML: \(problem)")
        case .duplicatedKeysInMapping(let duplicates, let context):
            CatalogIssue(
                file: file, line: context.mark.line, field: duplicates.sorted().joined(separator: ", "),
                message: "the same key appears twice")
        default:
            CatalogIssue(file: file, line: nil, field: nil, message: "not valid YAML: \(error)")
        }
    }

    /// `same_day_cutoff: "HH:mm"` as minutes after midnight.
    static func cutoff(_ o: YAMLObject) throws(CatalogIssue) -> Int? {
        guard let text = try o.optionalString("same_day_cutoff") else { return nil }
        let parts = text.split(separator: ":")
        guard parts.count == 2, parts[0].count == 2, parts[1].count == 2, let hours = Int(parts[0]), let minutes = Int(parts[1]),
            (0...23).contains(hours), (0...59).contains(minutes)
        else { throw o.issue("same_day_cutoff", "expected a time of day as \"HH:mm\" (e.g. \"15:00\"), found \"\(text.prefix(20))\"") }
        return hours * 60 + minutes
    }
}
