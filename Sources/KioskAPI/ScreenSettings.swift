public import Localized

/// `GET /api/v1/screen`: what the applicant's screen needs to know about this kiosk before
/// anyone touches it.
public struct ScreenSettings: Codable, Sendable {
    public var kioskId: String
    public var officeName: String
    public var agency: String
    /// A session with no touch for this long ends; the screen warns before (WCAG 2.2.1).
    public var idleTimeoutSeconds: Int
    public var languages: [Language]
    public var defaultLanguage: Language

    public init(
        kioskId: String, officeName: String, agency: String, idleTimeoutSeconds: Int, languages: [Language], defaultLanguage: Language
    ) {
        self.kioskId = kioskId
        self.officeName = officeName
        self.agency = agency
        self.idleTimeoutSeconds = idleTimeoutSeconds
        self.languages = languages
        self.defaultLanguage = defaultLanguage
    }
}
