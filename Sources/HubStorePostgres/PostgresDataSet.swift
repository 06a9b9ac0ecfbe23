import Foundation
import HubServices
import Logging
import PostgresNIO

/// A PostgreSQL data set as one side of `roundtable copy` (the `DataSetEndpoint` port). Tables,
/// columns, primary and foreign keys come from the catalog (`pg_class`, `pg_attribute`,
/// `pg_index`, `pg_constraint`) of the connection's current schema; `schema_migrations` is left
/// out (each side migrates itself).
///
/// **Values.** Every column is read as text except `bytea`: flags as `'1'`/`'0'`, dates with
/// `to_char(…, 'YYYY-MM-DD')`, everything else with `::text` under fixed session settings (UTC,
/// ISO dates), so the neutral form does not depend on the server's configuration. Writing binds
/// text (or bytes) and casts each parameter to the column's declared type (`$1::boolean`,
/// `$2::date`, `$3::jsonb`), so PostgreSQL's own input functions do the conversion.
public final class PostgresDataSet: DataSetEndpoint {
    let client: PostgresClient
    let logger: Logger
    private let runTask: Task<Void, Never>
    private let place: PostgresLocation
    public var backend: String { "PostgreSQL" }
    public var location: String { place.description }

    private init(location: PostgresLocation, client: PostgresClient, runTask: Task<Void, Never>, logger: Logger) {
        self.place = location
        self.client = client
        self.runTask = runTask
        self.logger = logger
    }

    /// Connects (two connections: one for a snapshot or transaction, one spare). Pair with `close()`.
    public static func open(url: String, logger: Logger) async throws -> PostgresDataSet {
        let location = try PostgresLocation(url: url)
        let client = PostgresClient(configuration: location.clientConfiguration(maximumConnections: 2), backgroundLogger: logger)
        let runTask = await PostgresStore.start(client)
        let dataSet = PostgresDataSet(location: location, client: client, runTask: runTask, logger: logger)
        do {
            try await client.rows("SELECT 1", logger)
        } catch {
            await dataSet.close()
            throw DataSetError("cannot reach \(location): \(String(reflecting: error))")
        }
        return dataSet
    }

    public func close() async {
        runTask.cancel()
        await runTask.value
    }

    public func migrate() async throws -> [String] {
        do {
            return try await PostgresStore.migrate(client, logger: logger)
        } catch {
            throw Self.explain(PostgresStore.translate(error))
        }
    }

    public func schemaVersion() async throws -> SchemaVersion {
        let known = PostgresStore.migrations.map(\.version)
        let exists = try await client.rows("SELECT to_regclass('schema_migrations') IS NOT NULL", logger).first?.decode(Bool.self) ?? false
        guard exists else { return SchemaVersion(applied: [], known: known) }
        var applied: [String] = []
        for row in try await client.rows("SELECT version FROM schema_migrations ORDER BY applied_ms, version", logger) {
            applied.append(try row.decode(String.self))
        }
        return SchemaVersion(applied: applied, known: known)
    }

    public func tables() async throws -> [DataTable] {
        try await client.withConnection { connection in try await Self.introspect(connection, logger: logger) }
    }

    static func introspect(_ connection: PostgresConnection, logger: Logger) async throws -> [DataTable] {
        let schema = "(SELECT oid FROM pg_namespace WHERE nspname = current_schema())"
        var names: [String] = []
        for row in try await connection.rows(PostgresQuery(unsafeSQL: """
            SELECT c.relname::text FROM pg_class c
            WHERE c.relnamespace = \(schema) AND c.relkind IN ('r', 'p') AND NOT c.relispartition AND c.relname <> 'schema_migrations'
            ORDER BY c.relname
            """), logger) {
            names.append(try row.decode(String.self))
        }
        var columns: [String: [DataColumn]] = [:]
        for row in try await connection.rows(PostgresQuery(unsafeSQL: """
            SELECT c.relname::text, a.attname::text, format_type(a.atttypid, a.atttypmod), t.typname::text
            FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_type t ON t.oid = a.atttypid
            WHERE c.relnamespace = \(schema) AND c.relkind IN ('r', 'p') AND a.attnum > 0 AND NOT a.attisdropped AND a.attgenerated = ''
            ORDER BY c.relname, a.attnum
            """), logger) {
            let (table, column, declared, typeName) = try row.decode((String, String, String, String).self)
            columns[table, default: []].append(DataColumn(name: column, kind: kind(typeName), declaredType: declared))
        }
        var keys: [String: [String]] = [:]
        for row in try await connection.rows(PostgresQuery(unsafeSQL: """
            SELECT c.relname::text, a.attname::text
            FROM pg_index i JOIN pg_class c ON c.oid = i.indrelid
            CROSS JOIN LATERAL unnest(i.indkey::int2[]) WITH ORDINALITY AS k(attnum, position)
            JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum
            WHERE i.indisprimary AND c.relnamespace = \(schema)
            ORDER BY c.relname, k.position
            """), logger) {
            let (table, column) = try row.decode((String, String).self)
            keys[table, default: []].append(column)
        }
        var references: [String: [(id: Int64, reference: DataReference)]] = [:]
        var pending: [Int64: (table: String, target: String, from: [String], to: [String])] = [:]
        var order: [Int64] = []
        for row in try await connection.rows(PostgresQuery(unsafeSQL: """
            SELECT con.oid::bigint, c.relname::text, r.relname::text, a.attname::text, ra.attname::text
            FROM pg_constraint con
            JOIN pg_class c ON c.oid = con.conrelid JOIN pg_class r ON r.oid = con.confrelid
            CROSS JOIN LATERAL unnest(con.conkey, con.confkey) WITH ORDINALITY AS k(col, refcol, position)
            JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.col
            JOIN pg_attribute ra ON ra.attrelid = con.confrelid AND ra.attnum = k.refcol
            WHERE con.contype = 'f' AND con.connamespace = \(schema)
            ORDER BY con.oid, k.position
            """), logger) {
            let (id, table, target, column, referenced) = try row.decode((Int64, String, String, String, String).self)
            if pending[id] == nil {
                pending[id] = (table, target, [], [])
                order.append(id)
            }
            pending[id]?.from.append(column)
            pending[id]?.to.append(referenced)
        }
        for id in order {
            guard let key = pending[id] else { continue }
            references[key.table, default: []].append((id, DataReference(columns: key.from, table: key.target, referencedColumns: key.to)))
        }
        return names.map { name in
            DataTable(name: name, columns: columns[name] ?? [], primaryKey: keys[name] ?? [],
                      references: (references[name] ?? []).map(\.reference))
        }
    }

    static func kind(_ typeName: String) -> ColumnKind {
        switch typeName {
        case "bool": .boolean
        case "int2", "int4", "int8": .integer
        case "float4", "float8": .real
        case "text", "varchar", "bpchar", "name", "citext": .text
        case "date": .date
        case "json", "jsonb": .json
        case "bytea": .blob
        default: .other
        }
    }

    /// Fixed output settings for every snapshot and transaction (text forms of times and floats).
    static let sessionSettings = [
        "SET LOCAL TimeZone = 'UTC'",
        "SET LOCAL DateStyle = 'ISO, YMD'",
        "SET LOCAL IntervalStyle = 'iso_8601'",
        "SET LOCAL extra_float_digits = 1",
    ]

    public func withSnapshot<T: Sendable>(_ body: @Sendable (any DataSetReader) async throws -> T) async throws -> T {
        try await client.withConnection { connection in
            try await connection.rows("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", logger)
            do {
                for setting in Self.sessionSettings { try await connection.rows(PostgresQuery(unsafeSQL: setting), logger) }
                let result = try await body(Connection(connection: connection, logger: logger))
                try await connection.rows("COMMIT", logger)
                return result
            } catch {
                _ = try? await connection.rows("ROLLBACK", logger)
                throw Self.explain(error)
            }
        }
    }

    public func withWriteTransaction<T: Sendable>(_ body: @Sendable (any DataSetWriter) async throws -> T) async throws -> T {
        try await client.withConnection { connection in
            try await connection.rows("BEGIN ISOLATION LEVEL SERIALIZABLE", logger)
            do {
                for setting in Self.sessionSettings { try await connection.rows(PostgresQuery(unsafeSQL: setting), logger) }
                // Deferrable foreign keys wait for COMMIT; the others are checked per statement,
                // which the copy satisfies by inserting referenced tables first.
                try await connection.rows("SET CONSTRAINTS ALL DEFERRED", logger)
                let result = try await body(Connection(connection: connection, logger: logger))
                try await connection.rows("COMMIT", logger)
                return result
            } catch {
                _ = try? await connection.rows("ROLLBACK", logger)
                throw Self.explain(error)
            }
        }
    }

    /// PostgresNIO keeps the server's message out of an error's description (it may hold data);
    /// an operator running `copy` needs it: "PostgreSQL: <message> (<detail>) [table …]".
    static func explain(_ error: any Error) -> any Error {
        guard let error = error as? PSQLError else { return error }
        guard let info = error.serverInfo, let message = info[.message] else { return DataSetError("PostgreSQL: \(error.code)") }
        var text = "PostgreSQL: \(message)"
        if let detail = info[.detail] { text += " (\(detail))" }
        if let table = info[.tableName] { text += " [table \(table)]" }
        return DataSetError(text)
    }

    /// Reads and writes on the connection that holds the snapshot or the transaction.
    struct Connection: DataSetWriter {
        let connection: PostgresConnection
        let logger: Logger

        func rows(of table: DataTable, after key: [DataValue]?, limit: Int) async throws -> [[DataValue]] {
            // Output columns get neutral names: ORDER BY "seq" would otherwise sort by the output
            // column `"seq"::text` (names in ORDER BY mean output columns first), not the key.
            let columns = table.columns.enumerated().map { "\(Self.selectExpression($0.element)) AS c\($0.offset)" }.joined(separator: ", ")
            let name = DataTable.quote(table.name)
            var sql = "SELECT \(columns) FROM \(name)"
            var binds = PostgresBindings()
            if !table.primaryKey.isEmpty {
                let keyColumns = table.primaryKey.map { "\(name).\(DataTable.quote($0))" }.joined(separator: ", ")
                if let key {
                    var placeholders: [String] = []
                    for (index, name) in table.primaryKey.enumerated() {
                        let type = table.column(name)?.declaredType ?? "text"
                        placeholders.append("$\(index + 1)::\(type)")
                        Self.bind(key[index], into: &binds)
                    }
                    sql += " WHERE (\(keyColumns)) > (\(placeholders.joined(separator: ", ")))"
                }
                sql += " ORDER BY \(keyColumns) LIMIT \(limit)"
            }
            var rows: [[DataValue]] = []
            for row in try await connection.rows(PostgresQuery(unsafeSQL: sql, binds: binds), logger) {
                var values: [DataValue] = []
                values.reserveCapacity(table.columns.count)
                for (cell, column) in zip(row, table.columns) {
                    values.append(Self.value(cell.bytes, kind: column.kind))
                }
                rows.append(values)
            }
            return rows
        }

        func counters() async throws -> [String: Int64] {
            var counters: [String: Int64] = [:]
            for (table, _, sequence) in try await serialColumns() {
                let last = try await connection.rows("SELECT pg_sequence_last_value(\(sequence)::regclass)", logger)
                    .first?.decode(Int64?.self) ?? nil
                counters[table] = max(counters[table] ?? 0, last ?? 0)
            }
            return counters
        }

        /// (table, column, sequence) for every serial or identity column of the current schema.
        func serialColumns() async throws -> [(String, String, String)] {
            var found: [(String, String, String)] = []
            for row in try await connection.rows("""
                SELECT c.relname::text, a.attname::text, s.name
                FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
                CROSS JOIN LATERAL (SELECT pg_get_serial_sequence(format('%I.%I', n.nspname, c.relname), a.attname) AS name) s
                WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p') AND a.attnum > 0 AND NOT a.attisdropped
                    AND s.name IS NOT NULL
                """, logger) {
                found.append(try row.decode((String, String, String).self))
            }
            return found
        }

        func isEmpty(_ table: DataTable) async throws -> Bool {
            let any = try await connection.rows(PostgresQuery(unsafeSQL: "SELECT EXISTS (SELECT 1 FROM \(DataTable.quote(table.name)))"), logger)
                .first?.decode(Bool.self) ?? false
            return !any
        }

        func deleteAll(_ tables: [DataTable]) async throws {
            for table in tables {
                try await connection.rows(PostgresQuery(unsafeSQL: "DELETE FROM \(DataTable.quote(table.name))"), logger)
            }
        }

        func insert(_ rows: [[DataValue]], into table: DataTable) async throws {
            guard !rows.isEmpty else { return }
            let width = table.columns.count
            let columns = table.columns.map { DataTable.quote($0.name) }.joined(separator: ", ")
            // The protocol counts parameters in 16 bits; keep each statement well below.
            let perStatement = max(1, 8000 / width)
            var start = 0
            while start < rows.count {
                let chunk = rows[start..<min(start + perStatement, rows.count)]
                var binds = PostgresBindings(capacity: chunk.count * width)
                var tuples: [String] = []
                tuples.reserveCapacity(chunk.count)
                var parameter = 0
                for row in chunk {
                    var placeholders: [String] = []
                    placeholders.reserveCapacity(width)
                    for (value, column) in zip(row, table.columns) {
                        parameter += 1
                        placeholders.append("$\(parameter)::\(column.declaredType)")
                        Self.bind(value, into: &binds)
                    }
                    tuples.append("(" + placeholders.joined(separator: ", ") + ")")
                }
                // OVERRIDING SYSTEM VALUE: identity columns take the copied values too.
                let sql = "INSERT INTO \(DataTable.quote(table.name)) (\(columns)) OVERRIDING SYSTEM VALUE VALUES " + tuples.joined(separator: ", ")
                try await connection.rows(PostgresQuery(unsafeSQL: sql, binds: binds), logger)
                start += perStatement
            }
        }

        func adjustCounters(_ tables: [DataTable], to counters: [String: Int64]) async throws {
            let copied = Set(tables.map(\.name))
            for (table, column, sequence) in try await serialColumns() where copied.contains(table) {
                let highest = try await connection.rows(PostgresQuery(unsafeSQL: """
                    SELECT coalesce(max(\(DataTable.quote(column)))::bigint, 0) FROM \(DataTable.quote(table))
                    """), logger).first?.decode(Int64.self) ?? 0
                let floor = max(highest, counters[table] ?? 0)
                guard floor > 0 else { continue }
                try await connection.rows("SELECT setval(\(sequence)::regclass, \(floor))", logger)
            }
        }

        func setMeta(_ key: String, to value: String) async throws {
            try await connection.rows("""
                INSERT INTO store_meta (key, value) VALUES (\(key), \(value)) ON CONFLICT (key) DO UPDATE SET value = excluded.value
                """, logger)
        }

        static func selectExpression(_ column: DataColumn) -> String {
            let name = DataTable.quote(column.name)
            switch column.kind {
            case .boolean: return "CASE WHEN \(name) THEN '1' WHEN NOT \(name) THEN '0' END"
            case .date: return "to_char(\(name), 'YYYY-MM-DD')"
            case .blob: return name
            default: return "\(name)::text"
            }
        }

        static func value(_ bytes: ByteBuffer?, kind: ColumnKind) -> DataValue {
            guard var bytes else { return .null }
            if kind == .blob { return .blob(bytes.readBytes(length: bytes.readableBytes) ?? []) }
            let text = bytes.readString(length: bytes.readableBytes) ?? ""
            switch kind {
            case .integer, .boolean: return Int64(text).map(DataValue.integer) ?? .text(text)
            case .real: return Double(text).map(DataValue.real) ?? .text(text)
            default: return .text(text)
            }
        }

        static func bind(_ value: DataValue, into binds: inout PostgresBindings) {
            switch value {
            case .null: binds.appendNull()
            case .integer(let integer): binds.append(String(integer))
            case .real(let real): binds.append(real.isNaN ? "NaN" : real.isInfinite ? (real < 0 ? "-Infinity" : "Infinity") : "\(real)")
            case .text(let text): binds.append(text)
            case .blob(let bytes): binds.append(ByteBuffer(bytes: bytes))
            }
        }
    }
}
