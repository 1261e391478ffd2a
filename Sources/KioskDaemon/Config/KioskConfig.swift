import Devices
import KioskAPI
import Flows
import Foundation
import Localized
import Logging

/// The daemon's configuration, read from `kiosk.conf`. Every value has a default suited to a
/// kiosk, so an empty file is a working configuration; relative paths are resolved against
/// the directory of the configuration file.
struct KioskConfig: Sendable {
    struct Kiosk: Sendable {
        var id = "KIOSK-DEMO-01"
        var officeName = "Bộ phận Một cửa — Trung tâm Phục vụ hành chính công (mẫu)"
        var agency = "Ủy ban nhân dân phường (mẫu)"
        var address = "Địa chỉ mẫu, Phường Mẫu, Thành phố Hà Nội"
    }

    struct API: Sendable {
        var host = "127.0.0.1"
        var port = 8080
        var allowNonLoopback = false
        /// Host names the API answers to besides the loopback ones (`Host` and `Origin`
        /// headers): anything else is refused, so a page elsewhere cannot drive the kiosk,
        /// even through DNS rebinding.
        var allowedHosts: [String] = []
    }

    struct Store: Sendable {
        var path: URL
        var maxSizeMB = 4096
    }

    struct Session: Sendable {
        var idleTimeoutSeconds = 180
        var languages: [Language] = [.vi, .en]
        var defaultLanguage: Language = .vi
        var holidays: Set<CivilDate> = []
    }

    struct ScannerSettings: Sendable {
        enum Driver: String, CaseIterable, Sendable { case sane, simulated }
        var driver = Driver.sane
        /// SANE device name (`scanimage -L`); empty: the first scanner SANE finds.
        var device = ""
        /// Where libsane reads its configuration (SANE_CONFIG_DIR); nil: the system's.
        var saneConfigDirectory: URL?
        var sourceFlatbed = ["Flatbed", "FlatBed", "Normal"]
        var sourceFeeder = ["Automatic Document Feeder", "ADF", "ADF Front", "Document Feeder"]
        var sourceDuplex = ["ADF Duplex", "Duplex", "Automatic Document Feeder Duplex"]
        /// Backend options set after ours, in file order (vendor quirks, the test device's picture).
        var options: [(name: String, value: String)] = []
        var feederPages = 3
        var pageDelayMilliseconds = 400
        var scanTimeoutSeconds = 600
        /// A scan that sends nothing for this long is stopped as stalled.
        var stallTimeoutSeconds = 30
        /// The simulated scanner's injected fault.
        var fault = SimulatedScanner.Fault.none
    }

    /// Size limits of scanned documents.
    struct Documents: Sendable {
        var maxPageBytes = 1_000_000
        var maxDossierBytes = 20_000_000
        /// Resolution is never stepped below this to fit a limit.
        var minimumDPI = 200
        var maxDossierMB: Int { maxDossierBytes / 1_000_000 }
    }

    struct PrinterSettings: Sendable {
        enum Driver: String, CaseIterable, Sendable { case cups, simulated }
        /// What the printer takes: thermal rolls (ESC/POS raster) or A4 sheets (PDF).
        enum Paper: String, CaseIterable, Sendable {
            case mm80 = "80mm"
            case mm58 = "58mm"
            case a4
        }
        var driver = Driver.cups
        var outputDirectory: URL
        /// The simulated printer's injected fault.
        var fault = SimulatedPrinter.Fault.none
        /// CUPS: the queue (`lpstat -p`) and cupsd's address (a socket path or host:port;
        /// nil: libcups' default, CUPS_SERVER or the local scheduler).
        var destination = "kiosk_receipt"
        var cupsServer: String?
        var jobTimeoutSeconds = 60
        var paper = Paper.mm80
    }

    struct Queue: Sendable {
        /// For the estimated wait printed on tickets: minutes a counter takes per person.
        var minutesPerPerson = 10
    }

    /// The central link. Which central, and the kiosk's key, come from enrolment
    /// (`kioskctl enroll`), kept in the store; the central's answers set the period after that.
    struct Central: Sendable {
        /// The heartbeat period until the central asks for another.
        var heartbeatSeconds = 60
        /// How much of a file one request carries (a slow or flaky line wants less).
        var chunkKB = 1024
        /// How long one request to the central may take before it counts as failed.
        var timeoutSeconds = 30
    }

    /// The technician's channel: a Unix domain socket that kioskctl talks to. Everything
    /// that is a technician's (full status, fault injection, reprints, the outbox, sessions,
    /// logs, maintenance, self-tests, diagnostics) is served there and refused on `api.listen`.
    struct Technician: Sendable {
        var socket: URL
        /// The group the socket is given (mode 0660): technicians in it may use kioskctl.
        /// Empty: the daemon's own group.
        var group = ""
    }

    struct CardReaderSettings: Sendable {
        /// `ccid`: the libusb CCID driver; `simulated`: a fault-injection stand-in.
        enum Driver: String, CaseIterable, Sendable { case ccid, simulated }
        /// `usb`: the first CCID reader on the bus; `virtual`: an emulated reader holding a
        /// synthetic card, read through the same driver (demos).
        enum Reader: String, CaseIterable, Sendable { case usb, virtual }
        var driver = Driver.ccid
        var reader = Reader.usb
        /// Trusted country-signing CA certificates for passive authentication.
        var cscaDirectory: URL
        var readFace = true
        var readTimeoutSeconds = 30
        /// The simulated reader's injected fault.
        var fault = SimulatedCardReader.Fault.none
    }

    var file: String?
    /// Every setting as the file spells it, with the value in effect (see ConfigReader).
    var settings: [(key: String, value: String)] = []
    var kiosk = Kiosk()
    var api = API()
    var store: Store
    var catalogDirectory: URL
    /// The applicant's screen (HTML, CSS, JavaScript modules), served at `/`.
    var screenDirectory: URL
    var session = Session()
    var scanner = ScannerSettings()
    var documents = Documents()
    var printer: PrinterSettings
    var cardReader: CardReaderSettings
    var queue = Queue()
    var central = Central()
    var technician: Technician
    var logLevel = Logger.Level.info

    /// The defaults, with relative paths resolved against `base`.
    init(base: URL) {
        store = Store(path: base.appendingPathComponent("var/kiosk.sqlite"))
        catalogDirectory = base.appendingPathComponent("catalog")
        screenDirectory = base.appendingPathComponent("screen")
        cardReader = CardReaderSettings(cscaDirectory: base.appendingPathComponent("csca"))
        printer = PrinterSettings(outputDirectory: base.appendingPathComponent("var/printed"))
        technician = Technician(socket: base.appendingPathComponent("var/kioskd.sock"))
    }
}

/// A configuration problem, naming the file, line and key, and what was expected.
struct ConfigError: Error, CustomStringConvertible {
    var file: String
    var line: Int?
    var key: String?
    var message: String

    var description: String {
        var place = file
        if let line { place += ":\(line)" }
        if let key { place += ": \(key)" }
        return "\(place): \(message)"
    }
}

extension KioskConfig {
    /// Every setting in effect as a kiosk.conf: one table per section, in reading order.
    func printed(source: String) -> String {
        var lines = ["# Settings in effect: \(source) over kioskd's defaults (kioskd --print-config)."]
        var tables: [String] = []
        var keys: [String: [String]] = [:]
        for (key, value) in settings {
            let parts = key.split(separator: ".")
            let table = parts.dropLast().joined(separator: ".")
            if keys[table] == nil { tables.append(table) }
            keys[table, default: []].append("\(parts.last ?? "") = \(value)")
        }
        for table in tables { lines += ["", "[\(table)]"] + (keys[table] ?? []) }
        return lines.joined(separator: "\n")
    }
}

extension KioskConfig {
    /// Every setting in effect, for a diagnostics bundle: the value of any key that names a
    /// secret (token, password, secret, key material) is masked.
    var maskedSettings: [DiagnosticsReport.Setting] {
        settings.map { entry in
            let name = entry.key.lowercased()
            let secret = ["token", "password", "secret", "private"].contains { name.contains($0) }
            return DiagnosticsReport.Setting(key: entry.key, value: secret ? "\"•••\"" : entry.value)
        }
    }
}
