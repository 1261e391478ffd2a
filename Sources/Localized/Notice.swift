/// A problem reported to a person: what happened, in both languages, who must act, and
/// whether trying again can help.
///
/// Devices report their last error this way; the flow shows it on the applicant's screen;
/// `kioskctl` prints it for the technician.
public struct Notice: Codable, Sendable, Hashable, CustomStringConvertible {
    /// A stable machine-readable code, e.g. `scanner.paper_jam`.
    public var code: String
    /// What happened and what to do next.
    public var message: LocalizedText
    public var actor: Actor
    /// True when the same action may succeed if tried again after the person acts.
    public var retryable: Bool

    public init(code: String, message: LocalizedText, actor: Actor, retryable: Bool) {
        self.code = code
        self.message = message
        self.actor = actor
        self.retryable = retryable
    }

    public var description: String { "\(code) (\(actor.rawValue)\(retryable ? ", retryable" : "")): \(message)" }
}
