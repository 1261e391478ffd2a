import DeviceModel
import CSane
import Dispatch
import Foundation

/// libsane for this process: initialised once, and called only on one serial queue.
///
/// Thread safety: backends are not required to be thread-safe, so every SANE call goes
/// through `run`, which executes on `queue` — never on Swift's cooperative thread pool,
/// since `sane_read` and `sane_start` block. The one exception is `sane_cancel`, which the
/// SANE standard (§4.3.12) allows from any thread while another call is in progress.
final class SANELibrary: @unchecked Sendable {
    static let shared = SANELibrary()

    let queue = DispatchQueue(label: "kiosk.sane")
    private var initialised = false  // touched on `queue` only

    /// Runs `body` on the SANE queue, initialising libsane first if needed.
    func run<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            queue.async {
                if !self.initialised {
                    var version: SANE_Int = 0
                    let status = sane_init(&version, nil)
                    guard status == SANE_STATUS_GOOD else {
                        continuation.resume(throwing: SANEStatus.failure(status, during: "sane_init"))
                        return
                    }
                    self.initialised = true
                }
                continuation.resume(with: Result { try body() })
            }
        }
    }
}
