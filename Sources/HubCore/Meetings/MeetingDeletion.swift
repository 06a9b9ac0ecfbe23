import Foundation

/// What is left of a deleted meeting that OParl had already listed: OParl 1.1 keeps deleted
/// objects with `id`, `type`, `deleted: true` and `modified`, so a client that synchronises
/// with `modified_since` learns that the meeting, its public agenda items and its invitation
/// file are gone. Nothing personal: no title, no invitees.
public struct MeetingTombstone: Sendable, Hashable, Codable {
    public let meetingID: MeetingID
    public let workspaceID: WorkspaceID
    /// Kept only to order the OParl lists as before (by start).
    public let start: LocalDateTime
    public let createdAt: Date
    public let deletedAt: Date
    /// The public agenda items OParl listed (they are deleted with the meeting).
    public let agendaItemIDs: [AgendaItemID]

    public init(meetingID: MeetingID, workspaceID: WorkspaceID, start: LocalDateTime, createdAt: Date, deletedAt: Date, agendaItemIDs: [AgendaItemID]) {
        self.meetingID = meetingID
        self.workspaceID = workspaceID
        self.start = start
        self.createdAt = createdAt
        self.deletedAt = deletedAt
        self.agendaItemIDs = agendaItemIDs
    }
}

/// The decision to delete a meeting.
public struct MeetingDeletion: Sendable, Hashable {
    /// The meeting as its invitees last heard of it: cancelled, SEQUENCE raised when a CANCEL
    /// goes out (the mail is rendered from it).
    public let final: Meeting
    /// Nil when the meeting was never invited (nothing outside the hub knows it): it is removed
    /// without a trace.
    public let tombstone: MeetingTombstone?
    public let events: [MeetingEvent]
}

extension MeetingRules {
    /// Deletes a meeting that has not been held: the workspace's coordinators and
    /// administrators (the organizer plans as a coordinator). Held meetings keep their record
    /// (minutes, attendance) and cannot be deleted; occurrences go through their series.
    ///
    /// * never invited (planned, or cancelled before the invitation): removed;
    /// * invited: removed, invitees get a CANCEL (SEQUENCE + 1), and a tombstone keeps the OParl
    ///   ids listed with `deleted: true`;
    /// * cancelled after the invitation: the CANCEL went out already; only the tombstone.
    public static func delete(_ meeting: Meeting, agenda: Agenda?, expectedVersion: Int, in workspace: Workspace, by actor: Principal, now: Date,
                              today: LocalDate) throws(DomainError) -> MeetingDeletion {
        try WorkspaceRules.requireEditable(workspace, by: actor, today: today, permission: MeetingPermissions.canManage)
        guard meeting.status == .planned || meeting.status == .invited || meeting.status == .cancelled else {
            throw transition("meeting.cannotDelete", "A meeting that took place keeps its record (minutes, attendance) and cannot be deleted.")
        }
        guard meeting.series == nil else { throw partOfSeries() }
        guard expectedVersion == meeting.version else { throw .versionConflict }
        var final = meeting
        var events: [MeetingEvent] = []
        if meeting.status == .invited {
            final.status = .cancelled
            final.sequence += 1
            final.updatedAt = now
            events.append(.calendarMessage(CalendarDispatch(target: .meeting(meeting.id), method: .cancel, recipients: meeting.invitees.map(\.key),
                                                            sequence: final.sequence, reason: .cancellation), workspace: meeting.workspaceID))
        }
        events.append(.meetingDeleted(final))
        let listed = meeting.invitedAt != nil
        let items = (agenda?.schedule(from: meeting.start) ?? []).filter(\.isPublic).map(\.item.id)
        let tombstone = listed ? MeetingTombstone(meetingID: meeting.id, workspaceID: meeting.workspaceID, start: meeting.start,
                                                  createdAt: meeting.createdAt, deletedAt: now, agendaItemIDs: items) : nil
        return MeetingDeletion(final: final, tombstone: tombstone, events: events)
    }
}
