import CivicIdentity
import Imaging
import Devices
import Foundation
import Localized
import Testing

@Suite struct SimulatedDeviceTests {
    let gray = ScanRequest(source: .feeder, mode: .gray, dpi: 200, paper: .a4)

    @Test func feederBatchDeliversEverySheetAtTheRequestedSize() async throws {
        let scanner = SimulatedScanner(id: "scanner", feederPages: 3, pageDelay: .milliseconds(1))
        let pages = try await scanner.scan(gray) { _ in }
        #expect(pages.count == 3)
        let page = try #require(pages.first)
        #expect(page.width == 1654 && page.height == 2339 && page.dpi == 200 && page.kind == .gray)
        let header = "P5\n1654 2339\n255\n"
        #expect(page.pnm.prefix(header.utf8.count) == Data(header.utf8))
        #expect(page.pnm.count == header.utf8.count + 1654 * 2339)
        #expect(pages[0].pnm != pages[1].pnm, "each sheet differs")
        let flatbed = try await scanner.scan(ScanRequest(source: .flatbed, mode: .blackAndWhite, dpi: 300, paper: .idCard)) { _ in }
        #expect(flatbed.count == 1 && flatbed[0].kind == .bilevel)
    }

    @Test func jamKeepsThePagesAlreadyScannedAndReportsWhoMustAct() async throws {
        let scanner = SimulatedScanner(id: "scanner", feederPages: 5, pageDelay: .milliseconds(1))
        try await scanner.inject(fault: "jam")
        do {
            _ = try await scanner.scan(gray) { _ in }
            Issue.record("a jam must throw")
        } catch {
            #expect(error.pages.count == 1)
            #expect(error.failure.notice.code == "scanner.jammed" && error.failure.notice.actor == .staff)
        }
        let status = await scanner.status()
        #expect(status.state == .userError && status.media == .paperJammed)
        try await scanner.inject(fault: "none")
        let retried = try await scanner.scan(gray) { _ in }
        #expect(retried.count == 5)
        #expect(await scanner.status().state == .online)
    }

    @Test func cancellingTheTaskStopsTheBatch() async throws {
        let scanner = SimulatedScanner(id: "scanner", feederPages: 50, pageDelay: .milliseconds(50))
        let task = Task { try await scanner.scan(gray) { _ in } }
        try await Task.sleep(for: .milliseconds(120))
        task.cancel()
        let result = await task.result
        guard case .failure(let error as ScanInterrupted) = result else {
            Issue.record("expected ScanInterrupted")
            return
        }
        #expect(error.failure.notice.code == "scanner.cancelled")
        #expect(error.pages.count < 50)
    }

    @Test func statusChangesAreStreamed() async throws {
        let scanner = SimulatedScanner(id: "scanner")
        let stream = await scanner.statusUpdates()
        var iterator = stream.makeAsyncIterator()
        let first = await iterator.next()
        #expect(first?.state == .online)
        try await scanner.inject(fault: "unplugged")
        let next = await iterator.next()
        #expect(next?.state == .noDevice && next?.lastError?.actor == .technician)
        await #expect(throws: DeviceFailure.self) { try await scanner.inject(fault: "smoke") }
    }

    @Test func printerWritesTheJobAndRefusesWhenOutOfPaper() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("printed-\(UUID())")
        defer { try? FileManager.default.removeItem(at: dir) }
        let printer = SimulatedPrinter(id: "printer", outputDirectory: dir)
        let outcome = try await printer.print(PrintJob(title: "receipt K1", content: .text("GIẤY TIẾP NHẬN HỒ SƠ")))
        let written = try String(contentsOf: dir.appendingPathComponent(outcome.jobReference), encoding: .utf8)
        #expect(written == "GIẤY TIẾP NHẬN HỒ SƠ")
        try await printer.inject(fault: "paper_out")
        await #expect(throws: DeviceFailure.self) { try await printer.print(PrintJob(title: "x", content: .text("x"))) }
        let status = await printer.status()
        #expect(status.state == .userError && status.media == .paperOut && status.lastError?.code == "printer.paper_out")
        try await printer.inject(fault: "paper_low")
        _ = try await printer.print(PrintJob(title: "y", content: .text("y")))
        #expect(await printer.status().media == .paperLow)
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path).count == 2)
    }

    @Test func cardReaderFaults() async throws {
        let reader = SimulatedCardReader(id: "card", readDelay: .milliseconds(1))
        let data = try await reader.readCard(CardReadRequest(timeoutSeconds: 1))
        #expect(data.idNumber == SimulatedCardReader.syntheticHolder.idNumber)
        #expect(!data.chipVerified && data.assurance == .chipUnchecked, "a simulation never claims verified data")
        await #expect(throws: DeviceFailure.self) { try await reader.readCard(CardReadRequest(idNumber: "079303001234", timeoutSeconds: 1)) }
        for (fault, code) in [
            ("card_removed", "card.removed"), ("access_denied", "card.access_denied"), ("no_card", "card.not_present"),
            ("unplugged", "card.reader_unavailable"),
        ] {
            try await reader.inject(fault: fault)
            do {
                _ = try await reader.readCard(CardReadRequest(timeoutSeconds: 0.01))
                Issue.record("\(fault) must fail")
            } catch {
                #expect(error.notice.code == code)
            }
        }
        #expect(await reader.status().state == .noDevice)
    }
}
