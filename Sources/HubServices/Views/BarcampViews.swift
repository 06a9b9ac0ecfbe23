import Foundation
import HubCore

/// A barcamp as the API and its events show it (rooms, slots and the grid included).
public struct BarcampView: Sendable, Hashable, Codable {
    public struct Room: Sendable, Hashable, Codable { public let id: String; public let name: String; public let capacity: Int }
    public struct Slot: Sendable, Hashable, Codable {
        public let id: String; public let kind: BarcampSlotKind; public let title: String; public let startsAt: Date; public let endsAt: Date
    }
    public struct Assignment: Sendable, Hashable, Codable {
        public let sessionId: String; public let roomId: String; public let slotId: String; public let pinned: Bool
    }

    public let id: String
    public let workspaceId: String?
    public let title: String
    public let moderators: [String]
    public let rooms: [Room]
    public let slots: [Slot]
    public let settings: BarcampSettings
    public let status: BarcampStatus
    public let grid: [Assignment]
    public let createdAt: Date
    public let updatedAt: Date
    public let publishedAt: Date?
    public let version: Int

    public init(_ b: Barcamp) {
        id = b.id.description
        workspaceId = b.workspaceID?.description
        title = b.title
        moderators = b.moderators.map(\.description)
        rooms = b.rooms.map { Room(id: $0.id.description, name: $0.name, capacity: $0.capacity) }
        slots = b.slots.map { Slot(id: $0.id.description, kind: $0.kind, title: $0.title, startsAt: $0.startsAt, endsAt: $0.endsAt) }
        settings = b.settings
        status = b.status
        grid = b.grid.map(Self.assignment)
        createdAt = b.createdAt
        updatedAt = b.updatedAt
        publishedAt = b.publishedAt
        version = b.version
    }

    static func assignment(_ a: BarcampAssignment) -> Assignment {
        Assignment(sessionId: a.sessionID.description, roomId: a.cell.roomID.description, slotId: a.cell.slotID.description, pinned: a.pinned)
    }
}

/// A session proposal with its interest count (never who marked it).
public struct BarcampSessionView: Sendable, Hashable, Codable {
    public let id: String
    public let barcampId: String
    public let title: String
    public let description: String
    public let host: ParticipantView
    public let coHosts: [ParticipantView]
    public let format: BarcampFormat
    public let expectedSize: Int?
    public let status: BarcampSessionStatus
    public let interest: Int?
    public let version: Int

    public init(_ s: BarcampSession, names: [ParticipantRef: String], interest: Int?) {
        id = s.id.description
        barcampId = s.barcampID.description
        title = s.title
        description = s.description
        host = ParticipantView(s.host, name: names[s.host] ?? "")
        coHosts = s.coHosts.map { ParticipantView($0, name: names[$0] ?? "") }
        format = s.format
        expectedSize = s.expectedSize
        status = s.status
        self.interest = interest
        self.version = s.version
    }
}

public struct SessionNotesView: Sendable, Hashable, Codable {
    public let sessionId: String
    public let text: String
    public let authors: [ParticipantView]
    public let version: Int
    public let updatedAt: Date

    public init(_ n: SessionNotes, names: [ParticipantRef: String]) {
        sessionId = n.sessionID.description
        text = n.text
        authors = n.authors.map { ParticipantView($0, name: names[$0] ?? "") }
        version = n.version
        updatedAt = n.updatedAt
    }
}

public struct BarcampMeView: Sendable, Hashable, Codable {
    public let participant: ParticipantView?
    public let role: String
    /// The session ids I marked.
    public let marks: [String]
    public let marksLeft: Int
}

public struct CapacityWarningView: Sendable, Hashable, Codable {
    public let sessionId: String
    public let roomId: String
    public let interest: Int
    public let capacity: Int
}

/// `GET /api/v1/barcamps/{id}`: the barcamp for one reader.
public struct BarcampSnapshotView: Sendable, Hashable, Codable {
    public let barcamp: BarcampView
    public let sessions: [BarcampSessionView]
    public let notes: [SessionNotesView]
    public let capacityWarnings: [CapacityWarningView]
    public let me: BarcampMeView
    public let guests: Int
    public let cursor: Cursor?
}

/// The scheduler's proposal as the moderator sees it; changes nothing until applied.
public struct ScheduleProposalView: Sendable, Hashable, Codable {
    public struct Unplaced: Sendable, Hashable, Codable { public let sessionId: String; public let reason: UnplacedReason }
    public struct Warning: Sendable, Hashable, Codable {
        public let kind: String; public let sessionId: String; public let roomId: String?; public let interest: Int?; public let capacity: Int?
        public let problem: PinnedProblem?
    }
    public let basedOnVersion: Int
    public let assignments: [BarcampView.Assignment]
    public let unplaced: [Unplaced]
    public let warnings: [Warning]
    public let placedSessions: Int
    public let satisfiedInterest: Int
    public let overflow: Int

    public init(_ p: BarcampScheduleProposal, version: Int) {
        basedOnVersion = version
        assignments = p.assignments.map(BarcampView.assignment)
        unplaced = p.unplaced.map { Unplaced(sessionId: $0.sessionID.description, reason: $0.reason) }
        warnings = p.warnings.map {
            switch $0 {
            case .overCapacity(let w):
                Warning(kind: "overCapacity", sessionId: w.sessionID.description, roomId: w.roomID.description, interest: w.interest,
                        capacity: w.capacity, problem: nil)
            case .pinnedIgnored(let id, let problem):
                Warning(kind: "pinnedIgnored", sessionId: id.description, roomId: nil, interest: nil, capacity: nil, problem: problem)
            }
        }
        placedSessions = p.score.placedSessions
        satisfiedInterest = p.score.satisfiedInterest
        overflow = p.score.overflow
    }
}

/// "My sessions": common blocks and the sessions I host, co-host or marked.
public struct AgendaItemView: Sendable, Hashable, Codable {
    public let kind: String
    public let title: String
    public let sessionId: String?
    public let reasons: [AgendaReason]
    public let startsAt: Date?
    public let endsAt: Date?
    public let room: String?
    public let clashes: [String]
}

public struct BarcampListItemView: Sendable, Hashable, Codable {
    public let id: String
    public let workspaceId: String?
    public let title: String
    public let status: BarcampStatus
    public let createdAt: Date
    public let version: Int
}

/// Event payloads of the barcamp topic: counts, never who marked what.
public enum BarcampViews {
    struct Guest: Encodable { let barcampId: String; let guest: ParticipantView }
    struct Interest: Encodable { let barcampId: String; let sessionId: String; let interest: Int }
    struct Move: Encodable { let sessionId: String; let from: BarcampView.Assignment?; let to: BarcampView.Assignment? }
    struct Grid: Encodable { let barcampId: String; let version: Int; let grid: [BarcampView.Assignment]; let changes: [Move] }
    struct Announced: Encodable { let barcampId: String; let change: Move }

    static func move(_ c: ScheduleChange) -> Move {
        func cell(_ x: BarcampCell?) -> BarcampView.Assignment? {
            x.map { BarcampView.Assignment(sessionId: c.sessionID.description, roomId: $0.roomID.description, slotId: $0.slotID.description, pinned: false) }
        }
        return Move(sessionId: c.sessionID.description, from: cell(c.from), to: cell(c.to))
    }

    public static func payload(of event: BarcampEvent, names: [ParticipantRef: String], interest: [BarcampSessionID: Int] = [:]) -> String {
        let id = event.barcampID.description
        switch event {
        case .barcampCreated(let b), .barcampUpdated(let b), .schedulePublished(let b), .barcampClosed(let b):
            return WireJSON.string(BarcampView(b))
        case .guestJoined(let g, _):
            return WireJSON.string(Guest(barcampId: id, guest: ParticipantView(.guest(g.id), name: g.displayName)))
        case .sessionProposed(let s), .sessionEdited(let s), .sessionWithdrawn(let s):
            return WireJSON.string(BarcampSessionView(s, names: names, interest: interest[s.id]))
        case .interestChanged(_, let session, let count):
            return WireJSON.string(Interest(barcampId: id, sessionId: session.description, interest: count))
        case .gridChanged(_, let version, let grid, let changes):
            return WireJSON.string(Grid(barcampId: id, version: version, grid: grid.map(BarcampView.assignment), changes: changes.map(move)))
        case .scheduleChangeAnnounced(_, let change):
            return WireJSON.string(Announced(barcampId: id, change: move(change)))
        case .notesSaved(let n):
            return WireJSON.string(SessionNotesView(n, names: names))
        }
    }

    public static func newEvents(_ events: [BarcampEvent], names: [ParticipantRef: String], interest: [BarcampSessionID: Int] = [:]) -> [NewEvent] {
        events.flatMap { event -> [NewEvent] in
            let payload = payload(of: event, names: names, interest: interest)
            return DomainEvent.barcamp(event).topics.map { NewEvent(topic: $0, name: event.name, payload: payload) }
        }
    }
}
