import Foundation
import HubCore

// Wire views of the meetings component (what the HTTP API returns and events carry).

public struct MeetingTemplateView: Encodable, Sendable, Equatable {
    public let id: String
    public let version: Int
    public let name: String
    public let invitationSubject: String
    public let invitationBody: String
    public let agenda: [AgendaSkeletonItem]
    public let minutesSections: [MinutesSectionHeading]
    public let createdAt: Date

    public init(_ t: MeetingTemplate) {
        id = t.id.description
        version = t.version
        name = t.content.name
        invitationSubject = t.content.invitationSubject
        invitationBody = t.content.invitationBody
        agenda = t.content.agenda
        minutesSections = t.content.minutesSections
        createdAt = t.createdAt
    }
}

public struct InviteeView: Encodable, Sendable, Equatable {
    /// `member:<uuid>` or `guest:<email>`; guests' addresses only for those who manage the meeting.
    public let key: String
    public let name: String
    public let role: InviteeRole
    public let response: RSVPResponse?
}

public struct MeetingView: Encodable, Sendable, Equatable {
    public let id: String
    public let workspaceId: String
    public let templateId: String
    public let templateVersion: Int
    public let title: String
    public let description: String
    public let start: LocalDateTime
    public let end: LocalDateTime
    /// The instants, for clients that compute in UTC.
    public let startsAt: Date
    public let endsAt: Date
    public let place: String?
    public let onlineUrl: String?
    public let organizerId: String
    public let status: MeetingStatus
    public let sequence: Int
    public let seriesId: String?
    public let cancellationReason: String?
    public let invitedAt: Date?
    public let heldAt: Date?
    public let publishedAt: Date?
    public let updatedAt: Date
    public let version: Int

    public init(_ m: Meeting) {
        id = m.id.description
        workspaceId = m.workspaceID.description
        templateId = m.template.id.description
        templateVersion = m.template.version
        title = m.title
        description = m.description
        start = m.start
        end = m.end
        startsAt = m.startInstant
        endsAt = m.endInstant
        place = m.place
        onlineUrl = m.onlineURL
        organizerId = m.organizerID.description
        status = m.status
        sequence = m.sequence
        seriesId = m.series?.seriesID.description
        cancellationReason = m.cancellationReason
        invitedAt = m.invitedAt
        heldAt = m.heldAt
        publishedAt = m.publishedAt
        updatedAt = m.updatedAt
        version = m.version
    }
}

public struct MeetingAgendaItemView: Encodable, Sendable, Equatable {
    public let id: String
    public let number: String
    public let depth: Int
    public let parentId: String?
    public let title: String
    public let durationMinutes: Int
    public let plannedMinutes: Int
    public let start: LocalDateTime
    public let presenter: String?
    public let isPublic: Bool
    public let standard: StandardAgendaItem?
    public let recommendationIds: [String]
    public let documents: [DocumentLink]
    public let hasChildren: Bool
}

public struct LiveView: Encodable, Sendable, Equatable {
    public let startedAt: Date
    public let currentItemId: String?
    public let itemStartedAt: Date?
    /// Browsers count down to this instant themselves.
    public let endsAt: Date?
    public let finishedAt: Date?
    public let timings: [ItemTiming]
}

public struct AgendaView: Encodable, Sendable, Equatable {
    public let meetingId: String
    public let workspaceId: String
    public let items: [MeetingAgendaItemView]
    public let plannedMinutes: Int
    public let live: LiveView?
    public let version: Int
    public let updatedAt: Date

    /// `publicOnly` leaves out non-public items (and their sub-items).
    public init(_ a: Agenda, start: LocalDateTime, publicOnly: Bool = false) {
        meetingId = a.meetingID.description
        workspaceId = a.workspaceID.description
        items = a.schedule(from: start).filter { !publicOnly || $0.isPublic }.map { n in
            MeetingAgendaItemView(id: n.item.id.description, number: n.number, depth: n.depth, parentId: n.parentID?.description, title: n.item.title,
                           durationMinutes: n.item.durationMinutes, plannedMinutes: n.plannedMinutes, start: n.start, presenter: n.item.presenter,
                           isPublic: n.isPublic, standard: n.item.standard, recommendationIds: n.item.recommendationIDs.map(\.description),
                           documents: n.item.documents, hasChildren: !n.item.children.isEmpty)
        }
        plannedMinutes = a.plannedMinutes
        live = a.live.map {
            LiveView(startedAt: $0.startedAt, currentItemId: $0.currentItemID?.description, itemStartedAt: $0.itemStartedAt, endsAt: $0.endsAt,
                     finishedAt: $0.finishedAt, timings: $0.timings)
        }
        version = a.version
        updatedAt = a.updatedAt
    }
}

public struct MeetingDetailView: Encodable, Sendable {
    public let meeting: MeetingView
    public let agenda: AgendaView?
    public let invitees: [InviteeView]
    public let tally: RSVPTally
    /// The signed-in invitee's own answer.
    public let myResponse: RSVPResponse?
    public let mayManage: Bool
    public let mayWriteMinutes: Bool
}

public struct VersionedTextView: Encodable, Sendable, Equatable {
    public let text: String
    public let version: Int
    public let updatedAt: Date
}

public struct MinutesView: Encodable, Sendable {
    public let meetingId: String
    public let headings: [MinutesSectionHeading]
    public let attendance: [Versioned<AttendanceEntry>]
    /// Notes per agenda item id.
    public let notes: [String: VersionedTextView]
    public let decisions: [Versioned<MeetingDecision>]
    public let actionItems: [Versioned<ActionItem>]
    public let openPoints: VersionedTextView
    public let approval: MinutesApproval
    public let objections: [Objection]
    public let revision: Int
    public let updatedAt: Date

    // Kept out of line: inlined into the services' retry loops it made the optimizer's stack
    // nesting pass run for minutes.
    @inline(never)
    public init(_ stored: StoredMinutes) {
        meetingId = stored.minutes.meetingID.description
        headings = stored.minutes.headings
        attendance = stored.minutes.attendance
        notes = Self.notes(stored.minutes.notes)
        decisions = stored.minutes.decisions
        actionItems = stored.minutes.actionItems
        openPoints = Self.text(stored.minutes.openPoints)
        approval = stored.minutes.approval
        objections = stored.minutes.objections
        revision = stored.revision
        updatedAt = stored.minutes.updatedAt
    }

    static func text(_ v: Versioned<String>) -> VersionedTextView {
        VersionedTextView(text: v.value, version: v.version, updatedAt: v.updatedAt)
    }

    static func notes(_ notes: [AgendaItemID: Versioned<String>]) -> [String: VersionedTextView] {
        var out: [String: VersionedTextView] = [:]
        for (id, v) in notes { out[id.description] = text(v) }
        return out
    }
}

public struct ActionListEntryView: Encodable, Sendable {
    public let meetingId: String
    public let meetingTitle: String
    public let meetingDate: LocalDate
    public let item: ActionItem
    public let isOverdue: Bool
}
