import CentralProtocol
import Foundation
import Testing

/// docs/central-api.yaml is the protocol written down: it must name what the code sends.
/// (CI also validates it as OpenAPI 3.1 and fuzzes a real kiosk-central from it.)
struct OpenAPIDocumentTests {
    static let document: String = {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        return (try? String(contentsOf: root.appendingPathComponent("docs/central-api.yaml"), encoding: .utf8)) ?? ""
    }()

    @Test func everyPathTheKioskUsesIsDocumented() {
        let id = UUID()
        let paths = [
            CentralPaths.enrolments, CentralPaths.heartbeats, CentralPaths.fleet, CentralPaths.dossiers,
            CentralPaths.dossier(id), CentralPaths.file(id, "original.pdf"), CentralPaths.commit(id), CentralPaths.catalogBundle("SHA"),
            CentralPaths.diagnostics,
        ].map {
            $0.replacingOccurrences(of: id.uuidString.lowercased(), with: "{id}").replacingOccurrences(of: "original.pdf", with: "{name}")
                .replacingOccurrences(of: "SHA", with: "{sha256}")
        }
        #expect(!Self.document.isEmpty, "docs/central-api.yaml is missing")
        for path in paths {
            #expect(Self.document.contains("\n  \(path):\n"), "\(path) is not in docs/central-api.yaml")
        }
    }

    @Test func everyCommandAndOutcomeIsDocumented() throws {
        let line = try #require(Self.document.split(separator: "\n").firstIndex { $0.contains("[maintenance.on, maintenance.off") })
        let lines = Self.document.split(separator: "\n")
        let kinds = (lines[line] + lines[line + 1]).filter { !" []".contains($0) }.split(separator: ",").map(String.init)
        #expect(Set(kinds) == Set(RemoteCommand.Kind.allCases.map(\.rawValue)))
        #expect(Self.document.contains("enum: [done, failed, refused]"))
    }

    @Test func theLimitsAndExampleMatchTheCode() {
        // The example dossier code's shape is the code's own rule.
        #expect(DossierCode.isValid("000.00.31.H29-261204-0001"))
        #expect(Self.document.contains("`000.00.31.H29-261204-0001`"))
        #expect(Self.document.contains("\(Int(RemoteCommand.lifetimeSeconds)) s"))
    }
}
