import Foundation
import KioskStore
import KioskTestSupport
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// Delivery through faults, with real processes: a proxy that cuts, fails and hangs, and
/// kioskd and kiosk-central SIGKILLed mid-delivery. The central ends with exactly one copy
/// of each dossier, byte-identical, none missing.
@Suite(.serialized) struct DeliveryFaultTests {
    @Test func aDossierGetsThroughA500AHangAndConnectionsCutMidChunk() async throws {
        let bed = try LinkTestbed()
        try await bed.startCentral()
        let proxy = try FaultProxy(to: bed.centralPort)
        defer { proxy.stop() }
        try bed.writeKioskConfig(chunkKB: 64, timeoutSeconds: 3)
        try await bed.startKiosk()
        do {
            try await bed.enrol(through: proxy.port)
            proxy.set(.answer500)
            let dossier = try await bed.fileDossier()
            let key = dossier.uuidString

            // A 500: not an acknowledgement; the row waits, counted, with the reason.
            var row = try await waitForRow(bed, key) { ($0["attempts"] as? Int ?? 0) >= 1 }
            #expect(row["state"] as? String == "pending" && (row["lastError"] as? String)?.contains("500") == true, "\(row)")
            #expect(try await bed.receivedDossiers().isEmpty)

            // A central that hangs: the request times out, and it is retried later.
            proxy.set(.hang)
            _ = try await bed.technician.call("POST", "outbox/\(key)/retry", "{}")
            row = try await waitForRow(bed, key, seconds: 30) { ($0["attempts"] as? Int ?? 0) >= 2 }
            #expect(row["state"] as? String == "pending" && row["lastError"] != nil, "\(row)")

            // Every connection cut after 40 KB: the chunks of 64 KB never arrive whole, yet the
            // central keeps what came and the kiosk resumes there.
            proxy.set(.cutAfter(40_000))
            let store = try KioskStore(path: bed.storePath)
            let size = try await store.read { try $0.documentFiles(dossier).map(\.bytes).reduce(0, +) }
            #expect(size > 80_000, "the PDF (\(size) bytes) is larger than two cuts")
            let before = proxy.connections
            _ = try await bed.technician.call("POST", "outbox/\(key)/retry", "{}")
            let codes = try await bed.waitDelivered([dossier], seconds: 90)
            #expect(proxy.connections - before > size / 40_000, "\(proxy.connections - before) connections for \(size) bytes")
            try await bed.expectCentralHoldsExactly(codes)
        } catch {
            Issue.record("\(error)\nkioskd:\n\(bed.kioskd?.logTail() ?? "")\ncentral:\n\(bed.central?.logTail() ?? "")")
        }
        proxy.stop()
        await bed.cleanUp()
    }

    /// kioskd SIGKILLed at random points of delivery, 30 times, and the central twice; both
    /// restarted each time on their own stores.
    @Test func killedAtRandomPointsOfDeliveryTheCentralEndsWithExactlyOneCopyOfEach() async throws {
        let bed = try LinkTestbed()
        try await bed.startCentral()
        // Small chunks: a dossier takes dozens of requests, so the kills land inside them.
        try bed.writeKioskConfig(chunkKB: 16, timeoutSeconds: 5)
        try await bed.startKiosk()
        do {
            var dossiers: [UUID] = []
            for _ in 0..<3 { dossiers.append(try await bed.fileDossier()) }
            try await bed.enrol()
            var generator = SystemRandomNumberGenerator()
            for round in 0..<30 {
                try await Task.sleep(for: .milliseconds(Int.random(in: 20...700, using: &generator)))
                bed.kioskd?.kill()
                if round % 15 == 7 {
                    bed.central?.kill()
                    try await bed.startCentral()
                }
                try await bed.startKiosk()
            }
            let codes = try await bed.waitDelivered(dossiers, seconds: 120)
            #expect(codes.count == 3 && Set(codes.values).count == 3, "three dossiers, three codes")
            try await bed.expectCentralHoldsExactly(codes)
        } catch {
            Issue.record("\(error)\nkioskd:\n\(bed.kioskd?.logTail() ?? "")\ncentral:\n\(bed.central?.logTail() ?? "")")
        }
        await bed.cleanUp()
    }

    func waitForRow(_ bed: LinkTestbed, _ key: String, seconds: Double = 20, _ condition: ([String: Any]) -> Bool) async throws -> [String: Any] {
        let deadline = Date().addingTimeInterval(seconds)
        var last: [String: Any] = [:]
        while Date() < deadline {
            if let row = try await bed.outbox()[key] {
                last = row
                if condition(row) { return row }
            }
            try await Task.sleep(for: .milliseconds(100))
        }
        Issue.record("the outbox row never got there: \(last)")
        return last
    }
}
