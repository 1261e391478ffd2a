public import Foundation
public import Localized

/// The kinds of device a kiosk drives.
public enum DeviceKind: String, Codable, Sendable, Hashable, CaseIterable {
    case scanner
    case printer
    case cardReader = "card_reader"
}

/// A device's overall state (XFS4IoT's common status).
public enum DeviceState: String, Codable, Sendable, Hashable, CaseIterable {
    case online
    case offline
    case powerOff = "power_off"
    /// Not connected, or not found.
    case noDevice = "no_device"
    case hardwareError = "hardware_error"
    /// Needs a person: cover open, jam, paper out, wrong card…
    case userError = "user_error"
    case busy
    case starting

    /// True when the device can take work now or after it finishes the current job.
    public var isUsable: Bool { self == .online || self == .busy }
}

/// The state of the medium a device handles, where it has one.
public enum MediaState: String, Codable, Sendable, Hashable, CaseIterable {
    case paperFull = "paper_full"
    case paperLow = "paper_low"
    case paperOut = "paper_out"
    case paperJammed = "paper_jammed"
    case feederLoaded = "feeder_loaded"
    case feederEmpty = "feeder_empty"
    case cardPresent = "card_present"
    case cardAbsent = "card_absent"
    case unknown
}

/// One device's status, the same shape for every kind: the heartbeat, `kioskctl` and the
/// applicant's error screens all read this.
public struct DeviceStatus: Codable, Sendable, Hashable {
    /// The name configured in `kiosk.conf` (e.g. `scanner`).
    public var id: String
    public var kind: DeviceKind
    /// The driver behind it: `simulated`, `sane`, `cups`, `ccid`.
    public var driver: String
    /// The make and model as the device reports it, when known.
    public var model: String?
    public var state: DeviceState
    public var media: MediaState?
    /// The last problem, cleared when the device recovers.
    public var lastError: Notice?
    public var updatedAt: Date

    public init(
        id: String, kind: DeviceKind, driver: String, model: String? = nil, state: DeviceState,
        media: MediaState? = nil, lastError: Notice? = nil, updatedAt: Date = Date()
    ) {
        self.id = id
        self.kind = kind
        self.driver = driver
        self.model = model
        self.state = state
        self.media = media
        self.lastError = lastError
        self.updatedAt = updatedAt
    }
}

/// A device operation that failed: the status it leaves the device in, and the notice for
/// the person who must act.
public struct DeviceFailure: Error, Sendable, Hashable, Codable, CustomStringConvertible {
    public var state: DeviceState
    public var media: MediaState?
    public var notice: Notice

    public init(state: DeviceState, media: MediaState? = nil, notice: Notice) {
        self.state = state
        self.media = media
        self.notice = notice
    }

    public var description: String { "\(state.rawValue): \(notice)" }
}
