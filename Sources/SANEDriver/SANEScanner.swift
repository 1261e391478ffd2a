public import DeviceModel
public import Imaging
import CSane
import Foundation
import Localized

/// A document scanner driven through libsane.
///
/// Our scan profile is mapped onto each device's own option names and values: `source`
/// names differ by vendor, so they come from configuration (`SANEScanner.SourceNames`);
/// modes, resolution and the scan area are fitted to the option constraints the device
/// reports. A device that vanishes (I/O error, failed open) is reopened on the next scan.
///
/// A `DriverActor` on the process's one SANE executor (`SANELibrary`); a cancelled scan
/// reaches libsane through `sane_cancel`, the one call SANE allows from another thread.
public actor SANEScanner: StreamingScanner, BroadcastingDevice, DriverActor {
    /// The names a device may use for each source, tried in order, case-insensitively.
    public struct SourceNames: Sendable, Hashable {
        public var flatbed: [String]
        public var feeder: [String]
        public var duplex: [String]

        public init(
            flatbed: [String] = ["Flatbed", "FlatBed", "Normal"],
            feeder: [String] = ["Automatic Document Feeder", "ADF", "ADF Front", "Document Feeder"],
            duplex: [String] = ["ADF Duplex", "Duplex", "Automatic Document Feeder Duplex"]
        ) {
            self.flatbed = flatbed
            self.feeder = feeder
            self.duplex = duplex
        }

        func names(for source: ScanRequest.Source) -> [String] {
            switch source {
            case .flatbed: flatbed
            case .feeder: feeder
            case .duplex: duplex
            }
        }
    }

    public nonisolated let id: String
    public nonisolated var kind: DeviceKind { .scanner }
    public nonisolated let broadcaster: StatusBroadcaster
    public nonisolated var executor: DriverExecutor { SANELibrary.executor }
    public nonisolated var unownedExecutor: UnownedSerialExecutor { executor.asUnownedSerialExecutor() }
    let deviceName: String
    let sourceNames: SourceNames
    let extraOptions: [(name: String, value: String)]
    private var handle: SANEHandle?

    public init(id: String, deviceName: String, sourceNames: SourceNames = SourceNames(), extraOptions: [(name: String, value: String)] = []) {
        self.id = id
        self.deviceName = deviceName
        self.sourceNames = sourceNames
        self.extraOptions = extraOptions
        broadcaster = StatusBroadcaster(DeviceStatus(id: id, kind: .scanner, driver: "sane", model: deviceName, state: .starting))
    }

    /// Closes the device, so another program (or another test) may open it.
    public func close() async {
        dropHandle()
    }

    /// Opens the device and reports whether it is there.
    public func probe() async {
        do throws(DeviceFailure) {
            try SANELibrary.ready()
            _ = try openHandle()
        } catch {
            await recordOutcome(error)
            return
        }
        await broadcaster.update {
            $0.state = .online
            $0.lastError = nil
        }
    }

    public func scan(
        _ request: ScanRequest, _ progress: @escaping @Sendable (ScanProgress) -> Void,
        _ onPage: @escaping @Sendable (Raster) -> Void, retainPages: Bool
    ) async throws(ScanInterrupted) -> [Raster] {
        await broadcaster.update { $0.state = .busy }
        let result: Result<[Raster], ScanInterrupted>
        do throws(ScanInterrupted) {
            let h: SANEHandle
            let dpi: Int
            do throws(DeviceFailure) {
                try SANELibrary.ready()
                h = try openHandle()
                dpi = try configure(h, request)
            } catch {
                if error.state == .noDevice { dropHandle() }
                throw ScanInterrupted(failure: error, pages: [])
            }
            h.resetCancel()
            result = await withTaskCancellationHandler {
                Result { () throws(ScanInterrupted) in try acquire(h, dpi: dpi, request, progress, onPage, retainPages: retainPages) }
            } onCancel: {
                h.requestCancel()
            }
        } catch {
            result = .failure(error)
        }
        switch result {
        case .success(let pages):
            await broadcaster.update {
                $0.state = .online
                $0.media = nil
                $0.lastError = nil
            }
            return pages
        case .failure(let interrupted):
            await recordOutcome(interrupted.failure)
            throw interrupted
        }
    }

    // MARK: On the SANE executor (blocking)

    private func openHandle() throws(DeviceFailure) -> SANEHandle {
        if let handle { return handle }
        let opened = try SANEHandle(name: deviceName.isEmpty ? try firstDevice() : deviceName)
        handle = opened
        return opened
    }

    /// The first scanner SANE finds, for a configuration that names none.
    private func firstDevice() throws(DeviceFailure) -> String {
        var list: UnsafeMutablePointer<UnsafePointer<SANE_Device>?>?
        let status = sane_get_devices(&list, SANE_TRUE)
        guard status == SANE_STATUS_GOOD, let first = list?[0] else {
            throw DeviceFailure(state: .noDevice, notice: SANEStatus.technician("scanner.none_found", "SANE finds no scanner"))
        }
        return String(cString: first.pointee.name)
    }

    private func dropHandle() {
        handle?.close()
        handle = nil
    }

    private func acquire(
        _ h: SANEHandle, dpi: Int, _ request: ScanRequest, _ progress: @escaping @Sendable (ScanProgress) -> Void,
        _ onPage: @escaping @Sendable (Raster) -> Void, retainPages: Bool
    ) throws(ScanInterrupted) -> [Raster] {
        var deviceLost = false
        defer {
            // Backends built on sanei_thread with pthreads (Debian's, the `test` backend among
            // them) stop their reader thread with an asynchronous pthread_cancel. Landing while
            // that thread is exiting or inside malloc, it leaves the allocator locked and the
            // whole process hangs (seen here: the final cancel racing the reader's exit). Give
            // the reader a moment to finish or block in write(2) first. A cancel the applicant
            // asked for was already sent, so it does not wait.
            if !h.cancelRequested { usleep(20_000) }
            h.cancel()  // always: ends the batch and releases the device
            // Closed only after the cancel: a lost device is reopened on the next scan.
            if deviceLost { dropHandle() }
        }
        var pages: [Raster] = []
        var delivered = 0
        func stop(_ status: SANE_Status, _ operation: String) -> ScanInterrupted {
            let failure =
                h.cancelRequested
                ? DeviceFailure(state: .online, notice: DeviceNotices.scannerCancelled)
                : SANEStatus.failure(status, during: operation)
            if failure.state == .noDevice { deviceLost = true }
            return ScanInterrupted(failure: failure, pages: pages)
        }
        batch: while true {
            if h.cancelRequested { throw stop(SANE_STATUS_CANCELLED, "cancel") }
            var frames: [SANEFrame] = []
            var lastFrame = false
            repeat {
                let started = sane_start(h.raw)
                // An empty feeder ends the batch normally, at sane_start or at the first read.
                if started == SANE_STATUS_NO_DOCS, frames.isEmpty { break batch }
                guard started == SANE_STATUS_GOOD else { throw stop(started, "sane_start") }
                // Parameters are only exact after sane_start (before it they may be estimates).
                var parameters = SANE_Parameters()
                let got = sane_get_parameters(h.raw, &parameters)
                guard got == SANE_STATUS_GOOD else { throw stop(got, "sane_get_parameters") }
                let (data, end) = read(h, parameters, page: delivered + 1, progress)
                if end == SANE_STATUS_NO_DOCS, frames.isEmpty, data.isEmpty { break batch }
                guard end == SANE_STATUS_EOF else { throw stop(end, "sane_read") }
                // Some backends end a cancelled read with EOF: a cut-off page is never kept.
                if h.cancelRequested { throw stop(SANE_STATUS_CANCELLED, "cancel") }
                if parameters.lines > 0, data.count < Int(parameters.bytes_per_line) * Int(parameters.lines) {
                    throw stop(SANE_STATUS_IO_ERROR, "short frame: \(data.count) of \(Int(parameters.bytes_per_line) * Int(parameters.lines)) bytes")
                }
                frames.append(SANEFrame(parameters, data: data))
                lastFrame = parameters.last_frame == SANE_TRUE
            } while !lastFrame
            guard let page = SANEFrame.page(frames, dpi: dpi) else { throw stop(SANE_STATUS_IO_ERROR, "empty page") }
            delivered += 1
            if retainPages { pages.append(page) }
            onPage(page)
            progress(ScanProgress(page: delivered, fraction: 1))
            if request.source == .flatbed { break }
        }
        if delivered == 0 {
            throw ScanInterrupted(failure: DeviceFailure(state: .online, media: .feederEmpty, notice: DeviceNotices.scannerFeederEmpty), pages: [])
        }
        return pages
    }

    /// Reads one frame to its end; returns the bytes and the status that ended it
    /// (EOF when complete).
    private func read(
        _ h: SANEHandle, _ p: SANE_Parameters, page: Int, _ progress: @escaping @Sendable (ScanProgress) -> Void
    ) -> ([UInt8], SANE_Status) {
        let expected = p.lines > 0 ? Int(p.bytes_per_line) * Int(p.lines) : 0
        var reported = 0.0
        // Known length: sane_read straight into the page's own array (no copy per chunk).
        var status = SANE_STATUS_GOOD
        var data = [UInt8](unsafeUninitializedCapacity: expected) { target, initialized in
            var filled = 0
            var settled = false
            while filled < expected {
                // sanei_thread backends (Debian's `test` among them) end the frame inside the
                // sane_read that takes its last bytes, with an asynchronous pthread_cancel of
                // their reader thread — which by then has written everything and is exiting,
                // possibly holding the dynamic loader's lock: cancelled there, it leaves that
                // lock held and the next sane_start hangs for ever. Once what is left fits the
                // backend's pipe (64 KiB), 2 ms lets the reader finish leaving first. Measured
                // on 10-page batches: 11 of 80 hung without it, none of 180 with it.
                if !settled, expected - filled <= 64 * 1024 {
                    settled = true
                    usleep(2_000)
                }
                var length: SANE_Int = 0
                status = sane_read(h.raw, target.baseAddress! + filled, SANE_Int(min(expected - filled, 1 << 20)), &length)
                filled += max(0, Int(length))
                guard status == SANE_STATUS_GOOD else { break }
                let fraction = Double(filled) / Double(expected)
                if fraction - reported >= 0.1 {
                    reported = fraction
                    progress(ScanProgress(page: page, fraction: fraction))
                }
            }
            initialized = filled
        }
        guard status == SANE_STATUS_GOOD else { return (data, status) }
        // Then on to the end of the frame: EOF, or more lines than announced, or no length
        // known at all (a hand scanner).
        var buffer = [UInt8](repeating: 0, count: 256 * 1024)
        while true {
            var length: SANE_Int = 0
            let status = sane_read(h.raw, &buffer, SANE_Int(buffer.count), &length)
            if length > 0 { data.append(contentsOf: buffer[0..<Int(length)]) }
            guard status == SANE_STATUS_GOOD else { return (data, status) }
            if expected == 0 {
                // Length unknown (a hand scanner): a sign of life every megabyte.
                if data.count / 1_000_000 > Int(reported) {
                    reported = Double(data.count / 1_000_000)
                    progress(ScanProgress(page: page, fraction: 0))
                }
            } else {
                let fraction = min(1, Double(data.count) / Double(expected))
                if fraction - reported >= 0.1 {
                    reported = fraction
                    progress(ScanProgress(page: page, fraction: fraction))
                }
            }
        }
    }

    /// What backends call each mode, most common first.
    static func modeNames(_ mode: ScanRequest.Mode) -> [String] {
        switch mode {
        case .color: ["Color", "Colour", "24bit Color"]
        case .gray: ["Gray", "Grey", "Grayscale", "True Gray", "8bit Gray"]
        case .blackAndWhite: ["Lineart", "Binary", "Black & White"]
        }
    }

    /// Opens the device and reads what it offers.
    public func capabilities() async throws -> ScannerCapabilities {
        try { () throws -> ScannerCapabilities in
            try SANELibrary.ready()
            let h = try self.openHandle()
            let options = h.options()
            func match(_ offered: [String], _ names: [String]) -> String? {
                names.lazy.compactMap { name in offered.first { $0.caseInsensitiveCompare(name) == .orderedSame } }.first
            }
            let deviceSources = options["source"]?.constraint.strings ?? []
            var sources: [String: String] = [:]
            for source in ScanRequest.Source.allCases {
                if let name = match(deviceSources, self.sourceNames.names(for: source)) { sources[source.rawValue] = name }
            }
            if deviceSources.isEmpty { sources[ScanRequest.Source.flatbed.rawValue] = "" }  // no source option: a flatbed
            let deviceModes = options["mode"]?.constraint.strings ?? []
            var modes: [String: String] = [:]
            for mode in ScanRequest.Mode.allCases {
                if let name = match(deviceModes, Self.modeNames(mode)) { modes[mode.rawValue] = name }
            }
            // As `configure` does: no line-art mode, so black and white is grey at 1 bit.
            if modes[ScanRequest.Mode.blackAndWhite.rawValue] == nil, let gray = modes[ScanRequest.Mode.gray.rawValue] {
                modes[ScanRequest.Mode.blackAndWhite.rawValue] = "\(gray) at 1 bit"
            }
            var range: [Double]?, list: [Double]?
            switch options["resolution"]?.constraint {
            case .range(let low, let high, let quant)?: range = [low, high, quant]
            case .words(let words)?: list = words
            default: break
            }
            func maximum(_ name: String) -> Double? {
                guard let option = options[name], case .range(_, let high, _) = option.constraint else { return nil }
                return option.unit == SANE_UNIT_MM ? high : nil
            }
            return ScannerCapabilities(
                device: h.name, deviceSources: deviceSources, sources: sources, deviceModes: deviceModes, modes: modes,
                resolutionRange: range, resolutionList: list, maxWidthMM: maximum("br-x"), maxHeightMM: maximum("br-y"))
        }()
    }

    /// Sets source, mode, depth, resolution, scan area and configured extras; returns the
    /// resolution the device actually took.
    private func configure(_ h: SANEHandle, _ request: ScanRequest) throws(DeviceFailure) -> Int {
        if let source = h.options()["source"], source.active {
            let names = sourceNames.names(for: request.source)
            guard
                let name = names.first(where: { candidate in
                    source.constraint.strings.contains { $0.caseInsensitiveCompare(candidate) == .orderedSame }
                })
            else {
                throw DeviceFailure(
                    state: .hardwareError,
                    notice: SANEStatus.technician(
                        "scanner.no_such_source",
                        "\(deviceName) offers sources \(source.constraint.strings) but none of \(names) for \(request.source.rawValue); set devices.scanner.source_names"
                    ))
            }
            try h.set("source", .string(name))
        } else if request.source != .flatbed {
            throw DeviceFailure(
                state: .hardwareError, notice: SANEStatus.technician("scanner.no_feeder", "\(deviceName) has no source option, so no feeder"))
        }
        var wantDepth = 8
        if let mode = h.options()["mode"], mode.active {
            let wanted = Self.modeNames(request.mode)
            let fallback = request.mode == .blackAndWhite ? ["Gray", "Grey", "Grayscale"] : []
            if let name = (wanted + fallback).first(where: { c in mode.constraint.strings.contains { $0.caseInsensitiveCompare(c) == .orderedSame } })
            {
                try h.set("mode", .string(name))
                // No line-art mode: grey at 1 bit per pixel is black and white too.
                if request.mode == .blackAndWhite, fallback.contains(name) { wantDepth = 1 }
            }
        }
        if request.mode == .blackAndWhite, wantDepth == 8 { wantDepth = 1 }
        if let depth = h.options()["depth"], depth.active, depth.settable {
            try h.set("depth", .number(Double(wantDepth)))
        }
        var dpi = request.dpi
        if let resolution = h.options()["resolution"], resolution.active {
            if case .number(let actual) = try h.set("resolution", .number(Double(request.dpi))) { dpi = Int(actual.rounded()) }
        }
        let (width, height) = request.paper.millimetres
        for (name, value) in [("tl-x", 0.0), ("tl-y", 0.0), ("br-x", width), ("br-y", height)] {
            if let option = h.options()[name], option.active, option.settable {
                let scaled = option.unit == SANE_UNIT_PIXEL ? value / 25.4 * Double(dpi) : value
                try h.set(name, .number(scaled))
            }
        }
        for (name, value) in extraOptions {
            try h.set(name, SANEValue(configText: value))
        }
        return dpi
    }
}
