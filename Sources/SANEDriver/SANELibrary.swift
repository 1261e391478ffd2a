import DeviceModel
import CSane

/// libsane for this process: initialised once, and called on one serial executor shared by
/// every SANE driver in the process (backends are not required to be thread-safe, and
/// `sane_read` and `sane_start` block — never on Swift's cooperative pool). The one call
/// made from elsewhere is `sane_cancel`, which the SANE standard (§4.3.12) allows from any
/// thread while another call is in progress (`SANEHandle.requestCancel`).
enum SANELibrary {
    static let executor = DriverExecutor(label: "kiosk.sane")

    /// `sane_init`, run once, on first use — which is on `executor`, inside a driver.
    private static let initialisation: DeviceFailure? = {
        var version: SANE_Int = 0
        let status = sane_init(&version, nil)
        return status == SANE_STATUS_GOOD ? nil : SANEStatus.failure(status, during: "sane_init")
    }()

    /// Initialises libsane if needed; throws when it cannot be.
    static func ready() throws(DeviceFailure) {
        precondition(executor.isCurrent, "libsane is used only on its executor")
        if let initialisation { throw initialisation }
    }
}
