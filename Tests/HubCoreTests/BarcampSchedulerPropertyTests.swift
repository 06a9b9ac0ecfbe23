import Foundation
import HubCore
import Testing

/// A random but seeded scheduling problem, with the barcamp records it stands for.
struct RandomBarcamp {
    let input: BarcampSchedulerInput
    let barcamp: Barcamp
    let sessions: [BarcampSession]
    /// The pins that are valid (and must be kept exactly).
    let validPins: [BarcampAssignment]
    let interest: [BarcampSessionID: Int]

    init(seed: UInt64, participants: ClosedRange<Int>, sessions sessionRange: ClosedRange<Int>, rooms roomRange: ClosedRange<Int>,
         slots slotRange: ClosedRange<Int>, marks: ClosedRange<Int>, pins: Bool) {
        var rng = BoardTestRandom(seed: seed)
        func pick(_ range: ClosedRange<Int>) -> Int { range.lowerBound + rng.int(range.count) }
        let start = BarcampFixtures.t0
        let rooms = (0..<pick(roomRange)).map { _ in
            BarcampRoom(id: BarcampRoomID(rng.uuid()), name: "Raum", capacity: [5, 8, 10, 15, 20, 30, 40][rng.int(7)])
        }
        var slots: [BarcampSlot] = []
        let sessionSlots = pick(slotRange)
        for index in 0..<(sessionSlots + 2) {
            // One common block at the start and one in the middle.
            let kind: BarcampSlotKind = index == 0 ? .opening : (index == sessionSlots / 2 + 1 ? .pause : .sessions)
            let begin = start.addingTimeInterval(Double(index) * 3600)
            slots.append(BarcampSlot(id: BarcampSlotID(rng.uuid()), kind: kind, startsAt: begin, endsAt: begin + 3000))
        }
        let people = (0..<pick(participants)).map { _ in ParticipantRef.user(UserID(rng.uuid())) }
        let hostPool = Array(people.prefix(max(1, people.count / 3)))
        let barcampID = BarcampID(rng.uuid())
        let sessions = (0..<pick(sessionRange)).map { _ -> BarcampSession in
            let host = hostPool[rng.int(hostPool.count)]
            var coHosts: [ParticipantRef] = []
            if rng.int(4) == 0 {
                let coHost = hostPool[rng.int(hostPool.count)]
                if coHost != host { coHosts.append(coHost) }
            }
            return BarcampSession(id: BarcampSessionID(rng.uuid()), barcampID: barcampID, title: "Session", description: "", host: host, coHosts: coHosts,
                                  format: .discussion, expectedSize: rng.int(3) == 0 ? nil : rng.int(30) + 1, status: .proposed,
                                  createdAt: start, updatedAt: start, version: 1)
        }
        var interestLists: [ParticipantRef: [BarcampSessionID]] = [:]
        var counts: [BarcampSessionID: Int] = [:]
        for person in people where !sessions.isEmpty {
            var chosen = Set<Int>()
            let wanted = min(sessions.count, pick(marks))
            while chosen.count < wanted {
                // Skewed popularity: lower indices are more popular.
                chosen.insert(min(rng.int(sessions.count), rng.int(sessions.count)))
            }
            interestLists[person] = chosen.sorted().map { sessions[$0].id }
            for index in chosen { counts[sessions[index].id, default: 0] += 1 }
        }
        var pinned: [BarcampAssignment] = []
        var valid: [BarcampAssignment] = []
        if pins && !rooms.isEmpty {
            // Valid pins that fit together, and pins into common blocks (invalid whatever the
            // order); conflicting pairs are left out, since which one wins is the scheduler's
            // stable order, tested by hand elsewhere.
            var cells = Set<BarcampCell>()
            var busy = Set<String>()
            var placed = Set<BarcampSessionID>()
            for _ in 0..<min(3, sessions.count) {
                let session = sessions[rng.int(sessions.count)]
                let slot = slots[rng.int(slots.count)]
                let cell = BarcampCell(roomID: rooms[rng.int(rooms.count)].id, slotID: slot.id)
                let assignment = BarcampAssignment(sessionID: session.id, cell: cell, pinned: true)
                if slot.kind.isCommon {
                    pinned.append(assignment)
                    continue
                }
                let hostKeys = session.hosts.map { "\($0) \(slot.id)" }
                guard !cells.contains(cell), !placed.contains(session.id), hostKeys.allSatisfy({ !busy.contains($0) }) else { continue }
                cells.insert(cell)
                placed.insert(session.id)
                busy.formUnion(hostKeys)
                pinned.append(assignment)
                valid.append(assignment)
            }
        }
        input = BarcampSchedulerInput(rooms: rooms, slots: slots, sessions: sessions.map { .init(id: $0.id, hosts: $0.hosts, expectedSize: $0.expectedSize) },
                                      interest: interestLists, pinned: pinned, passes: 20)
        barcamp = Barcamp(id: barcampID, workspaceID: nil, title: "Zufall", moderators: [UserID(rng.uuid())], rooms: rooms, slots: slots,
                          settings: BarcampSettings(), status: .planning, grid: [], createdBy: UserID(rng.uuid()), createdAt: start, updatedAt: start,
                          publishedAt: nil, version: 1)
        self.sessions = sessions
        validPins = valid
        interest = counts
    }

    /// The same problem with every list in another order.
    func shuffled(seed: UInt64) -> BarcampSchedulerInput {
        var rng = BoardTestRandom(seed: seed)
        var copy = input
        copy.rooms.shuffle(using: &rng)
        copy.slots.shuffle(using: &rng)
        copy.sessions.shuffle(using: &rng)
        copy.pinned.shuffle(using: &rng)
        for key in copy.interest.keys.sorted() { copy.interest[key]?.shuffle(using: &rng) }
        return copy
    }
}

@Suite("Barcamp scheduler: properties over seeded random instances")
struct BarcampSchedulerPropertyTests {
    static let seeds: [UInt64] = Array(1...24)

    static func instance(_ seed: UInt64) -> RandomBarcamp {
        RandomBarcamp(seed: seed, participants: 10...120, sessions: 3...24, rooms: 1...5, slots: 1...4, marks: 1...6, pins: true)
    }

    @Test("Hard constraints: one session per cell, no common block, no double-booked host or co-host", arguments: seeds)
    func hardConstraints(seed: UInt64) {
        let random = Self.instance(seed)
        let proposal = BarcampScheduler.propose(random.input)
        var barcamp = random.barcamp
        barcamp.grid = proposal.assignments
        #expect(BarcampGridRules.violations(barcamp, sessions: random.sessions).isEmpty)
        // What the rules check is what the moderator can apply.
        #expect((try? BarcampGridRules.applyProposal(proposal, expectedVersion: 1, barcamp: random.barcamp, sessions: random.sessions,
                                                     by: .user(Principal(userID: random.barcamp.moderators[0], displayName: nil, isAdmin: false,
                                                                         memberships: [:])), now: BarcampFixtures.t0)) != nil)
    }

    @Test("Valid pins are kept exactly; invalid ones are reported", arguments: seeds)
    func pinsKept(seed: UInt64) {
        let random = Self.instance(seed)
        let proposal = BarcampScheduler.propose(random.input)
        #expect(Set(proposal.assignments.filter(\.pinned)) == Set(random.validPins))
        let ignored = proposal.warnings.filter { if case .pinnedIgnored = $0 { true } else { false } }
        #expect(ignored.count == random.input.pinned.count - random.validPins.count)
    }

    @Test("Capacity is respected or warned; more interest never sits in a smaller room within a slot", arguments: seeds)
    func capacity(seed: UInt64) {
        let random = Self.instance(seed)
        let proposal = BarcampScheduler.propose(random.input)
        let capacity = Dictionary(uniqueKeysWithValues: random.input.rooms.map { ($0.id, $0.capacity) })
        let warned = Set(proposal.warnings.compactMap { warning -> BarcampSessionID? in
            if case .overCapacity(let w) = warning { return w.sessionID }
            return nil
        })
        for assignment in proposal.assignments {
            let over = (random.interest[assignment.sessionID] ?? 0) > capacity[assignment.cell.roomID]!
            #expect(over == warned.contains(assignment.sessionID))
        }
        let floating = proposal.assignments.filter { !$0.pinned }
        for a in floating {
            for b in floating where a.cell.slotID == b.cell.slotID && (random.interest[a.sessionID] ?? 0) > (random.interest[b.sessionID] ?? 0) {
                #expect(capacity[a.cell.roomID]! >= capacity[b.cell.roomID]!)
            }
        }
    }

    @Test("Deterministic: the same input, in any order, gives the identical proposal", arguments: seeds)
    func deterministic(seed: UInt64) {
        let random = Self.instance(seed)
        let first = BarcampScheduler.propose(random.input)
        #expect(BarcampScheduler.propose(random.input) == first)
        #expect(BarcampScheduler.propose(random.shuffled(seed: seed &+ 1000)) == first)
    }

    @Test("Never worse than the trivial baseline; the reported score is the objective", arguments: seeds)
    func baseline(seed: UInt64) {
        let random = Self.instance(seed)
        let proposal = BarcampScheduler.propose(random.input)
        let baseline = BarcampScheduler.baseline(random.input)
        var barcamp = random.barcamp
        barcamp.grid = baseline
        #expect(BarcampGridRules.violations(barcamp, sessions: random.sessions).isEmpty, "the baseline is a valid grid too")
        #expect(proposal.score >= BarcampScheduler.score(baseline, for: random.input))
        #expect(proposal.score == BarcampScheduler.score(proposal.assignments, for: random.input))
    }

    @Test("Every session is either placed or listed with its reason", arguments: seeds)
    func accounting(seed: UInt64) {
        let random = Self.instance(seed)
        let proposal = BarcampScheduler.propose(random.input)
        let placed = proposal.assignments.map(\.sessionID)
        let unplaced = proposal.unplaced.map(\.sessionID)
        #expect(Set(placed).isDisjoint(with: unplaced) && placed.count + unplaced.count == random.sessions.count)
        let cells = random.input.rooms.count * random.input.slots.filter { !$0.kind.isCommon }.count
        for entry in proposal.unplaced {
            #expect((entry.reason == .noFreeCell) == (placed.count == cells))
            #expect(entry.reason != .budgetExhausted)
        }
    }

    /// On problems small enough to enumerate (2 slots × 2 rooms, up to 6 sessions), the
    /// proposal reaches the best (placed, satisfied) of all feasible grids.
    @Test("Optimal on tiny instances (checked by enumeration)", arguments: Array(1...100) as [UInt64])
    func optimalOnTinyInstances(seed: UInt64) {
        let random = RandomBarcamp(seed: seed &* 7919, participants: 2...8, sessions: 2...6, rooms: 2...2, slots: 2...2, marks: 1...3, pins: false)
        let input = random.input
        let sessionSlots = input.slots.filter { !$0.kind.isCommon }
        let sessions = input.sessions
        var best = (placed: 0, satisfied: 0)
        var choice = [Int](repeating: 0, count: sessions.count)
        let total = Int(pow(3, Double(sessions.count)))
        for code in 0..<total {
            var rest = code
            for i in sessions.indices {
                choice[i] = rest % 3 - 1
                rest /= 3
            }
            var assignments: [BarcampAssignment] = []
            var used = [0, 0]
            var feasible = true
            var hostSlots = Set<String>()
            for (i, session) in sessions.enumerated() where choice[i] >= 0 {
                let t = choice[i]
                guard used[t] < input.rooms.count else { feasible = false; break }
                for host in Set(session.hosts) where !hostSlots.insert("\(host) \(t)").inserted { feasible = false }
                assignments.append(BarcampAssignment(sessionID: session.id, cell: BarcampCell(roomID: input.rooms[used[t]].id, slotID: sessionSlots[t].id),
                                                     pinned: false))
                used[t] += 1
            }
            guard feasible else { continue }
            let score = BarcampScheduler.score(assignments, for: input)
            if (score.placedSessions, score.satisfiedInterest) > best { best = (score.placedSessions, score.satisfiedInterest) }
        }
        let proposal = BarcampScheduler.propose(input)
        #expect(proposal.score.placedSessions == best.placed && proposal.score.satisfiedInterest == best.satisfied)
    }

    @Test("A conference-sized instance: 500 participants, 60 proposals, 6 rooms × 6 slots")
    func conferenceSized() {
        let random = RandomBarcamp(seed: 2026, participants: 500...500, sessions: 60...60, rooms: 6...6, slots: 6...6, marks: 1...10, pins: true)
        var input = random.input
        input.passes = BarcampScheduler.defaultPasses
        let proposal = BarcampScheduler.propose(input)
        var barcamp = random.barcamp
        barcamp.grid = proposal.assignments
        #expect(BarcampGridRules.violations(barcamp, sessions: random.sessions).isEmpty)
        #expect(proposal.assignments.count == 36 && proposal.unplaced.count == 24)
        #expect(proposal.score > BarcampScheduler.score(BarcampScheduler.baseline(input), for: input))
        #expect(Set(proposal.assignments.filter(\.pinned)) == Set(random.validPins))
    }
}
