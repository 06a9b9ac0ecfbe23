import Foundation
import HubCore
import HubServices
import Logging
import PostgresNIO

// The meetings component on PostgreSQL: the same tables, statements and refusals as
// `SQLiteStore+Meetings.swift`. Documents are JSON text (the wire form).
extension PostgresStore {
    static let meetingMigrations: [(version: String, statements: [String])] = [
        ("meetings-1", [
            """
            CREATE TABLE meeting_template (
                id text NOT NULL,
                version integer NOT NULL CHECK (version >= 1),
                name text NOT NULL,
                content text NOT NULL,
                created_by text NOT NULL REFERENCES app_user (id),
                created_ms bigint NOT NULL,
                PRIMARY KEY (id, version)
            )
            """,
            """
            CREATE TABLE meeting (
                id text PRIMARY KEY,
                workspace_id text NOT NULL REFERENCES workspace (id),
                series_id text,
                status text NOT NULL,
                start_at text NOT NULL,
                doc text NOT NULL,
                version integer NOT NULL CHECK (version >= 1),
                updated_ms bigint NOT NULL
            )
            """,
            "CREATE INDEX meeting_workspace ON meeting (workspace_id, start_at)",
            "CREATE INDEX meeting_status ON meeting (status)",
            """
            CREATE TABLE meeting_series (
                id text PRIMARY KEY,
                workspace_id text NOT NULL REFERENCES workspace (id),
                doc text NOT NULL,
                version integer NOT NULL CHECK (version >= 1),
                updated_ms bigint NOT NULL
            )
            """,
            "CREATE INDEX meeting_series_workspace ON meeting_series (workspace_id)",
            """
            CREATE TABLE meeting_agenda (
                meeting_id text PRIMARY KEY REFERENCES meeting (id),
                doc text NOT NULL,
                version integer NOT NULL CHECK (version >= 1),
                updated_ms bigint NOT NULL
            )
            """,
            """
            CREATE TABLE meeting_minutes (
                meeting_id text PRIMARY KEY REFERENCES meeting (id),
                workspace_id text NOT NULL REFERENCES workspace (id),
                stage text NOT NULL,
                doc text NOT NULL,
                revision integer NOT NULL CHECK (revision >= 1),
                updated_ms bigint NOT NULL
            )
            """,
            "CREATE INDEX meeting_minutes_workspace ON meeting_minutes (workspace_id)",
            "CREATE INDEX meeting_minutes_stage ON meeting_minutes (stage)",
            """
            CREATE TABLE meeting_rsvp (
                target text NOT NULL,
                invitee text NOT NULL,
                response text NOT NULL CHECK (response IN ('accepted', 'tentative', 'declined')),
                at_ms bigint NOT NULL,
                PRIMARY KEY (target, invitee)
            )
            """,
            """
            CREATE TABLE calendar_feed (
                workspace_id text PRIMARY KEY REFERENCES workspace (id),
                secret_hash text NOT NULL UNIQUE,
                created_ms bigint NOT NULL
            )
            """,
            """
            CREATE TABLE mail_outbox (
                id text PRIMARY KEY,
                created_ms bigint NOT NULL,
                recipient text NOT NULL,
                subject text NOT NULL,
                body text NOT NULL,
                calendar text,
                calendar_method text,
                attempts integer NOT NULL DEFAULT 0,
                sent_ms bigint,
                last_error text
            )
            """,
            "CREATE INDEX mail_outbox_pending ON mail_outbox (sent_ms, created_ms)",
        ]),
    ] + meetingDeletionMigrations

    static func document<T: Encodable>(_ value: T) -> String { WireJSON.string(value) }

    static func decode<T: Decodable>(_ type: T.Type, _ text: String) throws -> T {
        try WireJSON.decoder().decode(T.self, from: Data(text.utf8))
    }

    static func apply(_ change: MeetingStoreChange, on db: PostgresConnection, _ logger: Logger) async throws {
        func touched(_ query: PostgresQuery) async throws -> Int { try await db.rows(query, logger).count }

        switch change {
        case .insertTemplate(let t):
            // Serialises revisions of one template: the next version must follow the latest.
            let latest = try await db.rows("SELECT coalesce(max(version), 0)::integer FROM meeting_template WHERE id = \(t.id.description)", logger)
                .first?.decode(Int.self) ?? 0
            guard latest == t.version - 1 else { throw StoreError.conflict }
            let n = try await touched("""
                INSERT INTO meeting_template (id, version, name, content, created_by, created_ms)
                VALUES (\(t.id.description), \(t.version), \(t.content.name), \(document(t)), \(t.createdBy.description), \(t.createdAt.millis))
                ON CONFLICT DO NOTHING RETURNING 1
                """)
            guard n == 1 else { throw StoreError.conflict }
        case .insertMeeting(let m):
            try await db.rows("""
                INSERT INTO meeting (id, workspace_id, series_id, status, start_at, doc, version, updated_ms)
                VALUES (\(m.id.description), \(m.workspaceID.description), \(m.series?.seriesID.description), \(m.status.rawValue),
                        \(m.start.description), \(document(m)), \(m.version), \(m.updatedAt.millis))
                """, logger)
        case .updateMeeting(let m, let expected):
            let n = try await touched("""
                UPDATE meeting SET status = \(m.status.rawValue), start_at = \(m.start.description), doc = \(document(m)), version = \(m.version),
                       updated_ms = \(m.updatedAt.millis)
                WHERE id = \(m.id.description) AND version = \(expected) RETURNING 1
                """)
            guard n == 1 else { throw StoreError.conflict }
        case .insertSeries(let s):
            try await db.rows("""
                INSERT INTO meeting_series (id, workspace_id, doc, version, updated_ms)
                VALUES (\(s.id.description), \(s.workspaceID.description), \(document(s)), \(s.version), \(s.updatedAt.millis))
                """, logger)
        case .updateSeries(let s, let expected):
            let n = try await touched("""
                UPDATE meeting_series SET doc = \(document(s)), version = \(s.version), updated_ms = \(s.updatedAt.millis)
                WHERE id = \(s.id.description) AND version = \(expected) RETURNING 1
                """)
            guard n == 1 else { throw StoreError.conflict }
        case .insertAgenda(let a):
            try await db.rows("""
                INSERT INTO meeting_agenda (meeting_id, doc, version, updated_ms)
                VALUES (\(a.meetingID.description), \(document(a)), \(a.version), \(a.updatedAt.millis))
                """, logger)
        case .updateAgenda(let a, let expected):
            let n = try await touched("""
                UPDATE meeting_agenda SET doc = \(document(a)), version = \(a.version), updated_ms = \(a.updatedAt.millis)
                WHERE meeting_id = \(a.meetingID.description) AND version = \(expected) RETURNING 1
                """)
            guard n == 1 else { throw StoreError.conflict }
        case .insertMinutes(let m):
            try await db.rows("""
                INSERT INTO meeting_minutes (meeting_id, workspace_id, stage, doc, revision, updated_ms)
                VALUES (\(m.meetingID.description), \(m.workspaceID.description), \(m.approval.stage.rawValue), \(document(m)), 1, \(m.updatedAt.millis))
                """, logger)
        case .updateMinutes(let m, let revision):
            let n = try await touched("""
                UPDATE meeting_minutes SET stage = \(m.approval.stage.rawValue), doc = \(document(m)), revision = \(revision),
                       updated_ms = \(m.updatedAt.millis)
                WHERE meeting_id = \(m.meetingID.description) AND revision = \(revision - 1) RETURNING 1
                """)
            guard n == 1 else { throw StoreError.conflict }
        case .putRSVP(let r):
            try await db.rows("""
                INSERT INTO meeting_rsvp (target, invitee, response, at_ms)
                VALUES (\(r.target.storageKey), \(r.invitee.description), \(r.response.rawValue), \(r.at.millis))
                ON CONFLICT (target, invitee) DO UPDATE SET response = excluded.response, at_ms = excluded.at_ms
                """, logger)
        case .deleteRSVPs(let target):
            try await db.rows("DELETE FROM meeting_rsvp WHERE target = \(target.storageKey)", logger)
        case .setFeedSecret(let workspace, let hash, let at):
            try await db.rows("""
                INSERT INTO calendar_feed (workspace_id, secret_hash, created_ms) VALUES (\(workspace.description), \(hash), \(at.millis))
                ON CONFLICT (workspace_id) DO UPDATE SET secret_hash = excluded.secret_hash, created_ms = excluded.created_ms
                """, logger)
        case .enqueueMail(let m):
            try await db.rows("""
                INSERT INTO mail_outbox (id, created_ms, recipient, subject, body, calendar, calendar_method, attempts)
                VALUES (\(m.id), \(m.createdAt.millis), \(m.recipient), \(m.subject), \(m.text), \(m.calendar), \(m.calendarMethod), 0)
                """, logger)
        case .markMailSent(let id, let at):
            let n = try await touched("""
                UPDATE mail_outbox SET sent_ms = \(at.millis), attempts = attempts + 1, last_error = NULL, last_attempt_ms = \(at.millis)
                WHERE id = \(id) AND sent_ms IS NULL RETURNING 1
                """)
            guard n == 1 else { throw StoreError.conflict }
        case .markMailFailed(let id, let error, let at):
            try await db.rows("""
                UPDATE mail_outbox SET attempts = attempts + 1, last_error = \(String(error.prefix(500))), last_attempt_ms = \(at.millis)
                WHERE id = \(id) AND sent_ms IS NULL
                """, logger)
        case .deleteMeeting(let id, let expected, let tombstone):
            try await applyMeetingDeletion(id, expectedVersion: expected, tombstone: tombstone, on: db, logger)
        case .purgeMail(let before, let maxAttempts):
            try await db.rows("""
                DELETE FROM mail_outbox
                WHERE (sent_ms IS NOT NULL AND sent_ms < \(before.millis))
                   OR (sent_ms IS NULL AND attempts >= \(maxAttempts) AND coalesce(last_attempt_ms, created_ms) < \(before.millis))
                """, logger)
        }
    }

    // MARK: Reads

    private func docs<T: Decodable>(_ type: T.Type, _ query: PostgresQuery) async throws -> [T] {
        try await client.rows(query, logger).map { try Self.decode(T.self, try $0.decode(String.self)) }
    }

    public func meetingTemplates() async throws -> [MeetingTemplate] {
        try await docs(MeetingTemplate.self, """
            SELECT t.content FROM meeting_template t
            WHERE t.version = (SELECT max(version) FROM meeting_template u WHERE u.id = t.id)
            ORDER BY t.name COLLATE "C", t.id COLLATE "C"
            """)
    }

    public func meetingTemplate(_ id: MeetingTemplateID, version: Int?) async throws -> MeetingTemplate? {
        if let version {
            return try await docs(MeetingTemplate.self, "SELECT content FROM meeting_template WHERE id = \(id.description) AND version = \(version)").first
        }
        return try await docs(MeetingTemplate.self, "SELECT content FROM meeting_template WHERE id = \(id.description) ORDER BY version DESC LIMIT 1").first
    }

    public func meetingTemplateVersions(_ id: MeetingTemplateID) async throws -> [MeetingTemplate] {
        try await docs(MeetingTemplate.self, "SELECT content FROM meeting_template WHERE id = \(id.description) ORDER BY version")
    }

    public func meetings(in workspace: WorkspaceID) async throws -> [Meeting] {
        try await docs(Meeting.self, "SELECT doc FROM meeting WHERE workspace_id = \(workspace.description) ORDER BY start_at COLLATE \"C\", id COLLATE \"C\"")
    }

    public func meeting(_ id: MeetingID) async throws -> Meeting? {
        try await docs(Meeting.self, "SELECT doc FROM meeting WHERE id = \(id.description)").first
    }

    public func meetings(status: Set<MeetingStatus>) async throws -> [Meeting] {
        let states = status.map(\.rawValue).sorted()
        guard !states.isEmpty else { return [] }
        return try await docs(Meeting.self, "SELECT doc FROM meeting WHERE status = ANY(\(states)) ORDER BY start_at COLLATE \"C\", id COLLATE \"C\"")
    }

    public func meetingSeries(in workspace: WorkspaceID) async throws -> [MeetingSeries] {
        try await docs(MeetingSeries.self, "SELECT doc FROM meeting_series WHERE workspace_id = \(workspace.description) ORDER BY id COLLATE \"C\"")
    }

    public func meetingSeries(_ id: MeetingSeriesID) async throws -> MeetingSeries? {
        try await docs(MeetingSeries.self, "SELECT doc FROM meeting_series WHERE id = \(id.description)").first
    }

    public func agenda(of meeting: MeetingID) async throws -> Agenda? {
        try await docs(Agenda.self, "SELECT doc FROM meeting_agenda WHERE meeting_id = \(meeting.description)").first
    }

    private func storedMinutes(_ query: PostgresQuery) async throws -> [StoredMinutes] {
        try await client.rows(query, logger).map { row in
            let (doc, revision) = try row.decode((String, Int).self)
            return StoredMinutes(minutes: try Self.decode(Minutes.self, doc), revision: revision)
        }
    }

    public func minutes(of meeting: MeetingID) async throws -> StoredMinutes? {
        try await storedMinutes("SELECT doc, revision FROM meeting_minutes WHERE meeting_id = \(meeting.description)").first
    }

    public func minutes(in workspace: WorkspaceID) async throws -> [StoredMinutes] {
        try await storedMinutes("SELECT doc, revision FROM meeting_minutes WHERE workspace_id = \(workspace.description) ORDER BY meeting_id COLLATE \"C\"")
    }

    public func circulatedMinutes() async throws -> [StoredMinutes] {
        try await storedMinutes("SELECT doc, revision FROM meeting_minutes WHERE stage = \(MinutesStage.circulated.rawValue) ORDER BY meeting_id COLLATE \"C\"")
    }

    public func rsvps(_ target: CalendarTarget) async throws -> [RSVP] {
        try await client.rows("""
            SELECT invitee, response, at_ms FROM meeting_rsvp WHERE target = \(target.storageKey) ORDER BY at_ms, invitee COLLATE "C"
            """, logger).compactMap { row in
            let (invitee, response, at) = try row.decode((String, String, Int64).self)
            guard let key = InviteeKey(key: invitee), let r = RSVPResponse(rawValue: response) else { return nil }
            return RSVP(target: target, invitee: key, response: r, at: Date(millis: at))
        }
    }

    public func feedWorkspace(secretHash: String) async throws -> WorkspaceID? {
        try await client.rows("SELECT workspace_id FROM calendar_feed WHERE secret_hash = \(secretHash)", logger).first
            .flatMap { WorkspaceID(try $0.decode(String.self)) }
    }

    public func hasFeedSecret(_ workspace: WorkspaceID) async throws -> Bool {
        try await !client.rows("SELECT 1 FROM calendar_feed WHERE workspace_id = \(workspace.description)", logger).isEmpty
    }

    public func pendingMail(limit: Int) async throws -> [QueuedMail] {
        try await client.rows("""
            SELECT id, created_ms, recipient, subject, body, calendar, calendar_method, attempts, sent_ms, last_error
            FROM mail_outbox WHERE sent_ms IS NULL ORDER BY created_ms, id COLLATE "C" LIMIT \(limit)
            """, logger).map { row in
            let (id, created, recipient, subject, body, calendar, method, attempts, sent, error) =
                try row.decode((String, Int64, String, String, String, String?, String?, Int, Int64?, String?).self)
            return QueuedMail(id: id, createdAt: Date(millis: created), recipient: recipient, subject: subject, text: body, calendar: calendar,
                              calendarMethod: method, attempts: attempts, sentAt: sent.map(Date.init(millis:)), lastError: error)
        }
    }
}
