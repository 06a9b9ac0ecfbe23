import Foundation
import GRDB
import HubCore
import HubServices

// The Lean Coffee component: boards and their records. Each record is kept as its JSON
// document (`doc`, dates in milliseconds) next to the columns the store keys, constrains or
// filters on: the dots' idempotency keys are unique per board and participant, ballots are
// keyed by (topic, timebox, participant), guest tokens are stored only as hashes.
extension SQLiteStore {
    static func registerLeanCoffeeMigrations(_ migrator: inout DatabaseMigrator) {
        migrator.registerMigration("boards-1-lean-coffee") { db in
            try db.execute(sql: """
                CREATE TABLE lc_board (
                    id TEXT PRIMARY KEY NOT NULL,
                    workspace_id TEXT REFERENCES workspace(id),
                    phase TEXT NOT NULL,
                    created_ms INTEGER NOT NULL,
                    version INTEGER NOT NULL CHECK (version >= 1),
                    doc TEXT NOT NULL CHECK (json_valid(doc))
                );
                CREATE INDEX lc_board_workspace ON lc_board(workspace_id);
                CREATE TABLE lc_topic (
                    id TEXT PRIMARY KEY NOT NULL,
                    board_id TEXT NOT NULL REFERENCES lc_board(id) ON DELETE CASCADE,
                    created_ms INTEGER NOT NULL,
                    doc TEXT NOT NULL CHECK (json_valid(doc))
                );
                CREATE INDEX lc_topic_board ON lc_topic(board_id);
                CREATE TABLE lc_dot (
                    id TEXT PRIMARY KEY NOT NULL,
                    board_id TEXT NOT NULL REFERENCES lc_board(id) ON DELETE CASCADE,
                    topic_id TEXT NOT NULL REFERENCES lc_topic(id) ON DELETE CASCADE,
                    participant TEXT NOT NULL,
                    key TEXT NOT NULL,
                    withdraw_key TEXT,
                    placed_ms INTEGER NOT NULL,
                    doc TEXT NOT NULL CHECK (json_valid(doc)),
                    UNIQUE (board_id, participant, key),
                    UNIQUE (board_id, participant, withdraw_key)
                );
                CREATE TABLE lc_ballot (
                    board_id TEXT NOT NULL REFERENCES lc_board(id) ON DELETE CASCADE,
                    topic_id TEXT NOT NULL REFERENCES lc_topic(id) ON DELETE CASCADE,
                    timebox INTEGER NOT NULL,
                    participant TEXT NOT NULL,
                    doc TEXT NOT NULL CHECK (json_valid(doc)),
                    PRIMARY KEY (board_id, topic_id, timebox, participant)
                );
                CREATE TABLE lc_takeaway (
                    id TEXT PRIMARY KEY NOT NULL,
                    board_id TEXT NOT NULL REFERENCES lc_board(id) ON DELETE CASCADE,
                    topic_id TEXT NOT NULL REFERENCES lc_topic(id) ON DELETE CASCADE,
                    created_ms INTEGER NOT NULL,
                    doc TEXT NOT NULL CHECK (json_valid(doc))
                );
                CREATE INDEX lc_takeaway_board ON lc_takeaway(board_id);
                CREATE TABLE board_guest (
                    id TEXT PRIMARY KEY NOT NULL,
                    scope TEXT NOT NULL,
                    token_hash TEXT NOT NULL UNIQUE,
                    display_name TEXT NOT NULL,
                    joined_ms INTEGER NOT NULL
                );
                CREATE INDEX board_guest_scope ON board_guest(scope);
                """)
        }
    }

    static func apply(_ write: LeanCoffeeWrite, in db: Database) throws {
        switch write {
        case .insertBoard(let b):
            try db.execute(sql: "INSERT INTO lc_board(id, workspace_id, phase, created_ms, version, doc) VALUES (?, ?, ?, ?, ?, ?)",
                           arguments: [b.id.description, b.workspaceID?.description, b.phase.rawValue, b.createdAt.millis, b.version,
                                       BoardRecordCoding.encode(b)])
        case .updateBoard(let b):
            try db.execute(sql: "UPDATE lc_board SET phase = ?, version = ?, doc = ? WHERE id = ? AND version = ?",
                           arguments: [b.phase.rawValue, b.version, BoardRecordCoding.encode(b), b.id.description, b.version - 1])
            guard db.changesCount == 1 else { throw StoreError.conflict }
        case .record(.topic(let t)):
            try db.execute(sql: """
                INSERT INTO lc_topic(id, board_id, created_ms, doc) VALUES (?, ?, ?, ?)
                ON CONFLICT(id) DO UPDATE SET doc = excluded.doc
                """, arguments: [t.id.description, t.boardID.description, t.createdAt.millis, BoardRecordCoding.encode(t)])
        case .record(.dot(let d)):
            try db.cachedStatement(sql: """
                INSERT INTO lc_dot(id, board_id, topic_id, participant, key, withdraw_key, placed_ms, doc) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT(id) DO UPDATE SET withdraw_key = excluded.withdraw_key, doc = excluded.doc
                """).execute(arguments: [d.id.description, d.boardID.description, d.topicID.description, d.participant.description, d.key.value,
                                 d.withdrawKey?.value, d.placedAt.millis, BoardRecordCoding.encode(d)])
        case .record(.ballot(let b)):
            try db.execute(sql: """
                INSERT INTO lc_ballot(board_id, topic_id, timebox, participant, doc) VALUES (?, ?, ?, ?, ?)
                ON CONFLICT(board_id, topic_id, timebox, participant) DO UPDATE SET doc = excluded.doc
                """, arguments: [b.boardID.description, b.topicID.description, b.timebox, b.participant.description, BoardRecordCoding.encode(b)])
        case .record(.takeaway(let t)):
            try db.execute(sql: """
                INSERT INTO lc_takeaway(id, board_id, topic_id, created_ms, doc) VALUES (?, ?, ?, ?, ?)
                ON CONFLICT(id) DO UPDATE SET doc = excluded.doc
                """, arguments: [t.id.description, t.boardID.description, t.topicID.description, t.createdAt.millis, BoardRecordCoding.encode(t)])
        case .record(.takeawayDeleted(let id)):
            try db.execute(sql: "DELETE FROM lc_takeaway WHERE id = ?", arguments: [id.description])
        case .record(.guest(let g)):
            // A rename; the row with the token hash was written when the guest joined.
            try db.execute(sql: "UPDATE board_guest SET display_name = ? WHERE id = ? AND scope = ?",
                           arguments: [g.displayName, g.id.description, g.scope.uuidString.lowercased()])
            guard db.changesCount == 1 else { throw StoreError.missingReference("guest") }
        case .insertGuest(let g, let hash):
            try db.execute(sql: "INSERT INTO board_guest(id, scope, token_hash, display_name, joined_ms) VALUES (?, ?, ?, ?, ?)",
                           arguments: [g.id.description, g.scope.uuidString.lowercased(), hash, g.displayName, g.joinedAt.millis])
        case .deleteBoard(let id):
            try db.execute(sql: "DELETE FROM lc_board WHERE id = ?", arguments: [id.description])
            guard db.changesCount == 1 else { throw StoreError.missingReference("board") }
            try db.execute(sql: "DELETE FROM board_guest WHERE scope = ?", arguments: [id.description])
        case .eraseGuests(let scope, let name):
            // The token hash becomes a value no token hashes to (unique per guest), so the token stops working.
            try db.execute(sql: """
                UPDATE board_guest SET display_name = ?, token_hash = 'erased:' || id
                WHERE scope = ? AND token_hash NOT LIKE 'erased:%'
                """, arguments: [name, scope.uuidString.lowercased()])
        }
    }

    static func loadLeanCoffee(_ id: LeanCoffeeBoardID, _ db: Database) throws -> LeanCoffeeState? {
        guard let doc = try String.fetchOne(db, sql: "SELECT doc FROM lc_board WHERE id = ?", arguments: [id.description]) else { return nil }
        let board = try BoardRecordCoding.decode(LeanCoffeeBoard.self, doc)
        func docs<T: Decodable>(_ type: T.Type, _ sql: String) throws -> [T] {
            try String.fetchAll(db, sql: sql, arguments: [id.description]).map { try BoardRecordCoding.decode(type, $0) }
        }
        let content = LeanCoffeeContent(
            topics: try docs(LeanCoffeeTopic.self, "SELECT doc FROM lc_topic WHERE board_id = ? ORDER BY created_ms, id"),
            dots: try docs(LeanCoffeeDot.self, "SELECT doc FROM lc_dot WHERE board_id = ? ORDER BY placed_ms, id"),
            ballots: try docs(ContinueBallot.self, "SELECT doc FROM lc_ballot WHERE board_id = ? ORDER BY topic_id, timebox, participant"),
            takeaways: try docs(LeanCoffeeTakeaway.self, "SELECT doc FROM lc_takeaway WHERE board_id = ? ORDER BY created_ms, id"),
            guests: try Row.fetchAll(db, sql: "SELECT id, scope, display_name, joined_ms FROM board_guest WHERE scope = ? ORDER BY joined_ms, id",
                                     arguments: [id.description]).compactMap(guest))
        return LeanCoffeeState(board: board, content: content)
    }

    static func guest(_ row: Row) -> BoardGuest? {
        guard let id = GuestID(row["id"] as String), let scope = UUID(uuidString: row["scope"]) else { return nil }
        return BoardGuest(id: id, scope: scope, displayName: row["display_name"], joinedAt: Date(millis: row["joined_ms"]))
    }

    public func leanCoffeeBoard(_ id: LeanCoffeeBoardID) async throws -> LeanCoffeeBoard? {
        try await pool.read { db in
            try String.fetchOne(db, sql: "SELECT doc FROM lc_board WHERE id = ?", arguments: [id.description])
                .map { try BoardRecordCoding.decode(LeanCoffeeBoard.self, $0) }
        }
    }

    public func leanCoffeeSnapshot(_ id: LeanCoffeeBoardID) async throws -> Snapshot<LeanCoffeeState>? {
        let epoch = self.epoch
        return try await pool.read { db in
            let topic = Topic.leanCoffee(id).description
            let seq = try Self.head(topic, db)
            return try Self.loadLeanCoffee(id, db).map { Snapshot(value: $0, cursor: Cursor(topic: topic, epoch: epoch, seq: seq)) }
        }
    }

    public func leanCoffeeBoards(workspace: WorkspaceID?) async throws -> [LeanCoffeeBoard] {
        try await pool.read { db in
            let sql = workspace == nil
                ? "SELECT doc FROM lc_board WHERE workspace_id IS NULL ORDER BY created_ms DESC, id"
                : "SELECT doc FROM lc_board WHERE workspace_id = ? ORDER BY created_ms DESC, id"
            return try String.fetchAll(db, sql: sql, arguments: StatementArguments(workspace.map { [$0.description] } ?? []))
                .map { try BoardRecordCoding.decode(LeanCoffeeBoard.self, $0) }
        }
    }

    public func boardGuest(tokenHash: String) async throws -> BoardGuest? {
        try await pool.read { db in
            try Row.fetchOne(db.cachedStatement(sql: "SELECT id, scope, display_name, joined_ms FROM board_guest WHERE token_hash = ?"),
                             arguments: [tokenHash]).flatMap(Self.guest)
        }
    }

    public func boardGuestScopes() async throws -> [UUID] {
        try await pool.read { db in
            try String.fetchAll(db, sql: "SELECT DISTINCT scope FROM board_guest WHERE token_hash NOT LIKE 'erased:%' ORDER BY scope")
                .compactMap(UUID.init(uuidString:))
        }
    }

    public func commitLeanCoffee(_ id: LeanCoffeeBoardID,
                                 _ decide: @escaping @Sendable (LeanCoffeeState?) throws -> ChangeSet) async throws -> [StoredEvent] {
        // SQLite has one writer: deciding inside the write transaction serializes every decision
        // on the board. The board comes from the writer's cache when it is there (a busy board
        // is not read and decoded again for every vote), else from the rows.
        try await commit { [leanCoffeeCache] db in
            var state = try leanCoffeeCache.take(id) ?? Self.loadLeanCoffee(id, db)
            let changeSet: ChangeSet
            do {
                changeSet = try decide(state)
            } catch {
                if let state { leanCoffeeCache.putBack(id, state) }
                throw error
            }
            if var next = state.take() {
                // In place: `state` let go of it, so the board's dots are not copied.
                var applied = true
                for case .leanCoffee(let write) in changeSet.changes where write.scope == id.uuid || write.scope == LeanCoffeeWrite.unknownScope {
                    applied = applied && write.apply(to: &next)
                }
                if applied { leanCoffeeCache.stage(id, next) }
            }
            return changeSet
        }
    }

    /// Boards whose state in the writer's cache differs from their rows (diagnostics; the
    /// cache's test expects none).
    public func leanCoffeeCacheMismatches() async throws -> [LeanCoffeeBoardID] {
        let cached = leanCoffeeCache.cached
        return try await pool.read { db in
            try cached.compactMap { id, state in
                guard let stored = try Self.loadLeanCoffee(id, db) else { return id }
                return LeanCoffeeCache.sameBoard(state, stored) ? nil : id
            }
        }
    }
}
