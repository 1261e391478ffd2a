public import Foundation
import Localized

/// A printer that writes each job to a file in `outputDirectory`, for demos and
/// fault-injection tests of the flow. It never stands in for the CUPS driver.
public actor SimulatedPrinter: Printer, FaultInjectable, BroadcastingDevice {
    public nonisolated let id: String
    public nonisolated var kind: DeviceKind { .printer }
    public nonisolated var faultNames: [String] { Fault.allCases.map(\.rawValue) }

    public enum Fault: String, CaseIterable, Sendable {
        case none
        case paperLow = "paper_low"
        case paperOut = "paper_out"
        case jammed
        case coverOpen = "cover_open"
        case offline
    }

    public nonisolated let broadcaster: StatusBroadcaster
    private let outputDirectory: URL
    private var fault: Fault = .none
    private var jobNumber = 0

    public init(id: String, outputDirectory: URL) {
        self.id = id
        self.outputDirectory = outputDirectory
        broadcaster = StatusBroadcaster(
            DeviceStatus(
                id: id, kind: .printer, driver: "simulated", model: "Simulated receipt printer",
                state: .online, media: .paperFull))
    }

    public func inject(fault name: String) async throws(DeviceFailure) {
        let fault: Fault = try await fault(named: name)
        self.fault = fault
        let (state, media, notice) = Self.effect(of: fault)
        await broadcaster.update {
            $0.state = state
            $0.media = media
            $0.lastError = notice
        }
    }

    public func print(_ job: PrintJob, journal: @escaping @Sendable (String) async throws -> Void) async throws(DeviceFailure) -> PrintOutcome {
        let (state, media, notice) = Self.effect(of: fault)
        if let notice, fault != .paperLow {
            throw DeviceFailure(state: state, media: media, notice: notice)
        }
        await broadcaster.update { $0.state = .busy }
        jobNumber += 1
        let (ext, bytes): (String, Data) =
            switch job.content {
            case .text(let text): ("txt", Data(text.utf8))
            case .pdf(let data): ("pdf", data)
            case .raw(let data): ("bin", data)
            }
        let safeTitle = String(job.title.map { $0.isLetter || $0.isNumber || $0 == "-" ? $0 : "_" }.prefix(60))
        let name = String(format: "%04d-%@.%@", jobNumber, safeTitle, ext)
        do {
            try await journal(name)
        } catch {
            throw DeviceFailure(state: .online, notice: DeviceNotices.printerNotRecorded)
        }
        do {
            try FileManager.default.createDirectory(at: outputDirectory, withIntermediateDirectories: true)
            try bytes.write(to: outputDirectory.appendingPathComponent(name), options: .atomic)
            if let transcript = job.transcript, ext != "txt" {
                let text = outputDirectory.appendingPathComponent(name).deletingPathExtension().appendingPathExtension("txt")
                try Data(transcript.utf8).write(to: text, options: .atomic)
            }
        } catch {
            let notice = Notice(
                code: "printer.output_failed",
                message: LocalizedText(
                    vi: "Máy in không ghi được bản in. Vui lòng báo cán bộ; kỹ thuật viên đã được báo.",
                    en: "The printer could not produce the printout. Please tell staff; a technician has been alerted."),
                actor: .technician, retryable: true)
            await broadcaster.update {
                $0.state = .hardwareError
                $0.lastError = notice
            }
            throw DeviceFailure(state: .hardwareError, notice: notice)
        }
        await broadcaster.update {
            $0.state = state
            $0.media = media
        }
        return PrintOutcome(jobReference: name, completedAt: Date())
    }

    /// A file written under its reference has printed; anything else never will.
    public func fate(ofJob reference: String) async -> PrintJobFate {
        FileManager.default.fileExists(atPath: outputDirectory.appendingPathComponent(reference).path) ? .completed : .notPrinted
    }

    public func follow(job reference: String) async throws(DeviceFailure) -> PrintOutcome {
        guard case .completed = await fate(ofJob: reference) else { throw DeviceFailure(state: .online, notice: DeviceNotices.printerOffline) }
        return PrintOutcome(jobReference: reference, completedAt: Date())
    }

    private static func effect(of fault: Fault) -> (DeviceState, MediaState, Notice?) {
        switch fault {
        case .none: (.online, .paperFull, nil)
        case .paperLow: (.online, .paperLow, nil)
        case .paperOut: (.userError, .paperOut, DeviceNotices.printerPaperOut)
        case .jammed: (.userError, .paperJammed, DeviceNotices.printerJammed)
        case .coverOpen: (.userError, .unknown, DeviceNotices.printerCoverOpen)
        case .offline: (.offline, .unknown, DeviceNotices.printerOffline)
        }
    }
}
