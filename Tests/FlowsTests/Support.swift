import Flows
import Foundation
import Localized

/// A clock the test moves by hand.
final class ManualClock: @unchecked Sendable {
    private let lock = NSLock()
    private var current: Date

    init(_ start: Date) { current = start }

    var now: Date { lock.withLock { current } }
    func advance(_ seconds: TimeInterval) { lock.withLock { current += seconds } }
    var flowClock: FlowClock { FlowClock { [self] in now } }
}

/// Sequential UUIDs, so sealed dossiers are reproducible.
final class UUIDSequence: @unchecked Sendable {
    private let lock = NSLock()
    private var counter = 0
    func next() -> UUID {
        lock.withLock {
            counter += 1
            return UUID(uuidString: String(format: "00000000-0000-4000-8000-%012d", counter))!
        }
    }
}

enum Fixtures {
    static let repoRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let shippedCatalog = repoRoot.appendingPathComponent("catalog")

    static func catalog() throws -> Catalog { try Catalog.load(directory: shippedCatalog) }

    /// Monday 2026-11-23, 09:00 in Vietnam.
    static let monday = Date(timeIntervalSince1970: 1_795_399_200)

    static func engine(clock: ManualClock, idle: TimeInterval = 180) throws -> FlowEngine {
        let uuids = UUIDSequence()
        return FlowEngine(catalog: try catalog(), clock: clock.flowClock, idleTimeout: idle, kioskId: "KIOSK01", makeUUID: { uuids.next() })
    }

    /// A synthetic applicant: no real person. 001 = Hà Nội, 1 = female born 1900s, 85 = 1985.
    static let identity = Identity(
        assurance: .chipVerified, idNumber: "001185012345", fullName: "Nguyễn Thị Thử Nghiệm",
        dateOfBirth: CivilDate(year: 1985, month: 9, day: 5)!, sex: .female, nationality: "Việt Nam",
        placeOfResidence: "Số 1 Phố Thử, Phường Mẫu, Hà Nội")

    static func page(_ n: Int) -> PageRef {
        PageRef(id: UUID(uuidString: String(format: "AAAAAAAA-0000-4000-8000-%012d", n))!, widthPixels: 1654, heightPixels: 2339, dpi: 200)
    }
}
