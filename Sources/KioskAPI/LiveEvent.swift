public import Flows
public import Foundation
public import StatusModel

/// Something the kiosk screen should hear about at once. Carries no personal data: a screen
/// that needs more fetches `GET /sessions/{id}`.
public enum LiveEvent: Sendable, Encodable {
    case session(SessionChange)
    case device(DeviceStatus)
    case scanProgress(ScanProgressEvent)
    /// The central acknowledged a session's dossier and gave it its dossier code.
    case dossierDelivered(DossierDelivered)

    public struct DossierDelivered: Sendable, Codable {
        public var sessionId: UUID
        public var dossier: UUID
        /// The official dossier code (mã hồ sơ), to show in place of the provisional reference.
        public var centralCode: String

        public init(sessionId: UUID, dossier: UUID, centralCode: String) {
            self.sessionId = sessionId
            self.dossier = dossier
            self.centralCode = centralCode
        }
    }

    public struct SessionChange: Sendable, Codable {
        public var sessionId: UUID
        public var step: Step
        public var status: SessionStatus
        public var pending: PendingAction?
        public var noticeCode: String?

        public init(sessionId: UUID, step: Step, status: SessionStatus, pending: PendingAction?, noticeCode: String?) {
            self.sessionId = sessionId
            self.step = step
            self.status = status
            self.pending = pending
            self.noticeCode = noticeCode
        }
    }

    public struct ScanProgressEvent: Sendable, Codable {
        public var sessionId: UUID
        public var documentId: String
        public var page: Int
        public var fraction: Double

        public init(sessionId: UUID, documentId: String, page: Int, fraction: Double) {
            self.sessionId = sessionId
            self.documentId = documentId
            self.page = page
            self.fraction = fraction
        }
    }

    /// The SSE event name.
    public var name: String {
        switch self {
        case .session: "session"
        case .device: "device"
        case .scanProgress: "scan_progress"
        case .dossierDelivered: "dossier_delivered"
        }
    }

    /// The session the event concerns, if any.
    public var sessionId: UUID? {
        switch self {
        case .session(let change): change.sessionId
        case .scanProgress(let progress): progress.sessionId
        case .dossierDelivered(let delivered): delivered.sessionId
        case .device: nil
        }
    }

    public func encode(to encoder: any Encoder) throws {
        switch self {
        case .session(let change): try change.encode(to: encoder)
        case .device(let status): try status.encode(to: encoder)
        case .scanProgress(let progress): try progress.encode(to: encoder)
        case .dossierDelivered(let delivered): try delivered.encode(to: encoder)
        }
    }
}
