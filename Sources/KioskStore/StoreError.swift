import GRDB

/// A storage failure, classified for the person who must act.
public struct StoreError: Error, Sendable, CustomStringConvertible {
    public enum Kind: String, Sendable {
        /// SQLITE_FULL: the disk or the database's size limit is full.
        case diskFull = "disk_full"
        /// SQLITE_READONLY / SQLITE_CANTOPEN / SQLITE_PERM: the file cannot be written.
        case notWritable = "not_writable"
        /// SQLITE_CORRUPT / SQLITE_NOTADB: the file is damaged.
        case corrupt
        /// SQLITE_BUSY / SQLITE_LOCKED: another process holds the database.
        case busy
        /// Any other I/O failure.
        case io
        /// A stored value that cannot be decoded (written by a newer version?).
        case undecodable
    }

    public var kind: Kind
    /// For the technician: what failed, with SQLite's own words. No personal data.
    public var detail: String

    public var description: String { "\(kind.rawValue): \(detail)" }

    init(kind: Kind, detail: String) {
        self.kind = kind
        self.detail = detail
    }

    /// Classifies any error thrown by GRDB.
    static func wrap(_ error: any Error, while doing: String) -> any Error {
        if error is StoreError { return error }
        guard let db = error as? DatabaseError else { return error }
        let kind: Kind =
            switch db.resultCode {
            case .SQLITE_FULL: .diskFull
            case .SQLITE_READONLY, .SQLITE_CANTOPEN, .SQLITE_PERM: .notWritable
            case .SQLITE_CORRUPT, .SQLITE_NOTADB: .corrupt
            case .SQLITE_BUSY, .SQLITE_LOCKED: .busy
            default: .io
            }
        return StoreError(kind: kind, detail: "\(doing): SQLite \(db.resultCode.rawValue) \(db.message ?? "")")
    }
}
