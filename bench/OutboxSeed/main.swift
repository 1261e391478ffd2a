// bench/outbox_drain.sh's seeder: fills a kiosk store with sealed dossiers waiting in the
// outbox, the way a kiosk cut off from its central for days would hold them, without filing
// each one through the API. Each dossier is sealed by KioskStore.seal (its documents become
// PDFs of real JPEG pages, its outbox row is queued in the same transaction), so kioskd then
// delivers them exactly as it delivers filed ones.
//
// Usage: outbox-seed STORE COUNT [BYTES_PER_DOSSIER]   (default 2,000,000 bytes)
import Flows
import Foundation
import Imaging
import KioskStore
import Localized

let arguments = CommandLine.arguments
guard arguments.count >= 3, let count = Int(arguments[2]), count > 0 else {
    FileHandle.standardError.write(Data("usage: outbox-seed STORE COUNT [BYTES_PER_DOSSIER]\n".utf8))
    exit(2)
}
let targetBytes = arguments.count > 3 ? Int(arguments[3]) ?? 2_000_000 : 2_000_000

/// Grey A4 pages at 200 dpi with a scanner's noise on a gradient: they compress like a photo
/// page, not like blank paper, so the PDFs are as large as real ones of that many pages.
func page(seed: UInt64) throws -> EncodedPage {
    let width = 1654
    let height = 2339
    var state = seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
    var pixels = [UInt8](repeating: 0, count: width * height)
    for y in 0..<height {
        for x in 0..<width {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            let noise = Int((state >> 58) & 0x3F) - 32
            pixels[y * width + x] = UInt8(clamping: 64 + (x + y) * 128 / (width + height) + noise)
        }
    }
    let raster = Raster(kind: .gray, width: width, height: height, dpi: 200, pixels: pixels)
    let data = try JPEGEncoder().encode(raster, quality: 70, progressive: false)
    return EncodedPage(width: width, height: height, dpi: 200, kind: .gray, filter: .dct, quality: 60, data: data)
}

let pages = try (0..<4).map { n -> PagePipeline.Output in
    let page = try page(seed: UInt64(n) + 1)
    return PagePipeline.Output(
        page: page,
        report: PageReport(width: page.width, height: page.height, dpi: page.dpi, bytes: page.data.count, quality: page.quality, looksBlank: false))
}
let pageBytes = pages.map(\.page.data.count).reduce(0, +) / pages.count
// Two documents per dossier, each with as many pages as reach half the target.
let perDocument = max(1, Int((Double(targetBytes) / 2 / Double(pageBytes)).rounded()))

let store = try KioskStore(path: arguments[1])
let sealedAt = Date()
let today = CivilDate(year: 2026, month: 12, day: 4)!
var total = 0
for n in 0..<count {
    let pagesPerDocument = perDocument
    let session = UUID()
    let documents = try await store.transaction { t -> [DossierDocument] in
        try t.save(FlowSession(id: session, now: sealedAt, language: .vi), event: "bench.seed", from: nil)
        return try ["giay-to-1", "giay-to-2"].enumerated().map { index, id in
            let chosen = (0..<pagesPerDocument).map { pages[(n + index + $0) % pages.count] }
            let refs = try t.insertPages(chosen, session: session, document: id)
            return DossierDocument(
                id: id, name: LocalizedText(vi: "Giấy tờ \(index + 1)", en: "Document \(index + 1)"), form: .copy, copies: 1,
                pageIds: refs.map(\.id))
        }
    }
    let dossier = Dossier(
        clientUUID: UUID(), sessionId: session, kioskId: "BENCH", procedureCode: "BENCH-1", procedureVersion: "1",
        procedureEffectiveDate: today, procedureName: LocalizedText(vi: "Thử tải", en: "Load test"),
        sealedAt: sealedAt.addingTimeInterval(Double(n) / 1000), receivedOn: today, dueOn: today,
        provisionalReference: "BENCH-\(n)",
        identity: Identity(assurance: .typed, idNumber: "000000000000", fullName: "Thử", dateOfBirth: CivilDate(year: 1980, month: 1, day: 1)!),
        answers: [:], documents: documents, delivery: DeliverySelection(option: .counter), fees: [])
    let bytes = try await store.transaction { t -> Int in
        try t.seal(dossier)
        return try t.documentFiles(dossier.clientUUID).map(\.bytes).reduce(0, +)
    }
    total += bytes
}
print("sealed \(count) dossiers, \(total) bytes of PDF (\(total / count) per dossier, \(perDocument) pages of ~\(pageBytes) bytes per document)")
