import ArgumentParser
import Flows
import Foundation
import Hummingbird
import Logging

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

    @Flag(name: .long, help: "Check the configuration and the catalog, print what is wrong, and exit.")
    var check = false

    func run() async throws {
        var settings: KioskConfig
        do {
            settings = try KioskConfig.load(path: config)
            if let listen {
                let reader = ConfigReader(document: try! TOMLDocument(parsing: ""), file: "--listen", base: URL(fileURLWithPath: "."))
                (settings.api.host, settings.api.port) = try KioskConfig.parseListen(listen, key: "--listen", reader: reader)
                if !settings.api.allowNonLoopback, !KioskConfig.isLoopback(settings.api.host) {
                    throw ConfigError(file: "--listen", line: nil, key: nil, message: "expected a loopback address unless api.allow_non_loopback = true")
                }
            }
        } catch let error as ConfigError {
            FileHandle.standardError.write(Data("kioskd: configuration error: \(error)\n".utf8))
            throw ExitCode(78)  // EX_CONFIG
        }
        let level = Logger.Level(rawValue: settings.logLevel) ?? .info
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        let logger = Logger(label: "kioskd")
        if check {
            let catalog = try Flows.Catalog.load(directory: settings.catalogDirectory)
            print("configuration OK: \(config)")
            print("catalog: \(catalog.procedures.count) procedures, \(catalog.issues.count) rejected files")
            for issue in catalog.issues { print("  \(issue)") }
            if !catalog.issues.isEmpty { throw ExitCode(65) }
            return
        }
        let app: any ApplicationProtocol
        do {
            app = try await buildApplication(config: settings, logger: logger)
        } catch {
            logger.critical("kioskd cannot start", metadata: ["kiosk.error": "\(error)"])
            throw ExitCode(1)
        }
        try await app.runService()
    }
}
