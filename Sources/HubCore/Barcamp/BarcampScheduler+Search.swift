import Foundation

/// A change of the objective, compared like `BarcampScheduleScore`.
struct ScoreDelta {
    var placed = 0
    var satisfied = 0
    var overflow = 0

    /// Whether the change makes the grid strictly better.
    var improves: Bool { isBetter(than: ScoreDelta()) }

    func isBetter(than other: ScoreDelta) -> Bool {
        (placed, satisfied, -overflow) > (other.placed, other.satisfied, -other.overflow)
    }
}

/// A grid under construction with the counters that make a move's effect cheap to compute:
/// for every (participant, slot) how many of their marked sessions are there, how many
/// sessions they host there, and how many of those they marked themselves.
struct SchedulingState {
    let model: SchedulingModel
    /// Slot index per session, -1 when unplaced.
    private(set) var slotOf: [Int]
    /// Room index of pinned sessions, -1 for the others.
    let pinnedRoom: [Int]
    /// Room index chosen by `fillInOrder` (the baseline keeps explicit rooms), -1 otherwise.
    private var roomOf: [Int]
    private var members: [[Int]]
    private var marked: [Int]
    private var hosting: [Int]
    private var hostingMarked: [Int]
    private(set) var satisfied = 0
    private(set) var placed = 0
    private var stamp: [Int]
    /// Each slot's overflow, kept current by `attempt`, `undo` and `recount`.
    private var slotOverflow: [Int]
    private var epoch = 0
    private var scratch: [Int] = []
    private var floating: [Int] = []
    private var roomUsed: [Bool]

    init(_ model: SchedulingModel) {
        self.model = model
        let cells = model.participantCount * model.slotCount
        slotOf = Array(repeating: -1, count: model.sessionCount)
        roomOf = Array(repeating: -1, count: model.sessionCount)
        members = Array(repeating: [], count: model.slotCount)
        marked = Array(repeating: 0, count: cells)
        hosting = Array(repeating: 0, count: cells)
        hostingMarked = Array(repeating: 0, count: cells)
        stamp = Array(repeating: 0, count: model.participantCount)
        slotOverflow = Array(repeating: 0, count: model.slotCount)
        roomUsed = Array(repeating: false, count: model.roomCount)
        var pinnedRoom = Array(repeating: -1, count: model.sessionCount)
        for pin in model.pinned { pinnedRoom[pin.session] = pin.room }
        self.pinnedRoom = pinnedRoom
        for pin in model.pinned { setSlot(pin.session, pin.slot) }
        recount()
    }

    var score: BarcampScheduleScore {
        BarcampScheduleScore(placedSessions: placed, satisfiedInterest: satisfied, overflow: slotOverflow.reduce(0, +))
    }

    // MARK: Construction

    /// Greedy construction; see `BarcampScheduler`.
    mutating func greedy() {
        let order = (0..<model.sessionCount).filter { pinnedRoom[$0] < 0 }.sorted {
            (model.interest[$0], model.expectedSize[$0], -$0) > (model.interest[$1], model.expectedSize[$1], -$1)
        }
        for s in order {
            var best: (delta: ScoreDelta, load: Int, slot: Int)?
            for t in 0..<model.slotCount where members[t].count < model.roomCount {
                guard let delta = attempt(s, t) else { continue }
                let load = members[t].count - 1
                undo()
                if let current = best {
                    let key = (delta.satisfied, -delta.overflow, -load, -t)
                    if key <= (current.delta.satisfied, -current.delta.overflow, -current.load, -current.slot) { continue }
                }
                best = (delta, load, t)
            }
            // Placing always beats not placing (placed sessions come first in the objective).
            if let best {
                _ = attempt(s, best.slot)
                commit(best.delta)
            }
        }
    }

    /// The trivial baseline: sessions in id order into the first free cell (slot order, then
    /// room order) whose slot has their hosts free.
    mutating func fillInOrder() {
        var taken = Set(model.pinned.map { $0.slot * model.roomCount + $0.room })
        for s in 0..<model.sessionCount where pinnedRoom[s] < 0 {
            search: for t in 0..<model.slotCount where !hostsBusy(s, t) {
                for r in 0..<model.roomCount where !taken.contains(t * model.roomCount + r) {
                    taken.insert(t * model.roomCount + r)
                    setSlot(s, t)
                    roomOf[s] = r
                    break search
                }
            }
        }
        recount()
    }

    // MARK: Local search

    /// Best-improvement local search, at most `passes` passes; see `BarcampScheduler`.
    mutating func improve(passes: Int) {
        // Moves do not carry the baseline's explicit rooms along; from here on rooms go by size.
        roomOf = Array(repeating: -1, count: model.sessionCount)
        recount()
        for _ in 0..<max(0, passes) {
            var improved = false
            for s in 0..<model.sessionCount where pinnedRoom[s] < 0 {
                var best: (delta: ScoreDelta, first: (Int, Int), second: (Int, Int)?, third: (Int, Int)?)?
                func consider(_ first: (Int, Int), _ second: (Int, Int)? = nil, _ third: (Int, Int)? = nil) {
                    guard let delta = attempt(first.0, first.1, second, third) else { return }
                    undo()
                    guard delta.improves, best.map({ delta.isBetter(than: $0.delta) }) ?? true else { return }
                    best = (delta, first, second, third)
                }
                let here = slotOf[s]
                for t in 0..<model.slotCount where t != here && members[t].count < model.roomCount { consider((s, t)) }
                for other in 0..<model.sessionCount where other != s && pinnedRoom[other] < 0 && slotOf[other] >= 0 && slotOf[other] != here {
                    let there = slotOf[other]
                    if here >= 0 {
                        consider((s, there), (other, here))
                        continue
                    }
                    // Unplaced: take the other's place, or shift the other into a free cell
                    // elsewhere and take its slot (the free cell may be where s's host is busy).
                    consider((other, -1), (s, there))
                    for t in 0..<model.slotCount where t != there && members[t].count < model.roomCount { consider((other, t), (s, there)) }
                    // Or take the other out and put s and a second unplaced session in its slot:
                    // one session held by two busy hosts can block two that each need one of them.
                    guard members[there].count < model.roomCount else { continue }
                    for second in (s + 1)..<model.sessionCount where slotOf[second] < 0 && pinnedRoom[second] < 0 {
                        consider((other, -1), (s, there), (second, there))
                    }
                }
                if let best {
                    _ = attempt(best.first.0, best.first.1, best.second, best.third)
                    commit(best.delta)
                    improved = true
                }
            }
            if !improved { break }
        }
    }

    // MARK: Moves

    private var undoLog: [(session: Int, slot: Int)] = []
    private var touched: [Int] = []
    private var overflowBefore: [Int] = []

    /// Applies one to three slot changes and returns their effect, or `nil` (nothing applied)
    /// when the result breaks a hard constraint. After a non-nil answer the caller either
    /// `undo()`es or `commit`s. Written without temporary arrays: it runs thousands of times a pass.
    private mutating func attempt(_ s: Int, _ t: Int, _ second: (Int, Int)? = nil, _ third: (Int, Int)? = nil) -> ScoreDelta? {
        epoch += 1
        scratch.removeAll(keepingCapacity: true)
        touched.removeAll(keepingCapacity: true)
        note(s, t)
        if let second { note(second.0, second.1) }
        if let third { note(third.0, third.1) }
        let satisfiedBefore = satisfaction()
        overflowBefore.removeAll(keepingCapacity: true)
        var overflowDelta = 0
        for slot in touched {
            overflowBefore.append(slotOverflow[slot])
            overflowDelta -= slotOverflow[slot]
        }
        undoLog.removeAll(keepingCapacity: true)
        var placedDelta = move(s, t)
        if let second { placedDelta += move(second.0, second.1) }
        if let third { placedDelta += move(third.0, third.1) }
        var feasible = true
        for slot in touched where members[slot].count > model.roomCount { feasible = false }
        if feasible && (hostClash(s, t) || second.map({ hostClash($0.0, $0.1) }) ?? false || third.map({ hostClash($0.0, $0.1) }) ?? false) {
            feasible = false
        }
        guard feasible else {
            undo()
            return nil
        }
        for slot in touched {
            slotOverflow[slot] = computeOverflow(in: slot)
            overflowDelta += slotOverflow[slot]
        }
        return ScoreDelta(placed: placedDelta, satisfied: satisfaction() - satisfiedBefore, overflow: overflowDelta)
    }

    /// Records the slots and participants a move touches.
    private mutating func note(_ session: Int, _ target: Int) {
        let from = slotOf[session]
        if from >= 0 && !touched.contains(from) { touched.append(from) }
        if target >= 0 && !touched.contains(target) { touched.append(target) }
        for p in model.affected[session] where stamp[p] != epoch {
            stamp[p] = epoch
            scratch.append(p)
        }
    }

    private mutating func move(_ session: Int, _ target: Int) -> Int {
        let from = slotOf[session]
        undoLog.append((session, from))
        setSlot(session, target)
        return (target >= 0 ? 1 : 0) - (from >= 0 ? 1 : 0)
    }

    /// Whether a host of `session`, now in `slot`, holds another session there too.
    private func hostClash(_ session: Int, _ slot: Int) -> Bool {
        guard slot >= 0 else { return false }
        for h in model.hosts[session] where hosting[h * model.slotCount + slot] > 1 { return true }
        return false
    }

    private mutating func undo() {
        for (session, slot) in undoLog.reversed() { setSlot(session, slot) }
        for (slot, value) in zip(touched, overflowBefore) { slotOverflow[slot] = value }
        undoLog.removeAll(keepingCapacity: true)
    }

    private mutating func commit(_ delta: ScoreDelta) {
        satisfied += delta.satisfied
        placed += delta.placed
        undoLog.removeAll(keepingCapacity: true)
    }

    private mutating func setSlot(_ s: Int, _ t: Int) {
        let old = slotOf[s]
        guard old != t else { return }
        let slots = model.slotCount
        if old >= 0 {
            for p in model.markers[s] { marked[p * slots + old] -= 1 }
            for h in model.hosts[s] { hosting[h * slots + old] -= 1 }
            for h in model.hostsMarking[s] { hostingMarked[h * slots + old] -= 1 }
            if let index = members[old].firstIndex(of: s) { members[old].remove(at: index) }
        }
        if t >= 0 {
            for p in model.markers[s] { marked[p * slots + t] += 1 }
            for h in model.hosts[s] { hosting[h * slots + t] += 1 }
            for h in model.hostsMarking[s] { hostingMarked[h * slots + t] += 1 }
            members[t].append(s)
        }
        slotOf[s] = t
    }

    // MARK: Objective

    /// Whether participant `p`'s slot `t` is satisfied (see `BarcampScheduler`).
    private func isSatisfied(_ p: Int, _ t: Int) -> Bool {
        let i = p * model.slotCount + t
        return hosting[i] == 0 ? marked[i] > 0 : hostingMarked[i] > 0
    }

    /// Satisfied pairs among the noted participants and touched slots.
    private func satisfaction() -> Int {
        var total = 0
        for p in scratch { for t in touched where isSatisfied(p, t) { total += 1 } }
        return total
    }

    private mutating func recount() {
        satisfied = 0
        for p in 0..<model.participantCount { for t in 0..<model.slotCount where isSatisfied(p, t) { satisfied += 1 } }
        placed = slotOf.filter { $0 >= 0 }.count
        for t in 0..<model.slotCount { slotOverflow[t] = computeOverflow(in: t) }
    }

    private func hostsBusy(_ s: Int, _ t: Int) -> Bool {
        model.hosts[s].contains { hosting[$0 * model.slotCount + t] > 0 }
    }

    /// Rooms of slot `t` as (session, room): pinned sessions keep theirs; the others take the
    /// free rooms by size, most interest into the largest.
    private func rooms(in t: Int) -> [(session: Int, room: Int)] {
        var result: [(session: Int, room: Int)] = []
        var free = Array(repeating: true, count: model.roomCount)
        var floating: [Int] = []
        for s in members[t] {
            if pinnedRoom[s] >= 0 {
                result.append((s, pinnedRoom[s]))
                free[pinnedRoom[s]] = false
            } else if roomOf[s] >= 0 {
                result.append((s, roomOf[s]))
                free[roomOf[s]] = false
            } else {
                floating.append(s)
            }
        }
        floating.sort { (model.interest[$0], model.expectedSize[$0], -$0) > (model.interest[$1], model.expectedSize[$1], -$1) }
        var rooms = (0..<model.roomCount).filter { free[$0] }.makeIterator()
        for s in floating { if let r = rooms.next() { result.append((s, r)) } }
        return result
    }

    /// The overflow of slot `t` with the rooms `rooms(in:)` gives, computed without allocating:
    /// only the interest values matter, so the floating sessions need no tie-break here.
    private mutating func computeOverflow(in t: Int) -> Int {
        var total = 0
        floating.removeAll(keepingCapacity: true)
        for r in 0..<model.roomCount { roomUsed[r] = false }
        for s in members[t] {
            let room = pinnedRoom[s] >= 0 ? pinnedRoom[s] : roomOf[s]
            if room >= 0 {
                roomUsed[room] = true
                total += max(0, model.interest[s] - model.capacity[room])
            } else {
                floating.append(model.interest[s])
            }
        }
        floating.sort(by: >)
        var next = 0
        for r in 0..<model.roomCount where !roomUsed[r] && next < floating.count {
            total += max(0, floating[next] - model.capacity[r])
            next += 1
        }
        return total
    }

    // MARK: Output

    /// The grid: rooms by size, except pinned rooms and the baseline's explicit ones.
    func assignments() -> [BarcampAssignment] {
        (0..<model.slotCount).flatMap { t in
            rooms(in: t).sorted { $0.room < $1.room }.map {
                let cell = BarcampCell(roomID: model.roomIDs[$0.room], slotID: model.slotIDs[t])
                return BarcampAssignment(sessionID: model.sessionIDs[$0.session], cell: cell, pinned: pinnedRoom[$0.session] >= 0)
            }
        }
    }

    func proposal() -> BarcampScheduleProposal {
        let assignments = assignments()
        let unplaced = (0..<model.sessionCount).filter { slotOf[$0] < 0 }.map { s in
            let open = (0..<model.slotCount).filter { members[$0].count < model.roomCount }
            let reason: UnplacedReason = open.isEmpty ? .noFreeCell : (open.allSatisfy { hostsBusy(s, $0) } ? .hostConflict : .budgetExhausted)
            return BarcampScheduleProposal.UnplacedSession(sessionID: model.sessionIDs[s], reason: reason)
        }
        let index = Dictionary(uniqueKeysWithValues: model.sessionIDs.enumerated().map { ($1, $0) })
        let capacity = Dictionary(model.roomIDs.enumerated().map { ($1, model.capacity[$0]) }, uniquingKeysWith: { a, _ in a })
        let overCapacity = assignments.compactMap { a -> ScheduleWarning? in
            guard let s = index[a.sessionID], let seats = capacity[a.cell.roomID], model.interest[s] > seats else { return nil }
            return .overCapacity(CapacityWarning(sessionID: a.sessionID, roomID: a.cell.roomID, interest: model.interest[s], capacity: seats))
        }
        return BarcampScheduleProposal(assignments: assignments, unplaced: unplaced, warnings: model.pinnedWarnings + overCapacity, score: score)
    }
}
