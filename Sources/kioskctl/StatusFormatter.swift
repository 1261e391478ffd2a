import Devices
import Foundation
import KioskAPI
import Localized

/// The status report as a technician reads it on a terminal.
enum StatusFormatter {
    static func text(_ r: StatusReport) -> String {
        var lines = [
            "kioskd \(r.version) — kiosk \(r.kioskId) — \(r.officeName)",
            "up \(duration(r.uptimeSeconds)) (since \(ISO8601DateFormatter().string(from: r.startedAt)))",
            "store    \(r.store.path) (\(r.store.journalMode), schema \(r.store.schemaVersions.count))",
            "catalog  \(r.catalog.procedures) procedures from \(r.catalog.directory)",
        ]
        for issue in r.catalog.issues { lines.append("  ✗ \(issue)") }
        lines.append("sessions \(r.openSessions) open; dossiers \(r.sealedDossiers) sealed; outbox \(r.outboxDepth) waiting")
        if !r.unprintedReceipts.isEmpty {
            lines.append("receipts not printed (kioskctl print receipt --dossier REFERENCE):")
            for receipt in r.unprintedReceipts { lines.append("  ✗ \(receipt.reference)") }
        }
        lines.append("devices")
        for d in r.devices {
            let mark = d.state.isUsable && d.lastError == nil ? "✓" : "✗"
            var line = "  \(mark) \(pad(d.id, 12)) \(pad(d.kind.rawValue, 12)) \(pad(d.driver, 10)) \(d.state.rawValue)"
            if let media = d.media { line += " / \(media.rawValue)" }
            lines.append(line)
            if let error = d.lastError {
                lines.append("      \(error.code) — \(error.actor.rawValue) must act: \(error.forTechnician)")
            }
        }
        return lines.joined(separator: "\n")
    }

    /// True when a device is unusable, a catalog file was rejected, a device reports a problem,
    /// or a receipt did not print.
    static func needsAttention(_ r: StatusReport) -> Bool {
        !r.catalog.issues.isEmpty || r.devices.contains { !$0.state.isUsable || $0.lastError != nil } || !r.unprintedReceipts.isEmpty
    }

    static func duration(_ seconds: Double) -> String {
        let s = Int(seconds)
        return s >= 86_400 ? "\(s / 86_400)d \(s % 86_400 / 3600)h" : s >= 3600 ? "\(s / 3600)h \(s % 3600 / 60)m" : "\(s / 60)m \(s % 60)s"
    }

    static func pad(_ text: String, _ width: Int) -> String {
        text.count >= width ? text : text + String(repeating: " ", count: width - text.count)
    }
}
