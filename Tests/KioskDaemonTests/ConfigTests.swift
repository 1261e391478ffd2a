import Foundation
import Localized
import Testing

@testable import KioskDaemon

@Suite struct ConfigTests {
    let base = URL(fileURLWithPath: "/srv/kiosk")

    @Test func shippedKioskConfParsesWithTheDefaults() throws {
        let config = try KioskConfig.load(path: TestKiosk.repoRoot.appendingPathComponent("kiosk.conf").path)
        let defaults = KioskConfig(base: TestKiosk.repoRoot)
        #expect(config.kiosk.id == defaults.kiosk.id)
        #expect(config.api.host == "127.0.0.1" && config.api.port == 8080)
        #expect(config.store.path == defaults.store.path)
        #expect(config.catalogDirectory == defaults.catalogDirectory)
        #expect(config.session.languages == [.vi, .en] && config.session.idleTimeoutSeconds == 180)
        #expect(config.session.holidays.count == 11)
        #expect(config.scanner.driver == .sane && config.scanner.device == "test:0")
        #expect(config.scanner.saneConfigDirectory == TestKiosk.repoRoot.appendingPathComponent("var/sane"))
        #expect(config.scanner.options.map(\.name) == ["test-picture"] && config.scanner.sourceFeeder.first == "Automatic Document Feeder")
        #expect(config.printer.outputDirectory == defaults.printer.outputDirectory)
    }

    @Test func emptyFileIsAWorkingConfiguration() throws {
        let config = try KioskConfig.parse("", file: "empty.conf", base: base)
        #expect(config.store.path.path == "/srv/kiosk/var/kiosk.sqlite")
        #expect(config.api.port == 8080)
    }

    @Test func valuesAreReadWithTOMLSyntax() throws {
        let config = try KioskConfig.parse(
            """
            # comment
            [kiosk]
            id = "K-01" # trailing comment
            office_name = 'Phường \\ Mẫu'
            address = "Số 1\\tđường \\u0110ông"
            [api]
            listen = "[::1]:9090"
            [session]
            languages = [
              "vi",
            ]
            holidays = [2026-01-01, "2026-04-30"]
            [store]
            path = "/var/lib/kiosk/db.sqlite"
            max_size_mb = 1_024
            """, file: "k.conf", base: base)
        #expect(config.kiosk.id == "K-01" && config.kiosk.officeName == "Phường \\ Mẫu" && config.kiosk.address == "Số 1\tđường Đông")
        #expect(config.api.host == "::1" && config.api.port == 9090)
        #expect(config.session.languages == [.vi] && config.session.holidays.count == 2)
        #expect(config.store.path.path == "/var/lib/kiosk/db.sqlite" && config.store.maxSizeMB == 1024)
    }

    @Test(arguments: [
        ("[kiosk]\nid = \"K1\"\ncolour = \"red\"\n", 3, "kiosk.colour", "unknown setting"),
        ("[devices.scaner]\ndriver = \"simulated\"\n", 1, "[devices.scaner]", "unknown setting"),
        ("[api]\nlisten = 8080\n", 2, "api.listen", "expected text in \"quotes\", found a whole number"),
        ("[api]\nlisten = \"127.0.0.1\"\n", 2, "api.listen", "expected HOST:PORT"),
        ("[api]\nlisten = \"127.0.0.1:70000\"\n", 2, "api.listen", "port from 1 to 65535"),
        ("[api]\nlisten = \"0.0.0.0:8080\"\n", 2, "api.listen", "loopback"),
        ("[session]\nidle_timeout_seconds = 5\n", 2, "session.idle_timeout_seconds", "from 30 to 3600, found 5"),
        ("[session]\nidle_timeout_seconds = \"60\"\n", 2, "session.idle_timeout_seconds", "found text"),
        ("[session]\nlanguages = [\"vi\", \"fr\"]\n", 2, "session.languages", "expected a list of \"vi\", \"en\""),
        ("[session]\nlanguages = [\"vi\"]\ndefault_language = \"en\"\n", 3, "session.default_language", "one of session.languages"),
        ("[session]\nholidays = [2026-02-30]\n", 2, "session.holidays", "not a date"),
        ("[devices.scanner]\ndriver = \"twain\"\n", 2, "devices.scanner.driver", "expected one of \"sane\", \"simulated\", found \"twain\""),
        ("[devices.scanner.source_names]\nfeeder = \"ADF\"\n", 2, "devices.scanner.source_names.feeder", "non-empty list"),
        ("[devices.scanner.source_names]\nfeedr = [\"ADF\"]\n", 2, "devices.scanner.source_names.feedr", "unknown setting"),
        ("[devices.scanner.options]\nresolution = [1, 2]\n", 2, "devices.scanner.options.resolution", "single value"),
        ("[devices.printer]\nfault = \"fire\"\n", 2, "devices.printer.fault", "expected one of"),
        ("[kiosk]\nid = \"bad id!\"\n", 2, "kiosk.id", "letters, digits"),
        ("[log]\nlevel = \"loud\"\n", 2, "log.level", "expected one of"),
    ])
    func badValueNamesFileLineAndKey(text: String, line: Int, key: String, message: String) {
        do {
            _ = try KioskConfig.parse(text, file: "kiosk.conf", base: base)
            Issue.record("accepted: \(text)")
        } catch {
            #expect(error.file == "kiosk.conf")
            #expect(error.line == line, "\(error)")
            #expect(error.key == key, "\(error)")
            #expect(error.message.contains(message), "\(error)")
        }
    }

    @Test(arguments: [
        ("[kiosk\nid = \"x\"\n", 1, "expected ]"),
        ("[kiosk]\nid = \"x\n", 2, "not closed"),
        ("[kiosk]\nid = x\n", 2, "text needs \"quotes\""),
        ("[kiosk]\nid = \"a\"\nid = \"b\"\n", 3, "set twice"),
        ("[kiosk]\n[kiosk]\n", 2, "defined twice"),
        ("[[kiosk]]\n", 1, "arrays of tables"),
        ("[kiosk]\nid = \"a\" \"b\"\n", 2, "one setting per line"),
        ("[api]\nx = { a = 1 }\n", 2, "inline tables"),
        ("[session]\nlanguages = [\"vi\"\n", 3, "expected , or ]"),
    ])
    func syntaxErrorsNameTheLine(text: String, line: Int, message: String) {
        do {
            _ = try KioskConfig.parse(text, file: "kiosk.conf", base: base)
            Issue.record("accepted: \(text)")
        } catch {
            #expect(error.line == line, "\(error)")
            #expect(error.message.contains(message), "\(error)")
        }
    }

    @Test func missingFileIsReported() {
        #expect(throws: ConfigError.self) { try KioskConfig.load(path: "/nonexistent/kiosk.conf") }
    }

    /// A kiosk's build has no emulated reader: asking for it is a configuration error with
    /// the file and line, not a silent fallback to USB. The demo's build accepts it.
    @Test func theEmulatedReaderNeedsABuildThatHasIt() throws {
        let text = "[devices.card_reader]\ndriver = \"ccid\"\nreader = \"virtual\"\n"
        do {
            _ = try KioskConfig.parse(text, file: "kiosk.conf", base: base, emulatedReaderBuiltIn: false)
            Issue.record("a production build accepted the emulated reader")
        } catch {
            #expect(error.line == 3 && error.key == "devices.card_reader.reader", "\(error)")
            #expect(error.message.contains("--traits EmulatedCardReader"), "\(error)")
        }
        #expect(try KioskConfig.parse(text, file: "kiosk.conf", base: base, emulatedReaderBuiltIn: true).cardReader.reader == .virtual)
        let usb = "[devices.card_reader]\ndriver = \"ccid\"\nreader = \"usb\"\n"
        #expect(try KioskConfig.parse(usb, file: "kiosk.conf", base: base, emulatedReaderBuiltIn: false).cardReader.reader == .usb)
    }
}
