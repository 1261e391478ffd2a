import CivicIdentity
import CitizenCard
import Devices
import Foundation
import Testing
import VirtualCard

/// The CCID card-reader driver on the emulated reader: status, hot-plug, removal and faults
/// turned into notices, and the holder's data.
@Suite struct CCIDCardReaderTests {
    let citizen = SyntheticCitizen()

    func device(_ source: VirtualReaderSource, trustingItsCA: Bool = true) -> CCIDCardReader {
        CCIDCardReader(
            id: "card_reader", source: source,
            settings: .init(cscaStore: trustingItsCA ? source.pki.store : CSCAStore(certificates: []), pollInterval: .milliseconds(20)))
    }

    var keys: CardReadRequest {
        CardReadRequest(
            idNumber: citizen.idNumber, dateOfBirth: CivilDate(parsing: citizen.dateOfBirth), issueDate: CivilDate(parsing: citizen.issueDate),
            timeoutSeconds: 3)
    }

    @Test func readsTheHolderVerifiedAgainstTheTrustedCA() async throws {
        let source = try VirtualReaderSource()
        let reader = device(source)
        let holder = try await reader.readCard(keys)
        #expect(holder.chipVerified && holder.assurance == .chipVerified)
        #expect(holder.idNumber == citizen.idNumber && holder.fullName == citizen.fullName)
        #expect(holder.dateOfBirth.description == "1985-09-05" && holder.expiryDate?.description == "2045-09-05")
        #expect(holder.issueDate?.description == "2024-01-15")
        #expect(holder.sex == .female && holder.placeOfResidence == citizen.placeOfResidence && holder.oldIdNumber == "012345678")
        let status = await reader.status()
        #expect(status.state == .online && status.media == .cardPresent && status.lastError == nil)
    }

    @Test func anUntrustedSignerIsRecordedNotHidden() async throws {
        let holder = try await device(try VirtualReaderSource(), trustingItsCA: false).readCard(keys)
        #expect(!holder.chipVerified && holder.assurance == .chipCAUnknown)
    }

    @Test func aForgedCardIsRefusedForStaff() async throws {
        let source = try VirtualReaderSource()
        source.reader.card?.tamper(.dg13)
        await #expect(throws: DeviceFailure.self) { try await device(source).readCard(keys) }
        do {
            _ = try await device(source).readCard(keys)
        } catch {
            #expect(error.notice.code == "card.not_authentic" && error.notice.actor == .staff)
            #expect(error.notice.detail == "failed: DG13 does not match its hash")
        }
    }

    @Test func theIDNumberAloneOpensAChipWithPACE() async throws {
        let holder = try await device(try VirtualReaderSource()).readCard(CardReadRequest(idNumber: citizen.idNumber, timeoutSeconds: 3))
        #expect(holder.chipVerified && holder.fullName == citizen.fullName)
    }

    @Test func missingOrWrongKeysAskTheApplicant() async throws {
        let reader = device(try VirtualReaderSource())
        var options = VirtualCCCD.Options()
        options.pace = nil
        let bacOnly = try VirtualReaderSource()
        bacOnly.reader.insert(try VirtualCCCD(pki: bacOnly.pki, options: options))
        let failures: [(CCIDCardReader, CardReadRequest)] = [
            (reader, CardReadRequest(timeoutSeconds: 1)),
            // Another (well-formed) number: neither PACE nor BAC opens the chip.
            (
                reader,
                CardReadRequest(
                    idNumber: "001185012346", dateOfBirth: CivilDate(parsing: citizen.dateOfBirth),
                    issueDate: CivilDate(parsing: citizen.issueDate), timeoutSeconds: 1)
            ),
            // A BAC-only chip without the birth date, then without a workable expiry.
            (device(bacOnly), CardReadRequest(idNumber: citizen.idNumber, timeoutSeconds: 1)),
            (
                device(bacOnly),
                CardReadRequest(
                    idNumber: citizen.idNumber, dateOfBirth: CivilDate(year: 1955, month: 1, day: 1),
                    issueDate: CivilDate(year: 2022, month: 1, day: 1), timeoutSeconds: 1)
            ),
        ]
        var codes: [String] = []
        for (reader, request) in failures {
            do {
                _ = try await reader.readCard(request)
            } catch {
                codes.append(error.notice.code)
                #expect(error.notice.actor == .applicant && error.notice.retryable)
            }
        }
        #expect(codes == ["card.keys_needed", "card.access_denied", "card.keys_needed", "card.expiry_needed"])
    }

    @Test func aCardLiftedMidReadIsReadAgainFromTheStartWhenItReturns() async throws {
        let source = try VirtualReaderSource()
        let card = try #require(source.reader.card)
        source.reader.removeCardAfterAPDUs = 6
        let reader = device(source)
        // Put back 0.3 s after it was lifted (not after the test began: on a busy machine the
        // read may start late), from a plain thread, which a busy cooperative pool cannot delay.
        Thread.detachNewThread {
            // Generous: in CI the read started more than 20 s after this thread did, and the
            // card was put back before it was ever lifted.
            let until = Date().addingTimeInterval(120)
            while source.reader.holdsCard, Date() < until { Thread.sleep(forTimeInterval: 0.005) }
            Thread.sleep(forTimeInterval: 0.3)
            source.reader.insert(card)
        }
        var request = keys
        request.timeoutSeconds = 60
        let holder = try await reader.readCard(request)
        #expect(holder.chipVerified && holder.fullName == citizen.fullName)
        #expect(source.reader.apduCount > 12, "the read started over")
    }

    @Test func aCardLiftedForGoodFailsAsRemovedWithoutData() async throws {
        let source = try VirtualReaderSource()
        source.reader.removeCardAfterAPDUs = 6
        var request = keys
        request.timeoutSeconds = 0.5
        do {
            _ = try await device(source).readCard(request)
            Issue.record("a read without a card returned data")
        } catch {
            #expect(error.notice.code == "card.removed" && error.media == .cardAbsent)
        }
    }

    @Test func noCardWithinTheTimeoutSaysWhatToDo() async throws {
        let source = try VirtualReaderSource(cardPresent: false)
        var request = keys
        request.timeoutSeconds = 0.3
        do {
            _ = try await device(source).readCard(request)
            Issue.record("read without a card")
        } catch {
            #expect(error.notice.code == "card.not_present")
        }
    }

    @Test func unpluggedAndPluggedBackTheReaderRecovers() async throws {
        let source = try VirtualReaderSource()
        let reader = device(source)
        await reader.probe()
        #expect(await reader.status().state == .online)
        source.reader.unplug()
        await reader.probe()
        let gone = await reader.status()
        #expect(gone.state == .noDevice && gone.lastError?.code == "card.reader_unavailable" && gone.lastError?.actor == .technician)
        do {
            _ = try await reader.readCard(keys)
            Issue.record("read from an unplugged reader")
        } catch {
            #expect(error.state == .noDevice)
        }
        source.reader.replug()
        await reader.probe()
        let back = await reader.status()
        #expect(back.state == .online && back.lastError == nil && back.media == .cardPresent)
        #expect(try await reader.readCard(keys).chipVerified)
    }

    @Test func aCancelledReadStopsAndTheReaderStaysUsable() async throws {
        let source = try VirtualReaderSource(cardPresent: false)
        let reader = device(source)
        let task = Task { try await reader.readCard(keys) }
        try await Task.sleep(for: .milliseconds(100))
        task.cancel()
        let result = await task.result
        guard case .failure(let error) = result, let failure = error as? DeviceFailure else {
            Issue.record("cancelled read returned \(result)")
            return
        }
        #expect(failure.notice.code == "card.read_cancelled")
        source.reader.insert(try VirtualCCCD(pki: source.pki))
        #expect(try await reader.readCard(keys).chipVerified)
    }
}

/// The chip's dates become real dates once, in the driver; anything else is not a date.
struct ChipDateTests {
    @Test func chipDatesAreReadOnceIntoCivilDates() {
        #expect(CCIDCardReader.dayMonthYear("05/09/1985") == CivilDate(year: 1985, month: 9, day: 5))
        #expect(CCIDCardReader.mrzDate("850905", past: true) == CivilDate(year: 1985, month: 9, day: 5))
        #expect(CCIDCardReader.mrzDate("450905", past: false) == CivilDate(year: 2045, month: 9, day: 5))
        for garbage in ["31/02/1985", "Không thời hạn", "5/9/1985", "1985-09-05", "05/09/19８5"] {
            #expect(CCIDCardReader.dayMonthYear(garbage) == nil, "\(garbage)")
        }
        for garbage in ["85AB05", "851305", "850932", "8509", "<<<<<<"] {
            #expect(CCIDCardReader.mrzDate(garbage, past: true) == nil, "\(garbage)")
        }
    }
}
