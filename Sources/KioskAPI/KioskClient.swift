public import Foundation
import Localized
public import StatusModel

/// A client of kioskd's technician channel (its Unix socket), as used by kioskctl.
public struct KioskClient: Sendable {
    public var socket: String
    public var timeout: TimeInterval

    /// Why a call failed, worded for a technician.
    public enum Failure: Error, CustomStringConvertible {
        /// Nothing answered on the socket: the daemon is not running, listens elsewhere, or
        /// the user may not use it.
        case unreachable(String)
        /// The daemon answered with an error.
        case refused(status: Int, APIErrorBody?)
        /// The answer was not what this version of kioskctl expects.
        case unreadable(String)

        public var description: String {
            switch self {
            case .unreachable(let why): "kioskd is not reachable: \(why)"
            case .refused(let status, let body):
                "kioskd answered HTTP \(status): \(body.map { "\($0.code): \($0.detail ?? $0.message.en)" } ?? "no details")"
            case .unreadable(let why): "kioskd's answer could not be read: \(why)"
            }
        }
    }

    /// `socket`: kioskd's `technician.socket`.
    public init(socket: String, timeout: TimeInterval = 5) {
        self.socket = socket
        self.timeout = timeout
    }

    public func health() async throws(Failure) -> HealthReport { try await get("api/v1/health") }

    public func status() async throws(Failure) -> StatusReport { try await get("api/v1/status") }

    /// Reprints a sealed dossier's receipt or declaration; returns once it printed.
    /// `dossier`: its UUID, or the reference printed on its receipt.
    public func print(dossier: String, kind: String) async throws(Failure) -> PrintReport {
        let body = (try? APICoding.encoder().encode(PrintRequest(kind: kind))) ?? Data()
        return try await get("api/v1/dossiers/\(Self.segment(dossier))/print", method: "POST", body: body, timeout: max(timeout, 90))
    }

    /// Issues a queue ticket (the queue is a catalog field's id) and prints it on the kiosk.
    public func issueTicket(queue: String, priority: String) async throws(Failure) -> QueueTicketReport {
        let body = (try? APICoding.encoder().encode(QueueTicketRequest(priority: priority))) ?? Data()
        return try await get("api/v1/queues/\(Self.segment(queue))/tickets", method: "POST", body: body, timeout: max(timeout, 90))
    }

    func get<T: Decodable>(_ path: String, method: String = "GET", body: Data? = nil, timeout: TimeInterval? = nil) async throws(Failure) -> T {
        let answer: UnixSocketHTTP.Answer
        do {
            answer = try await UnixSocketHTTP(socketPath: socket).send(method, "/" + path, body: body, timeout: timeout ?? self.timeout)
        } catch {
            throw .unreachable(error.description)
        }
        guard (200..<300).contains(answer.status) else {
            throw .refused(status: answer.status, try? APICoding.decoder().decode(APIErrorBody.self, from: answer.body))
        }
        do {
            return try APICoding.decoder().decode(T.self, from: answer.body)
        } catch {
            throw .unreadable(String(describing: error))
        }
    }

    /// A path segment with anything but unreserved characters percent-encoded.
    static func segment(_ text: String) -> String {
        text.addingPercentEncoding(
            withAllowedCharacters: CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")) ?? ""
    }
}

extension KioskClient {
    /// Enrols the kiosk with a central; kioskd makes the request with its own key.
    public func enrol(central: String, token: String) async throws(Failure) -> LinkReport {
        let body = (try? APICoding.encoder().encode(EnrolRequest(central: central, token: token))) ?? Data()
        return try await get("api/v1/link/enrolment", method: "POST", body: body, timeout: max(timeout, 40))
    }

    public func link() async throws(Failure) -> LinkReport { try await get("api/v1/link") }

    /// The outbox's rows, oldest first (delivered ones too, the most recent 200).
    public func outbox() async throws(Failure) -> [OutboxEntry] { try await get("api/v1/outbox") }

    /// `action`: retry (due now) or release (out of quarantine).
    public func outbox(_ action: String, dossier: UUID) async throws(Failure) -> OutboxEntry {
        try await get("api/v1/outbox/\(dossier.uuidString)/\(Self.segment(action))", method: "POST", body: Data("{}".utf8))
    }
}

extension KioskClient {
    public func devices() async throws(Failure) -> [DeviceStatus] { try await get("api/v1/devices") }

    public func sessions() async throws(Failure) -> [OpenSessionSummary] { try await get("api/v1/sessions") }

    public func abandon(session: UUID) async throws(Failure) -> AbandonReport {
        try await get("api/v1/sessions/\(session.uuidString)/abandon", method: "POST", body: Data("{}".utf8))
    }

    public func logs(lines: Int) async throws(Failure) -> LogLines { try await get("api/v1/logs?lines=\(lines)") }

    /// The last `lines` log lines, then each new one as kioskd logs it, until cancelled.
    public func followLogs(lines: Int, _ each: @escaping (String) async throws -> Void) async throws(Failure) {
        var status = 0
        var pending = Data()
        do {
            try await UnixSocketHTTP(socketPath: socket).stream(
                "GET", "/api/v1/logs?follow&lines=\(lines)", head: { status = $0 },
                chunk: { data in
                    pending.append(data)
                    while let newline = pending.firstIndex(of: 0x0A) {
                        let line = String(decoding: pending[pending.startIndex..<newline], as: UTF8.self)
                        pending.removeSubrange(pending.startIndex...newline)
                        if (200..<300).contains(status) { try await each(line) }
                    }
                })
        } catch {
            throw .unreachable(error.description)
        }
        guard (200..<300).contains(status) else {
            throw .refused(status: status, try? APICoding.decoder().decode(APIErrorBody.self, from: pending))
        }
    }

    public func maintenance() async throws(Failure) -> MaintenanceState { try await get("api/v1/maintenance") }

    public func setMaintenance(_ on: Bool) async throws(Failure) -> MaintenanceState {
        let body = (try? APICoding.encoder().encode(MaintenanceRequest(on: on))) ?? Data()
        return try await get("api/v1/maintenance", method: "PUT", body: body)
    }

    /// One device's self-test; an external one prints and scans, so it may take minutes.
    public func selfTest(device: String, level: SelfTestLevel) async throws(Failure) -> SelfTestResult {
        let body = (try? APICoding.encoder().encode(SelfTestRequest(device: device, level: level))) ?? Data()
        return try await get("api/v1/selftests", method: "POST", body: body, timeout: max(timeout, 300))
    }

    public func diagnostics() async throws(Failure) -> DiagnosticsReport { try await get("api/v1/diagnostics", timeout: max(timeout, 30)) }
}
