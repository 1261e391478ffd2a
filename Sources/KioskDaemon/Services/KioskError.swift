import Localized

/// What the kiosk's services refuse, in the domain's words: which thing, and why. The HTTP
/// layer maps each to a status and the API's `{code, message:{vi,en}}` body
/// (`JSONErrorMiddleware`); the services know nothing of HTTP.
enum KioskError: Error, Sendable {
    case sessionNotFound
    case dossierNotFound
    case procedureNotFound(String)
    /// No catalog field has this queue's name; `known` lists the ones that do.
    case queueNotFound(String, known: [String])
    case queueEmpty(LocalizedText)
    /// Only simulated devices take injected faults.
    case deviceNotSimulated(String)
    /// A request that names a value the kiosk does not know (a print kind, a priority).
    case invalidValue(field: String, expected: String)
    /// A device refused or failed (printer out of paper during a technician's reprint).
    case device(Notice)
    /// A device refused the request itself (an unknown fault name).
    case deviceRefused(Notice)
    /// What only a technician may see or do, asked on the applicant's API.
    case technicianOnly(String)
    /// A central's address the kiosk will not use, and why.
    case invalidCentralURL(String, String)
    /// The central refused or could not be reached while enrolling (its words in `detail`).
    case enrolmentFailed(code: String, detail: String)
    /// No outbox row waits with this dossier id (or it is not in the state asked for).
    case outboxRowNotFound
    /// Maintenance mode: no new session until it is off.
    case outOfService
}
