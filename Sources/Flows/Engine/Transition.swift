public import Localized

/// What an accepted event produced besides the new session value.
public struct Transition: Sendable, Hashable {
    /// Device work to carry out, in order.
    public var actions: [FlowAction] = []
    /// The dossier sealed by this event; the store writes it and its outbox row in the same
    /// transaction as the session.
    public var sealed: Dossier?
    /// Validation messages by field id. Non-empty means the step did not advance; answers sent
    /// with the event were still kept.
    public var rejected: [String: LocalizedText] = [:]
    /// False when nothing changed (a tick on a session that is not idle): nothing to persist.
    public var changed = true

    public init(actions: [FlowAction] = [], sealed: Dossier? = nil, rejected: [String: LocalizedText] = [:], changed: Bool = true) {
        self.actions = actions
        self.sealed = sealed
        self.rejected = rejected
        self.changed = changed
    }

    static let unchanged = Transition(changed: false)
}
