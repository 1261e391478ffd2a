import Foundation
import KioskStore
import Synchronization

/// Maintenance mode: while on, the kiosk takes no new session (the screen says it is out of
/// service) and lets the applicant already filing finish. Kept in the store across restarts.
final class MaintenanceSwitch: Sendable {
    private let on: Mutex<Bool>
    private let store: KioskStore

    init(store: KioskStore) async throws {
        self.store = store
        on = Mutex(try await store.read { try $0.flag("maintenance") } == "on")
    }

    var isOn: Bool { on.withLock { $0 } }

    func set(_ value: Bool) async throws {
        try await store.transaction { try $0.setFlag("maintenance", value ? "on" : nil) }
        on.withLock { $0 = value }
    }
}
