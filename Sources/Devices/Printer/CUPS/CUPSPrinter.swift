import CCups
public import Foundation
import Localized

/// A printer behind a CUPS queue, driven through libcups: the queue's state and reasons
/// become the device status; a job is created, streamed and then followed until CUPS says
/// it completed. Anything else — aborted, cancelled, a queue that stops, no answer in
/// `jobTimeout` — throws with the reason, after cancelling the job, so that the document
/// waits for an explicit reprint and is never printed twice.
///
/// A `DriverActor`: every libcups call runs on the driver's own serial executor (libcups
/// keeps its last error per thread and blocks on the network); status lives in
/// `broadcaster`. A print whose task is cancelled cancels its CUPS job.
public actor CUPSPrinter: Printer, BroadcastingDevice, DriverActor {
    public nonisolated let id: String
    public nonisolated var kind: DeviceKind { .printer }
    public nonisolated let broadcaster: StatusBroadcaster
    public nonisolated let executor: DriverExecutor
    public nonisolated var unownedExecutor: UnownedSerialExecutor { executor.asUnownedSerialExecutor() }
    /// Looked at every 5 s while it cannot print, so paper loaded or a printer plugged back in
    /// shows by itself; every minute while idle (its paper sensor, where it answers).
    public nonisolated var probeSchedule: ProbeSchedule { ProbeSchedule(whenMissing: .seconds(5), whenFaulted: .seconds(5), whenIdle: .seconds(60)) }
    /// The CUPS queue name (`lpstat -p`).
    let destination: String
    /// cupsd's address: a socket path or host[:port]; nil: libcups' default (CUPS_SERVER,
    /// client.conf, the local scheduler).
    let server: String?
    let jobTimeout: TimeInterval
    /// How long cupsd may stop answering while a job is followed before the printer is
    /// reported offline (a crashed scheduler is a device fault, not a job timeout).
    let schedulerGrace: TimeInterval
    /// The longest any one request to cupsd may take.
    let requestTimeout: Double
    /// How long a job may wait on a printer that reports itself offline (a USB printer
    /// reconnecting) before it is cancelled and the applicant told.
    let offlineGrace: TimeInterval
    /// Ask an idle ESC/POS printer on a `socket://` queue for its paper sensor (DLE EOT 4).
    let askPaperSensor: Bool
    /// A printer that did not answer the sensor query is not asked again before this.
    private var sensorQuietUntil = Date.distantPast

    public init(
        id: String, destination: String, server: String? = nil, jobTimeout: TimeInterval = 60, offlineGrace: TimeInterval = 10,
        schedulerGrace: TimeInterval = 3, requestTimeout: Double = 10, askPaperSensor: Bool = false
    ) {
        self.schedulerGrace = schedulerGrace
        self.requestTimeout = requestTimeout
        self.id = id
        self.askPaperSensor = askPaperSensor
        self.destination = destination
        self.server = server
        self.jobTimeout = jobTimeout
        self.offlineGrace = offlineGrace
        executor = DriverExecutor(label: "kiosk.cups.\(id)")
        broadcaster = StatusBroadcaster(DeviceStatus(id: id, kind: .printer, driver: "cups", model: destination, state: .starting))
    }

    /// Reads the queue's state and updates the status.
    public func probe() async {
        let result = attempt { () throws(DeviceFailure) in
            try self.withDestination { (_, dest) throws(DeviceFailure) in self.queueState(dest, askingSensor: self.askPaperSensor) }
        }
        switch result {
        case .success(let state): await apply(state.mapped, model: state.model)
        case .failure(let failure): await apply(CUPSStatus.Mapped(state: failure.state, media: failure.media, notice: failure.notice), model: nil)
        }
    }

    public func print(_ job: PrintJob, journal: @escaping @Sendable (String) async throws -> Void) async throws(DeviceFailure) -> PrintOutcome {
        await broadcaster.update { $0.state = .busy }
        let name = CUPSJobName(job.title)
        // Create-Job, then the journal, then the document, on one connection: CUPS holds a job
        // that has no document yet, so the reference is stored before anything can print.
        let created = attempt { () throws(DeviceFailure) -> (Connection, Int32) in
            let connection = try self.open()
            do throws(DeviceFailure) {
                return (connection, try self.create(name, connection))
            } catch {
                connection.close()
                throw error
            }
        }
        let connection: Connection
        let jobId: Int32
        switch created {
        case .success(let opened): (connection, jobId) = opened
        case .failure(let failure): try await failed(failure)
        }
        do {
            try await journal(reference(jobId))
        } catch {
            _ = attempt { () throws(DeviceFailure) in
                _ = cupsCancelDestJob(connection.http, connection.dest, jobId)
                connection.close()
            }
            try await failed(DeviceFailure(state: .online, notice: DeviceNotices.printerNotRecorded))
        }
        let result = attempt { () throws(DeviceFailure) -> (mapped: CUPSStatus.Mapped, model: String?)? in
            defer { connection.close() }
            if Task.isCancelled {
                _ = cupsCancelDestJob(connection.http, connection.dest, jobId)
                throw Self.cancelled(jobId)
            }
            try self.send(job, name: name, jobId: jobId, connection)
            try self.follow(jobId, connection.http, connection.dest)
            // The queue as it is now, on the same connection (no probe of its own).
            guard let fresh = cupsGetNamedDest(connection.http, self.destination, nil) else { return nil }
            defer { cupsFreeDests(1, fresh) }
            let state = self.queueState(fresh)
            return (state.mapped, state.model)
        }
        switch result {
        case .success(let state):
            if let state { await apply(state.mapped, model: state.model) } else { await probe() }
            return PrintOutcome(jobReference: reference(jobId), completedAt: Date())
        case .failure(let failure): try await failed(failure)
        }
    }

    public func fate(ofJob reference: String) async -> PrintJobFate {
        guard let jobId = jobId(of: reference) else { return .notPrinted }
        let result = attempt { () throws(DeviceFailure) -> PrintJobFate in
            try self.withDestination { (http, dest) throws(DeviceFailure) -> PrintJobFate in
                switch self.jobAttributes(jobId, http, dest) {
                case .noScheduler: throw Self.schedulerGone("asking for job \(jobId)")
                case .notFound: return .notPrinted
                case .job(let state, _, let incoming):
                    switch state {
                    case IPP_JSTATE_COMPLETED: return .completed
                    case IPP_JSTATE_ABORTED, IPP_JSTATE_CANCELED: return .notPrinted
                    case IPP_JSTATE_STOPPED:
                        _ = cupsCancelDestJob(http, dest, jobId)
                        return .notPrinted
                    default:
                        // Created, but its document never arrived whole (the sender died
                        // mid-way): it will never print; make sure it does not linger.
                        if incoming {
                            _ = cupsCancelDestJob(http, dest, jobId)
                            return .notPrinted
                        }
                        return .inProgress
                    }
                }
            }
        }
        switch result {
        case .success(let fate): return fate
        case .failure(let failure):
            await apply(CUPSStatus.Mapped(state: failure.state, media: failure.media, notice: failure.notice), model: nil)
            return .unknown(failure)
        }
    }

    public func follow(job reference: String) async throws(DeviceFailure) -> PrintOutcome {
        guard let jobId = jobId(of: reference) else { throw Self.technician("printer.job_failed", "no CUPS job in \(reference)") }
        await broadcaster.update { $0.state = .busy }
        let result = attempt { () throws(DeviceFailure) in
            try self.withDestination { (http, dest) throws(DeviceFailure) in try self.follow(jobId, http, dest) }
        }
        switch result {
        case .success:
            await probe()
            return PrintOutcome(jobReference: reference, completedAt: Date())
        case .failure(let failure): try await failed(failure)
        }
    }

    /// `kiosk_receipt-42`: the queue and CUPS's job id.
    private func reference(_ jobId: Int32) -> String { "\(destination)-\(jobId)" }

    private func jobId(of reference: String) -> Int32? {
        guard reference.hasPrefix(destination + "-") else { return nil }
        return Int32(reference.dropFirst(destination.count + 1))
    }

    private func failed(_ failure: DeviceFailure) async throws(DeviceFailure) -> Never {
        await apply(CUPSStatus.Mapped(state: failure.state, media: failure.media, notice: failure.notice), model: nil)
        throw failure
    }

    private func apply(_ mapped: CUPSStatus.Mapped, model: String?) async {
        await broadcaster.update {
            $0.state = mapped.state
            $0.media = mapped.media
            $0.lastError = mapped.notice
            if let model { $0.model = model }
        }
    }

    // MARK: On the driver's executor (blocking)

    private func attempt<T>(_ body: () throws(DeviceFailure) -> T) -> Result<T, DeviceFailure> {
        do throws(DeviceFailure) {
            return .success(try body())
        } catch {
            return .failure(error)
        }
    }

    /// One connection to cupsd with the queue looked up on it, and the queue's IPP
    /// capabilities once asked for. Never leaves the driver, from opening to `close()`.
    final class Connection {
        let http: OpaquePointer
        let dest: UnsafeMutablePointer<cups_dest_t>
        private var cachedInfo: OpaquePointer?

        init(http: OpaquePointer, dest: UnsafeMutablePointer<cups_dest_t>) {
            self.http = http
            self.dest = dest
        }

        /// The queue's capabilities (an IPP Get-Printer-Attributes), asked for once.
        func info() -> OpaquePointer? {
            if cachedInfo == nil { cachedInfo = cupsCopyDestInfo(http, dest) }
            return cachedInfo
        }

        func close() {
            if let cachedInfo { cupsFreeDestInfo(cachedInfo) }
            cachedInfo = nil
            cupsFreeDests(1, dest)
            httpClose(http)
        }
    }

    /// Connects and looks the queue up.
    private func open() throws(DeviceFailure) -> Connection {
        let host = server ?? String(cString: cupsServer())
        guard let http = httpConnect2(host, ippPort(), nil, AF_UNSPEC, cupsEncryption(), 1, 5000, nil) else {
            throw Self.technician("printer.cups_unreachable", "cannot reach cupsd at \(host)", state: .offline, notice: DeviceNotices.printerOffline)
        }
        // A cupsd that accepts the connection and then hangs must not hold the driver:
        // every request on this connection gives up after this long.
        httpSetTimeout(http, requestTimeout, nil, nil)
        guard let dest = cupsGetNamedDest(http, destination, nil) else {
            let gone = Self.schedulerIsGone
            let why = Self.lastError()
            httpClose(http)
            if gone { throw Self.schedulerGone("looking up queue \(destination)") }
            throw Self.technician(
                "printer.no_queue", "CUPS at \(host) has no queue \(destination): \(why)", state: .noDevice,
                notice: DeviceNotices.printerOffline)
        }
        return Connection(http: http, dest: dest)
    }

    /// Connects, looks the queue up, and runs `body` with both; closes afterwards.
    private func withDestination<T>(_ body: (OpaquePointer, UnsafeMutablePointer<cups_dest_t>) throws(DeviceFailure) -> T) throws(DeviceFailure) -> T
    {
        let connection = try open()
        defer { connection.close() }
        return try body(connection.http, connection.dest)
    }

    /// The queue's state and reasons in our model, its make and model, and whether it would
    /// hold a job rather than print it (stopped, or refusing jobs). `askingSensor`: also ask
    /// an idle network thermal printer for its paper (only when probing, never around a job,
    /// whose connection the printer would be busy with).
    private func queueState(
        _ dest: UnsafeMutablePointer<cups_dest_t>, askingSensor: Bool = false
    ) -> (mapped: CUPSStatus.Mapped, model: String?, holds: Bool) {
        func option(_ name: String) -> String? {
            cupsGetOption(name, dest.pointee.num_options, dest.pointee.options).map { String(cString: $0) }
        }
        let state = CUPSStatus.PrinterState(rawValue: Int(option("printer-state") ?? "") ?? 3) ?? .idle
        let reasons = (option("printer-state-reasons") ?? "none").split(separator: ",").map(String.init).filter { $0 != "none" }
        let accepting = option("printer-is-accepting-jobs").map { $0 == "true" || $0 == "1" } ?? true
        var mapped = CUPSStatus.map(state: state, reasons: reasons, accepting: accepting)
        // CUPS knows nothing of the paper: an idle network thermal printer can say itself.
        if askingSensor, mapped.state == .online, mapped.media == .paperFull, Date() >= sensorQuietUntil,
            let endpoint = option("device-uri").flatMap(ESCPOSPaperSensor.endpoint(deviceURI:))
        {
            let reading = ESCPOSPaperSensor.ask(host: endpoint.host, port: endpoint.port)
            // One that does not answer is left alone for ten minutes, not waited on at every probe.
            if reading == nil { sensorQuietUntil = Date().addingTimeInterval(600) }
            switch reading ?? .ok {
            case .ok: break
            case .low: mapped = CUPSStatus.Mapped(state: .online, media: .paperLow, notice: DeviceNotices.printerPaperLow)
            case .out: mapped = CUPSStatus.Mapped(state: .userError, media: .paperOut, notice: DeviceNotices.printerPaperOut)
            }
        }
        return (mapped, option("printer-make-and-model"), state == .stopped || !accepting)
    }

    /// Creates the job (which CUPS holds until its document arrives); returns its id.
    private func create(_ name: CUPSJobName, _ connection: Connection) throws(DeviceFailure) -> Int32 {
        let (http, dest) = (connection.http, connection.dest)
        // A stopped or refusing queue would only hold the job: nothing is sent, and the
        // document waits for a reprint. (A queue that merely reported a fault last time —
        // paper out — gets the job: the paper may have been loaded since.)
        let (before, _, holds) = queueState(dest)
        if holds {
            throw DeviceFailure(state: before.state, media: before.media, notice: before.notice ?? DeviceNotices.printerStopped)
        }
        guard let info = connection.info() else { throw Self.requestFailed("cupsCopyDestInfo(\(destination))") }
        var jobId: Int32 = 0
        guard cupsCreateDestJob(http, dest, info, &jobId, name.value, 0, nil) == IPP_STATUS_OK, jobId > 0 else {
            throw Self.requestFailed("cupsCreateDestJob(\(destination))")
        }
        return jobId
    }

    /// Streams the document of job `jobId` and releases it to print.
    private func send(_ job: PrintJob, name: CUPSJobName, jobId: Int32, _ connection: Connection) throws(DeviceFailure) {
        let (http, dest) = (connection.http, connection.dest)
        guard let info = connection.info() else {
            _ = cupsCancelDestJob(http, dest, jobId)
            throw Self.requestFailed("cupsCopyDestInfo(\(destination))")
        }
        let (format, bytes): (String, Data) =
            switch job.content {
            case .pdf(let data): ("application/pdf", data)
            case .raw(let data): (CUPS_FORMAT_RAW, data)
            case .text(let text): ("text/plain", Data(text.utf8))
            }
        guard cupsStartDestDocument(http, dest, info, jobId, name.value, format, 0, nil, 1) == HTTP_STATUS_CONTINUE else {
            _ = cupsCancelDestJob(http, dest, jobId)
            throw Self.requestFailed("cupsStartDestDocument(\(destination))")
        }
        var offset = 0
        var written = true
        bytes.withUnsafeBytes { buffer in
            while offset < buffer.count, written {
                let chunk = min(65_536, buffer.count - offset)
                let pointer = buffer.baseAddress!.advanced(by: offset).assumingMemoryBound(to: CChar.self)
                written = cupsWriteRequestData(http, pointer, chunk) == HTTP_STATUS_CONTINUE
                offset += chunk
            }
        }
        let finished = cupsFinishDestDocument(http, dest, info)
        guard written, finished == IPP_STATUS_OK else {
            _ = cupsCancelDestJob(http, dest, jobId)
            throw Self.requestFailed("sending the document to \(destination)")
        }
    }

    /// Polls the job until it completes; any other end throws with the reason the printer
    /// gave while it held the job. A scheduler that stops answering (crashed, killed,
    /// restarted) for `schedulerGrace` ends the wait as the printer being offline; one that
    /// no longer knows the job ends it as a failed job.
    private func follow(_ jobId: Int32, _ http: OpaquePointer, _ dest: UnsafeMutablePointer<cups_dest_t>) throws(DeviceFailure) {
        let deadline = DriverDeadline(after: .seconds(jobTimeout))
        var offlineSince: Date?
        var silentSince: Date?
        let queueLookInterval: TimeInterval = 0.25
        var nextQueueLook = Date().addingTimeInterval(queueLookInterval)
        // A receipt completes in tens of milliseconds: look often at first, then back off.
        var delay: useconds_t = 2_000
        while true {
            // The request's own limits, as every driver honours them: cancelled, its job is
            // cancelled too; out of time, likewise.
            do throws(DriverStop) {
                try deadline.check()
            } catch .cancelled {
                _ = cupsCancelDestJob(http, dest, jobId)
                throw Self.cancelled(jobId)
            } catch {
                _ = cupsCancelDestJob(http, dest, jobId)
                throw Self.technician(
                    "printer.timed_out", "job \(jobId) on \(destination) not completed after \(Int(jobTimeout)) s",
                    state: .offline, notice: DeviceNotices.printerOffline)
            }
            let state: ipp_jstate_t
            let printerReasons: [String]
            switch jobAttributes(jobId, http, dest) {
            case .job(let jobState, let reasons, _):
                silentSince = nil
                state = jobState
                printerReasons = reasons
            case .notFound:
                throw Self.technician(
                    "printer.job_vanished", "job \(jobId) is no longer known to CUPS on \(destination)",
                    state: .offline, notice: DeviceNotices.printerOffline)
            case .noScheduler:
                let since = silentSince ?? Date()
                silentSince = since
                if Date().timeIntervalSince(since) >= schedulerGrace {
                    throw Self.schedulerGone("following job \(jobId) on \(destination)")
                }
                // A new connection next time: the old one died with the scheduler.
                _ = httpReconnect2(http, 1_000, nil)
                usleep(100_000)
                continue
            }
            switch state {
            case IPP_JSTATE_COMPLETED:
                return
            case IPP_JSTATE_ABORTED, IPP_JSTATE_CANCELED, IPP_JSTATE_STOPPED:
                if state == IPP_JSTATE_STOPPED { _ = cupsCancelDestJob(http, dest, jobId) }
                // The reasons the printer had when the job ended ("-report" reasons such as
                // offline-report are gone from the queue by now), else the queue's own.
                let snapshot = CUPSStatus.map(state: .idle, reasons: printerReasons, accepting: true)
                if let notice = snapshot.notice, snapshot.state != .online {
                    throw DeviceFailure(state: snapshot.state, media: snapshot.media, notice: notice)
                }
                throw failure(after: "job \(jobId) \(state == IPP_JSTATE_CANCELED ? "was cancelled" : "did not print")", http)
            default:
                // Pending or processing: a queue that stopped meanwhile will not print it. A
                // receipt completes in tens of milliseconds, so the queue itself (a whole
                // Get-Printer-Attributes) is looked at only once the job takes longer.
                if Date() >= nextQueueLook, let fresh = cupsGetNamedDest(http, destination, nil) {
                    nextQueueLook = Date().addingTimeInterval(queueLookInterval)
                    let mapped = queueState(fresh).mapped
                    cupsFreeDests(1, fresh)
                    if mapped.state == .offline || mapped.state == .userError, state == IPP_JSTATE_PENDING || state == IPP_JSTATE_HELD {
                        _ = cupsCancelDestJob(http, dest, jobId)
                        throw DeviceFailure(state: mapped.state, media: mapped.media, notice: mapped.notice ?? DeviceNotices.printerOffline)
                    }
                    // Being printed to a printer that went offline: wait a little, then give up.
                    if mapped.state == .offline {
                        let since = offlineSince ?? Date()
                        offlineSince = since
                        if Date().timeIntervalSince(since) > offlineGrace {
                            _ = cupsCancelDestJob(http, dest, jobId)
                            throw DeviceFailure(state: .offline, notice: mapped.notice ?? DeviceNotices.printerOffline)
                        }
                    } else {
                        offlineSince = nil
                    }
                }
                usleep(delay)
                delay = min(delay * 3 / 2, 200_000)
            }
        }
    }

    /// What CUPS says of one job (IPP Get-Job-Attributes).
    enum JobQuery {
        /// The job's state, the printer's reasons while it held the job, and whether its
        /// document is still being received (`job-incoming`).
        case job(ipp_jstate_t, printerReasons: [String], incoming: Bool)
        /// The scheduler answered that it has no such job.
        case notFound
        /// The scheduler did not answer at all.
        case noScheduler
    }

    private func jobAttributes(_ jobId: Int32, _ http: OpaquePointer, _ dest: UnsafeMutablePointer<cups_dest_t>) -> JobQuery {
        let uri =
            cupsGetOption("printer-uri-supported", dest.pointee.num_options, dest.pointee.options).map { String(cString: $0) }
            ?? "ipp://localhost/printers/\(destination)"
        let request = ippNewRequest(IPP_OP_GET_JOB_ATTRIBUTES)
        ippAddString(request, IPP_TAG_OPERATION, IPP_TAG_URI, "printer-uri", nil, uri)
        ippAddInteger(request, IPP_TAG_OPERATION, IPP_TAG_INTEGER, "job-id", jobId)
        ippAddString(request, IPP_TAG_OPERATION, IPP_TAG_NAME, "requesting-user-name", nil, cupsUser())
        let wanted = ["job-state", "job-state-reasons", "job-printer-state-reasons"].map { name in name.withCString { strdup($0) } }
        defer { wanted.forEach { free($0) } }
        var pointers: [UnsafePointer<CChar>?] = wanted.map { $0.map { UnsafePointer($0) } }
        ippAddStrings(request, IPP_TAG_OPERATION, IPP_TAG_KEYWORD, "requested-attributes", Int32(pointers.count), nil, &pointers)
        guard let response = cupsDoRequest(http, request, "/") else {
            return cupsLastError() == IPP_STATUS_ERROR_NOT_FOUND ? .notFound : .noScheduler
        }
        defer { ippDelete(response) }
        if ippGetStatusCode(response) == IPP_STATUS_ERROR_NOT_FOUND { return .notFound }
        guard let stateAttribute = ippFindAttribute(response, "job-state", IPP_TAG_ENUM) else { return .noScheduler }
        let state = ipp_jstate_t(rawValue: UInt32(ippGetInteger(stateAttribute, 0)))
        func keywords(_ name: String) -> [String] {
            guard let attribute = ippFindAttribute(response, name, IPP_TAG_KEYWORD) else { return [] }
            return (0..<ippGetCount(attribute)).compactMap { ippGetString(attribute, $0, nil).map { String(cString: $0) } }
        }
        return .job(
            state, printerReasons: keywords("job-printer-state-reasons").filter { $0 != "none" },
            incoming: keywords("job-state-reasons").contains("job-incoming"))
    }

    /// Why a job failed, from the queue's reasons as they are now.
    private func failure(after what: String, _ http: OpaquePointer) -> DeviceFailure {
        if let fresh = cupsGetNamedDest(http, destination, nil) {
            defer { cupsFreeDests(1, fresh) }
            let mapped = queueState(fresh).mapped
            if let notice = mapped.notice, mapped.state != .online, mapped.state != .busy {
                return DeviceFailure(state: mapped.state, media: mapped.media, notice: notice)
            }
        }
        return Self.technician("printer.job_failed", "\(what) on \(destination)", state: .hardwareError, notice: DeviceNotices.printerOffline)
    }

    /// The caller cancelled the print: its CUPS job was cancelled with it.
    static func cancelled(_ jobId: Int32) -> DeviceFailure {
        DeviceFailure(state: .online, notice: DeviceNotices.printCancelled.detailed("CUPS job \(jobId) cancelled with its request"))
    }

    static func lastError() -> String { String(cString: cupsLastErrorString()) }

    /// Whether the last request failed for want of a scheduler (no connection, connection
    /// closed, no answer) rather than a refusal.
    static var schedulerIsGone: Bool {
        [IPP_STATUS_ERROR_SERVICE_UNAVAILABLE, IPP_STATUS_ERROR_INTERNAL].contains(cupsLastError())
    }

    /// cupsd stopped answering (it crashed, was killed or is restarting): the printer is
    /// offline for the technician, whose cupsd it is.
    static func schedulerGone(_ what: String) -> DeviceFailure {
        technician(
            "printer.cups_unreachable", "cupsd stopped answering while \(what): \(lastError())", state: .offline,
            notice: DeviceNotices.printerOffline)
    }

    /// A request CUPS did not carry out: offline when the scheduler itself is gone.
    static func requestFailed(_ what: String) -> DeviceFailure {
        schedulerIsGone ? schedulerGone(what) : technician("printer.cups_error", "\(what): \(lastError())")
    }

    /// A failure whose notice keeps the applicant's message of `notice`, with the
    /// technician's detail beside it (never personal data).
    static func technician(
        _ code: String, _ detail: String, state: DeviceState = .hardwareError,
        notice: Notice = DeviceNotices.printerOffline
    ) -> DeviceFailure {
        DeviceFailure(state: state, notice: Notice(code: code, message: notice.message, actor: .technician, retryable: true, detail: detail))
    }
}
