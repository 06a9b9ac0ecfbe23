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

    public func meetingTombstones() async throws -> [MeetingTombstone] {
        try await client.rows("SELECT doc FROM meeting_tombstone ORDER BY start_at COLLATE \"C\", meeting_id COLLATE \"C\"", logger)
            .map { try Self.decode(MeetingTombstone.self, try $0.decode(String.self)) }
    }

    public func meetingTombstone(_ id: MeetingID) async throws -> MeetingTombstone? {
        try await client.rows("SELECT doc FROM meeting_tombstone WHERE meeting_id = \(id.description)", logger).first
            .map { try Self.decode(MeetingTombstone.self, try $0.decode(String.self)) }
    }
}
