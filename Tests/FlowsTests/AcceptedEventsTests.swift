@testable import Flows
import Foundation
import KioskAPI
import Localized
import Testing

/// What a session says it accepts is what the engine accepts: at every step of a walk through
/// the certified copy, each advertised event is taken (perhaps with its values refused), and
/// each event not advertised is refused.
@Suite struct AcceptedEventsTests {
    static let qr = "001185012345|012345678|Nguyễn Thị Thử Nghiệm|05091985|Nữ|Số 1 Phố Thử, Hà Nội|15012024"

    func sample(_ type: String, _ s: FlowSession) -> FlowEvent {
        let document = s.procedure?.documents[safe: s.documentIndex]?.id ?? "original"
        switch type {
        case "choose_procedure": return .chooseProcedure(code: "SAMPLE-CT-001")
        case "read_id_card": return .readIDCard
        case "identify_qr": return .identifyByQRCode(payload: Self.qr)
        case "identify_typed":
            return .identifyTyped(idNumber: "001185012345", fullName: "Nguyễn Thị Thử Nghiệm", dateOfBirth: "05/09/1985", sex: .female)
        case "card_expiry": return .setCardExpiry(dateOfExpiry: "05/09/2045")
        case "answer": return .answer(["phone": .text("0912345678")])
        case "next": return .next
        case "back": return .back
        case "edit": return .edit(step: .form, index: 0)
        case "scan": return .scan(documentId: document)
        case "remove_page": return .removePage(documentId: document, pageId: UUID())
        case "skip_document": return .skipDocument(documentId: document)
        case "cancel_device_action": return .cancelDeviceAction
        case "choose_delivery": return .chooseDelivery(.counter, address: nil)
        case "submit": return .submit
        case "reprint": return .reprint(.receipt)
        case "rate": return .rate(score: 5, comment: nil)
        case "set_language": return .setLanguage(.en)
        case "still_here": return .stillHere
        case "cancel": return .cancel
        default: fatalError("no sample for \(type)")
        }
    }

    /// Every event type against `s`: advertised ones are not refused for their step, the others are.
    func check(_ engine: FlowEngine, _ s: FlowSession) {
        let advertised = Set(AcceptedEvent.accepted(by: s).map(\.type))
        for type in EventRequest.types {
            var copy = s
            let refusal: FlowError?
            do {
                _ = try engine.apply(sample(type, copy), to: &copy)
                refusal = nil
            } catch {
                refusal = error
            }
            let refusedForState = refusal.map { ["flow.not_allowed", "flow.device_busy", "flow.session_closed"].contains($0.code) } ?? false
            if advertised.contains(type) {
                #expect(!refusedForState, "\(type) is advertised at \(s.step) but refused: \(refusal.map(\.code) ?? "")")
            } else {
                #expect(refusal != nil, "\(type) is taken at \(s.step) (pending: \(s.pending != nil)) but not advertised")
            }
        }
    }

    @Test func everyStepAdvertisesWhatTheEngineTakes() throws {
        let engine = try Fixtures.engine(clock: ManualClock(Fixtures.monday))
        var s = engine.start()
        check(engine, s)
        _ = try engine.apply(.chooseProcedure(code: "SAMPLE-CT-001"), to: &s)
        check(engine, s)
        _ = try engine.apply(.readIDCard, to: &s)
        check(engine, s)  // pending: only cancelling
        _ = try engine.apply(.cardRead(Fixtures.identity), to: &s)
        _ = try engine.apply(.next, to: &s)
        check(engine, s)  // form
        _ = try engine.apply(
            .answer([
                "phone": .text("0912345678"), "document_title": .text("Bằng"), "copy_count": .number(1), "page_count": .number(1),
            ]), to: &s)
        _ = try engine.apply(.next, to: &s)
        #expect(s.step == .documents, "\(s.fieldErrors)")
        check(engine, s)
        var steps: Set<Step> = []
        for _ in 0..<12 where s.step != .finished {
            if s.step == .documents {
                let document = s.procedure!.documents[s.documentIndex]
                _ = try engine.apply(.scan(documentId: document.id), to: &s)
                _ = try engine.apply(.pagesScanned(documentId: document.id, pages: [Fixtures.page(s.documentIndex + 1)], notice: nil), to: &s)
            }
            if s.step == .delivery { _ = try engine.apply(.chooseDelivery(.counter, address: nil), to: &s) }
            if s.pending == .print(.receipt) { _ = try engine.apply(.printed(.receipt), to: &s) }
            check(engine, s)
            steps.insert(s.step)
            if s.step == .submit {
                _ = try engine.apply(.submit, to: &s)
            } else if s.step == .rating {
                break
            } else {
                _ = try engine.apply(.next, to: &s)
            }
        }
        #expect(steps.isSuperset(of: [.documents, .review, .fee, .delivery, .submit, .receipt]), "\(steps)")
        check(engine, s)  // rating
        _ = try engine.apply(.rate(score: 5, comment: nil), to: &s)
        check(engine, s)  // closed: nothing but the screen's language
    }
}

extension Array {
    subscript(safe index: Int) -> Element? { indices.contains(index) ? self[index] : nil }
}
