import Devices
import Foundation
import KioskAPI
import KioskTestSupport
import Localized
import Testing

@testable import kioskctl

@Suite struct StatusFormatterTests {
    static func report(devices: [DeviceStatus], issues: [String] = []) -> StatusReport {
        StatusReport(
            kioskId: "K1", officeName: "Bộ phận Một cửa", version: "0.1.0", startedAt: Date(timeIntervalSince1970: 0),
            uptimeSeconds: 3725, store: .init(path: "/var/kiosk.sqlite", journalMode: "wal", schemaVersions: ["v1"]),
            catalog: .init(directory: "/catalog", procedures: 3, issues: issues), devices: devices,
            openSessions: 2, sealedDossiers: 5, outboxDepth: 1)
    }

    static let healthy = [
        DeviceStatus(id: "scanner", kind: .scanner, driver: "simulated", state: .online),
        DeviceStatus(id: "printer", kind: .printer, driver: "simulated", state: .online, media: .paperLow),
    ]

    @Test func healthyKioskPrintsEveryDeviceAndCounts() {
        let text = StatusFormatter.text(Self.report(devices: Self.healthy))
        #expect(text.contains("kioskd 0.1.0 — kiosk K1 — Bộ phận Một cửa"))
        #expect(text.contains("up 1h 2m"))
        #expect(text.contains("sessions 2 open; dossiers 5 sealed; outbox 1 waiting"))
        #expect(text.contains("✓ printer      printer      simulated  online / paper_low"))
        #expect(!StatusFormatter.needsAttention(Self.report(devices: Self.healthy)))
    }

    @Test func faultsAndCatalogIssuesNeedAttention() {
        let jam = Notice(code: "printer.jammed", message: LocalizedText(vi: "Kẹt giấy", en: "Paper jam"), actor: .staff, retryable: true)
        let broken = [DeviceStatus(id: "printer", kind: .printer, driver: "simulated", state: .userError, media: .paperJammed, lastError: jam)]
        let text = StatusFormatter.text(Self.report(devices: broken))
        #expect(text.contains("✗ printer"))
        #expect(text.contains("printer.jammed — staff must act: Paper jam"))
        #expect(StatusFormatter.needsAttention(Self.report(devices: broken)))
        let badCatalog = Self.report(devices: Self.healthy, issues: ["x.yaml:3: code: is required"])
        #expect(StatusFormatter.needsAttention(badCatalog))
        #expect(StatusFormatter.text(badCatalog).contains("✗ x.yaml:3: code: is required"))
    }

    @Test func unreachableDaemonExitsWithOneAndSaysWhatToCheck() async throws {
        let result = try await runProgram(builtProduct("kioskctl"), ["status", "--url", "http://127.0.0.1:9"])
        #expect(result.status == 1)
        #expect(result.errors.contains("kioskd is not reachable at http://127.0.0.1:9"), "\(result.errors)")
        #expect(result.errors.contains("api.listen"))
    }

    @Test func theDaemonsAddressComesFromItsConfigurationFile() async throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("kioskctl-\(UUID().uuidString).conf")
        defer { try? FileManager.default.removeItem(at: file) }
        try Data("[kiosk]\nid = \"K1\"\n[api]\n# listen = \"127.0.0.1:1\"\nlisten = \"127.0.0.1:9\"   # the screen's port\n".utf8).write(to: file)
        let result = try await runProgram(builtProduct("kioskctl"), ["status", "--config", file.path])
        #expect(result.status == 1 && result.errors.contains("not reachable at http://127.0.0.1:9"), "\(result.errors)")
        #expect(Connection.listen(in: "[api]\nlisten = \"[::1]:8090\"\n") == "[::1]:8090")
        #expect(Connection.listen(in: "[store]\nlisten = \"x\"\n") == nil, "only [api]'s listen")
    }

    @Test func receiptsThatDidNotPrintNeedAttentionAndAreListedByReference() {
        var report = Self.report(devices: Self.healthy)
        report.unprintedReceipts = [.init(dossier: UUID(), reference: "KIOSK-01-20261123-6F1C2A")]
        #expect(StatusFormatter.needsAttention(report))
        #expect(StatusFormatter.text(report).contains("✗ KIOSK-01-20261123-6F1C2A"))
    }
}
