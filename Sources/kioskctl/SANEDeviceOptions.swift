import ArgumentParser
import Devices
import Foundation
import Imaging

/// Which SANE device to use and how to reach it: shared by `scan` and `selftest scanner`.
/// libsane runs in the kiosk-sane helper next to this binary, as it does for kioskd, so
/// these commands can run while kioskd is idle (nothing holds the device between scans).
struct SANEDeviceOptions: ParsableArguments {
    @Option(name: .long, help: "SANE device name as `scanimage -L` lists it; empty takes the first found.")
    var device = ""
    @Option(name: .long, help: "libsane's configuration directory (SANE_CONFIG_DIR).")
    var saneConfigDir: String?
    @Option(name: .long, parsing: .singleValue, help: "A backend option NAME=VALUE, set after the kiosk's own (repeatable).")
    var option: [String] = []

    func validate() throws {
        for item in option where !item.contains("=") { throw ValidationError("--option takes NAME=VALUE, got \(item)") }
    }

    func scanner(stallTimeout: TimeInterval = 30, pixelPool: PixelPool? = nil) -> SANEHelperScanner {
        let extras = option.map { item -> (name: String, value: String) in
            let parts = item.split(separator: "=", maxSplits: 1)
            return (String(parts[0]), parts.count > 1 ? String(parts[1]) : "")
        }
        return SANEHelperScanner(
            id: "scanner", helper: Self.helper, deviceName: device, extraOptions: extras,
            environment: saneConfigDir.map { ["SANE_CONFIG_DIR": $0] } ?? [:], stallTimeout: stallTimeout,
            pixelPool: pixelPool)
    }

    /// kiosk-sane, installed next to kioskctl.
    static var helper: URL {
        URL(fileURLWithPath: (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0])
            .deletingLastPathComponent().appendingPathComponent("kiosk-sane")
    }
}
