import Foundation

/// The input for creating a barcamp.
public struct BarcampDraft: Sendable, Hashable {
    public var title: String
    public var workspaceID: WorkspaceID?
    public var rooms: [BarcampRoom]
    public var slots: [BarcampSlot]
    public var settings: BarcampSettings

    public init(title: String, workspaceID: WorkspaceID? = nil, rooms: [BarcampRoom] = [], slots: [BarcampSlot] = [],
                settings: BarcampSettings = BarcampSettings()) {
        self.title = title
        self.workspaceID = workspaceID
        self.rooms = rooms
        self.slots = slots
        self.settings = settings
    }
}

/// A partial change to a barcamp; `nil` leaves a property as it is.
public struct BarcampPatch: Sendable, Hashable {
    public var title: String?
    public var settings: BarcampSettings?
    public var moderators: [UserID]?
    public var rooms: [BarcampRoom]?
    public var slots: [BarcampSlot]?

    public init(title: String? = nil, settings: BarcampSettings? = nil, moderators: [UserID]? = nil, rooms: [BarcampRoom]? = nil,
                slots: [BarcampSlot]? = nil) {
        self.title = title
        self.settings = settings
        self.moderators = moderators
        self.rooms = rooms
        self.slots = slots
    }
}

/// The barcamp's lifecycle: setting up, publishing, closing. Status moves
/// planning → published → closed, or planning → closed (cancelled); never back.
public enum BarcampRules {
    /// Allowed length of a barcamp's title.
    public static let titleLength = 3...120
    /// Allowed length of a room's name.
    public static let roomNameLength = 1...60
    /// Allowed length of a slot's label.
    public static let slotTitleLength = 0...80
    /// Allowed seats of a room.
    public static let capacityRange = 1...5000
    /// At most this many rooms.
    public static let maxRooms = 30
    /// At most this many slots.
    public static let maxSlots = 40
    /// At most this many listed moderators.
    public static let maxModerators = 10

    /// Creates a barcamp; who may is the same as for Lean Coffee boards. The creator moderates.
    public static func create(_ draft: BarcampDraft, id: BarcampID, workspace: Workspace?, by actor: Principal, now: Date,
                              today: LocalDate) throws(DomainError) -> BarcampOutcome {
        guard let userID = actor.userID else { throw .unauthenticated }
        if let workspaceID = draft.workspaceID {
            guard let workspace, workspace.id == workspaceID else { throw .notFound("workspace") }
            try WorkspaceRules.requireEditable(workspace, by: actor, today: today, permission: LeanCoffeeBoardRules.canStartBoards)
        }
        var issues: [FieldIssue] = []
        let title = BoardText.line(draft.title, field: "title", length: titleLength, issues: &issues)
        let rooms = validRooms(draft.rooms, issues: &issues)
        let slots = validSlots(draft.slots, issues: &issues)
        issues += draft.settings.issues()
        guard issues.isEmpty else { throw .validation(issues) }
        let barcamp = Barcamp(id: id, workspaceID: draft.workspaceID, title: title, moderators: [userID], rooms: rooms, slots: slots,
                              settings: draft.settings, status: .planning, grid: [], createdBy: userID, createdAt: now, updatedAt: now,
                              publishedAt: nil, version: 1)
        return BarcampOutcome(barcamp: barcamp, barcampChanged: true, events: [.barcampCreated(barcamp)])
    }

    /// Moderators change title, settings, moderators, rooms and slots. A room or slot that holds
    /// sessions cannot disappear (nor a slot become a common block) until they are moved.
    public static func update(_ barcamp: Barcamp, with patch: BarcampPatch, expectedVersion: Int, by actor: BoardActor,
                              now: Date) throws(DomainError) -> BarcampOutcome {
        try barcamp.access.require(.lead, actor)
        try requireOpen(barcamp)
        guard expectedVersion == barcamp.version else { throw .versionConflict }
        var next = barcamp
        var issues: [FieldIssue] = []
        if let title = patch.title { next.title = BoardText.line(title, field: "title", length: titleLength, issues: &issues) }
        if let settings = patch.settings {
            issues += settings.issues()
            next.settings = settings
        }
        if let moderators = patch.moderators {
            var seen = Set<UserID>()
            next.moderators = moderators.filter { seen.insert($0).inserted }
            if next.moderators.isEmpty || next.moderators.count > maxModerators {
                issues.append(FieldIssue(field: "moderators", code: "outOfRange", message: "One to \(maxModerators) moderators."))
            }
        }
        if let rooms = patch.rooms { next.rooms = validRooms(rooms, issues: &issues) }
        if let slots = patch.slots { next.slots = validSlots(slots, issues: &issues) }
        guard issues.isEmpty else { throw .validation(issues) }
        let roomIDs = Set(next.rooms.map(\.id))
        let sessionSlots = Set(next.slots.filter { !$0.kind.isCommon }.map(\.id))
        if barcamp.grid.contains(where: { !roomIDs.contains($0.cell.roomID) }) { throw BarcampErrors.roomInUse }
        if barcamp.grid.contains(where: { !sessionSlots.contains($0.cell.slotID) }) { throw BarcampErrors.slotInUse }
        guard next != barcamp else { return BarcampOutcome(barcamp: barcamp) }
        next.version += 1
        next.updatedAt = now
        return BarcampOutcome(barcamp: next, barcampChanged: true, events: [.barcampUpdated(next)])
    }

    /// A guest joins by link with a display name (or renames themselves by joining again).
    public static func joinAsGuest(_ barcamp: Barcamp, guestID: GuestID, displayName: String, existing: BoardGuest?,
                                   now: Date) throws(DomainError) -> BarcampOutcome {
        try barcamp.access.require(.guest, .guest(GuestPass(guestID: guestID, scope: barcamp.id.uuid)))
        try requireOpen(barcamp)
        let name = try BoardGuest.validDisplayName(displayName)
        if let existing, existing.displayName == name { return BarcampOutcome(barcamp: barcamp) }
        let guest = BoardGuest(id: guestID, scope: barcamp.id.uuid, displayName: name, joinedAt: existing?.joinedAt ?? now)
        return BarcampOutcome(barcamp: barcamp, changes: [.guest(guest)], events: [.guestJoined(guest, barcamp: barcamp.id)])
    }

    /// Publishes the schedule. From now on every grid change is also announced. Publishing an
    /// already published schedule again is a no-op (a double click).
    public static func publish(_ barcamp: Barcamp, expectedVersion: Int, by actor: BoardActor, now: Date) throws(DomainError) -> BarcampOutcome {
        try barcamp.access.require(.lead, actor)
        try requireOpen(barcamp)
        if barcamp.status == .published { return BarcampOutcome(barcamp: barcamp) }
        guard expectedVersion == barcamp.version else { throw .versionConflict }
        guard !barcamp.grid.isEmpty else { throw BarcampErrors.emptySchedule }
        var next = barcamp
        next.status = .published
        next.publishedAt = now
        next.version += 1
        next.updatedAt = now
        return BarcampOutcome(barcamp: next, barcampChanged: true, events: [.schedulePublished(next)])
    }

    /// Closes the barcamp: proposals, marks, grid and notes become read-only.
    public static func close(_ barcamp: Barcamp, by actor: BoardActor, now: Date) throws(DomainError) -> BarcampOutcome {
        try barcamp.access.require(.lead, actor)
        if barcamp.status == .closed { return BarcampOutcome(barcamp: barcamp) }
        var next = barcamp
        next.status = .closed
        next.version += 1
        next.updatedAt = now
        return BarcampOutcome(barcamp: next, barcampChanged: true, events: [.barcampClosed(next)])
    }

    static func requireOpen(_ barcamp: Barcamp) throws(DomainError) {
        guard barcamp.status != .closed else { throw BarcampErrors.closed }
    }

    static func validRooms(_ rooms: [BarcampRoom], issues: inout [FieldIssue]) -> [BarcampRoom] {
        if rooms.count > maxRooms { issues.append(FieldIssue(field: "rooms", code: "tooMany", message: "At most \(maxRooms) rooms.")) }
        var seen = Set<BarcampRoomID>()
        return rooms.enumerated().map { index, room in
            var room = room
            room.name = BoardText.line(room.name, field: "rooms[\(index)].name", length: roomNameLength, issues: &issues)
            if !capacityRange.contains(room.capacity) {
                issues.append(FieldIssue(field: "rooms[\(index)].capacity", code: "outOfRange", message: "Between 1 and 5000 seats."))
            }
            if !seen.insert(room.id).inserted { issues.append(FieldIssue(field: "rooms[\(index)].id", code: "duplicate", message: "Listed twice.")) }
            return room
        }
    }

    /// Validates slots and returns them in time order; overlapping slots are refused.
    static func validSlots(_ slots: [BarcampSlot], issues: inout [FieldIssue]) -> [BarcampSlot] {
        if slots.count > maxSlots { issues.append(FieldIssue(field: "slots", code: "tooMany", message: "At most \(maxSlots) slots.")) }
        var seen = Set<BarcampSlotID>()
        let checked = slots.enumerated().map { index, slot in
            var slot = slot
            slot.title = BoardText.line(slot.title, field: "slots[\(index)].title", length: slotTitleLength, issues: &issues)
            if slot.endsAt <= slot.startsAt {
                issues.append(FieldIssue(field: "slots[\(index)].endsAt", code: "beforeStart", message: "A slot ends after it starts."))
            }
            if !seen.insert(slot.id).inserted { issues.append(FieldIssue(field: "slots[\(index)].id", code: "duplicate", message: "Listed twice.")) }
            return slot
        }
        let sorted = checked.enumerated().sorted {
            ($0.element.startsAt, $0.element.id.description, $0.offset) < ($1.element.startsAt, $1.element.id.description, $1.offset)
        }
        for (earlier, later) in zip(sorted, sorted.dropFirst()) where later.element.startsAt < earlier.element.endsAt {
            issues.append(FieldIssue(field: "slots[\(later.offset)].startsAt", code: "overlaps", message: "Overlaps another slot."))
        }
        return sorted.map(\.element)
    }
}
