public import Foundation

/// A receipt, ticket or A4 printer.
public protocol Printer: Device {
    /// Prints `job` and returns only when the printer reports it completed. Any other end
    /// throws, so the caller keeps the document for a reprint.
    func print(_ job: PrintJob) async throws(DeviceFailure) -> PrintOutcome
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

    /// A short title, e.g. `receipt KIOSK01-20261123-ABC123`; no personal data.
    public var title: String
    public var content: Content

    public init(title: String, content: Content) {
        self.title = title
        self.content = content
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
