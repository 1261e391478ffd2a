import Devices

/// The devices of this kiosk, one of each kind, as configured.
struct DeviceSet: Sendable {
    let scanner: any DocumentScanner
    let printer: any Printer
    let cardReader: any CardReader
    /// In a build with the emulated reader (demos, tests): a hand at the emulated reader —
    /// `card_placed`, `card_removed`, `card_lifted_mid_read` (the card goes a few APDUs into
    /// the next read) — acting on the reader the real CCID driver reads. Nil otherwise.
    var emulatedHand: (@Sendable (String) -> Bool)? = nil

    var all: [any Device] { [scanner, printer, cardReader] }

    /// The device called `id`, if it accepts injected faults (simulated drivers only).
    func faultInjectable(_ id: String) -> (any FaultInjectable)? {
        all.first { $0.id == id } as? any FaultInjectable
    }

    /// Injects `fault` into the simulated device `id`; its status after.
    func inject(fault: String, into id: String) async throws -> DeviceStatus {
        if id == cardReader.id, let emulatedHand, emulatedHand(fault) { return await cardReader.status() }
        guard let device = faultInjectable(id) else { throw KioskError.deviceNotSimulated(id) }
        do throws(DeviceFailure) {
            try await device.inject(fault: fault)
        } catch {
            throw KioskError.deviceRefused(error.notice)
        }
        return await device.status()
    }

    func statuses() async -> [DeviceStatus] {
        var result: [DeviceStatus] = []
        for device in all { result.append(await device.status()) }
        return result
    }
}
