/// A language the kiosk screen can be shown in. Vietnamese is the default everywhere.
public enum Language: String, Codable, Sendable, CaseIterable, Hashable {
    case vi
    case en
}

/// A text in Vietnamese and English.
///
/// Every message an applicant or a technician may read carries both languages, so that
/// the screen can switch language without asking the daemon again.
public struct LocalizedText: Codable, Sendable, Hashable, CustomStringConvertible {
    /// Vietnamese, the kiosk's first language.
    public var vi: String
    /// English.
    public var en: String

    public init(vi: String, en: String) {
        self.vi = vi
        self.en = en
    }

    /// The text in `language`.
    public func text(in language: Language) -> String {
        switch language {
        case .vi: vi
        case .en: en
        }
    }

    /// Both languages on one line, Vietnamese first: for technicians' logs and CLI output.
    public var description: String { vi == en ? vi : "\(vi) / \(en)" }
}

/// Who must act to clear a problem (after XFS4IoT's error events).
public enum NoticeActor: String, Codable, Sendable, Hashable {
    /// The person at the screen can fix it (put the card back, load the page again).
    case applicant
    /// Office staff can fix it (add paper, clear a jam).
    case staff
    /// A technician is needed (device unplugged, hardware fault, configuration).
    case technician
}
