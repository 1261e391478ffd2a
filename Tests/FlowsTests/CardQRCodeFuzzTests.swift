import Flows
import Foundation
import Testing

/// The card's QR code parser against mutated and random payloads: each is read or refused
/// with a reason. `KIOSK_FUZZ_ITERATIONS` runs it longer.
@Suite struct CardQRCodeFuzzTests {
    @Test func everyPayloadIsReadOrRefusedWithAReason() {
        let iterations = ProcessInfo.processInfo.environment["KIOSK_FUZZ_ITERATIONS"].flatMap(Int.init) ?? 1500
        let corpus = [
            "001185012345|012345678|Nguyễn Thị Thử Nghiệm|05091985|Nữ|Số 1 Phố Thử, Hà Nội|15012024||",
            "001185012345|Nguyễn Thị Thử Nghiệm|05091985|Nữ|Hà Nội|15012024",
        ].map { Array($0.unicodeScalars) }
        var state: UInt64 = 11
        func next() -> Int {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Int(truncatingIfNeeded: state >> 33)
        }
        let alphabet = Array("|0123456789/ Nữ\u{0}\n".unicodeScalars)
        let today = CivilDate(year: 2026, month: 11, day: 23)!
        var read = 0, refused = 0
        for _ in 0..<iterations {
            var s = corpus[next() % corpus.count]
            for _ in 0...(next() % 4) {
                let i = next() % max(s.count, 1)
                switch next() % 3 {
                case 0 where !s.isEmpty: s.remove(at: i)
                case 1: s.insert(alphabet[next() % alphabet.count], at: min(i, s.count))
                default: s = Array(s.prefix(i))
                }
            }
            var payload = ""
            payload.unicodeScalars.append(contentsOf: s)
            switch CardQRCode.read(payload, today: today) {
            case .success(let identity):
                read += 1
                #expect(identity.idNumber.count == 12 && !identity.fullName.isEmpty)
            case .failure(let problem):
                refused += 1
                #expect(!problem.description.isEmpty && !problem.message.vi.isEmpty && !problem.field.isEmpty)
            }
        }
        #expect(read > 0 && refused > 0)
        #expect(CardQRCode.read(String(repeating: "1", count: 1001), today: today) == .failure(.tooLong))
    }
}
