import Flows
import Foundation
import Localized

extension KioskConfig {
    /// Reads and checks `path`. Unknown keys, wrong types and bad values are errors.
    static func load(path: String) throws(ConfigError) -> KioskConfig {
        let url = URL(fileURLWithPath: path)
        guard let data = FileManager.default.contents(atPath: url.path) else {
            throw ConfigError(file: path, line: nil, key: nil, message: "cannot read the configuration file (does it exist?)")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw ConfigError(file: path, line: nil, key: nil, message: "is not UTF-8 text")
        }
        return try parse(text, file: path, base: url.deletingLastPathComponent())
    }

    /// Whether this kioskd was built with the emulated card reader (the `EmulatedCardReader`
    /// trait: the demo and the tests); a kiosk's build is not.
    static var emulatedCardReaderBuiltIn: Bool {
        #if EmulatedCardReader
        true
        #else
        false
        #endif
    }

    /// Reads configuration text; relative paths resolve against `base`. `emulatedReaderBuiltIn`:
    /// whether `reader = "virtual"` can be honoured.
    static func parse(
        _ text: String, file: String, base: URL, emulatedReaderBuiltIn: Bool = emulatedCardReaderBuiltIn
    ) throws(ConfigError)
        -> KioskConfig
    {
        let document: TOMLDocument
        do {
            document = try TOMLDocument(parsing: text)
        } catch {
            throw ConfigError(file: file, line: error.line, key: nil, message: error.message)
        }
        let r = ConfigReader(document: document, file: file, base: base)
        var c = KioskConfig(base: base)
        c.file = file

        try r.string("kiosk.id", into: &c.kiosk.id) { id throws(ConfigError) in
            guard id.count <= 32, id.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") }) else {
                throw r.error("kiosk.id", "expected up to 32 letters, digits, - or _")
            }
        }
        try r.string("kiosk.office_name", into: &c.kiosk.officeName)
        try r.string("kiosk.agency", into: &c.kiosk.agency)
        try r.string("kiosk.address", into: &c.kiosk.address)

        var listen = "\(c.api.host):\(c.api.port)"
        try r.string("api.listen", into: &listen)
        try r.bool("api.allow_non_loopback", into: &c.api.allowNonLoopback)
        try r.strings("api.allowed_hosts", into: &c.api.allowedHosts)
        (c.api.host, c.api.port) = try parseListen(listen) { r.error("api.listen", $0) }
        if !c.api.allowNonLoopback, !isLoopback(c.api.host) {
            throw r.error(
                "api.listen",
                "expected a loopback address (127.0.0.1, ::1 or localhost); the kiosk opens no ports to the network unless api.allow_non_loopback = true"
            )
        }

        try r.path("store.path", into: &c.store.path)
        try r.int("store.max_size_mb", 16...1_000_000, into: &c.store.maxSizeMB)
        try r.path("catalog.directory", into: &c.catalogDirectory)
        try r.path("screen.directory", into: &c.screenDirectory)

        try r.int("session.idle_timeout_seconds", 30...3600, into: &c.session.idleTimeoutSeconds)
        try r.languages("session.languages", into: &c.session.languages)
        try r.choice("session.default_language", into: &c.session.defaultLanguage)
        if !c.session.languages.contains(c.session.defaultLanguage) {
            throw r.error("session.default_language", "must be one of session.languages")
        }
        try r.dates("session.holidays", into: &c.session.holidays)

        try r.choice("devices.scanner.driver", into: &c.scanner.driver)
        try r.string("devices.scanner.device", into: &c.scanner.device)
        var saneDirectory = URL(fileURLWithPath: "/")
        try r.path("devices.scanner.sane_config_dir", into: &saneDirectory)
        if saneDirectory.path != "/" { c.scanner.saneConfigDirectory = saneDirectory } else { r.record("devices.scanner.sane_config_dir", #""""#) }
        try r.strings("devices.scanner.source_names.flatbed", into: &c.scanner.sourceFlatbed)
        try r.strings("devices.scanner.source_names.feeder", into: &c.scanner.sourceFeeder)
        try r.strings("devices.scanner.source_names.duplex", into: &c.scanner.sourceDuplex)
        c.scanner.options = try r.table("devices.scanner.options")
        try r.int("devices.scanner.feeder_pages", 1...100, into: &c.scanner.feederPages)
        try r.int("devices.scanner.page_delay_ms", 0...60_000, into: &c.scanner.pageDelayMilliseconds)
        try r.int("devices.scanner.scan_timeout_seconds", 5...3600, into: &c.scanner.scanTimeoutSeconds)
        try r.int("devices.scanner.stall_timeout_seconds", 2...600, into: &c.scanner.stallTimeoutSeconds)

        var pageKB = c.documents.maxPageBytes / 1000, dossierMB = c.documents.maxDossierMB
        try r.int("documents.max_page_kb", 100...20_000, into: &pageKB)
        try r.int("documents.max_dossier_mb", 1...1000, into: &dossierMB)
        try r.int("documents.min_dpi", 100...600, into: &c.documents.minimumDPI)
        (c.documents.maxPageBytes, c.documents.maxDossierBytes) = (pageKB * 1000, dossierMB * 1_000_000)
        if c.documents.maxPageBytes > c.documents.maxDossierBytes {
            throw r.error("documents.max_page_kb", "a page cannot be larger than the whole dossier (documents.max_dossier_mb)")
        }
        try r.choice("devices.scanner.fault", into: &c.scanner.fault)

        try r.choice("devices.printer.driver", into: &c.printer.driver)
        try r.string("devices.printer.destination", into: &c.printer.destination)
        var server = ""
        try r.string("devices.printer.cups_server", into: &server)
        if !server.isEmpty {
            // A socket path, relative to this file unless absolute; otherwise host[:port].
            c.printer.cupsServer = server.contains("/") && !server.hasPrefix("/") ? base.appendingPathComponent(server).path : server
        }
        try r.int("devices.printer.job_timeout_seconds", 5...600, into: &c.printer.jobTimeoutSeconds)
        try r.choice("devices.printer.paper", into: &c.printer.paper)
        try r.path("devices.printer.output_directory", into: &c.printer.outputDirectory)
        try r.choice("devices.printer.fault", into: &c.printer.fault)

        try r.choice("devices.card_reader.driver", into: &c.cardReader.driver)
        try r.choice("devices.card_reader.reader", into: &c.cardReader.reader)
        // The emulated reader and its throw-away CA are not in a production build.
        if c.cardReader.driver == .ccid, c.cardReader.reader == .virtual, !emulatedReaderBuiltIn {
            throw r.error(
                "devices.card_reader.reader",
                "\"virtual\" needs a kioskd built with the emulated reader (swift build --traits EmulatedCardReader, as scripts/run-kiosk.sh does); a kiosk uses \"usb\""
            )
        }
        try r.path("devices.card_reader.csca_directory", into: &c.cardReader.cscaDirectory)
        try r.bool("devices.card_reader.read_face", into: &c.cardReader.readFace)
        try r.int("devices.card_reader.read_timeout_seconds", 1...300, into: &c.cardReader.readTimeoutSeconds)
        try r.choice("devices.card_reader.fault", into: &c.cardReader.fault)

        try r.int("queue.minutes_per_person", 1...240, into: &c.queue.minutesPerPerson)
        try r.int("central.heartbeat_seconds", 5...3600, into: &c.central.heartbeatSeconds)
        try r.int("central.chunk_kb", 16...8192, into: &c.central.chunkKB)
        try r.int("central.timeout_seconds", 2...600, into: &c.central.timeoutSeconds)

        try r.path("technician.socket", into: &c.technician.socket)
        // sockaddr_un holds 108 bytes, the terminating NUL included.
        if c.technician.socket.path.utf8.count > 107 {
            throw r.error("technician.socket", "a socket path of at most 107 bytes (this one has \(c.technician.socket.path.utf8.count))")
        }
        try r.string("technician.group", into: &c.technician.group) { name throws(ConfigError) in
            if !name.isEmpty, getgrnam(name) == nil {
                throw r.error("technician.group", "a group that exists on this machine (getent group \(name) finds none)")
            }
        }

        try r.choice("log.level", into: &c.logLevel)
        try r.rejectUnknown()
        c.settings = r.settings
        return c
    }

    /// Parses `HOST:PORT` (IPv6 as `[::1]:PORT`); `describe` turns a problem into the error
    /// for wherever the text came from.
    static func parseListen(_ text: String, describe: (String) -> ConfigError) throws(ConfigError) -> (String, Int) {
        var host: Substring
        let portText: Substring
        if text.hasPrefix("["), let close = text.firstIndex(of: "]"), text[text.index(after: close)...].hasPrefix(":") {
            host = text[text.index(after: text.startIndex)..<close]
            portText = text[text.index(close, offsetBy: 2)...]
        } else if let colon = text.lastIndex(of: ":"), !text[..<colon].contains(":") {
            host = text[..<colon]
            portText = text[text.index(after: colon)...]
        } else {
            throw describe("expected HOST:PORT, for example 127.0.0.1:8080, found \"\(text)\"")
        }
        guard let port = Int(portText), (1...65535).contains(port), !host.isEmpty else {
            throw describe("expected HOST:PORT with a port from 1 to 65535, found \"\(text)\"")
        }
        if host == "localhost" { host = "127.0.0.1" }
        return (String(host), port)
    }

    /// Applies a `--listen` override, with the same rules as `api.listen`.
    mutating func overrideListen(_ text: String) throws(ConfigError) {
        let describe = { (message: String) in ConfigError(file: "--listen", line: nil, key: nil, message: message) }
        (api.host, api.port) = try Self.parseListen(text, describe: describe)
        if !api.allowNonLoopback, !Self.isLoopback(api.host) {
            throw describe("expected a loopback address (127.0.0.1, ::1 or localhost) unless api.allow_non_loopback = true")
        }
    }

    static func isLoopback(_ host: String) -> Bool {
        host == "::1" || host.hasPrefix("127.")
    }
}

/// Reads typed values out of a `TOMLDocument`, recording which keys were used.
final class ConfigReader {
    let document: TOMLDocument
    let file: String
    let base: URL
    private var used: Set<String> = []
    /// Every setting read, with the value it ended with (the file's, or the default), in
    /// reading order: what `kioskd --print-config` shows, and what the tests compare the
    /// shipped kiosk.conf against.
    private(set) var settings: [(key: String, value: String)] = []

    func record(_ key: String, _ value: String) {
        settings.removeAll { $0.key == key }
        settings.append((key, value))
    }

    init(document: TOMLDocument, file: String, base: URL) {
        self.document = document
        self.file = file
        self.base = base
    }

    func error(_ key: String, _ message: String) -> ConfigError {
        ConfigError(file: file, line: document.entries[key]?.line, key: key, message: message)
    }

    private func entry(_ key: String) -> TOMLDocument.Entry? {
        used.insert(key)
        return document.entries[key]
    }

    private func mismatch(_ key: String, _ expected: String, _ value: TOMLDocument.Value) -> ConfigError {
        error(key, "expected \(expected), found \(value.typeName)")
    }

    func string(_ key: String, into target: inout String, check: (String) throws(ConfigError) -> Void = { _ in }) throws(ConfigError) {
        defer { record(key, "\"\(target)\"") }
        guard let entry = entry(key) else { return }
        guard case .string(let value) = entry.value else { throw mismatch(key, "text in \"quotes\"", entry.value) }
        guard !value.trimmingCharacters(in: .whitespaces).isEmpty else { throw error(key, "must not be empty") }
        try check(value)
        target = value
    }

    func int(_ key: String, _ range: ClosedRange<Int>, into target: inout Int) throws(ConfigError) {
        defer { record(key, "\(target)") }
        guard let entry = entry(key) else { return }
        guard case .integer(let value) = entry.value else {
            throw mismatch(key, "a whole number from \(range.lowerBound) to \(range.upperBound)", entry.value)
        }
        guard range.contains(value) else {
            throw error(key, "expected a whole number from \(range.lowerBound) to \(range.upperBound), found \(value)")
        }
        target = value
    }

    func bool(_ key: String, into target: inout Bool) throws(ConfigError) {
        defer { record(key, "\(target)") }
        guard let entry = entry(key) else { return }
        guard case .bool(let value) = entry.value else { throw mismatch(key, "true or false", entry.value) }
        target = value
    }

    func choice(_ key: String, _ allowed: [String], into target: inout String) throws(ConfigError) {
        var value = target
        try string(key, into: &value)
        guard allowed.contains(value) else {
            throw error(key, "expected one of \(allowed.map { "\"\($0)\"" }.joined(separator: ", ")), found \"\(value)\"")
        }
        target = value
    }

    /// A value that is one of a type's cases, by its name in the file.
    func choice<T: RawRepresentable & CaseIterable>(_ key: String, into target: inout T) throws(ConfigError) where T.RawValue == String {
        var raw = target.rawValue
        try choice(key, T.allCases.map(\.rawValue), into: &raw)
        target = T(rawValue: raw)!
    }

    func path(_ key: String, into target: inout URL) throws(ConfigError) {
        defer { record(key, "\"\(target.path)\"") }
        var value = ""
        try string(key, into: &value)
        guard !value.isEmpty else { return }
        target = value.hasPrefix("/") ? URL(fileURLWithPath: value) : base.appendingPathComponent(value)
    }

    func strings(_ key: String, into target: inout [String]) throws(ConfigError) {
        defer { record(key, "[" + target.map { "\"\($0)\"" }.joined(separator: ", ") + "]") }
        guard let entry = entry(key) else { return }
        guard case .array(let items) = entry.value, !items.isEmpty else { throw error(key, "expected a non-empty list of texts") }
        var values: [String] = []
        for item in items {
            guard case .string(let value) = item else { throw error(key, "expected a list of texts in \"quotes\"") }
            values.append(value)
        }
        target = values
    }

    /// Every key of the table `prefix` as (name, value text), in file order: tables whose
    /// keys are not ours to know (a SANE backend's own option names).
    func table(_ prefix: String) throws(ConfigError) -> [(name: String, value: String)] {
        var result: [(line: Int, name: String, value: String)] = []
        for (key, entry) in document.entries where key.hasPrefix(prefix + ".") {
            used.insert(key)
            let name = String(key.dropFirst(prefix.count + 1))
            let text: String
            switch entry.value {
            case .string(let value), .date(let value): text = value
            case .integer(let value): text = String(value)
            case .float(let value): text = String(value)
            case .bool(let value): text = value ? "yes" : "no"
            case .array: throw error(key, "expected a single value")
            }
            result.append((entry.line, name, text))
        }
        used.insert(prefix)
        return result.sorted { $0.line < $1.line }.map { ($0.name, $0.value) }
    }

    func languages(_ key: String, into target: inout [Language]) throws(ConfigError) {
        defer { record(key, "[" + target.map { "\"\($0.rawValue)\"" }.joined(separator: ", ") + "]") }
        guard let entry = entry(key) else { return }
        guard case .array(let items) = entry.value, !items.isEmpty else { throw error(key, "expected a non-empty list such as [\"vi\", \"en\"]") }
        var languages: [Language] = []
        for item in items {
            guard case .string(let raw) = item, let language = Language(rawValue: raw) else {
                throw error(key, "expected a list of \(Language.allCases.map { "\"\($0.rawValue)\"" }.joined(separator: ", "))")
            }
            languages.append(language)
        }
        target = languages
    }

    func dates(_ key: String, into target: inout Set<CivilDate>) throws(ConfigError) {
        defer { record(key, "[" + target.sorted().map(\.description).joined(separator: ", ") + "]") }
        guard let entry = entry(key) else { return }
        guard case .array(let items) = entry.value else { throw mismatch(key, "a list of dates", entry.value) }
        var dates: Set<CivilDate> = []
        for item in items {
            let text: String
            switch item {
            case .date(let value), .string(let value): text = value
            default: throw error(key, "expected a list of dates such as [2026-01-01, 2026-04-30]")
            }
            guard let date = CivilDate(parsing: text) else { throw error(key, "\(text) is not a date (yyyy-MM-dd)") }
            dates.insert(date)
        }
        target = dates
    }

    /// Fails on the first key or table that nothing read, in file order.
    func rejectUnknown() throws(ConfigError) {
        let known = used
        let knownTables = known.union(
            known.flatMap { key in
                let parts = key.split(separator: ".")
                return (1..<parts.count).map { parts[..<$0].joined(separator: ".") }
            })
        let unknownKeys = document.entries.filter { !known.contains($0.key) }.map { ($0.value.line, $0.key) }
        let unknownTables = document.tables.filter { !knownTables.contains($0.key) }.map { ($0.value, "[\($0.key)]") }
        if let (line, key) = (unknownKeys + unknownTables).min(by: { $0.0 < $1.0 }) {
            throw ConfigError(file: file, line: line, key: key, message: "unknown setting (misspelt, or not used by this version)")
        }
    }
}
