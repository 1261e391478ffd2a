import Foundation
import Logging
import Synchronization

/// The daemon's last log lines, kept in memory for a diagnostics bundle. kioskd's log lines
/// carry no personal data by rule; as a second guard, every run of 9 or more digits (an ID
/// or phone number that slipped into a message) is masked before a line is kept.
final class RecentLog: Sendable {
    static let shared = RecentLog(capacity: 300)

    private let lines: Mutex<[String]>
    /// `kioskctl logs --follow`: each new line is handed to every follower too.
    private let followers = Mutex<[UUID: AsyncStream<String>.Continuation]>([:])
    let capacity: Int

    init(capacity: Int) {
        self.capacity = capacity
        lines = Mutex([])
    }

    func append(_ line: String) {
        let masked = Self.mask(line)
        lines.withLock {
            $0.append(masked)
            if $0.count > capacity { $0.removeFirst($0.count - capacity) }
        }
        for follower in followers.withLock({ Array($0.values) }) { follower.yield(masked) }
    }

    /// The lines logged from now on, until the stream is dropped. A follower that does not
    /// keep up loses the oldest lines beyond 1,000 rather than holding the daemon's memory.
    func follow() -> AsyncStream<String> {
        let (stream, continuation) = AsyncStream.makeStream(of: String.self, bufferingPolicy: .bufferingNewest(1000))
        let id = UUID()
        followers.withLock { $0[id] = continuation }
        continuation.onTermination = { [weak self] _ in _ = self?.followers.withLock { $0.removeValue(forKey: id) } }
        return stream
    }

    var snapshot: [String] { lines.withLock { $0 } }

    static func mask(_ line: String) -> String {
        var out = ""
        var digits = ""
        for character in line {
            if character.isASCII, character.isNumber {
                digits.append(character)
                continue
            }
            out += digits.count >= 9 ? String(repeating: "•", count: digits.count) : digits
            digits = ""
            out.append(character)
        }
        return out + (digits.count >= 9 ? String(repeating: "•", count: digits.count) : digits)
    }
}

/// A log handler that hands each line (level, label, message, metadata) to `RecentLog`.
struct RecentLogHandler: LogHandler {
    let label: String
    let log: RecentLog
    var logLevel: Logger.Level = .info
    var metadata: Logger.Metadata = [:]

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        var all = metadata
        if let extra = event.metadata { all.merge(extra) { $1 } }
        let fields = all.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
        let time = Date().formatted(.iso8601)
        log.append("\(time) \(event.level) \(label): \(event.message)\(fields.isEmpty ? "" : " " + fields)")
    }
}
