import Foundation

/// What the scheduler plans with.
public struct BarcampSchedulerInput: Sendable, Hashable {
    /// A session to place: who must be in its room, and the host's size estimate.
    public struct Session: Sendable, Hashable {
        public let id: BarcampSessionID
        public let hosts: [ParticipantRef]
        public let expectedSize: Int?

        public init(id: BarcampSessionID, hosts: [ParticipantRef], expectedSize: Int? = nil) {
            self.id = id
            self.hosts = hosts
            self.expectedSize = expectedSize
        }
    }

    public var rooms: [BarcampRoom]
    /// All slots; common blocks are skipped.
    public var slots: [BarcampSlot]
    public var sessions: [Session]
    /// Each participant's marked sessions.
    public var interest: [ParticipantRef: [BarcampSessionID]]
    /// Assignments to keep as they are.
    public var pinned: [BarcampAssignment]
    /// The improvement budget: at most this many passes of local search over all sessions.
    public var passes: Int

    public init(rooms: [BarcampRoom], slots: [BarcampSlot], sessions: [Session], interest: [ParticipantRef: [BarcampSessionID]],
                pinned: [BarcampAssignment] = [], passes: Int = BarcampScheduler.defaultPasses) {
        self.rooms = rooms
        self.slots = slots
        self.sessions = sessions
        self.interest = interest
        self.pinned = pinned
        self.passes = passes
    }

    /// The input for a barcamp as stored: its proposed sessions, everyone's marks, and the
    /// pinned assignments of its grid.
    public init(barcamp: Barcamp, sessions: [BarcampSession], marks: [InterestMark], passes: Int = BarcampScheduler.defaultPasses) {
        var interest: [ParticipantRef: [BarcampSessionID]] = [:]
        for mark in marks { interest[mark.participant, default: []].append(mark.sessionID) }
        self.init(rooms: barcamp.rooms, slots: barcamp.slots,
                  sessions: sessions.filter { $0.status == .proposed }.map { Session(id: $0.id, hosts: $0.hosts, expectedSize: $0.expectedSize) },
                  interest: interest, pinned: barcamp.grid.filter(\.pinned), passes: passes)
    }
}

/// How good a grid is, compared lexicographically: first `placedSessions` (more is better),
/// then `satisfiedInterest` (more), then `overflow` (less).
public struct BarcampScheduleScore: Sendable, Hashable, Codable, Comparable {
    public let placedSessions: Int
    /// See `BarcampScheduler` for the precise definition.
    public let satisfiedInterest: Int
    /// Sum over placed sessions of the interest exceeding the room's capacity.
    public let overflow: Int

    public init(placedSessions: Int, satisfiedInterest: Int, overflow: Int) {
        self.placedSessions = placedSessions
        self.satisfiedInterest = satisfiedInterest
        self.overflow = overflow
    }

    /// Lexicographic: placed sessions, then satisfied interest, then less overflow.
    public static func < (lhs: BarcampScheduleScore, rhs: BarcampScheduleScore) -> Bool {
        (lhs.placedSessions, lhs.satisfiedInterest, -lhs.overflow) < (rhs.placedSessions, rhs.satisfiedInterest, -rhs.overflow)
    }
}

/// Why a session is not in the proposal.
public enum UnplacedReason: String, Sendable, Hashable, Codable {
    /// Every session cell is taken.
    case noFreeCell
    /// Free cells exist, but in each of their slots a host or co-host holds another session.
    case hostConflict
    /// A free cell would fit, but the improvement budget (`passes`) ran out before the search
    /// got there; a larger budget places it.
    case budgetExhausted
}

/// Why a pinned assignment was not kept (it breaks an invariant the grid rules would refuse).
public enum PinnedProblem: String, Sendable, Hashable, Codable {
    case unknownSession, unknownCell, commonBlock, cellTaken, placedTwice, hostConflict
}

/// What the moderator should look at.
public enum ScheduleWarning: Sendable, Hashable {
    /// More people marked the session than its room seats.
    case overCapacity(CapacityWarning)
    case pinnedIgnored(BarcampSessionID, PinnedProblem)
}

/// The scheduler's answer.
public struct BarcampScheduleProposal: Sendable, Hashable {
    /// Every placed session, pinned ones included (`pinned: true`), by slot and room order.
    public let assignments: [BarcampAssignment]
    /// Sessions left out, by session id.
    public let unplaced: [UnplacedSession]
    public let warnings: [ScheduleWarning]
    public let score: BarcampScheduleScore

    /// A session left out, and why.
    public struct UnplacedSession: Sendable, Hashable {
        public let sessionID: BarcampSessionID
        public let reason: UnplacedReason

        public init(sessionID: BarcampSessionID, reason: UnplacedReason) {
            self.sessionID = sessionID
            self.reason = reason
        }
    }

    public init(assignments: [BarcampAssignment], unplaced: [UnplacedSession], warnings: [ScheduleWarning], score: BarcampScheduleScore) {
        self.assignments = assignments
        self.unplaced = unplaced
        self.warnings = warnings
        self.score = score
    }
}

/// The automatic scheduler: proposes a grid for the moderator. Pure and deterministic: the same
/// input (in any order) gives the identical proposal; no randomness, no clock.
///
/// **Objective.** For participant p let M(p) be the sessions p marked, and for a session slot t
/// let placed(t) be the sessions placed in t. p can be in one room per slot, and must be in the
/// room of a session they host or co-host. p's slot t is *satisfied* when
///   * p hosts nothing in t and at least one session of M(p) is in placed(t), or
///   * p hosts a session in t that p also marked.
/// The satisfied interest is the number of satisfied (participant, slot) pairs, i.e. over all
/// participants, the marked sessions they can attend, counting at most one per slot (two
/// marked sessions in one slot count once) and none where they are busy hosting.
/// Grids compare lexicographically: first the number of placed sessions (a proposal that fits
/// always gets a room: the scheduler never drops a session to let its host attend another one),
/// then the satisfied interest, then the overflow (the interest above room capacity, summed over
/// placed sessions). With more proposals than cells the cells are normally all filled, so
/// which sessions get them is decided by the interest. Capacity is not part of "can attend" because
/// who will actually come is unknown; it is reported as a warning instead.
///
/// **Hard constraints.** One session per cell; none in common blocks; no host or co-host in two
/// sessions of one slot; valid pinned assignments are kept as they are.
///
/// **Algorithm.** (1) Keep the valid pinned assignments. (2) Greedy: sessions by interest
/// (descending; ties by expected size, then id) go to the feasible slot with the largest gain
/// in satisfied interest (ties: smaller overflow, fewer sessions in the slot, earlier slot).
/// (3) Local search: for each session in id order, the best improving move among moving it to
/// another slot, swapping it with a session of another slot, and placing an unplaced session
/// in a free cell, instead of a placed one, in the slot of a placed one that shifts into a
/// free cell of another slot, or together with a second unplaced session instead of a placed
/// one; at most `passes` passes, stopping early when a pass improves nothing. The same local
/// search also runs from the trivial
/// baseline (sessions in id order into the first free feasible cell), and the better result is
/// kept, so the proposal is never worse than the baseline. (4) Within each slot, the unpinned
/// sessions get the free rooms by size: most interest into the largest room, which minimizes
/// overflow for the slot.
public enum BarcampScheduler {
    /// The default improvement budget; the search usually stops earlier.
    public static let defaultPasses = 50

    /// Proposes a grid.
    public static func propose(_ input: BarcampSchedulerInput) -> BarcampScheduleProposal {
        let model = SchedulingModel(input)
        var fromGreedy = SchedulingState(model)
        fromGreedy.greedy()
        fromGreedy.improve(passes: input.passes)
        var fromBaseline = SchedulingState(model)
        fromBaseline.fillInOrder()
        fromBaseline.improve(passes: input.passes)
        let best = fromBaseline.score > fromGreedy.score ? fromBaseline : fromGreedy
        return best.proposal()
    }

    /// The trivial baseline the proposal must never be worse than: pinned assignments kept,
    /// then sessions in id order into the first free cell (slot order, then room order) whose
    /// slot has their hosts free.
    public static func baseline(_ input: BarcampSchedulerInput) -> [BarcampAssignment] {
        var state = SchedulingState(SchedulingModel(input))
        state.fillInOrder()
        return state.assignments()
    }

    /// The objective of any set of assignments (taken as they are, rooms included), computed
    /// directly from the definition. Assignments outside session slots or of unknown sessions
    /// are not counted.
    public static func score(_ assignments: [BarcampAssignment], for input: BarcampSchedulerInput) -> BarcampScheduleScore {
        let sessionSlots = Set(input.slots.filter { !$0.kind.isCommon }.map(\.id))
        let capacity = Dictionary(input.rooms.map { ($0.id, $0.capacity) }, uniquingKeysWith: { a, _ in a })
        let hosts = Dictionary(input.sessions.map { ($0.id, Set($0.hosts)) }, uniquingKeysWith: { a, _ in a })
        var interestCount: [BarcampSessionID: Int] = [:]
        for sessions in input.interest.values { for id in Set(sessions) { interestCount[id, default: 0] += 1 } }
        var slotOf: [BarcampSessionID: BarcampSlotID] = [:]
        var overflow = 0
        for assignment in assignments where sessionSlots.contains(assignment.cell.slotID) && hosts[assignment.sessionID] != nil {
            guard slotOf[assignment.sessionID] == nil, let seats = capacity[assignment.cell.roomID] else { continue }
            slotOf[assignment.sessionID] = assignment.cell.slotID
            overflow += max(0, (interestCount[assignment.sessionID] ?? 0) - seats)
        }
        var hosting: [ParticipantRef: [BarcampSlotID: Set<BarcampSessionID>]] = [:]
        for (session, slot) in slotOf { for host in hosts[session] ?? [] { hosting[host, default: [:]][slot, default: []].insert(session) } }
        var participants = Set(input.interest.keys)
        participants.formUnion(hosting.keys)
        var satisfied = 0
        for participant in participants {
            let marked = Set(input.interest[participant] ?? [])
            var markedSlots: [BarcampSlotID: Set<BarcampSessionID>] = [:]
            for session in marked { if let slot = slotOf[session] { markedSlots[slot, default: []].insert(session) } }
            for slot in sessionSlots {
                if let hosted = hosting[participant]?[slot], !hosted.isEmpty {
                    if !hosted.isDisjoint(with: marked) { satisfied += 1 }
                } else if !(markedSlots[slot]?.isEmpty ?? true) {
                    satisfied += 1
                }
            }
        }
        return BarcampScheduleScore(placedSessions: slotOf.count, satisfiedInterest: satisfied, overflow: overflow)
    }
}
