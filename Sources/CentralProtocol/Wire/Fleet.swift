public import Foundation
public import Localized

/// `GET /v1/fleet`: every kiosk as the operations centre sees it.
public struct FleetReport: Codable, Sendable, Hashable {
    public var serverTime: Date
    public var kiosks: [FleetKiosk]

    public init(serverTime: Date, kiosks: [FleetKiosk]) {
        self.serverTime = serverTime
        self.kiosks = kiosks
    }
}

public struct FleetKiosk: Codable, Sendable, Hashable {
    public var kioskId: String
    public var receivingUnit: String
    public var enrolledAt: Date
    public var revoked: Bool
    public var lastSeen: Date?
    /// Seen within three heartbeat periods, and not gone offline.
    public var online: Bool
    public var wentOffline: Bool
    public var lastSequence: Int64?
    public var softwareVersion: String?
    public var catalogVersion: String?
    /// The kiosk's clock minus the central's, when last seen.
    public var clockSkewSeconds: Double?
    public var maintenance: Bool
    /// paper_low, paper_out, jam, reader_missing, outbox_old, clock_skew…: what needs a person.
    public var alerts: [String]
    public var devices: [DeviceReport]
    public var outboxDepth: Int?
    public var outboxOldestAgeSeconds: Double?
    public var lastDeliveryError: String?
    public var freeDiskBytes: Int64?

    public init(
        kioskId: String, receivingUnit: String, enrolledAt: Date, revoked: Bool, lastSeen: Date?, online: Bool, wentOffline: Bool,
        lastSequence: Int64?, softwareVersion: String?, catalogVersion: String?, clockSkewSeconds: Double?, maintenance: Bool,
        alerts: [String], devices: [DeviceReport], outboxDepth: Int?, outboxOldestAgeSeconds: Double?, lastDeliveryError: String?,
        freeDiskBytes: Int64?
    ) {
        self.kioskId = kioskId
        self.receivingUnit = receivingUnit
        self.enrolledAt = enrolledAt
        self.revoked = revoked
        self.lastSeen = lastSeen
        self.online = online
        self.wentOffline = wentOffline
        self.lastSequence = lastSequence
        self.softwareVersion = softwareVersion
        self.catalogVersion = catalogVersion
        self.clockSkewSeconds = clockSkewSeconds
        self.maintenance = maintenance
        self.alerts = alerts
        self.devices = devices
        self.outboxDepth = outboxDepth
        self.outboxOldestAgeSeconds = outboxOldestAgeSeconds
        self.lastDeliveryError = lastDeliveryError
        self.freeDiskBytes = freeDiskBytes
    }
}

/// `GET /v1/dossiers`: dossiers received, newest first.
public struct ReceivedDossier: Codable, Sendable, Hashable {
    public var centralCode: String
    public var clientUUID: UUID
    public var kioskId: String
    public var procedureCode: String
    public var receivedAt: Date
    public var files: [ManifestFile]

    public init(centralCode: String, clientUUID: UUID, kioskId: String, procedureCode: String, receivedAt: Date, files: [ManifestFile]) {
        self.centralCode = centralCode
        self.clientUUID = clientUUID
        self.kioskId = kioskId
        self.procedureCode = procedureCode
        self.receivedAt = receivedAt
        self.files = files
    }
}

/// Every error the central answers: a code a program can act on, words for people, and what
/// the kiosk needs to recover (the server's time after a skewed signature; the intake state
/// after a chunk at the wrong offset).
public struct CentralErrorBody: Codable, Sendable, Hashable {
    public var code: String
    public var message: LocalizedText
    public var detail: String?
    public var serverTime: Date?
    public var state: IntakeState?

    public init(code: String, message: LocalizedText, detail: String? = nil, serverTime: Date? = nil, state: IntakeState? = nil) {
        self.code = code
        self.message = message
        self.detail = detail
        self.serverTime = serverTime
        self.state = state
    }
}
