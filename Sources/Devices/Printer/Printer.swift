public import Foundation

/// A receipt, ticket or A4 printer.
public protocol Printer: Device {
    /// Prints `job` and returns only when the printer reports it completed. Any other end
    /// throws, so the caller keeps the document for a reprint.
    ///
    /// `journal` is called with the job's reference once the printer holds the job and before
    /// it can print (CUPS: after Create-Job, before the document is sent). The caller stores
    /// it, so that after a crash it can ask what became of the job (`fate(ofJob:)`) instead of
    /// printing a second copy. If `journal` throws, nothing is printed.
    func print(_ job: PrintJob, journal: @escaping @Sendable (String) async throws -> Void) async throws(DeviceFailure) -> PrintOutcome

    /// What became of a job handed over earlier, possibly by a process that has since died.
    /// A job that never received its whole document is cancelled here and reported as not
    /// printed.
    func fate(ofJob reference: String) async -> PrintJobFate

    /// Follows a job handed over earlier until it ends, as `print` does.
    func follow(job reference: String) async throws(DeviceFailure) -> PrintOutcome
}

extension Printer {
    /// Prints with no journal: a technician's test page, a queue ticket.
    public func print(_ job: PrintJob) async throws(DeviceFailure) -> PrintOutcome {
        try await print(job, journal: { _ in })
    }
}

/// What became of a print job handed over earlier.
public enum PrintJobFate: Sendable, Hashable {
    /// It printed.
    case completed
    /// It is still waiting or printing: follow it.
    case inProgress
    /// It did not print and never will (cancelled, aborted, incomplete, or no longer known
    /// to the printer): the document may be printed again.
    case notPrinted
    /// The printer cannot be asked now (its scheduler is down): keep the reference and ask
    /// again later; printing again now could print twice.
    case unknown(DeviceFailure)
}

/// A document to print.
public struct PrintJob: Sendable, Hashable {
    public enum Content: Sendable, Hashable {
        /// UTF-8 text, one line per line.
        case text(String)
        case pdf(Data)
        /// Bytes the printer understands natively (ESC/POS).
        case raw(Data)
    }

    /// A short title, e.g. `receipt KIOSK01-20261123-ABC123`; no personal data. Drivers make
    /// it safe for their spooler themselves (CUPS: `CUPSJobName`).
    public var title: String
    public var content: Content
    /// The printout's text, for a simulated printer to keep beside the bytes (a person reads
    /// var/printed); real drivers ignore it.
    public var transcript: String?

    public init(title: String, content: Content, transcript: String? = nil) {
        self.title = title
        self.content = content
        self.transcript = transcript
    }
}

/// A completed print job.
public struct PrintOutcome: Sendable, Hashable, Codable {
    /// The driver's job reference (CUPS job id, file name…).
    public var jobReference: String
    public var completedAt: Date

    public init(jobReference: String, completedAt: Date) {
        self.jobReference = jobReference
        self.completedAt = completedAt
    }
}
