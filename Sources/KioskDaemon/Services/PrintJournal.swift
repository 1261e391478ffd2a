import Flows
import Foundation
import KioskStore

/// Which print job each session's printout went to, kept in the store from the moment CUPS
/// created the job until its fate is known: what lets a restarted kiosk ask "did it print?"
/// instead of printing twice.
struct PrintJournal: Sendable {
    let store: KioskStore

    /// The job recorded for `kind` of `session`, if its end was never seen.
    func recorded(_ kind: PrintKind, of session: UUID) async throws -> String? {
        try await store.read { try $0.recordedPrintJob(session: session, kind: kind) }
    }

    func record(_ reference: String, for kind: PrintKind, of session: UUID) async throws {
        try await store.transaction { try $0.recordPrintJob(session: session, kind: kind, reference: reference, at: Date()) }
    }

    /// The job's end is known (printed, or certainly not): nothing left to ask about.
    func forget(_ kind: PrintKind, of session: UUID) async throws {
        try await store.transaction { try $0.clearPrintJob(session: session, kind: kind) }
    }
}
