import Foundation
import HubCore

/// Row-level changes of the meetings component, carried in a `ChangeSet` as
/// `Change.meeting(_)`. (Named `MeetingStoreChange` because `MeetingChange` is the core's
/// "what changed in an edit" enum.) Aggregates are stored as documents (their Codable wire
/// form) next to the columns the store filters or constrains on; every update names the
/// version it was based on and is refused with `StoreError.conflict` when it moved on.
public enum MeetingStoreChange: Sendable {
    /// One immutable template version; a second row with the same id and version is a conflict
    /// (two administrators revised the same version at once).
    case insertTemplate(MeetingTemplate)
    case insertMeeting(Meeting)
    case updateMeeting(Meeting, expectedVersion: Int)
    case insertSeries(MeetingSeries)
    case updateSeries(MeetingSeries, expectedVersion: Int)
    case insertAgenda(Agenda)
    case updateAgenda(Agenda, expectedVersion: Int)
    /// The minutes of a meeting, revision 1.
    case insertMinutes(Minutes)
    /// Refused unless the stored revision is `revision - 1`. The core checks section versions;
    /// this makes two racing saves of *different* sections safe (the loser is applied again
    /// on the fresh state, see `MeetingMinutesService`).
    case updateMinutes(Minutes, revision: Int)
    /// One answer per target and invitee (a later answer replaces the earlier one).
    case putRSVP(RSVP)
    /// The time changed: earlier answers no longer hold.
    case deleteRSVPs(CalendarTarget)
    /// Sets (or rotates) the workspace's calendar-feed secret, stored only as a hash.
    case setFeedSecret(WorkspaceID, secretHash: String, at: Date)
    /// A mail rendered in the transaction that decided it (the outbox).
    case enqueueMail(QueuedMail)
    case markMailSent(String, at: Date)
    case markMailFailed(String, error: String, at: Date)
    /// Removes the meeting with its agenda, minutes and answers; refused (`conflict`) unless the
    /// stored version is `expectedVersion`. With a tombstone, OParl keeps listing it as deleted.
    case deleteMeeting(MeetingID, expectedVersion: Int, tombstone: MeetingTombstone?)
    /// Deletes mail sent before `before`, and mail given up on (`maxAttempts` tries) whose last
    /// try was before it: the outbox holds recipients' addresses and answer links.
    case purgeMail(before: Date, maxAttempts: Int)
}

/// A rendered mail waiting in the outbox: text plus an optional `text/calendar` part.
public struct QueuedMail: Sendable, Hashable {
    public let id: String
    public let createdAt: Date
    public let recipient: String
    public let subject: String
    public let text: String
    /// The iCalendar body (with METHOD) and its method, when the mail carries one.
    public let calendar: String?
    public let calendarMethod: String?
    public var attempts: Int
    public var sentAt: Date?
    public var lastError: String?

    public init(id: String, createdAt: Date, recipient: String, subject: String, text: String, calendar: String? = nil,
                calendarMethod: String? = nil, attempts: Int = 0, sentAt: Date? = nil, lastError: String? = nil) {
        self.id = id
        self.createdAt = createdAt
        self.recipient = recipient
        self.subject = subject
        self.text = text
        self.calendar = calendar
        self.calendarMethod = calendarMethod
        self.attempts = attempts
        self.sentAt = sentAt
        self.lastError = lastError
    }
}

/// Minutes as stored, with the document revision the next update must name.
public struct StoredMinutes: Sendable, Hashable {
    public let minutes: Minutes
    public let revision: Int

    public init(minutes: Minutes, revision: Int) {
        self.minutes = minutes
        self.revision = revision
    }
}

/// Reads of the meetings component. Part of `HubStore`; both adapters implement it.
public protocol MeetingReads: Sendable {
    /// The latest version of every template, by name.
    func meetingTemplates() async throws -> [MeetingTemplate]
    /// One version, or (nil) the latest.
    func meetingTemplate(_ id: MeetingTemplateID, version: Int?) async throws -> MeetingTemplate?
    /// Every version of a template, oldest first.
    func meetingTemplateVersions(_ id: MeetingTemplateID) async throws -> [MeetingTemplate]

    /// A workspace's meetings, earliest start first.
    func meetings(in workspace: WorkspaceID) async throws -> [Meeting]
    func meeting(_ id: MeetingID) async throws -> Meeting?
    /// Meetings of every workspace in the given states (OParl, the periodic job).
    func meetings(status: Set<MeetingStatus>) async throws -> [Meeting]

    func meetingSeries(in workspace: WorkspaceID) async throws -> [MeetingSeries]
    func meetingSeries(_ id: MeetingSeriesID) async throws -> MeetingSeries?

    func agenda(of meeting: MeetingID) async throws -> Agenda?
    func minutes(of meeting: MeetingID) async throws -> StoredMinutes?
    /// The minutes of a workspace's meetings (the action list).
    func minutes(in workspace: WorkspaceID) async throws -> [StoredMinutes]
    /// Minutes circulated for objections (the periodic job settles those past the deadline).
    func circulatedMinutes() async throws -> [StoredMinutes]

    /// The answers to a meeting or series, oldest first.
    func rsvps(_ target: CalendarTarget) async throws -> [RSVP]

    /// The workspace whose feed secret hashes to `secretHash`.
    func feedWorkspace(secretHash: String) async throws -> WorkspaceID?
    /// Whether a workspace has a feed secret at all.
    func hasFeedSecret(_ workspace: WorkspaceID) async throws -> Bool

    /// Unsent mail, oldest first.
    func pendingMail(limit: Int) async throws -> [QueuedMail]

    /// What is left of deleted meetings that OParl listed, earliest start first.
    func meetingTombstones() async throws -> [MeetingTombstone]
    func meetingTombstone(_ id: MeetingID) async throws -> MeetingTombstone?

    /// One mail of the outbox, sent or not (nil once purged).
    func outboxMail(_ id: String) async throws -> QueuedMail?
}

extension CalendarTarget {
    /// The storage key: `meeting:<uuid>` or `series:<uuid>`.
    public var storageKey: String {
        switch self {
        case .meeting(let id): "meeting:\(id)"
        case .series(let id): "series:\(id)"
        }
    }

    public init?(storageKey: String) {
        let parts = storageKey.split(separator: ":", maxSplits: 1).map(String.init)
        guard parts.count == 2 else { return nil }
        switch parts[0] {
        case "meeting": guard let id = MeetingID(parts[1]) else { return nil }; self = .meeting(id)
        case "series": guard let id = MeetingSeriesID(parts[1]) else { return nil }; self = .series(id)
        default: return nil
        }
    }
}
