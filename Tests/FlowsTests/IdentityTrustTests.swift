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

/// The QR code's path checks what the typed path checks, and says which field and why.
@Suite struct CardQRCodeCheckTests {
    let today = CivilDate(year: 2026, month: 11, day: 23)!
    /// The synthetic citizen's QR code with one field replaced (index as in the code).
    func qr(_ index: Int, _ value: String) -> String {
        var fields = ["001185012345", "012345678", "Nguyễn Thị Thử Nghiệm", "05091985", "Nữ", "Số 1 Phố Thử, Hà Nội", "15012024"]
        fields[index] = value
        return fields.joined(separator: "|")
    }

    @Test func theGenuineCodeIsRead() throws {
        let identity = try CardQRCode.read(qr(0, "001185012345"), today: today).get()
        #expect(identity.assurance == .qrCode && identity.sex == .female && identity.issueDate == CivilDate(year: 2024, month: 1, day: 15))
    }

    @Test(arguments: [
        (3, "05092030", CardQRCode.Problem.birthInFuture, "dateOfBirth"),
        (6, "01011980", .issueBeforeBirth, "issueDate"),
        (6, "01012030", .issueInFuture, "issueDate"),
        (3, "05091986", .idNumber(.disagreesWithBirthDate), "idNumber"),
        (4, "Nam", .idNumber(.disagreesWithSex), "idNumber"),
        (4, "X", .unknownSex, "sex"),
        (4, "", .unknownSex, "sex"),
        (2, "Nguyễn\u{7}Thị", .name(.notALetter("\u{7}")), "fullName"),
        (2, "Nguyễn \u{202E}Thị", .name(.notALetter("\u{202E}")), "fullName"),
        (2, "Nguyễn\nThị", .name(.notALetter("\n")), "fullName"),
        (2, "Nguyễn 2 Thị", .name(.notALetter("2")), "fullName"),
        (5, "Số 1\u{2028}Phố", .badResidence, "placeOfResidence"),
    ])
    func aForgedOrDamagedFieldIsRefusedByName(index: Int, value: String, problem: CardQRCode.Problem, field: String) {
        let result = CardQRCode.read(qr(index, value), today: today)
        #expect(result == .failure(problem))
        if case .failure(let refused) = result {
            #expect(refused.field == field && !refused.message.vi.isEmpty && !refused.message.en.isEmpty)
            #expect(refused.description.hasPrefix("field "), "the technician is told which field: \(refused)")
        }
    }

    @Test func tooFewFieldsAreRefused() {
        #expect(CardQRCode.read("001185012345|012345678|Nguyễn Thị Thử Nghiệm|05091985", today: today) == .failure(.tooFewFields(4)))
    }

    @Test func theApplicantSeesTheFieldAndTheReasonInTheirLanguage() throws {
        let engine = try Fixtures.engine(clock: ManualClock(Fixtures.monday))
        var s = engine.start()
        _ = try engine.apply(.chooseProcedure(code: "SAMPLE-HT-002"), to: &s)
        let refused = try engine.apply(.identifyByQRCode(payload: qr(2, "Nguyễn \u{202E}Thị")), to: &s)
        #expect(refused.rejected["fullName"]?.vi.contains("Họ và tên") == true && s.identity == nil)
        // The typed path refuses the same name.
        let typed = try engine.apply(
            .identifyTyped(idNumber: "001185012345", fullName: "Nguyễn \u{202E}Thị", dateOfBirth: "05/09/1985", sex: .female), to: &s)
        #expect(typed.rejected["fullName"] != nil && s.identity == nil)
    }
}

/// Refusals that are about the event's values are validation (422 over HTTP) and name the
/// request's own key.
@Suite struct FlowRefusalTests {
    @Test func ratingDeliveryAndCodesSayWhichField() throws {
        let unknown = FlowError.unknown("delivery option", "drone", field: "option")
        #expect(unknown.code == "flow.unknown_delivery_option" && unknown.isValidation && unknown.field == "option")
        // Through the engine: an answer for a field the page does not have.
        let engine = try Fixtures.engine(clock: ManualClock(Fixtures.monday))
        var s = engine.start()
        _ = try engine.apply(.chooseProcedure(code: "SAMPLE-HT-002"), to: &s)
        _ = try engine.apply(.readIDCard, to: &s)
        _ = try engine.apply(.cardRead(Fixtures.identity), to: &s)
        _ = try engine.apply(.next, to: &s)
        #expect(throws: FlowError.unknown("field", "nickname", field: "answers.nickname")) {
            try engine.apply(.answer(["nickname": .text("x")]), to: &s)
        }
    }
}
