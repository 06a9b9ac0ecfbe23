import Foundation
import HubCore
import Testing

@Suite("Barcamp scheduler: instances checked by hand")
struct BarcampSchedulerTests {
    typealias B = BarcampFixtures

    static let roomA = BarcampRoom(id: BarcampRoomID(B.uuid(501)), name: "A", capacity: 10)
    static let roomB = BarcampRoom(id: BarcampRoomID(B.uuid(502)), name: "B", capacity: 5)
    static let opening = BarcampSlot(id: BarcampSlotID(B.uuid(510)), kind: .opening, startsAt: B.at(0), endsAt: B.at(1))
    static let s1 = BarcampSlot(id: BarcampSlotID(B.uuid(512)), kind: .sessions, startsAt: B.at(1), endsAt: B.at(2))
    static let s2 = BarcampSlot(id: BarcampSlotID(B.uuid(511)), kind: .sessions, startsAt: B.at(2), endsAt: B.at(3))
    static let lunch = BarcampSlot(id: BarcampSlotID(B.uuid(513)), kind: .pause, startsAt: B.at(3), endsAt: B.at(4))

    static func person(_ n: Int) -> ParticipantRef { .user(UserID(B.uuid(600 + n))) }
    static func id(_ n: Int) -> BarcampSessionID { B.sessionID(n) }

    /// Hosts: h1 (person 11) holds sessions 1 and 3, h2 (12) session 2, h3 (13) session 4.
    /// Marks: p1 and p2 want 1 and 2; p3 wants 3 and 4; p4 wants 1 and 3; p5 wants 1.
    /// Interest: 1 → 4, 2 → 2, 3 → 2, 4 → 1.
    ///
    /// By hand: nobody can have more satisfied slots than marks or than the two session slots,
    /// so 2 + 2 + 2 + 2 + 1 = 9 is an upper bound. It is reached exactly when 1 and 2, 3 and 4,
    /// and 1 and 3 are in different slots: {1, 4} in one slot and {2, 3} in the other. The
    /// greedy places 1 first (most interest) in the earlier slot, so 1 and 4 share slot s1
    /// (which starts first although its id sorts after s2's), and 2 (expected size 8) gets the
    /// larger room against 3 (equal interest, no estimate). Nothing exceeds a capacity.
    static func handInstance() -> BarcampSchedulerInput {
        BarcampSchedulerInput(
            rooms: [roomB, roomA], slots: [lunch, s2, opening, s1],
            sessions: [.init(id: id(3), hosts: [person(11)]), .init(id: id(1), hosts: [person(11)]), .init(id: id(2), hosts: [person(12)], expectedSize: 8),
                       .init(id: id(4), hosts: [person(13)])],
            interest: [person(1): [id(1), id(2)], person(2): [id(1), id(2)], person(3): [id(3), id(4)], person(4): [id(1), id(3)], person(5): [id(1)]])
    }

    static func placed(_ n: Int, _ room: BarcampRoom, _ slot: BarcampSlot, pinned: Bool = false) -> BarcampAssignment {
        BarcampAssignment(sessionID: id(n), cell: BarcampCell(roomID: room.id, slotID: slot.id), pinned: pinned)
    }

    @Test("The hand-checked optimum: every mark satisfied, nothing over capacity")
    func handOptimum() {
        let proposal = BarcampScheduler.propose(Self.handInstance())
        #expect(proposal.assignments == [Self.placed(1, Self.roomA, Self.s1), Self.placed(4, Self.roomB, Self.s1),
                                         Self.placed(2, Self.roomA, Self.s2), Self.placed(3, Self.roomB, Self.s2)])
        #expect(proposal.score == BarcampScheduleScore(placedSessions: 4, satisfiedInterest: 9, overflow: 0))
        #expect(proposal.unplaced.isEmpty && proposal.warnings.isEmpty)
        #expect(BarcampScheduler.score(proposal.assignments, for: Self.handInstance()) == proposal.score)
    }

    @Test("Hand-computed scores of other grids for the same instance")
    func handScores() {
        let input = Self.handInstance()
        // 1 and 2 together (and so 3 and 4): p1, p2 and p3 lose a slot each.
        let together = [Self.placed(1, Self.roomA, Self.s1), Self.placed(2, Self.roomB, Self.s1), Self.placed(3, Self.roomA, Self.s2),
                        Self.placed(4, Self.roomB, Self.s2)]
        #expect(BarcampScheduler.score(together, for: input) == BarcampScheduleScore(placedSessions: 4, satisfiedInterest: 6, overflow: 0))
        // Session 1 in the small room: 4 marks for 5 seats is fine; only 2 sessions placed.
        let two = [Self.placed(1, Self.roomB, Self.s1), Self.placed(2, Self.roomB, Self.s2)]
        #expect(BarcampScheduler.score(two, for: input) == BarcampScheduleScore(placedSessions: 2, satisfiedInterest: 6, overflow: 0))
        // Common blocks and unknown sessions do not count.
        let bogus = [BarcampAssignment(sessionID: Self.id(1), cell: BarcampCell(roomID: Self.roomA.id, slotID: Self.lunch.id), pinned: false),
                     Self.placed(9, Self.roomA, Self.s1)]
        #expect(BarcampScheduler.score(bogus, for: input) == BarcampScheduleScore(placedSessions: 0, satisfiedInterest: 0, overflow: 0))
        #expect(BarcampScheduleScore(placedSessions: 3, satisfiedInterest: 0, overflow: 9) > BarcampScheduleScore(placedSessions: 2, satisfiedInterest: 50, overflow: 0))
    }

    @Test("A host busy hosting cannot attend: their marks in that slot do not count")
    func hostsAttendTheirOwn() {
        // p1 hosts session 1 and marked session 2; session 2's only other marker is p2.
        let input = BarcampSchedulerInput(rooms: [Self.roomA, Self.roomB], slots: [Self.s1, Self.s2],
                                          sessions: [.init(id: Self.id(1), hosts: [Self.person(1)]), .init(id: Self.id(2), hosts: [Self.person(3)])],
                                          interest: [Self.person(1): [Self.id(2)], Self.person(2): [Self.id(1), Self.id(2)]])
        let apart = [Self.placed(1, Self.roomA, Self.s1), Self.placed(2, Self.roomA, Self.s2)]
        let together = [Self.placed(1, Self.roomA, Self.s1), Self.placed(2, Self.roomB, Self.s1)]
        #expect(BarcampScheduler.score(apart, for: input).satisfiedInterest == 3)
        #expect(BarcampScheduler.score(together, for: input).satisfiedInterest == 1)
        #expect(BarcampScheduler.propose(input).score.satisfiedInterest == 3)
    }

    @Test("More interest goes into the bigger room; interest above capacity is a warning")
    func capacity() {
        let people = (1...12).map(Self.person)
        var interest: [ParticipantRef: [BarcampSessionID]] = [:]
        for (n, person) in people.enumerated() { interest[person] = n < 3 ? [Self.id(1), Self.id(2)] : [Self.id(2)] }
        let input = BarcampSchedulerInput(rooms: [Self.roomB, Self.roomA], slots: [Self.s1],
                                          sessions: [.init(id: Self.id(1), hosts: [Self.person(20)]), .init(id: Self.id(2), hosts: [Self.person(21)])],
                                          interest: interest)
        let proposal = BarcampScheduler.propose(input)
        #expect(proposal.assignments == [Self.placed(2, Self.roomA, Self.s1), Self.placed(1, Self.roomB, Self.s1)])
        #expect(proposal.warnings == [.overCapacity(CapacityWarning(sessionID: Self.id(2), roomID: Self.roomA.id, interest: 12, capacity: 10))])
        #expect(proposal.score.overflow == 2)
    }

    @Test("Pinned sessions stay where the moderator put them; invalid pins are reported, not kept")
    func pinned() {
        var input = Self.handInstance()
        // Two pins claim room A in s2; pins are taken in slot, room and session-id order, so 3 wins.
        input.pinned = [
            Self.placed(4, Self.roomA, Self.s2, pinned: true),
            Self.placed(2, Self.roomA, Self.opening, pinned: true),
            Self.placed(9, Self.roomB, Self.s1, pinned: true),
            Self.placed(3, Self.roomA, Self.s2, pinned: true),
        ]
        let proposal = BarcampScheduler.propose(input)
        #expect(proposal.warnings == [.pinnedIgnored(Self.id(2), .commonBlock), .pinnedIgnored(Self.id(9), .unknownSession),
                                      .pinnedIgnored(Self.id(4), .cellTaken)])
        // The optimum is still reachable; 3 keeps room A although 2 would otherwise get it.
        #expect(proposal.assignments == [Self.placed(1, Self.roomA, Self.s1), Self.placed(4, Self.roomB, Self.s1),
                                         Self.placed(3, Self.roomA, Self.s2, pinned: true), Self.placed(2, Self.roomB, Self.s2)])
        #expect(proposal.score == BarcampScheduleScore(placedSessions: 4, satisfiedInterest: 9, overflow: 0))
    }

    @Test("Pins are kept even when they cost interest")
    func pinnedAtACost() {
        var input = Self.handInstance()
        input.pinned = [Self.placed(4, Self.roomA, Self.s2, pinned: true), Self.placed(3, Self.roomB, Self.s2, pinned: true)]
        let proposal = BarcampScheduler.propose(input)
        // s2 is full, so 1 and 2 share s1: p1, p2 and p3 lose a slot each (9 - 3).
        #expect(proposal.assignments == [Self.placed(1, Self.roomA, Self.s1), Self.placed(2, Self.roomB, Self.s1),
                                         Self.placed(4, Self.roomA, Self.s2, pinned: true), Self.placed(3, Self.roomB, Self.s2, pinned: true)])
        #expect(proposal.score == BarcampScheduleScore(placedSessions: 4, satisfiedInterest: 6, overflow: 0) && proposal.warnings.isEmpty)
    }

    @Test("Pins that double-book a host or a session are reported")
    func pinnedConflicts() {
        var input = Self.handInstance()
        input.pinned = [Self.placed(1, Self.roomA, Self.s1, pinned: true), Self.placed(3, Self.roomB, Self.s1, pinned: true),
                        Self.placed(1, Self.roomA, Self.s2, pinned: true)]
        let proposal = BarcampScheduler.propose(input)
        #expect(proposal.warnings == [.pinnedIgnored(Self.id(3), .hostConflict), .pinnedIgnored(Self.id(1), .placedTwice)])
        #expect(proposal.assignments.first == Self.placed(1, Self.roomA, Self.s1, pinned: true))
    }

    @Test("Sessions that cannot be placed, with the reason")
    func unplaced() {
        // Five sessions, four cells: the least interesting one stays out.
        var input = Self.handInstance()
        input.sessions.append(.init(id: Self.id(5), hosts: [Self.person(14)]))
        let full = BarcampScheduler.propose(input)
        #expect(full.unplaced == [.init(sessionID: Self.id(5), reason: .noFreeCell)] && full.score.satisfiedInterest == 9)
        // One host with three sessions and two slots: one session cannot be held.
        let busy = BarcampSchedulerInput(rooms: [Self.roomA, Self.roomB, BarcampRoom(id: BarcampRoomID(B.uuid(503)), name: "C", capacity: 5)],
                                         slots: [Self.s1, Self.s2], sessions: (1...3).map { .init(id: Self.id($0), hosts: [Self.person(11)]) },
                                         interest: [Self.person(1): [Self.id(1), Self.id(2)]])
        let proposal = BarcampScheduler.propose(busy)
        #expect(proposal.unplaced == [.init(sessionID: Self.id(3), reason: .hostConflict)])
        #expect(proposal.assignments.count == 2 && proposal.score.satisfiedInterest == 2)
    }

    @Test("Edge cases: no rooms, no session slots, no sessions, no marks")
    func edges() {
        let sessions: [BarcampSchedulerInput.Session] = [.init(id: Self.id(1), hosts: [Self.person(1)])]
        let noRooms = BarcampScheduler.propose(BarcampSchedulerInput(rooms: [], slots: [Self.s1], sessions: sessions, interest: [:]))
        #expect(noRooms.assignments.isEmpty && noRooms.unplaced == [.init(sessionID: Self.id(1), reason: .noFreeCell)])
        let onlyBreaks = BarcampScheduler.propose(BarcampSchedulerInput(rooms: [Self.roomA], slots: [Self.opening, Self.lunch], sessions: sessions,
                                                                        interest: [:]))
        #expect(onlyBreaks.assignments.isEmpty && onlyBreaks.unplaced.count == 1)
        let nothing = BarcampScheduler.propose(BarcampSchedulerInput(rooms: [Self.roomA], slots: [Self.s1], sessions: [], interest: [:]))
        #expect(nothing.assignments.isEmpty && nothing.unplaced.isEmpty && nothing.score == BarcampScheduleScore(placedSessions: 0, satisfiedInterest: 0, overflow: 0))
        let unmarked = BarcampScheduler.propose(BarcampSchedulerInput(rooms: [Self.roomA], slots: [Self.s1], sessions: sessions, interest: [:]))
        #expect(unmarked.assignments == [Self.placed(1, Self.roomA, Self.s1)], "a session nobody marked still gets a free room")
        // A room or slot listed twice is one room or slot.
        let twice = BarcampScheduler.propose(BarcampSchedulerInput(rooms: [Self.roomA, Self.roomA], slots: [Self.s1, Self.s1],
                                                                   sessions: sessions + [.init(id: Self.id(2), hosts: [Self.person(2)])], interest: [:]))
        #expect(twice.assignments.count == 1 && twice.unplaced.count == 1)
    }

    @Test("Built from a stored barcamp: withdrawn sessions left out, pinned grid kept")
    func fromBarcamp() {
        let sessions = [B.session(1, host: B.me), B.session(2, host: B.other), B.session(3, host: B.other, status: .withdrawn)]
        let barcamp = B.barcamp(grid: [B.placed(2, B.small, B.round3), B.placed(1, B.big, B.round1, pinned: false)])
        let marks = [InterestMark(barcampID: B.barcampID, sessionID: B.sessionID(1), participant: B.other, at: B.t0),
                     InterestMark(barcampID: B.barcampID, sessionID: B.sessionID(3), participant: B.me, at: B.t0)]
        let input = BarcampSchedulerInput(barcamp: barcamp, sessions: sessions, marks: marks)
        #expect(input.sessions.map(\.id) == [B.sessionID(1), B.sessionID(2)] && input.pinned == [B.placed(2, B.small, B.round3)])
        #expect(input.interest[B.other] == [B.sessionID(1)] && input.passes == BarcampScheduler.defaultPasses)
        let proposal = BarcampScheduler.propose(input)
        #expect(proposal.assignments.contains(B.placed(2, B.small, B.round3)) && proposal.assignments.count == 2)
        #expect(proposal.score.satisfiedInterest == 1, "the other member hosts in round 3, so session 1 goes elsewhere")
    }
}
