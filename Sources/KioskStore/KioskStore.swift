import Flows
import Foundation
import GRDB

/// The kiosk's durable state in one SQLite file (WAL mode, `synchronous = FULL`): sessions,
/// scanned pages, sealed dossiers, the outbox, and an audit log of event names.
///
/// Every accepted flow event is written in one transaction before the API answers; a sealed
/// dossier and its outbox row go in that same transaction. With `synchronous = FULL` a
/// committed transaction survives a power cut, not only a crash of the daemon.
///
/// Thread safety: GRDB's `DatabasePool` serialises writes and allows concurrent reads.
public final class KioskStore: Sendable {
    private let pool: DatabasePool
    public let path: String
    let sessions = SessionCache()

    /// Opens (creating if needed) the database at `path` and migrates it to the current schema.
    ///
    /// `maxSizeBytes` caps the file (SQLite's `max_page_count`): past it, writes fail with
    /// `StoreError.Kind.diskFull` and the kiosk stops taking new work, instead of filling the
    /// system disk the operating system needs.
    public convenience init(path: String, maxSizeBytes: Int64? = nil) throws {
        try self.init(path: path, maxSizeBytes: maxSizeBytes, migratingUpTo: nil)
    }

    /// `migratingUpTo`: stop after that migration (tests of a later migration's upgrade path).
    init(path: String, maxSizeBytes: Int64?, migratingUpTo lastMigration: String?) throws {
        self.path = path
        let directory = URL(fileURLWithPath: path).deletingLastPathComponent()
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        } catch {
            throw StoreError(kind: .notWritable, detail: "cannot create \(directory.path): \(error.localizedDescription)")
        }
        // Personal data: the file is the kiosk's alone (0600). SQLite gives its -wal and -shm
        // files the database's own mode; a store made world-readable by an older version is
        // tightened too.
        for file in [path, path + "-wal", path + "-shm"] {
            if !FileManager.default.fileExists(atPath: file) {
                guard file == path else { continue }
                let fd = open(file, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
                if fd >= 0 { close(fd) }
            }
            _ = chmod(file, 0o600)
        }
        var configuration = Configuration()
        configuration.busyMode = .timeout(5)
        configuration.foreignKeysEnabled = true
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = FULL")
            if let maxSizeBytes {
                let pageSize = try Int64.fetchOne(db, sql: "PRAGMA page_size") ?? 4096
                try db.execute(sql: "PRAGMA max_page_count = \(max(16, maxSizeBytes / pageSize))")
            }
        }
        do {
            pool = try DatabasePool(path: path, configuration: configuration)
            // GRDB sets its writer to `synchronous = NORMAL` when it turns WAL on, after
            // prepareDatabase ran: without this, commits were not synced and a power cut could
            // take back a dossier whose receipt had printed.
            try pool.writeWithoutTransaction { try $0.execute(sql: "PRAGMA synchronous = FULL") }
            if let lastMigration {
                try Migrations.migrator.migrate(pool, upTo: lastMigration)
            } else {
                try Migrations.migrator.migrate(pool)
            }
        } catch {
            throw StoreError.wrap(error, while: "opening \(path)")
        }
    }

    /// Runs `body` in one write transaction: all of it is stored, or none.
    public func transaction<T: Sendable>(_ body: @escaping @Sendable (StoreTransaction) throws -> T) async throws -> T {
        do {
            let pending = PendingSaves()
            let result = try await pool.write { db in try body(StoreTransaction(db: db, cache: self.sessions, pending: pending)) }
            for (session, revision) in pending.saved { sessions.put(session, revision: revision) }
            return result
        } catch {
            throw StoreError.wrap(error, while: "writing")
        }
    }

    /// Reads in a snapshot, concurrently with writes.
    public func read<T: Sendable>(_ body: @escaping @Sendable (StoreTransaction) throws -> T) async throws -> T {
        do {
            return try await pool.read { db in try body(StoreTransaction(db: db, cache: self.sessions, pending: nil)) }
        } catch {
            throw StoreError.wrap(error, while: "reading")
        }
    }

    /// The writer's `synchronous` setting: 2 (FULL), every commit synced to disk.
    public func writerSynchronous() async throws -> Int {
        try await pool.writeWithoutTransaction { db in try Int.fetchOne(db, sql: "PRAGMA synchronous") ?? -1 }
    }

    /// The journal mode in force; `wal` when the pool opened as intended.
    public func journalMode() async throws -> String {
        try await pool.read { db in try String.fetchOne(db, sql: "PRAGMA journal_mode") ?? "" }
    }

    /// The schema versions applied, oldest first.
    public func appliedMigrations() async throws -> [String] {
        try await pool.read { db in try Migrations.migrator.appliedMigrations(db) }
    }
}

/// The counts a technician needs at a glance.
public struct StoreSummary: Sendable, Codable, Hashable {
    public var openSessions: Int
    public var sealedDossiers: Int
    /// Dossiers not yet acknowledged by the central system.
    public var outboxDepth: Int

    public init(openSessions: Int, sealedDossiers: Int, outboxDepth: Int) {
        self.openSessions = openSessions
        self.sealedDossiers = sealedDossiers
        self.outboxDepth = outboxDepth
    }
}
