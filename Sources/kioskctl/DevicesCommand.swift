import ArgumentParser
import Foundation
import KioskAPI
import Localized
import StatusModel

/// `kioskctl devices`.
struct DevicesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "devices",
        abstract: "Each device: state, media, last notice and when it changed.",
        discussion: "Exit status: 0 every device usable, 1 kioskd unreachable, 2 a device needs attention.")

    @OptionGroup var connection: Connection
    @Flag(name: .long, help: "JSON.") var json = false

    func run() async throws {
        let client = try connection.client
        let devices = try await callKiosk { () async throws(KioskClient.Failure) in try await client.devices() }
        if json {
            try printJSON(devices)
        } else {
            print(Self.text(devices, now: Date()))
        }
        if devices.contains(where: { !$0.state.isUsable || $0.lastError != nil }) { throw ExitCode(2) }
    }

    static func text(_ devices: [DeviceStatus], now: Date) -> String {
        var lines = ["DEVICE        KIND          STATE       MEDIA          CHANGED"]
        for d in devices {
            let changed = "\(StatusFormatter.duration(max(0, now.timeIntervalSince(d.updatedAt)))) ago"
            lines.append(
                StatusFormatter.pad(d.id, 14) + StatusFormatter.pad(d.kind.rawValue, 14) + StatusFormatter.pad(d.state.rawValue, 12)
                    + StatusFormatter.pad(d.media?.rawValue ?? "-", 15) + changed)
            if let notice = d.lastError {
                lines.append("    last notice \(notice.code): \(notice.forTechnician)")
            }
        }
        return lines.joined(separator: "\n")
    }
}
