import CitizenCard
import Devices
import Foundation
import KioskTestSupport
import Testing
import VirtualCard

/// `kioskctl card` and `kioskctl selftest cardreader`, the real binary: on the emulated reader,
/// and on the USB path through libusb under umockdev-run.
@Suite struct CardCommandTests {
    static let binary = builtProduct("kioskctl")
    let citizen = SyntheticCitizen()

    func kioskctl(_ arguments: [String], json: Bool = true) async throws -> (Int32, [String: Any], String) {
        let result = try await runProgram(Self.binary, arguments + (json ? ["--json"] : []))
        return (result.status, (try? JSONSerialization.jsonObject(with: result.stdout) as? [String: Any]) ?? [:], result.output + result.errors)
    }

    @Test func readPrintsEveryFieldWithTheNumberMaskedUnlessRevealed() async throws {
        let (status, report, output) = try await kioskctl(["card", "read", "--reader", "virtual", "--qr", citizen.qrPayload])
        #expect(status == 0, "\(output)")
        let fields = try #require(report["fields"] as? [String: String])
        #expect(fields["id_number"] == "••••••••2345" && fields["old_id_number"] == "•••••5678")
        #expect(fields["full_name"] == "Nguyễn Thị Thử Nghiệm" && fields["date_of_birth"] == "1985-09-05")
        #expect(fields["father"] == "Nguyễn Văn Mẫu" && fields["mother"] == "Trần Thị Thử" && fields["expiry_date"] == "2045-09-05")
        #expect(report["authenticity"] as? String == "ca_unknown", "the emulated card's CA is not in ./csca")
        #expect((report["files"] as? [String: Int])?["DG2"] != nil)
        #expect(!output.contains(citizen.idNumber), "the full number is never printed without --reveal")

        let (_, revealed, _) = try await kioskctl([
            "card", "read", "--reader", "virtual", "--id", citizen.idNumber, "--dob", "05/09/1985",
            "--expiry", citizen.expiryDate, "--no-face", "--reveal",
        ])
        #expect((revealed["fields"] as? [String: String])?["id_number"] == citizen.idNumber)
        #expect((revealed["files"] as? [String: Int])?["DG2"] == nil)
    }

    /// A QR code that is not a card's is refused before the reader is touched, naming the field.
    @Test func aForgedQRCodeIsRefusedNamingTheField() async throws {
        let forged = citizen.qrPayload.replacingOccurrences(of: "Nữ", with: "Nam")
        let (status, _, output) = try await kioskctl(["card", "read", "--reader", "virtual", "--qr", forged], json: false)
        #expect(status != 0)
        #expect(output.contains("field 1, the CCCD number") && output.contains("sex"), "\(output)")
    }

    @Test func wrongOrMissingKeysAreExplained() async throws {
        // Another well-formed number: neither PACE (its CAN) nor BAC (its document number) opens the chip.
        let (denied, _, deniedOutput) = try await kioskctl([
            "card", "read", "--reader", "virtual", "--id", "001185012346",
            "--dob", "1985-09-05", "--expiry", "2045-09-05", "--timeout", "2",
        ])
        #expect(denied == 1 && deniedOutput.contains("card.access_denied — applicant must act"), "\(deniedOutput)")
        let (missing, _, missingOutput) = try await kioskctl(["card", "read", "--reader", "virtual"])
        #expect(missing != 0 && missingOutput.contains("give --qr, or --id and --dob"), "\(missingOutput)")
    }

    @Test func selftestOnTheEmulatedReader() async throws {
        let (status, report, output) = try await kioskctl(["selftest", "cardreader", "--reader", "virtual", "--level", "external"])
        #expect(status == 0 && report["passed"] as? Bool == true, "\(output)")
        let names = ((report["checks"] as? [[String: Any]]) ?? []).compactMap { $0["name"] as? String }
        #expect(names == ["reader", "CA store", "slot status", "card"])
    }

    @Test func withoutAReaderTheTechnicianIsToldWhatIsMissing() async throws {
        let (status, report, output) = try await kioskctl(["card", "status"])
        #expect(status == 1, "\(output)")
        let device = try #require(report["status"] as? [String: Any])
        #expect(device["state"] as? String == "no_device")
        #expect(((device["lastError"] as? [String: Any])?["detail"] as? String)?.contains("no CCID reader on the USB bus") == true)
        let (selftest, _, _) = try await kioskctl(["selftest", "cardreader"])
        #expect(selftest == 1)
    }

    /// The USB path: libusb finds the emulated ACR1252U, opens and claims it, and the one
    /// slot-status exchange matches the capture.
    @Test func statusThroughLibUSBUnderUmockdev() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("kiosk-card-status-\(UUID())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let descriptor = VirtualCCIDReader.extendedAPDUDescriptor
        let recorder = RecordingPipe(VirtualCCIDReader(card: try VirtualCCCD(pki: TestPKI()), descriptor: descriptor))
        #expect(try CCIDChannel(pipe: recorder, descriptor: descriptor).cardPresent())
        let capture = USBCapture(vendorID: 0x072F, productID: 0x223E, descriptor: descriptor)
        try capture.deviceDescription.write(to: dir.appendingPathComponent("reader.umockdev"), atomically: true, encoding: .utf8)
        try Data(capture.pcap(recorder.transfers)).write(to: dir.appendingPathComponent("reader.pcap"))

        let result = try await runProgram(
            URL(fileURLWithPath: "/usr/bin/umockdev-run"),
            [
                "-d", dir.appendingPathComponent("reader.umockdev").path,
                "-p", "\(capture.sysfsPath)=\(dir.appendingPathComponent("reader.pcap").path)",
                "--", Self.binary.path, "card", "status", "--json",
            ])
        #expect(result.status == 0, "\(result.output) \(result.errors)")
        let report = try #require(try JSONSerialization.jsonObject(with: result.stdout) as? [String: Any])
        let reader = try #require((report["readers"] as? [[String: Any]])?.first)
        #expect(reader["name"] as? String == "ACS ACR1252U" && reader["usbID"] as? String == "072f:223e")
        #expect(reader["exchange"] as? String == "extended APDU" && reader["maxMessageBytes"] as? Int == 522)
        let status = try #require(report["status"] as? [String: Any])
        #expect(status["state"] as? String == "online" && status["media"] as? String == "card_present")
    }
}
