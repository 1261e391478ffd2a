public import Flows
public import Foundation

/// `PUT /v1/dossiers/{clientUUID}`: what a dossier holds, sent before its files. Its SHA-256,
/// over the exact bytes sent, is what the acknowledgement echoes.
public struct DossierManifest: Codable, Sendable, Hashable {
    public var clientUUID: UUID
    public var kioskId: String
    public var catalogVersion: String
    public var dossier: Dossier
    public var files: [ManifestFile]

    public init(clientUUID: UUID, kioskId: String, catalogVersion: String, dossier: Dossier, files: [ManifestFile]) {
        self.clientUUID = clientUUID
        self.kioskId = kioskId
        self.catalogVersion = catalogVersion
        self.dossier = dossier
        self.files = files
    }

    /// Longest manifest accepted (answers and names; the files travel on their own).
    public static let maxBytes = 1_000_000
}

/// One file of a dossier: a document's PDF.
public struct ManifestFile: Codable, Sendable, Hashable {
    /// `[a-z0-9_.-]`, unique in the dossier (the document id and `.pdf`).
    public var name: String
    /// Lowercase hex.
    public var sha256: String
    public var bytes: Int
    public var mediaType: String

    public init(name: String, sha256: String, bytes: Int, mediaType: String = "application/pdf") {
        self.name = name
        self.sha256 = sha256
        self.bytes = bytes
        self.mediaType = mediaType
    }

    public static func isValidName(_ name: String) -> Bool {
        !name.isEmpty && name.count <= 100 && name.first != "."
            && name.unicodeScalars.allSatisfy { ($0 >= "a" && $0 <= "z") || ($0 >= "0" && $0 <= "9") || "_.-".unicodeScalars.contains($0) }
    }
}

/// What the central holds of a dossier: the answer to a manifest, to a chunk and to a commit
/// that cannot complete yet. A kiosk resumes each file at `received`.
public struct IntakeState: Codable, Sendable, Hashable {
    public var clientUUID: UUID
    public var manifestSHA256: String
    public var files: [FileProgress]
    /// Present once the dossier is acknowledged (a manifest sent again after a lost answer).
    public var acknowledgement: Acknowledgement?

    public init(clientUUID: UUID, manifestSHA256: String, files: [FileProgress], acknowledgement: Acknowledgement?) {
        self.clientUUID = clientUUID
        self.manifestSHA256 = manifestSHA256
        self.files = files
        self.acknowledgement = acknowledgement
    }
}

public struct FileProgress: Codable, Sendable, Hashable {
    public var name: String
    public var received: Int

    public init(name: String, received: Int) {
        self.name = name
        self.received = received
    }
}

/// `POST /v1/dossiers/{clientUUID}/commit`'s answer: the central has the dossier, whole.
/// A kiosk counts a dossier delivered on this alone, and only when it echoes its UUID and its
/// manifest's hash (a captive portal's bare 200 does not).
public struct Acknowledgement: Codable, Sendable, Hashable {
    public var clientUUID: UUID
    public var manifestSHA256: String
    /// The dossier code (mã hồ sơ), V1V2V3.Z1Z2.Y1Y2.MX1X2-YYMMDD-XXXX.
    public var centralCode: String
    public var receivedAt: Date

    public init(clientUUID: UUID, manifestSHA256: String, centralCode: String, receivedAt: Date) {
        self.clientUUID = clientUUID
        self.manifestSHA256 = manifestSHA256
        self.centralCode = centralCode
        self.receivedAt = receivedAt
    }

    /// Whether this acknowledges the manifest `sha256` of dossier `clientUUID`.
    public func acknowledges(_ clientUUID: UUID, manifestSHA256 sha256: String) -> Bool {
        self.clientUUID == clientUUID && manifestSHA256 == sha256 && DossierCode.isValid(centralCode)
    }
}

/// The official dossier code of Thông tư 01/2018/TT-VPCP, Art. 19.
public enum DossierCode {
    /// `000.00.31.H29`: three digits, two, two, a letter and two digits.
    public static func isValidUnit(_ unit: String) -> Bool {
        let parts = unit.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4 else { return false }
        let digits = { (s: Substring, n: Int) in s.count == n && s.allSatisfy { $0.isASCII && $0.isNumber } }
        return digits(parts[0], 3) && digits(parts[1], 2) && digits(parts[2], 2) && parts[3].count == 3
            && parts[3].first!.isASCII && parts[3].first!.isUppercase && digits(parts[3].dropFirst(), 2)
    }

    /// `unit-YYMMDD-XXXX`.
    public static func make(unit: String, day: CivilDate, sequence: Int) -> String {
        String(format: "%@-%02d%02d%02d-%04d", unit, day.year % 100, day.month, day.day, sequence)
    }

    public static func isValid(_ code: String) -> Bool {
        let parts = code.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, isValidUnit(String(parts[0])) else { return false }
        return parts[1].count == 6 && parts[1].allSatisfy { $0.isASCII && $0.isNumber } && parts[2].count >= 4
            && parts[2].allSatisfy { $0.isASCII && $0.isNumber }
    }
}
