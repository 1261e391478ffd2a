import CentralProtocol
import CitizenCard
import Devices
import Flows
import Foundation
import Hummingbird
import Imaging
import KioskAPI
import KioskStore
import Logging
import Prometheus
import ServiceLifecycle
#if EmulatedCardReader
import VirtualCard
#endif

/// Builds the whole daemon from its configuration: store, catalog, devices, flow engine, the
/// services and the HTTP server. `kioskd` and the tests both call this, so tests run the
/// same graph the kiosk runs.
/// `metricsRegistry`: the Prometheus registry the process bootstrapped swift-metrics with
/// (kioskd's main does; in-process tests do not, and `/metrics` is then empty).
/// `routes`: told every route the router serves, as `METHOD /path` (the API document's test).
func buildApplication(
    config: KioskConfig, logger: Logger, clock: FlowClock = .system, sweepInterval: Duration = .seconds(5),
    metricsRegistry: PrometheusCollectorRegistry? = nil, routes: (@Sendable ([String]) -> Void)? = nil
) async throws -> some ApplicationProtocol {
    let lock = try StoreLock(store: config.store.path.path)
    let store = try KioskStore(path: config.store.path.path, maxSizeBytes: Int64(config.store.maxSizeMB) * 1024 * 1024)
    // The catalog: the central's last update when one is installed, else the configured directory.
    let storeDirectory = config.store.path.deletingLastPathComponent()
    let installer = CatalogInstaller(storeDirectory: storeDirectory)
    let catalogDirectory = installer.activeDirectory(configured: config.catalogDirectory)
    let catalog = try Catalog.load(directory: catalogDirectory)
    for issue in catalog.issues {
        logger.error("catalog file rejected", metadata: ["kiosk.catalog_issue": "\(issue)"])
    }
    logger.info(
        "catalog loaded",
        metadata: [
            "kiosk.procedures": "\(catalog.procedures.count)", "kiosk.rejected_files": "\(catalog.issues.count)",
            "kiosk.catalog_source": "\(catalogDirectory == config.catalogDirectory ? "configured" : "central update")",
        ])
    let live = LiveCatalog(catalog, directory: catalogDirectory)
    if ICCProfile.sRGB == nil {
        logger.warning(
            "no sRGB ICC profile: dossier PDFs are written as plain PDF, not PDF/A-2b (install libgs-common)",
            metadata: ["kiosk.looked_in": "\(ICCProfile.sRGBPaths.joined(separator: ", "))"])
    }

    let devices = try await makeDevices(config)
    let hub = EventHub()
    let engine = FlowEngine(
        catalog: catalog, clock: clock, idleTimeout: TimeInterval(config.session.idleTimeoutSeconds),
        calendar: WorkingCalendar(holidays: config.session.holidays), kioskId: config.kiosk.id)
    let maintenance = try await MaintenanceSwitch(store: store)
    let sessions = SessionService(store: store, engine: engine, catalog: live, hub: hub, logger: logger, maintenance: maintenance)
    let orchestrator = Orchestrator(
        sessions: sessions, journal: PrintJournal(store: store), devices: devices, hub: hub, config: config, logger: logger)

    // Device actions a previous run left unfinished are settled before the first request.
    await sessions.recoverInterruptedActions()

    // The kiosk's identity towards its central: made on first start, beside the store (0600).
    let key = try SigningKey.loadOrCreate(path: storeDirectory.appendingPathComponent("kiosk.key").path)
    let link = LinkState(key: key, heartbeatSeconds: config.central.heartbeatSeconds)
    let startedAt = ContinuousClock.now

    let systemd = SystemdNotifier()
    let printouts = Printouts(config: config)
    let router = Router(context: KioskRequestContext.self)
    router.add(middleware: ScreenHeaders())
    // HTTP request counts and durations (swift-metrics; /metrics emits them).
    router.add(middleware: MetricsMiddleware())
    router.add(middleware: JSONErrorMiddleware())
    router.add(middleware: OriginGuard(allowedHosts: config.api.allowedHosts))
    // The applicant's screen: static HTML, CSS and JavaScript modules at `/` (index.html).
    router.add(middleware: FileMiddleware(config.screenDirectory.path, searchForIndexHtml: true, logger: logger))
    // The applicant's API; the technician's routes answer on the technician socket only.
    let api = router.group("api/v1")
    let technician = router.group("api/v1").add(middleware: TechnicianGate())
    let status = StatusService(config: config, live: live, store: store, devices: devices, startedAt: Date())
    StatusController(status: status).addRoutes(applicant: api, technician: technician)
    ProceduresController(live: live, store: store).addRoutes(to: api)
    SessionsController(sessions: sessions, languages: config.session.languages, defaultLanguage: config.session.defaultLanguage)
        .addRoutes(to: api)
    let printoutService = PrintoutService(live: live, store: store, printer: devices.printer, printouts: printouts)
    PrintoutsController(printouts: printoutService).addRoutes(to: technician)
    QueuesController(
        queues: QueueService(
            live: live, store: store, printer: devices.printer, printouts: printouts,
            minutesPerPerson: config.queue.minutesPerPerson)
    )
    .addRoutes(applicant: api, technician: technician)
    DevicesController(devices: devices).addRoutes(applicant: api, technician: technician)
    ScreenSettingsController(
        settings: ScreenSettings(
            kioskId: config.kiosk.id, officeName: config.kiosk.officeName, agency: config.kiosk.agency,
            idleTimeoutSeconds: config.session.idleTimeoutSeconds, languages: config.session.languages,
            defaultLanguage: config.session.defaultLanguage)
    )
    .addRoutes(to: api)
    SpeechController(speech: SpeechService(cache: storeDirectory.appendingPathComponent("speech-cache"))).addRoutes(to: api)
    EventsController(hub: hub, devices: devices).addRoutes(to: api)
    let linkService = LinkService(store: store, link: link, kioskId: config.kiosk.id, logger: logger)
    LinkController(link: linkService).addRoutes(to: technician)
    let selfTest = DeviceSelfTest(store: store, devices: devices, printouts: printoutService)
    TechnicianController(
        technician: TechnicianService(sessions: sessions, maintenance: maintenance, recentLog: .shared), selfTest: selfTest,
        diagnostics: {
            DiagnosticsReport(
                createdAt: Date(), version: KioskVersion.current, system: KioskVitals.system(), settings: config.maskedSettings,
                status: try await status.report(), link: try await linkService.report(), maintenance: maintenance.isOn,
                recentLog: RecentLog.shared.snapshot)
        }
    ).addRoutes(to: technician)
    // Prometheus: `GET /metrics` (outside /api/v1: a scraper's, not the screen's).
    router.get("metrics") { _, _ -> Response in
        let outbox = (try? await store.read { try $0.outboxHealth() }) ?? (0, 0, nil)
        sessions.metrics.refreshGauges(devices: await devices.statuses(), outbox: outbox, storePath: config.store.path.path)
        return Response(
            status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
            body: ResponseBody(byteBuffer: ByteBuffer(string: metricsRegistry?.emitToString() ?? "")))
    }

    try router.validate()
    routes?(router.routes.map(\.description))
    return Application(
        router: router,
        configuration: .init(address: .hostname(config.api.host, port: config.api.port), serverName: "kioskd"),
        services: [
            // The technician's channel: the same routes on a Unix domain socket (0660).
            TechnicianSocket(responder: router.buildResponder(), settings: config.technician, logger: logger),
            SystemdWatchdog(
                notifier: systemd, interval: SystemdNotifier.watchdogInterval(), store: store,
                status: {
                    let summary = (try? await store.read { try $0.summary() })
                    let devices = await devices.statuses().map { "\($0.id) \($0.state.rawValue)" }.joined(separator: ", ")
                    return "\(summary?.openSessions ?? 0) open sessions, outbox \(summary?.outboxDepth ?? 0); \(devices)"
                },
                logger: logger),
            orchestrator,
            DeviceMonitor(devices: devices, hub: hub, logger: logger),
            SessionSweeper(sessions: sessions, interval: sweepInterval),
            HeartbeatService(
                store: store, link: link, devices: devices, hub: hub, catalog: live, startedAt: startedAt,
                storeDirectory: storeDirectory.path, maintenance: maintenance,
                commands: CommandRunner(
                    store: store, maintenance: maintenance, printouts: printoutService, devices: devices,
                    catalogUpdate: RemoteCatalogUpdate(catalog: live, installer: installer, logger: logger),
                    diagnostics: DiagnosticsUpload(
                        store: store, devices: devices, link: link, catalog: live, maintenance: maintenance, startedAt: startedAt,
                        storeDirectory: storeDirectory.path, recentLog: .shared),
                    logger: logger),
                logger: logger),
            OutboxSender(
                store: store, link: link, hub: hub, kioskId: config.kiosk.id, catalog: live,
                chunkBytes: config.central.chunkKB * 1024, timeout: TimeInterval(config.central.timeoutSeconds), logger: logger),
        ],
        onServerRunning: { channel in
            // The store's lock lives as long as the application that holds this closure.
            withExtendedLifetime(lock) {}
            // systemd (Type=notify): ready once the API listens.
            systemd.notify("READY=1", "STATUS=ready on \(channel.localAddress?.description ?? "?")")
            logger.notice(
                "kioskd ready",
                metadata: [
                    "kiosk.listen": "\(channel.localAddress?.description ?? "?")",
                    "kiosk.id": "\(config.kiosk.id)",
                ])
        },
        logger: logger)
}

extension Catalog {
    /// The catalog's version as the central sees it: a hash of every procedure's code and
    /// version (it changes whenever one of them does).
    var fingerprint: String {
        String(SHA256Hasher.hex(Data(procedures.map { "\($0.code)@\($0.version)" }.sorted().joined(separator: "\n").utf8)).prefix(16))
    }
}

/// The configured devices: real drivers, or simulated ones for demos and flow tests.
func makeDevices(_ config: KioskConfig) async throws -> DeviceSet {
    let scanner: any DocumentScanner
    switch config.scanner.driver {
    case .sane:
        // libsane runs in the kiosk-sane helper, installed next to kioskd (SANEHelperProtocol).
        let helper = URL(fileURLWithPath: (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0])
            .deletingLastPathComponent().appendingPathComponent("kiosk-sane")
        scanner = SANEHelperScanner(
            id: "scanner", helper: helper, deviceName: config.scanner.device,
            sourceNames: .init(flatbed: config.scanner.sourceFlatbed, feeder: config.scanner.sourceFeeder, duplex: config.scanner.sourceDuplex),
            extraOptions: config.scanner.options,
            environment: config.scanner.saneConfigDirectory.map { ["SANE_CONFIG_DIR": $0.path] } ?? [:],
            stallTimeout: TimeInterval(config.scanner.stallTimeoutSeconds))
    case .simulated:
        let simulated = SimulatedScanner(
            id: "scanner", feederPages: config.scanner.feederPages,
            pageDelay: .milliseconds(config.scanner.pageDelayMilliseconds))
        try await simulated.inject(fault: config.scanner.fault.rawValue)
        scanner = simulated
    }
    let printer: any Devices.Printer
    switch config.printer.driver {
    case .cups:
        printer = CUPSPrinter(
            id: "printer", destination: config.printer.destination, server: config.printer.cupsServer,
            jobTimeout: TimeInterval(config.printer.jobTimeoutSeconds),
            askPaperSensor: config.printer.paper != .a4)
    case .simulated:
        let simulated = SimulatedPrinter(id: "printer", outputDirectory: config.printer.outputDirectory)
        try await simulated.inject(fault: config.printer.fault.rawValue)
        printer = simulated
    }
    let cardReader: any CardReader
    var emulatedHand: (@Sendable (String) -> Bool)? = nil
    switch config.cardReader.driver {
    case .ccid:
        let source = try readerSource(config.cardReader.reader)
        #if EmulatedCardReader
        if let virtual = source as? VirtualReaderSource, let card = virtual.reader.card {
            emulatedHand = { action in
                switch action {
                case "card_placed": virtual.reader.insert(card)
                case "card_removed": virtual.reader.removeCard()
                case "card_lifted_mid_read": virtual.reader.removeCardAfterAPDUs = 6
                default: return false
                }
                return true
            }
        }
        #endif
        cardReader = CCIDCardReader(
            id: "card_reader", source: source,
            settings: .init(cscaStore: CSCAStore(directory: config.cardReader.cscaDirectory.path), readFace: config.cardReader.readFace),
            driverName: config.cardReader.reader == .virtual ? "ccid (emulated reader)" : "ccid")
    case .simulated:
        let simulated = SimulatedCardReader(id: "card_reader")
        try await simulated.inject(fault: config.cardReader.fault.rawValue)
        cardReader = simulated
    }
    return DeviceSet(scanner: scanner, printer: printer, cardReader: cardReader, emulatedHand: emulatedHand)
}

/// Where the CCID driver finds its reader: the USB bus, or (in a build with the
/// `EmulatedCardReader` trait: demos and tests) an emulated reader holding a synthetic card.
private func readerSource(_ reader: KioskConfig.CardReaderSettings.Reader) throws -> any CCIDReaderSource {
    switch reader {
    case .usb: return LibUSBReaderSource()
    case .virtual:
        #if EmulatedCardReader
        return try VirtualReaderSource()
        #else
        // Refused when the file is read (KioskConfig.parse); never reached.
        return LibUSBReaderSource()
        #endif
    }
}
