@testable import Flows
import Foundation
import Localized
import Testing

/// An identity from a QR code or typed does not stand once the card on the reader contradicts it.
@Suite struct IdentityTrustTests {
    let clock = ManualClock(Fixtures.monday)
    /// A well-formed QR code of somebody else (made-up): 079 = HCMC, 0 = male born 1900s, 90 = 1990.
    static let madeUpQR = "079090001234||Trần Văn Giả|01011990|Nam|Số 9 Phố Giả, Quận Mẫu|01012022"

    /// A card reader's notice, as the driver sends it.
    static func notice(_ code: String) -> Notice {
        Notice(code: code, message: LocalizedText(vi: "—", en: "—"), actor: .applicant, retryable: true)
    }

    func identifiedByQR(_ engine: FlowEngine) throws -> FlowSession {
        var s = engine.start()
        _ = try engine.apply(.chooseProcedure(code: "SAMPLE-HT-002"), to: &s)
        _ = try engine.apply(.identifyByQRCode(payload: Self.madeUpQR), to: &s)
        #expect(s.identity?.assurance == .qrCode && s.answers["full_name"] == .text("Trần Văn Giả"))
        return s
    }

    @Test func aChipThatRefusesTheQRsKeysDiscardsTheQRIdentityAndWhatItPrefilled() throws {
        let engine = try Fixtures.engine(clock: clock)
        var s = try identifiedByQR(engine)
        _ = try engine.apply(.readIDCard, to: &s)
        _ = try engine.apply(.cardReadFailed(Self.notice("card.access_denied")), to: &s)
        #expect(s.identity == nil && s.pending == nil)
        #expect(s.answers["full_name"] == nil && s.answers["id_number"] == nil && s.prefilled.isEmpty, "nothing the QR code gave stays")
        #expect(s.notice?.code == "identity.contradicted_by_card" && s.notice?.actor == .applicant)
        let next = try engine.apply(.next, to: &s)
        #expect(next.rejected["identity"] != nil && s.step == .identify, "no dossier goes forward without an identity")
    }

    @Test func aChipReadReplacesTheQRIdentityAndItsAssurance() throws {
        let engine = try Fixtures.engine(clock: clock)
        var s = try identifiedByQR(engine)
        _ = try engine.apply(.readIDCard, to: &s)
        _ = try engine.apply(.cardRead(Fixtures.identity), to: &s)
        #expect(s.identity?.assurance == .chipVerified && s.answers["full_name"] == .text("Nguyễn Thị Thử Nghiệm"))
    }

    @Test func otherCardFailuresLeaveTheIdentityAlone() throws {
        let engine = try Fixtures.engine(clock: clock)
        var s = try identifiedByQR(engine)
        _ = try engine.apply(.readIDCard, to: &s)
        _ = try engine.apply(.cardReadFailed(Self.notice("card.not_present")), to: &s)
        #expect(s.identity?.assurance == .qrCode && s.notice?.code == "card.not_present")
    }

    @Test func theReceiptSaysWhatVouchedForTheIdentity() {
        #expect(Receipt.wording(.chipVerified).contains("đã xác thực"))
        #expect(Set(Identity.Assurance.allCases.map(Receipt.wording)).count == Identity.Assurance.allCases.count)
    }
}
