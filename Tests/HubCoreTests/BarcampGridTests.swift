import Foundation
import HubCore
import Testing

@Suite("Barcamp: the moderator's grid")
struct BarcampGridTests {
    typealias B = BarcampFixtures

    /// Sessions 1 and 2 hosted by me, 3 by the other member with me as co-host, 4 by the other,
    /// 5 withdrawn; session 1 sits in the big room in round 1.
    static func world(_ status: BarcampStatus = .planning) -> BarcampWorld {
        BarcampWorld(B.barcamp(status, grid: [B.placed(1, B.big, B.round1)]), sessions: [
            B.session(1, host: B.me), B.session(2, host: B.me), B.session(3, host: B.other, coHosts: [B.me]), B.session(4, host: B.other),
            B.session(5, host: B.other, status: .withdrawn),
        ])
    }

    static let unknownRoom = BarcampRoom(id: BarcampRoomID(B.uuid(299)), name: "Keller", capacity: 5)
    static let unknownSlot = BarcampSlot(id: BarcampSlotID(B.uuid(299)), kind: .sessions, startsAt: B.at(9), endsAt: B.at(10))

    @Test("Placing a session: every invariant", arguments: [
        (4, B.mid, B.round1, "ok"),
        (4, B.big, B.round2, "ok"),
        (4, B.mid, B.opening, "barcamp.commonBlock"),
        (4, B.mid, B.lunch, "barcamp.commonBlock"),
        (4, B.big, B.round1, "barcamp.cellOccupied"),
        (2, B.mid, B.round1, "barcamp.hostConflict"),
        (3, B.mid, B.round1, "barcamp.hostConflict"),
        (3, B.mid, B.round2, "ok"),
        (1, B.mid, B.round2, "barcamp.alreadyPlaced"),
        (5, B.mid, B.round2, "barcamp.sessionWithdrawn"),
        (9, B.mid, B.round2, "barcamp.sessionNotFound"),
        (4, unknownRoom, B.round2, "barcamp.roomNotFound"),
        (4, B.mid, unknownSlot, "barcamp.slotNotFound"),
    ])
    func assign(session: Int, room: BarcampRoom, slot: BarcampSlot, expected: String) throws {
        var world = Self.world()
        #expect(boardRuleCode { () throws(DomainError) in try world.assign(session, room, slot) } == expected)
        #expect(BarcampGridRules.violations(world.barcamp, sessions: world.sessions).isEmpty)
        if expected == "ok" {
            #expect(world.barcamp.grid.count == 2 && world.barcamp.version == 2 && world.barcamp.assignment(of: B.sessionID(session))?.pinned == true)
            #expect(world.events == [.gridChanged(barcamp: B.barcampID, version: 2, grid: world.barcamp.grid,
                                                  changes: [ScheduleChange(sessionID: B.sessionID(session), from: nil, to: B.cell(room, slot))])])
        }
    }

    @Test("Only moderators edit the grid, on the current version", arguments: [
        (B.moderator, 1, "ok"), (B.coordinator, 1, "ok"), (B.admin, 1, "ok"), (B.member, 1, "barcamp.moderatorOnly"), (B.guest, 1, "barcamp.guestsNotAllowed"),
        (B.moderator, 0, "version.conflict"),
    ])
    func gridPermission(actor: BoardActor, version: Int, expected: String) {
        let world = Self.world()
        #expect(boardRuleCode { () throws(DomainError) in
            try BarcampGridRules.assign(B.sessionID(4), to: B.cell(B.mid, B.round2), expectedVersion: version, barcamp: world.barcamp,
                                        sessions: world.sessions, by: actor, now: B.t0)
        } == expected)
    }

    @Test("Moving: to a free cell, onto an occupied one only as a swap, never into a host conflict")
    func move() throws {
        var world = Self.world()
        try world.assign(4, B.mid, B.round2)
        try world.assign(2, B.small, B.round2)
        #expect(boardRuleCode { () throws(DomainError) in try world.move(1, B.mid, B.round2) } == "barcamp.cellOccupied")
        #expect(boardRuleCode { () throws(DomainError) in try world.move(1, B.small, B.round3) } == "ok")
        #expect(world.barcamp.assignment(of: B.sessionID(1))?.cell == B.cell(B.small, B.round3))
        // Session 2 (hosted by me) onto session 4's cell: 4 goes to round 2's small room; fine.
        let swapped = try world.move(2, B.mid, B.round2, swap: true)
        #expect(swapped.events.first == .gridChanged(barcamp: B.barcampID, version: world.barcamp.version, grid: world.barcamp.grid, changes: [
            ScheduleChange(sessionID: B.sessionID(2), from: B.cell(B.small, B.round2), to: B.cell(B.mid, B.round2)),
            ScheduleChange(sessionID: B.sessionID(4), from: B.cell(B.mid, B.round2), to: B.cell(B.small, B.round2)),
        ]))
        // Session 1 (mine) into round 2 by swapping with session 4 (other's): round 2 would hold both of my sessions.
        #expect(boardRuleCode { () throws(DomainError) in try world.move(1, B.small, B.round2, swap: true) } == "barcamp.hostConflict")
        #expect(boardRuleCode { () throws(DomainError) in try world.move(1, B.small, B.lunch) } == "barcamp.commonBlock")
        #expect(boardRuleCode { () throws(DomainError) in try world.move(3, B.big, B.round1) } == "barcamp.notPlaced")
        #expect(try world.move(1, B.small, B.round3).isNoOp)
        #expect(BarcampGridRules.violations(world.barcamp, sessions: world.sessions).isEmpty)
    }

    @Test("Unassigning and pinning")
    func unassignAndPin() throws {
        var world = Self.world()
        let unpinned = world.apply(try BarcampGridRules.setPinned(false, B.sessionID(1), expectedVersion: 1, barcamp: world.barcamp, by: B.moderator, now: B.t0))
        #expect(world.barcamp.grid[0].pinned == false && unpinned.events.first?.name == "barcamp.gridChanged")
        #expect(try BarcampGridRules.setPinned(false, B.sessionID(1), expectedVersion: 2, barcamp: world.barcamp, by: B.moderator, now: B.t0).isNoOp)
        #expect(boardRuleCode { () throws(DomainError) in
            try BarcampGridRules.setPinned(true, B.sessionID(4), expectedVersion: 2, barcamp: world.barcamp, by: B.moderator, now: B.t0)
        } == "barcamp.notPlaced")
        world.apply(try BarcampGridRules.unassign(B.sessionID(1), expectedVersion: 2, barcamp: world.barcamp, by: B.moderator, now: B.t0))
        #expect(world.barcamp.grid.isEmpty && world.barcamp.version == 3)
        #expect(try BarcampGridRules.unassign(B.sessionID(1), expectedVersion: 3, barcamp: world.barcamp, by: B.moderator, now: B.t0).isNoOp)
    }

    @Test("After publication every grid change is also announced")
    func announcements() throws {
        var world = Self.world(.published)
        let outcome = try world.move(1, B.mid, B.round3)
        let change = ScheduleChange(sessionID: B.sessionID(1), from: B.cell(B.big, B.round1), to: B.cell(B.mid, B.round3))
        #expect(outcome.events.map(\.name) == ["barcamp.gridChanged", "barcamp.scheduleChangeAnnounced"])
        #expect(outcome.events.last == .scheduleChangeAnnounced(barcamp: B.barcampID, change) && outcome.events.allSatisfy { $0.barcampID == B.barcampID })
        var draft = Self.world()
        #expect(try draft.move(1, B.mid, B.round3).events.map(\.name) == ["barcamp.gridChanged"])
    }

    @Test("Applying a scheduler proposal keeps pinned sessions and replaces the rest")
    func applyProposal() throws {
        var world = Self.world()
        try world.assign(4, B.small, B.round3)
        world.apply(try BarcampGridRules.setPinned(false, B.sessionID(4), expectedVersion: world.barcamp.version, barcamp: world.barcamp,
                                                   by: B.moderator, now: B.t0))
        let input = BarcampSchedulerInput(barcamp: world.barcamp, sessions: world.sessions, marks: [
            InterestMark(barcampID: B.barcampID, sessionID: B.sessionID(4), participant: B.me, at: B.t0),
        ])
        let proposal = BarcampScheduler.propose(input)
        #expect(proposal.assignments.contains(B.placed(1, B.big, B.round1)), "pinned kept")
        #expect(boardRuleCode { () throws(DomainError) in
            try BarcampGridRules.applyProposal(proposal, expectedVersion: world.barcamp.version, barcamp: world.barcamp, sessions: world.sessions,
                                               by: B.member, now: B.t0)
        } == "barcamp.moderatorOnly")
        let applied = world.apply(try BarcampGridRules.applyProposal(proposal, expectedVersion: world.barcamp.version, barcamp: world.barcamp,
                                                                     sessions: world.sessions, by: B.moderator, now: B.t0))
        #expect(Set(world.barcamp.grid.map(\.sessionID)) == [B.sessionID(1), B.sessionID(2), B.sessionID(3), B.sessionID(4)])
        #expect(world.barcamp.grid.filter(\.pinned).map(\.sessionID) == [B.sessionID(1)])
        #expect(BarcampGridRules.violations(world.barcamp, sessions: world.sessions).isEmpty)
        #expect(applied.events.first?.name == "barcamp.gridChanged")
        // A proposal computed before a session was withdrawn no longer fits.
        var stale = world.sessions
        stale[1].status = .withdrawn
        #expect(boardRuleCode { () throws(DomainError) in
            try BarcampGridRules.applyProposal(proposal, expectedVersion: world.barcamp.version, barcamp: world.barcamp, sessions: stale,
                                               by: B.moderator, now: B.t0)
        } == "barcamp.staleProposal")
    }

    @Test("Capacity warnings name sessions whose interest exceeds their room")
    func capacityWarnings() {
        let barcamp = B.barcamp(grid: [B.placed(1, B.small, B.round1), B.placed(2, B.big, B.round2)])
        let warnings = BarcampGridRules.capacityWarnings(barcamp, interest: [B.sessionID(1): 16, B.sessionID(2): 100])
        #expect(warnings == [CapacityWarning(sessionID: B.sessionID(1), roomID: B.small.id, interest: 16, capacity: 15)])
    }

    @Test("Violations are detected in grids the rules would never produce")
    func violations() {
        let sessions = [B.session(1, host: B.me), B.session(2, host: B.me), B.session(3, status: .withdrawn)]
        let grid = [B.placed(1, B.big, B.round1), B.placed(2, B.mid, B.round1), B.placed(1, B.small, B.round2), B.placed(3, B.big, B.lunch),
                    B.placed(9, B.big, B.round1), BarcampAssignment(sessionID: B.sessionID(2), cell: B.cell(Self.unknownRoom, B.round3), pinned: true)]
        let found = BarcampGridRules.violations(B.barcamp(grid: grid), sessions: sessions)
        #expect(found.contains(.hostConflict(B.me, B.round1.id)))
        #expect(found.contains(.placedTwice(B.sessionID(1))) && found.contains(.placedTwice(B.sessionID(2))))
        #expect(found.contains(.withdrawnSession(B.sessionID(3))) && found.contains(.commonBlock(B.sessionID(3))))
        #expect(found.contains(.unknownSession(B.sessionID(9))) && found.contains(.sharedCell(B.cell(B.big, B.round1))))
        #expect(found.contains(.unknownCell(B.sessionID(2))))
    }

    /// Many random moderator operations, each either applied or refused: the grid never breaks
    /// an invariant, and every applied change bumps the version by one.
    @Test("Random operation sequences keep every invariant", arguments: [1, 2, 3, 4, 5] as [UInt64])
    func randomOperations(seed: UInt64) {
        var rng = BoardTestRandom(seed: seed)
        let hosts = (0..<4).map { ParticipantRef.user(UserID(B.uuid(800 + $0))) }
        let sessions = (1...12).map { n in
            B.session(n, host: hosts[rng.int(4)], coHosts: rng.int(3) == 0 ? [hosts[rng.int(4)]] : [])
        }.map { session -> BarcampSession in
            var s = session
            s.coHosts.removeAll { $0 == s.host }
            return s
        }
        var world = BarcampWorld(B.barcamp(), sessions: sessions)
        let rooms = [B.big, B.mid, B.small]
        let slots = [B.opening, B.round1, B.round2, B.lunch, B.round3]
        var applied = 0
        for step in 0..<300 {
            let n = rng.int(12) + 1
            let cell = (rooms[rng.int(3)], slots[rng.int(5)])
            let version = world.barcamp.version
            let result = Result { () throws(DomainError) -> BarcampOutcome in
                switch rng.int(5) {
                case 0, 1: return try world.assign(n, cell.0, cell.1)
                case 2: return try world.move(n, cell.0, cell.1, swap: rng.int(2) == 0)
                case 3: return world.apply(try BarcampGridRules.unassign(B.sessionID(n), expectedVersion: version, barcamp: world.barcamp,
                                                                         by: B.moderator, now: B.t0))
                default:
                    if step == 150 { world.apply(try BarcampRules.publish(world.barcamp, expectedVersion: version, by: B.moderator, now: B.t0)) }
                    return world.apply(try BarcampGridRules.setPinned(rng.int(2) == 0, B.sessionID(n), expectedVersion: world.barcamp.version,
                                                                      barcamp: world.barcamp, by: B.moderator, now: B.t0))
                }
            }
            if case .success(let outcome) = result, !outcome.isNoOp { applied += 1 }
            #expect(BarcampGridRules.violations(world.barcamp, sessions: world.sessions).isEmpty)
        }
        #expect(applied > 30 && world.barcamp.grid.count <= 9, "the sequence did real work")
    }
}
