import CentralProtocol
import Devices
import Flows
import Foundation
import Localized
import KioskAPI
import KioskStore
import Logging
import ServiceLifecycle

/// Says the kiosk is alive: every period the central asks for, within two seconds of a device
/// change (changes within 300 ms are sent together), and once more — "going offline" — at a
/// clean shutdown. An unreachable central is retried with capped, jittered backoff that honours
/// `Retry-After`. It never touches an applicant's path: it only reads.
struct HeartbeatService: Service {
    let store: KioskStore
    let link: LinkState
    let devices: DeviceSet
    let hub: EventHub
    let catalog: LiveCatalog
    let startedAt: ContinuousClock.Instant
    let storeDirectory: String
    let maintenance: MaintenanceSwitch
    let commands: CommandRunner
    let logger: Logger

    func run() async throws {
        await withDiscardingTaskGroup { group in
            group.addTask {
                // A device change wakes the heartbeat.
                for await event in await hub.subscribe().cancelOnGracefulShutdown() {
                    if case .device = event { link.wakeHeartbeat() }
                }
            }
            group.addTask {
                // A shutdown ends the wait for the next beat at once (then "going offline" is sent).
                await withGracefulShutdownHandler {
                    await beat()
                } onGracefulShutdown: {
                    link.wakeHeartbeat()
                }
            }
        }
    }

    private func beat() async {
        var failures = 0
        var restartWhenReported = false
        while !Task.isShuttingDownGracefully, !Task.isCancelled {
            var wait = Duration.seconds(link.snapshot.heartbeatSeconds)
            if let enrolment = try? await store.read({ try $0.enrolment() }), let client = link.client(for: enrolment) {
                do {
                    let (reply, reported) = try await send(client, enrolment: enrolment, goingOffline: false)
                    failures = 0
                    if restartWhenReported, reported {
                        // The central has the result: restart (the service manager starts kioskd again).
                        logger.notice("restarting, as the central asked")
                        kill(getpid(), SIGTERM)
                        restartWhenReported = false
                    }
                    if !reply.commands.isEmpty {
                        let afterwards = await commands.handle(reply.commands, arrival: .now, enrolment: enrolment, client: client)
                        if case .restart = afterwards { restartWhenReported = true }
                        // The results go at once, not a period later.
                        wait = .zero
                    }
                } catch {
                    failures += 1
                    wait = Backoff.delay(attempt: failures, base: 5, cap: 300, retryAfter: error.retryAfter)
                    logger.warning("heartbeat failed", metadata: ["kiosk.error": "\(error)", "kiosk.retry_in": "\(wait)"])
                }
            }
            await link.heartbeatWait(wait)
            if Task.isShuttingDownGracefully { break }
            // A burst of changes (a printer going out of paper, then its queue pausing)
            // travels as one heartbeat.
            try? await Task.sleep(for: .milliseconds(300))
        }
        // A clean shutdown says so, so that the fleet view does not wait three periods.
        if let enrolment = try? await store.read({ try $0.enrolment() }), let client = link.client(for: enrolment) {
            do {
                try await send(client, enrolment: enrolment, goingOffline: true, timeout: 2)
                logger.info("told the central this kiosk is going offline")
            } catch {
                logger.info("could not tell the central this kiosk is going offline", metadata: ["kiosk.error": "\(error)"])
            }
        }
    }

    /// Sends a heartbeat; the central's reply, and whether it carried command results.
    @discardableResult
    func send(
        _ client: CentralClient, enrolment: CentralEnrolment, goingOffline: Bool, timeout: TimeInterval = 15
    ) async throws(LinkFailure)
        -> (HeartbeatReply, reported: Bool)
    {
        let heartbeat: Heartbeat
        do {
            heartbeat = try await make(goingOffline: goingOffline)
        } catch {
            throw .unreachable("cannot read the store: \(error)")
        }
        let body = (try? CentralCoding.encoder().encode(heartbeat)) ?? Data()
        let sentAt = Date()
        do {
            let reply = try await client.call(HeartbeatReply.self, "POST", CentralPaths.heartbeats, body: body, timeout: timeout)
            link.clock.learn(serverTime: reply.serverTime, sentAt: sentAt, receivedAt: Date())
            link.update {
                $0.lastHeartbeatAt = Date()
                $0.lastHeartbeatSequence = heartbeat.sequence
                $0.lastHeartbeatResult = "ok"
                $0.heartbeatSeconds = min(max(reply.heartbeatSeconds, 5), 3600)
            }
            logger.debug("heartbeat sent", metadata: ["kiosk.sequence": "\(heartbeat.sequence)", "kiosk.commands": "\(reply.commands.count)"])
            let ids = heartbeat.commandResults.map(\.id)
            if !ids.isEmpty { _ = try? await store.transaction { try $0.markCommandResultsReported(ids) } }
            return (reply, !ids.isEmpty)
        } catch {
            link.update {
                $0.lastHeartbeatResult = error.description
            }
            throw error
        }
    }

    func make(goingOffline: Bool) async throws -> Heartbeat {
        let now = Date()
        let startOfDay = Calendar.vietnam.startOfDay(for: now)
        let (sequence, lastCommand, summary, health, today, results) = try await store.transaction { t in
            (
                try t.nextHeartbeatSequence(), try t.lastCommandId(), try t.summary(), try t.outboxHealth(), try t.sessionsStarted(since: startOfDay),
                try t.unreportedCommandResults()
            )
        }
        let statuses = await devices.statuses()
        let free = KioskVitals.freeDiskBytes(storeDirectory)
        return Heartbeat(
            sequence: sequence, kioskTime: now, uptimeSeconds: (ContinuousClock.now - startedAt).timeInterval, softwareVersion: KioskVersion.current,
            catalogVersion: catalog.current.fingerprint, goingOffline: goingOffline, maintenance: maintenance.isOn,
            devices: statuses.map {
                DeviceReport(id: $0.id, kind: $0.kind.rawValue, state: $0.state.rawValue, media: $0.media?.rawValue, lastNotice: $0.lastError?.code)
            },
            sessionsActive: summary.openSessions, sessionsToday: today,
            outbox: KioskVitals.outbox(health, now: now, lastError: link.snapshot.lastDeliveryError),
            freeDiskBytes: free, lastCommandId: lastCommand,
            commandResults: results.map {
                CommandResult(
                    id: $0.id, outcome: CommandResult.Outcome(rawValue: $0.outcome) ?? .failed, detail: $0.detail, finishedAt: $0.finishedAt)
            })
    }
}

/// Capped exponential backoff with ±20 % jitter, never shorter than the server's `Retry-After`.
enum Backoff {
    static func delay(attempt: Int, base: Double, cap: Double, retryAfter: TimeInterval?) -> Duration {
        let exponential = min(cap, base * pow(2, Double(max(0, min(attempt - 1, 20)))))
        let jittered = exponential * Double.random(in: 0.8...1.2)
        return .milliseconds(Int(max(jittered, min(retryAfter ?? 0, 3600)) * 1000))
    }
}

extension Calendar {
    /// Vietnam's calendar (UTC+7, no daylight saving).
    static var vietnam: Calendar {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(secondsFromGMT: 7 * 3600)!
        return calendar
    }
}
