import Foundation
import HubHTTP
import HubServices
import HubStorePostgres
import HubStoreSQLite
import Logging

/// `roundtable copy`: a whole data set from one store to another (SQLite → PostgreSQL, back, or
/// between two of a kind), verified before it commits. See Docs/decisions/0006-data-copy.md.
///
/// Generic over the schema: the tables are found by introspecting the source, ordered so that
/// referenced tables come first, and copied row by row in the neutral value form of the
/// `DataSetEndpoint` port; a table a later migration adds is copied without a change here.
/// Both sides must have applied exactly the migrations this build knows (the target is
/// migrated first through the store's own migrations) and must then have the same tables and
/// columns.
///
/// The copy reads one snapshot of the source and writes one transaction on the target. Before
/// committing, it reads every table back through that transaction and compares row counts and
/// a content digest with what it read from the source; on any difference it rolls back and the
/// target is left as it was. Everything is copied verbatim, including `store_meta` (the
/// store's epoch and installation secrets), `topic_head` and the event log, so clients' resume
/// cursors `{epoch, seq}` stay valid on the target; `newEpoch` gives the target a new epoch
/// instead (clients then reload once).
public enum DataCopy {
    public struct Options: Sendable {
        /// Delete the rows a non-empty target holds (in the same transaction) instead of refusing.
        public var replace = false
        /// Give the target a new epoch after the copy.
        public var newEpoch = false
        /// Rows read per query.
        public var batchRows = 1000
        public init() {}
    }

    /// Row count and content digest of one table.
    public struct TableSummary: Sendable, Hashable {
        public let table: String
        public let rows: Int
        /// SHA-256 (hex) over the sorted per-row digests; see `Fingerprint`.
        public let digest: String
    }

    public struct Report: Sendable {
        public let source: String
        public let target: String
        /// Migrations the copy applied to the target before copying.
        public let migratedTarget: [String]
        /// Tables in the order they were copied.
        public let tables: [TableSummary]
        public let sourceEpoch: String?
        public let targetEpoch: String?
        public let seconds: Double
        public var rows: Int { tables.reduce(0) { $0 + $1.rows } }
    }

    // MARK: Locations

    public static func isPostgres(_ location: String) -> Bool {
        location.hasPrefix("postgres://") || location.hasPrefix("postgresql://")
    }

    /// A SQLite location is a database file or a data folder (then its `roundtable.sqlite`):
    /// an existing folder, or a path ending in `/`.
    public static func sqlitePath(_ location: String) -> String {
        var isDirectory: ObjCBool = false
        let absolute = URL(fileURLWithPath: location).standardizedFileURL.path
        if location.hasSuffix("/") || (FileManager.default.fileExists(atPath: absolute, isDirectory: &isDirectory) && isDirectory.boolValue) {
            return (absolute as NSString).appendingPathComponent("roundtable.sqlite")
        }
        return absolute
    }

    /// Opens one side. `mustExist`: a SQLite source must be there (a target is created).
    public static func endpoint(_ location: String, mustExist: Bool, logger: Logger) async throws -> any DataSetEndpoint {
        if isPostgres(location) { return try await PostgresDataSet.open(url: location, logger: logger) }
        return try SQLiteDataSet(path: sqlitePath(location), mustExist: mustExist)
    }

    // MARK: Copy

    public static func copy(from source: any DataSetEndpoint, to target: any DataSetEndpoint, options: Options = Options(),
                            progress: @escaping @Sendable (String) -> Void = { _ in }) async throws -> Report {
        let started = Date()
        guard source.backend != target.backend || source.location != target.location else {
            throw DataSetError("source and target are the same database")
        }
        let sourceVersion = try await source.schemaVersion()
        try requireCurrent(sourceVersion, of: source, hint: "run `roundtable migrate` on the source first (or serve it once)")
        let migrated = try await target.migrate()
        try requireCurrent(try await target.schemaVersion(), of: target, hint: "the target's migrations did not complete")

        let sourceTables = try await source.tables()
        let targetTables = try await target.tables()
        let aligned = try align(sourceTables, to: targetTables)
        let order = dependencyOrder(sourceTables)
        let kinds = digestKinds(source.backend == "PostgreSQL" ? sourceTables : target.backend == "PostgreSQL" ? targetTables : sourceTables)
        let batch = max(1, options.batchRows)

        let outcome = try await source.withSnapshot { reader in
            let counters = try await reader.counters()
            return try await target.withWriteTransaction { writer in
                var occupied: [String] = []
                for table in order {
                    if try await !writer.isEmpty(aligned[table.name]!) { occupied.append(table.name) }
                }
                if !occupied.isEmpty {
                    guard options.replace else {
                        throw DataSetError("the target is not empty (rows in \(occupied.joined(separator: ", "))); "
                                           + "pass --replace to delete them (in the same transaction) and copy")
                    }
                    try await writer.deleteAll(order.reversed().map { aligned[$0.name]! })
                    progress("deleted the target's rows in \(occupied.count) tables")
                }
                var summaries: [TableSummary] = []
                var epoch: String?
                for table in order {
                    let destination = aligned[table.name]!
                    var fingerprint = Fingerprint(columns: table.columns, kinds: kinds[table.name] ?? [:])
                    let selfReferencing = table.references.contains { $0.table == table.name }
                    var held: [[DataValue]] = []
                    var key: [DataValue]?
                    while true {
                        let rows = try await reader.rows(of: table, after: key, limit: batch)
                        for row in rows { fingerprint.add(row) }
                        if table.name == "store_meta" { epoch = epoch ?? metaValue("epoch", in: rows, table: table) }
                        // Rows that refer to rows of their own table wait until all are read.
                        if selfReferencing { held += rows } else { try await writer.insert(rows, into: destination) }
                        guard rows.count == batch, !table.primaryKey.isEmpty, let last = rows.last else { break }
                        key = keyValues(of: last, in: table)
                    }
                    if selfReferencing {
                        let ordered = parentsFirst(held, in: table)
                        for start in stride(from: 0, to: ordered.count, by: batch) {
                            try await writer.insert(Array(ordered[start..<min(start + batch, ordered.count)]), into: destination)
                        }
                    }
                    let summary = fingerprint.summary(table.name)
                    summaries.append(summary)
                    progress("\(table.name): \(summary.rows) rows")
                }
                try await writer.adjustCounters(order.map { aligned[$0.name]! }, to: counters)

                // Verify before committing: read everything back through the transaction.
                let copied = try await fingerprints(of: targetTables, through: writer, kinds: kinds, batch: batch)
                let differences = compare(summaries, copied)
                guard differences.isEmpty else {
                    throw DataSetError("verification failed, nothing was committed: " + differences.joined(separator: "; "))
                }
                var targetEpoch = epoch
                if options.newEpoch {
                    let fresh = UUID().uuidString.lowercased()
                    try await writer.setMeta("epoch", to: fresh)
                    targetEpoch = fresh
                }
                return Outcome(tables: summaries, sourceEpoch: epoch, targetEpoch: targetEpoch)
            }
        }
        return Report(source: "\(source.backend) \(source.location)", target: "\(target.backend) \(target.location)",
                      migratedTarget: migrated, tables: outcome.tables, sourceEpoch: outcome.sourceEpoch,
                      targetEpoch: outcome.targetEpoch, seconds: Date().timeIntervalSince(started))
    }

    private struct Outcome: Sendable {
        let tables: [TableSummary]
        let sourceEpoch: String?
        let targetEpoch: String?
    }

    // MARK: Compare

    /// Row counts and digests of both data sets, each read in one snapshot, and the differences
    /// (empty when equal). Digests are computed with the same column kinds on both sides.
    public static func compare(_ first: any DataSetEndpoint, _ second: any DataSetEndpoint) async throws
        -> (first: [TableSummary], second: [TableSummary], differences: [String]) {
        let firstTables = try await first.tables()
        let secondTables = try await second.tables()
        let kinds = digestKinds(first.backend == "PostgreSQL" ? firstTables : second.backend == "PostgreSQL" ? secondTables : firstTables)
        let a = try await first.withSnapshot { reader in try await fingerprints(of: firstTables, through: reader, kinds: kinds, batch: 1000) }
        let b = try await second.withSnapshot { reader in try await fingerprints(of: secondTables, through: reader, kinds: kinds, batch: 1000) }
        return (a, b, compare(a, b))
    }

    static func compare(_ expected: [TableSummary], _ actual: [TableSummary]) -> [String] {
        let byName = Dictionary(actual.map { ($0.table, $0) }, uniquingKeysWith: { first, _ in first })
        var differences: [String] = []
        for summary in expected {
            guard let other = byName[summary.table] else {
                differences.append("\(summary.table): missing")
                continue
            }
            if other.rows != summary.rows {
                differences.append("\(summary.table): \(summary.rows) rows, then \(other.rows)")
            } else if other.digest != summary.digest {
                differences.append("\(summary.table): same \(summary.rows) rows but different content")
            }
        }
        let known = Set(expected.map(\.table))
        for summary in actual where !known.contains(summary.table) { differences.append("\(summary.table): only on one side") }
        return differences
    }

    static func fingerprints(of tables: [DataTable], through reader: any DataSetReader, kinds: [String: [String: ColumnKind]],
                             batch: Int) async throws -> [TableSummary] {
        var summaries: [TableSummary] = []
        for table in tables.sorted(by: { $0.name < $1.name }) {
            var fingerprint = Fingerprint(columns: table.columns, kinds: kinds[table.name] ?? [:])
            var key: [DataValue]?
            while true {
                let rows = try await reader.rows(of: table, after: key, limit: batch)
                for row in rows { fingerprint.add(row) }
                guard rows.count == batch, !table.primaryKey.isEmpty, let last = rows.last else { break }
                key = keyValues(of: last, in: table)
            }
            summaries.append(fingerprint.summary(table.name))
        }
        return summaries
    }

    // MARK: Schema

    static func requireCurrent(_ version: SchemaVersion, of endpoint: any DataSetEndpoint, hint: String) throws {
        if !version.unknown.isEmpty {
            throw DataSetError("\(endpoint.backend) \(endpoint.location) has migrations this build does not know "
                               + "(\(version.unknown.joined(separator: ", "))); use the Roundtable version that wrote it")
        }
        if !version.pending.isEmpty {
            throw DataSetError("\(endpoint.backend) \(endpoint.location) lacks migrations \(version.pending.joined(separator: ", ")): \(hint)")
        }
    }

    /// The target's description of each source table, with its columns in the source's order
    /// (rows travel in that order). Both sides must have the same tables and column names.
    static func align(_ source: [DataTable], to target: [DataTable]) throws -> [String: DataTable] {
        var problems: [String] = []
        let targetByName = Dictionary(target.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        let sourceNames = Set(source.map(\.name))
        for table in target where !sourceNames.contains(table.name) { problems.append("table \(table.name) only in the target") }
        var aligned: [String: DataTable] = [:]
        for table in source {
            guard let other = targetByName[table.name] else {
                problems.append("table \(table.name) only in the source")
                continue
            }
            let missing = table.columns.filter { other.column($0.name) == nil }.map(\.name)
            let extra = other.columns.filter { table.column($0.name) == nil }.map(\.name)
            if !missing.isEmpty { problems.append("\(table.name): columns \(missing.joined(separator: ", ")) only in the source") }
            if !extra.isEmpty { problems.append("\(table.name): columns \(extra.joined(separator: ", ")) only in the target") }
            aligned[table.name] = DataTable(name: other.name, columns: table.columns.compactMap { other.column($0.name) },
                                            primaryKey: other.primaryKey, references: other.references)
        }
        guard problems.isEmpty else {
            throw DataSetError("the two schemas differ although both are at the current migration: " + problems.joined(separator: "; "))
        }
        return aligned
    }

    /// Referenced tables before the tables that refer to them; ties by name. A cycle between
    /// tables (none exists today) is broken at the alphabetically first table and left to the
    /// target's deferred constraint checks.
    static func dependencyOrder(_ tables: [DataTable]) -> [DataTable] {
        let names = Set(tables.map(\.name))
        var remaining = tables.sorted { $0.name < $1.name }
        var placed = Set<String>()
        var ordered: [DataTable] = []
        while !remaining.isEmpty {
            var ready = remaining.filter { table in
                table.references.allSatisfy { $0.table == table.name || placed.contains($0.table) || !names.contains($0.table) }
            }
            if ready.isEmpty { ready = [remaining[0]] }
            for table in ready {
                ordered.append(table)
                placed.insert(table.name)
            }
            remaining.removeAll { placed.contains($0.name) }
        }
        return ordered
    }

    /// Orders rows of a table that refers to itself so that every row comes after the row it
    /// refers to (rows in a cycle, which only deferred constraints admit, go last).
    static func parentsFirst(_ rows: [[DataValue]], in table: DataTable) -> [[DataValue]] {
        let links = table.references.filter { $0.table == table.name }.map { reference in
            (from: reference.columns.compactMap { name in table.columns.firstIndex { $0.name == name } },
             to: reference.referencedColumns.compactMap { name in table.columns.firstIndex { $0.name == name } })
        }
        guard !links.isEmpty else { return rows }
        let present = links.map { link in Set(rows.map { row in link.to.map { row[$0] } }) }
        var placed = links.map { _ in Set<[DataValue]>() }
        var pending = rows
        var ordered: [[DataValue]] = []
        while !pending.isEmpty {
            var next: [[DataValue]] = []
            for row in pending {
                let ready = links.indices.allSatisfy { index in
                    let value = links[index].from.map { row[$0] }
                    return value.contains(.null) || !present[index].contains(value) || placed[index].contains(value)
                }
                if ready {
                    ordered.append(row)
                    for index in links.indices { placed[index].insert(links[index].to.map { row[$0] }) }
                } else {
                    next.append(row)
                }
            }
            if next.count == pending.count { return ordered + next }
            pending = next
        }
        return ordered
    }

    static func keyValues(of row: [DataValue], in table: DataTable) -> [DataValue] {
        table.primaryKey.compactMap { name in table.columns.firstIndex { $0.name == name }.map { row[$0] } }
    }

    static func metaValue(_ key: String, in rows: [[DataValue]], table: DataTable) -> String? {
        guard let keyIndex = table.columns.firstIndex(where: { $0.name == "key" }),
              let valueIndex = table.columns.firstIndex(where: { $0.name == "value" }) else { return nil }
        for row in rows where row[keyIndex] == .text(key) {
            if case .text(let value) = row[valueIndex] { return value }
        }
        return nil
    }

    /// Column kinds used by both sides' digests: PostgreSQL's when one side is PostgreSQL (its
    /// types say what SQLite's TEXT and INTEGER columns hold: a date, a flag, JSON).
    static func digestKinds(_ tables: [DataTable]) -> [String: [String: ColumnKind]] {
        Dictionary(tables.map { table in (table.name, Dictionary(table.columns.map { ($0.name, $0.kind) }, uniquingKeysWith: { a, _ in a })) },
                   uniquingKeysWith: { a, _ in a })
    }
}

/// A content digest of one table that does not depend on the backend: each row becomes a
/// canonical text (columns by name; each value written by its column's kind: integers and
/// flags as decimal integers, reals in Swift's shortest round-trip form, JSON re-serialized with
/// sorted keys, bytes in hex, text length-prefixed); each row text gets a 128-bit hash (`rowHash`);
/// the row hashes are sorted (so row order does not matter) and the sorted list is hashed with
/// SHA-256. The row hash is not cryptographic (nobody chooses rows to collide here); the table
/// digest is, and it is what is printed and compared.
struct Fingerprint {
    private let order: [(index: Int, name: String, kind: ColumnKind)]
    private var rowHashes: [RowHash] = []

    init(columns: [DataColumn], kinds: [String: ColumnKind]) {
        order = columns.enumerated()
            .map { (index: $0.offset, name: $0.element.name, kind: kinds[$0.element.name] ?? $0.element.kind) }
            .sorted { $0.name < $1.name }
    }

    mutating func add(_ row: [DataValue]) {
        var text = ""
        for column in order {
            text += column.name
            text += "="
            text += Self.canonical(row[column.index], kind: column.kind)
            text += ";"
        }
        rowHashes.append(RowHash(text))
    }

    func summary(_ table: String) -> DataCopy.TableSummary {
        let list = rowHashes.sorted().map(\.hex).joined(separator: "\n")
        return DataCopy.TableSummary(table: table, rows: rowHashes.count, digest: SHA256TokenDigest().digest(list))
    }

    static func canonical(_ value: DataValue, kind: ColumnKind) -> String {
        if value == .null { return "n" }
        switch kind {
        case .integer, .boolean:
            if let integer = integer(value) { return "i\(integer)" }
        case .real:
            if let real = real(value) { return "r\(real)" }
        case .json:
            if case .text(let text) = value, let json = canonicalJSON(text) { return "j\(json.utf8.count):\(json)" }
        case .text, .date, .blob, .other:
            break
        }
        switch value {
        case .null: return "n"
        case .integer(let integer): return "i\(integer)"
        case .real(let real): return "r\(real)"
        case .text(let text): return "t\(text.utf8.count):\(text)"
        case .blob(let bytes): return "b" + bytes.map { String(UInt16($0) + 0x100, radix: 16).dropFirst() }.joined()
        }
    }

    static func integer(_ value: DataValue) -> Int64? {
        switch value {
        case .integer(let integer): integer
        case .real(let real): real.rounded() == real && abs(real) < 9.2e18 ? Int64(real) : nil
        case .text(let text): Int64(text)
        default: nil
        }
    }

    static func real(_ value: DataValue) -> Double? {
        switch value {
        case .integer(let integer): Double(integer)
        case .real(let real): real
        case .text(let text): Double(text)
        default: nil
        }
    }

    static func canonicalJSON(_ text: String) -> String? {
        guard let object = try? JSONSerialization.jsonObject(with: Data(text.utf8), options: [.fragmentsAllowed]),
              let data = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .fragmentsAllowed, .withoutEscapingSlashes])
        else { return nil }
        return String(decoding: data, as: UTF8.self)
    }
}

/// 128 bits over a row's canonical text: two independent 64-bit lanes (FNV-1a, and a
/// multiply-rotate lane with another constant), each finished with a 64-bit mixer so that every
/// input bit reaches every output bit.
struct RowHash: Comparable {
    let high: UInt64
    let low: UInt64

    init(_ text: String) {
        var a: UInt64 = 0xCBF2_9CE4_8422_2325
        var b: UInt64 = 0x9E37_79B9_7F4A_7C15
        for byte in text.utf8 {
            a = (a ^ UInt64(byte)) &* 0x0000_0100_0000_01B3
            b = ((b &+ UInt64(byte)) &* 0xBF58_476D_1CE4_E5B9)
            b = (b << 27) | (b >> 37)
        }
        let length = UInt64(text.utf8.count)
        high = Self.mix(a ^ length)
        low = Self.mix(b &+ length)
    }

    static func mix(_ value: UInt64) -> UInt64 {
        var x = value
        x = (x ^ (x >> 30)) &* 0xBF58_476D_1CE4_E5B9
        x = (x ^ (x >> 27)) &* 0x94D0_49BB_1331_11EB
        return x ^ (x >> 31)
    }

    static func < (lhs: RowHash, rhs: RowHash) -> Bool { (lhs.high, lhs.low) < (rhs.high, rhs.low) }

    var hex: String {
        let h = String(high, radix: 16), l = String(low, radix: 16)
        return String(repeating: "0", count: 16 - h.count) + h + String(repeating: "0", count: 16 - l.count) + l
    }
}
