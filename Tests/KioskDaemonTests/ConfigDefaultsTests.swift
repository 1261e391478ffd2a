import Foundation
import Testing

@testable import KioskDaemon

/// One source of defaults: kioskd's code. The shipped kiosk.conf shows them, and marks the
/// demo's own settings with "(default: …)" — which must name the default too.
@Suite struct ConfigDefaultsTests {
    @Test func theShippedFileShowsTheDefaultsOrSaysWhereItDiffers() throws {
        let text = try String(contentsOf: TestKiosk.repoRoot.appendingPathComponent("kiosk.conf"), encoding: .utf8)
        let base = TestKiosk.repoRoot
        let defaults = Dictionary(try KioskConfig.parse("", file: "empty.conf", base: base).settings.map { ($0.key, $0.value) }) { $1 }

        // Without the marked lines (a marked array to its closing bracket), the file is the defaults.
        var unmarked: [Substring] = []
        var marked: [(key: String, stated: String)] = []
        var skippingArray = false
        var table = ""
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if skippingArray {
                if line.contains("]") { skippingArray = false }
                continue
            }
            if line.hasPrefix("[") { table = String(line.dropFirst().prefix { $0 != "]" }) }
            if !line.hasPrefix("#"), let range = line.range(of: "(default: ") {
                let key = table + "." + line.prefix { $0 != " " && $0 != "=" }
                marked.append((key, String(line[range.upperBound...].dropLast())))
                if line.contains("= [") && !line.contains("] ") && !line.hasSuffix("]") { skippingArray = true }
                continue
            }
            unmarked.append(line)
        }
        let shown = try KioskConfig.parse(unmarked.joined(separator: "\n"), file: "kiosk.conf", base: base, emulatedReaderBuiltIn: true)
        for (key, value) in shown.settings {
            #expect(defaults[key] == value, "kiosk.conf shows \(key) = \(value) as the default; kioskd's default is \(defaults[key] ?? "none")")
        }
        #expect(marked.count >= 4, "\(marked)")
        for (key, stated) in marked {
            #expect(defaults[key] == stated, "kiosk.conf says the default of \(key) is \(stated); it is \(defaults[key] ?? "none")")
        }
    }

    @Test func printConfigShowsEverySettingInEffect() throws {
        let config = try KioskConfig.parse(
            "[devices.printer]\ndriver = \"simulated\"\n", file: "kiosk.conf", base: URL(fileURLWithPath: "/srv/kiosk"))
        let printed = config.printed(source: "kiosk.conf")
        #expect(printed.contains("[devices.printer]\ndriver = \"simulated\""))
        #expect(printed.contains("[devices.card_reader]\ndriver = \"ccid\"\nreader = \"usb\""), "defaults shown too")
        #expect(printed.contains("path = \"/srv/kiosk/var/kiosk.sqlite\""))
        #expect(printed.components(separatedBy: "[devices.scanner]").count == 2, "one table per section")
    }
}
