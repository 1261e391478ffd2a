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
    /// How often the device monitor should call `probe()`, by the device's state: the driver
    /// knows what a look costs and what it can find out.
    var probeSchedule: ProbeSchedule { get }
}

extension Device {
    public func probe() async {}
    public var probeSchedule: ProbeSchedule { ProbeSchedule() }
}

/// How often a device wants to be looked at (`Device.probe()`), by its state. Nil: not then.
public struct ProbeSchedule: Sendable, Hashable {
    /// While it is missing (`noDevice`), so a device plugged back in comes online by itself.
    public var whenMissing: Duration?
    /// While it is there but cannot work (out of paper, stopped, jammed…).
    public var whenFaulted: Duration?
    /// While it works and is idle (never while busy: its own operations report then).
    public var whenIdle: Duration?

    public init(whenMissing: Duration? = .seconds(5), whenFaulted: Duration? = nil, whenIdle: Duration? = nil) {
        self.whenMissing = whenMissing
        self.whenFaulted = whenFaulted
        self.whenIdle = whenIdle
    }

    /// The interval for a device in `state`, or nil when it should not be probed in it.
    public func interval(in state: DeviceState) -> Duration? {
        switch state {
        case .noDevice, .starting: whenMissing
        case .busy: nil
        default: state.isUsable ? whenIdle : whenFaulted
        }
    }
}

/// A device whose faults can be injected: simulated drivers, for demos and tests. Real
/// drivers do not conform.
public protocol FaultInjectable: Device {
    /// The fault names this device accepts (`none` clears any fault).
    var faultNames: [String] { get }
    /// Injects the fault called `name`; throws for an unknown name.
    func inject(fault name: String) async throws(DeviceFailure)
}
