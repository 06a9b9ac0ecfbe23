import Foundation

/// Identifies a decision recorded in minutes (not a council decision: see `CouncilDecision`).
public typealias MeetingDecisionID = Identifier<MeetingDecision>
/// Identifies an action item.
public typealias ActionItemID = Identifier<ActionItem>
/// Identifies an objection to circulated minutes.
public typealias ObjectionID = Identifier<Objection>

/// Whether someone attended.
public enum AttendanceStatus: String, Sendable, Hashable, Codable, CaseIterable {
    case present, excused, absent
}

/// One person's attendance. The name is recorded as it stood, so approved minutes never
/// change when someone renames their account; it is published only with consent.
public struct AttendanceEntry: Hashable, Sendable, Codable {
    public let person: InviteeKey
    public var name: String
    /// The agency or municipality the person spoke for.
    public var organization: String?
    public var status: AttendanceStatus
    /// The person agreed that their name appears in the published minutes.
    public var publicationConsent: Bool

    public init(person: InviteeKey, name: String, organization: String? = nil, status: AttendanceStatus, publicationConsent: Bool = false) {
        self.person = person
        self.name = name
        self.organization = organization
        self.status = status
        self.publicationConsent = publicationConsent
    }
}

/// A vote count; optional on a decision (many groups decide by consensus).
public struct Votes: Hashable, Sendable, Codable {
    public let inFavour: Int
    public let against: Int
    public let abstentions: Int

    public init(inFavour: Int, against: Int, abstentions: Int) {
        self.inFavour = inFavour
        self.against = against
        self.abstentions = abstentions
    }
}

/// A decision taken in the meeting, optionally with its vote count and the recommendations it concerns.
public struct MeetingDecision: Hashable, Sendable, Codable, Identifiable {
    public let id: MeetingDecisionID
    public var agendaItemID: AgendaItemID?
    public var text: String
    public var votes: Votes?
    public var recommendationIDs: [RecommendationID]

    public init(id: MeetingDecisionID, agendaItemID: AgendaItemID? = nil, text: String, votes: Votes? = nil, recommendationIDs: [RecommendationID] = []) {
        self.id = id
        self.agendaItemID = agendaItemID
        self.text = text
        self.votes = votes
        self.recommendationIDs = recommendationIDs
    }
}

/// Where an action item stands; tracked after the minutes are approved.
public enum ActionStatus: String, Sendable, Hashable, Codable, CaseIterable {
    case open, done, dropped
}

/// Who takes care of an action item: a member (by account, with the name as recorded) or
/// someone named in free text (an agency, a guest).
public struct ActionOwner: Hashable, Sendable, Codable {
    public let userID: UserID?
    public let name: String

    public init(userID: UserID? = nil, name: String) {
        self.userID = userID
        self.name = name
    }
}

/// A task agreed in the meeting. Its text, owner and due date belong to the minutes (and
/// freeze with them); its status is tracked afterwards and is not part of the approved text.
public struct ActionItem: Hashable, Sendable, Codable, Identifiable {
    public let id: ActionItemID
    public var agendaItemID: AgendaItemID?
    public var text: String
    public var owner: ActionOwner
    public var due: LocalDate?
    public var status: ActionStatus

    public init(id: ActionItemID, agendaItemID: AgendaItemID? = nil, text: String, owner: ActionOwner, due: LocalDate? = nil, status: ActionStatus = .open) {
        self.id = id
        self.agendaItemID = agendaItemID
        self.text = text
        self.owner = owner
        self.due = due
        self.status = status
    }

    /// Open and past its due date (due dates are whole days in Berlin).
    public func isOverdue(today: LocalDate) -> Bool {
        guard status == .open, let due else { return false }
        return due < today
    }
}

/// The unit of concurrent editing: each section has its own version, so people writing
/// different items' notes, decisions or attendance never collide, and a stale save of the
/// same section is refused with the section named, never merged away.
public enum MinutesSection: Hashable, Sendable, Codable, CustomStringConvertible {
    case attendance(InviteeKey)
    case notes(AgendaItemID)
    case decision(MeetingDecisionID)
    case actionItem(ActionItemID)
    case openPoints

    /// `attendance:member:<uuid>`, `notes:<id>`, `decision:<id>`, `actionItem:<id>`, `openPoints`.
    public var description: String {
        switch self {
        case .attendance(let key): "attendance:\(key)"
        case .notes(let id): "notes:\(id)"
        case .decision(let id): "decision:\(id)"
        case .actionItem(let id): "actionItem:\(id)"
        case .openPoints: "openPoints"
        }
    }

    /// Parses the key form (`description`); nil for anything else.
    public init?(key text: String) {
        if text == "openPoints" { self = .openPoints; return }
        let parts = text.split(separator: ":", maxSplits: 1).map(String.init)
        guard parts.count == 2 else { return nil }
        switch parts[0] {
        case "attendance": guard let key = InviteeKey(key: parts[1]) else { return nil }; self = .attendance(key)
        case "notes": guard let id = AgendaItemID(parts[1]) else { return nil }; self = .notes(id)
        case "decision": guard let id = MeetingDecisionID(parts[1]) else { return nil }; self = .decision(id)
        case "actionItem": guard let id = ActionItemID(parts[1]) else { return nil }; self = .actionItem(id)
        default: return nil
        }
    }

    /// Encoded as its key (`notes:<id>`), the form the API takes and clients show. Documents
    /// stored before that used Swift's synthesized form (`{"notes": {"_0": "<id>"}}`), which is
    /// still read.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }

    private enum LegacyKey: String, CodingKey { case attendance, notes, decision, actionItem, openPoints }
    private enum LegacyValue: String, CodingKey { case _0 }

    public init(from decoder: any Decoder) throws {
        if let text = try? decoder.singleValueContainer().decode(String.self) {
            guard let section = MinutesSection(key: text) else {
                throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "Not a minutes section: \(text)"))
            }
            self = section
            return
        }
        let c = try decoder.container(keyedBy: LegacyKey.self)
        guard let key = c.allKeys.first else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "Empty minutes section"))
        }
        if key == .openPoints { self = .openPoints; return }
        let inner = try c.nestedContainer(keyedBy: LegacyValue.self, forKey: key)
        switch key {
        case .attendance: self = .attendance(try inner.decode(InviteeKey.self, forKey: ._0))
        case .notes: self = .notes(try inner.decode(AgendaItemID.self, forKey: ._0))
        case .decision: self = .decision(try inner.decode(MeetingDecisionID.self, forKey: ._0))
        case .actionItem: self = .actionItem(try inner.decode(ActionItemID.self, forKey: ._0))
        case .openPoints: self = .openPoints
        }
    }
}

/// A value with the version of its section and who wrote it last.
public struct Versioned<Value: Hashable & Sendable & Codable>: Hashable, Sendable, Codable {
    public var value: Value
    public var version: Int
    public var updatedBy: UserID?
    public var updatedAt: Date

    public init(value: Value, version: Int, updatedBy: UserID?, updatedAt: Date) {
        self.value = value
        self.version = version
        self.updatedBy = updatedBy
        self.updatedAt = updatedAt
    }
}

/// The minutes (Protokoll) of one meeting: written together, circulated, approved, frozen.
public struct Minutes: Hashable, Sendable, Codable {
    public let meetingID: MeetingID
    public let workspaceID: WorkspaceID
    public let template: TemplateRef
    /// The template version's section headings, copied so the text never changes later.
    public let headings: [MinutesSectionHeading]
    public var attendance: [Versioned<AttendanceEntry>]
    public var notes: [AgendaItemID: Versioned<String>]
    public var decisions: [Versioned<MeetingDecision>]
    public var actionItems: [Versioned<ActionItem>]
    public var openPoints: Versioned<String>
    public var approval: MinutesApproval
    public var objections: [Objection]
    public let createdAt: Date
    public var updatedAt: Date

    /// Empty minutes for a meeting, with the headings of the template version it was created from.
    public init(meeting: Meeting, template: MeetingTemplate, now: Date) {
        self.meetingID = meeting.id
        self.workspaceID = meeting.workspaceID
        self.template = template.ref
        self.headings = template.content.minutesSections
        self.attendance = []
        self.notes = [:]
        self.decisions = []
        self.actionItems = []
        self.openPoints = Versioned(value: "", version: 0, updatedBy: nil, updatedAt: now)
        self.approval = MinutesApproval()
        self.objections = []
        self.createdAt = now
        self.updatedAt = now
    }

    /// The current version of a section; 0 when it has never been written.
    public func version(of section: MinutesSection) -> Int {
        switch section {
        case .attendance(let key): attendance.first { $0.value.person == key }?.version ?? 0
        case .notes(let id): notes[id]?.version ?? 0
        case .decision(let id): decisions.first { $0.value.id == id }?.version ?? 0
        case .actionItem(let id): actionItems.first { $0.value.id == id }?.version ?? 0
        case .openPoints: openPoints.version
        }
    }

    /// The heading of a section as the template version words it.
    public func heading(_ kind: MinutesSectionKind) -> String {
        headings.first { $0.kind == kind }?.title ?? kind.rawValue
    }

    /// Objections neither answered nor withdrawn.
    public var openObjections: [Objection] { objections.filter { $0.state == .open } }

    /// People recorded as present: they may object while the minutes circulate.
    public var presentPeople: Set<InviteeKey> { Set(attendance.filter { $0.value.status == .present }.map(\.value.person)) }
}
