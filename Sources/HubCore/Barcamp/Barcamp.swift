import Foundation

/// Identifies a barcamp.
public typealias BarcampID = Identifier<Barcamp>
/// Identifies a room of a barcamp.
public typealias BarcampRoomID = Identifier<BarcampRoom>
/// Identifies a time slot of a barcamp.
public typealias BarcampSlotID = Identifier<BarcampSlot>

/// A room sessions take place in.
public struct BarcampRoom: Sendable, Hashable, Codable, Identifiable {
    public let id: BarcampRoomID
    public var name: String
    /// Seats; interest above it is a warning, not a refusal (people stand, or the moderator moves the session).
    public var capacity: Int

    public init(id: BarcampRoomID, name: String, capacity: Int) {
        self.id = id
        self.name = name
        self.capacity = capacity
    }
}

/// What happens in a time slot.
public enum BarcampSlotKind: String, Sendable, Hashable, Codable, CaseIterable {
    /// Parallel sessions, one per room.
    case sessions
    /// Common blocks: everyone together or on a break; no session can be placed there.
    case opening, pause, plenary, closing

    public var isCommon: Bool { self != .sessions }
}

/// A time slot of the day; slots never overlap.
public struct BarcampSlot: Sendable, Hashable, Codable, Identifiable {
    public let id: BarcampSlotID
    public var kind: BarcampSlotKind
    /// A label such as "Session round 1" or "Lunch"; may be empty.
    public var title: String
    public var startsAt: Date
    public var endsAt: Date

    public init(id: BarcampSlotID, kind: BarcampSlotKind, title: String = "", startsAt: Date, endsAt: Date) {
        self.id = id
        self.kind = kind
        self.title = title
        self.startsAt = startsAt
        self.endsAt = endsAt
    }
}

/// One cell of the grid: a room in a slot.
public struct BarcampCell: Sendable, Hashable, Codable {
    public let roomID: BarcampRoomID
    public let slotID: BarcampSlotID

    public init(roomID: BarcampRoomID, slotID: BarcampSlotID) {
        self.roomID = roomID
        self.slotID = slotID
    }
}

/// A session placed in a cell. `pinned` assignments are the moderator's decisions: the
/// automatic scheduler keeps them and plans around them.
public struct BarcampAssignment: Sendable, Hashable, Codable {
    public let sessionID: BarcampSessionID
    public var cell: BarcampCell
    public var pinned: Bool

    public init(sessionID: BarcampSessionID, cell: BarcampCell, pinned: Bool) {
        self.sessionID = sessionID
        self.cell = cell
        self.pinned = pinned
    }
}

/// Where a barcamp stands.
public enum BarcampStatus: String, Sendable, Hashable, Codable, CaseIterable {
    /// Proposals, interest marks and the grid are being prepared; the grid is a draft.
    case planning
    /// The schedule is public; every later grid change is announced.
    case published
    /// Read-only: the documentation is final.
    case closed
}

/// How a barcamp runs; moderators choose.
public struct BarcampSettings: Sendable, Hashable, Codable {
    /// Sessions one participant may mark as interesting (1...60).
    public var interestLimit: Int
    /// Sessions one participant may propose as host (1...20).
    public var proposalsPerParticipant: Int
    /// Whether new proposals are accepted (moderators close the call before building the grid).
    public var proposalsOpen: Bool
    /// Guests without an account may join by link or QR code.
    public var guestsAllowed: Bool

    public init(interestLimit: Int = 8, proposalsPerParticipant: Int = 3, proposalsOpen: Bool = true, guestsAllowed: Bool = false) {
        self.interestLimit = interestLimit
        self.proposalsPerParticipant = proposalsPerParticipant
        self.proposalsOpen = proposalsOpen
        self.guestsAllowed = guestsAllowed
    }

    /// Everything wrong with these settings, as field issues under `settings.`.
    public func issues() -> [FieldIssue] {
        var issues: [FieldIssue] = []
        if !(1...60).contains(interestLimit) {
            issues.append(FieldIssue(field: "settings.interestLimit", code: "outOfRange", message: "Between 1 and 60 sessions."))
        }
        if !(1...20).contains(proposalsPerParticipant) {
            issues.append(FieldIssue(field: "settings.proposalsPerParticipant", code: "outOfRange", message: "Between 1 and 20 proposals."))
        }
        return issues
    }
}

/// A barcamp (an event of self-organized sessions), inside a workspace or standalone, such as
/// the district's planning conference. Rooms, slots and the grid live in this record (they are
/// small and changed by moderators only); proposals, interest marks and notes are separate
/// records, so hundreds of participants act without contending for it.
public struct Barcamp: Sendable, Hashable, Codable, Identifiable {
    public let id: BarcampID
    public let workspaceID: WorkspaceID?
    public var title: String
    /// Users who run the barcamp; never empty. Workspace coordinators and administrators moderate without being listed.
    public var moderators: [UserID]
    /// Rooms, largest first is not required; order is the moderator's display order.
    public var rooms: [BarcampRoom]
    /// Slots in time order.
    public var slots: [BarcampSlot]
    public var settings: BarcampSettings
    public var status: BarcampStatus
    public var grid: [BarcampAssignment]
    public let createdBy: UserID
    public let createdAt: Date
    public var updatedAt: Date
    public var publishedAt: Date?
    /// Increases with every change of this record (optimistic concurrency, ETag).
    public var version: Int

    public init(id: BarcampID, workspaceID: WorkspaceID?, title: String, moderators: [UserID], rooms: [BarcampRoom], slots: [BarcampSlot],
                settings: BarcampSettings, status: BarcampStatus, grid: [BarcampAssignment], createdBy: UserID, createdAt: Date,
                updatedAt: Date, publishedAt: Date?, version: Int) {
        self.id = id
        self.workspaceID = workspaceID
        self.title = title
        self.moderators = moderators
        self.rooms = rooms
        self.slots = slots
        self.settings = settings
        self.status = status
        self.grid = grid
        self.createdBy = createdBy
        self.createdAt = createdAt
        self.updatedAt = updatedAt
        self.publishedAt = publishedAt
        self.version = version
    }

    /// The words of this component's error codes.
    public static let vocabulary = BoardVocabulary(prefix: "barcamp", lead: "moderator", noun: "barcamp")

    /// Who may do what at this barcamp.
    public var access: BoardAccess {
        BoardAccess(scope: id.uuid, workspaceID: workspaceID, leads: moderators, guestsAllowed: settings.guestsAllowed, vocabulary: Self.vocabulary)
    }

    /// The room with this id.
    public func room(_ id: BarcampRoomID) -> BarcampRoom? { rooms.first { $0.id == id } }
    /// The slot with this id.
    public func slot(_ id: BarcampSlotID) -> BarcampSlot? { slots.first { $0.id == id } }
    /// Where a session is placed, if it is.
    public func assignment(of session: BarcampSessionID) -> BarcampAssignment? { grid.first { $0.sessionID == session } }
    /// The session placed in a cell, if any.
    public func occupant(of cell: BarcampCell) -> BarcampAssignment? { grid.first { $0.cell == cell } }
}
