import Foundation
import HubCore
import HubServices
import Logging
import PostgresNIO

// Deleting meetings on PostgreSQL: the same table and refusals as `SQLiteStore+MeetingDeletion.swift`.
extension PostgresStore {
    static let meetingDeletionMigrations: [(version: String, statements: [String])] = [
        ("meetings-tombstone-1", [
            """
            CREATE TABLE meeting_tombstone (
                meeting_id text PRIMARY KEY,
                workspace_id text NOT NULL REFERENCES workspace (id),
                start_at text NOT NULL,
                deleted_ms bigint NOT NULL,
                doc text NOT NULL
            )
            """,
        ]),
        // The time of the last try, so mail given up on is purged a retention period after it.
        ("meetings-outbox-1", ["ALTER TABLE mail_outbox ADD COLUMN last_attempt_ms bigint"]),
    ]

    static func applyMeetingDeletion(_ id: MeetingID, expectedVersion: Int, tombstone: MeetingTombstone?, on db: PostgresConnection,
                                     _ logger: Logger) async throws {
        // Lock the row first: a racing edit or second deletion waits, then sees the new version.
        let current = try await db.rows("SELECT version FROM meeting WHERE id = \(id.description) FOR UPDATE", logger).first?.decode(Int.self)
        guard current == expectedVersion else { throw StoreError.conflict }
        try await db.rows("DELETE FROM meeting_rsvp WHERE target = \(CalendarTarget.meeting(id).storageKey)", logger)
        try await db.rows("DELETE FROM meeting_minutes WHERE meeting_id = \(id.description)", logger)
        try await db.rows("DELETE FROM meeting_agenda WHERE meeting_id = \(id.description)", logger)
        let n = try await db.rows("DELETE FROM meeting WHERE id = \(id.description) AND version = \(expectedVersion) RETURNING 1", logger).count
        guard n == 1 else { throw StoreError.conflict }
        if let t = tombstone {
            try await db.rows("""
                INSERT INTO meeting_tombstone (meeting_id, workspace_id, start_at, deleted_ms, doc)
                VALUES (\(t.meetingID.description), \(t.workspaceID.description), \(t.start.description), \(t.deletedAt.millis), \(document(t)))
                """, logger)
        }
    }

    public func outboxMail(_ id: String) async throws -> QueuedMail? {
        try await client.rows("""
            SELECT id, created_ms, recipient, subject, body, calendar, calendar_method, attempts, sent_ms, last_error
            FROM mail_outbox WHERE id = \(id)
            """, logger).first.map { row in
            let (id, created, recipient, subject, body, calendar, method, attempts, sent, error) =
                try row.decode((String, Int64, String, String, String, String?, String?, Int, Int64?, String?).self)
            return QueuedMail(id: id, createdAt: Date(millis: created), recipient: recipient, subject: subject, text: body, calendar: calendar,
                              calendarMethod: method, attempts: attempts, sentAt: sent.map(Date.init(millis:)), lastError: error)
        }
    }

    public func meetingTombstones() async throws -> [MeetingTombstone] {
        try await client.rows("SELECT doc FROM meeting_tombstone ORDER BY start_at COLLATE \"C\", meeting_id COLLATE \"C\"", logger)
            .map { try Self.decode(MeetingTombstone.self, try $0.decode(String.self)) }
    }

    public func meetingTombstone(_ id: MeetingID) async throws -> MeetingTombstone? {
        try await client.rows("SELECT doc FROM meeting_tombstone WHERE meeting_id = \(id.description)", logger).first
            .map { try Self.decode(MeetingTombstone.self, try $0.decode(String.self)) }
    }
}
