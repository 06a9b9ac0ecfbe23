import Foundation
import GRDB
import HubCore
import HubServices

// The barcamp component: the barcamp record (rooms, slots, grid), sessions, interest marks
// (a set keyed by session and participant) and session notes, as JSON documents next to their
// key columns. Guests share `board_guest` with Lean Coffee (scoped by the barcamp's id).
extension SQLiteStore {
    static func registerBarcampMigrations(_ migrator: inout DatabaseMigrator) {
        migrator.registerMigration("boards-2-barcamp") { db in
            try db.execute(sql: """
                CREATE TABLE bc_barcamp (
                    id TEXT PRIMARY KEY NOT NULL,
                    workspace_id TEXT REFERENCES workspace(id),
                    status TEXT NOT NULL,
                    created_ms INTEGER NOT NULL,
                    version INTEGER NOT NULL CHECK (version >= 1),
                    doc TEXT NOT NULL CHECK (json_valid(doc))
                );
                CREATE INDEX bc_barcamp_workspace ON bc_barcamp(workspace_id);
                CREATE TABLE bc_session (
                    id TEXT PRIMARY KEY NOT NULL,
                    barcamp_id TEXT NOT NULL REFERENCES bc_barcamp(id) ON DELETE CASCADE,
                    created_ms INTEGER NOT NULL,
                    doc TEXT NOT NULL CHECK (json_valid(doc))
                );
                CREATE INDEX bc_session_barcamp ON bc_session(barcamp_id);
                CREATE TABLE bc_mark (
                    barcamp_id TEXT NOT NULL REFERENCES bc_barcamp(id) ON DELETE CASCADE,
                    session_id TEXT NOT NULL REFERENCES bc_session(id) ON DELETE CASCADE,
                    participant TEXT NOT NULL,
                    at_ms INTEGER NOT NULL,
                    PRIMARY KEY (session_id, participant)
                );
                CREATE INDEX bc_mark_barcamp ON bc_mark(barcamp_id);
                CREATE TABLE bc_notes (
                    session_id TEXT PRIMARY KEY NOT NULL REFERENCES bc_session(id) ON DELETE CASCADE,
                    barcamp_id TEXT NOT NULL REFERENCES bc_barcamp(id) ON DELETE CASCADE,
                    doc TEXT NOT NULL CHECK (json_valid(doc))
                );
                """)
        }
    }

    static func apply(_ write: BarcampWrite, in db: Database) throws {
        switch write {
        case .insertBarcamp(let b):
            try db.execute(sql: "INSERT INTO bc_barcamp(id, workspace_id, status, created_ms, version, doc) VALUES (?, ?, ?, ?, ?, ?)",
                           arguments: [b.id.description, b.workspaceID?.description, b.status.rawValue, b.createdAt.millis, b.version,
                                       BoardRecordCoding.encode(b)])
        case .updateBarcamp(let b):
            try db.execute(sql: "UPDATE bc_barcamp SET status = ?, version = ?, doc = ? WHERE id = ? AND version = ?",
                           arguments: [b.status.rawValue, b.version, BoardRecordCoding.encode(b), b.id.description, b.version - 1])
            guard db.changesCount == 1 else { throw StoreError.conflict }
        case .record(.session(let s)):
            try db.execute(sql: """
                INSERT INTO bc_session(id, barcamp_id, created_ms, doc) VALUES (?, ?, ?, ?)
                ON CONFLICT(id) DO UPDATE SET doc = excluded.doc
                """, arguments: [s.id.description, s.barcampID.description, s.createdAt.millis, BoardRecordCoding.encode(s)])
        case .record(.markAdded(let m)):
            try db.execute(sql: "INSERT INTO bc_mark(barcamp_id, session_id, participant, at_ms) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING",
                           arguments: [m.barcampID.description, m.sessionID.description, m.participant.description, m.at.millis])
        case .record(.markRemoved(let m)):
            try db.execute(sql: "DELETE FROM bc_mark WHERE session_id = ? AND participant = ?",
                           arguments: [m.sessionID.description, m.participant.description])
        case .record(.notes(let n)):
            try db.execute(sql: """
                INSERT INTO bc_notes(session_id, barcamp_id, doc) VALUES (?, ?, ?)
                ON CONFLICT(session_id) DO UPDATE SET doc = excluded.doc
                """, arguments: [n.sessionID.description, n.barcampID.description, BoardRecordCoding.encode(n)])
        case .record(.guest(let g)):
            try db.execute(sql: "UPDATE board_guest SET display_name = ? WHERE id = ? AND scope = ?",
                           arguments: [g.displayName, g.id.description, g.scope.uuidString.lowercased()])
            guard db.changesCount == 1 else { throw StoreError.missingReference("guest") }
        case .insertGuest(let g, let hash):
            try apply(LeanCoffeeWrite.insertGuest(g, tokenHash: hash), in: db)
        case .deleteBarcamp(let id):
            // Sessions, marks and notes follow by their foreign keys; guests are kept by scope.
            try db.execute(sql: "DELETE FROM bc_barcamp WHERE id = ?", arguments: [id.description])
            guard db.changesCount == 1 else { throw StoreError.missingReference("barcamp") }
            try db.execute(sql: "DELETE FROM board_guest WHERE scope = ?", arguments: [id.description])
        }
    }

    static func loadBarcamp(_ id: BarcampID, _ db: Database) throws -> BarcampState? {
        guard let doc = try String.fetchOne(db, sql: "SELECT doc FROM bc_barcamp WHERE id = ?", arguments: [id.description]) else { return nil }
        func docs<T: Decodable>(_ type: T.Type, _ sql: String) throws -> [T] {
            try String.fetchAll(db, sql: sql, arguments: [id.description]).map { try BoardRecordCoding.decode(type, $0) }
        }
        let marks = try Row.fetchAll(db, sql: "SELECT session_id, participant, at_ms FROM bc_mark WHERE barcamp_id = ? ORDER BY session_id, participant",
                                     arguments: [id.description]).compactMap { row -> InterestMark? in
            guard let session = BarcampSessionID(row["session_id"] as String), let who = participant(row["participant"]) else { return nil }
            return InterestMark(barcampID: id, sessionID: session, participant: who, at: Date(millis: row["at_ms"]))
        }
        return BarcampState(
            barcamp: try BoardRecordCoding.decode(Barcamp.self, doc),
            sessions: try docs(BarcampSession.self, "SELECT doc FROM bc_session WHERE barcamp_id = ? ORDER BY created_ms, id"),
            marks: marks,
            notes: try docs(SessionNotes.self, "SELECT doc FROM bc_notes WHERE barcamp_id = ? ORDER BY session_id"),
            guests: try Row.fetchAll(db, sql: "SELECT id, scope, display_name, joined_ms FROM board_guest WHERE scope = ? ORDER BY joined_ms, id",
                                     arguments: [id.description]).compactMap(guest))
    }

    /// `user:<uuid>` / `guest:<uuid>` back to a participant.
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
        try await pool.read { db in
            try String.fetchOne(db, sql: "SELECT doc FROM bc_barcamp WHERE id = ?", arguments: [id.description])
                .map { try BoardRecordCoding.decode(Barcamp.self, $0) }
        }
    }

    public func barcampSnapshot(_ id: BarcampID) async throws -> Snapshot<BarcampState>? {
        let epoch = self.epoch
        return try await pool.read { db in
            let topic = Topic.barcamp(id).description
            let seq = try Self.head(topic, db)
            return try Self.loadBarcamp(id, db).map { Snapshot(value: $0, cursor: Cursor(topic: topic, epoch: epoch, seq: seq)) }
        }
    }

    public func barcamps(workspace: WorkspaceID?) async throws -> [Barcamp] {
        try await pool.read { db in
            let sql = workspace == nil
                ? "SELECT doc FROM bc_barcamp WHERE workspace_id IS NULL ORDER BY created_ms DESC, id"
                : "SELECT doc FROM bc_barcamp WHERE workspace_id = ? ORDER BY created_ms DESC, id"
            return try String.fetchAll(db, sql: sql, arguments: StatementArguments(workspace.map { [$0.description] } ?? []))
                .map { try BoardRecordCoding.decode(Barcamp.self, $0) }
        }
    }

    public func commitBarcamp(_ id: BarcampID, _ decide: @escaping @Sendable (BarcampState?) throws -> ChangeSet) async throws -> [StoredEvent] {
        try await commit { db in try decide(try Self.loadBarcamp(id, db)) }
    }
}
