import Foundation
import Hummingbird
import HummingbirdTesting
import KioskTestSupport
import Logging
import Testing

@testable import KioskDaemon

/// Queue tickets through the API: numbered per queue, priority served first, printed on the
/// kiosk's printer; and `kioskctl print ticket` against a live kioskd.
@Suite struct QueueTicketTests {
    let api = APITests()

    @Test func ticketsAreNumberedPrintedAndCalledPriorityFirst() async throws {
        try await api.withKiosk { client, kiosk in
            let (created, first) = try await api.call(client, .post, "/api/v1/queues/ho-tich/tickets")
            #expect(created == .created && first["number"] as? Int == 1 && first["displayNumber"] as? String == "001")
            #expect(first["printed"] as? Bool == true && first["peopleAhead"] as? Int == 0 && first["estimatedWaitMinutes"] as? Int == 0)
            let (_, second) = try await api.call(client, .post, "/api/v1/queues/ho-tich/tickets", #"{"priority":"normal"}"#)
            #expect(second["number"] as? Int == 2 && second["peopleAhead"] as? Int == 1 && second["estimatedWaitMinutes"] as? Int == 10)
            let (_, elderly) = try await api.call(client, .post, "/api/v1/queues/ho-tich/tickets", #"{"priority":"elderly"}"#)
            #expect(elderly["displayNumber"] as? String == "U003" && elderly["peopleAhead"] as? Int == 0, "no priority ticket waits before it")
            let (_, other) = try await api.call(client, .post, "/api/v1/queues/chung-thuc/tickets")
            #expect(other["number"] as? Int == 1, "each queue counts on its own")

            var called: [String] = []
            for _ in 0..<3 {
                let (_, next) = try await api.technician(kiosk, .post, "/api/v1/queues/ho-tich/call")
                called.append(next["displayNumber"] as? String ?? "?")
            }
            #expect(called == ["U003", "001", "002"])
            let (empty, nobody) = try await api.technician(kiosk, .post, "/api/v1/queues/ho-tich/call")
            #expect(empty == .conflict && nobody["code"] as? String == "queue.empty")

            let (unknown, missing) = try await api.call(client, .post, "/api/v1/queues/bakery/tickets")
            #expect(unknown == .notFound && missing["code"] as? String == "queue.not_found")
            let (bad, _) = try await api.call(client, .post, "/api/v1/queues/ho-tich/tickets", #"{"priority":"vip"}"#)
            #expect(bad == .badRequest)

            let files = try FileManager.default.contentsOfDirectory(atPath: kiosk.config.printer.outputDirectory.path).sorted()
            // Each ticket rendered as a real printer gets it (ESC/POS raster), with its text beside it.
            let printed = files.filter { $0.hasSuffix(".txt") }
            #expect(printed.count == 4 && files.filter { $0.hasSuffix(".bin") }.count == 4, "\(files)")
            let texts = try printed.map { try String(contentsOf: kiosk.config.printer.outputDirectory.appendingPathComponent($0), encoding: .utf8) }
            let elderlyTicket = try #require(texts.first { $0.contains("U003") })
            #expect(elderlyTicket.contains("PHIẾU SỐ THỨ TỰ") && elderlyTicket.contains("Hộ tịch") && elderlyTicket.contains("Người cao tuổi"))
        }
    }

    @Test func aTicketThatCannotPrintIsStillIssuedAndSaysWhoActs() async throws {
        try await api.withKiosk({ $0.printer.fault = .paperOut }) { client, _ in
            let (status, ticket) = try await api.call(client, .post, "/api/v1/queues/ho-tich/tickets")
            #expect(status == .created && ticket["number"] as? Int == 1 && ticket["printed"] as? Bool == false)
            #expect((ticket["printNotice"] as? [String: Any])?["code"] as? String == "printer.paper_out")
        }
    }

    @Test func kioskctlPrintsATicketThroughALiveDaemon() async throws {
        let kiosk = try TestKiosk()
        defer { kiosk.cleanUp() }
        let app = try await buildApplication(config: kiosk.config, logger: Logger(label: "test"))
        try await app.test(.live) { _ in
            // kioskctl talks to the technician socket, bound as the application starts.
            try await TechnicianClient(kiosk.config).call("GET", "health")
            let socket = kiosk.config.technician.socket.path
            let kioskctl = TestKiosk.kioskdBinary.deletingLastPathComponent().appendingPathComponent("kioskctl")
            let result = try await runProgram(
                kioskctl,
                [
                    "print", "ticket", "--queue", "chung-thuc", "--priority", "pregnant", "--json",
                    "--socket", socket,
                ])
            #expect(result.status == 0, "\(result.errors)")
            let report = try JSON.object(result.stdout)
            #expect(report["displayNumber"] as? String == "U001" && report["printed"] as? Bool == true)
            let wrong = try await runProgram(kioskctl, ["print", "ticket", "--queue", "nowhere", "--socket", socket])
            #expect(wrong.status == 1 && wrong.errors.contains("queue.not_found"), "\(wrong.errors)")
        }
    }
}
