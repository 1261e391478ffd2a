import Flows
import Foundation
import Synchronization

/// Decoded sessions, each with the revision it was stored at, so that a session is decoded
/// from its JSON once per change instead of on every read (a screen's GET, every event's load;
/// decoding was a third of a GET's CPU).
///
/// Entries come only from committed states: a read transaction's rows, or a write
/// transaction's saves once it has committed. Revisions only grow, so an entry whose revision
/// matches the row is the row.
final class SessionCache: Sendable {
    private struct Entry {
        var revision: Int64
        var session: FlowSession
        var used: UInt64
    }

    private let entries = Mutex<(map: [UUID: Entry], clock: UInt64)>(([:], 0))
    let capacity: Int

    init(capacity: Int = 32) { self.capacity = capacity }

    func session(_ id: UUID, revision: Int64) -> FlowSession? {
        entries.withLock { state in
            guard var entry = state.map[id], entry.revision == revision else { return nil }
            state.clock += 1
            entry.used = state.clock
            state.map[id] = entry
            return entry.session
        }
    }

    func put(_ session: FlowSession, revision: Int64) {
        entries.withLock { state in
            if let existing = state.map[session.id], existing.revision > revision { return }
            state.clock += 1
            state.map[session.id] = Entry(revision: revision, session: session, used: state.clock)
            if state.map.count > capacity, let oldest = state.map.min(by: { $0.value.used < $1.value.used })?.key {
                state.map.removeValue(forKey: oldest)
            }
        }
    }
}

/// What a write transaction saved, handed to the cache only once it has committed.
final class PendingSaves: @unchecked Sendable {
    // @unchecked: used by one transaction's closure, on GRDB's writer, then read after it.
    var saved: [(FlowSession, Int64)] = []
}
