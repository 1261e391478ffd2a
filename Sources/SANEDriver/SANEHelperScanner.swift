public import DeviceModel
public import Foundation
public import Imaging
import Localized

/// A SANE scanner driven through the `kiosk-sane` helper process (see SANEHelperProtocol):
/// one helper per scan or probe. A helper that crashes or hangs costs that scan only: it is
/// killed, the pages it delivered are kept, and the technician is told.
///
/// A `DriverActor`: the blocking reads of the helper's output run on the driver's own serial
/// executor; a cancelled scan stops its helper (SIGTERM, then SIGKILL).
public actor SANEHelperScanner: StreamingScanner, BroadcastingDevice, DriverActor {
    public nonisolated let id: String
    public nonisolated var kind: DeviceKind { .scanner }
    public nonisolated let broadcaster: StatusBroadcaster
    public nonisolated let executor = DriverExecutor(label: "kiosk.sane-helper")
    public nonisolated var unownedExecutor: UnownedSerialExecutor { executor.asUnownedSerialExecutor() }
    let helper: URL
    let deviceName: String
    let sourceNames: SANEScanner.SourceNames
    let extraOptions: [(name: String, value: String)]
    /// How long a helper may take to leave after being told to stop.
    let stopGrace: TimeInterval
    /// Added to the helper's environment (SANE_CONFIG_DIR).
    let environment: [String: String]
    /// A scan that sends nothing (no progress, no page) for this long is stopped as stalled.
    let stallTimeout: TimeInterval
    /// Where pages are read into when it holds arrays of the right size (see PixelPool).
    public nonisolated let pixelPool: PixelPool?

    public init(
        id: String, helper: URL, deviceName: String, sourceNames: SANEScanner.SourceNames = .init(),
        extraOptions: [(name: String, value: String)] = [], environment: [String: String] = [:], stallTimeout: TimeInterval = 30,
        stopGrace: TimeInterval = 3,
        pixelPool: PixelPool? = nil
    ) {
        self.id = id
        self.pixelPool = pixelPool
        self.stallTimeout = stallTimeout
        self.environment = environment
        self.helper = helper
        self.deviceName = deviceName
        self.sourceNames = sourceNames
        self.extraOptions = extraOptions
        self.stopGrace = stopGrace
        broadcaster = StatusBroadcaster(
            DeviceStatus(
                id: id, kind: .scanner, driver: "sane",
                model: deviceName.isEmpty ? nil : deviceName, state: .starting))
    }

    /// Nothing stays open between scans.
    public func close() async {}

    /// Opens the device and reads what it offers (the technician's self-test).
    public func capabilities() async throws(DeviceFailure) -> ScannerCapabilities {
        let outcome = await run(SANEHelperRequest(device: deviceName, sourceNames: sourceNames, options: extraOptions, scan: nil), { _ in }, { _ in })
        if let failure = outcome.failure { throw failure }
        guard let capabilities = outcome.capabilities else {
            throw DeviceFailure(
                state: .hardwareError,
                notice: SANEStatus.technician("scanner.no_capabilities", "kiosk-sane opened \(deviceName) but did not describe it"))
        }
        return capabilities
    }

    public func probe() async {
        let outcome = await run(SANEHelperRequest(device: deviceName, sourceNames: sourceNames, options: extraOptions, scan: nil), { _ in }, { _ in })
        if let failure = outcome.failure {
            await recordOutcome(failure)
        } else {
            await broadcaster.update {
                $0.state = .online
                $0.lastError = nil
            }
        }
    }

    public func scan(
        _ request: ScanRequest, _ progress: @escaping @Sendable (ScanProgress) -> Void,
        _ onPage: @escaping @Sendable (Raster) -> Void, retainPages: Bool
    ) async throws(ScanInterrupted) -> [Raster] {
        await broadcaster.update { $0.state = .busy }
        let helperRequest = SANEHelperRequest(device: deviceName, sourceNames: sourceNames, options: extraOptions, scan: request)
        var outcome = await run(helperRequest, progress, onPage, retainPages: retainPages)
        // A feeder batch whose helper went silent between two pages (libsane's hang at the
        // next sane_start) goes on in a fresh helper: the sheets not yet pulled are still in
        // the feeder, the pages delivered are kept, and the applicant does not rescan.
        var continuations = 0
        while outcome.stalled, outcome.betweenPages, request.source == .feeder, continuations < 2, !Task.isCancelled {
            continuations += 1
            let offset = outcome.delivered
            let next = await run(
                helperRequest, { progress(ScanProgress(page: $0.page + offset, fraction: $0.fraction)) }, onPage,
                retainPages: retainPages)
            let feederWasEmpty = next.delivered == 0 && next.failure?.notice.code == DeviceNotices.scannerFeederEmpty.code
            outcome = Outcome(
                pages: outcome.pages + next.pages, failure: feederWasEmpty ? nil : next.failure, stalled: next.stalled,
                delivered: offset + next.delivered, betweenPages: next.betweenPages)
        }
        if var failure = outcome.failure {
            if Task.isCancelled, failure.notice.code == "scanner.helper_stopped" {
                failure = DeviceFailure(state: .online, notice: DeviceNotices.scannerCancelled)  // killed after a cancel
            } else if outcome.stalled {
                failure = DeviceFailure(state: .hardwareError, notice: DeviceNotices.scannerTimedOut)
            }
            await recordOutcome(failure)
            throw ScanInterrupted(failure: failure, pages: outcome.pages)
        }
        await recordOutcome(nil)
        return outcome.pages
    }

    struct Outcome: Sendable {
        var pages: [Raster] = []
        var failure: DeviceFailure?
        /// The helper went silent past `stallTimeout` and was stopped.
        var stalled = false
        var capabilities: ScannerCapabilities?
        /// Pages the helper handed over, and whether it went silent between two pages (after
        /// one was complete, before anything of the next).
        var delivered = 0
        var betweenPages = false
    }

    /// Runs the helper to its end. Task cancellation sends it SIGTERM (it cancels the scan and
    /// still reports its pages), then SIGKILL after `stopGrace`.
    private func run(
        _ request: SANEHelperRequest, _ progress: @escaping @Sendable (ScanProgress) -> Void,
        _ onPage: @escaping @Sendable (Raster) -> Void, retainPages: Bool = true
    ) async -> Outcome {
        let process = Process()
        process.executableURL = helper
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let input = Pipe(), output = Pipe()
        // A 1 MiB pipe (F_SETPIPE_SZ, Linux): a 12 MB page crosses in 12 turns, not 180.
        _ = fcntl(output.fileHandleForReading.fileDescriptor, 1031, 1 << 20)
        process.standardInput = input
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        do {
            try process.run()
        } catch {
            return Outcome(
                failure: DeviceFailure(
                    state: .hardwareError, notice: SANEStatus.technician("scanner.helper_missing", "cannot start \(helper.path): \(error)")))
        }
        input.fileHandleForWriting.write((try? JSONEncoder().encode(request)) ?? Data())
        try? input.fileHandleForWriting.close()
        let grace = stopGrace
        let counter = PageCounter()
        // Between feeder pages a third of the stall limit (at least 2 s) is silence enough.
        let watchdog = StallWatchdog(timeout: stallTimeout, pageGap: max(2, stallTimeout / 3), betweenPages: { counter.betweenPages }) {
            Self.stop(process, grace: grace)
        }
        return await withTaskCancellationHandler {
            // Blocking reads, on the driver's executor (never the cooperative pool).
            assert(executor.isCurrent, "the helper's output is read on the driver's executor")
            var outcome = Self.read(
                output.fileHandleForReading, progress, onPage, retainPages: retainPages,
                alive: watchdog.touch, delivered: counter, pool: pixelPool)
            watchdog.cancel()
            if outcome.finished {
                // The result is in: a helper that then fails to leave (a backend thread
                // cancelled inside the loader can block exit) is not waited for.
                DispatchQueue.global().asyncAfter(deadline: .now() + grace) {
                    if process.isRunning { kill(process.processIdentifier, SIGKILL) }
                }
            }
            process.waitUntilExit()
            if outcome.failure == nil, !outcome.finished {
                outcome.failure = DeviceFailure(
                    state: .hardwareError,
                    notice: SANEStatus.technician(
                        "scanner.helper_stopped", "kiosk-sane ended without a result (status \(process.terminationStatus))"))
            }
            return Outcome(
                pages: outcome.pages, failure: outcome.failure, stalled: !outcome.finished && watchdog.fired,
                capabilities: outcome.capabilities, delivered: counter.value, betweenPages: counter.betweenPages)
        } onCancel: {
            Self.stop(process, grace: grace)
        }
    }

    /// SIGTERM (the helper cancels the scan and leaves), then SIGKILL after `grace`.
    static func stop(_ process: Process, grace: TimeInterval) {
        guard process.isRunning else { return }
        kill(process.processIdentifier, SIGTERM)
        DispatchQueue.global().asyncAfter(deadline: .now() + grace) {
            if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        }
    }

    /// Parses the helper's frames until end of file.
    static func read(
        _ handle: FileHandle, _ progress: (ScanProgress) -> Void, _ onPage: (Raster) -> Void, retainPages: Bool = true,
        alive: @escaping () -> Void = {}, delivered: PageCounter? = nil, pool: PixelPool? = nil
    ) -> (pages: [Raster], failure: DeviceFailure?, finished: Bool, capabilities: ScannerCapabilities?) {
        var reader = FrameReader(fd: handle.fileDescriptor, alive: alive)
        var pages: [Raster] = []
        var capabilities: ScannerCapabilities?
        func line() -> String? { reader.line() }
        func bytes(_ count: Int) -> Data? { reader.bytes(count) }
        while let header = line() {
            let fields = header.split(separator: " ").map(String.init)
            switch fields.first {
            case "progress" where fields.count == 3:
                guard let page = Int(fields[1]), let fraction = Double(fields[2]) else { return (pages, garbled(header), false, capabilities) }
                // "progress n 1" right after page n closes that page; only news of a later
                // page means the next sheet is on its way.
                delivered?.progress(onPage: page)
                progress(ScanProgress(page: page, fraction: fraction))
            case "page" where fields.count == 6:
                // The PNM file of exactly the announced size and format: its header, then the
                // pixels, read straight into the page's own array.
                guard let width = Int(fields[1]), let height = Int(fields[2]), let dpi = Int(fields[3]),
                    let format = Raster.Kind(rawValue: fields[4]), let count = Int(fields[5]),
                    (1..<100_000).contains(width), (1..<100_000).contains(height)
                else { return (pages, garbled(header), false, capabilities) }
                var page = Raster(kind: format, width: width, height: height, dpi: dpi, pixels: [])
                let pnmHeader = page.pnmHeader
                guard count == pnmHeader.count + page.rowBytes * height, reader.bytes(pnmHeader.count) == pnmHeader,
                    let pixels = reader.pixels(count - pnmHeader.count, pool: pool)
                else { return (pages, garbled(header), false, capabilities) }
                page.pixels = pixels
                if retainPages { pages.append(page) }
                delivered?.add()
                onPage(page)
            case "capabilities" where fields.count == 2:
                guard let count = Int(fields[1]), count < 1 << 20, let data = bytes(count),
                    let described = try? JSONDecoder().decode(ScannerCapabilities.self, from: data)
                else { return (pages, garbled(header), false, capabilities) }
                capabilities = described
            case "done":
                return (pages, nil, true, capabilities)
            case "failed" where fields.count == 2:
                guard let count = Int(fields[1]), let data = bytes(count), let failure = try? JSONDecoder().decode(DeviceFailure.self, from: data)
                else {
                    return (pages, garbled(header), false, capabilities)
                }
                return (pages, failure, true, capabilities)
            default:
                return (pages, garbled(header), false, capabilities)
            }
        }
        return (pages, nil, false, capabilities)
    }

    static func garbled(_ header: String) -> DeviceFailure {
        DeviceFailure(
            state: .hardwareError, notice: SANEStatus.technician("scanner.helper_garbled", "unexpected output from kiosk-sane: \(header.prefix(60))"))
    }
}
