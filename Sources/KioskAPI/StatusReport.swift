public import StatusModel
public import Foundation
public import Localized

/// The software version of kioskd and kioskctl.
public enum KioskVersion {
    public static let current = "0.1.0"
}

/// `GET /api/v1/health`: is the daemon up.
public struct HealthReport: Codable, Sendable, Hashable {
    public var status: String
    public var kioskId: String
    public var version: String

    public init(status: String, kioskId: String, version: String) {
        self.status = status
        self.kioskId = kioskId
        self.version = version
    }
}

/// `GET /api/v1/status`: everything a technician checks first. No personal data.
public struct StatusReport: Codable, Sendable, Hashable {
    public struct Store: Codable, Sendable, Hashable {
        public var path: String
        public var journalMode: String
        public var schemaVersions: [String]

        public init(path: String, journalMode: String, schemaVersions: [String]) {
            self.path = path
            self.journalMode = journalMode
            self.schemaVersions = schemaVersions
        }
    }

    public struct Catalog: Codable, Sendable, Hashable {
        public var directory: String
        public var procedures: Int
        /// One line per rejected file: `file:line: field: message`.
        public var issues: [String]

        public init(directory: String, procedures: Int, issues: [String]) {
            self.directory = directory
            self.procedures = procedures
            self.issues = issues
        }
    }

    public var kioskId: String
    public var officeName: String
    public var version: String
    public var startedAt: Date
    public var uptimeSeconds: Double
    public var store: Store
    public var catalog: Catalog
    public var devices: [DeviceStatus]
    public var openSessions: Int
    public var sealedDossiers: Int
    /// Dossiers not yet acknowledged by the central system.
    public var outboxDepth: Int
    /// Sealed dossiers whose receipt did not print: reprint them (`kioskctl print receipt`).
    public var unprintedReceipts: [UnprintedReceipt]

    /// A sealed dossier without its printed receipt, by the reference printed on receipts.
    public struct UnprintedReceipt: Codable, Sendable, Hashable {
        public var dossier: UUID
        public var reference: String

        public init(dossier: UUID, reference: String) {
            self.dossier = dossier
            self.reference = reference
        }
    }

    public init(
        kioskId: String, officeName: String, version: String, startedAt: Date, uptimeSeconds: Double, store: Store,
        catalog: Catalog, devices: [DeviceStatus], openSessions: Int, sealedDossiers: Int, outboxDepth: Int,
        unprintedReceipts: [UnprintedReceipt] = []
    ) {
        self.kioskId = kioskId
        self.officeName = officeName
        self.version = version
        self.startedAt = startedAt
        self.uptimeSeconds = uptimeSeconds
        self.store = store
        self.catalog = catalog
        self.devices = devices
        self.openSessions = openSessions
        self.sealedDossiers = sealedDossiers
        self.outboxDepth = outboxDepth
        self.unprintedReceipts = unprintedReceipts
    }
}

/// The body of every error response: a stable code and a message in both languages; for
/// validation failures, a message per field.
public struct APIErrorBody: Codable, Sendable, Hashable {
    public var code: String
    public var message: LocalizedText
    public var fields: [String: LocalizedText]?
    /// For the technician: what the driver saw (a CUPS error, a SANE status), never personal
    /// data. kioskctl prints it instead of the applicant's wording.
    public var detail: String?

    public init(code: String, message: LocalizedText, fields: [String: LocalizedText]? = nil, detail: String? = nil) {
        self.code = code
        self.message = message
        self.fields = fields
        self.detail = detail
    }
}

/// JSON coding shared by the daemon and its clients: ISO 8601 dates.
public enum APICoding {
    public static func encoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }

    public static func decoder() -> JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return decoder
    }
}
