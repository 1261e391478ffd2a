public import Foundation

/// `POST /v1/enrolments`: a kiosk registers its public key with a one-time token. The request
/// is signed with the key it registers (proof of possession; `keyid` is the kiosk id).
public struct EnrolmentRequest: Codable, Sendable, Hashable {
    public var token: String
    public var kioskId: String
    public var publicKey: VerifyingKey
    public var softwareVersion: String

    public init(token: String, kioskId: String, publicKey: VerifyingKey, softwareVersion: String) {
        self.token = token
        self.kioskId = kioskId
        self.publicKey = publicKey
        self.softwareVersion = softwareVersion
    }
}

/// The central's answer to an enrolment: who the kiosk is now, and the key its commands are
/// signed with (the kiosk pins it).
public struct EnrolmentResponse: Codable, Sendable, Hashable {
    public var kioskId: String
    public var centralKey: VerifyingKey
    public var heartbeatSeconds: Int
    /// The receiving unit's code (V1V2V3.Z1Z2.Y1Y2.MX1X2) in the kiosk's dossier codes.
    public var receivingUnit: String
    public var serverTime: Date

    public init(kioskId: String, centralKey: VerifyingKey, heartbeatSeconds: Int, receivingUnit: String, serverTime: Date) {
        self.kioskId = kioskId
        self.centralKey = centralKey
        self.heartbeatSeconds = heartbeatSeconds
        self.receivingUnit = receivingUnit
        self.serverTime = serverTime
    }
}

/// The central API's paths.
public enum CentralPaths {
    public static let enrolments = "/v1/enrolments"
    public static let heartbeats = "/v1/heartbeats"
    public static func dossier(_ id: UUID) -> String { "/v1/dossiers/\(id.uuidString.lowercased())" }
    public static func file(_ id: UUID, _ name: String) -> String { dossier(id) + "/files/" + name }
    public static func commit(_ id: UUID) -> String { dossier(id) + "/commit" }
    public static let fleet = "/v1/fleet"
    public static let dossiers = "/v1/dossiers"
    public static func catalogBundle(_ sha256: String) -> String { "/v1/catalog-bundles/\(sha256)" }
    public static let diagnostics = "/v1/diagnostics"
}

/// JSON as both ends write it: ISO 8601 dates, sorted keys (a manifest's bytes are stable).
public enum CentralCoding {
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
