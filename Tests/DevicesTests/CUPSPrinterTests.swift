@testable import Devices
import Foundation
import KioskTestSupport
import Localized
import Testing

/// The CUPS driver against a real, private cupsd that each test starts (scripts/setup-cups.sh)
/// and stops: the capture backend keeps each job's exact bytes; the fault backend fails jobs
/// the way printers do, with `STATE:` reasons.
@Suite struct CUPSPrinterTests {
    typealias PrivateCUPS = KioskTestSupport.PrivateCUPS

    func printer(_ cups: PrivateCUPS, _ queue: String) -> CUPSPrinter {
        CUPSPrinter(id: "printer", destination: queue, server: cups.socket, jobTimeout: 20, offlineGrace: 1)
    }

    @Test func aJobIsPrintedByteForByteAndFollowedToCompletion() async throws {
        let cups = try await PrivateCUPS.start()
        defer { cups.stop() }
        let printer = printer(cups, "kiosk_receipt")
        await printer.probe()
        #expect(await printer.status().state == .online)
        let bytes =
            Data([0x1B, 0x40]) + Data("Giấy tiếp nhận hồ sơ\n".utf8) + Data((0..<200_000).map { UInt8(truncatingIfNeeded: $0) })
            + Data([0x1D, 0x56, 0x00])
        let outcome = try await printer.print(PrintJob(title: "receipt TEST-1", content: .raw(bytes)))
        #expect(outcome.jobReference.hasPrefix("kiosk_receipt-"))
        #expect(cups.captured("receipt") == [bytes], "exactly the bytes sent, once")
        let status = await printer.status()
        #expect(status.state == .online && status.media == .paperFull && status.lastError == nil && status.driver == "cups")
    }

    @Test(arguments: [
        ("paper-out", "printer.paper_out", DeviceState.userError, MediaState?.some(.paperOut)),
        ("offline", "printer.offline", .offline, nil),
        ("cover-open", "printer.cover_open", .userError, nil),
    ])
    func aFailedJobBecomesStatusAndANoticeAndNothingIsLeftQueued(fault: String, code: String, state: DeviceState, media: MediaState?) async throws {
        let cups = try await PrivateCUPS.start()
        defer { cups.stop() }
        try await cups.faultQueue("faulty", fault)
        let printer = printer(cups, "faulty")
        do {
            _ = try await printer.print(PrintJob(title: "receipt TEST-2", content: .raw(Data("x".utf8))))
            Issue.record("a job on a failing printer must not count as printed")
        } catch {
            #expect(error.notice.code == code && error.state == state && error.media == media, "\(error) \(error.notice.message.en)")
            #expect(!error.notice.message.vi.isEmpty && error.notice.retryable)
        }
        let status = await printer.status()
        #expect(status.state == state && status.lastError?.code == code)
        let pending = try await cups.tool("lpstat", ["-o", "faulty"])
        #expect(pending.output.isEmpty, "the failed job is not left to print later: \(pending.output)")
    }

    @Test func aJamStopsTheQueueAndTheJobIsCancelledNotLeftWaiting() async throws {
        let cups = try await PrivateCUPS.start()
        defer { cups.stop() }
        try await cups.tool("lpadmin", ["-p", "jammed", "-E", "-v", "fault:/jam", "-m", "raw"])
        let printer = printer(cups, "jammed")
        do {
            _ = try await printer.print(PrintJob(title: "receipt TEST-3", content: .raw(Data("x".utf8))))
            Issue.record("a jammed printer prints nothing")
        } catch {
            #expect(error.notice.code == "printer.jammed" && error.media == .paperJammed, "\(error)")
        }
        let pending = try await cups.tool("lpstat", ["-o", "jammed"])
        #expect(pending.output.isEmpty, "\(pending.output)")
        // The stopped queue refuses the next job before anything is sent.
        do {
            _ = try await printer.print(PrintJob(title: "receipt TEST-4", content: .raw(Data("y".utf8))))
            Issue.record("a stopped queue prints nothing")
        } catch {
            #expect(error.state == .userError || error.state == .offline)
        }
    }

    @Test func aDisabledQueueAndAMissingOneAreRefusedWithoutPrinting() async throws {
        let cups = try await PrivateCUPS.start()
        defer { cups.stop() }
        try await cups.tool("cupsdisable", ["kiosk_receipt"])
        let stopped = printer(cups, "kiosk_receipt")
        await stopped.probe()
        let stoppedStatus = await stopped.status()
        #expect(stoppedStatus.state == .offline && stoppedStatus.lastError?.code == "printer.stopped")
        do {
            _ = try await stopped.print(PrintJob(title: "receipt TEST-5", content: .raw(Data("z".utf8))))
            Issue.record("a disabled queue prints nothing")
        } catch {
            #expect(error.notice.code == "printer.stopped")
        }
        #expect(cups.captured("receipt").isEmpty)
        let missing = printer(cups, "no_such_queue")
        await missing.probe()
        #expect(await missing.status().state == .noDevice)
        let unreachable = CUPSPrinter(id: "printer", destination: "kiosk_receipt", server: "/nonexistent/cups.sock")
        await unreachable.probe()
        #expect(await unreachable.status().state == .offline)
    }

    @Test func aPDFGoesToTheA4QueueUnchanged() async throws {
        let cups = try await PrivateCUPS.start()
        defer { cups.stop() }
        let pdf = Data("%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n".utf8)
        _ = try await printer(cups, "kiosk_a4").print(PrintJob(title: "declaration TEST-6", content: .pdf(pdf)))
        #expect(cups.captured("a4") == [pdf])
    }
}

/// The paper sensor of a network ESC/POS printer (`socket://` queue), asked directly.
@Suite struct ESCPOSPaperSensorTests {
    @Test func theSensorAnswerIsDecoded() {
        #expect(ESCPOSPaperSensor.decode(0x12) == .ok)
        #expect(ESCPOSPaperSensor.decode(0x1E) == .low)
        #expect(ESCPOSPaperSensor.decode(0x72) == .out && ESCPOSPaperSensor.decode(0x7E) == .out)
        #expect(ESCPOSPaperSensor.decode(0x00) == nil && ESCPOSPaperSensor.decode(0xFF) == nil, "not a status byte")
        #expect(ESCPOSPaperSensor.endpoint(deviceURI: "socket://10.0.0.5")! == ("10.0.0.5", 9100))
        #expect(ESCPOSPaperSensor.endpoint(deviceURI: "socket://printer.local:9101/")! == ("printer.local", 9101))
        #expect(ESCPOSPaperSensor.endpoint(deviceURI: "usb://EPSON/TM-T20") == nil)
    }

    @Test func paperLowAndOutAreKnownBeforeAReceiptIsNeeded() async throws {
        let cups = try await KioskTestSupport.PrivateCUPS.start()
        defer { cups.stop() }
        let thermal = try ESCPOSStatusResponder(answer: 0x1E)
        defer { thermal.stop() }
        let added = try await cups.tool("lpadmin", ["-p", "thermal", "-E", "-v", "socket://127.0.0.1:\(thermal.port)", "-m", "raw"])
        try #require(added.status == 0, "\(added.errors)")
        let printer = CUPSPrinter(id: "printer", destination: "thermal", server: cups.socket, askPaperSensor: true)
        await printer.probe()
        let low = await printer.status()
        #expect(low.state == .online && low.media == .paperLow && low.lastError?.code == "printer.paper_low")
        thermal.set(answer: 0x72)
        await printer.probe()
        let out = await printer.status()
        #expect(out.media == .paperOut && out.lastError?.actor == .staff)
        thermal.set(answer: 0x12)
        await printer.probe()
        #expect(await printer.status().media == .paperFull)
        // A printer that does not answer (busy, or no such query): CUPS's view stands, and it
        // is not asked (and waited on) again at the next probe.
        thermal.set(answer: nil)
        await printer.probe()
        #expect(await printer.status().media == .paperFull)
        await printer.probe()
        #expect(thermal.queries == 4)
        // Not asked unless configured.
        await CUPSPrinter(id: "p2", destination: "thermal", server: cups.socket).probe()
        #expect(thermal.queries == 4)
    }
}

@Suite struct CUPSStatusTests {
    @Test func reasonsMapOntoTheStatusModel() {
        func map(_ state: CUPSStatus.PrinterState, _ reasons: [String], accepting: Bool = true) -> CUPSStatus.Mapped {
            CUPSStatus.map(state: state, reasons: reasons, accepting: accepting)
        }
        #expect(map(.idle, []) == CUPSStatus.Mapped(state: .online, media: .paperFull, notice: nil))
        #expect(map(.processing, []).state == .busy)
        #expect(
            map(.idle, ["media-low-report"]) == CUPSStatus.Mapped(state: .online, media: .paperLow, notice: DeviceNotices.printerPaperLow),
            "paper low still prints; staff are told to load paper")
        #expect(map(.stopped, ["media-empty-error"]).media == .paperOut)
        #expect(map(.idle, ["media-needed"]).notice?.code == "printer.paper_out")
        #expect(map(.stopped, ["media-jam-error", "media-low-warning"]).media == .paperJammed, "the jam matters more than low paper")
        #expect(map(.idle, ["door-open-report"]).notice?.code == "printer.cover_open")
        #expect(map(.idle, ["offline-report"]).state == .offline)
        #expect(map(.stopped, ["paused"]).notice?.code == "printer.stopped")
        #expect(map(.idle, [], accepting: false).notice?.code == "printer.stopped")
    }
}
