/// What every device offers, whatever its kind and driver.
public protocol Device: Sendable {
    /// The name configured in `kiosk.conf`.
    var id: String { get }
    var kind: DeviceKind { get }
    /// The current status.
    func status() async -> DeviceStatus
    /// The current status, then every change.
    func statusUpdates() async -> AsyncStream<DeviceStatus>
    /// Looks for the device and updates its status (at start-up, and while it is missing,
    /// so that a device plugged back in is found again). Never throws: problems become status.
    func probe() async
}

extension Device {
    public func probe() async {}
}

/// A device whose faults can be injected: simulated drivers, for demos and tests. Real
/// drivers do not conform.
public protocol FaultInjectable: Device {
    /// The fault names this device accepts (`none` clears any fault).
    var faultNames: [String] { get }
    /// Injects the fault called `name`; throws for an unknown name.
    func inject(fault name: String) async throws(DeviceFailure)
}
