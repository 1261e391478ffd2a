import CitizenCard
import Devices
import Foundation
import KioskTestSupport
import Testing
import VirtualCard

/// The real libusb code path: an exchange with the virtual chip is recorded, written as a
/// umockdev device description and usbmon capture, and this test bundle is run again under
/// `umockdev-run`, where `replayedThroughLibUSB` reads the card through `LibUSBReader`. umockdev
/// answers a transfer only if its type, endpoint, length and (going out) bytes match the
/// recording, so the replay checks every CCID message the driver sends.
@Suite struct USBReplayTests {
    static let environmentKey = "KIOSK_USB_REPLAY"

    enum Scenario: String, CaseIterable, Sendable {
        /// ACR1252U-like: extended APDUs, 522-byte messages; read verified.
        case extendedReader = "extended"
        /// ACR122U-like: short APDUs only; read verified.
        case shortReader = "short"
        /// The card lifted after 5 APDUs.
        case removedMidRead = "removed"
        /// PACE with the CAN (AES, brainpoolP256r1) on the extended reader.
        case pace
        /// The replaying side uses other nonces than the recording: the replay must refuse.
        case mismatch

        var known: KnownReader { KnownReader.table.first { $0.name == (self == .shortReader ? "ACS ACR122U" : "ACS ACR1252U") }! }
        var descriptor: CCIDDescriptor {
            self == .shortReader ? VirtualCCIDReader.shortAPDUDescriptor : VirtualCCIDReader.extendedAPDUDescriptor
        }
        var replaySeed: String { self == .mismatch ? "other-nonces" : "usb-replay" }
    }

    /// What both sides do: the same calls in the same order.
    /// The reader's failures as the driver sees them: unwrapped from the chip protocol's.
    static func exchange(_ channel: CCIDChannel, scenario: Scenario, seed: String, store: CSCAStore) throws(CardReaderError) -> CCCDRead {
        guard try channel.cardPresent() else { throw .noCard }
        _ = try channel.powerOn()
        let access = scenario == .pace ? AccessKeys(can: "012345") : AccessKeys(bac: [SyntheticCitizen().bacKey])
        let read: CCCDRead
        do throws(CardError) {
            read = try CCCDChip.read(
                transport: channel, access: access, files: [.dg1, .dg13, .sod],
                store: store, random: SeededRandom(seed: seed))
        } catch {
            throw CardReaderError(error)
        }
        try channel.powerOff()
        return read
    }

    @Test(arguments: Scenario.allCases)
    func recordedExchangeReplaysThroughLibUSB(scenario: Scenario) async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("kiosk-usb-\(scenario.rawValue)-\(UUID())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }

        // Record against the virtual chip.
        let pki = try TestPKI()
        let card = try VirtualCCCD(pki: pki)
        let reader = VirtualCCIDReader(card: card, descriptor: scenario.descriptor)
        if scenario == .removedMidRead { reader.removeCardAfterAPDUs = 5 }
        let recorder = RecordingPipe(reader)
        let recorded = Result { () throws(CardReaderError) in
            try Self.exchange(CCIDChannel(pipe: recorder, descriptor: scenario.descriptor), scenario: scenario, seed: "usb-replay", store: pki.store)
        }
        if scenario == .removedMidRead {
            #expect(throws: CardReaderError.cardRemoved) { try recorded.get() }
        } else {
            #expect(try recorded.get().authenticity == .verified)
        }
        let capture = USBCapture(vendorID: scenario.known.vendorID, productID: scenario.known.productID, descriptor: scenario.descriptor)
        try capture.deviceDescription.write(to: dir.appendingPathComponent("reader.umockdev"), atomically: true, encoding: .utf8)
        try Data(capture.pcap(recorder.transfers)).write(to: dir.appendingPathComponent("reader.pcap"))
        try pki.caCertificatePEM.write(to: dir.appendingPathComponent("csca.pem"), atomically: true, encoding: .utf8)

        // Replay through libusb, in this same test bundle under umockdev-run.
        let bundle = URL(fileURLWithPath: try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"))
        let result = try await runProgram(
            URL(fileURLWithPath: "/usr/bin/umockdev-run"),
            [
                "-d", dir.appendingPathComponent("reader.umockdev").path,
                "-p", "\(capture.sysfsPath)=\(dir.appendingPathComponent("reader.pcap").path)",
                "--", bundle.path, "--testing-library", "swift-testing", "--filter", "replayedThroughLibUSB",
            ], environment: [Self.environmentKey: dir.path, "KIOSK_USB_SCENARIO": scenario.rawValue])
        let output = result.output + result.errors
        #expect(result.status == 0, "\(output.suffix(3000))")
        #expect(output.contains("Test replayedThroughLibUSB() passed"), "the replay test did not run: \(output.suffix(2000))")
    }

    /// Runs only inside `umockdev-run`, started by the test above.
    @Test(.enabled(if: ProcessInfo.processInfo.environment[environmentKey] != nil))
    func replayedThroughLibUSB() throws {
        let env = ProcessInfo.processInfo.environment
        let dir = try #require(env[Self.environmentKey])
        let scenario = try #require(env["KIOSK_USB_SCENARIO"].flatMap(Scenario.init(rawValue:)))
        #expect(env["UMOCKDEV_DIR"] != nil, "not under umockdev-run")

        let readers = try LibUSBReader.list()
        #expect(readers.count == 1)
        let found = try #require(readers.first)
        #expect(found.name == scenario.known.name)
        #expect(found.descriptor.maxMessageLength == scenario.descriptor.maxMessageLength)
        #expect(found.bulkIn == 0x82 && found.bulkOut == 0x02)

        let usb = try LibUSBReader.openFirst()
        defer { usb.close() }
        let channel = CCIDChannel(pipe: usb, descriptor: usb.info.effectiveDescriptor)
        channel.readTimeoutMilliseconds = 1_500
        channel.writeTimeoutMilliseconds = 1_500
        let result = Result { () throws(CardReaderError) in
            try Self.exchange(channel, scenario: scenario, seed: scenario.replaySeed, store: CSCAStore(directory: dir))
        }
        switch scenario {
        case .extendedReader, .shortReader, .pace:
            let read = try result.get()
            #expect(read.accessControl == (scenario == .pace ? "PACE" : "BAC"))
            #expect(read.authenticity == .verified)
            #expect(read.dg13?.fullName == SyntheticCitizen().fullName)
        case .removedMidRead:
            #expect(throws: CardReaderError.cardRemoved) { try result.get() }
        case .mismatch:
            // The external-authenticate message differs from the recording: never answered.
            guard case .failure(.timeout) = result else {
                Issue.record("a replay with other bytes was answered: \(result)")
                return
            }
        }
    }
}
