import CitizenCard
import Devices
import Foundation
import Testing
import VirtualCard

/// Mutation fuzzing of everything that parses bytes from a card: each input either parses or is
/// refused with a reason, and nothing traps. A bounded run here; a longer one with
/// `KIOSK_FUZZ_ITERATIONS=200000 swift test --filter ParserFuzzTests`.
@Suite struct ParserFuzzTests {
    static let iterations = ProcessInfo.processInfo.environment["KIOSK_FUZZ_ITERATIONS"].flatMap(Int.init) ?? 1500
    static let citizen = SyntheticCitizen()

    /// SplitMix64: a reproducible stream; the seed is in each failure message.
    struct Mutator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        mutating func int(_ n: Int) -> Int { n <= 0 ? 0 : Int(next() % UInt64(n)) }

        /// One to four edits: flip bits, set interesting bytes (lengths), cut, duplicate, insert.
        mutating func mutate(_ input: [UInt8]) -> [UInt8] {
            var b = input
            for _ in 0...int(4) {
                let i = int(max(b.count, 1))
                switch int(6) {
                case 0 where !b.isEmpty: b[i] ^= UInt8(1 << int(8))
                case 1 where !b.isEmpty: b[i] = [0x00, 0x7F, 0x80, 0x81, 0x82, 0x83, 0x84, 0xFF][int(8)]
                case 2: b = Array(b.prefix(i))
                case 3 where !b.isEmpty: b.insert(contentsOf: b[i..<min(b.count, i + int(16))], at: i)
                case 4: b.insert(UInt8(truncatingIfNeeded: next()), at: min(i, b.count))
                default: if !b.isEmpty { b.remove(at: i) }
                }
            }
            return b
        }
    }

    func fuzz(_ seed: UInt64, corpus: [[UInt8]], _ body: ([UInt8]) -> String?) {
        var m = Mutator(state: seed)
        var refused = 0
        for n in 0..<Self.iterations {
            let input = n % 10 == 0 ? (0..<m.int(64)).map { _ in UInt8(truncatingIfNeeded: m.next()) } : m.mutate(corpus[m.int(corpus.count)])
            if let reason = body(input) {
                refused += 1
                if reason.isEmpty {
                    Issue.record("refused without a reason: seed \(seed), iteration \(n), input \(input.hex)")
                    return
                }
            }
        }
        #expect(refused > 0, "the mutations never produced a refusal: the fuzzer is not reaching the checks")
    }

    @Test func tlv() {
        fuzz(1, corpus: [Self.citizen.dg1, Self.citizen.dg13(), Self.citizen.dg2]) { bytes in
            do {
                for element in try TLV.parseAll(bytes) where element.isConstructed { _ = try element.children() }
                return nil
            } catch {
                return "\(error)"
            }
        }
    }

    @Test func dg13() {
        fuzz(2, corpus: [Self.citizen.dg13(), Self.citizen.dg13(parents: .oneSequence)]) { bytes in
            do {
                _ = try DG13.parse(bytes)
                return nil
            } catch {
                return "\(error)"
            }
        }
    }

    @Test func dg1AndMRZ() {
        let mrz = Array(Self.citizen.dg1.suffix(90))
        fuzz(3, corpus: [Self.citizen.dg1]) { bytes in
            do {
                _ = try DG1.parse(bytes)
                return nil
            } catch {
                return "\(error)"
            }
        }
        fuzz(4, corpus: [mrz]) { bytes in
            do {
                _ = try MRZ(td1: String(decoding: bytes, as: UTF8.self))
                return nil
            } catch {
                return "\(error)"
            }
        }
    }

    @Test func securityObjectAndPassiveAuthentication() throws {
        let card = try VirtualCCCD(pki: TestPKI())
        let sod = try #require(card.files[.sod])
        let groups = [1: Self.citizen.dg1]
        var m = Mutator(state: 5)
        for _ in 0..<(Self.iterations / 5) {
            // A garbled SOD never verifies, and says why.
            let result = PassiveAuthentication.check(sod: m.mutate(sod), dataGroups: groups, store: CSCAStore(certificates: []))
            if case .failed(let why) = result { #expect(!why.isEmpty) }
        }
        fuzz(6, corpus: [SecurityObject(digest: .sha256, hashes: [1: [1, 2, 3], 13: [4, 5, 6]]).der]) { bytes in
            do {
                _ = try SecurityObject(der: bytes)
                return nil
            } catch {
                return "\(error)"
            }
        }
    }

    @Test func ccidMessages() {
        fuzz(
            7,
            corpus: [CCIDMessage(type: 0x80, seq: 3, data: [0x90, 0x00]).bytes, CCIDMessage(type: 0x81, seq: 0, specific: [0x42, 0xFE, 0]).bytes]
        ) { bytes in
            do {
                _ = try CCIDMessage(bytes: bytes)
                return nil
            } catch {
                return "\(error)"
            }
        }
    }

    /// A card that answers with mutated responses: the read fails with a reason, never traps,
    /// never returns data that did not come through secure messaging intact.
    @Test func garbageFromTheCard() throws {
        let pki = try TestPKI()
        var m = Mutator(state: 8)
        var failures = 0
        for _ in 0..<max(20, Self.iterations / 20) {
            let card = try VirtualCCCD(pki: pki)
            // A read takes 7 to 12 APDUs here: garble one response in 1 to 7.
            let every = 1 + m.int(7)
            let garbling = GarblingTransport(card: card, mutator: m, every: every)
            do {
                let read = try CCCDChip.read(
                    transport: garbling, access: AccessKeys(can: m.int(2) == 0 ? "012345" : nil, bac: [Self.citizen.bacKey]),
                    files: [.dg1, .dg13, .sod], store: pki.store)
                #expect(read.dg13?.fullName == Self.citizen.fullName, "a read that succeeded carries the card's own data")
            } catch {
                failures += 1
                #expect(!error.description.isEmpty)
            }
            m = garbling.mutator
        }
        #expect(failures > 0)
    }
}

/// Passes APDUs to the virtual card and garbles one response in `every`.
final class GarblingTransport: APDUTransport {
    let card: VirtualCCCD
    var mutator: ParserFuzzTests.Mutator
    let every: Int
    var count = 0
    var maxResponseLength: Int { 522 }

    init(card: VirtualCCCD, mutator: ParserFuzzTests.Mutator, every: Int) {
        self.card = card
        self.mutator = mutator
        self.every = every
    }

    func transmit(_ command: [UInt8]) throws(CardError) -> [UInt8] {
        count += 1
        let answer = card.process(command)
        return count % every == 0 ? mutator.mutate(answer) : answer
    }
}
