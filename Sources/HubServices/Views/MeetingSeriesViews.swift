import Foundation
import HubCore

// Wire views of recurring meetings (what the HTTP API returns and events carry).

public struct MeetingSeriesView: Encodable, Sendable, Equatable {
    public let id: String
    public let workspaceId: String
    public let templateId: String
    public let templateVersion: Int
    public let title: String
    public let description: String
    /// The first occurrence (Berlin wall-clock time); every occurrence keeps its time of day.
    public let start: LocalDateTime
    public let end: LocalDateTime
    /// The RRULE value, e.g. `FREQ=WEEKLY;INTERVAL=2;BYDAY=TU`.
    public let rule: String
    /// The rule in words in the installation's language ("alle 2 Wochen am Dienstag").
    public let ruleText: String
    /// Recurrence ids of cancelled occurrences (EXDATE).
    public let cancelledOccurrences: [LocalDateTime]
    /// Moved occurrences (RECURRENCE-ID overrides).
    public let moves: [OccurrenceMove]
    public let place: String?
    public let onlineUrl: String?
    public let organizerId: String
    public let status: SeriesStatus
    public let sequence: Int
    public let updatedAt: Date
    public let version: Int

    public init(_ s: MeetingSeries, language: MeetingLanguage = .de) {
        id = s.id.description
        workspaceId = s.workspaceID.description
        templateId = s.template.id.description
        templateVersion = s.template.version
        title = s.title
        description = s.description
        start = s.start
        end = s.end
        rule = s.rule.description
        ruleText = SeriesMailText.describe(s.rule, start: s.start, language: language)
        cancelledOccurrences = s.cancelledOccurrences
        moves = s.moves
        place = s.place
        onlineUrl = s.onlineURL
        organizerId = s.organizerID.description
        status = s.status
        sequence = s.sequence
        updatedAt = s.updatedAt
        version = s.version
    }
}

/// One occurrence as it takes place (moved or not), and the meeting opened for it, if any.
public struct MeetingOccurrenceView: Encodable, Sendable, Equatable {
    /// Its identity (the start the rule gave it), also after a move: `YYYY-MM-DDTHH:MM`.
    public let recurrenceId: LocalDateTime
    public let start: LocalDateTime
    public let end: LocalDateTime
    public let startsAt: Date
    public let endsAt: Date
    public let isMoved: Bool
    public let meetingId: String?

    public init(_ o: Occurrence, meetingId: String?) {
        recurrenceId = o.recurrenceID
        start = o.start
        end = o.end
        startsAt = o.startInstant
        endsAt = o.endInstant
        isMoved = o.isMoved
        self.meetingId = meetingId
    }
}

public struct MeetingSeriesDetailView: Encodable, Sendable, Equatable {
    public let series: MeetingSeriesView
    /// The occurrences from the requested day on (default: now), bounded.
    public let occurrences: [MeetingOccurrenceView]
    /// More occurrences follow after the last one listed.
    public let hasMore: Bool
    public let invitees: [InviteeView]
    /// Answers for the whole series (counts).
    public let tally: RSVPTally
    /// The signed-in invitee's own answer.
    public let myResponse: RSVPResponse?
    public let mayManage: Bool
}
