import Foundation
import GRDB
import HubServices
import Synchronization

/// A SQLite data set as one side of `roundtable copy` (the `DataSetEndpoint` port): tables found
/// with `sqlite_master` and the `pragma_table_xinfo` / `pragma_foreign_key_list` functions, rows
/// read in primary-key order, values passed in SQLite's own storage classes (SQLite keeps flags as
/// 0/1 integers and dates as `YYYY-MM-DD` text, which is already the neutral form).
///
/// One connection (a `DatabaseQueue`) serves everything; a snapshot or a write transaction is
/// opened by hand and spans several async calls, hence `allowsUnsafeTransactions`.
public final class SQLiteDataSet: DataSetEndpoint {
    public let path: String
    public var backend: String { "SQLite" }
    public var location: String { path }
    private let queue = Mutex<DatabaseQueue?>(nil)

    /// `mustExist`: refuse a file that is not there (a source), instead of creating an empty one.
    public init(path: String, mustExist: Bool) throws {
        self.path = path
        if mustExist, !FileManager.default.fileExists(atPath: path) {
            throw DataSetError("no SQLite database at \(path)")
        }
    }

    private func database() throws -> DatabaseQueue {
        try queue.withLock { queue in
            if let queue { return queue }
            var configuration = Configuration()
            configuration.foreignKeysEnabled = true
            configuration.busyMode = .timeout(10)
            configuration.allowsUnsafeTransactions = true
            configuration.label = "roundtable.copy"
            let opened = try DatabaseQueue(path: path, configuration: configuration)
            queue = opened
            return opened
        }
    }

    public func migrate() async throws -> [String] {
        let folder = (path as NSString).deletingLastPathComponent
        if !folder.isEmpty { try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true) }
        return try SQLiteStore.migrate(path: path)
    }

    public func schemaVersion() async throws -> SchemaVersion {
        let known = SQLiteStore.migrator().migrations
        let applied = try await database().read { db -> [String] in
            guard try db.tableExists("grdb_migrations") else { return [] }
            return try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations")
        }
        return SchemaVersion(applied: applied, known: known)
    }

    public func tables() async throws -> [DataTable] {
        try await database().read { db in try Self.introspect(db) }
    }

    static func introspect(_ db: Database) throws -> [DataTable] {
        let names = try String.fetchAll(db, sql: """
            SELECT name FROM sqlite_master
            WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' AND name <> 'grdb_migrations'
            ORDER BY name
            """)
        var primaryKeys: [String: [String]] = [:]
        var partial: [(name: String, columns: [DataColumn], references: [(from: [String], table: String, to: [String?])])] = []
        for name in names {
            // hidden: 0 ordinary, 1 virtual-table hidden, 2 and 3 generated (computed, never copied).
            let columnRows = try Row.fetchAll(db, sql: "SELECT name, type, pk, hidden FROM pragma_table_xinfo(?) ORDER BY cid",
                                              arguments: [name])
            var columns: [DataColumn] = []
            var keyed: [(Int, String)] = []
            for row in columnRows where (row["hidden"] as Int) == 0 {
                let column: String = row["name"]
                let declared: String = row["type"] ?? ""
                columns.append(DataColumn(name: column, kind: kind(declared), declaredType: declared))
                let position: Int = row["pk"]
                if position > 0 { keyed.append((position, column)) }
            }
            primaryKeys[name] = keyed.sorted { $0.0 < $1.0 }.map(\.1)
            let keyRows = try Row.fetchAll(db, sql: """
                SELECT id, "table" AS target, "from" AS source, "to" AS destination
                FROM pragma_foreign_key_list(?) ORDER BY id, seq
                """, arguments: [name])
            var references: [(from: [String], table: String, to: [String?])] = []
            var current: Int?
            for row in keyRows {
                let id: Int = row["id"]
                if id != current {
                    references.append((from: [], table: row["target"], to: []))
                    current = id
                }
                references[references.count - 1].from.append(row["source"])
                references[references.count - 1].to.append(row["destination"])
            }
            partial.append((name, columns, references))
        }
        return partial.map { table in
            DataTable(
                name: table.name, columns: table.columns, primaryKey: primaryKeys[table.name] ?? [],
                references: table.references.map { reference in
                    // A key that names no columns refers to the other table's primary key.
                    let to = reference.to.contains(where: { $0 == nil }) ? (primaryKeys[reference.table] ?? []) : reference.to.compactMap { $0 }
                    return DataReference(columns: reference.from, table: reference.table, referencedColumns: to)
                })
        }
    }

    /// SQLite's affinity rules (https://sqlite.org/datatype3.html, 3.1), with the names other
    /// databases use for flags, dates and JSON recognised first.
    static func kind(_ declared: String) -> ColumnKind {
        let type = declared.uppercased()
        if type.contains("BOOL") { return .boolean }
        if type == "DATE" { return .date }
        if type.contains("JSON") { return .json }
        if type.contains("INT") { return .integer }
        if type.contains("CHAR") || type.contains("CLOB") || type.contains("TEXT") { return .text }
        if type.contains("BLOB") || type.isEmpty { return .blob }
        if type.contains("REAL") || type.contains("FLOA") || type.contains("DOUB") { return .real }
        return .other
    }

    public func withSnapshot<T: Sendable>(_ body: @Sendable (any DataSetReader) async throws -> T) async throws -> T {
        let queue = try database()
        try await queue.writeWithoutTransaction { db in
            try db.execute(sql: "PRAGMA query_only = ON")
            try db.execute(sql: "BEGIN DEFERRED")
            // The first read starts the snapshot (in WAL mode: a fixed point of the log).
            _ = try Int.fetchOne(db, sql: "SELECT count(*) FROM sqlite_master")
        }
        let result: T
        do {
            result = try await body(Connection(queue: queue))
        } catch {
            try? await Self.end(queue, "ROLLBACK", readOnly: true)
            throw error
        }
        try await Self.end(queue, "COMMIT", readOnly: true)
        return result
    }

    public func withWriteTransaction<T: Sendable>(_ body: @Sendable (any DataSetWriter) async throws -> T) async throws -> T {
        let queue = try database()
        try await queue.writeWithoutTransaction { db in
            try db.execute(sql: "BEGIN IMMEDIATE")
            // Foreign keys are checked at COMMIT, so rows may arrive in any order.
            try db.execute(sql: "PRAGMA defer_foreign_keys = ON")
        }
        let result: T
        do {
            result = try await body(Connection(queue: queue))
        } catch {
            try? await Self.end(queue, "ROLLBACK", readOnly: false)
            throw error
        }
        try await Self.end(queue, "COMMIT", readOnly: false)
        return result
    }

    private static func end(_ queue: DatabaseQueue, _ statement: String, readOnly: Bool) async throws {
        try await queue.writeWithoutTransaction { db in
            if db.isInsideTransaction { try db.execute(sql: statement) }
            if readOnly { try db.execute(sql: "PRAGMA query_only = OFF") }
        }
    }

    public func close() async {
        let queue = queue.withLock { queue in
            defer { queue = nil }
            return queue
        }
        try? queue?.close()
    }

    /// Reads and writes on the endpoint's one connection, inside the open snapshot or transaction.
    struct Connection: DataSetWriter {
        let queue: DatabaseQueue

        func rows(of table: DataTable, after key: [DataValue]?, limit: Int) async throws -> [[DataValue]] {
            let columns = table.columns.map { DataTable.quote($0.name) }.joined(separator: ", ")
            var sql = "SELECT \(columns) FROM \(DataTable.quote(table.name))"
            var arguments: [DatabaseValue] = []
            if !table.primaryKey.isEmpty {
                let keyColumns = table.primaryKey.map(DataTable.quote).joined(separator: ", ")
                if let key {
                    sql += " WHERE (\(keyColumns)) > (\(Array(repeating: "?", count: key.count).joined(separator: ", ")))"
                    arguments = key.map(Self.databaseValue)
                }
                sql += " ORDER BY \(keyColumns) LIMIT \(limit)"
            }
            let query = sql
            let bound = arguments
            return try await queue.writeWithoutTransaction { db in
                try Row.fetchAll(db, sql: query, arguments: StatementArguments(bound)).map { row in
                    (0..<row.count).map { Self.dataValue(row[$0]) }
                }
            }
        }

        func counters() async throws -> [String: Int64] {
            try await queue.writeWithoutTransaction { db in
                guard try db.tableExists("sqlite_sequence") else { return [:] }
                var counters: [String: Int64] = [:]
                for row in try Row.fetchAll(db, sql: "SELECT name, seq FROM sqlite_sequence") {
                    counters[row["name"]] = row["seq"]
                }
                return counters
            }
        }

        func isEmpty(_ table: DataTable) async throws -> Bool {
            let sql = "SELECT EXISTS (SELECT 1 FROM \(DataTable.quote(table.name)))"
            return try await queue.writeWithoutTransaction { db in try Bool.fetchOne(db, sql: sql) != true }
        }

        func deleteAll(_ tables: [DataTable]) async throws {
            let statements = tables.map { "DELETE FROM \(DataTable.quote($0.name))" }
            try await queue.writeWithoutTransaction { db in
                for statement in statements { try db.execute(sql: statement) }
            }
        }

        func insert(_ rows: [[DataValue]], into table: DataTable) async throws {
            guard !rows.isEmpty else { return }
            let width = table.columns.count
            let columns = table.columns.map { DataTable.quote($0.name) }.joined(separator: ", ")
            let tuple = "(" + Array(repeating: "?", count: width).joined(separator: ", ") + ")"
            // SQLite binds at most 32766 parameters per statement (999 before 3.32); stay well below.
            let perStatement = max(1, 900 / width)
            let prefix = "INSERT INTO \(DataTable.quote(table.name)) (\(columns)) VALUES "
            let chunks = stride(from: 0, to: rows.count, by: perStatement).map { start in
                Array(rows[start..<min(start + perStatement, rows.count)])
            }
            try await queue.writeWithoutTransaction { db in
                for chunk in chunks {
                    let sql = prefix + Array(repeating: tuple, count: chunk.count).joined(separator: ", ")
                    try db.execute(sql: sql, arguments: StatementArguments(chunk.flatMap { $0.map(Self.databaseValue) }))
                }
            }
        }

        func adjustCounters(_ tables: [DataTable], to counters: [String: Int64]) async throws {
            try await queue.writeWithoutTransaction { db in
                for table in tables {
                    // Only AUTOINCREMENT tables keep a counter in sqlite_sequence.
                    let sql = try String.fetchOne(db, sql: "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?",
                                                  arguments: [table.name]) ?? ""
                    guard sql.uppercased().contains("AUTOINCREMENT"), table.primaryKey.count == 1 else { continue }
                    let highest = try Int64.fetchOne(db, sql: "SELECT max(\(DataTable.quote(table.primaryKey[0]))) FROM \(DataTable.quote(table.name))") ?? 0
                    let floor = max(highest, counters[table.name] ?? 0)
                    guard floor > 0 else { continue }
                    if let current = try Int64.fetchOne(db, sql: "SELECT seq FROM sqlite_sequence WHERE name = ?", arguments: [table.name]) {
                        if current < floor {
                            try db.execute(sql: "UPDATE sqlite_sequence SET seq = ? WHERE name = ?", arguments: [floor, table.name])
                        }
                    } else {
                        try db.execute(sql: "INSERT INTO sqlite_sequence (name, seq) VALUES (?, ?)", arguments: [table.name, floor])
                    }
                }
            }
        }

        func setMeta(_ key: String, to value: String) async throws {
            try await queue.writeWithoutTransaction { db in
                try db.execute(sql: "INSERT INTO store_meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                               arguments: [key, value])
            }
        }

        static func dataValue(_ value: DatabaseValue) -> DataValue {
            switch value.storage {
            case .null: .null
            case .int64(let integer): .integer(integer)
            case .double(let real): .real(real)
            case .string(let text): .text(text)
            case .blob(let data): .blob([UInt8](data))
            }
        }

        static func databaseValue(_ value: DataValue) -> DatabaseValue {
            switch value {
            case .null: .null
            case .integer(let integer): integer.databaseValue
            case .real(let real): real.databaseValue
            case .text(let text): text.databaseValue
            case .blob(let bytes): Data(bytes).databaseValue
            }
        }
    }
}
