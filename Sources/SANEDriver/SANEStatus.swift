import DeviceModel
import CSane
import Localized

/// Every SANE status code, mapped to the device state it leaves and the notice for the
/// person who must act. One place, so every SANE scanner says the same thing.
enum SANEStatus {
    static func failure(_ status: SANE_Status, during operation: String) -> DeviceFailure {
        let detail = "\(operation): \(String(cString: sane_strstatus(status)))"
        switch status {
        case SANE_STATUS_JAMMED:
            return DeviceFailure(state: .userError, media: .paperJammed, notice: DeviceNotices.scannerJammed)
        case SANE_STATUS_COVER_OPEN:
            return DeviceFailure(state: .userError, notice: DeviceNotices.scannerCoverOpen)
        case SANE_STATUS_DEVICE_BUSY, SANE_Status(rawValue: 12):  // 12: SANE_STATUS_WARMING_UP (lamp)
            return DeviceFailure(state: .busy, notice: DeviceNotices.scannerBusy)
        case SANE_STATUS_NO_DOCS:
            return DeviceFailure(state: .online, media: .feederEmpty, notice: DeviceNotices.scannerFeederEmpty)
        case SANE_STATUS_CANCELLED:
            return DeviceFailure(state: .online, notice: DeviceNotices.scannerCancelled)
        case SANE_STATUS_IO_ERROR:
            // The usual sign of a scanner unplugged or switched off mid-scan.
            return DeviceFailure(state: .noDevice, notice: technician("scanner.io_error", detail))
        case SANE_STATUS_ACCESS_DENIED:
            return DeviceFailure(state: .hardwareError, notice: technician("scanner.access_denied", detail))
        case SANE_Status(rawValue: 13):  // SANE_STATUS_HW_LOCKED: transport lock engaged
            return DeviceFailure(state: .hardwareError, notice: technician("scanner.locked", detail))
        default:  // UNSUPPORTED, INVAL, NO_MEM and anything newer
            return DeviceFailure(state: .hardwareError, notice: technician("scanner.error", detail))
        }
    }

    /// The applicant's message is always the same; the code and SANE's words are for the
    /// technician (logs, `kioskctl status`).
    static func technician(_ code: String, _ detail: String) -> Notice {
        var notice = DeviceNotices.scannerUnavailable
        notice.code = code
        notice.detail = detail
        return notice
    }
}
