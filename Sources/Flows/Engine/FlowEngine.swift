public import Foundation
public import Localized

/// The filing flow as a pure state machine: `apply` takes a session and an event and returns
/// the new session plus the actions to carry out. No I/O; time and identifiers are injected.
///
/// ```swift
/// var session = engine.start()
/// let transition = try engine.apply(.chooseProcedure(code: "2.000815"), to: &session)
/// // persist `session`, then carry out `transition.actions`
/// ```
public struct FlowEngine: Sendable {
    public var catalog: Catalog
    public var clock: FlowClock
    /// A session with no applicant input for this long ends (abandoned, or finished if sealed).
    public var idleTimeout: TimeInterval
    public var calendar: WorkingCalendar
    public var kioskId: String
    public var makeUUID: @Sendable () -> UUID

    public init(
        catalog: Catalog, clock: FlowClock = .system, idleTimeout: TimeInterval = 180,
        calendar: WorkingCalendar = WorkingCalendar(), kioskId: String,
        makeUUID: @escaping @Sendable () -> UUID = { UUID() }
    ) {
        self.catalog = catalog
        self.clock = clock
        self.idleTimeout = idleTimeout
        self.calendar = calendar
        self.kioskId = kioskId
        self.makeUUID = makeUUID
    }

    /// A new session on the first screen.
    public func start(language: Language = .vi) -> FlowSession {
        FlowSession(id: makeUUID(), now: clock.now(), language: language)
    }

    /// Applies `event`. On a thrown `FlowError` the session is left exactly as it was.
    public func apply(_ event: FlowEvent, to session: inout FlowSession) throws(FlowError) -> Transition {
        var draft = session
        let transition = try reduce(event, &draft)
        guard transition.changed else { return transition }
        if event != .tick { draft.lastActivityAt = clock.now() }
        session = draft
        return transition
    }

    private func reduce(_ event: FlowEvent, _ s: inout FlowSession) throws(FlowError) -> Transition {
        switch event {
        case .tick: return idleCheck(&s)
        case .setLanguage(let language):
            s.language = language
            return Transition()
        default: break
        }
        guard !s.status.isClosed else { throw .closed }
        if event == .stillHere { return Transition() }
        if event.isDeviceResult { return try deviceResult(event, &s) }
        if s.pending != nil {
            switch event {
            case .cancelDeviceAction:
                s.pending = nil
                return Transition(actions: [.cancelDeviceAction])
            case .cancel: break
            default: throw .busy
            }
        }
        s.notice = nil
        switch event {
        case .chooseProcedure(let code): return try choose(code, &s)
        case .readIDCard, .identifyByQRCode, .identifyTyped, .setCardExpiry: return try identify(event, &s)
        case .answer(let answers): return try answer(answers, &s)
        case .next: return try next(&s)
        case .back: return try back(&s)
        case .edit(let step, let index): return try edit(step, index, &s)
        case .scan, .removePage, .skipDocument: return try documentEvent(event, &s)
        case .chooseDelivery(let option, let address): return try chooseDelivery(option, address, &s)
        case .submit: return try submit(&s)
        case .reprint(let kind): return try reprint(kind, &s)
        case .rate(let score, let comment): return try rate(score, comment, &s)
        case .cancel: return end(&s)
        case .cancelDeviceAction: throw .notAllowed(event, at: s.step)
        case .tick, .setLanguage, .stillHere, .cardRead, .cardReadFailed, .pagesScanned, .scanFailed, .printed, .printFailed, .actionInterrupted:
            throw .notAllowed(event, at: s.step)
        }
    }

    var today: CivilDate { CivilDate(clock.now()) }

    func require(_ step: Step, _ event: FlowEvent, _ s: FlowSession) throws(FlowError) {
        guard s.step == step else { throw .notAllowed(event, at: s.step) }
    }

    func procedure(_ s: FlowSession) throws(FlowError) -> Procedure {
        guard let procedure = s.procedure else { throw .notAllowed(.next, at: s.step) }
        return procedure
    }

    private func choose(_ code: String, _ s: inout FlowSession) throws(FlowError) -> Transition {
        try require(.chooseProcedure, .chooseProcedure(code: code), s)
        guard let procedure = catalog.procedure(code) else { throw .unknownProcedure(String(code.prefix(40))) }
        if s.procedure?.code != procedure.code {
            s.answers = [:]
            s.prefilled = []
            s.pages = [:]
            s.skippedDocuments = []
            s.feeAcknowledged = false
            s.delivery = nil
        }
        s.procedure = procedure
        if s.delivery == nil, procedure.deliveryOptions.count == 1, procedure.deliveryOptions[0] != .post {
            s.delivery = DeliverySelection(option: procedure.deliveryOptions[0])
        }
        prefill(&s)
        s.step = .identify
        return Transition()
    }

    private func idleCheck(_ s: inout FlowSession) -> Transition {
        guard !s.status.isClosed, s.pending == nil,
            clock.now().timeIntervalSince(s.lastActivityAt) >= idleTimeout
        else { return .unchanged }
        return end(&s)
    }

    /// Ends the session: abandoned before sealing, finished after. A sealed dossier stays sealed.
    ///
    /// The kiosk is a public device, so the session forgets the applicant: identity and answers
    /// are cleared (a sealed dossier holds its own copy), and an abandoned session drops its
    /// page references so the store deletes the images. A finished session keeps them: the
    /// dossier refers to those pages.
    func end(_ s: inout FlowSession) -> Transition {
        var actions: [FlowAction] = s.pending == nil ? [] : [.cancelDeviceAction]
        actions.append(.endSession)
        s.pending = nil
        s.status = s.status == .active ? .abandoned : .finished
        s.step = .finished
        s.fieldErrors = [:]
        s.identity = nil
        s.answers = [:]
        s.prefilled = []
        s.delivery = nil
        if s.status == .abandoned {
            s.pages = [:]
            s.skippedDocuments = []
        }
        return Transition(actions: actions)
    }

    /// Forgets the identity and every answer it prefilled; the applicant identifies again.
    func discardIdentity(_ s: inout FlowSession) {
        s.identity = nil
        s.cardExpiry = nil
        for id in s.prefilled { s.answers[id] = nil }
        s.prefilled = []
    }

    private func deviceResult(_ event: FlowEvent, _ s: inout FlowSession) throws(FlowError) -> Transition {
        switch (event, s.pending) {
        case (.cardRead(let identity), .readIDCard?):
            s.pending = nil
            s.identity = identity
            s.fieldErrors = [:]
            prefill(&s)
        case (.cardReadFailed(let notice), .readIDCard?):
            s.pending = nil
            s.notice = notice
            // The chip refused keys made from the QR code's or the typed identity: the card on
            // the reader contradicts it, so it does not stand (nor what it prefilled).
            if notice.code == "card.access_denied", let identity = s.identity, identity.source != .chip {
                discardIdentity(&s)
                s.notice = FlowNotices.identityContradicted
            }
        case (.pagesScanned(let id, let pages, let notice), .scan(let pending)?) where id == pending:
            s.pending = nil
            s.pages[id, default: []].append(contentsOf: pages)
            s.fieldErrors = [:]
            s.notice = notice
        case (.scanFailed(let id, let notice, let pages), .scan(let pending)?) where id == pending:
            s.pending = nil
            s.pages[id, default: []].append(contentsOf: pages)
            s.notice = notice
        case (.printed(let kind), .print(let pending)?) where kind == pending:
            s.pending = nil
            s.printed.insert(kind)
        case (.printFailed(let kind, let notice), .print(let pending)?) where kind == pending:
            s.pending = nil
            s.notice = notice
            s.reprintable = (s.reprintable ?? []).union([kind])
        case (.actionInterrupted, _?):
            s.pending = nil
            s.notice = Notice(
                code: "flow.action_interrupted",
                message: LocalizedText(
                    vi: "Thao tác trước bị gián đoạn. Vui lòng thực hiện lại.",
                    en: "The last action was interrupted. Please do it again."), actor: .applicant, retryable: true)
        default:
            throw .stale
        }
        return Transition()
    }
}
