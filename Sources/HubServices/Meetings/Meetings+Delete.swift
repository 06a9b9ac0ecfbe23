import Foundation
import HubCore

extension Meetings {
    /// Deletes a meeting that has not been held (`MeetingRules.delete`): invitees of an invited
    /// meeting get a CANCEL (rendered into the outbox in the same transaction), and a meeting
    /// OParl listed leaves a tombstone. Returns whether a tombstone was kept.
    @discardableResult
    public func delete(_ id: MeetingID, expectedVersion: Int, by actor: Principal) async throws -> Bool {
        let c = try await MeetingContext.load(id, by: actor, store: store)
        let agenda = try await store.agenda(of: id)
        let deletion = try MeetingRules.delete(c.meeting, agenda: agenda, expectedVersion: expectedVersion, in: c.workspace, by: actor,
                                               now: deps.clock.now(), today: deps.today)
        try await commitWithMail([.meeting(.deleteMeeting(id, expectedVersion: c.meeting.version, tombstone: deletion.tombstone))],
                                 events: deletion.events, meeting: deletion.final, workspace: c.workspace)
        return deletion.tombstone != nil
    }

    /// Deletes sent mail older than the retention period (`mailRetentionDays`, default 30), and
    /// mail given up on whose last try is that old: the outbox holds recipients' addresses and
    /// their personal answer links. Part of the hourly maintenance.
    public func purgeMail() async throws {
        let cutoff = deps.clock.now().addingTimeInterval(-Double(settings.mailRetentionDays) * 86_400)
        try await deps.commit(ChangeSet(changes: [.meeting(.purgeMail(before: cutoff, maxAttempts: MeetingMailOutbox.maxAttempts))]))
    }
}
