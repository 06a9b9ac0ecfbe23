import Foundation

/// Identifies a meeting; also the basis of its calendar UID.
public typealias MeetingID = Identifier<Meeting>

/// Where a meeting stands. Forward only: planned → invited → held → minutesApproved →
/// published; cancelled from planned or invited.
public enum MeetingStatus: String, Sendable, Hashable, Codable, CaseIterable {
    /// Being prepared; nobody has been sent anything yet.
    case planned
    /// Invitations are out: changes now go to the invitees' calendars.
    case invited
    /// Took place (or is taking place: the live agenda started it).
    case held
    /// The minutes are approved and frozen.
    case minutesApproved
    /// The public part of the minutes is published.
    case published
    /// Called off before it took place.
    case cancelled
}

/// Who is invited: a member of the hub by account, or an external guest by e-mail address.
public enum InviteeKey: Hashable, Sendable, Codable, Comparable, CustomStringConvertible {
    case member(UserID)
    /// The normalized (lower-case) address.
    case guest(String)

    /// Stable text form for storage, tokens and the wire: `member:<uuid>`, `guest:<email>`.
    public var description: String {
        switch self {
        case .member(let id): "member:\(id)"
        case .guest(let email): "guest:\(email)"
        }
    }

    /// Parses the text form; nil when malformed.
    public init?(key: String) {
        if key.hasPrefix("member:"), let id = UserID(String(key.dropFirst(7))) {
            self = .member(id)
        } else if key.hasPrefix("guest:"), key.count > 6 {
            self = .guest(String(key.dropFirst(6)))
        } else {
            return nil
        }
    }

    /// The member's account, nil for a guest.
    public var userID: UserID? {
        if case .member(let id) = self { return id }
        return nil
    }

    public static func < (a: Self, b: Self) -> Bool { a.description < b.description }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let key = InviteeKey(key: text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "expected member:<uuid> or guest:<email>"))
        }
        self = key
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}

/// The part someone plays in a meeting; becomes the iCalendar ROLE.
public enum InviteeRole: String, Sendable, Hashable, Codable, CaseIterable {
    /// Leads the meeting (ROLE=CHAIR).
    case chair
    /// Expected (ROLE=REQ-PARTICIPANT).
    case required
    /// Welcome, not expected (ROLE=OPT-PARTICIPANT).
    case optional
}

/// One invitee. Members' names and addresses come from their accounts when a message is
/// written; a guest's name is kept here because there is no account to look it up in.
public struct Invitee: Hashable, Sendable, Codable {
    public let key: InviteeKey
    public var name: String?
    public var role: InviteeRole

    public init(key: InviteeKey, name: String? = nil, role: InviteeRole = .required) {
        self.key = key
        self.name = name
        self.role = role
    }
}

/// An invitee's answer; becomes the iCalendar PARTSTAT.
public enum RSVPResponse: String, Sendable, Hashable, Codable, CaseIterable {
    case accepted, tentative, declined
}

/// A recorded answer. Kept apart from the meeting record so answers never collide with the
/// organizer's edits (the meeting's version covers only what the organizer changes).
public struct RSVP: Hashable, Sendable, Codable {
    /// The meeting, or the series when answered for all its occurrences.
    public let target: CalendarTarget
    public let invitee: InviteeKey
    public let response: RSVPResponse
    public let at: Date

    public init(target: CalendarTarget, invitee: InviteeKey, response: RSVPResponse, at: Date) {
        self.target = target
        self.invitee = invitee
        self.response = response
        self.at = at
    }
}

/// Which template version a meeting or series was created from. Never changes afterwards:
/// revising the template creates a new version and leaves past meetings as they were.
public struct TemplateRef: Hashable, Sendable, Codable {
    public let id: MeetingTemplateID
    public let version: Int

    public init(id: MeetingTemplateID, version: Int) {
        self.id = id
        self.version = version
    }
}

/// The occurrence of a series a meeting stands for.
public struct SeriesLink: Hashable, Sendable, Codable {
    public let seriesID: MeetingSeriesID
    /// The start the rule gave the occurrence (its RECURRENCE-ID), kept after a move.
    public let recurrenceID: LocalDateTime

    public init(seriesID: MeetingSeriesID, recurrenceID: LocalDateTime) {
        self.seriesID = seriesID
        self.recurrenceID = recurrenceID
    }
}

/// A meeting of a workspace: when and where, who is invited, and how far it has come. Its
/// agenda and minutes are records of their own (`Agenda`, `Minutes`), each with its own
/// version, so editing one never conflicts with the other.
public struct Meeting: Sendable, Hashable, Codable, Identifiable {
    public let id: MeetingID
    public let workspaceID: WorkspaceID
    public let template: TemplateRef
    public var title: String
    /// A short note for the invitation (the agenda travels separately).
    public var description: String
    public var start: LocalDateTime
    public var end: LocalDateTime
    public var place: String?
    /// An https link to the video conference.
    public var onlineURL: String?
    public var organizerID: UserID
    public var invitees: [Invitee]
    public var status: MeetingStatus
    /// The iCalendar SEQUENCE: 0 with the first invitation, +1 with every change that
    /// matters to those already invited (see `MeetingChange.bumpsSequence`).
    public var sequence: Int
    /// The SEQUENCE at which start or end last changed: answers (and RSVP links) from before
    /// it no longer hold, later ones do.
    public var scheduleSequence: Int
    /// Set when the meeting is one occurrence of a series.
    public var series: SeriesLink?
    public var cancellationReason: String?
    public let createdAt: Date
    public var updatedAt: Date
    public var invitedAt: Date?
    public var heldAt: Date?
    public var publishedAt: Date?
    /// Optimistic concurrency for the organizer's edits (ETag).
    public var version: Int

    public init(id: MeetingID, workspaceID: WorkspaceID, template: TemplateRef, title: String, description: String, start: LocalDateTime,
                end: LocalDateTime, place: String?, onlineURL: String?, organizerID: UserID, invitees: [Invitee], status: MeetingStatus,
                sequence: Int, scheduleSequence: Int = 0, series: SeriesLink?, cancellationReason: String? = nil, createdAt: Date, updatedAt: Date,
                invitedAt: Date? = nil, heldAt: Date? = nil, publishedAt: Date? = nil, version: Int) {
        self.id = id
        self.workspaceID = workspaceID
        self.template = template
        self.title = title
        self.description = description
        self.start = start
        self.end = end
        self.place = place
        self.onlineURL = onlineURL
        self.organizerID = organizerID
        self.invitees = invitees
        self.status = status
        self.sequence = sequence
        self.scheduleSequence = scheduleSequence
        self.series = series
        self.cancellationReason = cancellationReason
        self.createdAt = createdAt
        self.updatedAt = updatedAt
        self.invitedAt = invitedAt
        self.heldAt = heldAt
        self.publishedAt = publishedAt
        self.version = version
    }

    /// The start as an instant (see `BerlinTime.instant`).
    public var startInstant: Date { BerlinTime.instant(start) }
    /// The end as an instant.
    public var endInstant: Date { BerlinTime.instant(end) }

    /// The invitee with this key, if invited.
    public func invitee(_ key: InviteeKey) -> Invitee? { invitees.first { $0.key == key } }
}

/// How many invitees answered what; `pending` have not answered.
public struct RSVPTally: Hashable, Sendable, Codable {
    public var accepted = 0
    public var tentative = 0
    public var declined = 0
    public var pending = 0

    /// Counts the latest answer of each invitee; answers of people no longer invited are ignored.
    public init(invitees: [Invitee], responses: [RSVP]) {
        let latest = Dictionary(responses.map { ($0.invitee, $0) }, uniquingKeysWith: { a, b in a.at >= b.at ? a : b })
        for invitee in invitees {
            switch latest[invitee.key]?.response {
            case .accepted: accepted += 1
            case .tentative: tentative += 1
            case .declined: declined += 1
            case nil: pending += 1
            }
        }
    }
}
