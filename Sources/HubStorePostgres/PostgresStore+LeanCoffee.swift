import Foundation
import HubCore
import HubServices
import Logging
import PostgresNIO

// The Lean Coffee component on PostgreSQL: the same tables, statements and refusals as
// `SQLiteStore+LeanCoffee.swift`. Decisions read the board `FOR UPDATE` inside the write
// transaction, so two requests on one board (one participant's double click among them) are
// decided one after the other, each on the other's result.
extension PostgresStore {
    static let leanCoffeeMigrations: [(version: String, statements: [String])] = [
        ("boards-1-lean-coffee", [
            """
            CREATE TABLE lc_board (
                id text PRIMARY KEY,
                workspace_id text REFERENCES workspace (id),
                phase text NOT NULL,
                created_ms bigint NOT NULL,
                version integer NOT NULL CHECK (version >= 1),
                doc text NOT NULL
            )
            """,
            "CREATE INDEX lc_board_workspace ON lc_board (workspace_id)",
            """
            CREATE TABLE lc_topic (
                id text PRIMARY KEY,
                board_id text NOT NULL REFERENCES lc_board (id) ON DELETE CASCADE,
                created_ms bigint NOT NULL,
                doc text NOT NULL
            )
            """,
            "CREATE INDEX lc_topic_board ON lc_topic (board_id)",
            """
            CREATE TABLE lc_dot (
                id text PRIMARY KEY,
                board_id text NOT NULL REFERENCES lc_board (id) ON DELETE CASCADE,
                topic_id text NOT NULL REFERENCES lc_topic (id) ON DELETE CASCADE,
                participant text NOT NULL,
                key text NOT NULL,
                withdraw_key text,
                placed_ms bigint NOT NULL,
                doc text NOT NULL,
                CONSTRAINT lc_dot_board_id_participant_key_key UNIQUE (board_id, participant, key),
                CONSTRAINT lc_dot_board_id_participant_withdraw_key_key UNIQUE (board_id, participant, withdraw_key)
            )
            """,
            """
            CREATE TABLE lc_ballot (
                board_id text NOT NULL REFERENCES lc_board (id) ON DELETE CASCADE,
                topic_id text NOT NULL REFERENCES lc_topic (id) ON DELETE CASCADE,
                timebox integer NOT NULL,
                participant text NOT NULL,
                doc text NOT NULL,
                PRIMARY KEY (board_id, topic_id, timebox, participant)
            )
            """,
            """
            CREATE TABLE lc_takeaway (
                id text PRIMARY KEY,
                board_id text NOT NULL REFERENCES lc_board (id) ON DELETE CASCADE,
                topic_id text NOT NULL REFERENCES lc_topic (id) ON DELETE CASCADE,
                created_ms bigint NOT NULL,
                doc text NOT NULL
            )
            """,
            "CREATE INDEX lc_takeaway_board ON lc_takeaway (board_id)",
            """
            CREATE TABLE board_guest (
                id text PRIMARY KEY,
                scope text NOT NULL,
                token_hash text NOT NULL UNIQUE,
                display_name text NOT NULL,
                joined_ms bigint NOT NULL
            )
            """,
            "CREATE INDEX board_guest_scope ON board_guest (scope)",
        ]),
    ]

    static func apply(_ write: LeanCoffeeWrite, on db: PostgresConnection, _ logger: Logger) async throws {
        func touched(_ query: PostgresQuery) async throws -> Int { try await db.rows(query, logger).count }

        switch write {
        case .insertBoard(let b):
            try await db.rows("""
                INSERT INTO lc_board (id, workspace_id, phase, created_ms, version, doc)
                VALUES (\(b.id.description), \(b.workspaceID?.description), \(b.phase.rawValue), \(b.createdAt.millis), \(b.version),
                        \(BoardRecordCoding.encode(b)))
                """, logger)
        case .updateBoard(let b):
            let n = try await touched("""
                UPDATE lc_board SET phase = \(b.phase.rawValue), version = \(b.version), doc = \(BoardRecordCoding.encode(b))
                WHERE id = \(b.id.description) AND version = \(b.version - 1) RETURNING 1
                """)
            guard n == 1 else { throw StoreError.conflict }
        case .record(.topic(let t)):
            try await db.rows("""
                INSERT INTO lc_topic (id, board_id, created_ms, doc)
                VALUES (\(t.id.description), \(t.boardID.description), \(t.createdAt.millis), \(BoardRecordCoding.encode(t)))
                ON CONFLICT (id) DO UPDATE SET doc = excluded.doc
                """, logger)
        case .record(.dot(let d)):
            try await db.rows("""
                INSERT INTO lc_dot (id, board_id, topic_id, participant, key, withdraw_key, placed_ms, doc)
                VALUES (\(d.id.description), \(d.boardID.description), \(d.topicID.description), \(d.participant.description), \(d.key.value),
                        \(d.withdrawKey?.value), \(d.placedAt.millis), \(BoardRecordCoding.encode(d)))
                ON CONFLICT (id) DO UPDATE SET withdraw_key = excluded.withdraw_key, doc = excluded.doc
                """, logger)
        case .record(.ballot(let b)):
            try await db.rows("""
                INSERT INTO lc_ballot (board_id, topic_id, timebox, participant, doc)
                VALUES (\(b.boardID.description), \(b.topicID.description), \(b.timebox), \(b.participant.description), \(BoardRecordCoding.encode(b)))
                ON CONFLICT (board_id, topic_id, timebox, participant) DO UPDATE SET doc = excluded.doc
                """, logger)
        case .record(.takeaway(let t)):
            try await db.rows("""
                INSERT INTO lc_takeaway (id, board_id, topic_id, created_ms, doc)
                VALUES (\(t.id.description), \(t.boardID.description), \(t.topicID.description), \(t.createdAt.millis), \(BoardRecordCoding.encode(t)))
                ON CONFLICT (id) DO UPDATE SET doc = excluded.doc
                """, logger)
        case .record(.takeawayDeleted(let id)):
            try await db.rows("DELETE FROM lc_takeaway WHERE id = \(id.description)", logger)
        case .record(.guest(let g)):
            let n = try await touched("""
                UPDATE board_guest SET display_name = \(g.displayName) WHERE id = \(g.id.description) AND scope = \(g.scope.uuidString.lowercased())
                RETURNING 1
                """)
            guard n == 1 else { throw StoreError.missingReference("guest") }
        case .insertGuest(let g, let hash):
            try await db.rows("""
                INSERT INTO board_guest (id, scope, token_hash, display_name, joined_ms)
                VALUES (\(g.id.description), \(g.scope.uuidString.lowercased()), \(hash), \(g.displayName), \(g.joinedAt.millis))
                """, logger)
        case .deleteBoard(let id):
            let n = try await touched("DELETE FROM lc_board WHERE id = \(id.description) RETURNING 1")
            guard n == 1 else { throw StoreError.missingReference("board") }
            try await db.rows("DELETE FROM board_guest WHERE scope = \(id.description)", logger)
        case .eraseGuests(let scope, let name):
            // The token hash becomes a value no token hashes to (unique per guest), so the token stops working.
            try await db.rows("""
                UPDATE board_guest SET display_name = \(name), token_hash = 'erased:' || id
                WHERE scope = \(scope.uuidString.lowercased()) AND token_hash NOT LIKE 'erased:%'
                """, logger)
        }
    }

    static func loadLeanCoffee(_ id: LeanCoffeeBoardID, lock: Bool, _ db: PostgresConnection, _ logger: Logger) async throws -> LeanCoffeeState? {
        let key = id.description
        let boardRows = lock
            ? try await db.rows("SELECT doc FROM lc_board WHERE id = \(key) FOR UPDATE", logger)
            : try await db.rows("SELECT doc FROM lc_board WHERE id = \(key)", logger)
        guard let doc = try boardRows.first?.decode(String.self) else { return nil }
        let board = try BoardRecordCoding.decode(LeanCoffeeBoard.self, doc)
        func docs<T: Decodable>(_ type: T.Type, _ rows: [PostgresRow]) throws -> [T] {
            try rows.map { try BoardRecordCoding.decode(type, try $0.decode(String.self)) }
        }
        let topics = try docs(LeanCoffeeTopic.self, try await db.rows(
            "SELECT doc FROM lc_topic WHERE board_id = \(key) ORDER BY created_ms, id COLLATE \"C\"", logger))
        let dots = try docs(LeanCoffeeDot.self, try await db.rows(
            "SELECT doc FROM lc_dot WHERE board_id = \(key) ORDER BY placed_ms, id COLLATE \"C\"", logger))
        let ballots = try docs(ContinueBallot.self, try await db.rows(
            "SELECT doc FROM lc_ballot WHERE board_id = \(key) ORDER BY topic_id COLLATE \"C\", timebox, participant COLLATE \"C\"", logger))
        let takeaways = try docs(LeanCoffeeTakeaway.self, try await db.rows(
            "SELECT doc FROM lc_takeaway WHERE board_id = \(key) ORDER BY created_ms, id COLLATE \"C\"", logger))
        let guests = try await db.rows(
            "SELECT id, scope, display_name, joined_ms FROM board_guest WHERE scope = \(key) ORDER BY joined_ms, id COLLATE \"C\"", logger)
            .compactMap(guest)
        return LeanCoffeeState(board: board, content: LeanCoffeeContent(topics: topics, dots: dots, ballots: ballots, takeaways: takeaways,
                                                                        guests: guests))
    }

    static func guest(_ row: PostgresRow) throws -> BoardGuest? {
        let (id, scope, name, joined) = try row.decode((String, String, String, Int64).self)
        guard let guestID = GuestID(id), let uuid = UUID(uuidString: scope) else { return nil }
        return BoardGuest(id: guestID, scope: uuid, displayName: name, joinedAt: Date(millis: joined))
    }

    public func leanCoffeeBoard(_ id: LeanCoffeeBoardID) async throws -> LeanCoffeeBoard? {
        try await client.rows("SELECT doc FROM lc_board WHERE id = \(id.description)", logger).first
            .map { try BoardRecordCoding.decode(LeanCoffeeBoard.self, try $0.decode(String.self)) }
    }

    public func leanCoffeeSnapshot(_ id: LeanCoffeeBoardID) async throws -> Snapshot<LeanCoffeeState>? {
        let epoch = self.epoch
        return try await snapshot { [logger] db in
            let topic = Topic.leanCoffee(id).description
            let seq = try await Self.head(topic, db, logger)
            return try await Self.loadLeanCoffee(id, lock: false, db, logger).map {
                Snapshot(value: $0, cursor: Cursor(topic: topic, epoch: epoch, seq: seq))
            }
        }
    }

    public func leanCoffeeBoards(workspace: WorkspaceID?) async throws -> [LeanCoffeeBoard] {
        let rows = if let workspace {
            try await client.rows("SELECT doc FROM lc_board WHERE workspace_id = \(workspace.description) ORDER BY created_ms DESC, id COLLATE \"C\"", logger)
        } else {
            try await client.rows("SELECT doc FROM lc_board WHERE workspace_id IS NULL ORDER BY created_ms DESC, id COLLATE \"C\"", logger)
        }
        return try rows.map { try BoardRecordCoding.decode(LeanCoffeeBoard.self, try $0.decode(String.self)) }
    }

    public func boardGuest(tokenHash: String) async throws -> BoardGuest? {
        try await client.rows("SELECT id, scope, display_name, joined_ms FROM board_guest WHERE token_hash = \(tokenHash)", logger)
            .first.flatMap(Self.guest)
    }

    public func boardGuestScopes() async throws -> [UUID] {
        try await client.rows("SELECT DISTINCT scope FROM board_guest WHERE token_hash NOT LIKE 'erased:%' ORDER BY scope", logger)
            .compactMap { try? $0.decode(String.self) }.compactMap(UUID.init(uuidString:))
    }

    public func commitLeanCoffee(_ id: LeanCoffeeBoardID,
                                 _ decide: @escaping @Sendable (LeanCoffeeState?) throws -> ChangeSet) async throws -> [StoredEvent] {
        try await commit { [logger] db in
            try decide(try await Self.loadLeanCoffee(id, lock: true, db, logger))
        }
    }
}
