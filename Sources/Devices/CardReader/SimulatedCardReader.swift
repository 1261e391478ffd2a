public import CivicIdentity
import Localized
/// A card reader that holds one synthetic card, for demos and fault-injection tests of the
/// flow. It never stands in for the CCID driver. The holder is invented: no real person.
public actor SimulatedCardReader: CardReader, FaultInjectable, BroadcastingDevice {
    public nonisolated let id: String
    public nonisolated var kind: DeviceKind { .cardReader }
    public nonisolated var faultNames: [String] { Fault.allCases.map(\.rawValue) }

    public enum Fault: String, CaseIterable, Sendable {
        case none
        case noCard = "no_card"
        case cardRemoved = "card_removed"
        case accessDenied = "access_denied"
        case unplugged
    }

    /// The synthetic card every simulated reader holds. Never "chip verified": only passive
    /// authentication of a real chip's data makes data verified, and a simulation has none.
    public static let syntheticHolder = Identity(
        assurance: .chipUnchecked, idNumber: "001185012345", fullName: "Nguyễn Thị Thử Nghiệm",
        dateOfBirth: CivilDate(year: 1985, month: 9, day: 5)!, sex: .female, nationality: "Việt Nam", ethnicity: "Kinh",
        religion: "Không", placeOfOrigin: "Xã Mẫu, Tỉnh Thử", placeOfResidence: "Số 1 Phố Thử, Phường Mẫu, Thành phố Hà Nội",
        issueDate: CivilDate(year: 2021, month: 1, day: 1), expiryDate: CivilDate(year: 2045, month: 9, day: 5))

    public nonisolated let broadcaster: StatusBroadcaster
    private let holder: Identity
    private let readDelay: Duration
    private var fault: Fault = .none

    public init(id: String, holder: Identity = SimulatedCardReader.syntheticHolder, readDelay: Duration = .milliseconds(300)) {
        self.id = id
        self.holder = holder
        self.readDelay = readDelay
        broadcaster = StatusBroadcaster(
            DeviceStatus(
                id: id, kind: .cardReader, driver: "simulated", model: "Simulated CCID reader",
                state: .online, media: .cardAbsent))
    }

    public func inject(fault name: String) async throws(DeviceFailure) {
        let fault: Fault = try await fault(named: name)
        self.fault = fault
        await broadcaster.update {
            $0.state = fault == .unplugged ? .noDevice : .online
            $0.lastError = fault == .unplugged ? DeviceNotices.cardReaderUnavailable : nil
            $0.media = fault == .unplugged ? nil : .cardAbsent
        }
    }

    public func readCard(_ request: CardReadRequest) async throws(DeviceFailure) -> Identity {
        switch fault {
        case .unplugged:
            throw DeviceFailure(state: .noDevice, notice: DeviceNotices.cardReaderUnavailable)
        case .noCard:
            // Waits for a card that never comes, as a real reader would, then gives up.
            try? await Task.sleep(for: .seconds(max(0, request.timeoutSeconds)))
            throw DeviceFailure(state: .online, media: .cardAbsent, notice: DeviceNotices.cardNotPresent)
        default: break
        }
        await broadcaster.update {
            $0.state = .busy
            $0.media = .cardPresent
        }
        do {
            try await Task.sleep(for: readDelay)
        } catch {
            await broadcaster.update { $0.state = .online }
            throw DeviceFailure(state: .online, media: .cardPresent, notice: DeviceNotices.cardRemoved)
        }
        let keyMismatch = request.idNumber.map { $0 != holder.idNumber } ?? false
        if fault == .accessDenied || keyMismatch {
            await broadcaster.update { $0.state = .online }
            throw DeviceFailure(state: .online, media: .cardPresent, notice: DeviceNotices.cardAccessDenied)
        }
        if fault == .cardRemoved {
            await broadcaster.update {
                $0.state = .online
                $0.media = .cardAbsent
            }
            throw DeviceFailure(state: .online, media: .cardAbsent, notice: DeviceNotices.cardRemoved)
        }
        await broadcaster.update { $0.state = .online }
        return holder
    }
}
