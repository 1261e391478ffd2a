import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import Testing
import VirtualCard

@testable import KioskDaemon

/// The identify step through the CCID driver on the emulated reader (the demo's set-up): the
/// chip opens only with keys the applicant already gave, and its data replaces theirs.
@Suite(.enabled(if: KioskConfig.emulatedCardReaderBuiltIn, "needs a build with the EmulatedCardReader trait (scripts/test.sh)"))
struct CardReaderFlowTests {
    let api = APITests()

    @Test func chipIsReadWithTheQRCodesKeysAndRecordedAsChipData() async throws {
        try await api.withKiosk({
            $0.cardReader.driver = .ccid
            $0.cardReader.reader = .virtual
        }) { client, _ in
            let (_, start) = try await api.call(client, .post, "/api/v1/sessions", #"{"language":"vi"}"#)
            let id = try #require(start["id"] as? String)
            _ = try await api.event(client, id, #"{"type":"choose_procedure","code":"SAMPLE-HT-002"}"#)

            // No keys yet: the applicant is asked for the QR code or the typed number.
            _ = try await api.event(client, id, #"{"type":"read_id_card"}"#)
            let asked = try await api.waitFor(client, id) { $0["pending"] == nil }
            #expect((asked["notice"] as? [String: Any])?["code"] as? String == "card.keys_needed")
            #expect(asked["identity"] == nil)

            let qr = SyntheticCitizen().qrPayload
            let body = String(data: try JSONSerialization.data(withJSONObject: ["type": "identify_qr", "payload": qr]), encoding: .utf8)!
            let (_, fromQR) = try await api.event(client, id, body)
            #expect((fromQR["identity"] as? [String: Any])?["source"] as? String == "qr_code")

            _ = try await api.event(client, id, #"{"type":"read_id_card"}"#)
            let read = try await api.waitFor(client, id) { $0["pending"] == nil }
            let identity = try #require(read["identity"] as? [String: Any])
            #expect(identity["source"] as? String == "chip")
            #expect(identity["fullName"] as? String == "Nguyễn Thị Thử Nghiệm")
            #expect(identity["idNumberMasked"] as? String == "••••••••2345")
            // The emulated card's signer is from a throw-away CA the kiosk does not trust.
            #expect(identity["chipVerified"] as? Bool == false)
            #expect(identity["assurance"] as? String == "chip_ca_unknown")

            let (_, devices) = try await api.call(client, .get, "/api/v1/devices")
            let reader = (devices["array"] as? [[String: Any]])?.first { $0["id"] as? String == "card_reader" }
            #expect(reader?["state"] as? String == "online")
            #expect(reader?["media"] as? String == "card_present")
        }
    }

    /// A forged QR code (a made-up person) names keys the chip on the reader refuses: the
    /// identity it gave is discarded, with what it prefilled, and the applicant cannot go on.
    @Test func aQRIdentityTheChipRefusesDoesNotStand() async throws {
        try await api.withKiosk({
            $0.cardReader.driver = .ccid
            $0.cardReader.reader = .virtual
        }) { client, _ in
            let (_, start) = try await api.call(client, .post, "/api/v1/sessions", #"{"language":"vi"}"#)
            let id = try #require(start["id"] as? String)
            _ = try await api.event(client, id, #"{"type":"choose_procedure","code":"SAMPLE-HT-002"}"#)
            let forged = "079090001234||Trần Văn Giả|01011990|Nam|Số 9 Phố Giả|01012022"
            let body = String(data: try JSONSerialization.data(withJSONObject: ["type": "identify_qr", "payload": forged]), encoding: .utf8)!
            let (_, fromQR) = try await api.event(client, id, body)
            #expect((fromQR["identity"] as? [String: Any])?["assurance"] as? String == "qr_code")

            _ = try await api.event(client, id, #"{"type":"read_id_card"}"#)
            let refused = try await api.waitFor(client, id) { $0["pending"] == nil }
            #expect((refused["notice"] as? [String: Any])?["code"] as? String == "identity.contradicted_by_card")
            #expect(refused["identity"] == nil, "the forged identity does not stand")
            let (status, next) = try await api.event(client, id, #"{"type":"next"}"#)
            #expect(status == .unprocessableContent && next["fields"] != nil, "no dossier goes forward without an identity")
            #expect((next["session"] as? [String: Any])?["step"] as? String == "identify")
        }
    }

    /// Every log line at trace level while a card is read, refused and identified by QR code
    /// and by typing: none carries the holder's name, numbers, dates or MRZ.
    @Test func personalDataNeverReachesTheLog() async throws {
        let lines = LogLines()
        var logger = Logger(label: "kioskd") { _ in RecordingLogHandler(lines: lines) }
        logger.logLevel = .trace
        var kiosk = try TestKiosk()
        defer { kiosk.cleanUp() }
        kiosk.config.cardReader.driver = .ccid
        kiosk.config.cardReader.reader = .virtual
        let app = try await buildApplication(config: kiosk.config, logger: logger, sweepInterval: .milliseconds(50))
        let citizen = SyntheticCitizen()
        try await app.test(.router) { client in
            let (_, start) = try await api.call(client, .post, "/api/v1/sessions")
            let id = try #require(start["id"] as? String)
            _ = try await api.event(client, id, #"{"type":"choose_procedure","code":"SAMPLE-HT-002"}"#)
            _ = try await api.event(client, id, #"{"type":"read_id_card"}"#)
            _ = try await api.waitFor(client, id) { $0["pending"] == nil }
            let typed =
                #"{"type":"identify_typed","idNumber":"001185012345","fullName":"Nguyễn Thị Thử Nghiệm","dateOfBirth":"05/09/1985","sex":"female"}"#
            _ = try await api.event(client, id, typed)
            let qr = String(
                data: try JSONSerialization.data(withJSONObject: ["type": "identify_qr", "payload": citizen.qrPayload]), encoding: .utf8)!
            _ = try await api.event(client, id, qr)
            _ = try await api.event(client, id, #"{"type":"read_id_card"}"#)
            let read = try await api.waitFor(client, id) { $0["pending"] == nil }
            #expect((read["identity"] as? [String: Any])?["source"] as? String == "chip")
        }
        let logged = lines.all
        #expect(logged.count > 3, "the log was captured")
        for secret in [
            citizen.idNumber, "185012345", citizen.fullName, "NGUYEN", "Nguy", citizen.dateOfBirth, "05/09/1985", "850905",
            citizen.placeOfResidence, citizen.fatherName, citizen.oldIdNumber, citizen.qrPayload,
        ] {
            #expect(!logged.contains { $0.contains(secret) }, "a log line carries personal data")
        }
    }
}

/// Log lines captured in memory (message and metadata), for privacy checks.
final class LogLines: @unchecked Sendable {
    private let lock = NSLock()
    private var lines: [String] = []
    func append(_ line: String) { lock.withLock { lines.append(line) } }
    var all: [String] { lock.withLock { lines } }
}

struct RecordingLogHandler: LogHandler {
    let lines: LogLines
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .trace

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        let all = metadata.merging(event.metadata ?? [:]) { $1 }
        let error = event.error.map { " error=\($0)" } ?? ""
        lines.append(
            "\(event.level) \(event.message) \(all.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " "))\(error)")
    }
}
