import CCups
public import Foundation
import Localized

/// A printer behind a CUPS queue, driven through libcups: the queue's state and reasons
/// become the device status; a job is created, streamed and then followed until CUPS says
/// it completed. Anything else — aborted, cancelled, a queue that stops, no answer in
/// `jobTimeout` — throws with the reason, after cancelling the job, so that the document
/// waits for an explicit reprint and is never printed twice.
///
/// Thread safety: every libcups call runs on `queue` (libcups keeps its last error per
/// thread and blocks on the network); status lives in `broadcaster`.
public final class CUPSPrinter: Printer, BroadcastingDevice, @unchecked Sendable {
    public let id: String
    public var kind: DeviceKind { .printer }
    public let broadcaster: StatusBroadcaster
    /// The CUPS queue name (`lpstat -p`).
    let destination: String
    /// cupsd's address: a socket path or host[:port]; nil: libcups' default (CUPS_SERVER,
    /// client.conf, the local scheduler).
    let server: String?
    let jobTimeout: TimeInterval
    /// How long a job may wait on a printer that reports itself offline (a USB printer
    /// reconnecting) before it is cancelled and the applicant told.
    let offlineGrace: TimeInterval
    /// Ask an idle ESC/POS printer on a `socket://` queue for its paper sensor (DLE EOT 4).
    let askPaperSensor: Bool
    /// A printer that did not answer the sensor query is not asked again before this (on `queue`).
    private var sensorQuietUntil = Date.distantPast
    private let queue: DispatchQueue

    public init(id: String, destination: String, server: String? = nil, jobTimeout: TimeInterval = 60, offlineGrace: TimeInterval = 10,
                askPaperSensor: Bool = false) {
        self.id = id
        self.askPaperSensor = askPaperSensor
        self.destination = destination
        self.server = server
        self.jobTimeout = jobTimeout
        self.offlineGrace = offlineGrace
        queue = DispatchQueue(label: "kiosk.cups.\(id)")
        broadcaster = StatusBroadcaster(DeviceStatus(id: id, kind: .printer, driver: "cups", model: destination, state: .starting))
    }

    /// Reads the queue's state and updates the status.
    public func probe() async {
        let result = await run { () throws(DeviceFailure) in
            try self.withDestination { (_, dest) throws(DeviceFailure) in self.queueState(dest, askingSensor: self.askPaperSensor) }
        }
        switch result {
        case .success(let state): await apply(state.mapped, model: state.model)
        case .failure(let failure): await apply(CUPSStatus.Mapped(state: failure.state, media: failure.media, notice: failure.notice), model: nil)
        }
    }

    public func print(_ job: PrintJob) async throws(DeviceFailure) -> PrintOutcome {
        await broadcaster.update { $0.state = .busy }
        let result = await run { () throws(DeviceFailure) in try self.submit(job) }
        switch result {
        case .success(let jobId):
            await probe()
            return PrintOutcome(jobReference: "\(destination)-\(jobId)", completedAt: Date())
        case .failure(let failure):
            await apply(CUPSStatus.Mapped(state: failure.state, media: failure.media, notice: failure.notice), model: nil)
            throw failure
        }
    }

    private func apply(_ mapped: CUPSStatus.Mapped, model: String?) async {
        await broadcaster.update {
            $0.state = mapped.state
            $0.media = mapped.media
            $0.lastError = mapped.notice
            if let model { $0.model = model }
        }
    }

    // MARK: On `queue`

    private func run<T: Sendable>(_ body: @escaping @Sendable () throws(DeviceFailure) -> T) async -> Result<T, DeviceFailure> {
        await withCheckedContinuation { continuation in
            queue.async {
                do throws(DeviceFailure) {
                    continuation.resume(returning: .success(try body()))
                } catch {
                    continuation.resume(returning: .failure(error))
                }
            }
        }
    }

    /// Connects, looks the queue up, and runs `body` with both; closes afterwards.
    private func withDestination<T>(_ body: (OpaquePointer, UnsafeMutablePointer<cups_dest_t>) throws(DeviceFailure) -> T) throws(DeviceFailure) -> T {
        let host = server ?? String(cString: cupsServer())
        guard let http = httpConnect2(host, ippPort(), nil, AF_UNSPEC, cupsEncryption(), 1, 5000, nil) else {
            throw Self.technician("printer.cups_unreachable", "cannot reach cupsd at \(host)", state: .offline, notice: DeviceNotices.printerOffline)
        }
        defer { httpClose(http) }
        guard let dest = cupsGetNamedDest(http, destination, nil) else {
            throw Self.technician("printer.no_queue", "CUPS at \(host) has no queue \(destination): \(Self.lastError())", state: .noDevice,
                                  notice: DeviceNotices.printerOffline)
        }
        defer { cupsFreeDests(1, dest) }
        return try body(http, dest)
    }

    /// The queue's state and reasons in our model, its make and model, and whether it would
    /// hold a job rather than print it (stopped, or refusing jobs). `askingSensor`: also ask
    /// an idle network thermal printer for its paper (only when probing, never around a job,
    /// whose connection the printer would be busy with).
    private func queueState(_ dest: UnsafeMutablePointer<cups_dest_t>, askingSensor: Bool = false) -> (mapped: CUPSStatus.Mapped, model: String?, holds: Bool) {
        func option(_ name: String) -> String? {
            cupsGetOption(name, dest.pointee.num_options, dest.pointee.options).map { String(cString: $0) }
        }
        let state = CUPSStatus.PrinterState(rawValue: Int(option("printer-state") ?? "") ?? 3) ?? .idle
        let reasons = (option("printer-state-reasons") ?? "none").split(separator: ",").map(String.init).filter { $0 != "none" }
        let accepting = option("printer-is-accepting-jobs").map { $0 == "true" || $0 == "1" } ?? true
        var mapped = CUPSStatus.map(state: state, reasons: reasons, accepting: accepting)
        // CUPS knows nothing of the paper: an idle network thermal printer can say itself.
        if askingSensor, mapped.state == .online, mapped.media == .paperFull, Date() >= sensorQuietUntil,
           let endpoint = option("device-uri").flatMap(ESCPOSPaperSensor.endpoint(deviceURI:)) {
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

    /// Creates the job, streams the document, follows the job to its end; returns its id.
    private func submit(_ job: PrintJob) throws(DeviceFailure) -> Int32 {
        try withDestination { (http, dest) throws(DeviceFailure) -> Int32 in
            // A stopped or refusing queue would only hold the job: nothing is sent, and the
            // document waits for a reprint. (A queue that merely reported a fault last time —
            // paper out — gets the job: the paper may have been loaded since.)
            let (before, _, holds) = queueState(dest)
            if holds {
                throw DeviceFailure(state: before.state, media: before.media, notice: before.notice ?? DeviceNotices.printerStopped)
            }
            guard let info = cupsCopyDestInfo(http, dest) else {
                throw Self.technician("printer.cups_error", "cupsCopyDestInfo(\(destination)): \(Self.lastError())")
            }
            defer { cupsFreeDestInfo(info) }
            var jobId: Int32 = 0
            guard cupsCreateDestJob(http, dest, info, &jobId, job.title, 0, nil) == IPP_STATUS_OK, jobId > 0 else {
                throw Self.technician("printer.cups_error", "cupsCreateDestJob(\(destination)): \(Self.lastError())")
            }
            let (format, bytes): (String, Data) = switch job.content {
            case .pdf(let data): ("application/pdf", data)
            case .raw(let data): (CUPS_FORMAT_RAW, data)
            case .text(let text): ("text/plain", Data(text.utf8))
            }
            guard cupsStartDestDocument(http, dest, info, jobId, job.title, format, 0, nil, 1) == HTTP_STATUS_CONTINUE else {
                _ = cupsCancelDestJob(http, dest, jobId)
                throw Self.technician("printer.cups_error", "cupsStartDestDocument(\(destination)): \(Self.lastError())")
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
                throw Self.technician("printer.cups_error", "sending the document to \(destination): \(Self.lastError())")
            }
            try follow(jobId, http, dest)
            return jobId
        }
    }

    /// Polls the job until it completes; any other end throws with the reason the printer
    /// gave while it held the job.
    private func follow(_ jobId: Int32, _ http: OpaquePointer, _ dest: UnsafeMutablePointer<cups_dest_t>) throws(DeviceFailure) {
        let deadline = Date().addingTimeInterval(jobTimeout)
        var offlineSince: Date?
        // A receipt completes in tens of milliseconds: look often at first, then back off.
        var delay: useconds_t = 2_000
        while true {
            let job = jobAttributes(jobId, http, dest)
            switch job.state {
            case IPP_JSTATE_COMPLETED:
                return
            case IPP_JSTATE_ABORTED, IPP_JSTATE_CANCELED, IPP_JSTATE_STOPPED:
                if job.state == IPP_JSTATE_STOPPED { _ = cupsCancelDestJob(http, dest, jobId) }
                // The reasons the printer had when the job ended ("-report" reasons such as
                // offline-report are gone from the queue by now), else the queue's own.
                let snapshot = CUPSStatus.map(state: .idle, reasons: job.printerReasons, accepting: true)
                if let notice = snapshot.notice, snapshot.state != .online {
                    throw DeviceFailure(state: snapshot.state, media: snapshot.media, notice: notice)
                }
                throw failure(after: "job \(jobId) \(job.state == IPP_JSTATE_CANCELED ? "was cancelled" : "did not print")", http)
            default:
                // Pending or processing: a queue that stopped meanwhile will not print it.
                if let fresh = cupsGetNamedDest(http, destination, nil) {
                    let mapped = queueState(fresh).mapped
                    cupsFreeDests(1, fresh)
                    if mapped.state == .offline || mapped.state == .userError, job.state == IPP_JSTATE_PENDING || job.state == IPP_JSTATE_HELD {
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
                guard Date() < deadline else {
                    _ = cupsCancelDestJob(http, dest, jobId)
                    throw Self.technician("printer.timed_out", "job \(jobId) on \(destination) not completed after \(Int(jobTimeout)) s",
                                          state: .offline, notice: DeviceNotices.printerOffline)
                }
                usleep(delay)
                delay = min(delay * 3 / 2, 200_000)
            }
        }
    }

    /// One job's state and the printer's reasons while it held the job (IPP Get-Job-Attributes).
    private func jobAttributes(_ jobId: Int32, _ http: OpaquePointer, _ dest: UnsafeMutablePointer<cups_dest_t>) -> (state: ipp_jstate_t, printerReasons: [String]) {
        let uri = cupsGetOption("printer-uri-supported", dest.pointee.num_options, dest.pointee.options).map { String(cString: $0) }
            ?? "ipp://localhost/printers/\(destination)"
        let request = ippNewRequest(IPP_OP_GET_JOB_ATTRIBUTES)
        ippAddString(request, IPP_TAG_OPERATION, IPP_TAG_URI, "printer-uri", nil, uri)
        ippAddInteger(request, IPP_TAG_OPERATION, IPP_TAG_INTEGER, "job-id", jobId)
        ippAddString(request, IPP_TAG_OPERATION, IPP_TAG_NAME, "requesting-user-name", nil, cupsUser())
        let wanted = ["job-state", "job-printer-state-reasons"].map { name in name.withCString { strdup($0) } }
        defer { wanted.forEach { free($0) } }
        var pointers: [UnsafePointer<CChar>?] = wanted.map { $0.map { UnsafePointer($0) } }
        ippAddStrings(request, IPP_TAG_OPERATION, IPP_TAG_KEYWORD, "requested-attributes", Int32(pointers.count), nil, &pointers)
        guard let response = cupsDoRequest(http, request, "/") else { return (IPP_JSTATE_PENDING, []) }
        defer { ippDelete(response) }
        let state = ippFindAttribute(response, "job-state", IPP_TAG_ENUM).map { ipp_jstate_t(rawValue: UInt32(ippGetInteger($0, 0))) } ?? IPP_JSTATE_PENDING
        var reasons: [String] = []
        if let attribute = ippFindAttribute(response, "job-printer-state-reasons", IPP_TAG_KEYWORD) {
            for index in 0..<ippGetCount(attribute) {
                if let reason = ippGetString(attribute, index, nil) { reasons.append(String(cString: reason)) }
            }
        }
        return (state, reasons.filter { $0 != "none" })
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

    static func lastError() -> String { String(cString: cupsLastErrorString()) }

    /// A failure whose notice keeps the applicant's message of `notice`, with the
    /// technician's detail beside it (never personal data).
    static func technician(_ code: String, _ detail: String, state: DeviceState = .hardwareError,
                           notice: Notice = DeviceNotices.printerOffline) -> DeviceFailure {
        DeviceFailure(state: state, notice: Notice(code: code, message: notice.message, actor: .technician, retryable: true, detail: detail))
    }
}
