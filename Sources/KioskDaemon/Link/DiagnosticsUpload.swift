import CentralProtocol
import Devices
import Foundation
import KioskAPI
import KioskStore
import Localized

/// The `diagnostics.upload` command: versions, devices and their last notices, the outbox,
/// and the daemon's recent log lines, sent to the central. No personal data: no session,
/// answer or identity is read for it.
struct DiagnosticsUpload: Sendable {
    let store: KioskStore
    let devices: DeviceSet
    let link: LinkState
    let catalog: LiveCatalog
    let maintenance: MaintenanceSwitch
    let startedAt: ContinuousClock.Instant
    let storeDirectory: String
    let recentLog: RecentLog

    func run(_ command: RemoteCommand, client: CentralClient) async -> (CommandResult.Outcome, String) {
        do {
            let bundle = try await make(kioskId: command.kioskId, commandId: command.id)
            let body = try CentralCoding.encoder().encode(bundle)
            _ = try await client.send("POST", CentralPaths.diagnostics, body: body, timeout: 60)
            return (.done, "diagnostics uploaded: \(body.count / 1024) KB, \(bundle.recentLog.count) log lines")
        } catch {
            return (.failed, "cannot upload diagnostics: \(error)")
        }
    }

    func make(kioskId: String, commandId: Int64?) async throws -> DiagnosticsBundle {
        let now = Date()
        let health = try await store.read { try $0.outboxHealth() }
        let free = KioskVitals.freeDiskBytes(storeDirectory)
        var lines = recentLog.snapshot
        // The newest lines that fit well inside the central's limit.
        while lines.reduce(0, { $0 + $1.utf8.count + 8 }) > DiagnosticsBundle.maxBytes / 2 { lines.removeFirst() }
        return DiagnosticsBundle(
            kioskId: kioskId, commandId: commandId, createdAt: now, softwareVersion: KioskVersion.current,
            catalogVersion: catalog.current.fingerprint, uptimeSeconds: (ContinuousClock.now - startedAt).timeInterval,
            system: KioskVitals.system().merging(["catalogDirectory": catalog.directory.path]) { $1 },
            devices: await devices.statuses().map {
                DiagnosticsBundle.Device(
                    id: $0.id, kind: $0.kind.rawValue, state: $0.state.rawValue, media: $0.media?.rawValue, lastNotice: $0.lastError?.code,
                    lastNoticeText: $0.lastError?.message.en)
            },
            outbox: KioskVitals.outbox(health, now: now, lastError: link.snapshot.lastDeliveryError),
            maintenance: maintenance.isOn, freeDiskBytes: free, recentLog: lines)
    }
}
