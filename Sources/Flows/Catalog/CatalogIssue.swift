/// A problem found in one catalog file, pointing at the file, line and field.
///
/// A file with an issue is left out of the catalog; the other files still load. Issues are
/// shown to technicians (`kioskctl status`, `GET /api/v1/status`) and logged at start-up.
public struct CatalogIssue: Error, Codable, Sendable, Hashable, CustomStringConvertible {
    /// The file's name inside the catalog directory.
    public var file: String
    /// 1-based line, when the problem has a place in the file.
    public var line: Int?
    /// Dotted path of the field, e.g. `documents[1].scan.dpi`.
    public var field: String?
    /// What is wrong and what was expected.
    public var message: String

    public init(file: String, line: Int?, field: String?, message: String) {
        self.file = file
        self.line = line
        self.field = field
        self.message = message
    }

    public var description: String {
        var place = file
        if let line { place += ":\(line)" }
        if let field, !field.isEmpty { place += ": \(field)" }
        return "\(place): \(message)"
    }
}
