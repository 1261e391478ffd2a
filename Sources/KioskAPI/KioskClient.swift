public import Foundation
import Localized
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// A client of kioskd's local API, as used by kioskctl.
public struct KioskClient: Sendable {
    public var baseURL: URL
    public var timeout: TimeInterval

    /// Why a call failed, worded for a technician.
    public enum Failure: Error, CustomStringConvertible {
        /// Nothing answered at the address: the daemon is not running, or listens elsewhere.
        case unreachable(URL, String)
        /// The daemon answered with an error.
        case refused(status: Int, APIErrorBody?)
        /// The answer was not what this version of kioskctl expects.
        case unreadable(String)

        public var description: String {
            switch self {
            case .unreachable(let url, let why):
                "kioskd is not reachable at \(url.absoluteString) (\(why)). Is it running? Check `api.listen` in kiosk.conf."
            case .refused(let status, let body):
                "kioskd answered HTTP \(status): \(body.map { "\($0.code): \($0.detail ?? $0.message.en)" } ?? "no details")"
            case .unreadable(let why): "kioskd's answer could not be read: \(why)"
            }
        }
    }

    public init(baseURL: URL, timeout: TimeInterval = 5) {
        self.baseURL = baseURL
        self.timeout = timeout
    }

    public func health() async throws(Failure) -> HealthReport { try await get("api/v1/health") }

    public func status() async throws(Failure) -> StatusReport { try await get("api/v1/status") }

    /// Reprints a sealed dossier's receipt or declaration; returns once it printed.
    /// `dossier`: its UUID, or the reference printed on its receipt.
    public func print(dossier: String, kind: String) async throws(Failure) -> PrintReport {
        let body = (try? APICoding.encoder().encode(PrintRequest(kind: kind))) ?? Data()
        return try await get("api/v1/dossiers/\(dossier)/print", method: "POST", body: body, timeout: max(timeout, 90))
    }

    /// Issues a queue ticket (the queue is a catalog field's id) and prints it on the kiosk.
    public func issueTicket(queue: String, priority: String) async throws(Failure) -> QueueTicketReport {
        let body = (try? APICoding.encoder().encode(QueueTicketRequest(priority: priority))) ?? Data()
        return try await get("api/v1/queues/\(queue)/tickets", method: "POST", body: body, timeout: max(timeout, 90))
    }

    func get<T: Decodable>(_ path: String, method: String = "GET", body: Data? = nil, timeout: TimeInterval? = nil) async throws(Failure) -> T {
        var request = URLRequest(url: baseURL.appendingPathComponent(path))
        request.timeoutInterval = timeout ?? self.timeout
        request.httpMethod = method
        if let body {
            request.httpBody = body
            request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        }
        let data: Data
        let response: URLResponse
        do {
            (data, response) = try await URLSession.shared.data(for: request)
        } catch {
            throw .unreachable(baseURL, error.localizedDescription)
        }
        let status = (response as? HTTPURLResponse)?.statusCode ?? 0
        guard (200..<300).contains(status) else {
            throw .refused(status: status, try? APICoding.decoder().decode(APIErrorBody.self, from: data))
        }
        do {
            return try APICoding.decoder().decode(T.self, from: data)
        } catch {
            throw .unreadable(String(describing: error))
        }
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
        try await get("api/v1/outbox/\(dossier.uuidString)/\(action)", method: "POST", body: Data("{}".utf8))
    }
}
