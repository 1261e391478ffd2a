@testable import Flows
import KioskAPI
import Foundation
import Localized
import Testing

@Suite struct FlowEngineTests {
    let clock = ManualClock(Fixtures.monday)

    /// Drives the marital-status procedure to its identify step.
    func started(_ engine: FlowEngine, code: String = "SAMPLE-HT-002") throws -> FlowSession {
        var session = engine.start()
        _ = try engine.apply(.chooseProcedure(code: code), to: &session)
        return session
    }

    @Test func theCardExpiryIsKeptForTheNextReadAndCheckedFirst() throws {
        let engine = try Fixtures.engine(clock: clock)
        var s = try started(engine)
        let refused = try engine.apply(.setCardExpiry(dateOfExpiry: "31/02/2045"), to: &s)
        #expect(refused.rejected["dateOfExpiry"] != nil && s.cardExpiry == nil)
        let expired = try engine.apply(.setCardExpiry(dateOfExpiry: "01/01/2001"), to: &s)
        #expect(expired.rejected["dateOfExpiry"] != nil, "a card past its expiry would not open anyway")
        _ = try engine.apply(.setCardExpiry(dateOfExpiry: "05/09/2045"), to: &s)
        #expect(s.cardExpiry == CivilDate(year: 2045, month: 9, day: 5))
        #expect(try engine.apply(.readIDCard, to: &s).actions == [.readIDCard])
    }

    @Test func fullWalkthroughSealsDossierAndPrintsReceipt() throws {
        let engine = try Fixtures.engine(clock: clock)
        var s = try started(engine)
        #expect(s.step == .identify)

        let reading = try engine.apply(.readIDCard, to: &s)
        #expect(reading.actions == [.readIDCard])
        #expect(s.pending == .readIDCard)
        _ = try engine.apply(.cardRead(Fixtures.identity), to: &s)
        #expect(s.answers["full_name"] == .text("Nguyễn Thị Thử Nghiệm"))
        #expect(s.answers["id_number"] == .text("001185012345"))
        #expect(s.answers["birth_date"] == .text("1985-09-05"))
        #expect(s.answers["residence"] == .address(Address(province: "Hà Nội", commune: "Phường Mẫu", detail: "Số 1 Phố Thử")))
        #expect(s.prefilled.contains("full_name"))

        _ = try engine.apply(.next, to: &s)
        #expect(s.step == .form && s.formPage == 0)
        _ = try engine.apply(
            .answer([
                "residence": .address(Address(province: "Hà Nội", commune: "Phường Mẫu", detail: "Số 1 Phố Thử")),
                "phone": .text("0912 345 678"),
            ]), to: &s)
        _ = try engine.apply(.next, to: &s)
        #expect(s.formPage == 1, "\(s.fieldErrors)")
        #expect(s.answers["phone"] == .text("0912345678"), "canonical form is stored")
        _ = try engine.apply(
            .answer(["marital_status": .text("never_married"), "purpose": .text("other"), "other_purpose": .text("Bổ sung hồ sơ xin việc")]), to: &s)
        _ = try engine.apply(.next, to: &s)
        #expect(s.step == .documents && s.documentIndex == 0)

        let scan = try engine.apply(.scan(documentId: "divorce_or_death"), to: &s)
        #expect(scan.actions == [.scan(documentId: "divorce_or_death", profile: ScanProfile(source: .feeder, mode: .gray, dpi: 200, paper: .a4))])
        _ = try engine.apply(.pagesScanned(documentId: "divorce_or_death", pages: [Fixtures.page(1), Fixtures.page(2)]), to: &s)
        _ = try engine.apply(.next, to: &s)
        _ = try engine.apply(.skipDocument(documentId: "previous_certificate"), to: &s)
        #expect(s.step == .review)
        let review = SessionScreen(s).review
        #expect(review?.documents.map(\.pageCount) == [2, 0])
        #expect(review?.answers.contains { $0.fieldId == "id_number" && $0.value == "••••••••2345" } == true)

        _ = try engine.apply(.next, to: &s)
        #expect(s.step == .fee)
        _ = try engine.apply(.next, to: &s)
        #expect(s.feeAcknowledged && s.step == .delivery)
        let noAddress = try engine.apply(.chooseDelivery(.post, address: nil), to: &s)
        #expect(noAddress.rejected["address"] != nil)
        _ = try engine.apply(.chooseDelivery(.counter, address: nil), to: &s)
        _ = try engine.apply(.next, to: &s)
        #expect(s.step == .submit)

        clock.advance(60)
        let submitted = try engine.apply(.submit, to: &s)
        let dossier = try #require(submitted.sealed)
        #expect(submitted.actions == [.print(.receipt)])
        #expect(s.status == .submitted && s.step == .receipt && s.pending == .print(.receipt))
        #expect(dossier.procedureCode == "SAMPLE-HT-002" && dossier.procedureVersion == "2025.07")
        #expect(dossier.documents.map(\.pageIds.count) == [2, 0])
        #expect(dossier.answers["partner_name"] == nil, "hidden fields are not sealed")
        #expect(dossier.answers["other_purpose"] == .text("Bổ sung hồ sơ xin việc"))
        #expect(dossier.receivedOn == CivilDate(year: 2026, month: 11, day: 23))
        #expect(dossier.dueOn == CivilDate(year: 2026, month: 11, day: 26), "3 working days after Monday")
        #expect(dossier.provisionalReference.hasPrefix("KIOSK01-20261123-"))
        #expect(dossier.totalFeeVND == 15_000)

        #expect(throws: FlowError.self) { try engine.apply(.back, to: &s) }
        // A failed print may be reprinted once by the applicant; a printed one only by staff.
        _ = try engine.apply(
            .printFailed(.receipt, Notice(code: "printer.paper_out", message: LocalizedText(vi: "x", en: "x"), actor: .staff, retryable: true)),
            to: &s)
        #expect(try engine.apply(.reprint(.receipt), to: &s).actions == [.print(.receipt)])
        _ = try engine.apply(.printed(.receipt), to: &s)
        #expect(s.printed == [.receipt] && s.pending == nil)
        #expect(throws: FlowError.reprintNeedsStaff, "a receipt carries personal data: no applicant reprint without a failure") {
            try engine.apply(.reprint(.receipt), to: &s)
        }
        _ = try engine.apply(.next, to: &s)
        let rated = try engine.apply(.rate(score: 5, comment: " Nhanh gọn "), to: &s)
        #expect(rated.actions == [.endSession])
        #expect(s.status == .finished && s.rating == Rating(score: 5, comment: "Nhanh gọn"))
        #expect(s.identity == nil && s.answers.isEmpty, "the sealed dossier keeps its own copy")
        #expect(s.pages["divorce_or_death"]?.count == 2, "pages stay: the dossier refers to them")
        #expect(throws: FlowError.closed) { try engine.apply(.next, to: &s) }
    }

    @Test func backAndForwardKeepAnswers() throws {
        let engine = try Fixtures.engine(clock: clock)
        var s = try started(engine, code: "SAMPLE-HT-001")
        _ = try engine.apply(
            .identifyTyped(idNumber: "001 185 012 345", fullName: "Nguyễn Thị Thử Nghiệm", dateOfBirth: "05/09/1985", sex: .female), to: &s)
        #expect(s.identity?.source == .typed && s.identity?.idNumber == "001185012345")
        _ = try engine.apply(.next, to: &s)
        _ = try engine.apply(
            .answer([
                "relationship": .text("mother"), "phone": .text("0987654321"),
                "requester_residence": .address(Address(province: "Hà Nội", commune: "Phường Mẫu", detail: "Số 1")),
            ]), to: &s)
        _ = try engine.apply(.next, to: &s)
        #expect(s.formPage == 1)
        _ = try engine.apply(.answer(["child_name": .text("Nguyễn Văn Bé")]), to: &s)
        _ = try engine.apply(.back, to: &s)
        #expect(s.formPage == 0)
        _ = try engine.apply(.back, to: &s)
        #expect(s.step == .identify)
        _ = try engine.apply(.back, to: &s)
        #expect(s.step == .chooseProcedure)
        _ = try engine.apply(.chooseProcedure(code: "SAMPLE-HT-001"), to: &s)
        _ = try engine.apply(.next, to: &s)
        _ = try engine.apply(.next, to: &s)
        #expect(s.formPage == 1)
        #expect(s.answers["child_name"] == .text("Nguyễn Văn Bé"))
        #expect(s.answers["relationship"] == .text("mother"))
        let screen = try #require(SessionScreen(s).form)
        #expect(screen.fields.first { $0.field.id == "child_name" }?.value == .text("Nguyễn Văn Bé"))
    }

    @Test func choosingAnotherProcedureStartsAfresh() throws {
        let engine = try Fixtures.engine(clock: clock)
        var s = try started(engine)
        _ = try engine.apply(.readIDCard, to: &s)
        _ = try engine.apply(.cardRead(Fixtures.identity), to: &s)
        _ = try engine.apply(.next, to: &s)
        _ = try engine.apply(.answer(["phone": .text("0912345678")]), to: &s)
        _ = try engine.apply(.back, to: &s)
        _ = try engine.apply(.back, to: &s)
        _ = try engine.apply(.chooseProcedure(code: "SAMPLE-CT-001"), to: &s)
        #expect(s.answers["phone"] == nil)
        #expect(s.answers["requester_name"] == .text("Nguyễn Thị Thử Nghiệm"), "identity prefill carries over")
        #expect(s.procedure?.code == "SAMPLE-CT-001")
        #expect(s.delivery == DeliverySelection(option: .counter), "the only delivery option is preselected")
        #expect(throws: FlowError.self) { try engine.apply(.chooseProcedure(code: "NO-SUCH"), to: &s) }
    }

    @Test func validationMessagesAreBilingualAndBlockTheStep() throws {
        let engine = try Fixtures.engine(clock: clock)
        var s = try started(engine)
        _ = try engine.apply(.readIDCard, to: &s)
        _ = try engine.apply(.cardRead(Fixtures.identity), to: &s)
        _ = try engine.apply(.next, to: &s)
        _ = try engine.apply(.answer(["phone": .text("12345"), "email": .text("not-an-email")]), to: &s)
        let t = try engine.apply(.next, to: &s)
        #expect(s.step == .form && s.formPage == 0)
        #expect(t.rejected["phone"]?.vi.contains("10 chữ số") == true)
        #expect(t.rejected["phone"]?.en.contains("10 digits") == true)
        #expect(t.rejected["email"] != nil)
        #expect(t.rejected["residence"] == nil, "the card's address, matched to today's province and ward, needs no retyping")
        #expect(t.rejected["full_name"] == nil, "prefilled from the identity")
        #expect(s.answers["phone"] == .text("12345"), "a rejected answer is kept for correction")
        #expect(SessionScreen(s).form?.fields.first { $0.field.id == "phone" }?.error != nil)
    }

    @Test func aCardAddressFromBeforeTheReformAsksOnlyForTheCommune() throws {
        let engine = try Fixtures.engine(clock: clock)
        var s = try started(engine)
        var identity = Fixtures.identity
        identity.placeOfResidence = "Thôn Đông, Xã Yên Sở, Huyện Hoài Đức, Thành phố Hà Nội"
        _ = try engine.apply(.readIDCard, to: &s)
        _ = try engine.apply(.cardRead(identity), to: &s)
        #expect(s.answers["residence"] == .address(Address(province: "Hà Nội", commune: "", detail: "Thôn Đông")))
        _ = try engine.apply(.next, to: &s)
        let t = try engine.apply(.next, to: &s)
        #expect(t.rejected["residence"] != nil, "the commune may have merged since: the applicant chooses it")
    }

    /// Walks the marital-status procedure to its second form page.
    func atStatusPage(_ engine: FlowEngine) throws -> FlowSession {
        var s = try started(engine)
        _ = try engine.apply(.readIDCard, to: &s)
        _ = try engine.apply(.cardRead(Fixtures.identity), to: &s)
        _ = try engine.apply(.next, to: &s)
        _ = try engine.apply(
            .answer([
                "residence": .address(Address(province: "Hà Nội", commune: "Phường Mẫu", detail: "Số 1")),
                "phone": .text("0912345678"),
            ]), to: &s)
        _ = try engine.apply(.next, to: &s)
        #expect(s.formPage == 1)
        return s
    }

    @Test func visibilityFollowsAnswersAndHiddenFieldsAreNotRequired() throws {
        let engine = try Fixtures.engine(clock: clock)
        var s = try atStatusPage(engine)
        #expect(SessionScreen(s).form?.fields.map(\.field.id) == ["marital_status", "purpose"])
        _ = try engine.apply(.answer(["marital_status": .text("never_married"), "purpose": .text("marriage")]), to: &s)
        #expect(SessionScreen(s).form?.fields.map(\.field.id) == ["marital_status", "purpose", "partner_name", "partner_birth_date"])
        var t = try engine.apply(.next, to: &s)
        #expect(Set(t.rejected.keys) == ["partner_name", "partner_birth_date"])
        _ = try engine.apply(.answer(["partner_name": .text("Trần Văn Mẫu"), "partner_birth_date": .text("01/01/2015")]), to: &s)
        t = try engine.apply(.next, to: &s)
        #expect(t.rejected["partner_birth_date"]?.en.contains("at least 18 years") == true)
        _ = try engine.apply(.answer(["purpose": .text("other"), "other_purpose": .text("Đi du học")]), to: &s)
        t = try engine.apply(.next, to: &s)
        #expect(t.rejected.isEmpty && s.step == .documents, "hidden partner fields no longer block")
        #expect(s.answers["partner_name"] == .text("Trần Văn Mẫu"), "hidden answers are kept in case the applicant switches back")
    }

    @Test func deviceResultsMustMatchThePendingAction() throws {
        let engine = try Fixtures.engine(clock: clock)
        var s = try started(engine)
        #expect(throws: FlowError.stale) { try engine.apply(.cardRead(Fixtures.identity), to: &s) }
        _ = try engine.apply(.readIDCard, to: &s)
        #expect(throws: FlowError.busy) { try engine.apply(.next, to: &s) }
        #expect(throws: FlowError.stale) { try engine.apply(.printed(.receipt), to: &s) }
        let removed = Notice(
            code: "card.removed", message: LocalizedText(vi: "Thẻ bị rút ra", en: "Card removed"), actor: .applicant, retryable: true)
        _ = try engine.apply(.cardReadFailed(removed), to: &s)
        #expect(s.pending == nil && s.notice == removed && s.identity == nil)
        _ = try engine.apply(.readIDCard, to: &s)
        let cancelled = try engine.apply(.cancelDeviceAction, to: &s)
        #expect(cancelled.actions == [.cancelDeviceAction])
        #expect(s.pending == nil)
        _ = try engine.apply(.readIDCard, to: &s)
        _ = try engine.apply(.actionInterrupted, to: &s)
        #expect(s.pending == nil && s.notice?.code == "flow.action_interrupted")
    }

    @Test func scanningKeepsPagesThroughFaultsAndRequiresTheDocument() throws {
        let engine = try Fixtures.engine(clock: clock)
        var s = try started(engine, code: "SAMPLE-CT-001")
        _ = try engine.apply(.readIDCard, to: &s)
        _ = try engine.apply(.cardRead(Fixtures.identity), to: &s)
        _ = try engine.apply(.next, to: &s)
        _ = try engine.apply(
            .answer(["phone": .text("0912345678"), "document_title": .text("Bằng tốt nghiệp"), "copy_count": .number(2), "page_count": .text("1")]),
            to: &s)
        _ = try engine.apply(.next, to: &s)
        #expect(s.step == .documents)
        var t = try engine.apply(.next, to: &s)
        #expect(t.rejected["original"]?.en.contains("Please scan") == true)
        t = try engine.apply(.skipDocument(documentId: "original"), to: &s)
        #expect(t.rejected["original"]?.en.contains("required") == true)
        #expect(throws: FlowError.self) { try engine.apply(.scan(documentId: "copy"), to: &s) }
        _ = try engine.apply(.scan(documentId: "original"), to: &s)
        let jam = Notice(
            code: "scanner.jammed", message: LocalizedText(vi: "Kẹt giấy", en: "Paper jam"), actor: .staff, retryable: true,
            detail: "sane_read: SANE_STATUS_JAMMED")
        _ = try engine.apply(.scanFailed(documentId: "original", notice: jam, pages: [Fixtures.page(1)]), to: &s)
        #expect(s.pages["original"]?.count == 1 && s.notice == jam)
        #expect(
            SessionScreen(s).notice?.detail == nil && SessionScreen(s).notice?.code == "scanner.jammed", "the applicant's screen has no driver detail"
        )
        _ = try engine.apply(.scan(documentId: "original"), to: &s)
        _ = try engine.apply(.pagesScanned(documentId: "original", pages: [Fixtures.page(2), Fixtures.page(3)]), to: &s)
        #expect(s.pages["original"]?.map(\.id) == [Fixtures.page(1).id, Fixtures.page(2).id, Fixtures.page(3).id])
        _ = try engine.apply(.removePage(documentId: "original", pageId: Fixtures.page(2).id), to: &s)
        #expect(s.pages["original"]?.count == 2)
        #expect(throws: FlowError.self) { try engine.apply(.removePage(documentId: "original", pageId: Fixtures.page(9).id), to: &s) }
        _ = try engine.apply(.next, to: &s)
        #expect(s.step == .documents && s.documentIndex == 1)
    }

    @Test func editFromReviewReturnsToReview() throws {
        let engine = try Fixtures.engine(clock: clock)
        var s = try atStatusPage(engine)
        _ = try engine.apply(
            .answer(["marital_status": .text("divorced"), "purpose": .text("other"), "other_purpose": .text("Mua bán nhà")]), to: &s)
        _ = try engine.apply(.next, to: &s)
        _ = try engine.apply(.skipDocument(documentId: "divorce_or_death"), to: &s)
        _ = try engine.apply(.skipDocument(documentId: "previous_certificate"), to: &s)
        #expect(s.step == .review)
        _ = try engine.apply(.edit(step: .form, index: 0), to: &s)
        #expect(s.step == .form && s.formPage == 0 && s.returnToReview)
        _ = try engine.apply(.answer(["phone": .text("0398765432")]), to: &s)
        _ = try engine.apply(.next, to: &s)
        #expect(s.step == .review && !s.returnToReview)
        _ = try engine.apply(.edit(step: .documents, index: 0), to: &s)
        _ = try engine.apply(.scan(documentId: "divorce_or_death"), to: &s)
        _ = try engine.apply(.pagesScanned(documentId: "divorce_or_death", pages: [Fixtures.page(1)]), to: &s)
        _ = try engine.apply(.next, to: &s)
        #expect(s.step == .review)
        #expect(SessionScreen(s).review?.documents.first?.pageCount == 1)
    }

    @Test func idleSessionEndsButNotWhileADeviceWorks() throws {
        let engine = try Fixtures.engine(clock: clock, idle: 120)
        var s = try started(engine)
        clock.advance(119)
        let early = try engine.apply(.tick, to: &s)
        #expect(early.changed == false)
        _ = try engine.apply(.readIDCard, to: &s)
        clock.advance(500)
        let whilePending = try engine.apply(.tick, to: &s)
        #expect(whilePending.changed == false, "a pending device action has its own timeout")
        _ = try engine.apply(.cardRead(Fixtures.identity), to: &s)
        clock.advance(120)
        let t = try engine.apply(.tick, to: &s)
        #expect(t.actions == [.endSession])
        #expect(s.status == .abandoned && s.step == .finished)
        #expect(s.identity == nil && s.answers.isEmpty, "a public kiosk forgets the applicant who walked away")
    }

    @Test func qrCodeIdentifiesWithAndWithoutOldNumber() throws {
        let engine = try Fixtures.engine(clock: clock)
        var s = try started(engine)
        _ = try engine.apply(
            .identifyByQRCode(payload: "001185012345|123456789|Nguyễn Thị Thử Nghiệm|05091985|Nữ|Số 1 Phố Thử, Hà Nội|01012021||"), to: &s)
        #expect(s.identity?.source == .qrCode && s.identity?.oldIdNumber == "123456789")
        #expect(s.identity?.issueDate == CivilDate(year: 2021, month: 1, day: 1))
        let today = CivilDate(year: 2026, month: 11, day: 23)!
        let short = try CardQRCode.read("001185012345|Nguyễn Thị Thử Nghiệm|05091985|Nữ|Hà Nội|01012021", today: today).get()
        #expect(short.fullName == "Nguyễn Thị Thử Nghiệm" && short.sex == .female && short.oldIdNumber == nil)
        #expect(CardQRCode.read("garbage", today: today) == .failure(.tooFewFields(1)))
        #expect(CardQRCode.read("001185012345||||", today: today) == .failure(.tooFewFields(5)))
        let t = try engine.apply(.identifyByQRCode(payload: String(repeating: "|", count: 5000)), to: &s)
        #expect(t.rejected["identity"] != nil)
    }

    @Test func typedIdentityIsCheckedAgainstTheCCCDStructure() throws {
        let engine = try Fixtures.engine(clock: clock)
        var s = try started(engine)
        var t = try engine.apply(.identifyTyped(idNumber: "003185012345", fullName: "A B", dateOfBirth: "05/09/1985", sex: .female), to: &s)
        #expect(t.rejected["idNumber"]?.en.contains("province code") == true)
        t = try engine.apply(.identifyTyped(idNumber: "001185012345", fullName: "A B", dateOfBirth: "05/09/1986", sex: .female), to: &s)
        #expect(t.rejected["idNumber"]?.en.contains("year of birth") == true)
        t = try engine.apply(.identifyTyped(idNumber: "001185012345", fullName: "A B", dateOfBirth: "05/09/1985", sex: .male), to: &s)
        #expect(t.rejected["idNumber"]?.en.contains("sex") == true)
        t = try engine.apply(.identifyTyped(idNumber: "00118501234", fullName: "", dateOfBirth: "31/02/1985", sex: nil), to: &s)
        #expect(Set(t.rejected.keys) == ["idNumber", "fullName", "dateOfBirth"])
        #expect(s.identity == nil)
        t = try engine.apply(.next, to: &s)
        #expect(t.rejected["identity"] != nil && s.step == .identify)
    }
}
