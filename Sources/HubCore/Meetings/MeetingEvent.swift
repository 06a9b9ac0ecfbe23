import Foundation

/// What changed in an edit of a meeting or series.
public enum MeetingChange: String, Sendable, Hashable, Codable, CaseIterable, Comparable {
    /// Start or end moved.
    case rescheduled
    /// Place or online link changed.
    case relocated
    case retitled
    case described
    case inviteesChanged
    /// A series' rule changed.
    case recurrenceChanged
    /// One occurrence of a series was cancelled (EXDATE) or moved (RECURRENCE-ID).
    case occurrenceCancelled
    case occurrenceMoved

    /// Whether the change matters to someone who already has the meeting in their calendar:
    /// then SEQUENCE goes up and clients replace their copy (RFC 5546 §2.1.4). Description
    /// and invitee changes do not: new invitees get the current version, removed ones a
    /// CANCEL, and the rest keep theirs.
    public var bumpsSequence: Bool {
        switch self {
        case .described, .inviteesChanged: false
        default: true
        }
    }

    public static func < (a: Self, b: Self) -> Bool {
        allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
    }
}

/// A calendar entry: a single meeting, or a series with all its occurrences.
public enum CalendarTarget: Hashable, Sendable, Codable {
    case meeting(MeetingID)
    case series(MeetingSeriesID)
}

/// A calendar message the services must send by mail (a `text/calendar` part with the
/// method as its `method` parameter), rendered with `MeetingCalendar`.
public struct CalendarDispatch: Hashable, Sendable {
    /// The iTIP method (RFC 5546).
    public enum Method: String, Sendable, Hashable {
        case request = "REQUEST"
        case cancel = "CANCEL"
    }

    /// Why it is sent; chooses the mail's wording.
    public enum Reason: String, Sendable, Hashable {
        case invitation, update, added, removed, cancellation
    }

    public let target: CalendarTarget
    public let method: Method
    public let recipients: [InviteeKey]
    /// The SEQUENCE the message carries.
    public let sequence: Int
    public let reason: Reason

    public init(target: CalendarTarget, method: Method, recipients: [InviteeKey], sequence: Int, reason: Reason) {
        self.target = target
        self.method = method
        self.recipients = recipients
        self.sequence = sequence
        self.reason = reason
    }
}

/// Everything the meetings component decides. The lead wraps these into `DomainEvent`;
/// `workspaceID` names the workspace topic (nil: district-wide, the directory topic).
public enum MeetingEvent: Sendable, Hashable {
    case templateCreated(MeetingTemplate)
    case templateRevised(MeetingTemplate)
    case meetingCreated(Meeting)
    case meetingUpdated(Meeting, changes: [MeetingChange])
    /// Invited, held, minutes approved, published or cancelled.
    case meetingStatusChanged(Meeting)
    /// Send these calendar messages by mail.
    case calendarMessage(CalendarDispatch, workspace: WorkspaceID)
    case rsvpRecorded(RSVP, workspace: WorkspaceID, tally: RSVPTally)
    /// The time changed: earlier answers no longer hold and are to be deleted.
    case responsesReset(CalendarTarget, workspace: WorkspaceID)
    case seriesCreated(MeetingSeries)
    case seriesUpdated(MeetingSeries, changes: [MeetingChange])
    case seriesStatusChanged(MeetingSeries)
    case agendaChanged(Agenda)
    /// The live agenda started, advanced, was extended or finished.
    case liveAgendaChanged(Agenda)
    /// One section of the minutes was saved; the section names it.
    case minutesSaved(Minutes, section: MinutesSection)
    case minutesCirculated(Minutes, recipients: [InviteeKey])
    case objectionRaised(Minutes, Objection)
    case objectionAnswered(Minutes, Objection)
    case objectionWithdrawn(Minutes, Objection)
    /// The objection deadline passed with objections unanswered: the coordinator decides.
    case objectionsOpenAtDeadline(Minutes)
    /// Approved by the coordinator, or deemed approved when the deadline passed quietly.
    case minutesApproved(Minutes, deemed: Bool)
    case actionItemChanged(Minutes, ActionItem)
    /// The meeting was deleted (`MeetingRules.delete`); carries its last state.
    case meetingDeleted(Meeting)

    /// The wire name (`meeting.created`).
    public var name: String {
        switch self {
        case .templateCreated: "meetingTemplate.created"
        case .templateRevised: "meetingTemplate.revised"
        case .meetingCreated: "meeting.created"
        case .meetingUpdated: "meeting.updated"
        case .meetingStatusChanged: "meeting.statusChanged"
        case .calendarMessage: "meeting.calendarMessage"
        case .rsvpRecorded: "meeting.rsvpRecorded"
        case .responsesReset: "meeting.responsesReset"
        case .seriesCreated: "meetingSeries.created"
        case .seriesUpdated: "meetingSeries.updated"
        case .seriesStatusChanged: "meetingSeries.statusChanged"
        case .agendaChanged: "agenda.changed"
        case .liveAgendaChanged: "agenda.liveChanged"
        case .minutesSaved: "minutes.saved"
        case .minutesCirculated: "minutes.circulated"
        case .objectionRaised: "minutes.objectionRaised"
        case .objectionAnswered: "minutes.objectionAnswered"
        case .objectionWithdrawn: "minutes.objectionWithdrawn"
        case .objectionsOpenAtDeadline: "minutes.objectionsOpenAtDeadline"
        case .minutesApproved: "minutes.approved"
        case .actionItemChanged: "minutes.actionItemChanged"
        case .meetingDeleted: "meeting.deleted"
        }
    }

    /// The workspace whose topic carries the event; nil for district-wide templates.
    public var workspaceID: WorkspaceID? {
        switch self {
        case .templateCreated, .templateRevised: nil
        case .meetingCreated(let m), .meetingUpdated(let m, _), .meetingStatusChanged(let m): m.workspaceID
        case .calendarMessage(_, let w), .rsvpRecorded(_, let w, _), .responsesReset(_, let w): w
        case .seriesCreated(let s), .seriesUpdated(let s, _), .seriesStatusChanged(let s): s.workspaceID
        case .agendaChanged(let a), .liveAgendaChanged(let a): a.workspaceID
        case .minutesSaved(let m, _), .minutesCirculated(let m, _), .objectionRaised(let m, _), .objectionAnswered(let m, _),
             .objectionWithdrawn(let m, _), .objectionsOpenAtDeadline(let m), .minutesApproved(let m, _), .actionItemChanged(let m, _):
            m.workspaceID
        case .meetingDeleted(let m): m.workspaceID
        }
    }

    /// Internal bookkeeping, not for clients: the calendar messages are mail work orders.
    public var isMailOnly: Bool {
        if case .calendarMessage = self { return true }
        return false
    }
}
