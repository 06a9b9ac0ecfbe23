import Foundation
import HubCore
import HubServices
import Logging
import PostgresNIO

/// The store on PostgreSQL, for several instances sharing one database (the scale-out issue).
/// Held to the same contract suite as `SQLiteStore`.
///
/// **Lifecycle.** `PostgresClient` does its connection pooling inside its `run()` method, which
/// must keep running for as long as the client is used. The store owns that: `connect` creates
/// the client, starts `run()` in a task the store keeps, migrates and reads the epoch; `shutdown()`
/// cancels the task (closing the pool's connections) and waits for it. Call `shutdown()` once
/// the store is no longer used; a store dropped without it keeps its pool running. (The
/// alternative, handing the client to a ServiceLifecycle `ServiceGroup`, would tie opening a
/// store to the application's service group, which the contract tests and `roundtable migrate`
/// don't have.)
///
/// **Writes.** Every change set is one transaction on one pooled connection (no group commit:
/// the server's own group commit shares fsyncs between concurrent transactions). Each event
/// takes its topic's next seq from `topic_head` in that transaction, so sequences are gap-free
/// and ordered per topic across instances; `CommitSequencer` publishes them in that order.
/// Refused change sets roll back whole; a transaction chosen as a deadlock victim (or a
/// serialization failure) is retried from the start, at most three times in all.
///
/// **Reads.** Snapshots (a list with its topic's cursor) and event ranges read the rows and the
/// topic head in one REPEATABLE READ transaction or one statement. Orderings match the SQLite
/// adapter: text compared byte-wise (`COLLATE "C"`, SQLite's BINARY), and `lower(…) COLLATE "C"`
/// where SQLite uses `COLLATE NOCASE`.
public final class PostgresStore: HubStore {
    let client: PostgresClient
    let clock: any HubServices.Clock
    let logger: Logger
    let sequencer: CommitSequencer
    private let runTask: Task<Void, Never>
    public let epoch: String

    private init(client: PostgresClient, runTask: Task<Void, Never>, epoch: String, clock: any HubServices.Clock,
                 observer: any CommitObserver, logger: Logger) {
        self.client = client
        self.runTask = runTask
        self.epoch = epoch
        self.clock = clock
        self.sequencer = CommitSequencer(observer: observer)
        self.logger = logger
    }

    /// Connects to the database at `url` (see `PostgresLocation`), runs pending migrations and
    /// reads the epoch (creating it with a new database). Pair with `shutdown()`.
    public static func connect(url: String, logger: Logger, observer: any CommitObserver, clock: any HubServices.Clock,
                               maximumConnections: Int = 20) async throws -> PostgresStore {
        try await connect(location: PostgresLocation(url: url), logger: logger, observer: observer, clock: clock,
                          maximumConnections: maximumConnections)
    }

    public static func connect(location: PostgresLocation, logger: Logger, observer: any CommitObserver, clock: any HubServices.Clock,
                               maximumConnections: Int = 20) async throws -> PostgresStore {
        let client = PostgresClient(configuration: location.clientConfiguration(maximumConnections: maximumConnections),
                                    backgroundLogger: logger)
        let runTask = await start(client)
        do {
            _ = try await migrate(client, logger: logger)
            let fresh = UUID().uuidString.lowercased()
            try await client.rows("INSERT INTO store_meta (key, value) VALUES ('epoch', \(fresh)) ON CONFLICT (key) DO NOTHING", logger)
            let epoch = try await client.rows("SELECT value FROM store_meta WHERE key = 'epoch'", logger).first?.decode(String.self)
            guard let epoch else { throw StoreError.missingReference("epoch") }
            return PostgresStore(client: client, runTask: runTask, epoch: epoch, clock: clock, observer: observer, logger: logger)
        } catch {
            runTask.cancel()
            await runTask.value
            throw error
        }
    }

    /// Pending migrations without opening the store for serving (`roundtable migrate`).
    public static func migrate(url: String, logger: Logger) async throws -> [String] {
        let location = try PostgresLocation(url: url)
        return try await withClient(location, logger: logger) { client in try await migrate(client, logger: logger) }
    }

    /// Starts the client's `run()` in a new task and returns once that task is running it, so
    /// the first lease does not find the client not yet running (PostgresNIO warns about that).
    static func start(_ client: PostgresClient) async -> Task<Void, Never> {
        let (started, signal) = AsyncStream<Void>.makeStream()
        let task = Task {
            signal.finish()
            await client.run()
        }
        for await _ in started {}
        await Task.yield()
        return task
    }

    /// A short-lived client with one connection, for migrations and administrative statements.
    static func withClient<T: Sendable>(_ location: PostgresLocation, logger: Logger,
                                        _ body: @Sendable (PostgresClient) async throws -> T) async throws -> T {
        let client = PostgresClient(configuration: location.clientConfiguration(maximumConnections: 1), backgroundLogger: logger)
        let runTask = await start(client)
        do {
            let result = try await body(client)
            runTask.cancel()
            await runTask.value
            return result
        } catch {
            runTask.cancel()
            await runTask.value
            throw error
        }
    }

    /// The channel on which every commit announces `topic seq` for each topic it advanced.
    public static let notifyChannel = "roundtable_events"

    /// Listens for commits of every instance and calls `onCommit(topic, seq)` for each
    /// announcement, until cancelled. Reconnects with backoff when the connection drops
    /// (a database restart), so an instance keeps receiving other instances' events.
    public func listenForCommits(_ onCommit: @escaping @Sendable (String, Int64) async -> Void) async {
        var delay: Duration = .milliseconds(200)
        while !Task.isCancelled {
            do {
                try await client.withConnection { connection in
                    try await connection.listen(on: Self.notifyChannel) { notifications in
                        delay = .milliseconds(200)
                        for try await notification in notifications {
                            let parts = notification.payload.split(separator: " ")
                            guard parts.count == 2, let seq = Int64(parts[1]) else { continue }
                            await onCommit(String(parts[0]), seq)
                        }
                    }
                }
            } catch {
                if Task.isCancelled { return }
                logger.warning("commit listener lost its connection; reconnecting", metadata: ["error": "\(error)"])
            }
            try? await Task.sleep(for: delay)
            delay = min(delay * 2, .seconds(5))
        }
    }

    /// Closes the pool. Commits still running fail; the store cannot be used afterwards.
    public func shutdown() async {
        // Cancelling `run()` closes the pool and its connections.
        runTask.cancel()
        await runTask.value
    }

    // MARK: Commit

    public func commit(_ changeSet: ChangeSet) async throws -> [StoredEvent] {
        try await commit { _ in changeSet }
    }

    /// Commits the change set `prepare` makes inside the transaction (it may read and lock rows
    /// first); `prepare` runs again when the transaction is retried.
    func commit(_ prepare: @escaping @Sendable (PostgresConnection) async throws -> ChangeSet) async throws -> [StoredEvent] {
        var attempt = 1
        while true {
            let ticket = sequencer.begin()
            do {
                let at = clock.now().millis
                let events = try await client.withTransaction(logger: logger) { [sequencer, logger] connection in
                    let changeSet = try await prepare(connection)
                    return try await Self.apply(changeSet, at: at, ticket: ticket, sequencer: sequencer, on: connection, logger: logger)
                }
                await sequencer.commit(ticket, events: events)
                return events
            } catch {
                // Rolled back, or (if COMMIT itself failed) possibly committed without our knowing:
                // either way this process will not publish these seqs; a subscriber that misses
                // one sees a gap and reloads from the log.
                sequencer.abandon(ticket)
                let translated = Self.translate(error)
                if attempt < 3, Self.isTransient(translated) {
                    attempt += 1
                    logger.debug("store.retry", metadata: ["attempt": "\(attempt)"])
                    continue
                }
                throw translated
            }
        }
    }

    /// The SQLSTATE of a server error.
    static func sqlState(_ error: any Error) -> String? {
        (error as? PSQLError)?.serverInfo?[.sqlState]
    }

    /// Maps PostgreSQL constraint failures to the store port's errors (as `SQLiteStore.translate`).
    static func translate(_ error: any Error) -> any Error {
        var error = error
        if let transaction = error as? PostgresTransactionError {
            error = transaction.closureError ?? transaction.commitError ?? transaction.beginError ?? error
        }
        guard let psql = error as? PSQLError else { return error }
        // The connection went away (or could not be made): the outcome of the commit is unknown.
        let connectionLost: [PSQLError.Code] = [.serverClosedConnection, .clientClosedConnection, .connectionError, .uncleanShutdown, .poolClosed]
        if connectionLost.contains(psql.code) { return StoreError.unavailable }
        guard let state = psql.serverInfo?[.sqlState] else { return error }
        // Connection exceptions, insufficient resources (disk full), operator intervention (shutdown).
        if state.hasPrefix("08") || state.hasPrefix("53") || state.hasPrefix("57P") || state.hasPrefix("58") { return StoreError.unavailable }
        switch state {
        case "23505": // unique_violation
            switch psql.serverInfo?[.constraintName] {
            case "app_user_email_key": return StoreError.duplicate("email")
            case "organization_name_key": return StoreError.duplicate("organization")
            case "catalogue_entry_pkey", "catalogue_entry_year_number_key": return StoreError.duplicate("catalogueReference")
            case "sign_off_pkey": return StoreError.duplicate("signOff")
            case "rating_round_pkey": return StoreError.duplicate("ratingRound")
            case "lc_dot_board_id_participant_key_key", "lc_dot_board_id_participant_withdraw_key_key": return StoreError.duplicate("idempotencyKey")
            default: return StoreError.duplicate("record")
            }
        case "23503": // foreign_key_violation
            return StoreError.missingReference("reference")
        default:
            return error
        }
    }

    /// Deadlock victim or serialization failure: nothing was applied, the change set may be retried.
    static func isTransient(_ error: any Error) -> Bool {
        ["40P01", "40001"].contains(sqlState(error) ?? "")
    }

    // MARK: Event log

    public func events(topic: Topic, after seq: Int64, limit: Int) async throws -> EventRange {
        let key = topic.description
        // One statement, so the head and the rows come from one snapshot; the first row always
        // exists and carries the head (with no event columns when nothing follows `seq`).
        let rows = try await client.rows("""
            SELECT h.seq, e.seq, e.name, e.payload, e.at_ms
            FROM (SELECT coalesce((SELECT seq FROM topic_head WHERE topic = \(key)), 0) AS seq) h
            LEFT JOIN LATERAL (
                SELECT seq, name, payload, at_ms FROM event WHERE topic = \(key) AND seq > \(seq) ORDER BY seq LIMIT \(Int64(limit) + 1)
            ) e ON true
            ORDER BY e.seq
            """, logger)
        var head: Int64 = 0
        var fetched: [StoredEvent] = []
        for row in rows {
            let (h, eventSeq, name, payload, at) = try row.decode((Int64, Int64?, String?, String?, Int64?).self)
            head = h
            if let eventSeq, let name, let payload, let at {
                fetched.append(StoredEvent(topic: key, seq: eventSeq, name: name, payload: payload, atMillis: at))
            }
        }
        let events = Array(fetched.prefix(limit))
        let complete: Bool
        if seq > head {
            complete = false
        } else if let first = events.first {
            complete = first.seq == seq + 1 && fetched.count <= limit
        } else {
            complete = seq == head
        }
        return EventRange(head: head, complete: complete, events: events)
    }

    public func prune(eventsBefore cutoff: Date, now: Date) async throws -> Int {
        try await client.withTransaction(logger: logger) { [logger] connection in
            let removed = try await connection.rows("""
                WITH removed AS (DELETE FROM event WHERE at_ms < \(cutoff.millis) RETURNING 1) SELECT count(*) FROM removed
                """, logger).first?.decode(Int64.self) ?? 0
            try await connection.rows("DELETE FROM session WHERE expires_ms < \(now.millis)", logger)
            return Int(removed)
        }
    }

    public func purgeIdentityRecords(settledBefore: Date, auditBefore: Date) async throws -> IdentityPurge {
        let settled = settledBefore.millis
        return try await client.withTransaction(logger: logger) { [logger] connection in
            func count(_ query: PostgresQuery) async throws -> Int {
                Int(try await connection.rows(query, logger).first?.decode(Int64.self) ?? 0)
            }
            var report = IdentityPurge()
            report.invitations = try await count("""
                WITH gone AS (DELETE FROM invitation WHERE expires_ms < \(settled) OR accepted_ms < \(settled) RETURNING 1) SELECT count(*) FROM gone
                """)
            report.passwordResets = try await count("""
                WITH gone AS (DELETE FROM password_reset WHERE expires_ms < \(settled) OR used_ms < \(settled) RETURNING 1) SELECT count(*) FROM gone
                """)
            report.auditEntries = try await count("""
                WITH gone AS (DELETE FROM audit WHERE at_ms < \(auditBefore.millis) RETURNING 1) SELECT count(*) FROM gone
                """)
            return report
        }
    }
}

extension PostgresClient {
    /// Runs one statement (in autocommit) and returns all its rows.
    @discardableResult
    func rows(_ query: PostgresQuery, _ logger: Logger, file: String = #fileID, line: Int = #line) async throws -> [PostgresRow] {
        try await self.query(query, logger: logger, file: file, line: line).collect()
    }
}

extension PostgresConnection {
    /// Runs one statement and returns all its rows (always read to the end before the next one).
    @discardableResult
    func rows(_ query: PostgresQuery, _ logger: Logger, file: String = #fileID, line: Int = #line) async throws -> [PostgresRow] {
        try await self.query(query, logger: logger, file: file, line: line).collect()
    }
}
