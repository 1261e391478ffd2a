public import CivicIdentity
public import CitizenCard
import Foundation
import Localized

/// The chip ID card reader driver: a CCID reader (through libusb, or an emulated one), the
/// CCCD read with BAC and passive authentication, faults turned into status and notices.
///
/// A `DriverActor`: all USB work runs on the driver's own serial executor, never on the
/// cooperative pool; every transfer has a timeout, every read the request's deadline and
/// cancellation. A reader that goes away is dropped and looked for again with a fresh libusb
/// context. Card data never reaches a log or a status.
public actor CCIDCardReader: CardReader, BroadcastingDevice, DriverActor {
    public struct Settings: Sendable {
        /// Trusted country-signing CA certificates for passive authentication.
        public var cscaStore: CSCAStore
        /// Read DG2 (the face image) as well.
        public var readFace: Bool
        /// How often to look at the slot while waiting for a card.
        public var pollInterval: Duration
        public var random: any RandomSource

        public init(
            cscaStore: CSCAStore, readFace: Bool = true, pollInterval: Duration = .milliseconds(200),
            random: any RandomSource = SystemRandom()
        ) {
            self.cscaStore = cscaStore
            self.readFace = readFace
            self.pollInterval = pollInterval
            self.random = random
        }
    }

    public nonisolated let id: String
    public nonisolated var kind: DeviceKind { .cardReader }
    public nonisolated let broadcaster: StatusBroadcaster
    public nonisolated let executor = DriverExecutor(label: "kiosk.ccid")
    public nonisolated var unownedExecutor: UnownedSerialExecutor { executor.asUnownedSerialExecutor() }
    /// Looked at every 5 s, busy or not: a reader unplugged, or a card left behind, shows
    /// before the next applicant needs it.
    public nonisolated var probeSchedule: ProbeSchedule { ProbeSchedule(whenMissing: .seconds(5), whenFaulted: .seconds(5), whenIdle: .seconds(5)) }
    private let source: any CCIDReaderSource
    private let settings: Settings
    private var reader: OpenedCCIDReader?
    private var channel: CCIDChannel?

    public init(id: String, source: any CCIDReaderSource, settings: Settings, driverName: String = "ccid") {
        self.id = id
        self.settings = settings
        self.source = source
        broadcaster = StatusBroadcaster(DeviceStatus(id: id, kind: .cardReader, driver: driverName, state: .starting))
    }

    /// Opens the reader if needed and looks at the slot.
    public func probe() async {
        switch attempt({ () throws(CardReaderError) in try slotState() }) {
        case .success(let (name, present)):
            await broadcaster.update {
                $0.model = name
                if $0.state != .busy { $0.state = .online }
                $0.media = present ? .cardPresent : .cardAbsent
                $0.lastError = nil
            }
        case .failure(let error):
            await record(error)
        }
    }

    public func readCard(_ request: CardReadRequest) async throws(DeviceFailure) -> Identity {
        let read = try await readChip(request)
        if case .failed = read.authenticity {
            throw DeviceFailure(state: .online, media: .cardPresent, notice: DeviceNotices.cardNotAuthentic.detailed(read.authenticity.description))
        }
        guard let identity = Self.identity(from: read) else {
            throw DeviceFailure(
                state: .online, media: .cardPresent, notice: DeviceNotices.cardUnreadable.detailed("the chip's date of birth is not a date"))
        }
        return identity
    }

    /// The full read, with every file as delivered (kioskctl uses this).
    public func readChip(_ request: CardReadRequest, files: [LDSFile]? = nil) async throws(DeviceFailure) -> CCCDRead {
        let keys = try Self.keys(for: request)
        var wanted = files ?? CCCDChip.defaultFiles
        if files == nil, !settings.readFace { wanted.removeAll { $0 == .dg2 } }
        await broadcaster.update { $0.state = .busy }
        let deadline = DriverDeadline(after: .seconds(request.timeoutSeconds))
        let result = attempt { () throws(CardReaderError) in try read(keys: keys, files: wanted, deadline: deadline) }
        switch result {
        case .success(let read):
            await broadcaster.update {
                $0.state = .online
                $0.media = .cardPresent
                $0.lastError = nil
            }
            return read
        case .failure(.chip(.mrzKeysNeeded)):
            await broadcaster.update { $0.state = .online }
            throw DeviceFailure(state: .online, media: .cardPresent, notice: Self.mrzKeysNotice(request))
        case .failure(let error):
            throw await record(error)
        }
    }

    /// Updates the status for a failure and returns what to tell the caller.
    @discardableResult
    private func record(_ error: CardReaderError) async -> DeviceFailure {
        let failure = Self.failure(for: error)
        await broadcaster.update {
            $0.state = failure.state
            $0.media = failure.media
            if failure.state == .noDevice || failure.notice.actor == .technician { $0.lastError = failure.notice }
            if failure.state == .noDevice { $0.model = nil }
        }
        return failure
    }

    /// PACE's CAN from the ID number, and BAC's keys when the date of birth is known (and the
    /// expiry given or derivable): PACE is tried first, BAC is the fallback.
    static func keys(for request: CardReadRequest) throws(DeviceFailure) -> AccessKeys {
        guard let number = request.idNumber, let documentNumber = try? CCCDAccess.documentNumber(idNumber: number) else {
            throw DeviceFailure(state: .online, notice: DeviceNotices.cardKeysNeeded)
        }
        var bac: [BACKey] = []
        if let birth = request.dateOfBirth {
            bac =
                (try? CCCDAccess.keys(
                    idNumber: number, dateOfBirth: birth.description, dateOfExpiry: request.dateOfExpiry?.description,
                    issueDate: request.issueDate?.description)) ?? []
        }
        return AccessKeys(can: String(documentNumber.suffix(6)), bac: bac)
    }

    /// What to ask when the chip offers only BAC and its key could not be made.
    static func mrzKeysNotice(_ request: CardReadRequest) -> Notice {
        request.dateOfBirth == nil ? DeviceNotices.cardKeysNeeded : DeviceNotices.cardExpiryNeeded
    }

    static func failure(for error: CardReaderError) -> DeviceFailure {
        switch error {
        case .noCard: DeviceFailure(state: .online, media: .cardAbsent, notice: DeviceNotices.cardNotPresent)
        case .cardRemoved: DeviceFailure(state: .online, media: .cardAbsent, notice: DeviceNotices.cardRemoved)
        case .chip(.accessDenied): DeviceFailure(state: .online, media: .cardPresent, notice: DeviceNotices.cardAccessDenied)
        case .chip(.mrzKeysNeeded): DeviceFailure(state: .online, media: .cardPresent, notice: DeviceNotices.cardExpiryNeeded)
        case .readerUnavailable: DeviceFailure(state: .noDevice, notice: DeviceNotices.cardReaderUnavailable.detailed(error.description))
        case .timeout: DeviceFailure(state: .online, notice: DeviceNotices.cardTimedOut.detailed(error.description))
        case .unsupportedReader, .chip(.unsupportedCard):
            DeviceFailure(state: .hardwareError, notice: DeviceNotices.cardReaderUnsupported.detailed(error.description))
        case .chip(.cancelled): DeviceFailure(state: .online, notice: DeviceNotices.cardReadCancelled)
        case .protocolError, .aborted, .chip:
            DeviceFailure(state: .online, media: .cardPresent, notice: DeviceNotices.cardUnreadable.detailed(error.description))
        }
    }

    // MARK: On the driver's executor (blocking)

    /// Runs `body`; a reader that went away is dropped, to be looked for afresh.
    private func attempt<T>(_ body: () throws(CardReaderError) -> T) -> Result<T, CardReaderError> {
        do throws(CardReaderError) {
            return .success(try body())
        } catch {
            if case .readerUnavailable = error { drop() }
            return .failure(error)
        }
    }

    private func open() throws(CardReaderError) -> CCIDChannel {
        if let channel { return channel }
        let opened = try source.open()
        reader = opened
        let c = CCIDChannel(pipe: opened.pipe, descriptor: opened.descriptor)
        channel = c
        return c
    }

    private func drop() {
        reader?.close()
        reader = nil
        channel = nil
    }

    private func slotState() throws(CardReaderError) -> (String, Bool) {
        let c = try open()
        return (reader?.name ?? "CCID reader", try c.cardPresent())
    }

    /// Waits for a card, reads it, and starts over if it is lifted mid-read, until the
    /// request's deadline or its cancellation.
    private func read(keys: AccessKeys, files: [LDSFile], deadline: DriverDeadline) throws(CardReaderError) -> CCCDRead {
        let c = try open()
        var lastFailure = CardReaderError.noCard
        // The slot is looked at at least once, however late the executor got to the request.
        var first = true
        while true {
            do throws(DriverStop) {
                if !first { try deadline.check() }
            } catch .cancelled {
                throw .chip(.cancelled)
            } catch {
                throw lastFailure
            }
            if first, Task.isCancelled { throw .chip(.cancelled) }
            first = false
            guard try c.cardPresent() else {
                Thread.sleep(forTimeInterval: settings.pollInterval.timeInterval)
                continue
            }
            do throws(CardReaderError) {
                _ = try c.powerOn()
                let result = Result { () throws(CardError) in
                    try CCCDChip.read(
                        transport: c, access: keys, files: files, store: settings.cscaStore, random: settings.random,
                        isCancelled: { Task.isCancelled })
                }
                try? c.powerOff()
                switch result {
                case .success(let read): return read
                case .failure(let error): throw CardReaderError(error)
                }
            } catch .cardRemoved, .noCard {
                // Lifted mid-read: nothing kept; read again from the start when it returns.
                lastFailure = .cardRemoved
                try? c.powerOff()
            } catch {
                try? c.powerOff()
                throw error
            }
        }
    }

    /// The holder's identity: DG13's fields, the MRZ where DG13 is silent; nil when the chip's
    /// birth date is not a date (garbage from a card is refused, not half-used).
    public static func identity(from read: CCCDRead) -> Identity? {
        let dg13 = read.dg13
        guard let birth = dg13?.dateOfBirth.flatMap(dayMonthYear) ?? mrzDate(read.mrz.dateOfBirth, past: true) else { return nil }
        let assurance: Identity.Assurance =
            switch read.authenticity {
            case .verified: .chipVerified
            case .caUnknown: .chipCAUnknown
            case .failed: .chipUnchecked
            }
        return Identity(
            assurance: assurance,
            idNumber: dg13?.idNumber ?? read.mrz.optionalData1,
            fullName: dg13?.fullName ?? [read.mrz.primaryIdentifier, read.mrz.secondaryIdentifier].joined(separator: " "),
            dateOfBirth: birth,
            sex: (dg13?.sex).flatMap(Sex.init(cardText:)) ?? Sex(cardText: read.mrz.sex),
            nationality: dg13?.nationality, ethnicity: dg13?.ethnicity, religion: dg13?.religion,
            placeOfOrigin: dg13?.placeOfOrigin, placeOfResidence: dg13?.placeOfResidence,
            issueDate: dg13?.issueDate.flatMap(dayMonthYear),
            expiryDate: dg13?.expiryDate.flatMap(dayMonthYear) ?? mrzDate(read.mrz.dateOfExpiry, past: false),
            oldIdNumber: dg13?.oldIdNumber.flatMap { $0.isEmpty ? nil : $0 })
    }

    /// DG13's `dd/MM/yyyy`; nil for anything else ("Không thời hạn").
    package static func dayMonthYear(_ text: String) -> CivilDate? {
        let p = text.split(separator: "/")
        guard p.count == 3, p[0].count == 2, p[1].count == 2, p[2].count == 4, p.allSatisfy({ $0.allSatisfy { $0.isASCII && $0.isNumber } }) else {
            return nil
        }
        return CivilDate(parsing: text)
    }

    /// The MRZ's `YYMMDD`: birth dates are in the past, expiry dates in this century.
    package static func mrzDate(_ yymmdd: String, past: Bool) -> CivilDate? {
        guard yymmdd.count == 6, yymmdd.allSatisfy({ $0.isASCII && $0.isNumber }), let yy = Int(yymmdd.prefix(2)),
            let mm = Int(yymmdd.dropFirst(2).prefix(2)), let dd = Int(yymmdd.suffix(2))
        else { return nil }
        let thisYear = CivilDate(Date()).year % 100
        let century = past && yy > thisYear ? 1900 : 2000
        return CivilDate(year: century + yy, month: mm, day: dd)
    }
}
