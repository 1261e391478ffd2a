import Yams

/// How large a procedure file may be. The shipped procedures are a few KB with lists of a
/// dozen items; these bounds leave room for real ones and keep a malformed or hostile file
/// from holding up start-up (a 10 MB file of 120,000 fees took ~30 s and 260 MB).
public enum CatalogLimits {
    /// Bytes in one procedure file.
    public static let fileBytes = 256 * 1024
    /// Procedure files in the catalog directory.
    public static let files = 500
    /// Items in any one list (fees, documents, fields, options…).
    public static let listItems = 200
    /// Nesting of mappings and lists.
    public static let depth = 12
    /// Characters in any one text.
    public static let textCharacters = 10_000
    /// Values (texts, lists, mappings) in one file, counting every use of an alias: YAML
    /// anchors reused inside each other ("billion laughs") stay small on disk.
    public static let values = 50_000

    /// The first place in `root` past the nesting or text limits, as an issue.
    static func check(_ root: Node, file: String) throws(CatalogIssue) {
        var stack: [(Node, Int)] = [(root, 1)]
        var visited = 0
        while let (node, depth) = stack.popLast() {
            visited += 1
            guard visited <= values else {
                throw CatalogIssue(
                    file: file, line: node.mark?.line, field: nil, message: "more than \(values) values (aliases counted each time they are used)")
            }
            guard depth <= Self.depth else {
                throw CatalogIssue(file: file, line: node.mark?.line, field: nil, message: "nested \(depth) levels deep, more than \(Self.depth)")
            }
            switch node {
            case .scalar(let scalar):
                guard scalar.string.count <= textCharacters else {
                    throw CatalogIssue(
                        file: file, line: node.mark?.line, field: nil,
                        message: "a text of \(scalar.string.count) characters, more than \(textCharacters)")
                }
            case .mapping(let mapping):
                for (key, value) in mapping {
                    stack.append((key, depth + 1))
                    stack.append((value, depth + 1))
                }
            case .sequence(let sequence):
                for item in sequence { stack.append((item, depth + 1)) }
            case .alias:
                throw CatalogIssue(file: file, line: node.mark?.line, field: nil, message: "YAML aliases are not used in procedure files")
            }
        }
    }
}
