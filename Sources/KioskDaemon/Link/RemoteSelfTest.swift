import CentralProtocol
import DeviceModel
import Devices
import Foundation
import Imaging
import KioskStore
import Localized

/// The `devices.selftest` command. `level=internal` (the default): each device is probed and
/// its state reported, nothing moves. `level=external`: also a test page printed and one A4
/// page scanned (its size checked) — only while no applicant is filing, since it uses the
/// devices an applicant would.
struct RemoteSelfTest: Sendable {
    let store: KioskStore
    let devices: DeviceSet
    let printouts: PrintoutService

    func run(level: String?) async -> (CommandResult.Outcome, String) {
        let external: Bool
        switch level ?? "internal" {
        case "internal": external = false
        case "external": external = true
        default: return (.failed, "level \(level ?? ""): internal or external")
        }
        if external {
            let open = (try? await store.read { try $0.summary().openSessions }) ?? 1
            guard open == 0 else {
                return (.failed, "an applicant is filing (\(open) open session(s)): turn maintenance on, wait, then ask again")
            }
        }
        var lines: [String] = []
        var healthy = true
        for device in devices.all {
            await device.probe()
            let status = await device.status()
            let ok = status.state == .online || status.state == .busy
            healthy = healthy && ok
            lines.append("\(status.id): \(status.state.rawValue)\(status.lastError.map { " (\($0.code))" } ?? "")")
        }
        if external {
            do {
                lines.append("test page printed (job \(try await printouts.testPage()))")
            } catch {
                healthy = false
                lines.append("test page: \(error)")
            }
            let request = ScanRequest(source: .flatbed, mode: .gray, dpi: 100, paper: .a4)
            do throws(ScanInterrupted) {
                let pages = try await devices.scanner.scan(request, progress: { _ in })
                // An A4 page at 100 dpi is about 827 × 1169 pixels; within 10 %.
                let fits = pages.count == 1 && abs(pages[0].width - 827) < 83 && abs(pages[0].height - 1169) < 117
                healthy = healthy && fits
                lines.append(
                    fits
                        ? "one A4 page scanned (\(pages[0].width) × \(pages[0].height) px at 100 dpi)"
                        : "scan: \(pages.count) page(s), \(pages.first.map { "\($0.width) × \($0.height) px" } ?? "none"), not one A4 page")
            } catch {
                healthy = false
                lines.append("scan: \(error.failure.notice.code)")
            }
        }
        return (healthy ? .done : .failed, "\(external ? "external" : "internal") self-test: " + lines.joined(separator: "; "))
    }
}
