import ArgumentParser
import Foundation
import KioskAPI

/// `kioskctl maintenance`.
struct Maintenance: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Maintenance mode: while on, the screen says the kiosk is out of service and no new session starts.",
        discussion: "An applicant already filing may finish. Without an argument, prints whether it is on. Kept across restarts.")

    enum Switch: String, ExpressibleByArgument, CaseIterable { case on, off }

    @OptionGroup var connection: Connection
    @Argument(help: "on or off.") var state: Switch?
    @Flag(name: .long, help: "JSON.") var json = false

    func run() async throws {
        let client = try connection.client
        let result: MaintenanceState
        if let state {
            result = try await callKiosk { () async throws(KioskClient.Failure) in try await client.setMaintenance(state == .on) }
        } else {
            result = try await callKiosk { () async throws(KioskClient.Failure) in try await client.maintenance() }
        }
        if json { return try printJSON(result) }
        let filing = result.openSessions == 0 ? "no applicant filing" : "\(result.openSessions) applicant(s) still filing"
        print("maintenance \(result.on ? "on" : "off") (\(filing))")
    }
}
