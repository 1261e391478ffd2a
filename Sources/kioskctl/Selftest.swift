import ArgumentParser
import Devices
import Foundation
import Imaging
import KioskAPI
import Localized

/// `kioskctl selftest`: checks a device the way a technician would on a service call.
struct Selftest: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Check the devices: internal (nothing moves), external (prints and scans a page), interactive (with the technician).",
        discussion:
            "selftest all asks kioskd to test the devices it holds; scanner, printer and card-reader test one device directly, while kioskd is stopped.",
        subcommands: [SelftestAll.self, SelftestScanner.self, SelftestPrinter.self, SelftestCardReader.self])
}

/// How far a self-test goes (KioskAPI's levels): each includes the ones before it.
extension SelfTestLevel: ExpressibleByArgument {}

/// One check of a self-test.
struct SelftestCheck: Codable, Equatable {
    var name: String
    var passed: Bool
    var detail: String
    var milliseconds: Int
}

/// Runs checks one after another, timing each and printing it as it completes (unless the
/// report goes out as JSON at the end).
final class SelftestChecks {
    private(set) var checks: [SelftestCheck] = []
    let quiet: Bool

    init(json: Bool) { quiet = json }

    var passed: Bool { !checks.isEmpty && checks.allSatisfy(\.passed) }
    var lastPassed: Bool { checks.last?.passed == true }

    func check(_ name: String, _ body: () async -> (Bool, String)) async {
        let started = DispatchTime.now()
        let (passed, detail) = await body()
        let elapsed = Int((DispatchTime.now().uptimeNanoseconds - started.uptimeNanoseconds) / 1_000_000)
        checks.append(SelftestCheck(name: name, passed: passed, detail: detail, milliseconds: elapsed))
        if !quiet { print("\(passed ? "PASS" : "FAIL")  \(name): \(detail)") }
    }

    /// Asks the technician a question on the terminal; the answer, trimmed and lower-cased.
    static func ask(_ question: String) -> String {
        FileHandle.standardError.write(Data("\(question) ".utf8))
        return (readLine() ?? "").trimmingCharacters(in: .whitespaces).lowercased()
    }
}

struct SelftestReport: Codable {
    var device: String
    var level: SelfTestLevel
    var passed: Bool
    var checks: [SelftestCheck]
    var capabilities: ScannerCapabilities?
}

struct SelftestScanner: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "scanner",
        abstract: "Self-test of a SANE scanner (while kioskd is not scanning).",
        discussion: """
            internal: kiosk-sane runs, the device opens, and it offers a flatbed or feeder, colour and grey, 200 and 300 dpi \
            and an A4 scan area. external: also scans one A4 page at 200 dpi in colour and checks its size and compression \
            (load a sheet in the feeder first). interactive: also asks you to load a printed page and to judge the PDF. \
            Exit status: 0 every check passed, 1 a check failed.
            """)

    @OptionGroup var sane: SANEDeviceOptions
    @Option(name: .long, help: "internal, external or interactive.")
    var level: SelfTestLevel = .internal
    @Option(name: .long, help: "Source for the scans: flatbed or feeder (default: the feeder if there is one).")
    var source: ScanRequest.Source?
    @Option(name: [.short, .customLong("output")], help: "Where the interactive level writes its PDF.")
    var output = FileManager.default.temporaryDirectory.appendingPathComponent("kioskctl-selftest.pdf").path
    @Flag(name: .long, help: "Print the report as JSON.")
    var json = false

    func run() async throws {
        let recorder = SelftestChecks(json: json)
        let check = recorder.check
        var capabilities: ScannerCapabilities?
        let scanner = sane.scanner()

        await check("helper") {
            let path = SANEDeviceOptions.helper.path
            return FileManager.default.isExecutableFile(atPath: path)
                ? (true, path) : (false, "\(path) is missing: install kiosk-sane next to kioskctl")
        }
        await check("open") {
            do throws(DeviceFailure) {
                capabilities = try await scanner.capabilities()
                return (true, "opened \(capabilities?.device ?? sane.device)")
            } catch {
                return (false, "\(error.notice.code): \(error.notice.forTechnician)")
            }
        }
        if let capabilities {
            await Self.internalChecks(capabilities, check)
            if level >= .external {
                let source = self.source ?? (capabilities.sources[ScanRequest.Source.feeder.rawValue] != nil ? .feeder : .flatbed)
                await externalCheck(scanner, source: source, check)
                if level >= .interactive { await interactiveCheck(scanner, source: source, check) }
            }
        }
        let passed = recorder.passed
        if json {
            let report = SelftestReport(
                device: capabilities?.device ?? sane.device, level: level, passed: passed, checks: recorder.checks, capabilities: capabilities)
            print(String(decoding: try APICoding.encoder().encode(report), as: UTF8.self))
        } else {
            print(passed ? "scanner self-test (\(level.rawValue)) passed" : "scanner self-test (\(level.rawValue)) FAILED")
        }
        if !passed { throw ExitCode(1) }
    }

    /// What the kiosk's scan profiles need of the device.
    static func internalChecks(_ c: ScannerCapabilities, _ check: (String, () async -> (Bool, String)) async -> Void) async {
        await check("sources") {
            let mapped = ScanRequest.Source.allCases.map {
                "\($0.rawValue) → \(c.sources[$0.rawValue].map { $0.isEmpty ? "(only source)" : "\"\($0)\"" } ?? "not offered")"
            }
            let usable = c.sources[ScanRequest.Source.flatbed.rawValue] != nil || c.sources[ScanRequest.Source.feeder.rawValue] != nil
            return (
                usable,
                mapped.joined(separator: ", ")
                    + (usable ? "" : "; the device offers \(c.deviceSources): add its names to devices.scanner.source_names")
            )
        }
        await check("modes") {
            let needed: [ScanRequest.Mode] = [.color, .gray]
            let missing = needed.filter { c.modes[$0.rawValue] == nil }
            let mapped = ScanRequest.Mode.allCases.map { "\($0.rawValue) → \(c.modes[$0.rawValue].map { "\"\($0)\"" } ?? "not offered")" }
            return (missing.isEmpty || c.deviceModes.isEmpty, mapped.joined(separator: ", "))
        }
        await check("resolution") {
            let missing = [200, 300].filter { !c.supports(dpi: $0) }
            let offered = c.resolutionList.map { "\($0.map { Int($0) })" } ?? c.resolutionRange.map { "\(Int($0[0]))…\(Int($0[1])) dpi" } ?? "fixed"
            return (missing.isEmpty, missing.isEmpty ? "200 and 300 dpi available (\(offered))" : "\(missing) dpi not available (\(offered))")
        }
        await check("scan area") {
            let area = "\(c.maxWidthMM.map { String(format: "%.0f", $0) } ?? "?") × \(c.maxHeightMM.map { String(format: "%.0f", $0) } ?? "?") mm"
            return (c.fits(.a4), c.fits(.a4) ? "A4 fits (\(area))" : "A4 does not fit the scan area (\(area))")
        }
    }

    /// One A4 page at 200 dpi in colour, through the same pipeline the dossier uses.
    func externalCheck(_ scanner: SANEHelperScanner, source: ScanRequest.Source, _ check: (String, () async -> (Bool, String)) async -> Void) async {
        let request = ScanRequest(source: source, mode: .color, dpi: 200, paper: .a4)
        var page: Raster?
        await check("scan") {
            do throws(ScanInterrupted) {
                let pages = try await scanner.scan(request) { _ in }
                page = pages.first
                return (page != nil, "\(pages.count) page(s) from the \(source.rawValue)")
            } catch {
                let notice = error.failure.notice
                return (false, "\(notice.code) — \(notice.actor.rawValue) must act: \(notice.forTechnician)")
            }
        }
        guard let page else { return }
        await check("page size") {
            let (width, height) = request.pixelSize
            let ok = abs(page.width - width) * 50 <= width && abs(page.height - height) * 50 <= height && page.dpi == 200
            return (ok, "\(page.width)×\(page.height) px at \(page.dpi) dpi (A4 at 200 dpi is \(width)×\(height))")
        }
        await check("compression") {
            do {
                let output = try PagePipeline().process(page)
                let r = output.report
                return (true, "\(r.bytes) bytes (limit 1000000), JPEG q\(r.quality ?? 0)" + (r.looksBlank ? ", looks blank" : ""))
            } catch {
                return (false, "\(error)")
            }
        }
    }

    /// The technician loads a printed page, then judges the PDF.
    func interactiveCheck(_ scanner: SANEHelperScanner, source: ScanRequest.Source, _ check: (String, () async -> (Bool, String)) async -> Void) async
    {
        let ask = SelftestChecks.ask
        var document: DocumentBuilder.Result?
        await check("printed page") {
            _ = ask("Place a page with printed text in the \(source.rawValue), then press Enter.")
            do {
                let pages = try await scanner.scan(ScanRequest(source: source, mode: .color, dpi: 200, paper: .a4)) { _ in }
                let built = try DocumentBuilder.pdf(pages: Array(pages.prefix(1)), title: "kioskctl selftest")
                try built.pdf.write(to: URL(fileURLWithPath: output))
                document = built
                let blank = built.pages.first?.looksBlank ?? true
                return (!blank, blank ? "the page looks blank: was it loaded face down?" : "text found; PDF written to \(output)")
            } catch let interrupted as ScanInterrupted {
                return (false, "\(interrupted.failure.notice.code): \(interrupted.failure.notice.forTechnician)")
            } catch {
                return (false, "\(error)")
            }
        }
        guard document != nil else { return }
        await check("technician's judgement") {
            let answer = ask("Open \(output). Is the text sharp, the page straight and complete? [y/n]")
            return (answer == "y" || answer == "yes", answer.isEmpty ? "no answer" : "answered \"\(answer)\"")
        }
    }
}
