import Foundation
import HubCore
import HubServices
import Logging
import PostgresNIO

// The barcamp component on PostgreSQL: the same tables, statements and refusals as
// `SQLiteStore+Barcamp.swift`; decisions lock the barcamp row `FOR UPDATE`.
extension PostgresStore {
    static let barcampMigrations: [(version: String, statements: [String])] = [
        ("boards-2-barcamp", [
            """
            CREATE TABLE bc_barcamp (
                id text PRIMARY KEY,
                workspace_id text REFERENCES workspace (id),
                status text NOT NULL,
                created_ms bigint NOT NULL,
                version integer NOT NULL CHECK (version >= 1),
                doc text NOT NULL
            )
            """,
            "CREATE INDEX bc_barcamp_workspace ON bc_barcamp (workspace_id)",
            """
            CREATE TABLE bc_session (
                id text PRIMARY KEY,
                barcamp_id text NOT NULL REFERENCES bc_barcamp (id) ON DELETE CASCADE,
                created_ms bigint NOT NULL,
                doc text NOT NULL
            )
            """,
            "CREATE INDEX bc_session_barcamp ON bc_session (barcamp_id)",
            """
            CREATE TABLE bc_mark (
                barcamp_id text NOT NULL REFERENCES bc_barcamp (id) ON DELETE CASCADE,
                session_id text NOT NULL REFERENCES bc_session (id) ON DELETE CASCADE,
                participant text NOT NULL,
                at_ms bigint NOT NULL,
                PRIMARY KEY (session_id, participant)
            )
            """,
            "CREATE INDEX bc_mark_barcamp ON bc_mark (barcamp_id)",
            """
            CREATE TABLE bc_notes (
                session_id text PRIMARY KEY REFERENCES bc_session (id) ON DELETE CASCADE,
                barcamp_id text NOT NULL REFERENCES bc_barcamp (id) ON DELETE CASCADE,
                doc text NOT NULL
            )
            """,
        ]),
    ]

    static func apply(_ write: BarcampWrite, on db: PostgresConnection, _ logger: Logger) async throws {
        switch write {
        case .insertBarcamp(let b):
            try await db.rows("""
                INSERT INTO bc_barcamp (id, workspace_id, status, created_ms, version, doc)
                VALUES (\(b.id.description), \(b.workspaceID?.description), \(b.status.rawValue), \(b.createdAt.millis), \(b.version),
                        \(BoardRecordCoding.encode(b)))
                """, logger)
        case .updateBarcamp(let b):
            let n = try await db.rows("""
                UPDATE bc_barcamp SET status = \(b.status.rawValue), version = \(b.version), doc = \(BoardRecordCoding.encode(b))
                WHERE id = \(b.id.description) AND version = \(b.version - 1) RETURNING 1
                """, logger).count
            guard n == 1 else { throw StoreError.conflict }
        case .record(.session(let s)):
            try await db.rows("""
                INSERT INTO bc_session (id, barcamp_id, created_ms, doc)
                VALUES (\(s.id.description), \(s.barcampID.description), \(s.createdAt.millis), \(BoardRecordCoding.encode(s)))
                ON CONFLICT (id) DO UPDATE SET doc = excluded.doc
                """, logger)
        case .record(.markAdded(let m)):
            try await db.rows("""
                INSERT INTO bc_mark (barcamp_id, session_id, participant, at_ms)
                VALUES (\(m.barcampID.description), \(m.sessionID.description), \(m.participant.description), \(m.at.millis))
                ON CONFLICT DO NOTHING
                """, logger)
        case .record(.markRemoved(let m)):
            try await db.rows("DELETE FROM bc_mark WHERE session_id = \(m.sessionID.description) AND participant = \(m.participant.description)", logger)
        case .record(.notes(let n)):
            try await db.rows("""
                INSERT INTO bc_notes (session_id, barcamp_id, doc) VALUES (\(n.sessionID.description), \(n.barcampID.description), \(BoardRecordCoding.encode(n)))
                ON CONFLICT (session_id) DO UPDATE SET doc = excluded.doc
                """, logger)
        case .record(.guest(let g)):
            try await apply(LeanCoffeeWrite.record(.guest(g)), on: db, logger)
        case .insertGuest(let g, let hash):
            try await apply(LeanCoffeeWrite.insertGuest(g, tokenHash: hash), on: db, logger)
        case .deleteBarcamp(let id):
            // Sessions, marks and notes follow by their foreign keys; guests are kept by scope.
            let n = try await db.rows("DELETE FROM bc_barcamp WHERE id = \(id.description) RETURNING 1", logger).count
            guard n == 1 else { throw StoreError.missingReference("barcamp") }
            try await db.rows("DELETE FROM board_guest WHERE scope = \(id.description)", logger)
        }
    }

    static func loadBarcamp(_ id: BarcampID, lock: Bool, _ db: PostgresConnection, _ logger: Logger) async throws -> BarcampState? {
        let key = id.description
        let rows = lock
            ? try await db.rows("SELECT doc FROM bc_barcamp WHERE id = \(key) FOR UPDATE", logger)
            : try await db.rows("SELECT doc FROM bc_barcamp WHERE id = \(key)", logger)
        guard let doc = try rows.first?.decode(String.self) else { return nil }
        func docs<T: Decodable>(_ type: T.Type, _ rows: [PostgresRow]) throws -> [T] {
            try rows.map { try BoardRecordCoding.decode(type, try $0.decode(String.self)) }
        }
        let sessions = try docs(BarcampSession.self, try await db.rows(
            "SELECT doc FROM bc_session WHERE barcamp_id = \(key) ORDER BY created_ms, id COLLATE \"C\"", logger))
        let marks = try await db.rows(
            "SELECT session_id, participant, at_ms FROM bc_mark WHERE barcamp_id = \(key) ORDER BY session_id COLLATE \"C\", participant COLLATE \"C\"", logger)
            .compactMap { row -> InterestMark? in
                let (session, who, at) = try row.decode((String, String, Int64).self)
                guard let sessionID = BarcampSessionID(session), let participant = participant(who) else { return nil }
                return InterestMark(barcampID: id, sessionID: sessionID, participant: participant, at: Date(millis: at))
            }
        let notes = try docs(SessionNotes.self, try await db.rows(
            "SELECT doc FROM bc_notes WHERE barcamp_id = \(key) ORDER BY session_id COLLATE \"C\"", logger))
        let guests = try await db.rows(
            "SELECT id, scope, display_name, joined_ms FROM board_guest WHERE scope = \(key) ORDER BY joined_ms, id COLLATE \"C\"", logger)
            .compactMap(guest)
        return BarcampState(barcamp: try BoardRecordCoding.decode(Barcamp.self, doc), sessions: sessions, marks: marks, notes: notes, guests: guests)
    }

    static func participant(_ text: String) -> ParticipantRef? {
        let parts = text.split(separator: ":", maxSplits: 1).map(String.init)
        guard parts.count == 2 else { return nil }
        switch parts[0] {
        case "user": return UserID(parts[1]).map(ParticipantRef.user)
        case "guest": return GuestID(parts[1]).map(ParticipantRef.guest)
        default: return nil
        }
    }

    public func barcamp(_ id: BarcampID) async throws -> Barcamp? {
        try await client.rows("SELECT doc FROM bc_barcamp WHERE id = \(id.description)", logger).first
            .map { try BoardRecordCoding.decode(Barcamp.self, try $0.decode(String.self)) }
    }

    public func barcampSnapshot(_ id: BarcampID) async throws -> Snapshot<BarcampState>? {
        let epoch = self.epoch
        return try await snapshot { [logger] db in
            let topic = Topic.barcamp(id).description
            let seq = try await Self.head(topic, db, logger)
            return try await Self.loadBarcamp(id, lock: false, db, logger).map { Snapshot(value: $0, cursor: Cursor(topic: topic, epoch: epoch, seq: seq)) }
        }
    }

    public func barcamps(workspace: WorkspaceID?) async throws -> [Barcamp] {
        let rows = if let workspace {
            try await client.rows("SELECT doc FROM bc_barcamp WHERE workspace_id = \(workspace.description) ORDER BY created_ms DESC, id COLLATE \"C\"", logger)
        } else {
            try await client.rows("SELECT doc FROM bc_barcamp WHERE workspace_id IS NULL ORDER BY created_ms DESC, id COLLATE \"C\"", logger)
        }
        return try rows.map { try BoardRecordCoding.decode(Barcamp.self, try $0.decode(String.self)) }
    }

    public func commitBarcamp(_ id: BarcampID, _ decide: @escaping @Sendable (BarcampState?) throws -> ChangeSet) async throws -> [StoredEvent] {
        try await commit { [logger] db in try decide(try await Self.loadBarcamp(id, lock: true, db, logger)) }
    }
}
