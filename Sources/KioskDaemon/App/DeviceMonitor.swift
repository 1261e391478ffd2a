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
    var probeInterval: Duration = .seconds(5)

    func run() async throws {
        await withDiscardingTaskGroup { group in
            for device in devices.all {
                group.addTask {
                    // Finds the device at start-up, then looks again every few seconds while
                    // it is missing (a printer: while it cannot print), so a device plugged
                    // back in, or a printer given paper, comes online by itself. A missing
                    // card reader is looked for with a fresh libusb context each time.
                    await device.probe()
                    var ticks = 0
                    while !Task.isShuttingDownGracefully {
                        do { try await cancelWhenGracefulShutdown { try await Task.sleep(for: probeInterval) } } catch { return }
                        ticks += 1
                        let state = await device.status().state
                        // A card reader is also looked at while idle, so a reader unplugged
                        // (or a card left behind) shows before the next applicant needs it; an
                        // idle printer every twelfth time (its paper sensor, where it answers).
                        if state == .noDevice || (device.kind == .printer && !state.isUsable)
                            || (device.kind == .cardReader && state != .busy)
                            || (device.kind == .printer && state == .online && ticks % 12 == 0)
                        {
                            await device.probe()
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
                        if status.state.isUsable {
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
