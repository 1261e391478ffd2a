import CentralProtocol
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import KioskTestSupport
import Testing

/// What the central learns from heartbeats, with a real kioskd and a real kiosk-central.
@Suite(.serialized) struct HeartbeatTests {
    /// The fleet read-out straight from the central's HTTP API (no process to start per look).
    static func fleetKiosk(_ bed: LinkTestbed) async throws -> [String: Any]? {
        let token = try String(contentsOf: bed.centralState.appendingPathComponent("admin.token"), encoding: .utf8)
            .trimmingCharacters(in: .whitespacesAndNewlines)
        var request = URLRequest(url: URL(string: bed.centralURL + CentralPaths.fleet)!)
        request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization")
        request.timeoutInterval = 5
        let (data, _) = try await URLSession.shared.data(for: request)
        return ((try JSONSerialization.jsonObject(with: data) as? [String: Any])?["kiosks"] as? [[String: Any]])?.first
    }

    /// A device fault reaches the central within 2 s — not a period (60 s here) later — and its
    /// end too; each heartbeat has the next sequence number.
    @Test func aDeviceFaultReachesTheCentralWithinTwoSeconds() async throws {
        let bed = try LinkTestbed()
        try await bed.startCentral(heartbeatSeconds: 60)
        try bed.writeKioskConfig(heartbeatSeconds: 60)
        try await bed.startKiosk()
        do {
            try await bed.enrol()
            // The heartbeat an enrolment sends at once, then quiet until the period.
            var first: [String: Any]?
            for _ in 0..<200 where first?["lastSequence"] == nil {
                first = try await Self.fleetKiosk(bed)
                try await Task.sleep(for: .milliseconds(50))
            }
            let sequence = try #require(first?["lastSequence"] as? Int, "no first heartbeat: \(String(describing: first))")
            try await Task.sleep(for: .seconds(1))

            for (fault, alertShown) in [("paper_out", true), ("none", false)] {
                let (status, answer) = try await bed.technician.call("POST", "devices/printer/fault", #"{"fault":"\#(fault)"}"#)
                try #require(status == 200, "\(answer)")
                let injected = ContinuousClock.now
                var seen: Duration?
                var kiosk: [String: Any]?
                while ContinuousClock.now - injected < .seconds(10) {
                    kiosk = try await Self.fleetKiosk(bed)
                    if ((kiosk?["alerts"] as? [String]) ?? []).contains("paper_out:printer") == alertShown {
                        seen = ContinuousClock.now - injected
                        break
                    }
                    try await Task.sleep(for: .milliseconds(50))
                }
                let latency = try #require(seen, "the central never saw printer fault \(fault): \(String(describing: kiosk))")
                #expect(latency <= .seconds(2), "printer fault \(fault) reached the central after \(latency)")
                #expect((kiosk?["lastSequence"] as? Int ?? 0) > sequence)
                let printer = (kiosk?["devices"] as? [[String: Any]])?.first { $0["id"] as? String == "printer" }
                #expect((printer?["media"] as? String == "paper_out") == alertShown, "\(String(describing: printer))")
            }
        } catch {
            Issue.record("\(error)\nkioskd:\n\(bed.kioskd?.logTail() ?? "")")
        }
        await bed.cleanUp()
    }

    /// A kiosk whose wall clock is 10 minutes behind the central's (libfaketime puts the
    /// central's 10 minutes ahead; the protocol sees only the difference): the central refuses
    /// the first signature as skewed and says its own time; the kiosk signs again on the
    /// central's time and enrols, delivers and beats; the fleet shows the skew and a clock
    /// alert; the technician sees the offset. (libfaketime under kioskd itself stalls its
    /// timed waits — a scan never ends — and its SIGTERM handling: measured, so the faked
    /// clock is the central's.)
    @Test func aKioskWhoseClockIsTenMinutesSlowStillEnrolsAndDelivers() async throws {
        let faketime = "/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1"
        try #require(FileManager.default.fileExists(atPath: faketime), "libfaketime is missing (scripts/install-deps.sh installs it)")
        let bed = try LinkTestbed()
        try await bed.startCentral(preload: ["LD_PRELOAD": faketime, "FAKETIME": "+10m", "FAKETIME_DONT_FAKE_MONOTONIC": "1"])
        try await bed.startKiosk()
        do {
            try await bed.enrol()
            let dossier = try await bed.fileDossier()
            let codes = try await bed.waitDelivered([dossier])
            #expect(codes[dossier].map(DossierCode.isValid) == true)
            let kiosk = try #require(try await Self.fleetKiosk(bed))
            let skew = try #require(kiosk["clockSkewSeconds"] as? Double, "\(kiosk)")
            #expect((-660.0 ... -540.0).contains(skew), "the fleet sees the kiosk 10 minutes slow: \(skew)")
            #expect(((kiosk["alerts"] as? [String]) ?? []).contains("clock_skew"), "\(kiosk)")
            let (_, link) = try await bed.technician.call("GET", "link")
            let offset = try #require(link["clockOffsetSeconds"] as? Double, "\(link)")
            #expect((540.0...660.0).contains(offset), "the kiosk learned the central's time: \(offset)")
            #expect(link["lastHeartbeatResult"] as? String == "ok", "\(link)")
        } catch {
            Issue.record("\(error)\nkioskd:\n\(bed.kioskd?.logTail() ?? "")")
        }
        // Under libfaketime a SIGTERM waits on a faked clock; graceful stops are tested without it.
        bed.central?.kill()
        await bed.cleanUp()
    }
}
