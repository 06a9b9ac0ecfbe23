import Foundation
import GRDB
import HubServices
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What `SQLiteStore.backup` wrote.
public struct SQLiteBackupReport: Sendable {
    public let path: String
    public let bytes: Int64
    public let seconds: Double
    public let epoch: String
    public let migrations: [String]
}

/// What `SQLiteStore.inspect` found in a database file.
public struct SQLiteFileInfo: Sendable {
    public let epoch: String
    public let schema: SchemaVersion
    public let bytes: Int64
}

/// What `SQLiteStore.restore` did.
public struct SQLiteRestoreReport: Sendable {
    public let path: String
    /// Where the database that was replaced now lies (nil when there was none).
    public let previous: String?
    public let backupEpoch: String
    /// The restored store's new epoch (see Docs/decisions/0003-event-model.md).
    public let epoch: String
    /// Migrations the backup lacks; `serve` or `migrate` applies them.
    public let pendingMigrations: [String]
}

extension SQLiteStore {
    /// An online backup of the database at `source` into a new file `destination`, while a hub
    /// may be serving from it: SQLite's backup API copies every page in one step inside one read
    /// transaction, so the copy is the database as of one commit (WAL readers do not block the
    /// writer, and the writer does not disturb the copy). The copy is written under a temporary
    /// name in the destination's folder, switched to rollback-journal mode (one self-contained
    /// file), checked with `PRAGMA integrity_check`, flushed to disk, and only then renamed to
    /// `destination`. An existing `destination` is refused unless `replacing`.
    public static func backup(databaseAt source: String, to destination: String, replacing: Bool = false) throws -> SQLiteBackupReport {
        let started = Date()
        let manager = FileManager.default
        guard manager.fileExists(atPath: source) else { throw DataSetError("no database at \(source)") }
        if manager.fileExists(atPath: destination), !replacing {
            throw DataSetError("\(destination) exists; choose a new name (or pass --force to replace it)")
        }
        let folder = (destination as NSString).deletingLastPathComponent
        if !folder.isEmpty { try manager.createDirectory(atPath: folder, withIntermediateDirectories: true) }
        let temporary = destination + ".tmp-\(ProcessInfo.processInfo.processIdentifier)"
        removeDatabaseFiles(temporary)

        do {
            var sourceConfiguration = Configuration()
            sourceConfiguration.busyMode = .timeout(10)
            sourceConfiguration.label = "roundtable.backup.source"
            // Never write to the live database from here.
            sourceConfiguration.prepareDatabase { db in try db.execute(sql: "PRAGMA query_only = ON") }
            let live = try DatabaseQueue(path: source, configuration: sourceConfiguration)
            guard try live.read({ try $0.tableExists("store_meta") }) else {
                throw DataSetError("\(source) is not a Roundtable database (no store_meta table)")
            }
            var copyConfiguration = Configuration()
            copyConfiguration.label = "roundtable.backup.copy"
            let copy = try DatabaseQueue(path: temporary, configuration: copyConfiguration)
            try live.backup(to: copy)
            try live.close()

            let (epoch, migrations) = try copy.writeWithoutTransaction { db -> (String, [String]) in
                // The copy carries the live file's WAL flag; a backup is better one plain file.
                _ = try String.fetchOne(db, sql: "PRAGMA journal_mode = DELETE")
                try checkIntegrity(db, path: destination)
                let epoch = try String.fetchOne(db, sql: "SELECT value FROM store_meta WHERE key = 'epoch'") ?? ""
                let migrations = try db.tableExists("grdb_migrations")
                    ? try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations ORDER BY rowid") : []
                return (epoch, migrations)
            }
            try copy.close()
            try flush(temporary)
            guard rename(temporary, destination) == 0 else {
                throw DataSetError("could not rename \(temporary) to \(destination): \(String(cString: strerror(errno)))")
            }
            try flush(folder.isEmpty ? "." : folder)
            let bytes = (try manager.attributesOfItem(atPath: destination)[.size] as? NSNumber)?.int64Value ?? 0
            return SQLiteBackupReport(path: destination, bytes: bytes, seconds: Date().timeIntervalSince(started),
                                      epoch: epoch, migrations: migrations)
        } catch {
            removeDatabaseFiles(temporary)
            throw error
        }
    }

    /// Checks a database file without changing it: integrity, the store's epoch, and its
    /// migrations against the ones this build knows (a file from a newer build is refused).
    /// Works on a copy in the temporary folder, so a backup is never modified by reading it.
    public static func inspect(_ path: String) throws -> SQLiteFileInfo {
        let manager = FileManager.default
        guard manager.fileExists(atPath: path) else { throw DataSetError("no file at \(path)") }
        let scratch = (NSTemporaryDirectory() as NSString).appendingPathComponent("roundtable-inspect-\(UUID().uuidString).sqlite")
        defer { removeDatabaseFiles(scratch) }
        try manager.copyItem(atPath: path, toPath: scratch)
        return try inspectInPlace(scratch, shownAs: path)
    }

    static func inspectInPlace(_ path: String, shownAs name: String) throws -> SQLiteFileInfo {
        let queue: DatabaseQueue
        do {
            queue = try DatabaseQueue(path: path)
        } catch {
            throw DataSetError("\(name) is not a SQLite database: \(error)")
        }
        defer { try? queue.close() }
        let info = try queue.writeWithoutTransaction { db -> (String, [String]) in
            do {
                try checkIntegrity(db, path: name)
            } catch let error as DatabaseError {
                throw DataSetError("\(name) is not a readable SQLite database: \(error.message ?? "\(error)")")
            }
            guard try db.tableExists("store_meta"),
                  let epoch = try String.fetchOne(db, sql: "SELECT value FROM store_meta WHERE key = 'epoch'") else {
                throw DataSetError("\(name) is not a Roundtable database (no store epoch)")
            }
            let applied = try db.tableExists("grdb_migrations") ? try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations") : []
            return (epoch, applied)
        }
        let schema = SchemaVersion(applied: info.1, known: migrator().migrations)
        guard schema.unknown.isEmpty else {
            throw DataSetError("\(name) was written by a newer Roundtable (migrations \(schema.unknown.joined(separator: ", "))); restore it with that version")
        }
        let bytes = (try FileManager.default.attributesOfItem(atPath: path)[.size] as? NSNumber)?.int64Value ?? 0
        return SQLiteFileInfo(epoch: info.0, schema: schema, bytes: bytes)
    }

    /// Replaces the database at `path` with the backup at `backup`. The hub must be stopped: the
    /// current database is first switched out of WAL mode, which SQLite allows only when no other
    /// connection has it open, so a running hub (or any other process holding the file) makes
    /// the restore stop before anything changed. Steps: copy the backup next to the database,
    /// verify the copy (`inspect`), give it a new epoch (clients holding positions in the old
    /// history then reload instead of resuming), flush it; move the current database aside as
    /// `<name>.before-restore-<time>`; rename the copy into place.
    public static func restore(from backup: String, databaseAt path: String, now: Date = Date()) throws -> SQLiteRestoreReport {
        let manager = FileManager.default
        guard manager.fileExists(atPath: backup) else { throw DataSetError("no backup at \(backup)") }
        let folder = (path as NSString).deletingLastPathComponent
        if !folder.isEmpty { try manager.createDirectory(atPath: folder, withIntermediateDirectories: true) }
        let staged = path + ".restore-tmp"
        removeDatabaseFiles(staged)
        do {
            try manager.copyItem(atPath: backup, toPath: staged)
            let info = try inspectInPlace(staged, shownAs: backup)
            let epoch = UUID().uuidString.lowercased()
            let queue = try DatabaseQueue(path: staged)
            try queue.writeWithoutTransaction { db in
                _ = try String.fetchOne(db, sql: "PRAGMA journal_mode = DELETE")
                try db.execute(sql: "UPDATE store_meta SET value = ? WHERE key = 'epoch'", arguments: [epoch])
            }
            try queue.close()
            try flush(staged)

            var previous: String?
            if manager.fileExists(atPath: path) {
                try takeExclusively(path)
                let formatter = DateFormatter()
                formatter.locale = Locale(identifier: "en_US_POSIX")
                formatter.timeZone = TimeZone(identifier: "UTC")
                formatter.dateFormat = "yyyyMMdd'T'HHmmss'Z'"
                let aside = path + ".before-restore-" + formatter.string(from: now)
                for suffix in ["", "-wal", "-shm", "-journal"] where manager.fileExists(atPath: path + suffix) {
                    guard rename(path + suffix, aside + suffix) == 0 else {
                        throw DataSetError("could not move \(path + suffix) aside: \(String(cString: strerror(errno)))")
                    }
                }
                previous = aside
            }
            guard rename(staged, path) == 0 else {
                throw DataSetError("could not rename \(staged) to \(path): \(String(cString: strerror(errno)))")
            }
            try flush(folder.isEmpty ? "." : folder)
            return SQLiteRestoreReport(path: path, previous: previous, backupEpoch: info.epoch, epoch: epoch,
                                       pendingMigrations: info.schema.pending)
        } catch {
            removeDatabaseFiles(staged)
            throw error
        }
    }

    /// Proves that no other connection has the database open, and folds its WAL into the main
    /// file, by switching it to rollback-journal mode without waiting (SQLite refuses that switch
    /// while another connection is open). The hub switches back to WAL when it opens the file.
    static func takeExclusively(_ path: String) throws {
        var configuration = Configuration()
        configuration.busyMode = .immediateError
        configuration.label = "roundtable.restore.probe"
        let queue = try DatabaseQueue(path: path, configuration: configuration)
        defer { try? queue.close() }
        do {
            let mode = try queue.writeWithoutTransaction { db in try String.fetchOne(db, sql: "PRAGMA journal_mode = DELETE") }
            guard mode?.lowercased() == "delete" else {
                throw DataSetError("\(path) is in use (journal mode stayed \(mode ?? "unknown")); stop the hub first")
            }
        } catch let error as DatabaseError where [ResultCode.SQLITE_BUSY, ResultCode.SQLITE_LOCKED].contains(error.resultCode) {
            throw DataSetError("\(path) is in use by another process (a running hub?); stop the hub, then restore")
        }
    }

    static func checkIntegrity(_ db: Database, path: String) throws {
        let problems = try String.fetchAll(db, sql: "PRAGMA integrity_check")
        guard problems == ["ok"] else {
            throw DataSetError("integrity_check failed for \(path): \(problems.prefix(5).joined(separator: "; "))")
        }
        let keys = try Row.fetchAll(db, sql: "PRAGMA foreign_key_check")
        guard keys.isEmpty else { throw DataSetError("foreign_key_check failed for \(path): \(keys.count) rows refer to missing rows") }
    }

    /// fsync a file or folder, so a rename that follows is durable.
    static func flush(_ path: String) throws {
        let descriptor = open(path, O_RDONLY)
        guard descriptor >= 0 else { throw DataSetError("could not open \(path) to flush it: \(String(cString: strerror(errno)))") }
        defer { close(descriptor) }
        guard fsync(descriptor) == 0 else { throw DataSetError("fsync \(path) failed: \(String(cString: strerror(errno)))") }
    }

    static func removeDatabaseFiles(_ path: String) {
        for suffix in ["", "-wal", "-shm", "-journal"] { try? FileManager.default.removeItem(atPath: path + suffix) }
    }
}
