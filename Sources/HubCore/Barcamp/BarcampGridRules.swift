import Foundation

/// A session whose interest exceeds its room's seats.
public struct CapacityWarning: Sendable, Hashable, Codable {
    public let sessionID: BarcampSessionID
    public let roomID: BarcampRoomID
    public let interest: Int
    public let capacity: Int

    public init(sessionID: BarcampSessionID, roomID: BarcampRoomID, interest: Int, capacity: Int) {
        self.sessionID = sessionID
        self.roomID = roomID
        self.interest = interest
        self.capacity = capacity
    }
}

/// Something wrong with a grid. The rules never produce one; imported or stale grids are checked with it.
public enum GridViolation: Sendable, Hashable {
    case unknownSession(BarcampSessionID)
    case withdrawnSession(BarcampSessionID)
    case placedTwice(BarcampSessionID)
    case unknownCell(BarcampSessionID)
    case commonBlock(BarcampSessionID)
    case sharedCell(BarcampCell)
    /// A host or co-host holds two sessions in one slot.
    case hostConflict(ParticipantRef, BarcampSlotID)
}

/// The moderator's grid: sessions placed in room × slot cells.
///
/// Invariants every operation keeps: one session per cell; a session in at most one cell;
/// no session in a common block; no host or co-host in two sessions of the same slot; only
/// sessions that are still proposed. Manual placements are pinned (the scheduler keeps them).
/// Every change names the grid version it was based on, so two moderators dragging at once
/// get a conflict instead of overwriting each other.
public enum BarcampGridRules {
    /// Places an unplaced session in an empty cell.
    public static func assign(_ sessionID: BarcampSessionID, to cell: BarcampCell, pinned: Bool = true, expectedVersion: Int, barcamp: Barcamp,
                              sessions: [BarcampSession], by actor: BoardActor, now: Date) throws(DomainError) -> BarcampOutcome {
        let session = try prepare(sessionID, expectedVersion: expectedVersion, barcamp: barcamp, sessions: sessions, by: actor)
        guard barcamp.assignment(of: sessionID) == nil else { throw BarcampErrors.alreadyPlaced }
        try requireUsable(cell, barcamp)
        guard barcamp.occupant(of: cell) == nil else { throw BarcampErrors.cellOccupied }
        guard !hostsBusy(session, in: cell.slotID, barcamp: barcamp, sessions: sessions) else { throw BarcampErrors.hostConflict }
        var next = barcamp
        next.grid.append(BarcampAssignment(sessionID: sessionID, cell: cell, pinned: pinned))
        return commit(next, [ScheduleChange(sessionID: sessionID, from: nil, to: cell)], now: now)
    }

    /// Moves a placed session to another cell. Onto an occupied cell only with `swap`: the
    /// occupant then takes the session's old cell (drag one session onto another).
    public static func move(_ sessionID: BarcampSessionID, to cell: BarcampCell, swap: Bool = false, expectedVersion: Int, barcamp: Barcamp,
                            sessions: [BarcampSession], by actor: BoardActor, now: Date) throws(DomainError) -> BarcampOutcome {
        let session = try prepare(sessionID, expectedVersion: expectedVersion, barcamp: barcamp, sessions: sessions, by: actor)
        guard let placed = barcamp.assignment(of: sessionID) else { throw BarcampErrors.notPlaced }
        guard placed.cell != cell else { return BarcampOutcome(barcamp: barcamp) }
        try requireUsable(cell, barcamp)
        var next = barcamp
        next.grid.removeAll { $0.sessionID == sessionID }
        var changes = [ScheduleChange(sessionID: sessionID, from: placed.cell, to: cell)]
        if let occupant = barcamp.occupant(of: cell) {
            guard swap else { throw BarcampErrors.cellOccupied }
            next.grid.removeAll { $0.sessionID == occupant.sessionID }
            if let other = sessions.first(where: { $0.id == occupant.sessionID }),
               hostsBusy(other, in: placed.cell.slotID, barcamp: next, sessions: sessions) {
                throw BarcampErrors.hostConflict
            }
            next.grid.append(BarcampAssignment(sessionID: occupant.sessionID, cell: placed.cell, pinned: occupant.pinned))
            changes.append(ScheduleChange(sessionID: occupant.sessionID, from: cell, to: placed.cell))
        }
        guard !hostsBusy(session, in: cell.slotID, barcamp: next, sessions: sessions) else { throw BarcampErrors.hostConflict }
        next.grid.append(BarcampAssignment(sessionID: sessionID, cell: cell, pinned: true))
        return commit(next, changes, now: now)
    }

    /// Takes a session out of the grid; a session not in the grid changes nothing.
    public static func unassign(_ sessionID: BarcampSessionID, expectedVersion: Int, barcamp: Barcamp, by actor: BoardActor,
                                now: Date) throws(DomainError) -> BarcampOutcome {
        try barcamp.access.require(.lead, actor)
        try BarcampRules.requireOpen(barcamp)
        guard let placed = barcamp.assignment(of: sessionID) else { return BarcampOutcome(barcamp: barcamp) }
        guard expectedVersion == barcamp.version else { throw .versionConflict }
        var next = barcamp
        next.grid.removeAll { $0.sessionID == sessionID }
        return commit(next, [ScheduleChange(sessionID: sessionID, from: placed.cell, to: nil)], now: now)
    }

    /// Pins a placed session (the scheduler keeps it) or releases it (the scheduler may move it).
    public static func setPinned(_ pinned: Bool, _ sessionID: BarcampSessionID, expectedVersion: Int, barcamp: Barcamp, by actor: BoardActor,
                                 now: Date) throws(DomainError) -> BarcampOutcome {
        try barcamp.access.require(.lead, actor)
        try BarcampRules.requireOpen(barcamp)
        guard let index = barcamp.grid.firstIndex(where: { $0.sessionID == sessionID }) else { throw BarcampErrors.notPlaced }
        guard barcamp.grid[index].pinned != pinned else { return BarcampOutcome(barcamp: barcamp) }
        guard expectedVersion == barcamp.version else { throw .versionConflict }
        var next = barcamp
        next.grid[index].pinned = pinned
        return commit(next, [], now: now)
    }

    /// Takes the scheduler's proposal: pinned assignments stay, every unpinned one is replaced
    /// by the proposal's. The whole result is checked against the invariants, so a proposal
    /// computed on an older state cannot break them.
    public static func applyProposal(_ proposal: BarcampScheduleProposal, expectedVersion: Int, barcamp: Barcamp, sessions: [BarcampSession],
                                     by actor: BoardActor, now: Date) throws(DomainError) -> BarcampOutcome {
        try barcamp.access.require(.lead, actor)
        try BarcampRules.requireOpen(barcamp)
        guard expectedVersion == barcamp.version else { throw .versionConflict }
        let pinned = barcamp.grid.filter(\.pinned)
        let pinnedIDs = Set(pinned.map(\.sessionID))
        var next = barcamp
        next.grid = pinned + proposal.assignments.filter { !pinnedIDs.contains($0.sessionID) }.map {
            BarcampAssignment(sessionID: $0.sessionID, cell: $0.cell, pinned: false)
        }
        let violations = violations(next, sessions: sessions)
        guard violations.isEmpty else {
            throw DomainError(.conflict, code: "barcamp.staleProposal", message: "The proposal no longer fits the grid. Compute a new one.")
        }
        let before = Dictionary(barcamp.grid.map { ($0.sessionID, $0.cell) }, uniquingKeysWith: { a, _ in a })
        let after = Dictionary(next.grid.map { ($0.sessionID, $0.cell) }, uniquingKeysWith: { a, _ in a })
        let changes = Set(before.keys).union(after.keys).sorted { $0.description < $1.description }.compactMap { id in
            before[id] == after[id] ? nil : ScheduleChange(sessionID: id, from: before[id], to: after[id])
        }
        guard !changes.isEmpty || next.grid.map(\.pinned) != barcamp.grid.map(\.pinned) else { return BarcampOutcome(barcamp: barcamp) }
        return commit(next, changes, now: now)
    }

    // MARK: Checks

    /// Whether a host or co-host of `session` holds another session placed in `slot`.
    public static func hostsBusy(_ session: BarcampSession, in slot: BarcampSlotID, barcamp: Barcamp, sessions: [BarcampSession]) -> Bool {
        let hosts = Set(session.hosts)
        return barcamp.grid.contains { assignment in
            guard assignment.cell.slotID == slot, assignment.sessionID != session.id,
                  let other = sessions.first(where: { $0.id == assignment.sessionID }) else { return false }
            return other.hosts.contains(where: hosts.contains)
        }
    }

    /// Every broken invariant of a grid (empty for every grid the rules produce).
    public static func violations(_ barcamp: Barcamp, sessions: [BarcampSession]) -> [GridViolation] {
        var result: [GridViolation] = []
        let byID = Dictionary(sessions.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        var seenSessions = Set<BarcampSessionID>()
        var seenCells = Set<BarcampCell>()
        var hostSlots = Set<String>()
        for assignment in barcamp.grid {
            let id = assignment.sessionID
            if !seenSessions.insert(id).inserted { result.append(.placedTwice(id)) }
            if !seenCells.insert(assignment.cell).inserted { result.append(.sharedCell(assignment.cell)) }
            guard let session = byID[id] else { result.append(.unknownSession(id)); continue }
            if session.status == .withdrawn { result.append(.withdrawnSession(id)) }
            guard barcamp.room(assignment.cell.roomID) != nil, let slot = barcamp.slot(assignment.cell.slotID) else {
                result.append(.unknownCell(id))
                continue
            }
            if slot.kind.isCommon { result.append(.commonBlock(id)) }
            for host in Set(session.hosts) where !hostSlots.insert("\(host) \(slot.id)").inserted {
                result.append(.hostConflict(host, slot.id))
            }
        }
        return result
    }

    /// Placed sessions whose interest exceeds their room's capacity, in grid order.
    public static func capacityWarnings(_ barcamp: Barcamp, interest: [BarcampSessionID: Int]) -> [CapacityWarning] {
        barcamp.grid.compactMap { assignment in
            guard let room = barcamp.room(assignment.cell.roomID) else { return nil }
            let count = interest[assignment.sessionID] ?? 0
            return count > room.capacity
                ? CapacityWarning(sessionID: assignment.sessionID, roomID: room.id, interest: count, capacity: room.capacity) : nil
        }
    }

    // MARK: Helpers

    static func prepare(_ sessionID: BarcampSessionID, expectedVersion: Int, barcamp: Barcamp, sessions: [BarcampSession],
                        by actor: BoardActor) throws(DomainError) -> BarcampSession {
        try barcamp.access.require(.lead, actor)
        try BarcampRules.requireOpen(barcamp)
        guard expectedVersion == barcamp.version else { throw .versionConflict }
        guard let session = sessions.first(where: { $0.id == sessionID }) else { throw BarcampErrors.sessionNotFound }
        guard session.status == .proposed else { throw BarcampErrors.sessionWithdrawn }
        return session
    }

    static func requireUsable(_ cell: BarcampCell, _ barcamp: Barcamp) throws(DomainError) {
        guard barcamp.room(cell.roomID) != nil else { throw BarcampErrors.roomNotFound }
        guard let slot = barcamp.slot(cell.slotID) else { throw BarcampErrors.slotNotFound }
        guard !slot.kind.isCommon else { throw BarcampErrors.commonBlock }
    }

    static func commit(_ barcamp: Barcamp, _ changes: [ScheduleChange], now: Date) -> BarcampOutcome {
        var next = barcamp
        next.version += 1
        next.updatedAt = now
        return BarcampOutcome(barcamp: next, barcampChanged: true, events: gridEvents(next, changes))
    }

    /// The grid event, plus one announcement per change once the schedule is published.
    static func gridEvents(_ barcamp: Barcamp, _ changes: [ScheduleChange]) -> [BarcampEvent] {
        var events: [BarcampEvent] = [.gridChanged(barcamp: barcamp.id, version: barcamp.version, grid: barcamp.grid, changes: changes)]
        if barcamp.status == .published {
            events += changes.map { .scheduleChangeAnnounced(barcamp: barcamp.id, $0) }
        }
        return events
    }
}
