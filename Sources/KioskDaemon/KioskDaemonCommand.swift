import ArgumentParser
import Flows
import Foundation
import Hummingbird
import Logging
import Metrics
import Prometheus

/// `kioskd`: the kiosk daemon.
@main
struct KioskDaemonCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kioskd",
        abstract: "Runs a self-service kiosk: devices, filing flows, the local API and the kiosk screen.")

    @Option(name: .long, help: "The configuration file.")
    var config = "kiosk.conf"

    @Option(name: .long, help: "Listen on HOST:PORT instead of api.listen (loopback unless the file allows otherwise).")
    var listen: String?

    @Flag(name: .long, help: "Check the configuration and what it names (catalog, screen, CSCA), print each problem, and exit.")
    var check = false

    enum CheckFormat: String, ExpressibleByArgument, CaseIterable {
        case text, json
    }

    @Option(name: .long, help: "With --check: text, or json (for kioskctl config check --json).")
    var checkFormat: CheckFormat = .text

    enum LogFormat: String, ExpressibleByArgument, CaseIterable {
        case text, json
    }

    @Option(name: .long, help: "Log lines as text (one line per event, key=value fields) or json (one object per line, for collectors).")
    var logFormat: LogFormat = .text

    @Flag(name: .long, help: "Print every setting with the value in effect (the file's, or the default), as kiosk.conf spells it, and exit.")
    var printConfig = false

    /// The configuration with `--listen` applied, or nil after printing what is wrong.
    func loadSettings() -> KioskConfig? {
        do throws(ConfigError) {
            var settings = try KioskConfig.load(path: config)
            if let listen { try settings.overrideListen(listen) }
            return settings
        } catch {
            FileHandle.standardError.write(Data("kioskd: configuration error: \(error)\n".utf8))
            return nil
        }
    }

    func run() async throws {
        if check {
            // Exit 0 all good, 65 something the file names is wrong, 78 the file itself.
            let report = ConfigCheck.run(file: config, listen: listen)
            switch checkFormat {
            case .text: print(ConfigCheck.text(report))
            case .json:
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
                print(String(decoding: try encoder.encode(report), as: UTF8.self))
            }
            if report.exitCode != 0 { throw ExitCode(report.exitCode) }
            return
        }
        guard let settings = loadSettings() else { throw ExitCode(78) }  // EX_CONFIG
        if printConfig {
            print(settings.printed(source: config))
            return
        }
        let level = settings.logLevel
        let format = logFormat
        LoggingSystem.bootstrap { label in
            let handler: any LogHandler
            switch format {
            case .text:
                var text = StreamLogHandler.standardError(label: label)
                text.logLevel = level
                handler = text
            case .json:
                handler = JSONLogHandler(label: label, logLevel: level)
            }
            // The last lines also stay in memory, for a diagnostics bundle the central asks for.
            return MultiplexLogHandler([handler, RecentLogHandler(label: label, log: .shared, logLevel: max(level, .info))])
        }
        let logger = Logger(label: "kioskd")
        // Metrics through swift-metrics, kept in a Prometheus registry that GET /metrics emits.
        let registry = PrometheusCollectorRegistry()
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))
        let app: any ApplicationProtocol
        do {
            app = try await buildApplication(config: settings, logger: logger, metricsRegistry: registry)
        } catch {
            logger.critical("kioskd cannot start", metadata: ["kiosk.error": "\(error)"])
            throw ExitCode(1)
        }
        try await app.runService()
    }
}
