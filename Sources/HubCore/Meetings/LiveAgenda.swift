import Foundation

/// How long an item actually took.
public struct ItemTiming: Hashable, Sendable, Codable {
    public let itemID: AgendaItemID
    public let startedAt: Date
    public let endedAt: Date
    public let plannedMinutes: Int

    /// Seconds over (positive) or under (negative) plan.
    public var deviation: TimeInterval { endedAt.timeIntervalSince(startedAt) - TimeInterval(plannedMinutes * 60) }
}

/// The live state of a running meeting. The timer is stored as `endsAt`, an absolute time:
/// the server broadcasts changes, never clock ticks, and each browser counts down locally.
public struct LiveSession: Hashable, Sendable, Codable {
    public let startedAt: Date
    /// Nil once the last item is done (the meeting may still be finished explicitly).
    public var currentItemID: AgendaItemID?
    public var itemStartedAt: Date?
    public var endsAt: Date?
    public var finishedAt: Date?
    public var timings: [ItemTiming]

    public init(startedAt: Date, currentItemID: AgendaItemID?, itemStartedAt: Date?, endsAt: Date?, finishedAt: Date? = nil, timings: [ItemTiming] = []) {
        self.startedAt = startedAt
        self.currentItemID = currentItemID
        self.itemStartedAt = itemStartedAt
        self.endsAt = endsAt
        self.finishedAt = finishedAt
        self.timings = timings
    }

    /// Seconds the current item is past its end; 0 while within time.
    public func overrun(at now: Date) -> TimeInterval {
        guard finishedAt == nil, let endsAt else { return 0 }
        return max(0, now.timeIntervalSince(endsAt))
    }

    /// Started and not yet finished.
    public var isRunning: Bool { finishedAt == nil }
}

/// Running the agenda during the meeting: start, advance, jump, extend, finish.
public enum LiveAgendaRules {
    /// A meeting may start this long before its planned start.
    public static let earlyStart: TimeInterval = 3600
    public static let extensionRange = 1...120

    /// Starts the meeting: the meeting becomes `held` and the first item current.
    public static func start(_ agenda: Agenda, of meeting: Meeting, by actor: Principal, now: Date)
        throws(DomainError) -> (Meeting, Agenda, [MeetingEvent]) {
        try requireManager(actor, meeting)
        guard meeting.status == .planned || meeting.status == .invited, agenda.live == nil else {
            throw DomainError(.invalidTransition, code: "meeting.cannotStart", message: "Only a planned or invited meeting can start, and only once.")
        }
        guard now >= meeting.startInstant.addingTimeInterval(-earlyStart) else {
            throw DomainError(.invalidTransition, code: "meeting.tooEarly", message: "A meeting can start at most an hour before its planned time.")
        }
        var held = meeting
        held.status = .held
        held.heldAt = now
        held.updatedAt = now
        held.version += 1
        var next = agenda
        let first = agenda.leaves.first
        next.live = LiveSession(startedAt: now, currentItemID: first?.item.id, itemStartedAt: first == nil ? nil : now,
                                endsAt: first.map { now.addingTimeInterval(TimeInterval($0.plannedMinutes * 60)) })
        next = bump(next, now)
        return (held, next, [.meetingStatusChanged(held), .liveAgendaChanged(next)])
    }

    /// Moves on to the next item. `from` is the item the presenter saw as current: when
    /// someone else advanced in the meantime, this is a conflict, not a second step.
    public static func advance(_ agenda: Agenda, from current: AgendaItemID?, of meeting: Meeting, by actor: Principal, now: Date)
        throws(DomainError) -> (Agenda, [MeetingEvent]) {
        let live = try running(agenda, meeting, actor)
        guard live.currentItemID == current, let current else {
            throw DomainError(.conflict, code: "agenda.liveMoved", message: "The agenda has moved on in the meantime.")
        }
        let order = agenda.numbered
        let position = order.firstIndex { $0.item.id == current } ?? order.count
        let next = order.dropFirst(position + 1).first { $0.item.children.isEmpty }
        return enter(next, agenda: agenda, live: live, now: now)
    }

    /// Jumps to any item (a leaf, or the first leaf under the item chosen).
    public static func goTo(_ id: AgendaItemID, in agenda: Agenda, of meeting: Meeting, by actor: Principal, now: Date)
        throws(DomainError) -> (Agenda, [MeetingEvent]) {
        let live = try running(agenda, meeting, actor)
        let order = agenda.numbered
        guard let position = order.firstIndex(where: { $0.item.id == id }) else { throw .notFound("agendaItem") }
        let target = order.dropFirst(position).first { $0.item.children.isEmpty }
        guard target?.item.id != live.currentItemID else { return (agenda, []) }
        return enter(target, agenda: agenda, live: live, now: now)
    }

    /// Gives the current item more time.
    public static func extend(_ agenda: Agenda, byMinutes minutes: Int, of meeting: Meeting, by actor: Principal, now: Date)
        throws(DomainError) -> (Agenda, [MeetingEvent]) {
        var live = try running(agenda, meeting, actor)
        guard extensionRange.contains(minutes) else {
            throw .validation([FieldIssue(field: "minutes", code: "outOfRange", message: "1 to 120 minutes.")])
        }
        guard let endsAt = live.endsAt else {
            throw DomainError(.invalidTransition, code: "agenda.noCurrentItem", message: "No item is being discussed.")
        }
        // Extending an item that already overran counts from now: the extra time is real time.
        live.endsAt = max(endsAt, now).addingTimeInterval(TimeInterval(minutes * 60))
        var next = agenda
        next.live = live
        next = bump(next, now)
        return (next, [.liveAgendaChanged(next)])
    }

    /// Ends the live agenda; the minutes go on being written.
    public static func finish(_ agenda: Agenda, of meeting: Meeting, by actor: Principal, now: Date) throws(DomainError) -> (Agenda, [MeetingEvent]) {
        var live = try running(agenda, meeting, actor)
        live = closeCurrent(live, agenda: agenda, now: now)
        live.currentItemID = nil
        live.itemStartedAt = nil
        live.endsAt = nil
        live.finishedAt = now
        var next = agenda
        next.live = live
        next = bump(next, now)
        return (next, [.liveAgendaChanged(next)])
    }

    static func enter(_ target: NumberedAgendaItem?, agenda: Agenda, live: LiveSession, now: Date) -> (Agenda, [MeetingEvent]) {
        var live = closeCurrent(live, agenda: agenda, now: now)
        live.currentItemID = target?.item.id
        live.itemStartedAt = target == nil ? nil : now
        live.endsAt = target.map { now.addingTimeInterval(TimeInterval($0.plannedMinutes * 60)) }
        var next = agenda
        next.live = live
        next = bump(next, now)
        return (next, [.liveAgendaChanged(next)])
    }

    static func closeCurrent(_ live: LiveSession, agenda: Agenda, now: Date) -> LiveSession {
        var live = live
        if let id = live.currentItemID, let started = live.itemStartedAt {
            live.timings.append(ItemTiming(itemID: id, startedAt: started, endedAt: now, plannedMinutes: agenda.item(id)?.plannedMinutes ?? 0))
        }
        return live
    }

    static func running(_ agenda: Agenda, _ meeting: Meeting, _ actor: Principal) throws(DomainError) -> LiveSession {
        try requireManager(actor, meeting)
        guard meeting.status == .held, let live = agenda.live, live.isRunning else {
            throw DomainError(.invalidTransition, code: "agenda.notLive", message: "The meeting is not running.")
        }
        return live
    }

    static func requireManager(_ actor: Principal, _ meeting: Meeting) throws(DomainError) {
        guard MeetingPermissions.canManage(actor, meeting.workspaceID) else { throw MeetingPermissions.refusal(actor, meeting.workspaceID) }
    }

    static func bump(_ agenda: Agenda, _ now: Date) -> Agenda {
        var next = agenda
        next.version = agenda.version + 1
        next.updatedAt = now
        return next
    }
}
