import Foundation
import GRDB
import HubCore
import HubServices
import Logging

/// The embedded store: one SQLite file in WAL mode through a GRDB `DatabasePool`. Readers
/// never block the writer; every write goes through the group committer.
public final class SQLiteStore: HubStore {
    let pool: DatabasePool
    let clock: any HubServices.Clock
    let observer: any CommitObserver
    let logger: Logger
    private let committer: GroupCommitter
    /// Lean Coffee boards kept between decisions (see `LeanCoffeeCache`).
    let leanCoffeeCache: LeanCoffeeCache
    public let epoch: String

    /// Opens (creating if needed) the database at `path`, runs pending migrations and reads
    /// the epoch. `synchronous` is `FULL` unless an operator opts out (documented).
    public init(path: String, synchronousFull: Bool = true, clock: any HubServices.Clock, observer: any CommitObserver, logger: Logger) throws {
        var config = Configuration()
        config.foreignKeysEnabled = true
        config.busyMode = .timeout(5)
        config.label = "roundtable"
        config.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = \(synchronousFull ? "FULL" : "NORMAL")")
        }
        let pool = try DatabasePool(path: path, configuration: config)
        try Self.migrator().migrate(pool)
        let epoch = try pool.write { db -> String in
            if let existing = try String.fetchOne(db, sql: "SELECT value FROM store_meta WHERE key = 'epoch'") { return existing }
            let fresh = UUID().uuidString.lowercased()
            try db.execute(sql: "INSERT INTO store_meta(key, value) VALUES ('epoch', ?)", arguments: [fresh])
            return fresh
        }
        self.pool = pool
        self.clock = clock
        self.observer = observer
        self.logger = logger
        self.epoch = epoch
        let cache = LeanCoffeeCache()
        self.leanCoffeeCache = cache
        self.committer = GroupCommitter(
            runGroup: { [pool, clock] works in
                // A failing COMMIT (I/O error, full disk) fails the whole group: translated too.
                do {
                    let results = try await Self.writeGroup(works, pool: pool, clock: clock, cache: cache)
                    cache.transactionEnded(committed: true)
                    return results
                } catch {
                    cache.transactionEnded(committed: false)
                    throw Self.translate(error)
                }
            },
            afterCommit: { [observer] events in
                if !events.isEmpty { observer.didCommit(events) }
            })
    }

    /// One write transaction for a group of works (each computes its change set inside the
    /// transaction), each in its own savepoint.
    private static func writeGroup(_ works: [GroupCommitter.Work], pool: DatabasePool, clock: any HubServices.Clock,
                                   cache: LeanCoffeeCache) async throws -> [Result<[StoredEvent], any Error>] {
        try await pool.write { db in
            let at = clock.now().millis
            return works.map { work in
                var touched = Set<UUID>()
                let result = Result {
                    var events: [StoredEvent] = []
                    try db.inSavepoint {
                        let changeSet = try work(db)
                        touched = changeSet.leanCoffeeScopes
                        events = try Self.apply(changeSet, at: at, in: db)
                        return .commit
                    }
                    return events
                }.mapError(Self.translate)
                if case .success = result { cache.jobEnded(succeeded: true, touched: touched) } else { cache.jobEnded(succeeded: false, touched: touched) }
                return result
            }
        }
    }

    /// Pending migrations without opening the store for serving (`roundtable migrate`).
    public static func migrate(path: String) throws -> [String] {
        let pool = try DatabasePool(path: path)
        let migrator = migrator()
        let pending = try pool.read { try migrator.appliedMigrations($0) }
        try migrator.migrate(pool)
        let applied = try pool.read { try migrator.appliedMigrations($0) }
        return applied.filter { !pending.contains($0) }
    }

    public func commit(_ changeSet: ChangeSet) async throws -> [StoredEvent] {
        try await committer.submit(changeSet)
    }

    /// Commits the change set `work` makes inside the write transaction (after the earlier jobs of its group).
    func commit(_ work: @escaping @Sendable (Database) throws -> ChangeSet) async throws -> [StoredEvent] {
        try await committer.submit(work)
    }

    /// Maps SQLite constraint failures to the store port's errors.
    static func translate(_ error: any Error) -> any Error {
        guard let dbError = error as? DatabaseError else { return error }
        switch dbError.extendedResultCode {
        case .SQLITE_CONSTRAINT_UNIQUE, .SQLITE_CONSTRAINT_PRIMARYKEY:
            let message = dbError.message ?? ""
            if message.contains("app_user.email") { return StoreError.duplicate("email") }
            if message.contains("organization.name") { return StoreError.duplicate("organization") }
            if message.contains("catalogue_entry.") { return StoreError.duplicate("catalogueReference") }
            if message.contains("sign_off.") { return StoreError.duplicate("signOff") }
            if message.contains("rating_round.") { return StoreError.duplicate("ratingRound") }
            if message.contains("lc_dot.") { return StoreError.duplicate("idempotencyKey") }
            return StoreError.duplicate("record")
        case .SQLITE_CONSTRAINT_FOREIGNKEY:
            return StoreError.missingReference("reference")
        default:
            // I/O errors (a failed write or fsync), a full disk, a file that cannot be opened,
            // a transaction SQLite aborted after such an error (SQLITE_ABORT), a lock it could
            // not get in time: the transaction was rolled back; the client hears 503, never a success.
            let unavailable: [ResultCode] = [.SQLITE_IOERR, .SQLITE_ABORT, .SQLITE_BUSY, .SQLITE_LOCKED, .SQLITE_FULL, .SQLITE_CANTOPEN, .SQLITE_NOMEM, .SQLITE_READONLY, .SQLITE_CORRUPT, .SQLITE_NOTADB]
            return unavailable.contains(dbError.resultCode) ? StoreError.unavailable : error
        }
    }

    // MARK: Event log

    public func events(topic: Topic, after seq: Int64, limit: Int) async throws -> EventRange {
        let key = topic.description
        return try await pool.read { db in
            let head = try Int64.fetchOne(db, sql: "SELECT seq FROM topic_head WHERE topic = ?", arguments: [key]) ?? 0
            let rows = try Row.fetchAll(db, sql: """
                SELECT seq, name, payload, at_ms FROM event WHERE topic = ? AND seq > ? ORDER BY seq LIMIT ?
                """, arguments: [key, seq, limit + 1])
            let events = rows.prefix(limit).map {
                StoredEvent(topic: key, seq: $0["seq"], name: $0["name"], payload: $0["payload"], atMillis: $0["at_ms"])
            }
            let complete: Bool
            if seq > head {
                complete = false
            } else if let first = events.first {
                complete = first.seq == seq + 1 && rows.count <= limit
            } else {
                complete = seq == head
            }
            return EventRange(head: head, complete: complete, events: Array(events))
        }
    }

    public func prune(eventsBefore cutoff: Date, now: Date) async throws -> Int {
        try await pool.write { db in
            try db.execute(sql: "DELETE FROM event WHERE at_ms < ?", arguments: [cutoff.millis])
            let removed = db.changesCount
            try db.execute(sql: "DELETE FROM session WHERE expires_ms < ?", arguments: [now.millis])
            return removed
        }
    }

    public func purgeIdentityRecords(settledBefore: Date, auditBefore: Date) async throws -> IdentityPurge {
        try await pool.write { db in
            var report = IdentityPurge()
            try db.execute(sql: "DELETE FROM invitation WHERE expires_ms < ? OR accepted_ms < ?",
                           arguments: [settledBefore.millis, settledBefore.millis])
            report.invitations = db.changesCount
            try db.execute(sql: "DELETE FROM password_reset WHERE expires_ms < ? OR used_ms < ?",
                           arguments: [settledBefore.millis, settledBefore.millis])
            report.passwordResets = db.changesCount
            try db.execute(sql: "DELETE FROM audit WHERE at_ms < ?", arguments: [auditBefore.millis])
            report.auditEntries = db.changesCount
            return report
        }
    }

    static func head(_ topic: String, _ db: Database) throws -> Int64 {
        try Int64.fetchOne(db, sql: "SELECT seq FROM topic_head WHERE topic = ?", arguments: [topic]) ?? 0
    }
}
