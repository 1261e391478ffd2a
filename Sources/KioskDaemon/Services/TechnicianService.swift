import Flows
import Foundation
import KioskAPI
import KioskStore
import Localized
import Logging

/// What the technician's channel does beyond the status report: the open sessions (and
/// ending one), maintenance mode, the recent log. No personal data leaves through it.
struct TechnicianService: Sendable {
    let sessions: SessionService
    let maintenance: MaintenanceSwitch
    let recentLog: RecentLog

    func openSessions(now: Date = Date()) async throws -> [OpenSessionSummary] {
        try await sessions.store.read { try $0.openSessions() }
            .sorted { $0.createdAt < $1.createdAt }
            .map {
                OpenSessionSummary(
                    id: $0.id, procedure: $0.procedure?.code, step: $0.step.rawValue, language: $0.language.rawValue,
                    startedAt: $0.createdAt, idleSeconds: max(0, now.timeIntervalSince($0.lastActivityAt)),
                    deviceAction: $0.pending.map(Self.name))
            }
    }

    /// Ends an open session as if the applicant had cancelled it (what was scanned is
    /// discarded with it; a sealed dossier stays in the outbox).
    func abandon(_ id: UUID) async throws -> AbandonReport {
        let before = try await sessions.session(id)
        guard before.status == .active || before.status == .submitted else { throw KioskError.sessionNotFound }
        _ = try await sessions.apply(.cancel, to: id)
        sessions.logger.notice("session ended by a technician", metadata: ["kiosk.session": "\(id)", "kiosk.step": "\(before.step.rawValue)"])
        return AbandonReport(id: id, step: before.step.rawValue)
    }

    func maintenanceState() async throws -> MaintenanceState {
        MaintenanceState(on: maintenance.isOn, openSessions: try await sessions.store.read { try $0.summary().openSessions })
    }

    func setMaintenance(_ on: Bool) async throws -> MaintenanceState {
        try await maintenance.set(on)
        sessions.logger.notice("maintenance mode \(on ? "on" : "off") (technician)")
        return try await maintenanceState()
    }

    func logs(last count: Int) -> LogLines {
        LogLines(lines: Array(recentLog.snapshot.suffix(max(0, count))))
    }

    static func name(_ action: PendingAction) -> String {
        switch action {
        case .readIDCard: "read_id_card"
        case .scan: "scan"
        case .print(let kind): "print_\(kind.rawValue)"
        }
    }
}
