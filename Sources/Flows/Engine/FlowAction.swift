/// Work the daemon must carry out for a session; the result comes back as a `FlowEvent`.
public enum FlowAction: Codable, Sendable, Hashable {
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
public enum PendingAction: Codable, Sendable, Hashable {
    case readIDCard
    case scan(documentId: String)
    case print(PrintKind)
}
