public import Foundation
public import Localized

/// `POST /api/v1/queues/{queue}/tickets`: a numbered ticket for a counter's queue (a catalog
/// field), printed on the kiosk's printer.
public struct QueueTicketRequest: Codable, Sendable {
    /// `normal` (default), `elderly`, `disability`, `pregnant` or `meritorious`.
    public var priority: String?

    public init(priority: String? = nil) {
        self.priority = priority
    }
}

/// The issued ticket. The number is taken even when printing fails (`printed` false and
/// `printNotice` says who must act); staff can still call it.
public struct QueueTicketReport: Codable, Sendable {
    public var queue: String
    public var number: Int
    /// As called out: `007`, or `U007` for a priority ticket.
    public var displayNumber: String
    public var priority: String
    public var issuedAt: Date
    public var peopleAhead: Int
    public var estimatedWaitMinutes: Int
    public var printed: Bool
    public var printJob: String?
    public var printNotice: Notice?

    public init(
        queue: String, number: Int, displayNumber: String, priority: String, issuedAt: Date, peopleAhead: Int,
        estimatedWaitMinutes: Int, printed: Bool, printJob: String?, printNotice: Notice?
    ) {
        self.queue = queue
        self.number = number
        self.displayNumber = displayNumber
        self.priority = priority
        self.issuedAt = issuedAt
        self.peopleAhead = peopleAhead
        self.estimatedWaitMinutes = estimatedWaitMinutes
        self.printed = printed
        self.printJob = printJob
        self.printNotice = printNotice
    }
}

/// `POST /api/v1/queues/{queue}/call`: the counter calls the next ticket (priority first).
public struct CalledTicket: Codable, Sendable {
    public var queue: String
    public var number: Int
    public var displayNumber: String
    public var priority: String

    public init(queue: String, number: Int, displayNumber: String, priority: String) {
        self.queue = queue
        self.number = number
        self.displayNumber = displayNumber
        self.priority = priority
    }
}
