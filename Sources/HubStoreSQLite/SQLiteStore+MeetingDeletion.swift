import Foundation
import GRDB
import HubCore
import HubServices

// Deleting meetings: the meeting with its agenda, minutes and answers goes; a tombstone stays
// for the meetings OParl listed (`deleted: true`).
extension SQLiteStore {
    static func registerMeetingDeletionMigrations(_ migrator: inout DatabaseMigrator) {
        migrator.registerMigration("meetings-tombstone-1") { db in
            try db.execute(sql: """
                CREATE TABLE meeting_tombstone (
                    meeting_id TEXT PRIMARY KEY NOT NULL,
                    workspace_id TEXT NOT NULL REFERENCES workspace(id),
                    start_at TEXT NOT NULL,
                    deleted_ms INTEGER NOT NULL,
                    doc TEXT NOT NULL CHECK (json_valid(doc))
                );
                """)
        }
        // The time of the last try, so mail given up on is purged a retention period after it.
        migrator.registerMigration("meetings-outbox-1") { db in
            try db.execute(sql: "ALTER TABLE mail_outbox ADD COLUMN last_attempt_ms INTEGER")
        }
    }

    static func applyMailPurge(before: Date, maxAttempts: Int, in db: Database) throws {
        try db.execute(sql: """
            DELETE FROM mail_outbox
            WHERE (sent_ms IS NOT NULL AND sent_ms < ?)
               OR (sent_ms IS NULL AND attempts >= ? AND coalesce(last_attempt_ms, created_ms) < ?)
            """, arguments: [before.millis, maxAttempts, before.millis])
    }

    public func outboxMail(_ id: String) async throws -> QueuedMail? {
        try await pool.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM mail_outbox WHERE id = ?", arguments: [id]).map { row in
                QueuedMail(id: row["id"], createdAt: Date(millis: row["created_ms"]), recipient: row["recipient"], subject: row["subject"],
                           text: row["body"], calendar: row["calendar"], calendarMethod: row["calendar_method"], attempts: row["attempts"],
                           sentAt: (row["sent_ms"] as Int64?).map { Date(millis: $0) }, lastError: row["last_error"])
            }
        }
    }

    static func applyMeetingDeletion(_ id: MeetingID, expectedVersion: Int, tombstone: MeetingTombstone?, in db: Database) throws {
        let current = try Int.fetchOne(db, sql: "SELECT version FROM meeting WHERE id = ?", arguments: [id.description])
        guard current == expectedVersion else { throw StoreError.conflict }
        try db.execute(sql: "DELETE FROM meeting_rsvp WHERE target = ?", arguments: [CalendarTarget.meeting(id).storageKey])
        try db.execute(sql: "DELETE FROM meeting_minutes WHERE meeting_id = ?", arguments: [id.description])
        try db.execute(sql: "DELETE FROM meeting_agenda WHERE meeting_id = ?", arguments: [id.description])
        try db.execute(sql: "DELETE FROM meeting WHERE id = ? AND version = ?", arguments: [id.description, expectedVersion])
        guard db.changesCount == 1 else { throw StoreError.conflict }
        if let t = tombstone {
            try db.execute(sql: "INSERT INTO meeting_tombstone(meeting_id, workspace_id, start_at, deleted_ms, doc) VALUES (?, ?, ?, ?, ?)",
                           arguments: [t.meetingID.description, t.workspaceID.description, t.start.description, t.deletedAt.millis, document(t)])
        }
    }

    public func meetingTombstones() async throws -> [MeetingTombstone] {
        try await pool.read { db in
            try String.fetchAll(db, sql: "SELECT doc FROM meeting_tombstone ORDER BY start_at, meeting_id").map { try Self.decode(MeetingTombstone.self, $0) }
        }
    }

    public func meetingTombstone(_ id: MeetingID) async throws -> MeetingTombstone? {
        try await pool.read { db in
            try String.fetchOne(db, sql: "SELECT doc FROM meeting_tombstone WHERE meeting_id = ?", arguments: [id.description])
                .map { try Self.decode(MeetingTombstone.self, $0) }
        }
    }
}
