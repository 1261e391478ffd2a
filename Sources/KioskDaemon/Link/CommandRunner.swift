import CentralProtocol
import Devices
import Foundation
import KioskAPI
import KioskStore
import Localized
import Logging

/// Carries out the central's commands, after checking each: signed by the central's key pinned
/// at enrolment, addressed to this kiosk, numbered above the last one handled (kept in the
/// store across restarts), and younger than ten minutes — its age when sent plus the time
/// since it arrived on this kiosk's monotonic clock, so a wrong wall clock neither revives
/// nor kills it. A refused command's result says why; every result goes on the next heartbeat.
struct CommandRunner: Sendable {
    let store: KioskStore
    let maintenance: MaintenanceSwitch
    let printouts: PrintoutService
    let devices: DeviceSet
    let catalogUpdate: RemoteCatalogUpdate
    let diagnostics: DiagnosticsUpload
    let logger: Logger

    /// What to do once the results are reported.
    enum Afterwards: Sendable {
        case nothing
        case restart
    }

    /// The verdict on one signed command, before anything runs.
    static func check(
        _ signed: SignedCommand, centralKey: VerifyingKey, kioskId: String, lastHandled: Int64, heldFor: Duration
    ) -> Result<RemoteCommand, Refusal> {
        guard let command = signed.verified(with: centralKey) else {
            let claimed = (try? CentralCoding.decoder().decode(RemoteCommand.self, from: signed.payload))
            return .failure(Refusal(id: claimed?.id, reason: "forged: the signature does not verify with the central key pinned at enrolment"))
        }
        guard command.kioskId == kioskId else {
            return .failure(Refusal(id: command.id, reason: "misaddressed: the command is for kiosk \(command.kioskId), this is \(kioskId)"))
        }
        guard command.id > lastHandled else {
            return .failure(Refusal(id: command.id, reason: "replayed: command \(command.id) is not above the last one handled (\(lastHandled))"))
        }
        guard command.ageSeconds >= 0 else {
            return .failure(Refusal(id: command.id, reason: "malformed: the central gives the command a negative age (\(command.ageSeconds) s)"))
        }
        let age = command.ageSeconds + heldFor.timeInterval
        guard age <= RemoteCommand.lifetimeSeconds else {
            return .failure(Refusal(id: command.id, reason: "expired: \(Int(age)) s old, past \(Int(RemoteCommand.lifetimeSeconds)) s"))
        }
        return .success(command)
    }

    struct Refusal: Error {
        var id: Int64?
        var reason: String
    }

    /// Checks and runs `commands` (arrived at `arrival`), in id order; keeps each result.
    func handle(
        _ commands: [SignedCommand], arrival: ContinuousClock.Instant, enrolment: CentralEnrolment, client: CentralClient
    ) async -> Afterwards {
        guard let centralKey = try? VerifyingKey(base64: enrolment.centralKey) else {
            logger.error("the pinned central key is unreadable: enrol again")
            return .nothing
        }
        var afterwards = Afterwards.nothing
        for signed in commands {
            let lastHandled = (try? await store.read { try $0.lastCommandId() }) ?? 0
            let outcome: (id: Int64?, CommandResult.Outcome, String)
            switch Self.check(signed, centralKey: centralKey, kioskId: enrolment.kioskId, lastHandled: lastHandled, heldFor: .now - arrival) {
            case .failure(let refusal):
                outcome = (refusal.id, .refused, refusal.reason)
                logger.warning(
                    "command refused", metadata: ["kiosk.command": "\(refusal.id.map(String.init) ?? "?")", "kiosk.reason": "\(refusal.reason)"])
            case .success(let command):
                // Handled means handled: the id is kept before the command runs, so a crash
                // mid-command does not run it twice.
                _ = try? await store.transaction { try $0.setLastCommandId(command.id) }
                let (result, detail, then) = await run(command, client: client, centralKey: centralKey)
                outcome = (command.id, result, detail)
                if case .restart = then { afterwards = .restart }
                logger.notice(
                    "command handled",
                    metadata: ["kiosk.command": "\(command.id)", "kiosk.kind": "\(command.kind.rawValue)", "kiosk.outcome": "\(result)"])
            }
            if let id = outcome.id {
                _ = try? await store.transaction { try $0.saveCommandResult(id: id, outcome: outcome.1.rawValue, detail: outcome.2, at: Date()) }
            }
        }
        return afterwards
    }

    private func run(
        _ command: RemoteCommand, client: CentralClient, centralKey: VerifyingKey
    ) async -> (CommandResult.Outcome, String, Afterwards) {
        do {
            switch command.kind {
            case .maintenanceOn:
                try await maintenance.set(true)
                return (.done, "maintenance on: no new session; one under way finishes", .nothing)
            case .maintenanceOff:
                try await maintenance.set(false)
                return (.done, "maintenance off", .nothing)
            case .testPrint:
                return (.done, "test page printed (job \(try await printouts.testPage()))", .nothing)
            case .reprintReceipt:
                guard let dossier = command.arguments["dossier"] else {
                    return (.failed, "the argument dossier (UUID or reference) is missing", .nothing)
                }
                let report = try await printouts.reprint(dossier: dossier, kind: "receipt")
                return (.done, "receipt reprinted (job \(report.job))", .nothing)
            case .selfTest:
                let (outcome, detail) = await DeviceSelfTest(store: store, devices: devices, printouts: printouts).remote(
                    level: command.arguments["level"])
                return (outcome, detail, .nothing)
            case .restart:
                return (.done, "restarting after this result is reported", .restart)
            case .catalogUpdate:
                let (outcome, detail) = await catalogUpdate.run(command, client: client, centralKey: centralKey)
                return (outcome, detail, .nothing)
            case .uploadDiagnostics:
                let (outcome, detail) = await diagnostics.run(command, client: client)
                return (outcome, detail, .nothing)
            }
        } catch {
            return (.failed, "\(error)", .nothing)
        }
    }
}
