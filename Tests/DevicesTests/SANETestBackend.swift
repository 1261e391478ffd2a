import Devices
import Foundation
import KioskTestSupport

/// SANE's `test` backend, set up in a private config directory (nothing under /etc is
/// touched): `dll.conf` lists only `test`, and `geometry_max` is raised so A4 fits.
/// The scanners run libsane in the `kiosk-sane` helper, as kioskd does: this test process
/// never runs a SANE backend itself.
enum SANETestBackend {
    static let directory: URL? = {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("kiosk-sane-\(getpid())")
        try? FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        guard let system = try? String(contentsOfFile: "/etc/sane.d/test.conf", encoding: .utf8) else { return nil }
        let conf = system.split(separator: "\n", omittingEmptySubsequences: false)
            .map { $0.hasPrefix("geometry_max") ? "geometry_max 300.0" : String($0) }.joined(separator: "\n")
        do {
            try "test\n".write(to: dir.appendingPathComponent("dll.conf"), atomically: true, encoding: .utf8)
            try conf.write(to: dir.appendingPathComponent("test.conf"), atomically: true, encoding: .utf8)
        } catch { return nil }
        return dir
    }()

    /// The backend keeps option values across close and open within a process, so every
    /// scanner first puts its test options back to their defaults.
    static let defaults = [
        ("read-return-value", "Default"), ("read-limit", "no"), ("read-delay", "no"),
        ("fuzzy-parameters", "no"), ("hand-scanner", "no"), ("test-picture", "Solid black"),
    ]

    /// A scanner on `test:0` with the given test-backend options.
    static func scanner(
        _ options: [(String, String)] = [], device: String = "test:0", stallTimeout: TimeInterval = 30,
        environment: [String: String] = [:]
    ) -> SANEHelperScanner {
        precondition(directory != nil, "SANE test backend config could not be written")
        return SANEHelperScanner(
            id: "scanner", helper: builtProduct("kiosk-sane"), deviceName: device,
            extraOptions: (defaults + options).map { (name: $0.0, value: $0.1) },
            environment: environment.merging(["SANE_CONFIG_DIR": directory!.path]) { $1 }, stallTimeout: stallTimeout)
    }
}
