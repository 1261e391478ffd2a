import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
import VirtualCard

@testable import KioskDaemon

/// The identify step through the CCID driver on the emulated reader (the demo's set-up): the
/// chip opens only with keys the applicant already gave, and its data replaces theirs.
@Suite struct CardReaderFlowTests {
    let api = APITests()

    @Test func chipIsReadWithTheQRCodesKeysAndRecordedAsChipData() async throws {
        try await api.withKiosk({
            $0.cardReader.driver = "ccid"
            $0.cardReader.reader = "virtual"
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

            let (_, devices) = try await api.call(client, .get, "/api/v1/devices")
            let reader = (devices["array"] as? [[String: Any]])?.first { $0["id"] as? String == "card_reader" }
            #expect(reader?["state"] as? String == "online")
            #expect(reader?["media"] as? String == "card_present")
        }
    }
}
