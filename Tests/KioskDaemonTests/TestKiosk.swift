import Foundation
import KioskTestSupport
import Testing

@testable import KioskDaemon

/// A kiosk configuration in a fresh temporary directory: its own store and printer output,
/// the repository's catalog, fast simulated devices.
struct TestKiosk {
    static let repoRoot = repositoryRoot

    let directory: URL
    var config: KioskConfig

    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("kiosk-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        config = KioskConfig(base: directory)
        config.catalogDirectory = Self.repoRoot.appendingPathComponent("catalog")
        config.scanner.driver = .simulated
        config.scanner.pageDelayMilliseconds = 5
        // The simulated reader needs no keys; CardReaderFlowTests drives the CCID driver.
        config.cardReader.driver = .simulated
        config.printer.driver = .simulated
        config.api.port = 0
    }

    func cleanUp() { try? FileManager.default.removeItem(at: directory) }

    /// The `kioskd` binary built next to the test bundle.
    static var kioskdBinary: URL {
        builtProduct("kioskd")
    }
}

/// Applicant events shared by tests that drive a whole flow.
enum FlowScripts {
    /// The certified copy (SAMPLE-CT-001), typed identity and declaration, up to its first
    /// document.
    static let certifiedCopyToDocuments = [
        #"{"type":"choose_procedure","code":"SAMPLE-CT-001"}"#,
        #"{"type":"identify_typed","idNumber":"001185012345","fullName":"Nguyễn Thị Thử Nghiệm","dateOfBirth":"05/09/1985","sex":"female"}"#,
        #"{"type":"next"}"#,
        #"{"type":"answer","answers":{"phone":"0912345678","document_title":"Bằng","copy_count":1,"page_count":1}}"#,
        #"{"type":"next"}"#,
    ]
}

/// JSON helpers for reading API answers in tests.
enum JSON {
    static func object(_ data: Data) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }
}
