import Localized

/// What CUPS says about a queue (`printer-state`, `printer-state-reasons`,
/// `printer-is-accepting-jobs`), in the kiosk's status model.
enum CUPSStatus {
    /// IPP printer-state values.
    enum PrinterState: Int {
        case idle = 3, processing = 4, stopped = 5
    }

    struct Mapped: Equatable {
        var state: DeviceState
        var media: MediaState?
        var notice: Notice?
    }

    /// The reasons' keywords without their -error / -warning / -report suffix.
    static func keywords(_ reasons: [String]) -> Set<String> {
        Set(
            reasons.map { reason in
                for suffix in ["-error", "-warning", "-report"] where reason.hasSuffix(suffix) {
                    return String(reason.dropLast(suffix.count))
                }
                return reason
            })
    }

    static func map(state: PrinterState, reasons: [String], accepting: Bool) -> Mapped {
        let k = keywords(reasons)
        if !k.isDisjoint(with: ["media-empty", "media-needed", "input-tray-missing"]) {
            return Mapped(state: .userError, media: .paperOut, notice: DeviceNotices.printerPaperOut)
        }
        if k.contains("media-jam") {
            return Mapped(state: .userError, media: .paperJammed, notice: DeviceNotices.printerJammed)
        }
        if !k.isDisjoint(with: ["cover-open", "door-open", "interlock-open"]) {
            return Mapped(state: .userError, media: nil, notice: DeviceNotices.printerCoverOpen)
        }
        if !k.isDisjoint(with: ["offline", "shutdown", "timed-out", "connecting-to-device"]) {
            return Mapped(state: .offline, media: nil, notice: DeviceNotices.printerOffline)
        }
        if state == .stopped || !accepting {
            return Mapped(state: .offline, media: nil, notice: DeviceNotices.printerStopped)
        }
        let media: MediaState = k.contains("media-low") ? .paperLow : .paperFull
        return Mapped(
            state: state == .processing ? .busy : .online, media: media,
            notice: media == .paperLow ? DeviceNotices.printerPaperLow : nil)
    }
}
