public import Flows
public import Foundation
import GRDB

/// The print journal: a session's print job that the printer holds but that has not been
/// seen to complete. Written before the job can print, removed once it completed; a row that
/// survives a crash says which job to ask about, so a receipt is never printed twice.
extension StoreTransaction {
    public func recordPrintJob(session: UUID, kind: PrintKind, reference: String, at time: Date) throws {
        try db.execute(
            sql: """
                INSERT INTO print_journal (session_id, kind, job_reference, recorded_at) VALUES (?, ?, ?, ?)
                ON CONFLICT (session_id, kind) DO UPDATE SET job_reference = excluded.job_reference, recorded_at = excluded.recorded_at
                """, arguments: [session.uuidString, kind.rawValue, reference, time])
    }

    /// The job of `kind` recorded for `session` whose end is not known, if any.
    public func recordedPrintJob(session: UUID, kind: PrintKind) throws -> String? {
        try String.fetchOne(
            db, sql: "SELECT job_reference FROM print_journal WHERE session_id = ? AND kind = ?",
            arguments: [session.uuidString, kind.rawValue])
    }

    public func clearPrintJob(session: UUID, kind: PrintKind) throws {
        try db.execute(sql: "DELETE FROM print_journal WHERE session_id = ? AND kind = ?", arguments: [session.uuidString, kind.rawValue])
    }
}
