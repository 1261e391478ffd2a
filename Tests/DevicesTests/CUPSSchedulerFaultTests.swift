@testable import Devices
import Foundation
import KioskTestSupport
import Localized
import Testing

/// The CUPS driver when cupsd itself fails: names that crash Debian 12's cupsd
/// (2.4.2-3+deb12u10), a scheduler killed while a job is in flight, and the journal that lets
/// a restarted kiosk ask what became of a job instead of printing it twice.
@Suite struct CUPSSchedulerFaultTests {
    typealias PrivateCUPS = KioskTestSupport.PrivateCUPS

    /// Prints a one-line job in a task of its own, the journal recording its reference.
    static func printInBackground(_ printer: CUPSPrinter, _ title: String, journal: Recorded) -> Task<Result<PrintOutcome, DeviceFailure>, Never> {
        Task {
            do throws(DeviceFailure) {
                return .success(try await printer.print(PrintJob(title: title, content: .raw(Data("\(title)\n".utf8)))) { await journal.set($0) })
            } catch {
                return .failure(error)
            }
        }
    }

    /// Waits (up to 10 s) until cupsd lists a job on `queue`.
    /// (The slow queues take 15–20 s a job: on a machine busy with the rest of the suite, the
    /// polls below and the test's next step can take seconds, and a job that finished first
    /// would leave nothing to kill or cancel.)
    static func waitUntilQueued(_ cups: PrivateCUPS, _ queue: String) async throws {
        for _ in 0..<400 {
            if try await cups.tool("lpstat", ["-o", queue]).output.contains("\(queue)-") { return }
            try await Task.sleep(for: .milliseconds(25))
        }
    }

    @Test func namesAreMadeSafeForCUPSOnce() {
        #expect(CUPSJobName("receipt TEST-1").value == "receipt-TEST-1")
        #expect(CUPSJobName("kioskctl sample receipt 1").value == "kioskctl-sample-receipt-1")
        #expect(CUPSJobName("Biên nhận hồ sơ — KIOSK01-20261203-ABC123").value == "Bien-nhan-ho-so-KIOSK01-20261203-ABC123")
        #expect(CUPSJobName("Đăng ký\tkhai\u{00A0}sinh\n\r").value == "Dang-ky-khai-sinh")
        #expect(CUPSJobName("a\u{202E}b'c\"d\\e").value == "a-b-c-d-e", "no bidi override, quote or backslash reaches cupsd")
        #expect(CUPSJobName("   ").value == "document" && CUPSJobName("").value == "document")
        #expect(CUPSJobName(String(repeating: "x ", count: 300)).value.count == CUPSJobName.maximumLength)
        let safe = CUPSJobName("Giấy tiếp nhận hồ sơ và hẹn trả kết quả ✓ 🙂").value
        #expect(safe.unicodeScalars.allSatisfy { $0.isASCII && !$0.properties.isWhitespace }, "\(safe)")
    }

    /// Each of these titles made cupsd 2.4.2-3+deb12u10 segfault (white space in the
    /// document name); the scheduler must survive them all and print each once.
    @Test func titlesWithSpacesPrintAndTheSchedulerSurvives() async throws {
        let cups = try await PrivateCUPS.start()
        defer { cups.stop() }
        let printer = CUPSPrinter(id: "printer", destination: "kiosk_receipt", server: cups.socket, jobTimeout: 20)
        let titles = ["kioskctl test page", "receipt TEST-1", "Biên nhận\thồ sơ\nKIOSK01", " leading and trailing "]
        for (index, title) in titles.enumerated() {
            let outcome = try await printer.print(PrintJob(title: title, content: .raw(Data("job \(index)\n".utf8))))
            #expect(outcome.jobReference.hasPrefix("kiosk_receipt-"))
        }
        #expect(cups.captured("receipt").count == titles.count, "each printed exactly once")
        #expect(try await cups.tool("lpstat", ["-r"]).output.contains("scheduler is running"), "cupsd is still up")
        let jobs = try await cups.tool("lpstat", ["-W", "completed", "-o", "kiosk_receipt"])
        #expect(jobs.output.split(separator: "\n").count == titles.count)
    }

    @Test func aSchedulerKilledMidJobIsOfflineWithinSecondsAndTheDriverRecovers() async throws {
        let cups = try await PrivateCUPS.start()
        defer { cups.stop() }
        try await cups.slowQueue("slow", seconds: 15)
        let printer = CUPSPrinter(id: "printer", destination: "slow", server: cups.socket, jobTimeout: 120, schedulerGrace: 2)
        let recorded = Recorded()
        let job = Self.printInBackground(printer, "receipt SLOW-1", journal: recorded)
        // Wait until cupsd is printing it, then kill cupsd.
        try await Self.waitUntilQueued(cups, "slow")
        try await Task.sleep(for: .milliseconds(300))
        let killedAt = ContinuousClock.now
        await cups.crashScheduler()
        let result = await job.value
        let waited = ContinuousClock.now - killedAt
        guard case .failure(let failure) = result else {
            Issue.record("a job whose scheduler died cannot count as printed")
            return
        }
        #expect(failure.notice.code == "printer.cups_unreachable" && failure.state == .offline, "\(failure)")
        #expect(failure.notice.actor == .technician && !failure.notice.message.vi.isEmpty)
        // Seconds (2 s of silence, then the failure), not the 120 s job timeout; generous for a busy machine.
        #expect(waited < .seconds(30), "noticed in seconds, not after the job timeout: \(waited)")
        let offline = await printer.status()
        #expect(offline.state == .offline && offline.lastError?.code == "printer.cups_unreachable")

        // While cupsd is down, the job's fate cannot be known: printing again could print twice.
        let reference = try #require(await recorded.value)
        guard case .unknown(let why) = await printer.fate(ofJob: reference) else {
            Issue.record("a job cannot be judged while cupsd is down")
            return
        }
        #expect(why.state == .offline)

        // cupsd back: the probe says online again, and the job can be asked about.
        try await cups.restartScheduler()
        await printer.probe()
        let back = await printer.status()
        #expect(back.state == .online || back.state == .busy, "\(back)")
        #expect(back.lastError?.code != "printer.cups_unreachable")
        let fate = await printer.fate(ofJob: reference)
        #expect(fate != .notPrinted || cups.captured("slow").isEmpty, "a job said not to print has not printed")
        if fate == .inProgress {
            _ = try await printer.follow(job: reference)
            #expect(await printer.fate(ofJob: reference) == .completed)
        }
    }

    /// A print whose request is cancelled (the applicant left, the session was cancelled) ends
    /// as cancelled, and so does its CUPS job: it never prints later, unattended.
    @Test func aCancelledPrintCancelsItsCUPSJob() async throws {
        let cups = try await PrivateCUPS.start()
        defer { cups.stop() }
        try await cups.slowQueue("slow", seconds: 20)
        let printer = CUPSPrinter(id: "printer", destination: "slow", server: cups.socket, jobTimeout: 120)
        let recorded = Recorded()
        let job = Self.printInBackground(printer, "receipt CANCEL-1", journal: recorded)
        try await Self.waitUntilQueued(cups, "slow")
        job.cancel()
        guard case .failure(let failure) = await job.value else {
            Issue.record("a cancelled print cannot count as printed")
            return
        }
        #expect(failure.notice.code == "printer.cancelled" && failure.notice.actor == .applicant, "\(failure)")
        let reference = try #require(await recorded.value)
        #expect(await printer.fate(ofJob: reference) == .notPrinted, "the CUPS job was cancelled with the request")
        let pending = try await cups.tool("lpstat", ["-o", "slow"]).output
        #expect(pending.isEmpty, "nothing left in the queue to print later: \(pending)")
        let status = await printer.status()
        #expect(status.state != .busy)
    }

    @Test func theJournalHearsOfTheJobBeforeItCanPrintAndItsFateCanBeAsked() async throws {
        let cups = try await PrivateCUPS.start()
        defer { cups.stop() }
        let printer = CUPSPrinter(id: "printer", destination: "kiosk_receipt", server: cups.socket, jobTimeout: 20)
        let recorded = Recorded()
        let outcome = try await printer.print(PrintJob(title: "receipt J-1", content: .raw(Data("journal\n".utf8)))) { reference in
            // Told before anything could print.
            #expect(cups.captured("receipt").isEmpty)
            await recorded.set(reference)
        }
        #expect(await recorded.value == outcome.jobReference)
        #expect(await printer.fate(ofJob: outcome.jobReference) == .completed)
        #expect(await printer.fate(ofJob: "kiosk_receipt-99999") == .notPrinted, "a job CUPS never had")
        #expect(await printer.fate(ofJob: "other_queue-1") == .notPrinted)
    }

    @Test func aJournalThatFailsPrintsNothingAndLeavesNoJob() async throws {
        let cups = try await PrivateCUPS.start()
        defer { cups.stop() }
        let printer = CUPSPrinter(id: "printer", destination: "kiosk_receipt", server: cups.socket, jobTimeout: 20)
        struct DiskFull: Error {}
        do {
            _ = try await printer.print(PrintJob(title: "receipt J-2", content: .raw(Data("never\n".utf8)))) { _ in throw DiskFull() }
            Issue.record("a job that could not be recorded must not print")
        } catch {
            #expect(error.notice.code == "printer.not_recorded")
        }
        #expect(cups.captured("receipt").isEmpty)
        #expect(try await cups.tool("lpstat", ["-o", "kiosk_receipt"]).output.isEmpty, "the created job was cancelled")
    }

    @Test func aJobWhoseDocumentNeverArrivedIsCancelledAndNotPrinted() async throws {
        let cups = try await PrivateCUPS.start()
        defer { cups.stop() }
        // Create-Job alone, as a kiosk killed between the journal and the document leaves it.
        let test = try createJobTest()
        defer { try? FileManager.default.removeItem(at: test) }
        let created = try await cups.tool("ipptool", ["-t", socketURI(cups, "kiosk_receipt"), test.path])
        try #require(created.status == 0, "\(created.output)\(created.errors)")
        let listed = try await cups.tool("lpstat", ["-o", "kiosk_receipt"]).output
        let id = try #require(listed.split(separator: " ").first.map(String.init), "the created job is listed: \(listed)")
        let printer = CUPSPrinter(id: "printer", destination: "kiosk_receipt", server: cups.socket)
        #expect(await printer.fate(ofJob: id) == .notPrinted)
        #expect(try await cups.tool("lpstat", ["-o", "kiosk_receipt"]).output.isEmpty, "and it no longer lingers")
    }

    /// `ipp://` on cupsd's Unix socket: the socket path is the URI's host, percent-encoded.
    private func socketURI(_ cups: PrivateCUPS, _ queue: String) -> String {
        "ipp://\(cups.socket.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")/printers/\(queue)"
    }

    private func createJobTest() throws -> URL {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("create-job-\(UUID()).test")
        try """
        { NAME "Create-Job" OPERATION Create-Job GROUP operation-attributes-tag
          ATTR charset attributes-charset utf-8 ATTR naturalLanguage attributes-natural-language en
          ATTR uri printer-uri $uri ATTR name requesting-user-name root ATTR name job-name "incomplete"
          STATUS successful-ok }
        """.write(to: file, atomically: true, encoding: .utf8)
        return file
    }
}

/// A value set from inside a callback and read after it.
actor Recorded {
    private(set) var value: String?
    func set(_ value: String) { self.value = value }
}
