import Foundation

/// Identifies an agenda item; stable across reordering, so minutes can refer to it.
public typealias AgendaItemID = Identifier<AgendaItem>

/// A link from an agenda item to a document (title and address).
public struct DocumentLink: Hashable, Sendable, Codable {
    public let title: String
    public let url: String

    public init(title: String, url: String) {
        self.title = title
        self.url = url
    }
}

/// One agenda item (TOP) with its sub-items. Numbers ("3.1") are never stored: they follow
/// from the position, so reordering can never leave them wrong.
public struct AgendaItem: Hashable, Sendable, Codable, Identifiable {
    public let id: AgendaItemID
    public var title: String
    /// Planned minutes for an item without sub-items; an item with sub-items takes the sum
    /// of theirs (see `plannedMinutes`).
    public var durationMinutes: Int
    public var presenter: String?
    /// Non-public items (personnel, contracts) stay out of published minutes and OParl.
    public var isPublic: Bool
    /// Set for the template's standard items; they stay recognisable (see `AgendaRules`).
    public let standard: StandardAgendaItem?
    public var recommendationIDs: [RecommendationID]
    public var documents: [DocumentLink]
    public var children: [AgendaItem]

    public init(id: AgendaItemID, title: String, durationMinutes: Int, presenter: String? = nil, isPublic: Bool = true,
                standard: StandardAgendaItem? = nil, recommendationIDs: [RecommendationID] = [], documents: [DocumentLink] = [],
                children: [AgendaItem] = []) {
        self.id = id
        self.title = title
        self.durationMinutes = durationMinutes
        self.presenter = presenter
        self.isPublic = isPublic
        self.standard = standard
        self.recommendationIDs = recommendationIDs
        self.documents = documents
        self.children = children
    }

    /// Own minutes for a leaf, the sum of the sub-items' planned minutes otherwise.
    public var plannedMinutes: Int {
        children.isEmpty ? durationMinutes : children.reduce(0) { $0 + $1.plannedMinutes }
    }
}

/// One row of the derived, flattened agenda.
public struct NumberedAgendaItem: Hashable, Sendable {
    /// "3", "3.1".
    public let number: String
    /// 0 for a top-level item.
    public let depth: Int
    public let item: AgendaItem
    public let parentID: AgendaItemID?
    /// Public only if it and every item above it are public.
    public let isPublic: Bool
    public let plannedMinutes: Int
    /// Planned start, counting from the meeting's start.
    public let start: LocalDateTime
}

/// The agenda (Tagesordnung) of one meeting, with its own version for optimistic concurrency
/// and, while the meeting runs, the live state.
public struct Agenda: Hashable, Sendable, Codable {
    public let meetingID: MeetingID
    public let workspaceID: WorkspaceID
    public var items: [AgendaItem]
    public var live: LiveSession?
    public var version: Int
    public var updatedAt: Date

    public init(meetingID: MeetingID, workspaceID: WorkspaceID, items: [AgendaItem], live: LiveSession? = nil, version: Int, updatedAt: Date) {
        self.meetingID = meetingID
        self.workspaceID = workspaceID
        self.items = items
        self.live = live
        self.version = version
        self.updatedAt = updatedAt
    }

    /// The agenda a new meeting starts with: the template's skeleton, each item with a fresh id.
    public static func fromTemplate(_ template: MeetingTemplate, meetingID: MeetingID, workspaceID: WorkspaceID, newID: () -> UUID,
                                    now: Date) -> Agenda {
        let items = template.content.agenda.map {
            AgendaItem(id: AgendaItemID(newID()), title: $0.title, durationMinutes: $0.durationMinutes, isPublic: $0.isPublic, standard: $0.standard)
        }
        return Agenda(meetingID: meetingID, workspaceID: workspaceID, items: items, version: 1, updatedAt: now)
    }

    /// Every item in reading order with its derived number and planned start.
    public func schedule(from start: LocalDateTime) -> [NumberedAgendaItem] {
        var out: [NumberedAgendaItem] = []
        var clock = start.wallMinutes
        func walk(_ items: [AgendaItem], prefix: String, depth: Int, parent: AgendaItemID?, parentPublic: Bool) {
            for (index, item) in items.enumerated() {
                let number = prefix.isEmpty ? "\(index + 1)" : "\(prefix).\(index + 1)"
                let isPublic = parentPublic && item.isPublic
                out.append(NumberedAgendaItem(number: number, depth: depth, item: item, parentID: parent, isPublic: isPublic,
                                              plannedMinutes: item.plannedMinutes, start: LocalDateTime(wallMinutes: clock)))
                if item.children.isEmpty { clock += item.durationMinutes }
                walk(item.children, prefix: number, depth: depth + 1, parent: item.id, parentPublic: isPublic)
            }
        }
        walk(items, prefix: "", depth: 0, parent: nil, parentPublic: true)
        return out
    }

    /// Items in reading order, numbered, without times.
    public var numbered: [NumberedAgendaItem] {
        schedule(from: LocalDateTime(wallMinutes: 0))
    }

    /// The derived number of an item ("3.1"), nil when absent.
    public func number(of id: AgendaItemID) -> String? { numbered.first { $0.item.id == id }?.number }

    /// The item with this id, wherever it is nested.
    public func item(_ id: AgendaItemID) -> AgendaItem? { numbered.first { $0.item.id == id }?.item }

    /// The items the live agenda steps through: those without sub-items, in reading order.
    public var leaves: [NumberedAgendaItem] { numbered.filter { $0.item.children.isEmpty } }

    /// Planned minutes of the whole agenda.
    public var plannedMinutes: Int { items.reduce(0) { $0 + $1.plannedMinutes } }

    /// Whether the plan runs past the meeting's end; shown as a warning, never refused (a
    /// coordinator may knowingly plan a long session).
    public func overruns(_ meeting: Meeting) -> Bool {
        meeting.start.wallMinutes + plannedMinutes > meeting.end.wallMinutes
    }
}
