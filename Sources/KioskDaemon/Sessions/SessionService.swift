import KioskAPI
import Flows
import Foundation
import Imaging
import KioskStore
import Localized
import Logging

/// Applies events to sessions: load, apply, persist in one store transaction, then announce
/// the change and hand the resulting actions to the orchestrator.
///
/// Concurrency: the store serialises write transactions, and the whole load-apply-save runs
/// inside one, so two events for the same session never interleave.
final class SessionService: Sendable {
    let store: KioskStore
    private let baseEngine: FlowEngine
    /// The catalog in use, when it can be updated while kioskd runs; else the engine's own.
    private let catalog: LiveCatalog?
    let hub: EventHub
    let logger: Logger
    /// While on, no new session starts.
    let maintenance: MaintenanceSwitch?
    let metrics = KioskMetrics()
    /// Actions to carry out, consumed by the orchestrator.
    let actions: AsyncStream<ActionBatch>
    private let actionQueue: AsyncStream<ActionBatch>.Continuation

    /// The actions one accepted event produced for one session.
    struct ActionBatch: Sendable {
        var session: UUID
        var actions: [FlowAction]
    }

    /// The outcome of one event.
    struct Outcome: Sendable {
        var session: FlowSession
        var transition: Transition
        /// The session before the event, and the event (for the metrics).
        var before: FlowSession? = nil
        var event: FlowEvent? = nil
    }

    init(
        store: KioskStore, engine: FlowEngine, catalog: LiveCatalog? = nil, hub: EventHub, logger: Logger, maintenance: MaintenanceSwitch? = nil
    ) {
        self.maintenance = maintenance
        self.store = store
        self.baseEngine = engine
        self.catalog = catalog
        self.hub = hub
        self.logger = logger
        (actions, actionQueue) = AsyncStream.makeStream(of: ActionBatch.self)
    }

    /// The engine on the catalog in use now (a session keeps its own copy of its procedure).
    var engine: FlowEngine {
        guard let catalog else { return baseEngine }
        var engine = baseEngine
        engine.catalog = catalog.current
        return engine
    }

    /// Starts and stores a new session in `requested` if the kiosk offers it, else in its
    /// default language.
    func start(requested: Language?, offered: [Language], fallback: Language, consent: String? = nil) async throws -> FlowSession {
        try await start(language: requested.flatMap { offered.contains($0) ? $0 : nil } ?? fallback, consent: consent)
    }

    /// Starts and stores a new session, with the consent the applicant gave (its text's version).
    func start(language: Language, consent: String? = nil) async throws -> FlowSession {
        // Maintenance: nobody new starts; whoever is filing finishes.
        if maintenance?.isOn == true { throw KioskError.outOfService }
        var started = engine.start(language: language)
        started.consent = consent.map { FlowSession.Consent(version: $0, at: started.createdAt) }
        let session = started
        try await store.transaction { tx in
            try tx.save(session, event: "start", from: nil)
            if let consent { try tx.audit(session: session.id, event: "consent \(consent)", from: nil, to: nil, outcome: "accepted") }
        }
        logger.info("session started", metadata: ["kiosk.session": "\(session.id)"])
        await announce(session)
        return session
    }

    func session(_ id: UUID) async throws -> FlowSession {
        guard let session = try await store.read({ try $0.session(id) }) else { throw KioskError.sessionNotFound }
        return session
    }

    /// Applies `event` to session `id`.
    func apply(_ event: FlowEvent, to id: UUID) async throws -> Outcome {
        try await apply(to: id) { _ in event }
    }

    /// The sealed dossier with this client UUID, if stored.
    func dossier(_ clientUUID: UUID) async throws -> Dossier? {
        try await store.read { try $0.dossier(clientUUID) }
    }

    /// Stores `pages` of `document` and applies the event made from their references, in one
    /// transaction: a session never references a page that is not stored, and a refused event
    /// leaves no page behind.
    func apply(
        storing pages: [PagePipeline.Output], of document: String, to id: UUID, _ makeEvent: @escaping @Sendable ([PageRef]) -> FlowEvent
    ) async throws -> Outcome {
        try await apply(to: id) { tx in makeEvent(try tx.insertPages(pages, session: id, document: document)) }
    }

    /// Applies the event `makeEvent` builds inside the transaction.
    private func apply(to id: UUID, _ makeEvent: @escaping @Sendable (StoreTransaction) throws -> FlowEvent) async throws -> Outcome {
        let engine = self.engine
        let outcome: Outcome
        do {
            outcome = try await store.transaction { tx in
                guard var session = try tx.session(id) else { throw KioskError.sessionNotFound }
                let event = try makeEvent(tx)
                let previous = session
                let before = session.step
                let transition = try engine.apply(event, to: &session)
                if transition.changed {
                    try tx.save(session, event: event.name, from: before, outcome: transition.rejected.isEmpty ? "accepted" : "rejected_fields")
                    if let dossier = transition.sealed { try tx.seal(dossier) }
                    if case .removePage = event { try tx.deleteUnreferencedPages(of: session) }
                    if session.status == .abandoned { try tx.deleteUnreferencedPages(of: session) }
                }
                return Outcome(session: session, transition: transition, before: previous, event: event)
            }
        } catch let refusal as FlowError {
            // The refused event's transaction rolled back whole (pages it stored included);
            // the refusal is audited on its own.
            _ = try? await store.transaction { tx in
                let step = try tx.session(id)?.step
                try tx.audit(session: id, event: "refused", from: step, to: step, outcome: refusal.code)
            }
            throw refusal
        }
        guard outcome.transition.changed else { return outcome }
        if let before = outcome.before, let event = outcome.event {
            metrics.record(event: event, before: before, after: outcome.session)
        }
        if let dossier = outcome.transition.sealed {
            logger.notice(
                "dossier sealed",
                metadata: [
                    "kiosk.session": "\(id)", "kiosk.dossier": "\(dossier.clientUUID)",
                    "kiosk.procedure": "\(dossier.procedureCode)",
                ])
        }
        await announce(outcome.session)
        if !outcome.transition.actions.isEmpty { actionQueue.yield(ActionBatch(session: id, actions: outcome.transition.actions)) }
        return outcome
    }

    /// Sends `.tick` to every open session, so idle ones end.
    func tickAll() async {
        do {
            for var session in try await store.read({ try $0.openSessions() }) {
                // Decide on the copy first: most ticks change nothing and need no write.
                guard (try? engine.apply(.tick, to: &session))?.changed == true else { continue }
                _ = try? await apply(.tick, to: session.id)
            }
        } catch {
            logger.error("idle check could not read sessions", metadata: ["kiosk.error": "\(error)"])
        }
    }

    /// After a restart: a scan or card read that was under way has an unknown outcome; tell
    /// each such session so the applicant can do it again. A print that was under way is
    /// resumed: the orchestrator asks the printer what became of the recorded job before
    /// printing anything, so the applicant gets exactly one receipt.
    func recoverInterruptedActions() async {
        do {
            for session in try await store.read({ try $0.openSessions() }) {
                switch session.pending {
                case nil: continue
                case .print(let kind)?:
                    actionQueue.yield(ActionBatch(session: session.id, actions: [.print(kind)]))
                    logger.notice("interrupted print resumed after restart", metadata: ["kiosk.session": "\(session.id)"])
                default:
                    _ = try await apply(.actionInterrupted, to: session.id)
                    logger.notice("interrupted device action cleared after restart", metadata: ["kiosk.session": "\(session.id)"])
                }
            }
        } catch {
            logger.error("could not recover sessions after restart", metadata: ["kiosk.error": "\(error)"])
        }
    }

    private func announce(_ session: FlowSession) async {
        await hub.publish(
            .session(
                .init(
                    sessionId: session.id, step: session.step, status: session.status,
                    pending: session.pending, noticeCode: session.notice?.code)))
    }
}
