public import Foundation

/// `POST /v1/heartbeats`: what a kiosk says of itself, every period and soon after a device
/// changes. No personal data.
public struct Heartbeat: Codable, Sendable, Hashable {
    /// One more than the kiosk's previous heartbeat (kept across restarts).
    public var sequence: Int64
    /// The kiosk's own wall clock when it sent this.
    public var kioskTime: Date
    public var uptimeSeconds: Double
    public var softwareVersion: String
    public var catalogVersion: String
    /// The last heartbeat before a clean shutdown.
    public var goingOffline: Bool
    public var maintenance: Bool
    public var devices: [DeviceReport]
    public var sessionsActive: Int
    public var sessionsToday: Int
    public var outbox: OutboxReport
    public var freeDiskBytes: Int64
    /// The highest command id the kiosk has handled.
    public var lastCommandId: Int64
    public var commandResults: [CommandResult]

    public init(
        sequence: Int64, kioskTime: Date, uptimeSeconds: Double, softwareVersion: String, catalogVersion: String,
        goingOffline: Bool, maintenance: Bool, devices: [DeviceReport], sessionsActive: Int, sessionsToday: Int,
        outbox: OutboxReport, freeDiskBytes: Int64, lastCommandId: Int64, commandResults: [CommandResult]
    ) {
        self.sequence = sequence
        self.kioskTime = kioskTime
        self.uptimeSeconds = uptimeSeconds
        self.softwareVersion = softwareVersion
        self.catalogVersion = catalogVersion
        self.goingOffline = goingOffline
        self.maintenance = maintenance
        self.devices = devices
        self.sessionsActive = sessionsActive
        self.sessionsToday = sessionsToday
        self.outbox = outbox
        self.freeDiskBytes = freeDiskBytes
        self.lastCommandId = lastCommandId
        self.commandResults = commandResults
    }
}

/// One device as a heartbeat reports it.
public struct DeviceReport: Codable, Sendable, Hashable {
    public var id: String
    public var kind: String
    /// ready, busy, offline, fault… (the kiosk's status model).
    public var state: String
    /// Paper or media: ok, low, out (printers); nil when the device has none.
    public var media: String?
    /// The code of the device's last notice (printer.paper_out…).
    public var lastNotice: String?

    public init(id: String, kind: String, state: String, media: String? = nil, lastNotice: String? = nil) {
        self.id = id
        self.kind = kind
        self.state = state
        self.media = media
        self.lastNotice = lastNotice
    }
}

/// The outbox as a heartbeat reports it.
public struct OutboxReport: Codable, Sendable, Hashable {
    public var depth: Int
    public var oldestAgeSeconds: Double?
    public var quarantined: Int
    public var lastError: String?

    public init(depth: Int, oldestAgeSeconds: Double?, quarantined: Int, lastError: String?) {
        self.depth = depth
        self.oldestAgeSeconds = oldestAgeSeconds
        self.quarantined = quarantined
        self.lastError = lastError
    }
}

/// The central's answer to a heartbeat.
public struct HeartbeatReply: Codable, Sendable, Hashable {
    public var serverTime: Date
    /// The period the central wants.
    public var heartbeatSeconds: Int
    public var commands: [SignedCommand]

    public init(serverTime: Date, heartbeatSeconds: Int, commands: [SignedCommand]) {
        self.serverTime = serverTime
        self.heartbeatSeconds = heartbeatSeconds
        self.commands = commands
    }
}
