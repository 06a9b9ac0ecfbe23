import Foundation

/// Identifies a series; also the basis of its calendar UID.
public typealias MeetingSeriesID = Identifier<MeetingSeries>

/// Where a series stands; its occurrences each have their own `Meeting` once someone
/// prepares one (agenda, minutes), created with `SeriesRules.occurrenceMeeting`.
public enum SeriesStatus: String, Sendable, Hashable, Codable, CaseIterable {
    case planned, invited, cancelled
}

/// A recurring meeting ("every second Tuesday of the month, 17:00"): one calendar entry with
/// one UID, an RRULE, cancelled occurrences (EXDATE) and moved ones (RECURRENCE-ID). The
/// series owns the schedule of all its occurrences; an occurrence's `Meeting` copies its
/// time and follows the series when it moves.
public struct MeetingSeries: Sendable, Hashable, Codable, Identifiable {
    public let id: MeetingSeriesID
    public let workspaceID: WorkspaceID
    public let template: TemplateRef
    public var title: String
    public var description: String
    /// The first occurrence (DTSTART/DTEND); every occurrence keeps its time of day.
    public var start: LocalDateTime
    public var end: LocalDateTime
    public var rule: RecurrenceRule
    /// Occurrences called off (EXDATE), by their recurrence id; sorted.
    public var cancelledOccurrences: [LocalDateTime]
    /// Occurrences at another time (RECURRENCE-ID overrides); sorted by recurrence id.
    public var moves: [OccurrenceMove]
    public var place: String?
    public var onlineURL: String?
    public var organizerID: UserID
    public var invitees: [Invitee]
    public var status: SeriesStatus
    public var sequence: Int
    /// The SEQUENCE at which the schedule last changed (see `Meeting.scheduleSequence`).
    public var scheduleSequence: Int
    public let createdAt: Date
    public var updatedAt: Date
    public var version: Int

    public init(id: MeetingSeriesID, workspaceID: WorkspaceID, template: TemplateRef, title: String, description: String, start: LocalDateTime,
                end: LocalDateTime, rule: RecurrenceRule, cancelledOccurrences: [LocalDateTime] = [], moves: [OccurrenceMove] = [],
                place: String?, onlineURL: String?, organizerID: UserID, invitees: [Invitee], status: SeriesStatus, sequence: Int,
                scheduleSequence: Int = 0, createdAt: Date, updatedAt: Date, version: Int) {
        self.id = id
        self.workspaceID = workspaceID
        self.template = template
        self.title = title
        self.description = description
        self.start = start
        self.end = end
        self.rule = rule
        self.cancelledOccurrences = cancelledOccurrences
        self.moves = moves
        self.place = place
        self.onlineURL = onlineURL
        self.organizerID = organizerID
        self.invitees = invitees
        self.status = status
        self.sequence = sequence
        self.scheduleSequence = scheduleSequence
        self.createdAt = createdAt
        self.updatedAt = updatedAt
        self.version = version
    }

    /// The occurrences overlapping `from..<to`, with cancellations and moves applied.
    public func occurrences(from: Date? = nil, to: Date? = nil, limit: Int = RecurrenceRule.maxOccurrences) -> [Occurrence] {
        RecurrenceExpansion.occurrences(rule, start: start, end: end, cancelled: Set(cancelledOccurrences), moves: moves, from: from, to: to, limit: limit)
    }

    /// One occurrence by its recurrence id, as it takes place (moved or not); nil when the
    /// rule has no such occurrence or it is cancelled. Works however far the series runs.
    public func occurrence(_ recurrenceID: LocalDateTime) -> Occurrence? {
        guard isOccurrence(recurrenceID), !cancelledOccurrences.contains(recurrenceID) else { return nil }
        if let move = moves.first(where: { $0.recurrenceID == recurrenceID }) {
            return Occurrence(recurrenceID: recurrenceID, start: move.start, end: move.end, startInstant: BerlinTime.instant(move.start),
                              endInstant: BerlinTime.instant(move.end), isMoved: true)
        }
        let startInstant = BerlinTime.instant(recurrenceID)
        let endInstant = startInstant.addingTimeInterval(BerlinTime.instant(end).timeIntervalSince(BerlinTime.instant(start)))
        return Occurrence(recurrenceID: recurrenceID, start: recurrenceID, end: BerlinTime.local(endInstant), startInstant: startInstant,
                          endInstant: endInstant, isMoved: false)
    }

    /// Whether `recurrenceID` is one of the rule's occurrences (cancelled or not).
    public func isOccurrence(_ recurrenceID: LocalDateTime) -> Bool {
        RecurrenceExpansion.isNominalStart(recurrenceID, of: rule, from: start)
    }

    /// The invitee with this key, if invited.
    public func invitee(_ key: InviteeKey) -> Invitee? { invitees.first { $0.key == key } }
}
