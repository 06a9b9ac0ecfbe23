import Foundation
import HubCore

/// A refused minutes save: the section changed since its author opened it. Carries the
/// current minutes so the client can merge (the author's text is never dropped).
public struct MinutesEditConflict: Error, Sendable {
    public let error: DomainError
    public let current: MinutesView
}

/// A refused agenda edit (stale `If-Match`): carries the current agenda.
public struct AgendaEditConflict: Error, Sendable {
    public let error: DomainError
    public let current: AgendaView
}

/// The live steps of an agenda.
public enum LiveStep: Sendable, Hashable {
    case start
    /// `from` names the item the presenter saw as current (a double click is a conflict, not two steps).
    case advance(from: AgendaItemID?)
    case goTo(AgendaItemID)
    case extend(minutes: Int)
    case finish
}

/// Agenda editing, the live agenda, minutes written together, approval and the action list.
public struct MeetingWork: Sendable {
    let deps: ServiceDependencies
    let meetings: Meetings

    public init(deps: ServiceDependencies, meetings: Meetings) {
        self.deps = deps
        self.meetings = meetings
    }

    var store: any HubStore { deps.store }

    func agenda(of meeting: Meeting) async throws -> Agenda {
        guard let agenda = try await store.agenda(of: meeting.id) else { throw DomainError.notFound("agenda") }
        return agenda
    }

    func knownRecommendations(_ workspace: WorkspaceID) async throws -> Set<RecommendationID> {
        Set(try await store.recommendations(in: workspace).map(\.id))
    }

    // MARK: Agenda

    public func agenda(_ id: MeetingID, by actor: Principal) async throws -> AgendaView {
        let c = try await MeetingContext.load(id, by: actor, store: store)
        return AgendaView(try await agenda(of: c.meeting), start: c.meeting.start)
    }

    public func edit(_ id: MeetingID, _ edit: AgendaEdit, expectedVersion: Int, by actor: Principal) async throws -> AgendaView {
        let c = try await MeetingContext.load(id, by: actor, store: store)
        let current = try await agenda(of: c.meeting)
        do {
            let (next, events) = try AgendaRules.apply(edit, to: current, of: c.meeting, expectedVersion: expectedVersion, by: actor,
                                                       knownRecommendations: try await knownRecommendations(c.meeting.workspaceID), now: deps.clock.now())
            try await deps.commit(ChangeSet(changes: [.meeting(.updateAgenda(next, expectedVersion: current.version))],
                                            events: MeetingEventEncoding.newEvents(events, meeting: c.meeting)))
            return AgendaView(next, start: c.meeting.start)
        } catch let error as DomainError where error == .versionConflict {
            let fresh = try await agenda(of: c.meeting)
            throw AgendaEditConflict(error: error, current: AgendaView(fresh, start: c.meeting.start))
        }
    }

    /// Starts, advances, jumps, extends or finishes the live agenda. Every participant sees it
    /// on `workspace:<id>` (`agenda.liveChanged`); browsers count down to `endsAt` themselves.
    public func live(_ id: MeetingID, _ step: LiveStep, by actor: Principal) async throws -> AgendaView {
        let c = try await MeetingContext.load(id, by: actor, store: store)
        let current = try await agenda(of: c.meeting)
        let now = deps.clock.now()
        var meeting = c.meeting
        let next: Agenda, events: [MeetingEvent]
        var changes: [Change] = []
        switch step {
        case .start:
            let (held, agenda, e) = try LiveAgendaRules.start(current, of: c.meeting, by: actor, now: now)
            if held != c.meeting { changes.append(.meeting(.updateMeeting(held, expectedVersion: c.meeting.version))) }
            meeting = held
            (next, events) = (agenda, e)
        case .advance(let from): (next, events) = try LiveAgendaRules.advance(current, from: from, of: c.meeting, by: actor, now: now)
        case .goTo(let item): (next, events) = try LiveAgendaRules.goTo(item, in: current, of: c.meeting, by: actor, now: now)
        case .extend(let minutes): (next, events) = try LiveAgendaRules.extend(current, byMinutes: minutes, of: c.meeting, by: actor, now: now)
        case .finish: (next, events) = try LiveAgendaRules.finish(current, of: c.meeting, by: actor, now: now)
        }
        changes.append(.meeting(.updateAgenda(next, expectedVersion: current.version)))
        try await deps.commit(ChangeSet(changes: changes, events: MeetingEventEncoding.newEvents(events, meeting: meeting)))
        return AgendaView(next, start: meeting.start)
    }

    // MARK: Minutes

    /// The minutes of a held meeting; nil before anyone wrote a line.
    public func minutes(_ id: MeetingID, by actor: Principal) async throws -> StoredMinutes? {
        let c = try await MeetingContext.load(id, by: actor, store: store)
        return try await store.minutes(of: c.meeting.id)
    }

    /// Saves one section on top of the version its author started from. A racing save of a
    /// *different* section is applied again on the fresh state (up to five times); the same
    /// section changed by someone else is `409 minutes.editConflict` with the current minutes.
    public func save(_ id: MeetingID, _ edit: MinutesEdit, baseVersion: Int, by actor: Principal) async throws -> StoredMinutes {
        let c = try await MeetingContext.load(id, by: actor, store: store)
        let agenda = try await agenda(of: c.meeting)
        let known = try await knownRecommendations(c.meeting.workspaceID)
        for _ in 0..<5 {
            let stored = try await openedMinutes(c.meeting, by: actor)
            guard let (next, events) = try decideSave(edit, baseVersion: baseVersion, on: stored, meeting: c.meeting, agenda: agenda, by: actor,
                                                      known: known) else { return stored }
            if try await commitMinutes(next, after: stored, events: events, meeting: c.meeting) { return StoredMinutes(minutes: next, revision: stored.revision + 1) }
        }
        throw DomainError.versionConflict
    }

    /// The core's decision for one save; a conflict on the same section carries the current minutes.
    func decideSave(_ edit: MinutesEdit, baseVersion: Int, on stored: StoredMinutes, meeting: Meeting, agenda: Agenda, by actor: Principal,
                    known: Set<RecommendationID>) throws -> (Minutes, [MeetingEvent])? {
        do {
            return try MinutesRules.save(edit, baseVersion: baseVersion, to: stored.minutes, of: meeting, agenda: agenda, by: actor,
                                         knownRecommendations: known, now: deps.clock.now())
        } catch let error as DomainError where error.code == "minutes.editConflict" {
            throw Self.editConflict(error, stored)
        }
    }

    @inline(never)
    static func editConflict(_ error: DomainError, _ stored: StoredMinutes) -> MinutesEditConflict {
        MinutesEditConflict(error: error, current: MinutesView(stored))
    }

    /// Minutes as stored, or new empty ones (committed, so concurrent writers share one record).
    func openedMinutes(_ meeting: Meeting, by actor: Principal) async throws -> StoredMinutes {
        if let stored = try await store.minutes(of: meeting.id) { return stored }
        guard let template = try await store.meetingTemplate(meeting.template.id, version: meeting.template.version) else {
            throw DomainError.notFound("meetingTemplate")
        }
        let fresh = try MinutesRules.open(for: meeting, template: template, by: actor, now: deps.clock.now())
        do {
            try await store.commit(ChangeSet(changes: [.meeting(.insertMinutes(fresh))]))
        } catch is StoreError {
            // Someone else opened them at the same moment: use theirs.
        }
        guard let stored = try await store.minutes(of: meeting.id) else { throw DomainError.notFound("minutes") }
        return stored
    }

    /// Commits the next minutes; false when another save got there first (the caller retries).
    func commitMinutes(_ next: Minutes, after stored: StoredMinutes, events: [MeetingEvent], meeting: Meeting, extra: [Change] = [],
                       mail: [QueuedMail] = []) async throws -> Bool {
        var changes: [Change] = [.meeting(.updateMinutes(next, revision: stored.revision + 1))]
        changes += extra
        for m in mail { changes.append(.meeting(.enqueueMail(m))) }
        let log = MeetingEventEncoding.newEvents(events, meeting: meeting, minutesRevision: stored.revision + 1)
        do {
            try await store.commit(ChangeSet(changes: changes, events: log))
            return true
        } catch StoreError.conflict {
            return false
        } catch let error as StoreError {
            throw ServiceDependencies.domainError(for: error)
        }
    }

    /// Runs a decision on the freshest minutes, retrying when a concurrent save moved them on.
    func update(_ id: MeetingID, by actor: Principal,
                _ decide: (Minutes, Meeting, Agenda) throws -> (Minutes, Meeting?, [MeetingEvent], [QueuedMail])?) async throws -> StoredMinutes {
        let c = try await MeetingContext.load(id, by: actor, store: store)
        for _ in 0..<5 {
            guard let stored = try await store.minutes(of: id) else { throw DomainError.notFound("minutes") }
            let meeting = try await store.meeting(id) ?? c.meeting
            let agenda = try await agenda(of: meeting)
            guard let (next, nextMeeting, events, mail) = try decide(stored.minutes, meeting, agenda) else { return stored }
            let extra: [Change] = nextMeeting.map { [.meeting(.updateMeeting($0, expectedVersion: meeting.version))] } ?? []
            if try await commitMinutes(next, after: stored, events: events, meeting: nextMeeting ?? meeting, extra: extra, mail: mail) {
                return StoredMinutes(minutes: next, revision: stored.revision + 1)
            }
        }
        throw DomainError.versionConflict
    }

    public func setActionStatus(_ id: MeetingID, item: ActionItemID, _ status: ActionStatus, by actor: Principal) async throws -> StoredMinutes {
        try await update(id, by: actor) { minutes, _, _ in
            guard let (next, events) = try MinutesRules.setStatus(status, of: item, in: minutes, by: actor, now: deps.clock.now()) else { return nil }
            let none: Meeting? = nil
            let noMail: [QueuedMail] = []
            return (next, none, events, noMail)
        }
    }

    /// Sends the draft to everyone present, with the deadline for objections.
    public func circulate(_ id: MeetingID, deadline: LocalDate?, again: Bool, by actor: Principal) async throws -> StoredMinutes {
        let c = try await MeetingContext.load(id, by: actor, store: store)
        let people = try await meetings.people(c.meeting.invitees.compactMap(\.key.userID))
        return try await update(id, by: actor) { minutes, meeting, agenda in
            let now = deps.clock.now()
            let next: Minutes, events: [MeetingEvent]
            if again {
                (next, events) = try MinutesApprovalRules.recirculate(minutes, of: meeting, deadline: deadline, by: actor, now: now)
            } else {
                (next, events) = try MinutesApprovalRules.circulate(minutes, of: meeting, deadline: deadline, by: actor, now: now)
            }
            var mail: [QueuedMail] = []
            for case .minutesCirculated(_, let recipients) in events {
                let text = MinutesDocument.render(next, meeting: meeting, agenda: agenda, language: .de, publicOnly: false)
                for r in recipients {
                    let address: String? = switch r {
                    case .member(let user): people[user]?.email
                    case .guest(let email): email
                    }
                    guard let address else { continue }
                    let deadlineText = next.approval.deadline.map { MeetingText.longDate($0, .de) } ?? ""
                    // Guests have no account: their link is signed and opens the public objection page.
                    let link = objectionLink(next, meeting: meeting, guest: r) ?? "\(meetings.settings.publicOrigin)/#/meetings/\(meeting.id)/minutes"
                    let lines: [String] = [
                        "Guten Tag,", "",
                        "anbei der Entwurf des Protokolls. Einwände können Sie bis zum Ende des \(deadlineText) erheben:", link, "",
                        "Ohne Einwände gilt das Protokoll nach Ablauf der Frist als genehmigt.", "", text,
                    ]
                    let subject = "Protokoll zur Abstimmung: \(meeting.title)"
                    mail.append(QueuedMail(id: deps.ids.uuid().uuidString.lowercased(), createdAt: now, recipient: address,
                                           subject: String(subject.prefix(250)), text: lines.joined(separator: "\n")))
                }
            }
            let none: Meeting? = nil
            return (next, none, events, mail)
        }
    }

    public func object(_ id: MeetingID, text: String, section: MinutesSection?, by actor: Principal) async throws -> StoredMinutes {
        let objectionID = ObjectionID(deps.ids.uuid())
        return try await update(id, by: actor) { minutes, _, _ in
            let (next, events) = try MinutesApprovalRules.object(text, to: section, in: minutes, id: objectionID, authority: .principal(actor),
                                                                 now: deps.clock.now())
            let none: Meeting? = nil
            let noMail: [QueuedMail] = []
            return (next, none, events, noMail)
        }
    }

    public func withdraw(_ id: MeetingID, objection: ObjectionID, by actor: Principal) async throws -> StoredMinutes {
        try await update(id, by: actor) { minutes, _, _ in
            let (next, events) = try MinutesApprovalRules.withdraw(objection, in: minutes, authority: .principal(actor), now: deps.clock.now())
            let none: Meeting? = nil
            let noMail: [QueuedMail] = []
            return (next, none, events, noMail)
        }
    }

    public func answer(_ id: MeetingID, objection: ObjectionID, text: String, resolution: ObjectionResolution, by actor: Principal)
        async throws -> StoredMinutes {
        try await update(id, by: actor) { minutes, _, _ in
            let (next, events) = try MinutesApprovalRules.answer(objection, in: minutes, text: text, resolution: resolution, by: actor,
                                                                 now: deps.clock.now())
            let none: Meeting? = nil
            let noMail: [QueuedMail] = []
            return (next, none, events, noMail)
        }
    }

    public func approve(_ id: MeetingID, by actor: Principal) async throws -> StoredMinutes {
        try await update(id, by: actor) { minutes, meeting, agenda in
            let (next, nextMeeting, events) = try MinutesApprovalRules.approve(minutes, of: meeting, agenda: agenda, by: actor, now: deps.clock.now())
            let noMail: [QueuedMail] = []
            return (next, Optional(nextMeeting), events, noMail)
        }
    }

    /// The periodic job: minutes past their deadline are deemed approved (or the coordinator
    /// is told about open objections). Idempotent; returns how many minutes changed.
    @discardableResult
    public func settleDue() async throws -> Int {
        var changed = 0
        for stored in try await store.circulatedMinutes() {
            guard let meeting = try await store.meeting(stored.minutes.meetingID), let agenda = try await store.agenda(of: meeting.id),
                  let (next, nextMeeting, events) = MinutesApprovalRules.settle(stored.minutes, of: meeting, agenda: agenda, now: deps.clock.now())
            else { continue }
            let extra: [Change] = nextMeeting != meeting ? [.meeting(.updateMeeting(nextMeeting, expectedVersion: meeting.version))] : []
            if try await commitMinutes(next, after: stored, events: events, meeting: nextMeeting, extra: extra) { changed += 1 }
        }
        return changed
    }

    /// The published part (public items, consenting names, no objections) as Markdown; only
    /// once the meeting is published, and then for everyone.
    public func publishedMinutes(_ id: MeetingID, language: MeetingLanguage) async throws -> (Meeting, String) {
        guard let meeting = try await store.meeting(id), meeting.status == .published, let stored = try await store.minutes(of: id),
              let agenda = try await store.agenda(of: id) else { throw DomainError.notFound("minutes") }
        return (meeting, MinutesDocument.render(stored.minutes, meeting: meeting, agenda: agenda, language: language, publicOnly: true))
    }

    /// The minutes as Markdown for those who may read the workspace (everything).
    public func minutesDocument(_ id: MeetingID, language: MeetingLanguage, by actor: Principal) async throws -> (Meeting, String) {
        let c = try await MeetingContext.load(id, by: actor, store: store)
        guard let stored = try await store.minutes(of: id) else { throw DomainError.notFound("minutes") }
        let agenda = try await agenda(of: c.meeting)
        return (c.meeting, MinutesDocument.render(stored.minutes, meeting: c.meeting, agenda: agenda, language: language, publicOnly: false))
    }

    /// The workspace's open action items over all its meetings, overdue ones marked.
    public func actionList(_ workspace: WorkspaceID, includeClosed: Bool, by actor: Principal) async throws -> [ActionListEntryView] {
        guard MeetingPermissions.canRead(actor, workspace), try await store.workspace(workspace) != nil else {
            throw actor.isSignedIn ? DomainError.notFound("workspace") : DomainError.unauthenticated
        }
        var sources: [(meeting: Meeting, minutes: Minutes)] = []
        for stored in try await store.minutes(in: workspace) {
            if let m = try await store.meeting(stored.minutes.meetingID) { sources.append((m, stored.minutes)) }
        }
        return ActionList.build(sources, today: deps.today, includeClosed: includeClosed).map {
            ActionListEntryView(meetingId: $0.meetingID.description, meetingTitle: $0.meetingTitle, meetingDate: $0.meetingDate, item: $0.item,
                                isOverdue: $0.isOverdue)
        }
    }
}
