import KioskAPI
import Devices
import Flows
import Foundation
import Imaging
import Localized
import Logging
import ServiceLifecycle

/// Carries out the flow's actions on the devices and feeds each outcome back to the session
/// as an event. Each device action runs in a child task of the service's own task group, so
/// one applicant's slow scan never holds up anything else, `cancelDeviceAction` cancels that
/// child (a print's CUPS job with it), and shutting down cancels and then waits for them all.
actor Orchestrator: Service {
    private let sessions: SessionService
    private let journal: PrintJournal
    private let devices: DeviceSet
    private let hub: EventHub
    private let config: KioskConfig
    private let logger: Logger
    private let pipeline: PagePipeline
    /// The device action under way per session: how to cancel it, with a token so a finished
    /// action never removes the one that replaced it.
    private var running: [UUID: (token: UUID, cancel: AsyncStream<Never>.Continuation)] = [:]

    init(sessions: SessionService, journal: PrintJournal, devices: DeviceSet, hub: EventHub, config: KioskConfig, logger: Logger) {
        self.sessions = sessions
        self.journal = journal
        self.devices = devices
        self.hub = hub
        self.config = config
        self.logger = logger
        pipeline = PagePipeline(encoder: PageEncoder(maxPageBytes: config.documents.maxPageBytes), minimumDPI: config.documents.minimumDPI)
    }

    func run() async throws {
        await withDiscardingTaskGroup { group in
            for await batch in sessions.actions.cancelOnGracefulShutdown() {
                for action in batch.actions { handle(action, for: batch.session, in: &group) }
            }
            // Shutting down: every device action is cancelled, and waited for.
            for entry in running.values { entry.cancel.finish() }
            running = [:]
            group.cancelAll()
        }
    }

    private func handle(_ action: FlowAction, for session: UUID, in group: inout DiscardingTaskGroup) {
        switch action {
        case .readIDCard: start(session, in: &group) { await $0.readCard(session) }
        case .scan(let document, let profile): start(session, in: &group) { await $0.scan(session, document, profile) }
        case .print(let kind): start(session, in: &group) { await $0.print(kind, session) }
        case .cancelDeviceAction, .endSession:
            running[session]?.cancel.finish()
            running[session] = nil
        }
    }

    /// Runs `work` as a child of the service's group, cancelled when its session's action is
    /// (a new action for the session replaces, and cancels, the one before).
    private func start(_ session: UUID, in group: inout DiscardingTaskGroup, _ work: @escaping @Sendable (Orchestrator) async -> Void) {
        running[session]?.cancel.finish()
        let token = UUID()
        let (cancelled, cancel) = AsyncStream<Never>.makeStream()
        running[session] = (token, cancel)
        group.addTask { [self] in
            await withTaskGroup(of: Void.self) { action in
                action.addTask { await work(self) }
                action.addTask { for await _ in cancelled {} }  // ends when cancelled
                await action.next()
                action.cancelAll()
            }
            await finished(session, token)
        }
    }

    private func finished(_ session: UUID, _ token: UUID) {
        if running[session]?.token == token { running[session] = nil }
    }

    private func readCard(_ session: UUID) async {
        // The chip's access keys come from what the applicant already gave: the QR code on
        // the card's front (number, birth and issue dates) or the typed number and birth date.
        let current = try? await sessions.session(session)
        let known = current?.identity
        let request = CardReadRequest(
            idNumber: known?.idNumber, dateOfBirth: known?.dateOfBirth, dateOfExpiry: current?.cardExpiry,
            issueDate: known?.issueDate, timeoutSeconds: Double(config.cardReader.readTimeoutSeconds))
        let event: FlowEvent
        do {
            event = .cardRead(try await devices.cardReader.readCard(request))
        } catch {
            logger.info("card read failed", metadata: ["kiosk.session": "\(session)", "kiosk.code": "\(error.notice.code)"])
            event = .cardReadFailed(error.notice)
        }
        await deliver(session, event)
    }

    private func scan(_ session: UUID, _ document: String, _ profile: ScanProfile) async {
        let request = ScanRequest(profile)
        let scanner = devices.scanner
        let hub = self.hub
        let processing = PageProcessing(pipeline: pipeline)
        let scanTask = Task { () async throws -> Int in
            try await scanner.stream(
                request,
                progress: { progress in
                    Task {
                        await hub.publish(
                            .scanProgress(.init(sessionId: session, documentId: document, page: progress.page, fraction: progress.fraction)))
                    }
                }, onPage: { processing.add($0) })
        }
        let timeout = config.scanner.scanTimeoutSeconds
        let watchdog = Task { () -> Bool in
            do {
                try await Task.sleep(for: .seconds(timeout))
                scanTask.cancel()
                return true
            } catch {
                return false
            }
        }
        let result = await withTaskCancellationHandler {
            await scanTask.result
        } onCancel: {
            scanTask.cancel()
        }
        watchdog.cancel()
        let timedOut = await watchdog.value
        // Every page the scanner completed, cleaned and compressed (most of it already done
        // while the next sheet was being scanned).
        let processed = await processing.finish()
        var failure: Notice?
        switch result {
        case .success(let count):
            logger.info("scan finished", metadata: ["kiosk.session": "\(session)", "kiosk.document": "\(document)", "kiosk.pages": "\(count)"])
        case .failure(let error):
            let interrupted = error as? ScanInterrupted
            failure = timedOut ? DeviceNotices.scannerTimedOut : interrupted?.failure.notice ?? DeviceNotices.scannerUnavailable
            logger.warning(
                "scan stopped",
                metadata: ["kiosk.session": "\(session)", "kiosk.code": "\(failure?.code ?? "")", "kiosk.pages_kept": "\(processed.count)"])
        }
        let (outputs, notice) = await fitDossier(processed, processing, session: session)
        if let problem = failure ?? (outputs.count < processed.count ? notice : nil) {
            await deliver(session, "scan_failed") {
                try await $0.apply(storing: outputs, of: document, to: session) { .scanFailed(documentId: document, notice: problem, pages: $0) }
            }
        } else {
            await deliver(session, "pages_scanned") {
                try await $0.apply(storing: outputs, of: document, to: session) { .pagesScanned(documentId: document, pages: $0, notice: notice) }
            }
        }
    }

    /// The pages that can join the dossier, and what the applicant must be told: each page
    /// is within the page limit already; if together they would take the dossier past its
    /// limit, they are compressed again to share what is left (quality, then resolution,
    /// never below the minimum), and refused only if even that does not fit.
    private func fitDossier(
        _ processed: [PageProcessing.Result], _ processing: PageProcessing, session: UUID
    ) async -> ([PagePipeline.Output], Notice?) {
        var outputs: [PagePipeline.Output] = []
        var notice: Notice?
        for item in processed {
            switch item.output {
            case .success(let output): outputs.append(output)
            case .failure(.tooLarge): notice = DossierNotices.pageTooLarge(config.documents)
            case .failure(.unreadable(let reason)):
                logger.error("scanner delivered an unreadable page", metadata: ["kiosk.session": "\(session)", "kiosk.error": "\(reason)"])
                notice = DeviceNotices.scannerUnavailable
            }
        }
        let already = (try? await sessions.session(session).scannedBytes) ?? 0
        let limit = config.documents.maxDossierBytes
        let total = outputs.reduce(0) { $0 + $1.page.data.count }
        guard already + total > limit, !outputs.isEmpty else { return (outputs, notice) }
        // A little room for each page's share of the PDF's own structure.
        let share = (limit - already) / outputs.count - 2_000
        if share > 10_000, let smaller = await processing.reencode(outputs, limit: share) {
            logger.notice(
                "pages compressed further to fit the dossier limit",
                metadata: [
                    "kiosk.session": "\(session)", "kiosk.pages": "\(smaller.count)", "kiosk.bytes_before": "\(total)",
                    "kiosk.bytes_after": "\(smaller.reduce(0) { $0 + $1.page.data.count })",
                ])
            return (smaller, notice ?? DossierNotices.compressedToFit(config.documents))
        }
        logger.notice("pages refused: the dossier is full", metadata: ["kiosk.session": "\(session)", "kiosk.pages": "\(outputs.count)"])
        return ([], DossierNotices.dossierFull(config.documents))
    }

    /// Prints `kind` for `session` once. A job recorded earlier whose end is unknown (kioskd
    /// was killed, or cupsd vanished while it printed) is asked about first: if it printed, or
    /// is still printing, no second copy is made.
    private func print(_ kind: PrintKind, _ session: UUID) async {
        let journal = self.journal
        let printer = devices.printer
        let event: FlowEvent
        do {
            if let earlier = try await journal.recorded(kind, of: session) {
                switch await printer.fate(ofJob: earlier) {
                case .completed:
                    logger.notice(
                        "earlier print job had completed: not printed again", metadata: ["kiosk.session": "\(session)", "kiosk.job": "\(earlier)"])
                    try await forget(kind, session)
                    return await deliver(session, .printed(kind))
                case .inProgress:
                    logger.notice("following an earlier print job", metadata: ["kiosk.session": "\(session)", "kiosk.job": "\(earlier)"])
                    _ = try await printer.follow(job: earlier)
                    try await forget(kind, session)
                    return await deliver(session, .printed(kind))
                case .notPrinted:
                    try await forget(kind, session)
                case .unknown(let failure):
                    throw failure
                }
            }
            let job = try await printJob(kind, session)
            let outcome = try await printer.print(job) { reference in try await journal.record(reference, for: kind, of: session) }
            try await forget(kind, session)
            logger.info(
                "printed", metadata: ["kiosk.session": "\(session)", "kiosk.print": "\(kind.rawValue)", "kiosk.job": "\(outcome.jobReference)"])
            event = .printed(kind)
        } catch let failure as DeviceFailure {
            // The journal keeps the job: the next attempt asks what became of it first.
            logger.warning(
                "print failed", metadata: ["kiosk.session": "\(session)", "kiosk.print": "\(kind.rawValue)", "kiosk.code": "\(failure.notice.code)"])
            event = .printFailed(kind, failure.notice)
        } catch {
            logger.error("print job could not be prepared", metadata: ["kiosk.session": "\(session)", "kiosk.error": "\(error)"])
            event = .printFailed(kind, DeviceNotices.printerOffline)
        }
        await deliver(session, event)
    }

    private func forget(_ kind: PrintKind, _ session: UUID) async throws {
        try await journal.forget(kind, of: session)
    }

    private func printJob(_ kind: PrintKind, _ session: UUID) async throws -> PrintJob {
        let state = try await sessions.session(session)
        guard let summary = state.dossier, let procedure = state.procedure, let dossier = try await sessions.dossier(summary.clientUUID) else {
            throw KioskError.sessionNotFound
        }
        return try Printouts(config: config).job(kind, dossier: dossier, procedure: procedure)
    }

    /// Applies a device outcome. A session that moved on (the applicant cancelled) refuses it
    /// as stale; if storing fails (disk full), the applicant is told so that the session is
    /// not left waiting forever.
    private func deliver(_ session: UUID, _ event: FlowEvent) async {
        await deliver(session, event.name) { try await $0.apply(event, to: session) }
    }

    private func deliver(_ session: UUID, _ name: String, _ apply: (SessionService) async throws -> SessionService.Outcome) async {
        do {
            _ = try await apply(sessions)
        } catch let refusal as FlowError {
            logger.debug(
                "device outcome not applied", metadata: ["kiosk.session": "\(session)", "kiosk.event": "\(name)", "kiosk.code": "\(refusal.code)"])
        } catch {
            logger.error(
                "device outcome could not be stored", metadata: ["kiosk.session": "\(session)", "kiosk.event": "\(name)", "kiosk.error": "\(error)"])
            _ = try? await sessions.apply(.actionInterrupted, to: session)
        }
    }
}
