import CitizenCard
import Devices
import Testing
import VirtualCard

/// The whole read — CCID messages, BAC, secure messaging, the files, passive authentication —
/// against the virtual chip in an emulated reader, for every fault the card and reader can show.
@Suite struct VirtualChipTests {
    static let pki = try! TestPKI()
    static let citizen = SyntheticCitizen()

    func reader(
        _ descriptor: CCIDDescriptor = VirtualCCIDReader.extendedAPDUDescriptor, options: VirtualCCCD.Options = .init()
    ) throws -> (VirtualCCIDReader, CCIDChannel) {
        let card = try VirtualCCCD(pki: Self.pki, options: options)
        let reader = VirtualCCIDReader(card: card, descriptor: descriptor)
        return (reader, CCIDChannel(pipe: reader, descriptor: descriptor))
    }

    func read(
        _ channel: CCIDChannel, keys: [BACKey] = [citizen.bacKey], can: String? = nil, store: CSCAStore = pki.store,
        files: [LDSFile] = CCCDChip.defaultFiles
    ) throws(CardReaderError) -> CCCDRead {
        _ = try channel.powerOn()
        do throws(CardError) {
            return try CCCDChip.read(
                transport: channel, access: AccessKeys(can: can, bac: keys), files: files, store: store,
                random: SeededRandom(seed: "test"))
        } catch {
            throw CardReaderError(error)
        }
    }

    @Test(arguments: [VirtualCCIDReader.extendedAPDUDescriptor, VirtualCCIDReader.shortAPDUDescriptor])
    func readsEveryFieldAndVerifiesTheChip(descriptor: CCIDDescriptor) throws {
        let (_, channel) = try reader(descriptor)
        let result = try read(channel)
        #expect(result.authenticity == .verified)
        #expect(result.mrz.documentNumber == "185012345")
        #expect(result.mrz.optionalData1 == Self.citizen.idNumber)
        #expect(result.mrz.dateOfBirth == "850905" && result.mrz.dateOfExpiry == "450905" && result.mrz.sex == "F")
        #expect(result.mrz.primaryIdentifier == "NGUYEN" && result.mrz.secondaryIdentifier == "THI THU NGHIEM")
        let dg13 = try #require(result.dg13)
        #expect(dg13.idNumber == Self.citizen.idNumber)
        #expect(dg13.fullName == "Nguyễn Thị Thử Nghiệm")
        #expect(dg13.dateOfBirth == "05/09/1985")
        #expect(dg13.sex == "Nữ" && dg13.ethnicity == "Kinh" && dg13.religion == "Không")
        #expect(dg13.placeOfResidence == Self.citizen.placeOfResidence)
        #expect(dg13.issueDate == "15/01/2024" && dg13.expiryDate == "05/09/2045")
        #expect(dg13.fatherName == "Nguyễn Văn Mẫu" && dg13.motherName == "Trần Thị Thử")
        #expect(dg13.oldIdNumber == "012345678")
        let face = try #require(result.faceImage)
        #expect(face.prefix(3) == [0xFF, 0xD8, 0xFF])
        #expect(result.files[.dg2] == Self.citizen.dg2)
    }

    @Test func bothLayoutsOfTheParentsFieldRead() throws {
        var options = VirtualCCCD.Options()
        options.parentsLayout = .oneSequence
        let (_, channel) = try reader(options: options)
        let dg13 = try #require(try read(channel).dg13)
        #expect(dg13.fatherName == "Nguyễn Văn Mẫu" && dg13.motherName == "Trần Thị Thử")
    }

    @Test func anUnknownCAIsToldApartFromVerified() throws {
        let (_, channel) = try reader()
        let other = try TestPKI(name: "Another CA")
        #expect(try read(channel, store: other.store).authenticity == .caUnknown)
        let (_, again) = try reader()
        #expect(try read(again, store: CSCAStore(certificates: [])).authenticity == .caUnknown)
    }

    @Test(arguments: [LDSFile.dg1, .dg13, .dg2])
    func aTamperedDataGroupFailsPassiveAuthentication(file: LDSFile) throws {
        let (reader, channel) = try reader()
        reader.card?.tamper(file)
        let result = try read(channel)
        #expect(result.authenticity == .failed("DG\(file.dataGroupNumber!) does not match its hash"))
    }

    @Test func aTamperedSODSignatureFails() throws {
        let (reader, channel) = try reader()
        reader.card?.tamper(.sod)
        guard case .failed(let why) = try read(channel, files: [.dg1, .dg13, .sod]).authenticity else {
            Issue.record("a tampered SOD passed")
            return
        }
        #expect(why.contains("EF.SOD"))
    }

    @Test func wrongKeysAreRefused() throws {
        let (_, channel) = try reader()
        var wrong = Self.citizen.bacKey
        wrong.dateOfBirth = "850906"
        #expect(throws: CardReaderError.chip(.accessDenied)) { try read(channel, keys: [wrong]) }
    }

    @Test func theRightKeyAmongCandidatesOpensTheChip() throws {
        let (_, channel) = try reader()
        let keys = try CCCDAccess.keys(idNumber: Self.citizen.idNumber, dateOfBirth: Self.citizen.dateOfBirth)
        #expect(keys.count == 2)  // 40th and 60th birthdays; the 25th was before chip cards
        let result = try read(channel, keys: keys)
        #expect(result.authenticity == .verified)
    }

    /// The card lifted after each possible number of APDUs: the read always fails as a
    /// removal, never with partial data, and the next read on the same reader succeeds.
    @Test(arguments: [
        (VirtualCCIDReader.extendedAPDUDescriptor, nil), (VirtualCCIDReader.shortAPDUDescriptor, nil),
        (VirtualCCIDReader.extendedAPDUDescriptor, "012345"),
    ])
    func removalAtEveryStepFailsCleanlyAndTheNextReadWorks(descriptor: CCIDDescriptor, can: String?) throws {
        let (probe, probeChannel) = try reader(descriptor)
        _ = try read(probeChannel, can: can)
        let total = probe.apduCount
        #expect(total > 5)
        for n in 0..<total {
            let (reader, channel) = try reader(descriptor)
            let card = reader.card!
            reader.removeCardAfterAPDUs = n
            #expect(throws: CardReaderError.cardRemoved) { try read(channel, can: can) }
            #expect(throws: CardReaderError.noCard) { try channel.powerOn() }
            reader.insert(card)
            #expect(try read(channel, can: can).authenticity == .verified)
        }
    }

    static let can = "012345"

    @Test(arguments: [(PACEInfo.prefix + "2.2", 13), (PACEInfo.prefix + "2.2", 12), (PACEInfo.prefix + "2.1", 13), (PACEInfo.prefix + "2.4", 16)])
    func paceWithTheCANOpensTheChipWithoutTheBirthDate(oid: String, parameterID: Int) throws {
        var options = VirtualCCCD.Options()
        options.pace = PACEInfo(protocolOID: oid, parameterID: parameterID)
        for descriptor in [VirtualCCIDReader.extendedAPDUDescriptor, VirtualCCIDReader.shortAPDUDescriptor] {
            let (_, channel) = try reader(descriptor, options: options)
            let result = try read(channel, keys: [], can: Self.can)
            #expect(result.accessControl == "PACE" && result.authenticity == .verified)
            #expect(result.dg13?.fullName == Self.citizen.fullName)
        }
    }

    @Test func aWrongCANFallsBackToBACOrIsRefused() throws {
        let (_, channel) = try reader()
        let fallback = try read(channel, can: "999999")
        #expect(fallback.accessControl == "BAC" && fallback.authenticity == .verified)
        let (_, again) = try reader()
        #expect(throws: CardReaderError.chip(.accessDenied)) { try read(again, keys: [], can: "999999") }
    }

    @Test func aChipWithoutPACENeedsTheMRZKeys() throws {
        var options = VirtualCCCD.Options()
        options.pace = nil
        let (_, channel) = try reader(options: options)
        #expect(throws: CardReaderError.chip(.mrzKeysNeeded)) { try read(channel, keys: [], can: Self.can) }
        let (_, again) = try reader(options: options)
        #expect(try read(again, can: Self.can).accessControl == "BAC")
    }

    @Test func timeExtensionsAndStaleAnswersAreFollowed() throws {
        let (reader, channel) = try reader()
        reader.timeExtensionsPerAPDU = 2
        reader.staleAnswerBeforeAPDU = true
        #expect(try read(channel).authenticity == .verified)
    }

    @Test func aChipWithoutShortFileIDsIsReadBySelectingFiles() throws {
        var options = VirtualCCCD.Options()
        options.shortFileIDs = false
        let (_, channel) = try reader(options: options)
        #expect(try read(channel).dg13?.fullName == "Nguyễn Thị Thử Nghiệm")
    }

    @Test func aChipWithoutExtendedLengthsIsReadInShortBlocks() throws {
        var options = VirtualCCCD.Options()
        options.extendedLength = false
        let (_, channel) = try reader(options: options)
        #expect(try read(channel).authenticity == .verified)
    }

    @Test func anUnpluggedReaderSaysSo() throws {
        let (reader, channel) = try reader()
        reader.unplug()
        #expect(throws: CardReaderError.readerUnavailable("unplugged during bulk out")) { try channel.cardPresent() }
    }

    @Test func expiryFollowsTheValidityRules() throws {
        // Issued at 38: the card runs to the 60th birthday.
        #expect(try CCCDAccess.keys(idNumber: "001185012345", dateOfBirth: "1985-09-05", issueDate: "2024-01-15").map(\.dateOfExpiry) == ["450905"])
        // Issued at 35: to the 40th.
        #expect(try CCCDAccess.keys(idNumber: "001185012345", dateOfBirth: "1985-09-05", issueDate: "2021-01-15").map(\.dateOfExpiry) == ["250905"])
        // Issued at 23, more than two years before 25: to the 25th; born on 29 February.
        #expect(try CCCDAccess.keys(idNumber: "001200012345", dateOfBirth: "2000-02-29", issueDate: "2023-01-10").map(\.dateOfExpiry) == ["250228"])
        // Issued after 58: no expiry date can be worked out.
        #expect(throws: CCCDAccess.Problem.noExpiry) {
            try CCCDAccess.keys(idNumber: "001155012345", dateOfBirth: "1955-01-01", issueDate: "2022-01-01")
        }
        #expect(throws: CCCDAccess.Problem.idNumberNotTwelveDigits) { try CCCDAccess.keys(idNumber: "12345", dateOfBirth: "1985-09-05") }
    }
}
