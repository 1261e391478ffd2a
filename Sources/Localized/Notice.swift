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
    public var actor: NoticeActor
    /// True when the same action may succeed if tried again after the person acts.
    public var retryable: Bool
    /// For the technician only: what the device or driver said (a SANE status, a CUPS
    /// error). Never on the applicant's screen; never personal data.
    public var detail: String?

    public init(code: String, message: LocalizedText, actor: NoticeActor, retryable: Bool, detail: String? = nil) {
        self.code = code
        self.message = message
        self.actor = actor
        self.retryable = retryable
        self.detail = detail
    }

    /// The English message with the technician's detail, for kioskctl and logs of codes.
    public var forTechnician: String { detail.map { "\(message.en) [\($0)]" } ?? message.en }

    /// The same notice with a detail for the technician (never personal data).
    public func detailed(_ detail: String) -> Notice {
        var notice = self
        notice.detail = detail
        return notice
    }

    /// The notice as the applicant's screen shows it: without the technician's detail.
    public var forApplicant: Notice {
        var notice = self
        notice.detail = nil
        return notice
    }

    public var description: String { "\(code) (\(actor.rawValue)\(retryable ? ", retryable" : "")): \(message)" + (detail.map { " [\($0)]" } ?? "") }
}
