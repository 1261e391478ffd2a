public import Foundation

/// A command from the central to one kiosk.
public struct RemoteCommand: Codable, Sendable, Hashable {
    public enum Kind: String, Codable, Sendable, CaseIterable {
        case maintenanceOn = "maintenance.on"
        case maintenanceOff = "maintenance.off"
        case catalogUpdate = "catalog.update"
        case testPrint = "printer.test"
        case selfTest = "devices.selftest"
        case reprintReceipt = "dossier.reprint_receipt"
        case restart = "kioskd.restart"
        case uploadDiagnostics = "diagnostics.upload"
    }

    public var kioskId: String
    /// Grows with every command the central issues to this kiosk.
    public var id: Int64
    public var kind: Kind
    public var arguments: [String: String]
    public var issuedAt: Date
    /// How old the command was when the central sent it: the kiosk adds the time since it
    /// arrived, on its own monotonic clock, and refuses it past ten minutes.
    public var ageSeconds: Double

    public init(kioskId: String, id: Int64, kind: Kind, arguments: [String: String], issuedAt: Date, ageSeconds: Double) {
        self.kioskId = kioskId
        self.id = id
        self.kind = kind
        self.arguments = arguments
        self.issuedAt = issuedAt
        self.ageSeconds = ageSeconds
    }

    public static let lifetimeSeconds: Double = 600
}

/// A command as sent: the exact JSON bytes of a `RemoteCommand` and the central's Ed25519
/// signature of them.
public struct SignedCommand: Codable, Sendable, Hashable {
    public var payload: Data
    public var signature: Data

    public init(payload: Data, signature: Data) {
        self.payload = payload
        self.signature = signature
    }

    public init(_ command: RemoteCommand, key: SigningKey) throws {
        payload = try CentralCoding.encoder().encode(command)
        signature = try key.signature(for: payload)
    }

    /// The command, when `key` signed it.
    public func verified(with key: VerifyingKey) -> RemoteCommand? {
        guard key.isValidSignature(signature, for: payload) else { return nil }
        return try? CentralCoding.decoder().decode(RemoteCommand.self, from: payload)
    }
}

/// What became of a command, reported on the next heartbeat.
public struct CommandResult: Codable, Sendable, Hashable {
    public enum Outcome: String, Codable, Sendable {
        case done, failed, refused
    }

    public var id: Int64
    public var outcome: Outcome
    /// Why, for a technician: "expired: 734 s old", "forged: bad signature"…
    public var detail: String
    public var finishedAt: Date

    public init(id: Int64, outcome: Outcome, detail: String, finishedAt: Date) {
        self.id = id
        self.outcome = outcome
        self.detail = detail
        self.finishedAt = finishedAt
    }
}
