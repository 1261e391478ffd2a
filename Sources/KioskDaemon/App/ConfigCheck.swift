import Flows
import Foundation

/// `kioskd --check` (and `kioskctl config check`, which runs it): the configuration file and
/// what it names — the catalog, the screen, the CSCA certificates — each problem with its
/// file, line and key, and what is expected.
enum ConfigCheck {
    struct Problem: Codable, Sendable {
        var file: String
        var line: Int?
        var key: String?
        var message: String

        var text: String {
            var place = file
            if let line { place += ":\(line)" }
            if let key, !key.isEmpty { place += ": \(key)" }
            return "\(place): \(message)"
        }
    }

    struct Report: Codable, Sendable {
        var file: String
        /// The configuration file itself is valid (kioskd would start with it).
        var configValid: Bool
        var procedures: Int
        var problems: [Problem]
        /// What works but is worth knowing (no CSCA certificate yet); never fails the check.
        var warnings: [Problem] = []

        /// 0 all good; 78 (EX_CONFIG) the file is not valid; 65 (EX_DATAERR) something it
        /// names is wrong (a rejected catalog file, a missing directory).
        var exitCode: Int32 { !configValid ? 78 : problems.isEmpty ? 0 : 65 }
    }

    /// `listen`: kioskd's `--listen`, checked as kioskd would apply it.
    static func run(file: String, listen: String? = nil) -> Report {
        var config: KioskConfig
        do throws(ConfigError) {
            config = try KioskConfig.load(path: file)
            if let listen { try config.overrideListen(listen) }
        } catch {
            return Report(
                file: file, configValid: false, procedures: 0,
                problems: [Problem(file: error.file, line: error.line, key: error.key, message: error.message)])
        }
        var problems: [Problem] = []
        var warnings: [Problem] = []
        var procedures = 0
        do {
            let catalog = try Catalog.load(directory: config.catalogDirectory)
            procedures = catalog.procedures.count
            problems += catalog.issues.map {
                Problem(file: config.catalogDirectory.appendingPathComponent($0.file).path, line: $0.line, key: $0.field, message: $0.message)
            }
            if catalog.procedures.isEmpty, catalog.issues.isEmpty {
                problems.append(
                    Problem(file: file, key: "catalog.directory", message: "no procedure file (*.yaml) in \(config.catalogDirectory.path)"))
            }
        } catch {
            problems.append(Problem(file: file, key: "catalog.directory", message: "cannot read the catalog: \(error)"))
        }
        let index = config.screenDirectory.appendingPathComponent("index.html")
        if !FileManager.default.fileExists(atPath: index.path) {
            problems.append(
                Problem(file: file, key: "screen.directory", message: "a directory holding the screen's index.html; there is none at \(index.path)"))
        }
        if config.cardReader.driver == .ccid {
            let pems = (try? FileManager.default.contentsOfDirectory(atPath: config.cardReader.cscaDirectory.path))?.filter {
                $0.hasSuffix(".pem") || $0.hasSuffix(".crt") || $0.hasSuffix(".der") || $0.hasSuffix(".cer")
            }
            if pems?.isEmpty ?? true {
                warnings.append(
                    Problem(
                        file: file, key: "devices.card_reader.csca_directory",
                        message:
                            "no CSCA certificate (.pem, .crt, .der, .cer) in \(config.cardReader.cscaDirectory.path): cards read as \"CA unknown\""))
            }
        }
        return Report(file: file, configValid: true, procedures: procedures, problems: problems, warnings: warnings)
    }

    static func text(_ report: Report) -> String {
        var lines: [String] = []
        if report.configValid {
            lines.append("configuration OK: \(report.file)")
            lines.append("catalog: \(report.procedures) procedures")
        } else {
            lines.append("configuration NOT valid: \(report.file)")
        }
        for problem in report.problems { lines.append("  ✗ \(problem.text)") }
        for warning in report.warnings { lines.append("  ! \(warning.text)") }
        if report.configValid { lines.append(report.problems.isEmpty ? "no problems" : "\(report.problems.count) problem(s)") }
        return lines.joined(separator: "\n")
    }
}
