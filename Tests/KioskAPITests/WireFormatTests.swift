import StatusModel
import Foundation
import KioskAPI
import Localized
import Testing

@Suite struct WireFormatTests {
    @Test func statusReportRoundTripsWithISODates() throws {
        let report = StatusReport(
            kioskId: "K1", officeName: "Một cửa", version: KioskVersion.current, startedAt: Date(timeIntervalSince1970: 1_795_399_200),
            uptimeSeconds: 12, store: .init(path: "/s", journalMode: "wal", schemaVersions: ["v1"]),
            catalog: .init(directory: "/c", procedures: 3, issues: []),
            devices: [
                DeviceStatus(
                    id: "scanner", kind: .scanner, driver: "simulated", state: .noDevice, updatedAt: Date(timeIntervalSince1970: 1_795_399_200))
            ],
            openSessions: 1, sealedDossiers: 2, outboxDepth: 3)
        let data = try APICoding.encoder().encode(report)
        let text = String(decoding: data, as: UTF8.self)
        #expect(text.contains(#""startedAt":"2026-11-23T02:00:00Z""#))
        #expect(text.contains(#""state":"no_device""#) && text.contains(#""kind":"scanner""#))
        #expect(try APICoding.decoder().decode(StatusReport.self, from: data) == report)
    }

    @Test func errorBodyDecodesWithOrWithoutFields() throws {
        let plain = try APICoding.decoder().decode(APIErrorBody.self, from: Data(#"{"code":"x","message":{"vi":"Lỗi","en":"Error"}}"#.utf8))
        #expect(plain.fields == nil && plain.message.vi == "Lỗi")
        let withFields = try APICoding.decoder().decode(
            APIErrorBody.self,
            from: Data(#"{"code":"flow.validation_failed","message":{"vi":"a","en":"b"},"fields":{"phone":{"vi":"c","en":"d"}}}"#.utf8))
        #expect(withFields.fields?["phone"]?.en == "d")
    }

    @Test func clientReportsAnUnreachableDaemon() async {
        let client = KioskClient(socket: "/nonexistent/kioskd.sock", timeout: 2)
        do {
            _ = try await client.health()
            Issue.record("nothing listens on port 9")
        } catch {
            guard case .unreachable = error else {
                Issue.record("expected unreachable, got \(error)")
                return
            }
            #expect(error.description.contains("is kioskd running"), "\(error)")
        }
    }
}
