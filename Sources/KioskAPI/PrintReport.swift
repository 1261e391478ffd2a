public import Foundation

/// `POST /api/v1/dossiers/{id}/print`: a technician reprints a sealed dossier's receipt or
/// declaration. Answered once the printer completed the job.
public struct PrintRequest: Codable, Sendable {
    /// `receipt` or `declaration`.
    public var kind: String

    public init(kind: String) {
        self.kind = kind
    }
}

public struct PrintReport: Codable, Sendable {
    public var dossier: UUID
    public var kind: String
    /// The printer's job reference (the CUPS job).
    public var job: String

    public init(dossier: UUID, kind: String, job: String) {
        self.dossier = dossier
        self.kind = kind
        self.job = job
    }
}
