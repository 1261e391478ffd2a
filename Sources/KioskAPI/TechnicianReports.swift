public import Foundation

// What the technician's channel (kioskd's Unix socket, kioskctl) answers besides the status
// report. None of it carries personal data: no name, number, date of birth or answer.

/// `GET /api/v1/sessions`: one open session, as a technician sees it.
public struct OpenSessionSummary: Codable, Sendable, Hashable {
    public var id: UUID
    /// The procedure's code, once chosen.
    public var procedure: String?
    public var step: String
    public var language: String
    public var startedAt: Date
    public var idleSeconds: Double
    /// A device action under way (scan, card read, print), if any.
    public var deviceAction: String?

    public init(
        id: UUID, procedure: String?, step: String, language: String, startedAt: Date, idleSeconds: Double, deviceAction: String?
    ) {
        self.id = id
        self.procedure = procedure
        self.step = step
        self.language = language
        self.startedAt = startedAt
        self.idleSeconds = idleSeconds
        self.deviceAction = deviceAction
    }
}

/// `POST /api/v1/sessions/{id}/abandon`: the session, ended.
public struct AbandonReport: Codable, Sendable, Hashable {
    public var id: UUID
    /// The step it was at when the technician ended it.
    public var step: String

    public init(id: UUID, step: String) {
        self.id = id
        self.step = step
    }
}

/// `GET` / `PUT /api/v1/maintenance`.
public struct MaintenanceState: Codable, Sendable, Hashable {
    public var on: Bool
    /// Applicants still filing (maintenance lets them finish).
    public var openSessions: Int

    public init(on: Bool, openSessions: Int) {
        self.on = on
        self.openSessions = openSessions
    }
}

public struct MaintenanceRequest: Codable, Sendable, Hashable {
    public var on: Bool
    public init(on: Bool) { self.on = on }
}

/// `GET /api/v1/logs`: kioskd's recent log lines, oldest first (digit runs of 9 or more
/// masked, as a second guard against personal data).
public struct LogLines: Codable, Sendable, Hashable {
    public var lines: [String]
    public init(lines: [String]) { self.lines = lines }
}

/// How far a self-test goes; each level includes the ones before it.
public enum SelfTestLevel: String, Codable, Sendable, CaseIterable, Comparable {
    /// Each device is probed and its state judged; nothing moves.
    case `internal`
    /// Also a test page printed and one A4 page scanned (its size checked).
    case external
    /// Also what needs the technician's hands: a card placed on the reader (the technician
    /// judges the printed page and the scan at kioskctl's prompts).
    case interactive

    public static func < (a: Self, b: Self) -> Bool { allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)! }
}

/// `POST /api/v1/selftests`: one device's self-test.
public struct SelfTestRequest: Codable, Sendable, Hashable {
    public var device: String
    public var level: SelfTestLevel

    public init(device: String, level: SelfTestLevel) {
        self.device = device
        self.level = level
    }
}

public struct SelfTestResult: Codable, Sendable, Hashable {
    public struct Check: Codable, Sendable, Hashable {
        public var name: String
        public var passed: Bool
        public var detail: String

        public init(name: String, passed: Bool, detail: String) {
            self.name = name
            self.passed = passed
            self.detail = detail
        }
    }

    public var device: String
    public var kind: String
    public var level: SelfTestLevel
    public var passed: Bool
    /// The device's state after the test.
    public var state: String
    public var checks: [Check]
    public var seconds: Double

    public init(device: String, kind: String, level: SelfTestLevel, passed: Bool, state: String, checks: [Check], seconds: Double) {
        self.device = device
        self.kind = kind
        self.level = level
        self.passed = passed
        self.state = state
        self.checks = checks
        self.seconds = seconds
    }
}

/// `GET /api/v1/diagnostics`: what `kioskctl diagnostics -o FILE` writes for a technician to
/// send on: versions, the settings in effect (secrets masked), the status report, the central
/// link, and the recent log. No personal data.
public struct DiagnosticsReport: Codable, Sendable, Hashable {
    public struct Setting: Codable, Sendable, Hashable {
        public var key: String
        public var value: String
        public init(key: String, value: String) {
            self.key = key
            self.value = value
        }
    }

    public var createdAt: Date
    public var version: String
    /// Operating system, kernel, machine.
    public var system: [String: String]
    public var settings: [Setting]
    public var status: StatusReport
    public var link: LinkReport
    public var maintenance: Bool
    public var recentLog: [String]

    public init(
        createdAt: Date, version: String, system: [String: String], settings: [Setting], status: StatusReport, link: LinkReport,
        maintenance: Bool, recentLog: [String]
    ) {
        self.createdAt = createdAt
        self.version = version
        self.system = system
        self.settings = settings
        self.status = status
        self.link = link
        self.maintenance = maintenance
        self.recentLog = recentLog
    }
}
