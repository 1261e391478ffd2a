import Devices
import Flows
import Foundation
import KioskAPI
import KioskStore

/// What a technician checks first: the kiosk, its store, catalog, devices and outbox.
struct StatusService: Sendable {
    let config: KioskConfig
    let live: LiveCatalog
    var catalog: Catalog { live.current }
    let store: KioskStore
    let devices: DeviceSet
    let startedAt: Date

    func health() -> HealthReport {
        HealthReport(status: "ok", kioskId: config.kiosk.id, version: KioskVersion.current)
    }

    func report() async throws -> StatusReport {
        let summary = try await store.read { try $0.summary() }
        let unprinted = try await store.read { try $0.unprintedReceipts() }
        return StatusReport(
            kioskId: config.kiosk.id, officeName: config.kiosk.officeName, version: KioskVersion.current,
            startedAt: startedAt, uptimeSeconds: Date().timeIntervalSince(startedAt),
            store: .init(path: store.path, journalMode: try await store.journalMode(), schemaVersions: try await store.appliedMigrations()),
            catalog: .init(directory: live.directory.path, procedures: catalog.procedures.count, issues: catalog.issues.map(\.description)),
            devices: await devices.statuses(), openSessions: summary.openSessions, sealedDossiers: summary.sealedDossiers,
            outboxDepth: summary.outboxDepth,
            unprintedReceipts: unprinted.map { StatusReport.UnprintedReceipt(dossier: $0.dossier, reference: $0.reference) })
    }
}
