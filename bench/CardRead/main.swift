// Benchmark: reading DG1 + DG13 + EF.SOD from the virtual CCCD chip through the CCID channel,
// BAC and secure messaging, with passive authentication — APDU count and CPU time per read,
// on a short-APDU reader (ACR122U-like) and an extended-length one (ACR1252U-like).
// Run by bench/card_read.sh; not a test.
import CitizenCard
import Devices
import Foundation
import Glibc
import VirtualCard

func threadCPU() -> Double {
    var t = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t)
    return Double(t.tv_sec) + Double(t.tv_nsec) / 1e9
}

/// Times the card side, so the reader side can be told apart from the emulation.
final class TimedPipe: CCIDPipe {
    let inner: VirtualCCIDReader
    var cardSeconds = 0.0
    init(_ inner: VirtualCCIDReader) { self.inner = inner }
    func write(_ bytes: [UInt8], timeoutMilliseconds: Int) throws(CardReaderError) {
        let t = threadCPU()
        try inner.write(bytes, timeoutMilliseconds: timeoutMilliseconds)
        cardSeconds += threadCPU() - t
    }
    func read(maxLength: Int, timeoutMilliseconds: Int) throws(CardReaderError) -> [UInt8] {
        try inner.read(maxLength: maxLength, timeoutMilliseconds: timeoutMilliseconds)
    }
}

/// JMRTD's default reading (PassportService: SELECT per file, an 8-byte read-ahead for the
/// length, then blocks of 223 bytes; short file identifiers off), plus SELECT application and
/// either BAC (GET CHALLENGE, EXTERNAL AUTHENTICATE) or PACE (EF.CardAccess read the same
/// way, MSE:Set AT, four GENERAL AUTHENTICATE).
func jmrtdAPDUs(_ sizes: [Int], cardAccess: Int?) -> Int {
    func file(_ n: Int) -> Int { 2 + Int((Double(max(0, n - 8)) / 223).rounded(.up)) }
    let access = cardAccess.map { file($0) + 1 + 4 } ?? 2
    return 1 + access + sizes.reduce(0) { $0 + file($1) }
}

let reads = Int(CommandLine.arguments.dropFirst().first ?? "") ?? 200
let pki = try TestPKI()
let citizen = SyntheticCitizen()
let files: [LDSFile] = [.dg1, .dg13, .sod]
print("reads per configuration: \(reads)")
for (name, descriptor) in [
    ("short APDUs (271-byte messages)", VirtualCCIDReader.shortAPDUDescriptor),
    ("extended APDUs (522-byte messages)", VirtualCCIDReader.extendedAPDUDescriptor),
] {
    for (pace, shortIDs) in [(false, true), (false, false), (true, true)] {
        var options = VirtualCCCD.Options()
        options.shortFileIDs = shortIDs
        var apdus = 0
        var sizes: [Int] = []
        var cardAccessSize = 0
        var cardSeconds = 0.0
        var failures = 0
        var readSeconds = 0.0
        for _ in 0..<reads {
            let reader = VirtualCCIDReader(card: try VirtualCCCD(pki: pki, options: options), descriptor: descriptor)
            let pipe = TimedPipe(reader)
            let channel = CCIDChannel(pipe: pipe, descriptor: descriptor)
            let start = threadCPU()
            defer { readSeconds += threadCPU() - start }
            do {
                _ = try channel.powerOn()
                let read = try CCCDChip.read(
                    transport: channel, access: AccessKeys(can: pace ? "012345" : nil, bac: [citizen.bacKey]),
                    files: files, store: pki.store)
                if read.authenticity != .verified { failures += 1 }
                apdus = read.apduCount
                sizes = files.map { read.files[$0]?.count ?? 0 }
                cardAccessSize = reader.card?.files[.cardAccess]?.count ?? 0
            } catch {
                failures += 1
            }
            cardSeconds += pipe.cardSeconds
        }
        let total = readSeconds / Double(reads) * 1000
        let card = cardSeconds / Double(reads) * 1000
        print(
            "\(name), \(pace ? "PACE (CAN, ECDH-GM AES-128 brainpoolP256r1)" : "BAC"), short file ids \(shortIDs ? "on" : "off (SELECT per file)"):")
        print(
            String(
                format: "  APDUs %d (JMRTD default for the same files: %d)%@; files %@ bytes", apdus,
                jmrtdAPDUs(sizes, cardAccess: pace ? cardAccessSize : nil),
                pace ? " (PACE: EF.CardAccess, MSE:Set AT, 4 GENERAL AUTHENTICATE instead of BAC's 2)" : "",
                sizes.map(String.init).joined(separator: "/")))
        print(
            String(
                format: "  CPU per read: %.2f ms kiosk side (%.2f ms with the emulated card's own work)%@", total - card, total,
                failures > 0 ? ", \(failures) FAILED" : ""))
    }
}
