/// Work the daemon must carry out for a session; the result comes back as a `FlowEvent`.
public enum FlowAction: Sendable, Hashable {
    /// Read the ID card on the card reader; answer `.cardRead` or `.cardReadFailed`.
    case readIDCard
    /// Scan one required document; answer `.pagesScanned` or `.scanFailed`.
    case scan(documentId: String, profile: ScanProfile)
    /// Stop the device action in flight (the applicant cancelled it).
    case cancelDeviceAction
    /// Print a document; answer `.printed` or `.printFailed`.
    case print(PrintKind)
    /// The session is over: clear the screen for the next applicant.
    case endSession
}

/// The documents a flow prints.
public enum PrintKind: String, Codable, Sendable, Hashable, CaseIterable {
    /// The receipt and appointment slip (Giấy tiếp nhận hồ sơ và hẹn trả kết quả).
    case receipt
    /// The declaration, for the applicant to sign.
    case declaration
}

/// The device action a session is waiting for; at most one at a time.
///
/// In JSON: `{"type": "read_id_card"}`, `{"type": "scan", "documentId": "…"}`,
/// `{"type": "print", "kind": "receipt"}`.
public enum PendingAction: Codable, Sendable, Hashable {
    case readIDCard
    case scan(documentId: String)
    case print(PrintKind)

    private enum Key: String, CodingKey { case type, documentId, kind }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: Key.self)
        switch try c.decode(String.self, forKey: .type) {
        case "read_id_card": self = .readIDCard
        case "scan": self = .scan(documentId: try c.decode(String.self, forKey: .documentId))
        case "print": self = .print(try c.decode(PrintKind.self, forKey: .kind))
        case let other: throw DecodingError.dataCorruptedError(forKey: .type, in: c, debugDescription: "unknown pending action \(other)")
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: Key.self)
        switch self {
        case .readIDCard: try c.encode("read_id_card", forKey: .type)
        case .scan(let documentId):
            try c.encode("scan", forKey: .type)
            try c.encode(documentId, forKey: .documentId)
        case .print(let kind):
            try c.encode("print", forKey: .type)
            try c.encode(kind, forKey: .kind)
        }
    }
}
