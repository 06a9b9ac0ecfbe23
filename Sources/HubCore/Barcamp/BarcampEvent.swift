import Foundation

/// A move in the grid: a session entered, left or changed its cell.
public struct ScheduleChange: Sendable, Hashable, Codable {
    public let sessionID: BarcampSessionID
    public let from: BarcampCell?
    public let to: BarcampCell?

    public init(sessionID: BarcampSessionID, from: BarcampCell?, to: BarcampCell?) {
        self.sessionID = sessionID
        self.from = from
        self.to = to
    }
}

/// Something that happened at a barcamp. Every case may go to everyone who can view the
/// barcamp: interest is published as counts, never who marked what. The lead wraps these into
/// `DomainEvent` and one barcamp topic.
public enum BarcampEvent: Sendable, Hashable {
    case barcampCreated(Barcamp)
    /// Title, settings, moderators, rooms or slots changed.
    case barcampUpdated(Barcamp)
    case guestJoined(BoardGuest, barcamp: BarcampID)
    case sessionProposed(BarcampSession)
    case sessionEdited(BarcampSession)
    case sessionWithdrawn(BarcampSession)
    /// The session's number of interest marks, set (not incremented).
    case interestChanged(barcamp: BarcampID, session: BarcampSessionID, interest: Int)
    /// The grid after a change, with what moved.
    case gridChanged(barcamp: BarcampID, version: Int, grid: [BarcampAssignment], changes: [ScheduleChange])
    case schedulePublished(Barcamp)
    /// A change to the published schedule: services notify the session's hosts and everyone who marked it.
    case scheduleChangeAnnounced(barcamp: BarcampID, ScheduleChange)
    case notesSaved(SessionNotes)
    case barcampClosed(Barcamp)

    public var barcampID: BarcampID {
        switch self {
        case .barcampCreated(let b), .barcampUpdated(let b), .schedulePublished(let b), .barcampClosed(let b): b.id
        case .guestJoined(_, let id), .interestChanged(let id, _, _), .gridChanged(let id, _, _, _), .scheduleChangeAnnounced(let id, _): id
        case .sessionProposed(let s), .sessionEdited(let s), .sessionWithdrawn(let s): s.barcampID
        case .notesSaved(let n): n.barcampID
        }
    }

    /// The wire name (`barcamp.sessionProposed`).
    public var name: String {
        let suffix = switch self {
        case .barcampCreated: "created"
        case .barcampUpdated: "updated"
        case .guestJoined: "guestJoined"
        case .sessionProposed: "sessionProposed"
        case .sessionEdited: "sessionEdited"
        case .sessionWithdrawn: "sessionWithdrawn"
        case .interestChanged: "interestChanged"
        case .gridChanged: "gridChanged"
        case .schedulePublished: "schedulePublished"
        case .scheduleChangeAnnounced: "scheduleChangeAnnounced"
        case .notesSaved: "notesSaved"
        case .barcampClosed: "closed"
        }
        return "barcamp." + suffix
    }
}

/// One record a barcamp decision writes, in the same transaction as the events.
public enum BarcampChange: Sendable, Hashable {
    case session(BarcampSession)
    /// Insert; the store keys marks by (session, participant).
    case markAdded(InterestMark)
    case markRemoved(InterestMark)
    case notes(SessionNotes)
    case guest(BoardGuest)
}

/// What a barcamp rule decided.
public struct BarcampOutcome: Sendable, Hashable {
    /// The barcamp after the decision (the input when `barcampChanged` is false).
    public let barcamp: Barcamp
    /// Whether the barcamp record must be written (conditionally on its previous version).
    public let barcampChanged: Bool
    public let changes: [BarcampChange]
    public let events: [BarcampEvent]

    public init(barcamp: Barcamp, barcampChanged: Bool = false, changes: [BarcampChange] = [], events: [BarcampEvent] = []) {
        self.barcamp = barcamp
        self.barcampChanged = barcampChanged
        self.changes = changes
        self.events = events
    }

    /// Nothing to store or publish (a repeated request or a no-op).
    public var isNoOp: Bool { !barcampChanged && changes.isEmpty && events.isEmpty }
}
