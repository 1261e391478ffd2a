/// The screens of a filing flow, in order.
public enum Step: String, Codable, Sendable, Hashable, CaseIterable {
    case chooseProcedure = "choose_procedure"
    case identify
    case form
    case documents
    case review
    case fee
    case delivery
    case submit
    case receipt
    case rating
    case finished
}

/// Where a session stands as a whole.
public enum SessionStatus: String, Codable, Sendable, Hashable {
    /// The applicant is filing; nothing is sealed yet.
    case active
    /// The dossier is sealed and queued for delivery; receipt and rating remain.
    case submitted
    /// The flow ended after submission.
    case finished
    /// The applicant cancelled, or left the kiosk idle, before submitting.
    case abandoned

    /// True when no more events are accepted.
    public var isClosed: Bool { self == .finished || self == .abandoned }
}
