public import Foundation

/// `POST /v1/diagnostics`: what a technician at the operations centre needs to understand a
/// kiosk from afar — versions, devices with their last notices, the link and outbox, the
/// daemon's recent log lines. Never personal data: log lines carry none by rule, and the
/// kiosk masks any long run of digits in them.
public struct DiagnosticsBundle: Codable, Sendable, Hashable {
    public struct Device: Codable, Sendable, Hashable {
        public var id: String
        public var kind: String
        public var state: String
        public var media: String?
        public var lastNotice: String?
        /// The last notice in English, for a technician.
        public var lastNoticeText: String?

        public init(id: String, kind: String, state: String, media: String?, lastNotice: String?, lastNoticeText: String?) {
            self.id = id
            self.kind = kind
            self.state = state
            self.media = media
            self.lastNotice = lastNotice
            self.lastNoticeText = lastNoticeText
        }
    }

    public var kioskId: String
    /// The command that asked for it.
    public var commandId: Int64?
    public var createdAt: Date
    public var softwareVersion: String
    public var catalogVersion: String
    public var uptimeSeconds: Double
    /// The operating system (uname) and the libraries' versions as the kiosk knows them.
    public var system: [String: String]
    public var devices: [Device]
    public var outbox: OutboxReport
    public var maintenance: Bool
    public var freeDiskBytes: Int64
    public var recentLog: [String]

    public init(
        kioskId: String, commandId: Int64?, createdAt: Date, softwareVersion: String, catalogVersion: String, uptimeSeconds: Double,
        system: [String: String], devices: [Device], outbox: OutboxReport, maintenance: Bool, freeDiskBytes: Int64, recentLog: [String]
    ) {
        self.kioskId = kioskId
        self.commandId = commandId
        self.createdAt = createdAt
        self.softwareVersion = softwareVersion
        self.catalogVersion = catalogVersion
        self.uptimeSeconds = uptimeSeconds
        self.system = system
        self.devices = devices
        self.outbox = outbox
        self.maintenance = maintenance
        self.freeDiskBytes = freeDiskBytes
        self.recentLog = recentLog
    }

    public static let maxBytes = 1024 * 1024
}
