import Foundation
import GRDB
import HubCore
import HubServices

// The meetings component: templates (one row per version), meetings, series, agendas and
// minutes as JSON documents (their Codable wire form) with a version column for conditional
// updates, RSVP answers, calendar-feed secrets (hashed) and the mail outbox.
extension SQLiteStore {
    static func registerMeetingMigrations(_ migrator: inout DatabaseMigrator) {
        migrator.registerMigration("meetings-1") { db in
            try db.execute(sql: """
                CREATE TABLE meeting_template (
                    id TEXT NOT NULL,
                    version INTEGER NOT NULL CHECK (version >= 1),
                    name TEXT NOT NULL,
                    content TEXT NOT NULL CHECK (json_valid(content)),
                    created_by TEXT NOT NULL REFERENCES app_user(id),
                    created_ms INTEGER NOT NULL,
                    PRIMARY KEY (id, version)
                );
                CREATE TABLE meeting (
                    id TEXT PRIMARY KEY NOT NULL,
                    workspace_id TEXT NOT NULL REFERENCES workspace(id),
                    series_id TEXT,
                    status TEXT NOT NULL,
                    start_at TEXT NOT NULL,
                    doc TEXT NOT NULL CHECK (json_valid(doc)),
                    version INTEGER NOT NULL CHECK (version >= 1),
                    updated_ms INTEGER NOT NULL
                );
                CREATE INDEX meeting_workspace ON meeting(workspace_id, start_at);
                CREATE INDEX meeting_status ON meeting(status);
                CREATE TABLE meeting_series (
                    id TEXT PRIMARY KEY NOT NULL,
                    workspace_id TEXT NOT NULL REFERENCES workspace(id),
                    doc TEXT NOT NULL CHECK (json_valid(doc)),
                    version INTEGER NOT NULL CHECK (version >= 1),
                    updated_ms INTEGER NOT NULL
                );
                CREATE INDEX meeting_series_workspace ON meeting_series(workspace_id);
                CREATE TABLE meeting_agenda (
                    meeting_id TEXT PRIMARY KEY NOT NULL REFERENCES meeting(id),
                    doc TEXT NOT NULL CHECK (json_valid(doc)),
                    version INTEGER NOT NULL CHECK (version >= 1),
                    updated_ms INTEGER NOT NULL
                );
                CREATE TABLE meeting_minutes (
                    meeting_id TEXT PRIMARY KEY NOT NULL REFERENCES meeting(id),
                    workspace_id TEXT NOT NULL REFERENCES workspace(id),
                    stage TEXT NOT NULL,
                    doc TEXT NOT NULL CHECK (json_valid(doc)),
                    revision INTEGER NOT NULL CHECK (revision >= 1),
                    updated_ms INTEGER NOT NULL
                );
                CREATE INDEX meeting_minutes_workspace ON meeting_minutes(workspace_id);
                CREATE INDEX meeting_minutes_stage ON meeting_minutes(stage);
                CREATE TABLE meeting_rsvp (
                    target TEXT NOT NULL,
                    invitee TEXT NOT NULL,
                    response TEXT NOT NULL CHECK (response IN ('accepted', 'tentative', 'declined')),
                    at_ms INTEGER NOT NULL,
                    PRIMARY KEY (target, invitee)
                );
                CREATE TABLE calendar_feed (
                    workspace_id TEXT PRIMARY KEY NOT NULL REFERENCES workspace(id),
                    secret_hash TEXT NOT NULL UNIQUE,
                    created_ms INTEGER NOT NULL
                );
                CREATE TABLE mail_outbox (
                    id TEXT PRIMARY KEY NOT NULL,
                    created_ms INTEGER NOT NULL,
                    recipient TEXT NOT NULL,
                    subject TEXT NOT NULL,
                    body TEXT NOT NULL,
                    calendar TEXT,
                    calendar_method TEXT,
                    attempts INTEGER NOT NULL DEFAULT 0,
                    sent_ms INTEGER,
                    last_error TEXT
                );
                CREATE INDEX mail_outbox_pending ON mail_outbox(sent_ms, created_ms);
                """)
        }
        registerMeetingDeletionMigrations(&migrator)
    }

    static func document<T: Encodable>(_ value: T) -> String { WireJSON.string(value) }

    static func decode<T: Decodable>(_ type: T.Type, _ text: String) throws -> T {
        try WireJSON.decoder().decode(T.self, from: Data(text.utf8))
    }

    static func apply(_ change: MeetingStoreChange, in db: Database) throws {
        switch change {
        case .insertTemplate(let t):
            let exists = try Bool.fetchOne(db, sql: "SELECT 1 FROM meeting_template WHERE id = ? AND version = ?",
                                           arguments: [t.id.description, t.version]) ?? false
            guard !exists else { throw StoreError.conflict }
            if t.version > 1 {
                let latest = try Int.fetchOne(db, sql: "SELECT max(version) FROM meeting_template WHERE id = ?", arguments: [t.id.description])
                guard latest == t.version - 1 else { throw StoreError.conflict }
            }
            try db.execute(sql: "INSERT INTO meeting_template(id, version, name, content, created_by, created_ms) VALUES (?, ?, ?, ?, ?, ?)",
                           arguments: [t.id.description, t.version, t.content.name, document(t), t.createdBy.description, t.createdAt.millis])
        case .insertMeeting(let m):
            try db.execute(sql: """
                INSERT INTO meeting(id, workspace_id, series_id, status, start_at, doc, version, updated_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [m.id.description, m.workspaceID.description, m.series?.seriesID.description, m.status.rawValue,
                                 m.start.description, document(m), m.version, m.updatedAt.millis])
        case .updateMeeting(let m, let expected):
            try db.execute(sql: "UPDATE meeting SET status = ?, start_at = ?, doc = ?, version = ?, updated_ms = ? WHERE id = ? AND version = ?",
                           arguments: [m.status.rawValue, m.start.description, document(m), m.version, m.updatedAt.millis, m.id.description, expected])
            guard db.changesCount == 1 else { throw StoreError.conflict }
        case .insertSeries(let s):
            try db.execute(sql: "INSERT INTO meeting_series(id, workspace_id, doc, version, updated_ms) VALUES (?, ?, ?, ?, ?)",
                           arguments: [s.id.description, s.workspaceID.description, document(s), s.version, s.updatedAt.millis])
        case .updateSeries(let s, let expected):
            try db.execute(sql: "UPDATE meeting_series SET doc = ?, version = ?, updated_ms = ? WHERE id = ? AND version = ?",
                           arguments: [document(s), s.version, s.updatedAt.millis, s.id.description, expected])
            guard db.changesCount == 1 else { throw StoreError.conflict }
        case .insertAgenda(let a):
            try db.execute(sql: "INSERT INTO meeting_agenda(meeting_id, doc, version, updated_ms) VALUES (?, ?, ?, ?)",
                           arguments: [a.meetingID.description, document(a), a.version, a.updatedAt.millis])
        case .updateAgenda(let a, let expected):
            try db.execute(sql: "UPDATE meeting_agenda SET doc = ?, version = ?, updated_ms = ? WHERE meeting_id = ? AND version = ?",
                           arguments: [document(a), a.version, a.updatedAt.millis, a.meetingID.description, expected])
            guard db.changesCount == 1 else { throw StoreError.conflict }
        case .insertMinutes(let m):
            try db.execute(sql: "INSERT INTO meeting_minutes(meeting_id, workspace_id, stage, doc, revision, updated_ms) VALUES (?, ?, ?, ?, 1, ?)",
                           arguments: [m.meetingID.description, m.workspaceID.description, m.approval.stage.rawValue, document(m), m.updatedAt.millis])
        case .updateMinutes(let m, let revision):
            try db.execute(sql: "UPDATE meeting_minutes SET stage = ?, doc = ?, revision = ?, updated_ms = ? WHERE meeting_id = ? AND revision = ?",
                           arguments: [m.approval.stage.rawValue, document(m), revision, m.updatedAt.millis, m.meetingID.description, revision - 1])
            guard db.changesCount == 1 else { throw StoreError.conflict }
        case .putRSVP(let r):
            try db.execute(sql: """
                INSERT INTO meeting_rsvp(target, invitee, response, at_ms) VALUES (?, ?, ?, ?)
                ON CONFLICT(target, invitee) DO UPDATE SET response = excluded.response, at_ms = excluded.at_ms
                """, arguments: [r.target.storageKey, r.invitee.description, r.response.rawValue, r.at.millis])
        case .deleteRSVPs(let target):
            try db.execute(sql: "DELETE FROM meeting_rsvp WHERE target = ?", arguments: [target.storageKey])
        case .setFeedSecret(let workspace, let hash, let at):
            try db.execute(sql: """
                INSERT INTO calendar_feed(workspace_id, secret_hash, created_ms) VALUES (?, ?, ?)
                ON CONFLICT(workspace_id) DO UPDATE SET secret_hash = excluded.secret_hash, created_ms = excluded.created_ms
                """, arguments: [workspace.description, hash, at.millis])
        case .enqueueMail(let m):
            try db.execute(sql: """
                INSERT INTO mail_outbox(id, created_ms, recipient, subject, body, calendar, calendar_method, attempts) VALUES (?, ?, ?, ?, ?, ?, ?, 0)
                """, arguments: [m.id, m.createdAt.millis, m.recipient, m.subject, m.text, m.calendar, m.calendarMethod])
        case .markMailSent(let id, let at):
            try db.execute(sql: "UPDATE mail_outbox SET sent_ms = ?, attempts = attempts + 1, last_error = NULL, last_attempt_ms = ? WHERE id = ? AND sent_ms IS NULL",
                           arguments: [at.millis, at.millis, id])
            guard db.changesCount == 1 else { throw StoreError.conflict }
        case .markMailFailed(let id, let error, let at):
            try db.execute(sql: "UPDATE mail_outbox SET attempts = attempts + 1, last_error = ?, last_attempt_ms = ? WHERE id = ? AND sent_ms IS NULL",
                           arguments: [String(error.prefix(500)), at.millis, id])
        case .deleteMeeting(let id, let expected, let tombstone):
            try applyMeetingDeletion(id, expectedVersion: expected, tombstone: tombstone, in: db)
        case .purgeMail(let before, let maxAttempts):
            try applyMailPurge(before: before, maxAttempts: maxAttempts, in: db)
        }
    }

    // MARK: Reads

    public func meetingTemplates() async throws -> [MeetingTemplate] {
        try await pool.read { db in
            try String.fetchAll(db, sql: """
                SELECT t.content FROM meeting_template t
                WHERE t.version = (SELECT max(version) FROM meeting_template u WHERE u.id = t.id)
                ORDER BY t.name, t.id
                """).map { try Self.decode(MeetingTemplate.self, $0) }
        }
    }

    public func meetingTemplate(_ id: MeetingTemplateID, version: Int?) async throws -> MeetingTemplate? {
        try await pool.read { db in
            let text: String? = if let version {
                try String.fetchOne(db, sql: "SELECT content FROM meeting_template WHERE id = ? AND version = ?", arguments: [id.description, version])
            } else {
                try String.fetchOne(db, sql: "SELECT content FROM meeting_template WHERE id = ? ORDER BY version DESC LIMIT 1", arguments: [id.description])
            }
            return try text.map { try Self.decode(MeetingTemplate.self, $0) }
        }
    }

    public func meetingTemplateVersions(_ id: MeetingTemplateID) async throws -> [MeetingTemplate] {
        try await pool.read { db in
            try String.fetchAll(db, sql: "SELECT content FROM meeting_template WHERE id = ? ORDER BY version", arguments: [id.description])
                .map { try Self.decode(MeetingTemplate.self, $0) }
        }
    }

    public func meetings(in workspace: WorkspaceID) async throws -> [Meeting] {
        try await pool.read { db in
            try String.fetchAll(db, sql: "SELECT doc FROM meeting WHERE workspace_id = ? ORDER BY start_at, id", arguments: [workspace.description])
                .map { try Self.decode(Meeting.self, $0) }
        }
    }

    public func meeting(_ id: MeetingID) async throws -> Meeting? {
        try await pool.read { db in
            try String.fetchOne(db, sql: "SELECT doc FROM meeting WHERE id = ?", arguments: [id.description]).map { try Self.decode(Meeting.self, $0) }
        }
    }

    public func meetings(status: Set<MeetingStatus>) async throws -> [Meeting] {
        let states = status.map(\.rawValue).sorted()
        guard !states.isEmpty else { return [] }
        return try await pool.read { db in
            let marks = states.map { _ in "?" }.joined(separator: ", ")
            return try String.fetchAll(db, sql: "SELECT doc FROM meeting WHERE status IN (\(marks)) ORDER BY start_at, id",
                                       arguments: StatementArguments(states)).map { try Self.decode(Meeting.self, $0) }
        }
    }

    public func meetingSeries(in workspace: WorkspaceID) async throws -> [MeetingSeries] {
        try await pool.read { db in
            try String.fetchAll(db, sql: "SELECT doc FROM meeting_series WHERE workspace_id = ? ORDER BY id", arguments: [workspace.description])
                .map { try Self.decode(MeetingSeries.self, $0) }
        }
    }

    public func meetingSeries(_ id: MeetingSeriesID) async throws -> MeetingSeries? {
        try await pool.read { db in
            try String.fetchOne(db, sql: "SELECT doc FROM meeting_series WHERE id = ?", arguments: [id.description])
                .map { try Self.decode(MeetingSeries.self, $0) }
        }
    }

    public func agenda(of meeting: MeetingID) async throws -> Agenda? {
        try await pool.read { db in
            try String.fetchOne(db, sql: "SELECT doc FROM meeting_agenda WHERE meeting_id = ?", arguments: [meeting.description])
                .map { try Self.decode(Agenda.self, $0) }
        }
    }

    public func minutes(of meeting: MeetingID) async throws -> StoredMinutes? {
        try await pool.read { db in try Self.fetchMinutes(db, "WHERE meeting_id = ?", [meeting.description]).first }
    }

    public func minutes(in workspace: WorkspaceID) async throws -> [StoredMinutes] {
        try await pool.read { db in try Self.fetchMinutes(db, "WHERE workspace_id = ?", [workspace.description]) }
    }

    public func circulatedMinutes() async throws -> [StoredMinutes] {
        try await pool.read { db in try Self.fetchMinutes(db, "WHERE stage = ?", [MinutesStage.circulated.rawValue]) }
    }

    static func fetchMinutes(_ db: Database, _ clause: String, _ arguments: StatementArguments) throws -> [StoredMinutes] {
        try Row.fetchAll(db, sql: "SELECT doc, revision FROM meeting_minutes \(clause) ORDER BY meeting_id", arguments: arguments).map { row in
            StoredMinutes(minutes: try decode(Minutes.self, row["doc"]), revision: row["revision"])
        }
    }

    public func rsvps(_ target: CalendarTarget) async throws -> [RSVP] {
        try await pool.read { db in
            try Row.fetchAll(db, sql: "SELECT invitee, response, at_ms FROM meeting_rsvp WHERE target = ? ORDER BY at_ms, invitee",
                             arguments: [target.storageKey]).compactMap { row in
                guard let invitee = InviteeKey(key: row["invitee"]), let response = RSVPResponse(rawValue: row["response"]) else { return nil }
                return RSVP(target: target, invitee: invitee, response: response, at: Date(millis: row["at_ms"]))
            }
        }
    }

    public func feedWorkspace(secretHash: String) async throws -> WorkspaceID? {
        try await pool.read { db in
            try String.fetchOne(db, sql: "SELECT workspace_id FROM calendar_feed WHERE secret_hash = ?", arguments: [secretHash]).flatMap(WorkspaceID.init)
        }
    }

    public func hasFeedSecret(_ workspace: WorkspaceID) async throws -> Bool {
        try await pool.read { db in
            try Bool.fetchOne(db, sql: "SELECT 1 FROM calendar_feed WHERE workspace_id = ?", arguments: [workspace.description]) ?? false
        }
    }

    public func pendingMail(limit: Int) async throws -> [QueuedMail] {
        try await pool.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM mail_outbox WHERE sent_ms IS NULL ORDER BY created_ms, id LIMIT ?", arguments: [limit]).map { row in
                QueuedMail(id: row["id"], createdAt: Date(millis: row["created_ms"]), recipient: row["recipient"], subject: row["subject"],
                           text: row["body"], calendar: row["calendar"], calendarMethod: row["calendar_method"], attempts: row["attempts"],
                           sentAt: (row["sent_ms"] as Int64?).map { Date(millis: $0) }, lastError: row["last_error"])
            }
        }
    }
}
