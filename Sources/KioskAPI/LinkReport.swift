public import Foundation

/// `POST /api/v1/link/enrolment`: enrol this kiosk with a central (a technician's).
public struct EnrolRequest: Codable, Sendable, Hashable {
    public var central: String
    public var token: String

    public init(central: String, token: String) {
        self.central = central
        self.token = token
    }
}

/// `GET /api/v1/link`: the central link as a technician sees it.
public struct LinkReport: Codable, Sendable, Hashable {
    public var enrolled: Bool
    public var centralURL: String?
    public var kioskId: String?
    public var receivingUnit: String?
    public var enrolledAt: Date?
    /// This kiosk's Ed25519 public key (base64), as the central knows it.
    public var publicKey: String
    public var lastHeartbeatAt: Date?
    public var lastHeartbeatSequence: Int64?
    /// "ok", or why the last heartbeat failed.
    public var lastHeartbeatResult: String?
    /// The central's clock minus the kiosk's, as last learned (seconds).
    public var clockOffsetSeconds: Double
    public var heartbeatSeconds: Int
    public var lastDeliveryError: String?
    public var outboxDepth: Int
    public var outboxQuarantined: Int
    public var outboxOldestAgeSeconds: Double?

    public init(
        enrolled: Bool, centralURL: String?, kioskId: String?, receivingUnit: String?, enrolledAt: Date?, publicKey: String,
        lastHeartbeatAt: Date?, lastHeartbeatSequence: Int64?, lastHeartbeatResult: String?, clockOffsetSeconds: Double, heartbeatSeconds: Int,
        lastDeliveryError: String?, outboxDepth: Int, outboxQuarantined: Int, outboxOldestAgeSeconds: Double?
    ) {
        self.enrolled = enrolled
        self.centralURL = centralURL
        self.kioskId = kioskId
        self.receivingUnit = receivingUnit
        self.enrolledAt = enrolledAt
        self.publicKey = publicKey
        self.lastHeartbeatAt = lastHeartbeatAt
        self.lastHeartbeatSequence = lastHeartbeatSequence
        self.lastHeartbeatResult = lastHeartbeatResult
        self.clockOffsetSeconds = clockOffsetSeconds
        self.heartbeatSeconds = heartbeatSeconds
        self.lastDeliveryError = lastDeliveryError
        self.outboxDepth = outboxDepth
        self.outboxQuarantined = outboxQuarantined
        self.outboxOldestAgeSeconds = outboxOldestAgeSeconds
    }
}

/// `GET /api/v1/outbox`: one sealed dossier on its way to the central. No personal data.
public struct OutboxEntry: Codable, Sendable, Hashable {
    public var dossier: UUID
    public var reference: String
    /// pending, quarantined or delivered.
    public var state: String
    public var attempts: Int
    public var createdAt: Date
    public var nextAttemptAt: Date?
    public var lastError: String?
    public var centralCode: String?
    public var deliveredAt: Date?

    public init(
        dossier: UUID, reference: String, state: String, attempts: Int, createdAt: Date, nextAttemptAt: Date?, lastError: String?,
        centralCode: String?, deliveredAt: Date?
    ) {
        self.dossier = dossier
        self.reference = reference
        self.state = state
        self.attempts = attempts
        self.createdAt = createdAt
        self.nextAttemptAt = nextAttemptAt
        self.lastError = lastError
        self.centralCode = centralCode
        self.deliveredAt = deliveredAt
    }
}
