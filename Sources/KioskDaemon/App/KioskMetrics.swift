import CoreMetrics
import Devices
import Flows
import Foundation
import KioskStore
import Localized
import StatusModel
import Synchronization

/// What kioskd counts and measures, through swift-metrics (kioskd bootstraps the Prometheus
/// backend; `GET /metrics` emits it). Labels are procedure codes, steps, device ids, outcomes
/// and notice codes: never personal data.
final class KioskMetrics: Sendable {
    /// Where each open session's current step began, for the step-duration histogram.
    private let stepStarted = Mutex<[UUID: (step: Step, at: ContinuousClock.Instant)]>([:])

    /// Counts what an accepted event changed: sessions started (a procedure chosen), submitted
    /// and abandoned (with the step they were left at), pages scanned, print jobs and card reads
    /// by outcome, and the time spent in each step.
    func record(event: FlowEvent, before: FlowSession, after: FlowSession) {
        let procedure = after.procedure?.code ?? before.procedure?.code ?? "none"
        if before.procedure == nil, after.procedure != nil {
            Counter(label: "kiosk_sessions_started_total", dimensions: [("procedure", procedure)]).increment()
        }
        if before.status == .active, after.status == .submitted {
            Counter(label: "kiosk_sessions_submitted_total", dimensions: [("procedure", procedure)]).increment()
        }
        if before.status != .abandoned, after.status == .abandoned {
            Counter(label: "kiosk_sessions_abandoned_total", dimensions: [("procedure", procedure), ("step", before.step.rawValue)])
                .increment()
        }
        let pagesBefore = before.pages.values.reduce(0) { $0 + $1.count }
        let pagesAfter = after.pages.values.reduce(0) { $0 + $1.count }
        if case .pagesScanned = event, pagesAfter > pagesBefore {
            Counter(label: "kiosk_pages_scanned_total").increment(by: pagesAfter - pagesBefore)
        }
        if case .scanFailed(_, let notice, let pages) = event {
            Counter(label: "kiosk_pages_scanned_total").increment(by: pages.count)
            Counter(label: "kiosk_scans_failed_total", dimensions: [("code", notice.code)]).increment()
        }
        switch event {
        case .printed(let kind):
            Counter(label: "kiosk_print_jobs_total", dimensions: [("kind", kind.rawValue), ("outcome", "printed")]).increment()
        case .printFailed(let kind, let notice):
            Counter(label: "kiosk_print_jobs_total", dimensions: [("kind", kind.rawValue), ("outcome", notice.code)]).increment()
        case .cardRead:
            Counter(label: "kiosk_card_reads_total", dimensions: [("outcome", "read")]).increment()
        case .cardReadFailed(let notice):
            Counter(label: "kiosk_card_reads_total", dimensions: [("outcome", notice.code)]).increment()
        default: break
        }
        recordStep(session: after.id, from: before.step, to: after.step, closed: after.status.isClosed)
    }

    private func recordStep(session: UUID, from: Step, to: Step, closed: Bool) {
        let now = ContinuousClock.now
        let finished: (step: Step, at: ContinuousClock.Instant)? = stepStarted.withLock { started in
            let previous = started[session]
            if closed {
                started[session] = nil
            } else if previous == nil || from != to {
                started[session] = (to, now)
            }
            return from != to || closed ? previous : nil
        }
        if let finished {
            Timer(label: "kiosk_step_duration_seconds", dimensions: [("step", finished.step.rawValue)]).recordInterval(now - finished.at)
        }
    }

    /// The gauges read when scraped: each device's state (one series per state, 1 for the
    /// current one), the outbox's depth and oldest age, the store's size on disk.
    func refreshGauges(devices: [DeviceStatus], outbox: (depth: Int, quarantined: Int, oldest: Date?), storePath: String) {
        for device in devices {
            for state in DeviceState.allCases {
                Gauge(label: "kiosk_device_state", dimensions: [("device", device.id), ("state", state.rawValue)])
                    .record(device.state == state ? 1 : 0)
            }
        }
        Gauge(label: "kiosk_outbox_depth").record(outbox.depth)
        Gauge(label: "kiosk_outbox_quarantined").record(outbox.quarantined)
        Gauge(label: "kiosk_outbox_oldest_age_seconds").record(outbox.oldest.map { Date().timeIntervalSince($0) } ?? 0)
        let size = [storePath, storePath + "-wal"].reduce(Int64(0)) { total, path in
            let fd = open(path, O_RDONLY | O_CLOEXEC)
            guard fd >= 0 else { return total }
            defer { close(fd) }
            return total + max(0, Int64(lseek(fd, 0, SEEK_END)))
        }
        Gauge(label: "kiosk_store_bytes").record(size)
    }
}

extension Duration {
    fileprivate var nanoseconds: Int64 {
        let (seconds, attoseconds) = components
        return seconds * 1_000_000_000 + attoseconds / 1_000_000_000
    }
}

extension CoreMetrics.Timer {
    fileprivate func recordInterval(_ duration: Duration) { recordNanoseconds(duration.nanoseconds) }
}
