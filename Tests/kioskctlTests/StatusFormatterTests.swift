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
        let missing = "/tmp/kioskctl-\(UUID().uuidString).sock"
        let result = try await runProgram(builtProduct("kioskctl"), ["status", "--socket", missing])
        #expect(result.status == 1)
        #expect(result.errors.contains("kioskd is not reachable: no socket at \(missing)"), "\(result.errors)")
        #expect(result.errors.contains("technician.socket"))
        // A socket that nobody listens on any more (kioskd stopped and left it behind).
        let stale = FileManager.default.temporaryDirectory.appendingPathComponent("kioskctl-\(UUID().uuidString).sock").path
        defer { unlink(stale) }
        let fd = try #require(boundUnixSocket(stale))
        close(fd)
        let refused = try await runProgram(builtProduct("kioskctl"), ["devices", "--socket", stale])
        #expect(refused.status == 1 && refused.errors.contains("nothing listens on \(stale)"), "\(refused.errors)")
    }

    @Test func theDaemonsSocketComesFromItsConfigurationFile() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("kioskctl-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("kiosk.conf")
        try Data("[kiosk]\nid = \"K1\"\n[technician]\n# socket = \"/x\"\nsocket = \"run/k.sock\"   # beside the file\n".utf8).write(to: file)
        let result = try await runProgram(builtProduct("kioskctl"), ["status", "--config", file.path])
        #expect(result.status == 1 && result.errors.contains("no socket at \(directory.path)/run/k.sock"), "\(result.errors)")
        #expect(Connection.value(table: "technician", key: "socket", in: "[technician]\nsocket = \"/run/a.sock\"\n") == "/run/a.sock")
        #expect(Connection.value(table: "technician", key: "socket", in: "[store]\nsocket = \"x\"\n") == nil, "only [technician]'s")
        #expect(Connection.value(table: "technician", key: "socket", in: "[technician]\nsocket_x = \"x\"\n") == nil, "the key, not a prefix")
        // Without the key: kioskd's default, var/kioskd.sock beside the file.
        try Data("[kiosk]\nid = \"K1\"\n".utf8).write(to: file)
        let defaulted = try await runProgram(builtProduct("kioskctl"), ["devices", "--config", file.path])
        #expect(defaulted.errors.contains("no socket at \(directory.path)/var/kioskd.sock"), "\(defaulted.errors)")
    }

    @Test func receiptsThatDidNotPrintNeedAttentionAndAreListedByReference() {
        var report = Self.report(devices: Self.healthy)
        report.unprintedReceipts = [.init(dossier: UUID(), reference: "KIOSK-01-20261123-6F1C2A")]
        #expect(StatusFormatter.needsAttention(report))
        #expect(StatusFormatter.text(report).contains("✗ KIOSK-01-20261123-6F1C2A"))
    }
}
