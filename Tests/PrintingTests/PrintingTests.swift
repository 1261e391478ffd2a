import Devices
import Flows
import Foundation
import KioskTestSupport
import Localized
import Printing
import Testing

@Suite struct PrintingTests {
    static func receipt(name: String = "Nguyễn Thị Thử Nghiệm", address: String? = nil) -> Receipt {
        SampleReceipt.receipt(name: name, address: address)
    }

    func write(_ data: Data, _ name: String) throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("printing-\(UUID().uuidString.prefix(8))-\(name)")
        try data.write(to: url)
        return url
    }

    /// A PBM file of `raster`, for tools that read images.
    func pbm(_ raster: MonoRaster) -> Data { Data("P4\n\(raster.width) \(raster.height)\n".utf8) + Data(raster.bits) }

    /// The rasters of an ESC/POS job, checking its framing: ESC @ first, `GS v 0` bands,
    /// feed and cut last.
    static func decode(_ job: Data) throws -> (raster: MonoRaster, bands: [Int]) {
        let bytes = [UInt8](job)
        try #require(Array(bytes.prefix(2)) == [0x1B, 0x40], "ESC @ first")
        try #require(Array(bytes.suffix(7)) == [0x1B, 0x64, 0x04, 0x1D, 0x56, 0x42, 0x00], "feed and cut last")
        var index = 2, width = 0, bits: [UInt8] = [], bands: [Int] = []
        while index < bytes.count - 7 {
            try #require(Array(bytes[index..<(index + 4)]) == [0x1D, 0x76, 0x30, 0x00], "GS v 0 at \(index)")
            let rowBytes = Int(bytes[index + 4]) | Int(bytes[index + 5]) << 8
            let rows = Int(bytes[index + 6]) | Int(bytes[index + 7]) << 8
            width = rowBytes * 8
            bits += bytes[(index + 8)..<(index + 8 + rowBytes * rows)]
            bands.append(rows)
            index += 8 + rowBytes * rows
        }
        return (MonoRaster(width: width, height: bands.reduce(0, +), bits: bits), bands)
    }

    @Test func theReceiptBecomesAnESCPOSRasterInBandsWithACut() throws {
        let raster = PrintRenderer().raster(ReceiptLayout.document(Self.receipt()), width: ESCPOS.Paper.mm80.dots)
        #expect(raster.width == 576 && raster.height > 600 && raster.height < 3000, "\(raster.height) dots tall")
        #expect(raster.blackDots > 20_000, "text, rules and the QR code are drawn")
        let (decoded, bands) = try Self.decode(ESCPOS.job(raster))
        #expect(decoded == raster, "the job carries the raster exactly")
        #expect(bands.allSatisfy { $0 <= 128 } && bands.count == (raster.height + 127) / 128)
        let narrow = PrintRenderer().raster(ReceiptLayout.document(Self.receipt()), width: ESCPOS.Paper.mm58.dots)
        #expect(narrow.width == 384 && narrow.height > raster.height, "58 mm paper: the same text wraps onto more lines")
    }

    @Test func theQueueTicketShowsTheNumberLargeWithEverythingTheApplicantNeeds() async throws {
        let ticket = QueueTicket(
            queue: "ho-tich", service: LocalizedText(vi: "Hộ tịch", en: "Civil status"), number: 7, priority: .elderly,
            issuedAt: Date(timeIntervalSince1970: 1_795_399_200), peopleAhead: 3, estimatedWaitMinutes: 30)
        let document = TicketLayout.document(ticket, officeName: "UBND Phường Mẫu")
        let text = document.plainText
        for expected in [
            "PHIẾU SỐ THỨ TỰ", "U007", "Hộ tịch", "Ưu tiên — Người cao tuổi", "Số người trước / Ahead: 3",
            "khoảng 30 phút", "Giờ lấy số / Issued: 09:00 23/11/2026",
        ] {
            #expect(text.contains(expected), "\(expected) in \(text)")
        }
        let raster = PrintRenderer().raster(document, width: ESCPOS.Paper.mm58.dots)
        #expect(raster.width == 384 && raster.height > 300)
        let (decoded, _) = try Self.decode(ESCPOS.job(raster))
        #expect(decoded == raster)
        let pdf = try write(PrintRenderer().pdf(document, pageWidth: 595.28, pageHeight: 841.89, sideMargin: 56, title: "ticket"), "ticket.pdf")
        let extracted = try await runProgram(URL(fileURLWithPath: "/usr/bin/pdftotext"), [pdf.path, "-"]).output
        #expect(extracted.contains("U007") && extracted.contains("Người cao tuổi"), "\(extracted)")
    }

    @Test func longNamesAndAddressesWrapInsteadOfBeingCut() throws {
        let short = PrintRenderer().raster(ReceiptLayout.document(Self.receipt()), width: 384)
        let long = PrintRenderer().raster(
            ReceiptLayout.document(
                Self.receipt(
                    name: "Tôn Nữ Hoàng Thị Phương Khánh Ngọc Minh Nguyệt Huyền Trân",
                    address: "Số 123, ngõ 456, ngách 78, đường Nguyễn Văn Cừ kéo dài, phường Bồ Đề, quận Long Biên, thành phố Hà Nội")), width: 384)
        #expect(long.height >= short.height + 4 * 24, "the extra words take extra lines: \(short.height) → \(long.height)")
        // Nothing is drawn into the right margin: text wrapped, not clipped at the edge.
        let edge = (0..<long.height).filter { y in (long.width - 4..<long.width).contains { long.isBlack(x: $0, y: y) } }
        #expect(edge.isEmpty, "\(edge.count) rows touch the right edge")
    }

    @Test func theQRCodeScansBackToTheDossierCode() async throws {
        let raster = PrintRenderer().raster(ReceiptLayout.document(Self.receipt()), width: 576)
        let file = try write(pbm(raster), "receipt.pbm")
        defer { try? FileManager.default.removeItem(at: file) }
        let scanned = try await runProgram(URL(fileURLWithPath: "/usr/bin/zbarimg"), ["--quiet", "--raw", file.path])
        #expect(scanned.output.trimmingCharacters(in: .whitespacesAndNewlines) == "KIOSK-01-20261123-6F1C2A", "\(scanned.errors)")
    }

    @Test func thePDFReceiptCarriesTheExactVietnameseText() async throws {
        let receipt = Self.receipt()
        let pdf = try PrintRenderer().pdf(
            ReceiptLayout.document(receipt), pageWidth: 595.28, pageHeight: 841.89, sideMargin: 56,
            title: "receipt \(receipt.dossierCode)")
        let file = try write(pdf, "receipt.pdf")
        defer { try? FileManager.default.removeItem(at: file) }
        #expect(try await runProgram(URL(fileURLWithPath: "/usr/bin/qpdf"), ["--check", file.path]).status == 0)
        let text = try await runProgram(URL(fileURLWithPath: "/usr/bin/pdftotext"), ["-layout", file.path, "-"]).output
        for expected in [
            "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ", "Người nộp: Nguyễn Thị Thử Nghiệm",
            "Thủ tục: Cấp Giấy xác nhận tình trạng hôn nhân", "Bản sao Căn cước công dân — 2 trang",
            "Thời hạn giải quyết: 3 ngày làm việc", "Thời gian trả kết quả: ngày 26/11/2026",
            "Nơi nhận kết quả: Tại Bộ phận Một cửa", "MÃ TẠM",
        ] {
            #expect(text.contains(expected), "missing «\(expected)» in:\n\(text)")
        }
        let info = try await runProgram(URL(fileURLWithPath: "/usr/bin/pdfinfo"), [file.path]).output
        #expect(info.contains("595.28 x 841.89 pts (A4)"), "\(info)")
        let roll = try PrintRenderer().pdf(ReceiptLayout.document(receipt), pageWidth: 226.77)
        let rollFile = try write(roll, "roll.pdf")
        defer { try? FileManager.default.removeItem(at: rollFile) }
        let rollInfo = try await runProgram(URL(fileURLWithPath: "/usr/bin/pdfinfo"), [rollFile.path]).output
        #expect(rollInfo.contains("226.77 x"), "an 80 mm roll page: \(rollInfo)")
    }

    /// The whole path: layout → raster → ESC/POS → the CUPS driver → a private cupsd's
    /// capture backend; the captured bytes decode back to the same raster.
    @Test func anESCPOSReceiptThroughCUPSArrivesByteForByte() async throws {
        let cups = try await PrivateCUPS.start()
        defer { cups.stop() }
        let raster = PrintRenderer().raster(ReceiptLayout.document(Self.receipt()), width: 576)
        let job = ESCPOS.job(raster)
        let printer = CUPSPrinter(id: "printer", destination: "kiosk_receipt", server: cups.socket)
        _ = try await printer.print(PrintJob(title: "receipt TEST", content: .raw(job)))
        let captured = try #require(cups.captured("receipt").first)
        #expect(captured == job)
        let decoded = try Self.decode(captured).raster
        #expect(decoded == raster)
        #expect(try Self.matchesReference(decoded, "receipt-576.pbm"))
        // The comparison notices a real change: another applicant's name and address.
        let other = PrintRenderer().raster(ReceiptLayout.document(Self.receipt(name: "Trần Văn Khác", address: "Số 9 Đường Khác")), width: 576)
        #expect(try !Self.matchesReference(other, "receipt-576.pbm", writing: false))
    }

    /// Whether a raster matches a committed reference image (PBM): the same size within 2 %, and
    /// at most 1 % of the dots different (font hinting may move a few). Run with
    /// `KIOSK_WRITE_REFERENCE=1` to rewrite the reference after an intended layout change.
    static func matchesReference(_ raster: MonoRaster, _ name: String, writing: Bool = true) throws -> Bool {
        let url = repositoryRoot.appendingPathComponent("Tests/PrintingTests/Reference/\(name)")
        let header = "P4\n\(raster.width) \(raster.height)\n"
        if writing, ProcessInfo.processInfo.environment["KIOSK_WRITE_REFERENCE"] != nil {
            try (Data(header.utf8) + Data(raster.bits)).write(to: url)
        }
        let file = [UInt8](try Data(contentsOf: url))
        var fields: [Int] = [], index = 2, number = ""
        while fields.count < 2, index < file.count {
            let c = file[index]
            index += 1
            if c >= 0x30, c <= 0x39 {
                number.append(Character(UnicodeScalar(c)))
            } else if !number.isEmpty {
                fields.append(Int(number)!)
                number = ""
            }
        }
        let (width, height) = (fields[0], fields[1])
        let reference = Array(file[index...])
        guard width == raster.width, abs(height - raster.height) * 50 <= height else { return false }
        let rowBytes = (width + 7) / 8
        var different = 0
        for row in 0..<min(height, raster.height) {
            for byte in 0..<rowBytes {
                different += (reference[row * rowBytes + byte] ^ raster.bits[row * rowBytes + byte]).nonzeroBitCount
            }
        }
        return different * 100 <= max(1, raster.blackDots)
    }
}

extension PrintingTests {
    /// A PDF receipt through CUPS to a real IPP Everywhere printer (ippeveprinter, which keeps
    /// each job's bytes): what an A4 office printer on the network gets.
    @Test func aPDFReceiptReachesAnIPPEverywherePrinter() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("kiosk-ipp-\(UUID().uuidString.prefix(8))")
        let spool = dir.appendingPathComponent("spool")
        try FileManager.default.createDirectory(at: spool, withIntermediateDirectories: true)
        let quick = dir.appendingPathComponent("print.sh")
        try "#!/bin/sh\nexit 0\n".write(to: quick, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: quick.path)
        // ippeveprinter wants a D-Bus bus even without DNS-SD: a private one, owned by the test
        // (not --fork: a forked daemon would hold the test's pipes open).
        let socket = dir.appendingPathComponent("dbus.sock").path
        let bus = "unix:path=\(socket)"
        let dbus = Process()
        dbus.executableURL = URL(fileURLWithPath: "/usr/bin/dbus-daemon")
        dbus.arguments = ["--session", "--nofork", "--address=\(bus)"]
        dbus.standardOutput = FileHandle.nullDevice
        dbus.standardError = FileHandle.nullDevice
        try await start(dbus)
        defer { kill(dbus.processIdentifier, SIGKILL) }
        for _ in 0..<100 where !FileManager.default.fileExists(atPath: socket) { try await Task.sleep(for: .milliseconds(20)) }
        let port = try freeLoopbackPort()
        let ipp = Process()
        ipp.executableURL = URL(fileURLWithPath: "/usr/sbin/ippeveprinter")
        ipp.arguments = [
            "-k", "-d", spool.path, "-c", quick.path, "-f", "application/pdf,application/octet-stream",
            "-n", "localhost", "-p", "\(port)", "-r", "off", "Kiosk IPP test",
        ]
        ipp.environment = ProcessInfo.processInfo.environment.merging(["DBUS_SYSTEM_BUS_ADDRESS": bus]) { $1 }
        ipp.standardOutput = FileHandle.nullDevice
        ipp.standardError = FileHandle.nullDevice
        try await start(ipp)
        defer {
            kill(ipp.processIdentifier, SIGKILL)
            try? FileManager.default.removeItem(at: dir)
        }
        let cups = try await PrivateCUPS.start()
        defer { cups.stop() }
        // ippeveprinter listens within a moment; CUPS retries its queue until then anyway.
        try await Task.sleep(for: .milliseconds(500))
        let added = try await cups.tool("lpadmin", ["-p", "office_a4", "-E", "-v", "ipp://localhost:\(port)/ipp/print", "-m", "raw"])
        try #require(added.status == 0, "\(added.errors)")

        let receipt = Self.receipt()
        let pdf = try PrintRenderer().pdf(ReceiptLayout.document(receipt), pageWidth: 595.28, pageHeight: 841.89, sideMargin: 56)
        let printer = CUPSPrinter(id: "printer", destination: "office_a4", server: cups.socket, jobTimeout: 30)
        _ = try await printer.print(PrintJob(title: "receipt \(receipt.dossierCode)", content: .pdf(pdf)))
        let kept = try FileManager.default.contentsOfDirectory(atPath: spool.path).filter { $0.hasSuffix(".pdf") }
        let file = spool.appendingPathComponent(try #require(kept.first, "ippeveprinter kept no PDF"))
        #expect(FileManager.default.contents(atPath: file.path) == pdf, "the printer received our PDF unchanged")
        let text = try await runProgram(URL(fileURLWithPath: "/usr/bin/pdftotext"), [file.path, "-"]).output
        #expect(text.contains("GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ") && text.contains("Nguyễn Thị Thử Nghiệm"), "\(text)")
    }
}
