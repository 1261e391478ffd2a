import CentralProtocol
import DeviceModel
import Devices
import Foundation
import Imaging
import KioskAPI
import KioskStore
import Localized

/// Device self-tests run by kioskd on the devices it holds, for `kioskctl selftest all` (the
/// technician's channel) and the central's `devices.selftest` command.
/// - internal: the device is probed and its state judged; nothing moves.
/// - external: also a test page printed, and one A4 page scanned with its size checked.
/// - interactive: also a card placed on the reader by the technician (kioskctl asks for it,
///   and asks the technician to judge the printed page).
/// External and interactive tests use the devices an applicant would: they are refused
/// while an applicant is filing.
struct DeviceSelfTest: Sendable {
    let store: KioskStore
    let devices: DeviceSet
    let printouts: PrintoutService
    /// How long the interactive card check waits for a card on the reader.
    var cardWait: Duration = .seconds(30)

    enum Refusal: Error {
        case applicantFiling(Int)
        case unknownDevice(String, known: [String])
    }

    func run(device id: String, level: SelfTestLevel) async throws(Refusal) -> SelfTestResult {
        guard let device = devices.all.first(where: { $0.id == id }) else {
            throw .unknownDevice(id, known: devices.all.map(\.id))
        }
        if level > .internal {
            let open = (try? await store.read { try $0.summary().openSessions }) ?? 1
            guard open == 0 else { throw .applicantFiling(open) }
        }
        let started = ContinuousClock.now
        var checks: [SelfTestResult.Check] = []
        await device.probe()
        let probed = await device.status()
        let usable = probed.state == .online || probed.state == .busy
        checks.append(
            .init(
                name: "state", passed: usable,
                detail: "\(probed.state.rawValue)\(probed.media.map { ", \($0.rawValue)" } ?? "")"
                    + (probed.lastError.map { " (\($0.code): \($0.message.en))" } ?? "")))
        if level >= .external, usable {
            switch probed.kind {
            case .printer: checks.append(await testPage())
            case .scanner: checks.append(await scanA4())
            case .cardReader:
                if level >= .interactive { checks.append(await cardPlaced()) }
            }
        }
        let after = await device.status()
        return SelfTestResult(
            device: id, kind: probed.kind.rawValue, level: level, passed: checks.allSatisfy(\.passed), state: after.state.rawValue,
            checks: checks, seconds: (ContinuousClock.now - started).timeInterval)
    }

    private func testPage() async -> SelfTestResult.Check {
        do {
            return .init(name: "test_page", passed: true, detail: "printed (job \(try await printouts.testPage()))")
        } catch {
            return .init(name: "test_page", passed: false, detail: "\(error)")
        }
    }

    private func scanA4() async -> SelfTestResult.Check {
        let request = ScanRequest(source: .flatbed, mode: .gray, dpi: 100, paper: .a4)
        do throws(ScanInterrupted) {
            let pages = try await devices.scanner.scan(request, progress: { _ in })
            // An A4 page at 100 dpi is about 827 × 1169 pixels; within 10 %.
            let fits = pages.count == 1 && abs(pages[0].width - 827) < 83 && abs(pages[0].height - 1169) < 117
            return .init(
                name: "scan_a4", passed: fits,
                detail: fits
                    ? "one A4 page (\(pages[0].width) × \(pages[0].height) px at 100 dpi)"
                    : "\(pages.count) page(s), \(pages.first.map { "\($0.width) × \($0.height) px" } ?? "none"), not one A4 page")
        } catch {
            return .init(name: "scan_a4", passed: false, detail: error.failure.notice.code)
        }
    }

    /// Waits for the reader to report a card on it. Nothing is read from the card.
    private func cardPlaced() async -> SelfTestResult.Check {
        let deadline = ContinuousClock.now + cardWait
        while ContinuousClock.now < deadline {
            await devices.cardReader.probe()
            if await devices.cardReader.status().media == .cardPresent {
                return .init(name: "card_placed", passed: true, detail: "the reader sees a card")
            }
            try? await Task.sleep(for: .milliseconds(250))
        }
        return .init(name: "card_placed", passed: false, detail: "no card on the reader within \(cardWait.components.seconds) s")
    }
}

extension DeviceSelfTest {
    /// The central's `devices.selftest` command: every device at `level` (internal by
    /// default), summarised on one line.
    func remote(level text: String?) async -> (CommandResult.Outcome, String) {
        guard let level = SelfTestLevel(rawValue: text ?? "internal"), level < .interactive else {
            return (.failed, "level \(text ?? ""): internal or external")
        }
        var lines: [String] = []
        var healthy = true
        for device in devices.all {
            do {
                let result = try await run(device: device.id, level: level)
                healthy = healthy && result.passed
                lines.append(
                    "\(device.id): " + result.checks.map { "\($0.name) \($0.passed ? "ok" : "FAILED") (\($0.detail))" }.joined(separator: ", "))
            } catch .applicantFiling(let open) {
                return (.failed, "an applicant is filing (\(open) open session(s)): turn maintenance on, wait, then ask again")
            } catch {
                return (.failed, "\(error)")
            }
        }
        return (healthy ? .done : .failed, "\(level.rawValue) self-test: " + lines.joined(separator: "; "))
    }
}
