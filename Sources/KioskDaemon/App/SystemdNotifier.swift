import Foundation
import KioskStore
import Logging
import ServiceLifecycle

/// systemd's notification protocol (sd_notify(3)), spoken directly: datagrams of `KEY=value`
/// lines to the socket in `NOTIFY_SOCKET` (a path, or `@name` in the abstract namespace).
/// Without `NOTIFY_SOCKET` (not started by systemd) every call does nothing.
struct SystemdNotifier: Sendable {
    let socketPath: String?

    init(environment: [String: String] = ProcessInfo.processInfo.environment) {
        socketPath = environment["NOTIFY_SOCKET"].flatMap { $0.isEmpty ? nil : $0 }
    }

    var isActive: Bool { socketPath != nil }

    /// Sends `fields` ("READY=1", "STATUS=…") as one datagram; false if it could not be sent.
    @discardableResult
    func notify(_ fields: String...) -> Bool {
        guard let socketPath else { return false }
        let message = Array(fields.joined(separator: "\n").utf8)
        let fd = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        var path = Array(socketPath.utf8)
        // "@name": Linux's abstract namespace, a leading NUL byte instead of the @.
        if path.first == UInt8(ascii: "@") { path[0] = 0 }
        guard path.count < MemoryLayout.size(ofValue: address.sun_path) else { return false }
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            raw.copyBytes(from: path)
        }
        let length = socklen_t(MemoryLayout<sa_family_t>.size + path.count)
        let sent = withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { sockaddrPointer in
                message.withUnsafeBytes { sendto(fd, $0.baseAddress, $0.count, 0, sockaddrPointer, length) }
            }
        }
        return sent == message.count
    }

    /// The watchdog period systemd asks for (`WATCHDOG_USEC`, for this process if
    /// `WATCHDOG_PID` names one), or nil.
    static func watchdogInterval(environment: [String: String] = ProcessInfo.processInfo.environment) -> Duration? {
        guard let text = environment["WATCHDOG_USEC"], let usec = Int64(text), usec > 0 else { return nil }
        if let pid = environment["WATCHDOG_PID"].flatMap(Int32.init), pid != getpid() { return nil }
        return .microseconds(usec)
    }
}

/// Pings systemd's watchdog at half its period — only while kioskd is really working: each
/// ping follows a store write transaction that must come back within the period (a store held locked, a
/// stalled disk or a starved cooperative pool stop the pings, and systemd restarts kioskd).
/// Keeps `STATUS=` current with a one-line summary. Says `STOPPING=1` on a graceful shutdown.
struct SystemdWatchdog: Service {
    let notifier: SystemdNotifier
    let interval: Duration?
    let store: KioskStore
    let status: @Sendable () async -> String
    let logger: Logger

    func run() async throws {
        // Not started by systemd: nothing to tell.
        guard notifier.isActive else {
            try? await gracefulShutdown()
            return
        }
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                let period = interval ?? .seconds(30)
                let healthy = await storeAnswers(within: period / 2)
                if healthy {
                    if interval != nil {
                        notifier.notify("WATCHDOG=1", "STATUS=\(await status())")
                    } else {
                        notifier.notify("STATUS=\(await status())")
                    }
                } else {
                    logger.error("the store does not answer: the watchdog is not fed (systemd will restart kioskd)")
                }
                try? await Task.sleep(for: period / 2)
            }
        }
        notifier.notify("STOPPING=1", "STATUS=stopping")
    }

    /// Whether the store gives its write lock within `deadline` (what every applicant event
    /// needs; nothing is written). A store another process holds locked waits
    /// out SQLite's busy timeout, then fails: no ping either way.
    private func storeAnswers(within deadline: Duration) async -> Bool {
        let start = ContinuousClock.now
        let answered = (try? await store.transaction { try $0.takeWriteLock() }) != nil
        return answered && ContinuousClock.now - start < deadline
    }
}
