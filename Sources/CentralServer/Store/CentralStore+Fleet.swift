public import CentralProtocol
public import Foundation
import GRDB

extension CentralStore {
    /// Every kiosk: last seen, online (seen within three periods and not gone offline), its
    /// devices and what needs a person.
    public func fleet(now: Date = Date(), heartbeatSeconds: Int) async throws -> FleetReport {
        let rows = try await pool.read { db in try Row.fetchAll(db, sql: "SELECT * FROM kiosks ORDER BY kiosk_id") }
        let decoder = CentralCoding.decoder()
        let kiosks = rows.map { row -> FleetKiosk in
            let heartbeat = (row["heartbeat"] as Data?).flatMap { try? decoder.decode(Heartbeat.self, from: $0) }
            let lastSeen: Date? = row["last_seen"]
            let wentOffline: Bool = row["went_offline"]
            let online = lastSeen.map { now.timeIntervalSince($0) <= Double(3 * heartbeatSeconds) } == true && !wentOffline
            let skew: Double? = row["clock_skew"]
            return FleetKiosk(
                kioskId: row["kiosk_id"], receivingUnit: row["receiving_unit"], enrolledAt: row["enrolled_at"],
                revoked: (row["revoked_at"] as Date?) != nil, lastSeen: lastSeen, online: online, wentOffline: wentOffline,
                lastSequence: row["last_sequence"], softwareVersion: heartbeat?.softwareVersion, catalogVersion: heartbeat?.catalogVersion,
                clockSkewSeconds: skew, maintenance: heartbeat?.maintenance ?? false,
                alerts: heartbeat.map { Self.alerts(of: $0, skew: skew ?? 0) } ?? [], devices: heartbeat?.devices ?? [],
                outboxDepth: heartbeat?.outbox.depth, outboxOldestAgeSeconds: heartbeat?.outbox.oldestAgeSeconds,
                lastDeliveryError: heartbeat?.outbox.lastError, freeDiskBytes: heartbeat?.freeDiskBytes)
        }
        return FleetReport(serverTime: now, kiosks: kiosks)
    }

    /// What in a heartbeat needs a person: paper low or out, a jam, a missing card reader, a
    /// device in fault, an outbox older than an hour or with quarantined dossiers, a clock
    /// more than two minutes off, little disk left.
    static func alerts(of heartbeat: Heartbeat, skew: Double) -> [String] {
        var alerts: [String] = []
        for device in heartbeat.devices {
            if device.media == "paper_low" { alerts.append("paper_low:\(device.id)") }
            if device.media == "paper_out" { alerts.append("paper_out:\(device.id)") }
            if device.media == "paper_jammed" || device.lastNotice?.contains("jam") == true { alerts.append("jam:\(device.id)") }
            let missing = ["offline", "no_device", "power_off"].contains(device.state)
            if device.kind == "card_reader", missing {
                alerts.append("reader_missing:\(device.id)")
            } else if missing || device.state == "hardware_error" {
                alerts.append("\(device.state):\(device.id)")
            }
        }
        if (heartbeat.outbox.oldestAgeSeconds ?? 0) > 3600 { alerts.append("outbox_old") }
        if heartbeat.outbox.quarantined > 0 { alerts.append("outbox_quarantine") }
        if abs(skew) > 120 { alerts.append("clock_skew") }
        if heartbeat.freeDiskBytes < 1_000_000_000 { alerts.append("disk_low") }
        return alerts
    }
}
