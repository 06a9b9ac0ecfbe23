import Foundation

/// Identifies a template across all its versions.
public typealias MeetingTemplateID = Identifier<MeetingTemplate>

/// The standard agenda items every focus group's meetings share, so agendas look alike
/// across the district (the evaluation's "same structures").
public enum StandardAgendaItem: String, Sendable, Hashable, Codable, CaseIterable {
    case welcome
    case approvalOfMinutes
    case reports
    /// The container the workspace's own topics go into ("3.1", "3.2", …).
    case topics
    case anyOtherBusiness
}

/// One item of a template's agenda skeleton.
public struct AgendaSkeletonItem: Hashable, Sendable, Codable {
    public var standard: StandardAgendaItem?
    public var title: String
    public var durationMinutes: Int
    public var isPublic: Bool

    public init(standard: StandardAgendaItem?, title: String, durationMinutes: Int, isPublic: Bool = true) {
        self.standard = standard
        self.title = title
        self.durationMinutes = durationMinutes
        self.isPublic = isPublic
    }
}

/// The sections of a set of minutes; a template chooses their headings and order.
public enum MinutesSectionKind: String, Sendable, Hashable, Codable, CaseIterable {
    case attendance, itemNotes, decisions, actionItems, openPoints
}

/// A section heading as the template words it ("Anwesenheit").
public struct MinutesSectionHeading: Hashable, Sendable, Codable {
    public let kind: MinutesSectionKind
    public let title: String

    public init(_ kind: MinutesSectionKind, _ title: String) {
        self.kind = kind
        self.title = title
    }
}

/// What an administrator writes when creating or revising a template.
public struct MeetingTemplateDraft: Hashable, Sendable, Codable {
    public var name: String
    /// Mustache text; placeholders from `TemplatePlaceholders.invitation`.
    public var invitationSubject: String
    public var invitationBody: String
    public var agenda: [AgendaSkeletonItem]
    public var minutesSections: [MinutesSectionHeading]

    public init(name: String, invitationSubject: String, invitationBody: String, agenda: [AgendaSkeletonItem],
                minutesSections: [MinutesSectionHeading]) {
        self.name = name
        self.invitationSubject = invitationSubject
        self.invitationBody = invitationBody
        self.agenda = agenda
        self.minutesSections = minutesSections
    }
}

/// One version of a district-wide meeting template. Versions are immutable: a revision is a
/// new value with `version + 1` under the same id, and meetings keep pointing at the version
/// they were created from (`TemplateRef`).
public struct MeetingTemplate: Hashable, Sendable, Codable, Identifiable {
    public let id: MeetingTemplateID
    public let version: Int
    public let content: MeetingTemplateDraft
    public let createdBy: UserID
    public let createdAt: Date

    public init(id: MeetingTemplateID, version: Int, content: MeetingTemplateDraft, createdBy: UserID, createdAt: Date) {
        self.id = id
        self.version = version
        self.content = content
        self.createdBy = createdBy
        self.createdAt = createdAt
    }

    /// What a meeting records: this id and version.
    public var ref: TemplateRef { TemplateRef(id: id, version: version) }

    /// The heading the template gives a section.
    public func heading(_ kind: MinutesSectionKind) -> String {
        content.minutesSections.first { $0.kind == kind }?.title ?? kind.rawValue
    }
}

extension MeetingTemplateDraft {
    /// The district's standard template in German, used to seed a new installation.
    public static let standardGerman = MeetingTemplateDraft(
        name: "Sitzung einer Fokusgruppe",
        invitationSubject: "Einladung: {{meeting.title}} am {{meeting.date}}",
        invitationBody: """
        Guten Tag {{recipient.name}},

        hiermit lade ich Sie herzlich zur Sitzung „{{meeting.title}}“ der Gruppe {{workspace.name}} ein.

        Termin: {{meeting.date}}, {{meeting.startTime}} bis {{meeting.endTime}} Uhr
        {{#meeting.place}}Ort: {{meeting.place}}
        {{/meeting.place}}{{#meeting.onlineLink}}Online: {{meeting.onlineLink}}
        {{/meeting.onlineLink}}
        Tagesordnung:
        {{#agenda}}{{number}} {{title}} ({{minutes}} Min.)
        {{/agenda}}
        {{#rsvp}}Bitte geben Sie Bescheid, ob Sie teilnehmen:
        Zusage: {{rsvp.acceptURL}}
        Vielleicht: {{rsvp.tentativeURL}}
        Absage: {{rsvp.declineURL}}
        {{/rsvp}}
        Mit freundlichen Grüßen
        {{organizer.name}}
        """,
        agenda: [
            AgendaSkeletonItem(standard: .welcome, title: "Begrüßung", durationMinutes: 5),
            AgendaSkeletonItem(standard: .approvalOfMinutes, title: "Genehmigung des Protokolls der letzten Sitzung", durationMinutes: 5),
            AgendaSkeletonItem(standard: .reports, title: "Berichte", durationMinutes: 15),
            AgendaSkeletonItem(standard: .topics, title: "Themen", durationMinutes: 60),
            AgendaSkeletonItem(standard: .anyOtherBusiness, title: "Verschiedenes", durationMinutes: 10),
        ],
        minutesSections: [
            MinutesSectionHeading(.attendance, "Anwesenheit"),
            MinutesSectionHeading(.itemNotes, "Verlauf nach Tagesordnungspunkten"),
            MinutesSectionHeading(.decisions, "Beschlüsse"),
            MinutesSectionHeading(.actionItems, "Aufgaben"),
            MinutesSectionHeading(.openPoints, "Offene Punkte"),
        ]
    )
}
