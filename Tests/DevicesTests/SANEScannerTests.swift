import Imaging
import Devices
import Foundation
import KioskTestSupport
import Localized
import Testing

/// The SANE driver against real libsane and its `test` backend, through the `kiosk-sane`
/// helper as kioskd runs it. Serialized: the backend's device opens once at a time.
@Suite(.serialized) struct SANEScannerTests {
    let grayA4 = ScanRequest(source: .flatbed, mode: .gray, dpi: 200, paper: .a4)
    let small = ScanRequest(source: .flatbed, mode: .gray, dpi: 50, paper: .a5)

    func scan(_ request: ScanRequest, _ options: [(String, String)] = []) async throws(ScanInterrupted) -> [Raster] {
        let scanner = SANETestBackend.scanner(options)
        do {
            let pages = try await scanner.scan(request) { _ in }
            await scanner.close()
            return pages
        } catch {
            await scanner.close()
            throw error
        }
    }

    /// The page's pixel bytes.
    func pixels(_ page: Raster) -> Data { Data(page.pixels) }

    @Test func onePageFromTheFlatbedHasTheRequestedSizeAndContent() async throws {
        let white = try await scan(grayA4, [("test-picture", "Solid white")])
        #expect(white.count == 1)
        let page = try #require(white.first)
        #expect(page.kind == .gray && page.dpi == 200)
        #expect(abs(page.width - 1654) <= 2 && abs(page.height - 2339) <= 2, "\(page.width)x\(page.height)")
        #expect(pixels(page).count == page.width * page.height)
        #expect(pixels(page).allSatisfy { $0 == 255 })
        let black = try await scan(small, [("test-picture", "Solid black")])
        #expect(pixels(try #require(black.first)).allSatisfy { $0 == 0 })
    }

    @Test func feederBatchEndsNormallyWhenTheFeederRunsEmpty() async throws {
        let scanner = SANETestBackend.scanner()
        let feeder = ScanRequest(source: .feeder, mode: .gray, dpi: 50, paper: .a4)
        let first = try await scanner.scan(feeder) { _ in }
        #expect(first.count == 10, "the test backend's feeder holds 10 sheets")
        let second = try await scanner.scan(feeder) { _ in }
        #expect(second.count == 10, "the next batch works again")
        #expect(await scanner.status().state == .online)
        await scanner.close()
    }

    @Test(arguments: [
        ("SANE_STATUS_JAMMED", "scanner.jammed", DeviceState.userError, NoticeActor.staff),
        ("SANE_STATUS_COVER_OPEN", "scanner.cover_open", .userError, .applicant),
        ("SANE_STATUS_DEVICE_BUSY", "scanner.busy", .busy, .applicant),
        ("SANE_STATUS_NO_DOCS", "scanner.feeder_empty", .online, .applicant),
        ("SANE_STATUS_IO_ERROR", "scanner.io_error", .noDevice, .technician),
        ("SANE_STATUS_NO_MEM", "scanner.error", .hardwareError, .technician),
        ("SANE_STATUS_ACCESS_DENIED", "scanner.access_denied", .hardwareError, .technician),
        ("SANE_STATUS_INVAL", "scanner.error", .hardwareError, .technician),
        ("SANE_STATUS_UNSUPPORTED", "scanner.error", .hardwareError, .technician),
        ("SANE_STATUS_CANCELLED", "scanner.cancelled", .online, .applicant),
    ])
    func everyReadStatusBecomesDeviceStatusAndANotice(status: String, code: String, state: DeviceState, actor: NoticeActor) async throws {
        let scanner = SANETestBackend.scanner([("read-return-value", status)])
        do {
            _ = try await scanner.scan(small) { _ in }
            Issue.record("\(status) must interrupt the scan")
        } catch {
            #expect(error.failure.notice.code == code)
            #expect(error.failure.state == state)
            #expect(error.failure.notice.actor == actor)
            #expect(!error.failure.notice.message.vi.isEmpty && !error.failure.notice.message.en.isEmpty)
        }
        #expect(await scanner.status().state == state)
        await scanner.close()
    }

    @Test func tinyReadsDelaysAndFuzzyParametersGiveTheSamePage() async throws {
        let reference = try await scan(small, [("test-picture", "Grid")])
        let slow = try await scan(
            small,
            [
                ("test-picture", "Grid"), ("read-limit", "yes"), ("read-limit-size", "7"),
                ("read-delay", "yes"), ("read-delay-duration", "1000"), ("fuzzy-parameters", "yes"),
            ])
        #expect(slow.first?.pnm == reference.first?.pnm)
        #expect(Set(pixels(try #require(reference.first))).count == 2, "a grid is black and white")
    }

    @Test func threePassColourEqualsSinglePassColour() async throws {
        let color = ScanRequest(source: .flatbed, mode: .color, dpi: 50, paper: .a5)
        let single = try await scan(color, [("test-picture", "Color pattern")])
        let triple = try await scan(color, [("test-picture", "Color pattern"), ("three-pass", "yes"), ("three-pass-order", "GBR")])
        let page = try #require(single.first)
        #expect(page.kind == .rgb && pixels(page).count == page.width * page.height * 3)
        #expect(triple.first?.pnm == page.pnm)
    }

    @Test func handScannerOfUnknownLengthStillGivesAWholePage() async throws {
        let pages = try await scan(small, [("hand-scanner", "yes")])
        let page = try #require(pages.first)
        #expect(page.height > 0 && abs(page.width - Int((110 / 25.4 * 50).rounded())) <= 1, "hand scanners are 11 cm wide: \(page.width)")
        #expect(pixels(page).count == page.width * page.height)
    }

    @Test func sixteenBitAndOneBitDepths() async throws {
        let eight = try await scan(small, [("test-picture", "Grid")])
        let sixteen = try await scan(small, [("test-picture", "Grid"), ("depth", "16")])
        #expect(sixteen.first?.pnm == eight.first?.pnm, "16-bit samples reduce to the same 8-bit page")
        let bw = try await scan(ScanRequest(source: .flatbed, mode: .blackAndWhite, dpi: 50, paper: .a5), [("test-picture", "Grid")])
        let page = try #require(bw.first)
        #expect(page.kind == .bilevel)
        #expect(pixels(page).count == (page.width + 7) / 8 * page.height)
        #expect(pixels(page).contains(0) && pixels(page).contains { $0 != 0 }, "black and white squares")
    }

    @Test func cancellingMidPageStopsPromptly() async throws {
        let scanner = SANETestBackend.scanner([
            ("read-limit", "yes"), ("read-limit-size", "64"),
            ("read-delay", "yes"), ("read-delay-duration", "200000"),
        ])
        let started = Date()
        let task = Task { try await scanner.scan(grayA4) { _ in } }
        try await Task.sleep(for: .milliseconds(300))
        task.cancel()
        let result = await task.result
        guard case .failure(let error as ScanInterrupted) = result else {
            Issue.record("expected ScanInterrupted, got \(result)")
            return
        }
        #expect(error.failure.notice.code == "scanner.cancelled")
        #expect(Date().timeIntervalSince(started) < 5, "cancel does not wait for the page to finish")
        #expect(await scanner.status().state == .online)
        await scanner.close()
    }

    @Test func aScanThatStallsIsStoppedAndReported() async throws {
        // The backend waits 200 ms per 64 KB buffer: on an A4 300 dpi grey page (8.7 MB) the
        // helper reports progress every 10 %, about 2.6 s apart — silence longer than the 1 s
        // this scanner tolerates.
        let scanner = SANETestBackend.scanner([("read-delay", "yes"), ("read-delay-duration", "200000")], stallTimeout: 1)
        let started = Date()
        do {
            _ = try await scanner.scan(ScanRequest(source: .flatbed, mode: .gray, dpi: 300, paper: .a4)) { _ in }
            Issue.record("a stalled scan must not succeed")
        } catch {
            #expect(error.failure.notice.code == "scanner.timed_out" && error.failure.notice.actor == .staff)
            #expect(error.pages.isEmpty)
        }
        let elapsed = Date().timeIntervalSince(started)
        #expect(elapsed > 0.9 && elapsed < 8, "stopped \(elapsed) s after it began")
        #expect(await scanner.status().state == .hardwareError)
        // The same device, not stalled, scans again.
        let next = SANETestBackend.scanner()
        #expect(try await next.scan(small) { _ in }.count == 1)
    }

    /// libsane can hang a helper between two feeder pages (a reader thread cancelled inside the
    /// dynamic loader blocks the next sane_start); `KIOSK_SANE_HANG_ONCE` makes one helper hang
    /// so after its first page. The batch goes on in a fresh helper, keeping the page.
    @Test func aHelperThatHangsBetweenFeederPagesIsReplacedAndTheBatchGoesOn() async throws {
        let flag = FileManager.default.temporaryDirectory.appendingPathComponent("kiosk-hang-\(UUID())")
        _ = FileManager.default.createFile(atPath: flag.path, contents: Data())
        // Stall limit 9 s; between pages a third of it, 3 s.
        let scanner = SANETestBackend.scanner(stallTimeout: 9, environment: ["KIOSK_SANE_HANG_ONCE": flag.path])
        let started = Date()
        let pages = try await scanner.scan(ScanRequest(source: .feeder, mode: .gray, dpi: 50, paper: .a5)) { _ in }
        let elapsed = Date().timeIntervalSince(started)
        #expect(!FileManager.default.fileExists(atPath: flag.path), "one helper hung")
        #expect(elapsed > 2.9 && elapsed < 8.5, "replaced after the between-pages limit, not the stall limit: \(elapsed) s")
        // 1 page before the hang; the test device's feeder holds 10 sheets again in the new process.
        #expect(pages.count == 11)
        #expect(await scanner.status().state == .online)

        // On the flatbed there is no batch to go on with: the page is kept, the stall reported.
        _ = FileManager.default.createFile(atPath: flag.path, contents: Data())
        do {
            _ = try await scanner.scan(ScanRequest(source: .flatbed, mode: .gray, dpi: 50, paper: .a5)) { _ in }
            Issue.record("a hung flatbed scan must not succeed")
        } catch {
            #expect(error.failure.notice.code == "scanner.timed_out" && error.pages.count == 1)
        }
    }

    @Test func eachPageIsHandedOverAsSoonAsItIsComplete() async throws {
        // 10 sheets, each taking a few hundred milliseconds: the first page arrives long
        // before the batch ends.
        let scanner = SANETestBackend.scanner([
            ("read-delay", "yes"), ("read-delay-duration", "20000"), ("read-limit", "yes"), ("read-limit-size", "4096"),
        ])
        let arrivals = Arrivals()
        let started = Date()
        let pages = try await scanner.scan(
            ScanRequest(source: .feeder, mode: .gray, dpi: 50, paper: .a5), progress: { _ in },
            onPage: { arrivals.add($0, at: Date().timeIntervalSince(started)) })
        let total = Date().timeIntervalSince(started)
        let seen = arrivals.all
        #expect(pages.count == 10 && seen.map(\.page) == pages)
        let first = try #require(seen.first?.at)
        #expect(first < total / 3, "first page after \(first) s of \(total) s")
    }

    @Test func streamingHandsEveryPageOverAndKeepsNone() async throws {
        let scanner = SANETestBackend.scanner()
        let arrivals = Arrivals()
        let count = try await scanner.stream(
            ScanRequest(source: .feeder, mode: .gray, dpi: 50, paper: .a5), progress: { _ in },
            onPage: { arrivals.add($0, at: 0) })
        #expect(count == 10 && arrivals.all.count == 10)
        let jammed = SANETestBackend.scanner([("read-return-value", "SANE_STATUS_JAMMED")])
        do {
            _ = try await jammed.stream(small, progress: { _ in }, onPage: { _ in })
            Issue.record("a jam must interrupt the stream")
        } catch {
            #expect(error.failure.notice.code == "scanner.jammed" && error.pages.isEmpty)
        }
    }

    final class Arrivals: @unchecked Sendable {
        private let lock = NSLock()
        private var items: [(page: Raster, at: TimeInterval)] = []
        func add(_ page: Raster, at: TimeInterval) { lock.withLock { items.append((page, at)) } }
        var all: [(page: Raster, at: TimeInterval)] { lock.withLock { items } }
    }

    /// SANE's `pnm` backend scans a file: how a rendered page goes through the real driver.
    /// Its `filename` option is a string with no list of values.
    @Test func aPageFileScansThroughThePNMBackend() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("kiosk-pnm-\(UUID())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        try "pnm\n".write(to: dir.appendingPathComponent("dll.conf"), atomically: true, encoding: .utf8)
        let samples = (0..<(60 * 40 * 3)).map { UInt8(truncatingIfNeeded: $0 * 7) }
        let file = dir.appendingPathComponent("page.ppm")
        try (Data("P6\n60 40\n255\n".utf8) + Data(samples)).write(to: file)
        let scanner = SANEHelperScanner(
            id: "scanner", helper: builtProduct("kiosk-sane"), deviceName: "pnm:0",
            extraOptions: [(name: "filename", value: file.path)], environment: ["SANE_CONFIG_DIR": dir.path])
        let pages = try await scanner.scan(ScanRequest(source: .flatbed, mode: .color, dpi: 75, paper: .a4)) { _ in }
        let page = try #require(pages.first)
        #expect(page.kind == .rgb && page.width == 60 && page.height == 40)
        #expect(pixels(page) == Data(samples), "the file's pixels, unchanged")
        let tooLong = SANEHelperScanner(
            id: "scanner", helper: builtProduct("kiosk-sane"), deviceName: "pnm:0",
            extraOptions: [(name: "filename", value: String(repeating: "x", count: 5000))], environment: ["SANE_CONFIG_DIR": dir.path])
        do {
            _ = try await tooLong.scan(ScanRequest(source: .flatbed, mode: .color, dpi: 75, paper: .a4)) { _ in }
            Issue.record("a name longer than the option holds is refused")
        } catch {
            #expect(error.failure.notice.code == "scanner.option_value" && error.failure.notice.actor == .technician)
        }
    }

    @Test func aMissingDeviceIsReportedAndNeverCrashes() async throws {
        let scanner = SANETestBackend.scanner(device: "test:99")
        await scanner.probe()
        let status = await scanner.status()
        #expect(status.state == .noDevice && status.lastError?.actor == .technician)
        // What libsane said is for the technician, beside the message, never in it.
        #expect(status.lastError?.detail?.contains("test:99") == true && status.lastError?.message.en.contains("[") == false)
        #expect(status.lastError?.forApplicant.detail == nil && status.lastError?.forTechnician.contains("test:99") == true)
        do {
            _ = try await scanner.scan(small) { _ in }
            Issue.record("no device, no scan")
        } catch {
            #expect(error.failure.state == .noDevice)
        }
    }
}
