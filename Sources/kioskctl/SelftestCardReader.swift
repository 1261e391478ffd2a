import ArgumentParser
import CitizenCard
import Devices
import Foundation
import KioskAPI
import Localized

/// `kioskctl selftest cardreader`: internal (a CCID reader is found, claimed and answers; the CA
/// store loads), external (a card on the reader powers up and has the eMRTD application: no keys
/// needed), interactive (the technician gives a card's keys; a full read with passive
/// authentication, then the card is lifted and the reader must notice).
struct SelftestCardReader: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cardreader", abstract: "Self-test of the CCCD card reader (stop kioskd first when using USB).",
        discussion: "Exit status: 0 every check passed, 1 a check failed.")

    @OptionGroup var options: CardReaderOptions
    @Option(name: .long, help: "internal, external or interactive.")
    var level: SelfTestLevel = .internal
    @Flag(name: .long, help: "Print the report as JSON.")
    var json = false

    struct Report: Codable {
        var reader: String?
        var level: SelfTestLevel
        var passed: Bool
        var checks: [SelftestCheck]
    }

    func run() async throws {
        let recorder = SelftestChecks(json: json)
        let check = recorder.check
        var readerName: String?
        let source = try options.source()
        var opened: OpenedCCIDReader?
        await check("reader") {
            do throws(CardReaderError) {
                let reader = try source.open()
                opened = reader
                readerName = reader.name
                let d = reader.descriptor
                return (true, "\(reader.name): \(d.extendedAPDUs ? "extended" : "short") APDUs, \(d.maxMessageLength)-byte messages")
            } catch {
                return (false, "\(error)")
            }
        }
        defer { opened?.close() }
        let store = options.store
        await check("CA store") {
            let detail =
                "\(store.certificates.count) certificate(s) in \(options.csca)"
                + (store.rejected.isEmpty ? "" : "; not certificates: \(store.rejected.joined(separator: ", "))")
            // An empty store is allowed (cards then read as "CA unknown"), files that are not certificates are not.
            return (store.rejected.isEmpty, store.certificates.isEmpty ? detail + " — cards will read as \"CA unknown\"" : detail)
        }
        if let reader = opened {
            let channel = CCIDChannel(pipe: reader.pipe, descriptor: reader.descriptor)
            var present = false
            await check("slot status") {
                do throws(CardReaderError) {
                    present = try channel.cardPresent()
                    return (true, present ? "card on the reader" : "no card")
                } catch {
                    return (false, "\(error)")
                }
            }
            if level >= .external, recorder.lastPassed {
                await check("card") {
                    if !present { _ = SelftestChecks.ask("Place a CCCD chip card on the reader, then press Enter.") }
                    do {
                        let atr = try channel.powerOn()
                        try ChipSession(transport: channel).selectApplication()
                        try? channel.powerOff()
                        return (true, "powered (ATR \(atr.count) bytes), eMRTD application present")
                    } catch {
                        return (false, "\(error)")
                    }
                }
            }
            opened = nil
            reader.close()
        }
        if level >= .interactive, recorder.lastPassed {
            await interactive(source: source, store: store, check)
        }
        let passed = recorder.passed
        if json {
            print(
                String(
                    decoding: try APICoding.encoder().encode(Report(reader: readerName, level: level, passed: passed, checks: recorder.checks)),
                    as: UTF8.self))
        } else {
            print(passed ? "card reader self-test (\(level.rawValue)) passed" : "card reader self-test (\(level.rawValue)) FAILED")
        }
        if !passed { throw ExitCode(1) }
    }

    func interactive(source: any CCIDReaderSource, store: CSCAStore, _ check: (String, () async -> (Bool, String)) async -> Void) async {
        let device = CCIDCardReader(id: "card_reader", source: source, settings: .init(cscaStore: store))
        await check("full read") {
            let number = SelftestChecks.ask("The card's 12-digit ID number (not shown again):")
            let birth = SelftestChecks.ask("Its date of birth (dd/mm/yyyy):")
            let expiry = SelftestChecks.ask("Its date of expiry (dd/mm/yyyy, Enter if unknown):")
            do {
                let keys = try CardKeyOptions.parse(["--id", number, "--dob", birth] + (expiry.isEmpty ? [] : ["--expiry", expiry]))
                let read = try await device.readChip(keys.request(timeout: 30), files: [.dg1, .dg13, .sod])
                return (true, "\(read.files.count) files in \(read.apduCount) APDUs; passive authentication: \(read.authenticity)")
            } catch let failure as DeviceFailure {
                return (false, "\(failure.notice.code): \(failure.notice.forTechnician)")
            } catch {
                return (false, "\(error)")
            }
        }
        await check("card lifted") {
            _ = SelftestChecks.ask("Lift the card off the reader, then press Enter.")
            await device.probe()
            let media = await device.status().media
            return (media == .cardAbsent, media == .cardAbsent ? "the reader noticed" : "the reader still reports \(media?.rawValue ?? "nothing")")
        }
    }
}
