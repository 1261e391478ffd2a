import Foundation
import Hummingbird
import HummingbirdTesting
import KioskTestSupport
import Logging
import Synchronization
import Testing
import Yams

@testable import KioskDaemon

/// docs/kiosk-api.yaml is the local API written down: every route the router serves is in it,
/// and every operation in it answers. (CI also validates it as OpenAPI 3.1 and fuzzes a live
/// kioskd from it: scripts/fuzz-kiosk.sh.)
@Suite struct APIDocumentTests {
    /// `METHOD /path` of every operation in the document, with `{name}` parameters.
    static func documented() throws -> [String: [String: Any]] {
        let text = try String(contentsOf: TestKiosk.repoRoot.appendingPathComponent("docs/kiosk-api.yaml"), encoding: .utf8)
        let document = try #require(try Yams.load(yaml: text) as? [String: Any])
        #expect(document["openapi"] as? String == "3.1.0")
        let paths = try #require(document["paths"] as? [String: [String: Any]])
        var operations: [String: [String: Any]] = [:]
        for (path, item) in paths {
            for (method, operation) in item {
                guard let operation = operation as? [String: Any] else { continue }
                operations["\(method.uppercased()) \(path)"] = operation
            }
        }
        return operations
    }

    /// Hummingbird writes `:name` or `{name}`; the document `{name}`.
    static func normalised(_ route: String) -> String {
        route.split(separator: " ", maxSplits: 1).enumerated().map { index, part in
            index == 0
                ? String(part)
                : part.split(separator: "/", omittingEmptySubsequences: false).map { $0.hasPrefix(":") ? "{\($0.dropFirst())}" : String($0) }
                    .joined(separator: "/")
        }.joined(separator: " ")
    }

    @Test func everyRouteIsDocumentedAndEveryDocumentedOperationIsARoute() async throws {
        let kiosk = try TestKiosk()
        defer { kiosk.cleanUp() }
        let served = Mutex<[String]>([])
        _ = try await buildApplication(config: kiosk.config, logger: Logger(label: "test"), routes: { list in served.withLock { $0 = list } })
        let routes = Set(served.withLock { $0 }.map(Self.normalised))
        let documented = Set(try Self.documented().keys)
        #expect(routes.count >= 29, "\(routes)")
        #expect(routes.subtracting(documented).isEmpty, "served but not in docs/kiosk-api.yaml: \(routes.subtracting(documented).sorted())")
        #expect(documented.subtracting(routes).isEmpty, "in docs/kiosk-api.yaml but not served: \(documented.subtracting(routes).sorted())")
        // Each is tagged for the side that serves it; the technician's routes are the gate's.
        for (route, operation) in try Self.documented() {
            let tags = operation["tags"] as? [String] ?? []
            #expect(tags.count == 1 && ["applicant", "technician", "operations"].contains(tags[0]), "\(route): \(tags)")
        }
        let technicianTagged = Set(try Self.documented().filter { ($0.value["tags"] as? [String]) == ["technician"] }.keys)
        let gated = Set(TechnicianChannelTests.routes.map { Self.normalisedExample("\($0.method) /api/v1/\($0.path)") })
        #expect(technicianTagged == gated, "tagged technician vs refused on the TCP port: \(technicianTagged.symmetricDifference(gated).sorted())")
    }

    /// A concrete path of TechnicianChannelTests.routes, written as the document writes it.
    static func normalisedExample(_ route: String) -> String {
        let parts = route.split(separator: " ", maxSplits: 1)
        var path = String(parts[1]).split(separator: "?").first.map(String.init) ?? ""
        path = path.replacingOccurrences(of: #"/sessions/[0-9A-F-]{36}/"#, with: "/sessions/{id}/", options: .regularExpression)
        path = path.replacingOccurrences(of: #"/dossiers/[0-9A-F-]{36}/"#, with: "/dossiers/{id}/", options: .regularExpression)
        path = path.replacingOccurrences(of: #"/outbox/[0-9A-F-]{36}/retry"#, with: "/outbox/{dossier}/{action}", options: .regularExpression)
        path = path.replacingOccurrences(of: "/devices/scanner/", with: "/devices/{id}/")
        path = path.replacingOccurrences(of: "/queues/ho-tich/", with: "/queues/{queue}/")
        return "\(parts[0]) \(path)"
    }

    /// Every documented operation answers on the technician socket (which serves them all): no
    /// 404 "route.not_found", no 405, no 5xx, with the document's own example values.
    @Test func everyDocumentedOperationAnswers() async throws {
        let kiosk = try TestKiosk()
        defer { kiosk.cleanUp() }
        let app = try await buildApplication(config: kiosk.config, logger: Logger(label: "test"))
        let operations = try Self.documented().keys.sorted()
        let technician = TechnicianClient(kiosk.config)
        try await app.test(.live) { _ in
            try await technician.call("GET", "health")
            let (_, started) = try await technician.call("POST", "sessions", "{}")
            let session = try #require(started["id"] as? String)
            for route in operations {
                let parts = route.split(separator: " ", maxSplits: 1).map(String.init)
                // Streams stay open: asked for once, below.
                if parts[1] == "/api/v1/events" { continue }
                let path = parts[1]
                    .replacingOccurrences(of: "/sessions/{id}", with: "/sessions/\(session)")
                    .replacingOccurrences(of: "{page}", with: UUID().uuidString)
                    .replacingOccurrences(of: "{code}", with: "SAMPLE-HT-001")
                    .replacingOccurrences(of: "{queue}", with: "ho-tich")
                    .replacingOccurrences(of: "/devices/{id}", with: "/devices/scanner")
                    .replacingOccurrences(of: "/dossiers/{id}", with: "/dossiers/\(UUID())")
                    .replacingOccurrences(of: "{dossier}", with: UUID().uuidString)
                    .replacingOccurrences(of: "{action}", with: "retry")
                let body: String? =
                    switch route {
                    case "POST /api/v1/sessions/{id}/events": #"{"type":"choose_procedure","code":"SAMPLE-HT-001"}"#
                    case "POST /api/v1/devices/{id}/fault": #"{"fault":"none"}"#
                    case "POST /api/v1/speech": #"{"text":"Xin chào","language":"vi"}"#
                    case "POST /api/v1/dossiers/{id}/print": #"{"kind":"receipt"}"#
                    case "POST /api/v1/link/enrolment": #"{"central":"http://192.0.2.1:9","token":"x"}"#
                    case "PUT /api/v1/maintenance": #"{"on":false}"#
                    case "POST /api/v1/selftests": #"{"device":"printer","level":"internal"}"#
                    default: parts[0] == "GET" ? nil : "{}"
                    }
                let (status, answer) = try await technician.call(parts[0], path, body)
                let code = answer["code"] as? String
                #expect(code != "route.not_found" && status != 405 && status < 500 && status != 0, "\(route): \(status) \(answer)")
            }
        }
    }
}
