import Foundation
import HubCore
import Synchronization

/// A refused barcamp change that conflicts with the current state (409), with the barcamp as
/// the requester sees it now.
public struct BarcampConflict: Error, Sendable {
    public let error: DomainError
    public let current: BarcampSnapshotView
}

/// The barcamp use cases, decided by the pure core on the barcamp as read inside the write
/// transaction (`HubStore.commitBarcamp`), like `LeanCoffeeService`. The scheduler runs off
/// the caller's executor in a detached task (tens of milliseconds at conference size).
public struct BarcampService: Sendable {
    let deps: ServiceDependencies
    let digest: any TokenDigest

    public init(deps: ServiceDependencies, digest: any TokenDigest) {
        self.deps = deps
        self.digest = digest
    }

    public func actor(_ principal: Principal, guestToken: String?) async throws -> BoardActor {
        try await LeanCoffeeService(deps: deps, digest: digest).actor(principal, guestToken: guestToken)
    }

    public func canSubscribe(_ id: BarcampID, principal: Principal, guestToken: String?) async throws -> Bool {
        guard let barcamp = try await deps.store.barcamp(id) else { return false }
        guard let actor = try? await actor(principal, guestToken: guestToken) else { return false }
        return barcamp.access.canView(actor)
    }

    static func notFound(_ actor: BoardActor) -> DomainError {
        if case .user(let principal) = actor, !principal.isSignedIn { return .unauthenticated }
        return DomainError(.notFound, code: "barcamp.notFound", message: "The barcamp does not exist or is not visible to you.")
    }

    // MARK: Reading

    public func list(workspace: WorkspaceID?, by principal: Principal) async throws -> [BarcampListItemView] {
        guard principal.isSignedIn else { throw DomainError.unauthenticated }
        if let workspace, !Permissions.canReadWorkspaceContent(principal, workspace) { throw DomainError.notFound("workspace") }
        return try await deps.store.barcamps(workspace: workspace).filter { $0.access.canView(.user(principal)) }.map {
            BarcampListItemView(id: $0.id.description, workspaceId: $0.workspaceID?.description, title: $0.title, status: $0.status,
                                createdAt: $0.createdAt, version: $0.version)
        }
    }

    public func get(_ id: BarcampID, by actor: BoardActor) async throws -> BarcampSnapshotView {
        guard let snapshot = try await deps.store.barcampSnapshot(id) else { throw Self.notFound(actor) }
        try snapshot.value.barcamp.access.require(.viewer, actor)
        return try await view(snapshot, for: actor)
    }

    func state(_ id: BarcampID, by actor: BoardActor, minimum: BoardRole = .viewer) async throws -> BarcampState {
        guard let snapshot = try await deps.store.barcampSnapshot(id) else { throw Self.notFound(actor) }
        try snapshot.value.barcamp.access.require(minimum, actor)
        return snapshot.value
    }

    // MARK: Barcamp

    public func create(_ draft: BarcampDraft, by principal: Principal) async throws -> BarcampSnapshotView {
        guard principal.isSignedIn else { throw DomainError.unauthenticated }
        var workspace: Workspace?
        if let workspaceID = draft.workspaceID {
            guard Permissions.canReadWorkspaceContent(principal, workspaceID), let found = try await deps.store.workspace(workspaceID) else {
                throw DomainError.notFound("workspace")
            }
            workspace = found
        }
        let outcome = try BarcampRules.create(draft, id: BarcampID(deps.ids.uuid()), workspace: workspace, by: principal,
                                              now: deps.clock.now(), today: deps.today)
        try await deps.commit(ChangeSet(changes: [.barcamp(.insertBarcamp(outcome.barcamp))],
                                        events: BarcampViews.newEvents(outcome.events, names: [:])))
        return try await get(outcome.barcamp.id, by: .user(principal))
    }

    public func update(_ id: BarcampID, patch: BarcampPatch, expectedVersion: Int, by actor: BoardActor) async throws -> BarcampSnapshotView {
        try await decide(id, actor) { s, now in try BarcampRules.update(s.barcamp, with: patch, expectedVersion: expectedVersion, by: actor, now: now) }
    }

    public func publish(_ id: BarcampID, expectedVersion: Int, by actor: BoardActor) async throws -> BarcampSnapshotView {
        try await decide(id, actor) { s, now in try BarcampRules.publish(s.barcamp, expectedVersion: expectedVersion, by: actor, now: now) }
    }

    public func close(_ id: BarcampID, by actor: BoardActor) async throws -> BarcampSnapshotView {
        try await decide(id, actor) { s, now in try BarcampRules.close(s.barcamp, by: actor, now: now) }
    }

    /// Deletes the barcamp with its sessions, interest marks, notes and guests' names (its
    /// moderators and administrators only). Copies in the event log expire with the log.
    public func delete(_ id: BarcampID, by actor: BoardActor) async throws {
        try await deps.translating {
            _ = try await deps.store.commitBarcamp(id) { state throws(DomainError) in
                guard let state else { throw Self.notFound(actor) }
                try state.barcamp.access.require(.lead, actor)
                return ChangeSet(changes: [.barcamp(.deleteBarcamp(id))])
            }
        }
    }

    // MARK: Sessions and interest

    public func propose(_ id: BarcampID, _ proposal: BarcampProposal, by actor: BoardActor) async throws -> BarcampSnapshotView {
        let sessionID = BarcampSessionID(deps.ids.uuid())
        return try await decide(id, actor) { s, now in
            try BarcampSessionRules.propose(proposal, id: sessionID, barcamp: s.barcamp, sessions: s.sessions, by: actor, now: now)
        }
    }

    public func editSession(_ id: BarcampID, session: BarcampSessionID, patch: BarcampProposalPatch, expectedVersion: Int,
                            by actor: BoardActor) async throws -> BarcampSnapshotView {
        try await decide(id, actor) { s, now in
            try BarcampSessionRules.edit(session, with: patch, expectedVersion: expectedVersion, barcamp: s.barcamp, sessions: s.sessions,
                                         by: actor, now: now)
        }
    }

    public func withdrawSession(_ id: BarcampID, session: BarcampSessionID, by actor: BoardActor) async throws -> BarcampSnapshotView {
        try await decide(id, actor) { s, now in
            try BarcampSessionRules.withdraw(session, barcamp: s.barcamp, sessions: s.sessions, by: actor, now: now)
        }
    }

    public func mark(_ id: BarcampID, session: BarcampSessionID, marked: Bool, by actor: BoardActor) async throws -> BarcampSnapshotView {
        try await decide(id, actor) { s, now in
            let interest = s.interest[session] ?? 0
            return marked
                ? try BarcampSessionRules.markInterest(in: session, barcamp: s.barcamp, sessions: s.sessions, myMarks: s.marks, interest: interest,
                                                       by: actor, now: now)
                : try BarcampSessionRules.unmarkInterest(in: session, barcamp: s.barcamp, myMarks: s.marks, interest: interest, by: actor)
        }
    }

    // MARK: Grid

    public enum GridAction: Sendable {
        case assign(BarcampCell)
        case move(BarcampCell, swap: Bool)
        case unassign
        case pin(Bool)
    }

    public func grid(_ id: BarcampID, session: BarcampSessionID, _ action: GridAction, expectedVersion: Int,
                     by actor: BoardActor) async throws -> BarcampSnapshotView {
        try await decide(id, actor) { s, now in
            switch action {
            case .assign(let cell):
                try BarcampGridRules.assign(session, to: cell, expectedVersion: expectedVersion, barcamp: s.barcamp, sessions: s.sessions,
                                            by: actor, now: now)
            case .move(let cell, let swap):
                try BarcampGridRules.move(session, to: cell, swap: swap, expectedVersion: expectedVersion, barcamp: s.barcamp,
                                          sessions: s.sessions, by: actor, now: now)
            case .unassign:
                try BarcampGridRules.unassign(session, expectedVersion: expectedVersion, barcamp: s.barcamp, by: actor, now: now)
            case .pin(let pinned):
                try BarcampGridRules.setPinned(pinned, session, expectedVersion: expectedVersion, barcamp: s.barcamp, by: actor, now: now)
            }
        }
    }

    /// The scheduler's proposal for the current state; changes nothing. Moderators only.
    public func proposeSchedule(_ id: BarcampID, by actor: BoardActor) async throws -> ScheduleProposalView {
        let s = try await state(id, by: actor, minimum: .lead)
        let proposal = await Self.schedule(s)
        return ScheduleProposalView(proposal, version: s.barcamp.version)
    }

    /// Computes a proposal on the current state and applies it on `expectedVersion` (If-Match):
    /// pinned sessions stay; the invariants are checked again inside the transaction.
    public func applySchedule(_ id: BarcampID, expectedVersion: Int, by actor: BoardActor) async throws -> BarcampSnapshotView {
        let s = try await state(id, by: actor, minimum: .lead)
        guard s.barcamp.version == expectedVersion else { throw DomainError.versionConflict }
        let proposal = await Self.schedule(s)
        return try await decide(id, actor) { current, now in
            try BarcampGridRules.applyProposal(proposal, expectedVersion: expectedVersion, barcamp: current.barcamp, sessions: current.sessions,
                                               by: actor, now: now)
        }
    }

    /// Runs the CPU-bound scheduler in a detached task, off the caller's executor.
    static func schedule(_ s: BarcampState) async -> BarcampScheduleProposal {
        await Task.detached(priority: .utility) {
            BarcampScheduler.propose(BarcampSchedulerInput(barcamp: s.barcamp, sessions: s.sessions, marks: s.marks))
        }.value
    }

    // MARK: Agenda, notes, documentation

    public func agenda(_ id: BarcampID, by actor: BoardActor) async throws -> [AgendaItemView] {
        let s = try await state(id, by: actor)
        guard let me = actor.participant else { return [] }
        return BarcampAgenda.personal(for: me, barcamp: s.barcamp, sessions: s.sessions, marks: s.marks).map { entry in
            switch entry {
            case .common(let slot):
                AgendaItemView(kind: slot.kind.rawValue, title: slot.title, sessionId: nil, reasons: [], startsAt: slot.startsAt, endsAt: slot.endsAt,
                               room: nil, clashes: [])
            case .session(let session, let reasons, let slot, let room, let clashes):
                AgendaItemView(kind: "session", title: session.title, sessionId: session.id.description, reasons: reasons,
                               startsAt: slot?.startsAt, endsAt: slot?.endsAt, room: room?.name, clashes: clashes.map(\.description))
            }
        }
    }

    /// "My sessions" as an iCalendar feed (UTC times): common blocks and my placed sessions, once published.
    public func agendaCalendar(_ id: BarcampID, by actor: BoardActor, host: String) async throws -> String {
        let s = try await state(id, by: actor)
        guard let me = actor.participant else { throw DomainError.unauthenticated }
        func stamp(_ d: Date) -> String {
            var calendar = Calendar(identifier: .gregorian)
            calendar.timeZone = TimeZone(identifier: "UTC")!
            let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: d)
            return String(format: "%04d%02d%02dT%02d%02d%02dZ", c.year!, c.month!, c.day!, c.hour!, c.minute!, c.second!)
        }
        var lines = ["BEGIN:VCALENDAR", "VERSION:2.0", ContentLine.text("PRODID", "-//Roundtable//Barcamp//DE").rendered, "CALSCALE:GREGORIAN",
                     "METHOD:PUBLISH", ContentLine.text("X-WR-CALNAME", s.barcamp.title).rendered]
        for entry in BarcampAgenda.personal(for: me, barcamp: s.barcamp, sessions: s.sessions, marks: s.marks) {
            let (uid, title, start, end, location): (String, String, Date?, Date?, String?) = switch entry {
            case .common(let slot): (slot.id.description, slot.title.isEmpty ? slot.kind.rawValue : slot.title, slot.startsAt, slot.endsAt, nil)
            case .session(let session, _, let slot, let room, _): (session.id.description, session.title, slot?.startsAt, slot?.endsAt, room?.name)
            }
            guard let start, let end else { continue }
            lines += ["BEGIN:VEVENT", "UID:\(uid)@\(host)", "DTSTAMP:\(stamp(s.barcamp.updatedAt))", "DTSTART:\(stamp(start))", "DTEND:\(stamp(end))",
                      ContentLine.text("SUMMARY", title).rendered]
            if let location { lines.append(ContentLine.text("LOCATION", location).rendered) }
            lines.append("END:VEVENT")
        }
        lines.append("END:VCALENDAR")
        return ICalendarText.document(lines)
    }

    public func saveNotes(_ id: BarcampID, session: BarcampSessionID, text: String, baseVersion: Int, by actor: BoardActor) async throws -> BarcampSnapshotView {
        try await decide(id, actor) { s, now in
            try BarcampNotesRules.save(text, for: session, baseVersion: baseVersion, existing: s.notes.first { $0.sessionID == session },
                                       barcamp: s.barcamp, sessions: s.sessions, by: actor, now: now)
        }
    }

    /// The event documentation: every session's notes in schedule order, as Markdown or as a
    /// standalone HTML page (rendered by the safe Markdown renderer).
    /// The documentation formats: Markdown, an HTML page, a PDF.
    public enum DocumentationFormat: String, Sendable { case markdown, html, pdf }

    /// The event documentation (every session's notes in schedule order), German unless `english`.
    public func documentation(_ id: BarcampID, format: DocumentationFormat, english: Bool = false, by actor: BoardActor) async throws -> [UInt8] {
        let s = try await state(id, by: actor)
        let model = BarcampAgenda.documentationModel(barcamp: s.barcamp, sessions: s.sessions, notes: s.notes, english: english)
        switch format {
        case .markdown:
            return Array(model.markdown.utf8)
        case .html:
            let page = """
                <!doctype html>
                <html lang="\(english ? "en" : "de")"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
                <title>\(Markdown.escapeHTML(model.title))</title></head>
                <body><main>\(Markdown.html(model.markdown))</main></body></html>
                """
            return Array(page.utf8)
        case .pdf:
            let latest = ([s.barcamp.updatedAt] + s.sessions.map(\.updatedAt) + s.notes.map(\.updatedAt)).max() ?? s.barcamp.updatedAt
            return NotesPDF.render(NotesDocument(model, date: latest))
        }
    }

    // MARK: Guests

    public func invitation(_ id: BarcampID) async throws -> LeanCoffeeInvitationView {
        guard let b = try await deps.store.barcamp(id) else { throw DomainError.notFound("barcamp") }
        return LeanCoffeeInvitationView(boardId: b.id.description, title: b.title, guestsAllowed: b.settings.guestsAllowed, phase: .collect)
    }

    public func joinAsGuest(_ id: BarcampID, displayName: String) async throws -> GuestJoinView {
        let guestID = GuestID(deps.ids.uuid())
        let token = digest.newToken()
        let hash = digest.digest(token)
        let now = deps.clock.now()
        let box = Mutex<BoardGuest?>(nil)
        try await deps.translating {
            _ = try await deps.store.commitBarcamp(id) { state in
                guard let state else { throw DomainError.notFound("barcamp") }
                let outcome = try BarcampRules.joinAsGuest(state.barcamp, guestID: guestID, displayName: displayName, existing: nil, now: now)
                var changes: [Change] = []
                for case .guest(let guest) in outcome.changes {
                    changes.append(.barcamp(.insertGuest(guest, tokenHash: hash)))
                    box.withLock { $0 = guest }
                }
                return ChangeSet(changes: changes, events: BarcampViews.newEvents(outcome.events, names: [:]))
            }
        }
        guard let guest = box.withLock({ $0 }) else { throw DomainError.notFound("barcamp") }
        return GuestJoinView(token: token, guest: ParticipantView(.guest(guest.id), name: guest.displayName), boardId: id.description)
    }

    // MARK: Deciding

    func decide(_ id: BarcampID, _ actor: BoardActor,
                _ rule: @escaping @Sendable (BarcampState, Date) throws -> BarcampOutcome) async throws -> BarcampSnapshotView {
        let now = deps.clock.now()
        var names: [ParticipantRef: String] = [:]
        if let before = try await deps.store.barcampSnapshot(id) { names = try await participantNames(before.value) }
        if case .user(let principal) = actor, let userID = principal.userID { names[ParticipantRef.user(userID)] = principal.displayName ?? "" }
        let eventNames = names
        do {
            try await deps.translating {
                _ = try await deps.store.commitBarcamp(id) { state in
                    guard let state else { throw Self.notFound(actor) }
                    let outcome = try rule(state, now)
                    guard !outcome.isNoOp else { return ChangeSet() }
                    var changes: [Change] = []
                    if outcome.barcampChanged { changes.append(.barcamp(.updateBarcamp(outcome.barcamp))) }
                    changes += outcome.changes.map { .barcamp(.record($0)) }
                    var guestNames = eventNames
                    for guest in state.guests { guestNames[.guest(guest.id)] = guest.displayName }
                    return ChangeSet(changes: changes, events: BarcampViews.newEvents(outcome.events, names: guestNames, interest: state.interest))
                }
            }
        } catch let error as DomainError where error.kind == .conflict {
            if let snapshot = try await deps.store.barcampSnapshot(id), snapshot.value.barcamp.access.canView(actor) {
                throw BarcampConflict(error: error, current: try await view(snapshot, for: actor))
            }
            throw error
        }
        return try await get(id, by: actor)
    }

    func participantNames(_ s: BarcampState) async throws -> [ParticipantRef: String] {
        var names: [ParticipantRef: String] = [:]
        for guest in s.guests { names[.guest(guest.id)] = guest.displayName }
        var users = Set<UserID>()
        for session in s.sessions { for host in session.hosts { if case .user(let id) = host { users.insert(id) } } }
        for notes in s.notes { for author in notes.authors { if case .user(let id) = author { users.insert(id) } } }
        var known: [UserID: String] = [:]
        if let workspace = s.barcamp.workspaceID, !users.isEmpty {
            for row in try await deps.store.members(of: workspace) { known[row.membership.userID] = row.displayName }
        }
        for (id, name) in try await deps.names(users, known: known) { names[.user(id)] = name }
        return names
    }

    func view(_ snapshot: Snapshot<BarcampState>, for actor: BoardActor) async throws -> BarcampSnapshotView {
        let s = snapshot.value
        var names = try await participantNames(s)
        if case .user(let principal) = actor, let userID = principal.userID { names[ParticipantRef.user(userID)] = principal.displayName ?? "" }
        let interest = s.interest
        let me = actor.participant
        let mine = me.map { p in s.marks.filter { $0.participant == p } } ?? []
        let withdrawn = Set(s.sessions.filter { $0.status == .withdrawn }.map(\.id))
        let used = mine.filter { !withdrawn.contains($0.sessionID) }.count
        return BarcampSnapshotView(
            barcamp: BarcampView(s.barcamp),
            sessions: s.sessions.filter { $0.status == .proposed }.map { BarcampSessionView($0, names: names, interest: interest[$0.id] ?? 0) },
            notes: s.notes.map { SessionNotesView($0, names: names) },
            capacityWarnings: BarcampGridRules.capacityWarnings(s.barcamp, interest: interest).map {
                CapacityWarningView(sessionId: $0.sessionID.description, roomId: $0.roomID.description, interest: $0.interest, capacity: $0.capacity)
            },
            me: BarcampMeView(participant: me.map { ParticipantView($0, name: names[$0] ?? "") },
                              role: s.barcamp.access.role(of: actor).map { "\($0)" } ?? "none",
                              marks: mine.map(\.sessionID.description).sorted(), marksLeft: max(0, s.barcamp.settings.interestLimit - used)),
            guests: s.guests.count, cursor: snapshot.cursor)
    }
}

/// Authorizes the topics of every live board kind (Lean Coffee boards and barcamps).
public struct BoardTopics: BoardTopicAuthorizer {
    let leanCoffee: LeanCoffeeService
    let barcamps: BarcampService
    let store: any HubStore

    public init(deps: ServiceDependencies, digest: any TokenDigest) {
        leanCoffee = LeanCoffeeService(deps: deps, digest: digest)
        barcamps = BarcampService(deps: deps, digest: digest)
        store = deps.store
    }

    public func canSubscribe(_ topic: Topic, principal: Principal, guestToken: String?) async throws -> Bool {
        switch topic {
        case .leanCoffee: try await leanCoffee.canSubscribe(topic, principal: principal, guestToken: guestToken)
        case .barcamp(let id): try await barcamps.canSubscribe(id, principal: principal, guestToken: guestToken)
        case .meeting(let id): try await MeetingContext.mayFollow(id, principal: principal, store: store)
        default: false
        }
    }
}
