import Foundation
import GRDB
import HubCore
import HubServices
import HubStoreSQLite
import Synchronization
import Testing

/// A value shared between tasks.
final class Locked<Value: Sendable>: Sendable {
    private let mutex: Mutex<Value>
    init(_ value: Value) { mutex = Mutex(value) }
    func withLock<T: Sendable>(_ body: (inout Value) -> T) -> T { mutex.withLock { body(&$0) } }
}

/// `roundtable backup` and `restore` on SQLite (`SQLiteStore.backup`, `.restore`).
@Suite("SQLite backup and restore")
struct BackupTests {
    /// Commits a new workspace with its `workspace.created` event; returns its id once durable.
    private static func write(_ store: SQLiteStore, _ index: Int) async throws -> String {
        let now = Date()
        let workspace = Workspace(id: WorkspaceID(UUID()), kind: .focusGroup, name: "Last \(index)", description: String(repeating: "x", count: 200),
                                  policyFieldIDs: [], endsOn: nil, archived: false, createdAt: now, updatedAt: now, version: 1)
        _ = try await store.commit(ChangeSet(changes: [.insertWorkspace(workspace)],
                                             events: [NewEvent(topic: .directory, name: "workspace.created", payload: #"{"id":"\#(workspace.id)"}"#)]))
        return workspace.id.description
    }

    @Test("A backup taken while writers commit holds every write acknowledged before it began, state and events together")
    func backupUnderLoad() async throws {
        let folder = try temporaryFolder("backup")
        let livePath = folder.appendingPathComponent("roundtable.sqlite").path
        let store = try SQLiteStore(path: livePath, clock: SystemClock(), observer: IgnoreCommits(), logger: quietLogger)
        let acknowledged = Locked<[String]>([])
        let stop = Locked(false)
        // Four writers commit continuously (group commit shares their transactions).
        let writers = (0..<4).map { writer in
            Task {
                var index = writer * 1_000_000
                while !stop.withLock({ $0 }) {
                    index += 1
                    let id = try await Self.write(store, index)
                    acknowledged.withLock { $0.append(id) }
                }
            }
        }
        while acknowledged.withLock({ $0.count }) < 300 { try await Task.sleep(for: .milliseconds(10)) }
        let before = Set(acknowledged.withLock { $0 })
        let backupPath = folder.appendingPathComponent("backup/roundtable-backup.sqlite").path
        let report = try await Task.detached { try SQLiteStore.backup(databaseAt: livePath, to: backupPath) }.value
        let during = acknowledged.withLock { $0.count } - before.count
        stop.withLock { $0 = true }
        for writer in writers { try await writer.value }

        #expect(report.bytes > 0 && report.epoch == store.epoch)
        #expect(!FileManager.default.fileExists(atPath: backupPath + ".tmp-\(ProcessInfo.processInfo.processIdentifier)"))
        let backup = try DatabaseQueue(path: backupPath)
        defer { try? backup.close() }
        try await backup.read { db in
            #expect(try String.fetchAll(db, sql: "PRAGMA integrity_check") == ["ok"])
            #expect(try String.fetchOne(db, sql: "PRAGMA journal_mode") == "delete")
            let ids = Set(try String.fetchAll(db, sql: "SELECT id FROM workspace WHERE name LIKE 'Last %'"))
            #expect(before.isSubset(of: ids), "\(before.subtracting(ids).count) acknowledged writes missing")
            // One snapshot: every workspace has its event, the log has no gap, the head is its end.
            let seqs = try Int64.fetchAll(db, sql: "SELECT seq FROM event WHERE topic = 'directory' ORDER BY seq")
            #expect(seqs == Array(1...Int64(seqs.count)))
            #expect(try Int64.fetchOne(db, sql: "SELECT seq FROM topic_head WHERE topic = 'directory'") == Int64(seqs.count))
            #expect(seqs.count == ids.count)
        }
        // Recorded, not asserted: on this machine the backup usually overlaps a few commits.
        print("backup: \(report.bytes) bytes in \(String(format: "%.3f", report.seconds)) s; \(before.count) writes before, \(during) during")

        // A second backup to the same name is refused; --force replaces it.
        #expect(throws: DataSetError.self) { try SQLiteStore.backup(databaseAt: livePath, to: backupPath) }
        _ = try SQLiteStore.backup(databaseAt: livePath, to: backupPath, replacing: true)
    }

    /// A store with one workspace named `name`, closed again when this returns.
    private static func database(at path: String, named name: String) async throws -> String {
        let store = try SQLiteStore(path: path, clock: SystemClock(), observer: IgnoreCommits(), logger: quietLogger)
        _ = try await write(store, 0)
        let queue = try DatabaseQueue(path: path)
        try await queue.write { db in try db.execute(sql: "UPDATE workspace SET name = ?", arguments: [name]) }
        try queue.close()
        return store.epoch
    }

    @Test("Restore refuses while the database is open, keeps the previous file aside and gives a new epoch")
    func restore() async throws {
        let folder = try temporaryFolder("restore")
        let livePath = folder.appendingPathComponent("data/roundtable.sqlite").path
        try FileManager.default.createDirectory(atPath: folder.appendingPathComponent("data").path, withIntermediateDirectories: true)
        let oldEpoch = try await Self.database(at: livePath, named: "Stand der Sicherung")
        let backupPath = folder.appendingPathComponent("backup.sqlite").path
        _ = try SQLiteStore.backup(databaseAt: livePath, to: backupPath)
        let queue = try DatabaseQueue(path: livePath)
        try await queue.write { db in try db.execute(sql: "UPDATE workspace SET name = 'Danach'") }
        try queue.close()

        // A hub (here: a pool like the hub's) holds the database: nothing changes.
        let hub = try DatabasePool(path: livePath)
        _ = try await hub.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM workspace") }
        let refused = #expect(throws: DataSetError.self) { try SQLiteStore.restore(from: backupPath, databaseAt: livePath) }
        #expect(refused?.description.contains("stop the hub") == true)
        #expect(try await hub.read { db in try String.fetchOne(db, sql: "SELECT name FROM workspace") } == "Danach")
        try hub.close()

        let report = try SQLiteStore.restore(from: backupPath, databaseAt: livePath)
        #expect(report.backupEpoch == oldEpoch && report.epoch != oldEpoch)
        #expect(report.pendingMigrations.isEmpty)
        let previous = try #require(report.previous)
        let reopened = try SQLiteStore(path: livePath, clock: SystemClock(), observer: IgnoreCommits(), logger: quietLogger)
        #expect(reopened.epoch == report.epoch)
        #expect(try await reopened.workspaces().value.map(\.name) == ["Stand der Sicherung"])
        // The replaced database is intact beside it (its WAL was folded in before it moved).
        let kept = try DatabaseQueue(path: previous)
        #expect(try await kept.read { db in try String.fetchOne(db, sql: "SELECT name FROM workspace") } == "Danach")
        try kept.close()
        #expect(!FileManager.default.fileExists(atPath: livePath + ".restore-tmp"))
    }

    @Test("Restore refuses a damaged or foreign file and leaves the database untouched")
    func restoreRefusesBadFiles() async throws {
        let folder = try temporaryFolder("restore-bad")
        let livePath = folder.appendingPathComponent("roundtable.sqlite").path
        _ = try await Self.database(at: livePath, named: "Unberührt")
        let damaged = folder.appendingPathComponent("damaged.sqlite").path
        let backupPath = folder.appendingPathComponent("good.sqlite").path
        _ = try SQLiteStore.backup(databaseAt: livePath, to: backupPath)
        var bytes = try Data(contentsOf: URL(fileURLWithPath: backupPath))
        // Overwrite the second half of the file (table pages) with garbage.
        for index in (bytes.count / 2)..<bytes.count { bytes[index] = UInt8(truncatingIfNeeded: index &* 31) }
        try bytes.write(to: URL(fileURLWithPath: damaged))
        let foreign = folder.appendingPathComponent("foreign.sqlite").path
        let other = try DatabaseQueue(path: foreign)
        try await other.write { db in try db.execute(sql: "CREATE TABLE t (x); INSERT INTO t VALUES (1)") }
        try other.close()
        let text = folder.appendingPathComponent("notes.txt").path
        try Data("not a database at all".utf8).write(to: URL(fileURLWithPath: text))

        let before = try Data(contentsOf: URL(fileURLWithPath: livePath))
        for file in [damaged, foreign, text] {
            #expect(throws: DataSetError.self, "\(file)") { try SQLiteStore.restore(from: file, databaseAt: livePath) }
        }
        #expect(try Data(contentsOf: URL(fileURLWithPath: livePath)) == before)
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.contains("before-restore") || $0.contains("restore-tmp") }.isEmpty)
    }
}
