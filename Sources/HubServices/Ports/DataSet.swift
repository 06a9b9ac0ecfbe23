import Foundation

/// Raw, table-by-table access to a store's whole data set, for moving it between backends
/// (`roundtable copy`) and for comparing two data sets. Never used while serving: the hub works
/// through `HubStore`; this port sees rows, not entities, so that tables added by later
/// migrations are copied without code changes.
///
/// Values cross in a neutral form that does not depend on how a backend stores them:
/// integers (also flags, as 0 and 1), reals, text (also dates as `YYYY-MM-DD`, JSON as its
/// text, and any other type as its text form), bytes, and null. Each adapter maps its own
/// types to and from that form (see `ColumnKind`).

/// One value in the neutral form.
public enum DataValue: Sendable, Hashable {
    case null
    case integer(Int64)
    case real(Double)
    case text(String)
    case blob([UInt8])
}

/// What a column holds, as far as copying and comparing need to know. The adapter derives it
/// from the declared type (PostgreSQL's types are the richer description; SQLite's declared
/// types give `integer`, `real`, `text`, `blob`, or `other` by SQLite's affinity rules).
public enum ColumnKind: String, Sendable, Hashable {
    case integer, real, text, blob, boolean, date, json, other
}

public struct DataColumn: Sendable, Hashable {
    public let name: String
    public let kind: ColumnKind
    /// The type as the backend spells it (`bigint`, `TEXT`, `character varying(20)`), used to cast.
    public let declaredType: String

    public init(name: String, kind: ColumnKind, declaredType: String) {
        self.name = name
        self.kind = kind
        self.declaredType = declaredType
    }
}

/// A foreign key: `columns` of the owning table refer to `referencedColumns` of `table`.
public struct DataReference: Sendable, Hashable {
    public let columns: [String]
    public let table: String
    public let referencedColumns: [String]

    public init(columns: [String], table: String, referencedColumns: [String]) {
        self.columns = columns
        self.table = table
        self.referencedColumns = referencedColumns
    }
}

public struct DataTable: Sendable, Hashable {
    public let name: String
    /// In the backend's column order.
    public let columns: [DataColumn]
    /// Primary-key columns in key order; empty when the table has none (then it is read in one piece).
    public let primaryKey: [String]
    public let references: [DataReference]

    public init(name: String, columns: [DataColumn], primaryKey: [String], references: [DataReference]) {
        self.name = name
        self.columns = columns
        self.primaryKey = primaryKey
        self.references = references
    }

    public func column(_ name: String) -> DataColumn? { columns.first { $0.name == name } }
}

/// Which migrations a database has applied, next to the ones this build knows.
public struct SchemaVersion: Sendable, Hashable {
    public let applied: [String]
    public let known: [String]

    public init(applied: [String], known: [String]) {
        self.applied = applied
        self.known = known
    }

    /// Known migrations the database has not applied yet.
    public var pending: [String] { known.filter { !applied.contains($0) } }
    /// Migrations the database has applied that this build does not know (a newer build made it).
    public var unknown: [String] { applied.filter { !known.contains($0) } }
    public var isCurrent: Bool { pending.isEmpty && unknown.isEmpty }
    /// The last known migration applied, for messages.
    public var latest: String { known.last { applied.contains($0) } ?? "none" }
}

/// Reads rows inside one consistent snapshot (see `DataSetEndpoint.withSnapshot`).
public protocol DataSetReader: Sendable {
    /// Up to `limit` rows of `table` in primary-key order, each with the values of
    /// `table.columns` in that order, starting after the row whose key is `after` (the
    /// primary-key values of the last row of the previous call; nil to start). A table
    /// without a primary key is returned whole, whatever `limit` says.
    func rows(of table: DataTable, after key: [DataValue]?, limit: Int) async throws -> [[DataValue]]

    /// For tables whose key comes from a counter (SQLite `AUTOINCREMENT`, PostgreSQL
    /// serial or identity columns): the highest value the counter has handed out, by table.
    func counters() async throws -> [String: Int64]
}

/// Writes inside one transaction (see `DataSetEndpoint.withWriteTransaction`); reads see the
/// transaction's own rows, so a copy can be verified before it commits.
public protocol DataSetWriter: DataSetReader {
    func isEmpty(_ table: DataTable) async throws -> Bool
    /// Deletes every row of the tables, in the order given (rows that refer to others first).
    func deleteAll(_ tables: [DataTable]) async throws
    /// Inserts rows whose values follow `table.columns`.
    func insert(_ rows: [[DataValue]], into table: DataTable) async throws
    /// Raises each counter to at least `counters[table]` and to the highest key in its table.
    func adjustCounters(_ tables: [DataTable], to counters: [String: Int64]) async throws
    /// Sets one row of `store_meta` (the store's epoch and installation secrets live there).
    func setMeta(_ key: String, to value: String) async throws
}

/// One side of a copy: a SQLite file or a PostgreSQL database.
public protocol DataSetEndpoint: Sendable {
    /// "SQLite" or "PostgreSQL".
    var backend: String { get }
    /// Where it is, without secrets.
    var location: String { get }
    /// Applies pending migrations through the store's own migration code; returns what it applied.
    func migrate() async throws -> [String]
    func schemaVersion() async throws -> SchemaVersion
    /// The application's tables, found by introspection; migration bookkeeping is left out.
    func tables() async throws -> [DataTable]
    /// Runs `body` in one read-only snapshot of the whole data set.
    func withSnapshot<T: Sendable>(_ body: @Sendable (any DataSetReader) async throws -> T) async throws -> T
    /// Runs `body` in one write transaction: committed when it returns, rolled back when it throws.
    func withWriteTransaction<T: Sendable>(_ body: @Sendable (any DataSetWriter) async throws -> T) async throws -> T
    /// Releases connections; the endpoint cannot be used afterwards.
    func close() async
}

extension DataTable {
    /// Identifier quoting that both backends accept (`"name"`, inner quotes doubled).
    public static func quote(_ name: String) -> String {
        "\"" + name.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}

/// A copy or comparison that cannot go on, with a message for the operator.
public struct DataSetError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
