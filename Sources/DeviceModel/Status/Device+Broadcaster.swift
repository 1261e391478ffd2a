import Localized

/// A device whose status lives in a `StatusBroadcaster`: it gets `status()` and
/// `statusUpdates()` for free.
public protocol BroadcastingDevice: Device {
    var broadcaster: StatusBroadcaster { get }
}

extension BroadcastingDevice {
    public func status() async -> DeviceStatus { await broadcaster.current }
    public func statusUpdates() async -> AsyncStream<DeviceStatus> { await broadcaster.updates() }
}

extension BroadcastingDevice {
    /// Records how an operation ended: nil is success (online, no error); a failure sets its
    /// state and notice, except a cancel the applicant asked for, which is no fault.
    package func recordOutcome(_ failure: DeviceFailure?) async {
        let clears = failure == nil || failure?.notice.code == DeviceNotices.scannerCancelled.code
        await broadcaster.update {
            $0.state = failure?.state ?? .online
            $0.media = failure?.media
            $0.lastError = clears ? nil : failure?.notice
        }
    }
}

extension FaultInjectable where Self: BroadcastingDevice {
    /// The fault called `name`, or a failure that lists the accepted names.
    package func fault<Fault: RawRepresentable & CaseIterable>(named name: String) async throws(DeviceFailure) -> Fault
    where Fault.RawValue == String {
        guard let fault = Fault(rawValue: name) else {
            throw DeviceFailure(state: await broadcaster.current.state, notice: DeviceNotices.unknownFault(name, allowed: faultNames))
        }
        return fault
    }
}
