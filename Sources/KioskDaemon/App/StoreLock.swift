import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// One kioskd per store: an exclusive `flock` on `<store>.lock`, held for the life of the
/// process, with the holder's process id written in it. A second kioskd on the same store
/// refuses to start and says which process holds it, instead of "recovering" the first one's
/// running scan. (The lock is the kernel's: it goes with the process, even on SIGKILL.)
final class StoreLock: Sendable {
    let path: String
    private let descriptor: Int32

    struct Held: Error, CustomStringConvertible {
        var path: String
        var holder: String
        var description: String {
            "the store is in use by another kioskd (\(holder)); stop it first, or give this one another [store] path (lock: \(path))"
        }
    }

    init(store: String) throws {
        path = store + ".lock"
        let directory = URL(fileURLWithPath: path).deletingLastPathComponent().path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        // Not inherited by the helpers kioskd starts (kiosk-sane), which must not keep it.
        descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
            let holder = (try? String(contentsOfFile: path, encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines)
            close(descriptor)
            throw Held(path: path, holder: holder.map { $0.isEmpty ? "process unknown" : "process \($0)" } ?? "process unknown")
        }
        let pid = "\(getpid())\n"
        _ = ftruncate(descriptor, 0)
        _ = pid.withCString { pwrite(descriptor, $0, strlen($0), 0) }
    }

    deinit { close(descriptor) }
}
