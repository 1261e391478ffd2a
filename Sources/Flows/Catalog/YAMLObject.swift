import Foundation
import Localized
import Yams

/// Reads one YAML mapping field by field, remembering where each value stands, so that every
/// rejection names the file, line and dotted field path. Keys that were never read are
/// reported as unknown: a misspelt key must not be silently ignored.
final class YAMLObject {
    let file: String
    let path: String
    let line: Int?
    private let mapping: Node.Mapping
    private var read: Set<String> = []

    init(_ node: Node, file: String, path: String) throws(CatalogIssue) {
        guard case .mapping(let mapping) = node else {
            throw CatalogIssue(file: file, line: node.mark?.line, field: path, message: "expected a mapping of keys to values")
        }
        self.file = file
        self.path = path
        self.line = node.mark?.line ?? mapping.mark?.line
        self.mapping = mapping
    }

    func issue(_ key: String?, _ message: String, at node: Node? = nil) -> CatalogIssue {
        CatalogIssue(file: file, line: node?.mark?.line ?? line, field: key.map(childPath) ?? path, message: message)
    }

    func childPath(_ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

    /// The raw node under `key`; an explicit `null` counts as absent.
    func node(_ key: String) -> Node? {
        read.insert(key)
        guard let node = mapping[key] else { return nil }
        if case .scalar(let scalar) = node, scalar.tag.rawValue == Tag.Name.null.rawValue,
            scalar.string.isEmpty || scalar.string == "null" || scalar.string == "~"
        {
            return nil
        }
        return node
    }

    func string(_ key: String) throws(CatalogIssue) -> String {
        guard let value = try optionalString(key) else { throw issue(key, "is required (text)") }
        return value
    }

    func optionalString(_ key: String) throws(CatalogIssue) -> String? {
        guard let node = node(key) else { return nil }
        guard case .scalar(let scalar) = node else { throw issue(key, "expected text", at: node) }
        let text = scalar.string.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !text.isEmpty else { throw issue(key, "must not be empty", at: node) }
        return text
    }

    func int(_ key: String, range: ClosedRange<Int>, default fallback: Int? = nil) throws(CatalogIssue) -> Int {
        guard let node = node(key) else {
            if let fallback { return fallback }
            throw issue(key, "is required (a whole number from \(range.lowerBound) to \(range.upperBound))")
        }
        guard let value = node.int, range.contains(value) else {
            throw issue(key, "expected a whole number from \(range.lowerBound) to \(range.upperBound), found \(Self.show(node))", at: node)
        }
        return value
    }

    func optionalDouble(_ key: String) throws(CatalogIssue) -> Double? {
        guard let node = node(key) else { return nil }
        guard let value = node.float ?? node.int.map(Double.init) else {
            throw issue(key, "expected a number, found \(Self.show(node))", at: node)
        }
        return value
    }

    func optionalInt(_ key: String, range: ClosedRange<Int>) throws(CatalogIssue) -> Int? {
        node(key) == nil ? nil : try int(key, range: range)
    }

    func bool(_ key: String, default fallback: Bool) throws(CatalogIssue) -> Bool {
        guard let node = node(key) else { return fallback }
        guard case .scalar(let scalar) = node, let value = Bool.construct(from: scalar) else {
            throw issue(key, "expected true or false, found \(Self.show(node))", at: node)
        }
        return value
    }

    func choice<E: RawRepresentable & CaseIterable>(_ key: String, default fallback: E? = nil) throws(CatalogIssue) -> E where E.RawValue == String {
        let allowed = E.allCases.map(\.rawValue).joined(separator: ", ")
        guard let node = node(key) else {
            if let fallback { return fallback }
            throw issue(key, "is required (one of: \(allowed))")
        }
        guard let raw = node.string, let value = E(rawValue: raw) else {
            throw issue(key, "expected one of: \(allowed), found \(Self.show(node))", at: node)
        }
        return value
    }

    func text(_ key: String) throws(CatalogIssue) -> LocalizedText {
        guard let value = try optionalText(key) else { throw issue(key, "is required (a mapping with vi and en)") }
        return value
    }

    func optionalText(_ key: String) throws(CatalogIssue) -> LocalizedText? {
        guard let node = node(key) else { return nil }
        let object = try YAMLObject(node, file: file, path: childPath(key))
        let text = LocalizedText(vi: try object.string("vi"), en: try object.string("en"))
        try object.finish()
        return text
    }

    func object(_ key: String) throws(CatalogIssue) -> YAMLObject? {
        guard let node = node(key) else { return nil }
        return try YAMLObject(node, file: file, path: childPath(key))
    }

    /// The items of a sequence under `key`, each read by `body`; empty when absent.
    func list<T>(_ key: String, _ body: (YAMLObject) throws(CatalogIssue) -> T) throws(CatalogIssue) -> [T] {
        guard let node = node(key) else { return [] }
        guard case .sequence(let sequence) = node else { throw issue(key, "expected a list", at: node) }
        try checkLength(key, sequence, node)
        var items: [T] = []
        for (index, item) in sequence.enumerated() {
            let object = try YAMLObject(item, file: file, path: "\(childPath(key))[\(index)]")
            items.append(try body(object))
            try object.finish()
        }
        return items
    }

    func stringList(_ key: String) throws(CatalogIssue) -> [String] {
        guard let node = node(key) else { return [] }
        guard case .sequence(let sequence) = node else { throw issue(key, "expected a list", at: node) }
        try checkLength(key, sequence, node)
        var values: [String] = []
        for item in sequence {
            guard case .scalar(let scalar) = item else { throw issue(key, "expected a list of texts", at: item) }
            values.append(scalar.string)
        }
        return values
    }

    private func checkLength(_ key: String, _ sequence: Node.Sequence, _ node: Node) throws(CatalogIssue) {
        guard sequence.count <= CatalogLimits.listItems else {
            throw issue(key, "a list of \(sequence.count) items, more than the \(CatalogLimits.listItems) a procedure may have", at: node)
        }
    }

    /// Rejects any key that was never read.
    func finish() throws(CatalogIssue) {
        for (keyNode, _) in mapping {
            let key = keyNode.string ?? "?"
            if !read.contains(key) {
                throw CatalogIssue(file: file, line: keyNode.mark?.line, field: childPath(key), message: "unknown key")
            }
        }
    }

    static func show(_ node: Node) -> String {
        switch node {
        case .scalar(let scalar): "\"\(scalar.string.prefix(40))\""
        case .mapping: "a mapping"
        case .sequence: "a list"
        case .alias: "an alias"
        }
    }
}
