import ArgumentParser
import Foundation
import HubApp
import HubServices
import HubStoreSQLite
import Logging

// `backup`, `restore` and `copy`: moving a data set around. See Docs/operations.md
// ("Backup and restore", "Moving from SQLite to PostgreSQL") and Docs/decisions/0006-data-copy.md.

/// What to tell an operator whose store is PostgreSQL: its own tools do backup and restore.
private let postgresBackupAdvice = """
    The store is PostgreSQL (ROUNDTABLE_DATABASE_URL): back it up with PostgreSQL's own tools, e.g.
        pg_dump --format=custom --file=roundtable-$(date +%F).dump "$ROUNDTABLE_DATABASE_URL"
    and restore into an empty database with
        pg_restore --no-owner --exit-on-error --dbname="$NEW_DATABASE_URL" roundtable-YYYY-MM-DD.dump
    (see Docs/operations.md, "Backup and restore"). `roundtable backup` and `restore` handle SQLite only.
    """

private func printError(_ message: String) {
    FileHandle.standardError.write(Data((message + "\n").utf8))
}

private func absolutePath(_ path: String) -> String {
    URL(fileURLWithPath: path).standardizedFileURL.path
}

struct Backup: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write a consistent copy of the SQLite database, also while the hub is serving.",
        discussion: """
            Uses SQLite's online backup API: the copy is the database as of one commit. It is written \
            under a temporary name, checked with integrity_check and renamed to FILE only when complete. \
            On PostgreSQL use pg_dump (the command says how and exits with status 2).
            """)

    @OptionGroup var common: CommonOptions

    @Option(name: .customLong("to"), help: "The backup file to write (must not exist).")
    var destination: String

    @Flag(help: "Replace FILE if it exists.")
    var force = false

    func run() async throws {
        let configuration = try common.load()
        if configuration.databaseURL != nil {
            printError(postgresBackupAdvice)
            throw ExitCode(2)
        }
        let report = try SQLiteStore.backup(databaseAt: configuration.databasePath, to: absolutePath(destination), replacing: force)
        print("Backed up \(configuration.databasePath) to \(report.path): \(report.bytes) bytes in "
              + "\(String(format: "%.3f", report.seconds)) s; integrity_check ok; epoch \(report.epoch); "
              + "schema \(report.migrations.last ?? "none").")
    }
}

struct Restore: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Replace the SQLite database with a backup. Stop the hub first.",
        discussion: """
            Verifies the backup (integrity_check, a Roundtable store, not from a newer version), refuses \
            while another process (a running hub) has the database open, keeps the previous database \
            as roundtable.sqlite.before-restore-<time>, and gives the restored store a new epoch, so \
            clients reload instead of resuming positions from another history. On PostgreSQL use \
            pg_restore (the command says how and exits with status 2).
            """)

    @OptionGroup var common: CommonOptions

    @Option(name: .customLong("from"), help: "The backup file to restore.")
    var backup: String

    func run() async throws {
        let configuration = try common.load()
        if configuration.databaseURL != nil {
            printError(postgresBackupAdvice)
            throw ExitCode(2)
        }
        let report = try SQLiteStore.restore(from: absolutePath(backup), databaseAt: absolutePath(configuration.databasePath))
        print("Restored \(absolutePath(backup)) to \(report.path) (backup epoch \(report.backupEpoch), new epoch \(report.epoch)).")
        if let previous = report.previous { print("The previous database is kept as \(previous).") }
        if !report.pendingMigrations.isEmpty {
            print("Migrations to apply at the next start (or with `roundtable migrate`): \(report.pendingMigrations.joined(separator: ", ")).")
        }
    }
}

struct Copy: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Copy a whole data set between SQLite and PostgreSQL (either way) and verify it.",
        discussion: """
            FROM and TO are postgres:// URLs, SQLite files or data folders (a folder means its \
            roundtable.sqlite). The target is migrated first; both sides must then be at this build's \
            schema. Every table is copied in one transaction, read back and compared (row counts and a \
            content digest per table) before it commits. The epoch, topic heads and event log are kept, \
            so clients resume where they were; stop the hub on the source before copying.
            """)

    @Option(name: .customLong("from"), help: "Source: postgres://… URL, SQLite file or data folder.")
    var source: String

    @Option(name: .customLong("to"), help: "Target: postgres://… URL, SQLite file or data folder.")
    var target: String

    @Flag(help: "Delete the rows a non-empty target holds (in the same transaction) instead of refusing.")
    var replace = false

    @Flag(name: .customLong("new-epoch"), help: "Give the target a new epoch (when the source goes on serving its own history).")
    var newEpoch = false

    @Flag(name: .customLong("verify-only"), help: "Copy nothing: compare both data sets and exit 1 if they differ.")
    var verifyOnly = false

    @Option(name: .customLong("log-level"), help: "Log level for the database clients (default: warning).")
    var logLevel = "warning"

    @Option(name: .customLong("batch-rows"), help: ArgumentHelp("Rows read per query.", visibility: .hidden))
    var batchRows = 1000

    func run() async throws {
        var settings = HubConfiguration()
        settings.logLevel = logLevel
        let logger = Bootstrap.logger(settings)
        let from = try await DataCopy.endpoint(source, mustExist: true, logger: logger)
        let to: any DataSetEndpoint
        do {
            to = try await DataCopy.endpoint(target, mustExist: verifyOnly, logger: logger)
        } catch {
            await from.close()
            throw error
        }
        do {
            if verifyOnly {
                try await verify(from, to)
            } else {
                try await copy(from, to)
            }
        } catch {
            await from.close()
            await to.close()
            throw error
        }
        await from.close()
        await to.close()
    }

    private func copy(_ from: any DataSetEndpoint, _ to: any DataSetEndpoint) async throws {
        var options = DataCopy.Options()
        options.replace = replace
        options.newEpoch = newEpoch
        options.batchRows = batchRows
        let report = try await DataCopy.copy(from: from, to: to, options: options)
        print("Copied \(report.source) to \(report.target)")
        if !report.migratedTarget.isEmpty { print("Migrated the target first: \(report.migratedTarget.joined(separator: ", "))") }
        for table in report.tables {
            print("  \(table.table.padding(toLength: 24, withPad: " ", startingAt: 0)) \(String(table.rows).leftPadded(8)) rows  sha256:\(table.digest.prefix(16))")
        }
        print("\(report.tables.count) tables, \(report.rows) rows, verified (counts and digests equal) in \(String(format: "%.2f", report.seconds)) s.")
        if newEpoch {
            print("New epoch \(report.targetEpoch ?? "?") (source: \(report.sourceEpoch ?? "none")): clients reload once.")
        } else {
            print("Epoch kept: \(report.targetEpoch ?? "none (the source was never opened by a hub)"); clients resume where they were.")
        }
    }

    private func verify(_ from: any DataSetEndpoint, _ to: any DataSetEndpoint) async throws {
        let result = try await DataCopy.compare(from, to)
        let other = Dictionary(result.second.map { ($0.table, $0) }, uniquingKeysWith: { a, _ in a })
        for table in result.first {
            let match = other[table.table].map { $0.rows == table.rows && $0.digest == table.digest } ?? false
            print("  \(table.table.padding(toLength: 24, withPad: " ", startingAt: 0)) \(String(table.rows).leftPadded(8)) rows  "
                  + "\(String(other[table.table]?.rows ?? 0).leftPadded(8)) rows  \(match ? "equal" : "DIFFERENT")")
        }
        if result.differences.isEmpty {
            print("Equal: \(result.first.count) tables, \(result.first.reduce(0) { $0 + $1.rows }) rows.")
        } else {
            print("Different: " + result.differences.joined(separator: "; "))
            throw ExitCode(1)
        }
    }
}

private extension String {
    func leftPadded(_ width: Int) -> String { count >= width ? self : String(repeating: " ", count: width - count) + self }
}
