import CentralProtocol
import Foundation

/// What a heartbeat and a diagnostics bundle both say of the kiosk, worked out one way.
enum KioskVitals {
    /// Bytes free to kioskd on the store's file system; -1 when it cannot be read.
    /// The operating system, kernel release and machine, as uname(2) tells.
    static func system() -> [String: String] {
        var name = utsname()
        uname(&name)
        func text<T>(_ field: T) -> String {
            withUnsafeBytes(of: field) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
        }
        return ["os": "\(text(name.sysname)) \(text(name.release)) \(text(name.machine))"]
    }

    static func freeDiskBytes(_ directory: String) -> Int64 {
        var disk = statvfs()
        return statvfs(directory, &disk) == 0 ? Int64(disk.f_bavail) * Int64(disk.f_frsize) : -1
    }

    /// The outbox as the central sees it, from the store's health read at `now`.
    static func outbox(_ health: (depth: Int, quarantined: Int, oldest: Date?), now: Date, lastError: String?) -> OutboxReport {
        OutboxReport(
            depth: health.depth, oldestAgeSeconds: health.oldest.map { now.timeIntervalSince($0) }, quarantined: health.quarantined,
            lastError: lastError)
    }
}
