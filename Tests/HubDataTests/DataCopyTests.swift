import Foundation
import GRDB
import HubApp
import HubCore
import HubServices
import HubStorePostgres
import HubStoreSQLite
import PostgresNIO
import Testing

/// `roundtable copy` (`DataCopy`): generic over the schema, verified, and keeping the history
/// clients resume from. The round trip through PostgreSQL runs when ROUNDTABLE_TEST_POSTGRES_URL
/// names a server (`export "$(bash scripts/postgres.sh)"`), like the store contract suite.
@Suite("Data copy")
struct DataCopyTests {
    @Test("SQLite → PostgreSQL → SQLite gives back the original, row for row, with epoch, event log and counters",
          .enabled(if: postgresURL != nil, "needs ROUNDTABLE_TEST_POSTGRES_URL"))
    func roundTripThroughPostgres() async throws {
        let source = try await SourceData.make(probe: true)
        let original = try rawDump(source.path)
        let originalCounters = try sqliteCounters(source.path)
        #expect(originalCounters["zz_probe"] == 9 && (originalCounters["audit"] ?? 0) >= 5)

        try await withPostgresDatabase { url, client in
            try await client.execute(Probe.postgres)
            var options = DataCopy.Options()
            // Small batches: many pages per table (keyset paging over composite keys) and several
            // INSERT statements for the self-referencing probe table.
            options.batchRows = 2
            let from = try SQLiteDataSet(path: source.path, mustExist: true)
            let postgres = try await PostgresDataSet.open(url: url, logger: quietLogger)
            let there = try await DataCopy.copy(from: from, to: postgres, options: options)
            #expect(there.rows == original.values.reduce(0) { $0 + $1.count })
            #expect(there.migratedTarget == (try await postgres.schemaVersion()).known)
            #expect(there.sourceEpoch == source.epoch && there.targetEpoch == source.epoch)
            // The parent of each probe row was copied before it (otherwise the FK had refused it).
            #expect(there.tables.firstIndex { $0.table == "workspace" }! < there.tables.firstIndex { $0.table == "membership" }!)

            // PostgreSQL holds typed values: flags as booleans, a day as a date, bytes as bytea, JSON as jsonb.
            #expect(try await client.integer("SELECT count(*) FROM workspace WHERE archived AND ends_on = DATE '2025-09-30'") == 1)
            #expect(try await client.integer("SELECT count(*) FROM zz_probe WHERE flag AND doc -> 'a' ->> 2 = 'x' AND data = '\\x00ff0127'::bytea") == 1)
            #expect(try await client.integer("SELECT count(*) FROM recovery_code WHERE used_ms IS NULL") == 10)
            // The digests agree across the two backends.
            let across = try await DataCopy.compare(from, postgres)
            #expect(across.differences.isEmpty, "\(across.differences)")

            let backPath = try preparedSQLiteTarget(Probe.sqlite)
            let back = try SQLiteDataSet(path: backPath, mustExist: false)
            let again = try await DataCopy.copy(from: postgres, to: back, options: options)
            #expect(again.targetEpoch == source.epoch)
            await back.close()
            await from.close()

            let copied = try rawDump(backPath)
            #expect(Set(copied.keys) == Set(original.keys))
            for table in original.keys.sorted() where table != "zz_probe" {
                #expect(copied[table] == original[table], "table \(table) differs after the round trip")
            }
            // jsonb keeps the JSON, not its spelling: compare the probe's documents as JSON.
            let probeColumns = ["amount", "data", "day", "doc", "flag", "id", "note", "parent_id"]
            let docIndex = try #require(probeColumns.firstIndex(of: "doc"))
            let originalProbe = try #require(original["zz_probe"]), copiedProbe = try #require(copied["zz_probe"])
            #expect(originalProbe.count == 4 && copiedProbe.count == 4)
            for (a, b) in zip(originalProbe, copiedProbe) {
                for index in probeColumns.indices where index != docIndex { #expect(a[index] == b[index], "zz_probe.\(probeColumns[index])") }
                #expect(jsonValue(a[docIndex]) == jsonValue(b[docIndex]))
            }
            #expect(try sqliteCounters(backPath) == originalCounters)

            // The hub on PostgreSQL continues the same history: same epoch, events and secret;
            // new events and new audit rows take the next numbers.
            let store = try await PostgresStore.connect(url: url, logger: quietLogger, observer: IgnoreCommits(), clock: SystemClock())
            do {
                #expect(store.epoch == source.epoch)
                let range = try await store.events(topic: .directory, after: 0, limit: 10_000)
                #expect(range.events == source.directoryEvents)
                #expect(range.complete && range.head == source.directoryEvents.last?.seq)
                #expect(try await store.installationSecret("address-key") == source.secret)
                let committed = try await store.commit(ChangeSet(
                    changes: [.appendAudit(AuditEntry(at: Date(), type: "test.after", actorID: nil, addressHash: nil))],
                    events: [NewEvent(topic: .directory, name: "test.after", payload: "{}")]))
                #expect(committed.first?.seq == range.head + 1)
                #expect(try await client.integer("SELECT id FROM audit WHERE type = 'test.after'") == (originalCounters["audit"] ?? 0) + 1)
                #expect(try await client.integer("INSERT INTO zz_probe (flag) VALUES (true) RETURNING id") == 10)
            } catch {
                await store.shutdown()
                await postgres.close()
                throw error
            }
            await store.shutdown()
            await postgres.close()
        }
    }

    @Test("A non-empty target is refused, and --replace copies over it in one transaction")
    func nonEmptyTarget() async throws {
        let source = try await SourceData.make(probe: false)
        let targetPath = try preparedSQLiteTarget()
        let from = try SQLiteDataSet(path: source.path, mustExist: true)
        let to = try SQLiteDataSet(path: targetPath, mustExist: false)
        defer { Task { await from.close(); await to.close() } }
        _ = try await DataCopy.copy(from: from, to: to)

        // A change on the target, then a second copy: refused, and the change is still there.
        let queue = try DatabaseQueue(path: targetPath)
        try await queue.write { db in try db.execute(sql: "UPDATE workspace SET name = 'Nur im Ziel' WHERE name = 'Integration'") }
        let refused = await #expect(throws: DataSetError.self) { try await DataCopy.copy(from: from, to: to) }
        #expect(refused?.description.contains("not empty") == true)
        #expect(try await queue.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM workspace WHERE name = 'Nur im Ziel'") } == 1)
        try queue.close()

        var options = DataCopy.Options()
        options.replace = true
        _ = try await DataCopy.copy(from: from, to: to, options: options)
        #expect(try rawDump(targetPath) == rawDump(source.path))
    }

    @Test("Comparing finds changed content and missing rows; the copy refuses the same database as target")
    func comparison() async throws {
        let source = try await SourceData.make(probe: false)
        let targetPath = try preparedSQLiteTarget()
        let from = try SQLiteDataSet(path: source.path, mustExist: true)
        let to = try SQLiteDataSet(path: targetPath, mustExist: false)
        defer { Task { await from.close(); await to.close() } }
        _ = try await DataCopy.copy(from: from, to: to)
        #expect(try await DataCopy.compare(from, to).differences.isEmpty)

        let queue = try DatabaseQueue(path: targetPath)
        try await queue.write { db in
            // Same number of rows, one value changed by one character.
            try db.execute(sql: "UPDATE event SET payload = payload || ' ' WHERE (topic, seq) = (SELECT topic, seq FROM event ORDER BY topic, seq LIMIT 1)")
            try db.execute(sql: "DELETE FROM membership WHERE rowid = (SELECT min(rowid) FROM membership)")
        }
        try queue.close()
        let differences = try await DataCopy.compare(from, to).differences
        #expect(differences.contains { $0.hasPrefix("event:") && $0.contains("different content") }, "\(differences)")
        #expect(differences.contains { $0.hasPrefix("membership:") && $0.contains("rows, then") }, "\(differences)")
        #expect(differences.count == 2)

        let itself = try SQLiteDataSet(path: source.path, mustExist: true)
        await #expect(throws: DataSetError.self) { try await DataCopy.copy(from: from, to: itself) }
        await itself.close()
    }

    @Test("Both sides must be at this build's schema and have the same tables")
    func schemaChecks() async throws {
        let source = try await SourceData.make(probe: false)
        let from = try SQLiteDataSet(path: source.path, mustExist: true)

        // A target with a table the source lacks.
        let extraPath = try preparedSQLiteTarget("CREATE TABLE zz_extra (id INTEGER PRIMARY KEY)")
        let extra = try SQLiteDataSet(path: extraPath, mustExist: false)
        let mismatch = await #expect(throws: DataSetError.self) { try await DataCopy.copy(from: from, to: extra) }
        #expect(mismatch?.description.contains("zz_extra only in the target") == true)
        await extra.close()
        await from.close()

        // A source that lacks the last migration.
        let queue = try DatabaseQueue(path: source.path)
        try await queue.write { db in try db.execute(sql: "DELETE FROM grdb_migrations WHERE rowid = (SELECT max(rowid) FROM grdb_migrations)") }
        try queue.close()
        let behind = try SQLiteDataSet(path: source.path, mustExist: true)
        let target = try SQLiteDataSet(path: try preparedSQLiteTarget(), mustExist: false)
        let outdated = await #expect(throws: DataSetError.self) { try await DataCopy.copy(from: behind, to: target) }
        #expect(outdated?.description.contains("lacks migrations") == true)
        await behind.close()
        await target.close()
    }

    @Test("A copy that fails on the way leaves the target as it was")
    func failedCopyRollsBack() async throws {
        let source = try await SourceData.make(probe: true)
        // The target's probe table refuses the source's amount 1e300.
        let targetPath = try preparedSQLiteTarget(Probe.sqlite.replacingOccurrences(of: "amount REAL,", with: "amount REAL CHECK (amount < 100),"))
        let before = try rawDump(targetPath)
        let from = try SQLiteDataSet(path: source.path, mustExist: true)
        let to = try SQLiteDataSet(path: targetPath, mustExist: false)
        await #expect(throws: (any Error).self) { try await DataCopy.copy(from: from, to: to) }
        await from.close()
        await to.close()
        let after = try rawDump(targetPath)
        #expect(after == before)
        #expect(after.values.allSatisfy { $0.isEmpty })
    }

    @Test("--new-epoch gives the target its own epoch and changes nothing else")
    func newEpoch() async throws {
        let source = try await SourceData.make(probe: false)
        let targetPath = try preparedSQLiteTarget()
        let from = try SQLiteDataSet(path: source.path, mustExist: true)
        let to = try SQLiteDataSet(path: targetPath, mustExist: false)
        var options = DataCopy.Options()
        options.newEpoch = true
        let report = try await DataCopy.copy(from: from, to: to, options: options)
        await from.close()
        await to.close()
        #expect(report.sourceEpoch == source.epoch)
        #expect(report.targetEpoch != nil && report.targetEpoch != source.epoch)
        var original = try rawDump(source.path)
        var copied = try rawDump(targetPath)
        #expect(copied["store_meta"] != original["store_meta"])
        original["store_meta"] = nil
        copied["store_meta"] = nil
        #expect(copied == original)
        let store = try SQLiteStore(path: targetPath, clock: SystemClock(), observer: IgnoreCommits(), logger: quietLogger)
        #expect(store.epoch == report.targetEpoch)
    }
}

private func jsonValue(_ value: DatabaseValue) -> NSObject? {
    guard let text = String.fromDatabaseValue(value) else { return nil }
    return try? JSONSerialization.jsonObject(with: Data(text.utf8), options: [.fragmentsAllowed]) as? NSObject
}
