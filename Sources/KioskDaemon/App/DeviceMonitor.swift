import KioskAPI
import Devices
import Localized
import Logging
import ServiceLifecycle

/// Follows every device's status stream: each change goes to the live event stream, and
/// problems to the log for the technician.
struct DeviceMonitor: Service {
    let devices: DeviceSet
    let hub: EventHub
    let logger: Logger
    /// How often each device's state is looked at against its driver's `probeSchedule`.
    var tick: Duration = .seconds(1)

    func run() async throws {
        await withDiscardingTaskGroup { group in
            for device in devices.all {
                group.addTask {
                    // Finds the device at start-up, then looks again as often as its driver
                    // asks for the state it is in (a missing device every few seconds, so one
                    // plugged back in comes online by itself).
                    await device.probe()
                    let schedule = device.probeSchedule
                    var lastLook = ContinuousClock.now
                    while !Task.isShuttingDownGracefully {
                        do { try await cancelWhenGracefulShutdown { try await Task.sleep(for: tick) } } catch { return }
                        let state = await device.status().state
                        if let interval = schedule.interval(in: state), ContinuousClock.now - lastLook >= interval {
                            await device.probe()
                            lastLook = .now
                        }
                    }
                }
                group.addTask {
                    for await status in await device.statusUpdates().cancelOnGracefulShutdown() {
                        await hub.publish(.device(status))
                        let metadata: Logger.Metadata = [
                            "kiosk.device": "\(status.id)", "kiosk.state": "\(status.state.rawValue)",
                            "kiosk.media": "\(status.media?.rawValue ?? "-")",
                            "kiosk.code": "\(status.lastError?.code ?? "-")",
                        ]
                        if status.state.isUsable || status.state == .starting {
                            // A device still starting has not settled: its first probe says.
                            logger.info("device status", metadata: metadata)
                        } else {
                            logger.warning("device needs attention", metadata: metadata)
                        }
                    }
                }
            }
        }
        await hub.finishAll()
    }
}
