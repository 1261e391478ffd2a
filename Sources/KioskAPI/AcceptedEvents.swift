public import Flows

/// An event the session's current step accepts, with the request fields it needs and may
/// carry: a screen or any client is built from this, not from reading the source.
public struct AcceptedEvent: Codable, Sendable, Hashable {
    public var type: String
    public var required: [String]
    public var optional: [String]

    public init(_ type: String, required: [String] = [], optional: [String] = []) {
        self.type = type
        self.required = required
        self.optional = optional
    }

    /// What `session` accepts now (`POST /sessions/{id}/events`).
    public static func accepted(by s: FlowSession) -> [AcceptedEvent] {
        let language = AcceptedEvent("set_language", required: ["language"])
        guard !s.status.isClosed else { return [language] }
        var events = [language, AcceptedEvent("still_here"), AcceptedEvent("cancel")]
        if s.pending != nil { return [AcceptedEvent("cancel_device_action")] + events }
        let editable: [Step] = [.review, .fee, .delivery, .submit]
        let backable: [Step] = [.identify, .form, .documents, .review, .fee, .delivery, .submit]
        let nextable: [Step] = [.identify, .form, .documents, .review, .fee, .delivery, .receipt, .rating]
        switch s.step {
        case .chooseProcedure:
            events.append(AcceptedEvent("choose_procedure", required: ["code"]))
        case .identify:
            events += [
                AcceptedEvent("read_id_card"), AcceptedEvent("identify_qr", required: ["payload"]),
                AcceptedEvent("identify_typed", required: ["idNumber", "fullName", "dateOfBirth"], optional: ["sex"]),
                AcceptedEvent("card_expiry", required: ["dateOfExpiry"]),
            ]
        case .form:
            events.append(AcceptedEvent("answer", required: ["answers"]))
        case .documents:
            events += [
                AcceptedEvent("scan", required: ["documentId"]), AcceptedEvent("remove_page", required: ["documentId", "pageId"]),
                AcceptedEvent("skip_document", required: ["documentId"]),
            ]
        case .delivery:
            events.append(AcceptedEvent("choose_delivery", required: ["option"], optional: ["address"]))
        case .submit:
            events.append(AcceptedEvent("submit"))
        case .rating:
            events.append(AcceptedEvent("rate", required: ["score"], optional: ["comment"]))
        case .review, .fee, .receipt, .finished:
            break
        }
        if [.receipt, .rating].contains(s.step), s.status == .submitted, !(s.reprintable ?? []).isEmpty {
            events.append(AcceptedEvent("reprint", required: ["kind"]))
        }
        if editable.contains(s.step) { events.append(AcceptedEvent("edit", required: ["step"], optional: ["index"])) }
        if nextable.contains(s.step) { events.append(AcceptedEvent("next")) }
        if backable.contains(s.step) { events.append(AcceptedEvent("back")) }
        return events
    }
}
