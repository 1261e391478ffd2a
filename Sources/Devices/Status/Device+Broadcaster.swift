/// A device whose status lives in a `StatusBroadcaster`: it gets `status()` and
/// `statusUpdates()` for free.
public protocol BroadcastingDevice: Device {
    var broadcaster: StatusBroadcaster { get }
}

extension BroadcastingDevice {
    public func status() async -> DeviceStatus { await broadcaster.current }
    public func statusUpdates() async -> AsyncStream<DeviceStatus> { await broadcaster.updates() }
}

extension FaultInjectable where Self: BroadcastingDevice {
    /// The fault called `name`, or a failure that lists the accepted names.
    func fault<Fault: RawRepresentable & CaseIterable>(named name: String) async throws(DeviceFailure) -> Fault where Fault.RawValue == String {
        guard let fault = Fault(rawValue: name) else {
            throw DeviceFailure(state: await broadcaster.current.state, notice: DeviceNotices.unknownFault(name, allowed: faultNames))
        }
        return fault
    }
}
