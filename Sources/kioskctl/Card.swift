import ArgumentParser
import CitizenCard
import Devices
import Flows
import Foundation
import KioskAPI
import Localized

/// `kioskctl card`: the chip ID card reader, directly (stop kioskd first when using USB).
struct Card: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "The CCCD card reader: which readers are attached, and reading a card.",
        subcommands: [CardStatus.self, CardRead.self])
}

struct CardStatus: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status", abstract: "CCID readers on the bus, what they can carry, and whether a card is on the reader.",
        discussion: "Exit status: 0 a usable reader answered, 1 none did.")

    @OptionGroup var options: CardReaderOptions
    @Flag(name: .long, help: "Print the report as JSON.")
    var json = false

    struct ReaderReport: Codable {
        var name: String
        var usbID: String
        var maxMessageBytes: Int
        var exchange: String
        var note: String?
    }

    struct Report: Codable {
        var readers: [ReaderReport]
        var status: DeviceStatus
    }

    func run() async throws {
        var readers: [ReaderReport] = []
        if options.reader == .usb {
            for r in (try? LibUSBReader.list()) ?? [] {
                let d = r.effectiveDescriptor
                readers.append(
                    ReaderReport(
                        name: r.name, usbID: String(format: "%04x:%04x", r.vendorID, r.productID), maxMessageBytes: d.maxMessageLength,
                        exchange: d.extendedAPDUs ? "extended APDU" : d.exchangesAPDUs ? "short APDU" : "TPDU (not supported)", note: r.known?.note))
            }
        }
        let device = CCIDCardReader(id: "card_reader", source: try options.source(), settings: .init(cscaStore: options.store))
        await device.probe()
        let status = await device.status()
        if json {
            print(String(decoding: try APICoding.encoder().encode(Report(readers: readers, status: status)), as: UTF8.self))
        } else {
            for r in readers {
                print("\(r.name) [\(r.usbID)]: \(r.exchange), \(r.maxMessageBytes)-byte messages" + (r.note.map { " — \($0)" } ?? ""))
            }
            print(
                "card reader: \(status.state.rawValue)" + (status.model.map { " (\($0))" } ?? "")
                    + (status.media.map { ", \($0 == .cardPresent ? "card on the reader" : "no card")" } ?? "")
                    + (status.lastError.map { " — \($0.code): \($0.forTechnician)" } ?? ""))
        }
        if !status.state.isUsable { throw ExitCode(1) }
    }
}

struct CardRead: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "read", abstract: "Read the chip of the card on the reader and print its fields.",
        discussion: """
            The ID number is masked unless --reveal: the screen may be seen by others. Passive authentication is \
            reported beside the data: verified, ca_unknown (signature valid, CA not in --csca) or failed. \
            Exit status: 0 read (and not failed), 1 not read or failed.
            """)

    @OptionGroup var options: CardReaderOptions
    @OptionGroup var keys: CardKeyOptions
    @Option(name: .long, help: "Seconds to wait for a card.")
    var timeout = 30.0
    @Flag(name: .long, help: "Show the full ID number.")
    var reveal = false
    @Flag(name: .long, help: "Do not read the face image (DG2).")
    var noFace = false
    @Option(name: .long, help: "Write the face image, as delivered (JPEG or JPEG 2000), to this file.")
    var face: String?
    @Flag(name: .long, help: "Print the fields as JSON.")
    var json = false

    struct Report: Codable {
        var fields: [String: String]
        var authenticity: String
        var authenticityDetail: String
        var files: [String: Int]
        var apdus: Int
        var milliseconds: Int
    }

    func run() async throws {
        let request = try keys.request(timeout: timeout)
        let device = CCIDCardReader(id: "card_reader", source: try options.source(), settings: .init(cscaStore: options.store))
        let files: [LDSFile] = noFace ? [.dg1, .dg13, .sod] : CCCDChip.defaultFiles
        let started = DispatchTime.now()
        let read: CCCDRead
        do {
            read = try await device.readChip(request, files: files)
        } catch {
            FileHandle.standardError.write(
                Data("\(error.notice.code) — \(error.notice.actor.rawValue) must act: \(error.notice.forTechnician)\n".utf8))
            throw ExitCode(1)
        }
        let elapsed = Int((DispatchTime.now().uptimeNanoseconds - started.uptimeNanoseconds) / 1_000_000)
        if let face, let image = read.faceImage { try Data(image).write(to: URL(fileURLWithPath: face)) }
        let report = Report(
            fields: Self.fields(read, reveal: reveal), authenticity: read.authenticity.code,
            authenticityDetail: read.authenticity.description,
            files: Dictionary(uniqueKeysWithValues: read.files.map { ($0.key.rawValue, $0.value.count) }),
            apdus: read.apduCount, milliseconds: elapsed)
        if json {
            print(String(decoding: try APICoding.encoder().encode(report), as: UTF8.self))
        } else {
            for (name, value) in report.fields.sorted(by: { $0.key < $1.key }) { print("\(name): \(value)") }
            print("passive authentication: \(report.authenticityDetail)")
            print(
                "read \(report.files.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value) B" }.joined(separator: ", ")) in \(report.apdus) APDUs, \(elapsed) ms"
            )
        }
        if case .failed = read.authenticity { throw ExitCode(1) }
    }

    /// DG13's fields by name (the MRZ's where DG13 is absent), the ID numbers masked unless `reveal`.
    static func fields(_ read: CCCDRead, reveal: Bool) -> [String: String] {
        let mask: (String) -> String = { reveal ? $0 : CitizenID.masked($0) }
        guard let holder = CCIDCardReader.identity(from: read) else { return ["date_of_birth": "(not a date on the chip)"] }
        var out: [String: String] = [
            "id_number": mask(holder.idNumber), "full_name": holder.fullName, "date_of_birth": holder.dateOfBirth.description,
        ]
        let optional: [(String, String?)] = [
            ("sex", holder.sex.map { $0 == .male ? "Nam" : "Nữ" }), ("nationality", holder.nationality), ("ethnicity", holder.ethnicity),
            ("religion", holder.religion),
            ("place_of_origin", holder.placeOfOrigin), ("place_of_residence", holder.placeOfResidence),
            ("issue_date", holder.issueDate?.description), ("expiry_date", holder.expiryDate?.description),
            ("old_id_number", holder.oldIdNumber.map(mask)),
            ("identifying_marks", read.dg13?.identifyingMarks), ("father", read.dg13?.fatherName), ("mother", read.dg13?.motherName),
            ("spouse", read.dg13?.spouseName.flatMap { $0.isEmpty ? nil : $0 }),
        ]
        for (k, v) in optional { if let v { out[k] = v } }
        return out
    }
}
