import Foundation
import HubCore
import Synchronization

/// A refused change that conflicts with the current state (409): carries the board as the
/// requester sees it now, so the client can show it.
public struct LeanCoffeeConflict: Error, Sendable {
    public let error: DomainError
    public let current: LeanCoffeeSnapshotView
}

/// Decides who may follow the topics of live boards (they need the board: its workspace,
/// leads and whether guests may join). Guests name their guest token.
public protocol BoardTopicAuthorizer: Sendable {
    func canSubscribe(_ topic: Topic, principal: Principal, guestToken: String?) async throws -> Bool
}

extension LeanCoffeeService: BoardTopicAuthorizer {
    public func canSubscribe(_ topic: Topic, principal: Principal, guestToken: String?) async throws -> Bool {
        switch topic {
        case .leanCoffee(let id): try await canSubscribe(id, principal: principal, guestToken: guestToken)
        default: false
        }
    }
}

/// The Lean Coffee use cases. Every change is decided by the pure core on the board and its
/// records as read inside the write transaction (`HubStore.commitLeanCoffee`), so limits,
/// idempotency keys and phases are checked against exactly what is committed. Every answer is
/// the board as the requester sees it afterwards; a replayed request gets the same answer.
public struct LeanCoffeeService: Sendable {
    let deps: ServiceDependencies
    let digest: any TokenDigest

    public init(deps: ServiceDependencies, digest: any TokenDigest) {
        self.deps = deps
        self.digest = digest
    }

    // MARK: Who is asking

    /// The actor of a request: the signed-in user, else the guest whose token is sent.
    public func actor(_ principal: Principal, guestToken: String?) async throws -> BoardActor {
        if principal.isSignedIn { return .user(principal) }
        guard let token = guestToken, !token.isEmpty else { return .user(principal) }
        guard let guest = try await deps.store.boardGuest(tokenHash: digest.digest(token)) else {
            throw DomainError(.unauthenticated, code: "guest.invalidToken", message: "This guest link is no longer valid. Join again.")
        }
        return .guest(GuestPass(guestID: guest.id, scope: guest.scope))
    }

    /// Whether the actor may follow the board's live topic.
    public func canSubscribe(_ id: LeanCoffeeBoardID, principal: Principal, guestToken: String?) async throws -> Bool {
        guard let board = try await deps.store.leanCoffeeBoard(id) else { return false }
        guard let actor = try? await actor(principal, guestToken: guestToken) else { return false }
        if case .guest(let pass) = actor, pass.scope != id.uuid { return false }
        return board.access.canView(actor)
    }

    // MARK: Reading

    public func list(workspace: WorkspaceID?, by principal: Principal) async throws -> [LeanCoffeeListItemView] {
        guard principal.isSignedIn else { throw DomainError.unauthenticated }
        if let workspace, !Permissions.canReadWorkspaceContent(principal, workspace) { throw DomainError.notFound("workspace") }
        return try await deps.store.leanCoffeeBoards(workspace: workspace)
            .filter { $0.access.canView(.user(principal)) }
            .map { LeanCoffeeListItemView(id: $0.id.description, workspaceId: $0.workspaceID?.description, title: $0.title, phase: $0.phase,
                                          createdAt: $0.createdAt, version: $0.version) }
    }

    public func get(_ id: LeanCoffeeBoardID, by actor: BoardActor) async throws -> LeanCoffeeSnapshotView {
        guard let snapshot = try await deps.store.leanCoffeeSnapshot(id) else { throw Self.notFound(actor) }
        try snapshot.value.board.access.require(.viewer, actor)
        return try await view(snapshot, for: actor)
    }

    /// What the join page shows: the title and whether guests may join. The link is the invitation.
    public func invitation(_ id: LeanCoffeeBoardID) async throws -> LeanCoffeeInvitationView {
        guard let board = try await deps.store.leanCoffeeBoard(id) else { throw DomainError.notFound("leanCoffee") }
        return LeanCoffeeInvitationView(boardId: board.id.description, title: board.title, guestsAllowed: board.settings.guestsAllowed,
                                        phase: board.phase)
    }

    // MARK: Board

    public func create(_ draft: LeanCoffeeDraft, by principal: Principal) async throws -> LeanCoffeeSnapshotView {
        guard principal.isSignedIn else { throw DomainError.unauthenticated }
        var workspace: Workspace?
        if let workspaceID = draft.workspaceID {
            guard Permissions.canReadWorkspaceContent(principal, workspaceID), let found = try await deps.store.workspace(workspaceID) else {
                throw DomainError.notFound("workspace")
            }
            workspace = found
        }
        let outcome = try LeanCoffeeBoardRules.create(draft, id: LeanCoffeeBoardID(deps.ids.uuid()), workspace: workspace, by: principal,
                                                      now: deps.clock.now(), today: deps.today)
        let actor = BoardActor.user(principal)
        try await deps.commit(ChangeSet(changes: [.leanCoffee(.insertBoard(outcome.board))],
                                        events: LeanCoffeeViews.newEvents(outcome.events, names: Self.ownName(actor, guests: []))))
        return try await get(outcome.board.id, by: actor)
    }

    public func update(_ id: LeanCoffeeBoardID, patch: LeanCoffeePatch, expectedVersion: Int, by actor: BoardActor) async throws -> LeanCoffeeSnapshotView {
        try await decide(id, actor) { state, now in
            try LeanCoffeeBoardRules.update(state.board, with: patch, expectedVersion: expectedVersion, by: actor, now: now)
        }
    }

    /// A facilitator deletes the board with everything on it (guests' names included).
    public func delete(_ id: LeanCoffeeBoardID, by actor: BoardActor) async throws {
        try await deps.translating {
            _ = try await deps.store.commitLeanCoffee(id) { state throws(DomainError) in
                guard let state else { throw Self.notFound(actor) }
                try state.board.access.require(.lead, actor)
                return ChangeSet(changes: [.leanCoffee(.deleteBoard(id))])
            }
        }
    }

    public func changePhase(_ id: LeanCoffeeBoardID, to phase: LeanCoffeePhase, by actor: BoardActor) async throws -> LeanCoffeeSnapshotView {
        try await decide(id, actor) { state, now in
            try LeanCoffeeBoardRules.changePhase(state.board, to: phase, content: state.content, by: actor, now: now)
        }
    }

    public func revealVotes(_ id: LeanCoffeeBoardID, by actor: BoardActor) async throws -> LeanCoffeeSnapshotView {
        try await decide(id, actor) { state, now in
            try LeanCoffeeBoardRules.revealVotes(state.board, content: state.content, by: actor, now: now)
        }
    }

    // MARK: Topics and dots

    public func addTopic(_ id: LeanCoffeeBoardID, _ draft: LeanCoffeeTopicDraft, by actor: BoardActor) async throws -> LeanCoffeeSnapshotView {
        let topicID = LeanCoffeeTopicID(deps.ids.uuid())
        return try await decide(id, actor) { state, now in
            try LeanCoffeeTopicRules.add(draft, id: topicID, board: state.board, content: state.content, by: actor, now: now)
        }
    }

    public func editTopic(_ id: LeanCoffeeBoardID, topic: LeanCoffeeTopicID, title: String?, description: String?,
                          by actor: BoardActor) async throws -> LeanCoffeeSnapshotView {
        try await decide(id, actor) { state, now in
            try LeanCoffeeTopicRules.edit(topic, title: title, description: description, board: state.board, content: state.content,
                                          by: actor, now: now)
        }
    }

    public func withdrawTopic(_ id: LeanCoffeeBoardID, topic: LeanCoffeeTopicID, by actor: BoardActor) async throws -> LeanCoffeeSnapshotView {
        try await decide(id, actor) { state, now in
            try LeanCoffeeTopicRules.withdraw(topic, board: state.board, content: state.content, by: actor, now: now)
        }
    }

    public func placeDot(_ id: LeanCoffeeBoardID, topic: LeanCoffeeTopicID, key: IdempotencyKey, by actor: BoardActor) async throws -> LeanCoffeeSnapshotView {
        try await decide(id, actor, names: false, voteRule(place: true, topic: topic, key: key, by: actor))
    }

    public func removeDot(_ id: LeanCoffeeBoardID, topic: LeanCoffeeTopicID, key: IdempotencyKey, by actor: BoardActor) async throws -> LeanCoffeeSnapshotView {
        try await decide(id, actor, names: false, voteRule(place: false, topic: topic, key: key, by: actor))
    }

    /// Places (`place`) or takes back a dot and answers briefly: the counts after the vote,
    /// computed inside the write transaction from the board as decided on. Nothing is read
    /// before or after the commit, so a vote costs one decision on the (cached) board, one
    /// row and one event however many dots the board holds.
    public func vote(_ id: LeanCoffeeBoardID, topic: LeanCoffeeTopicID, key: IdempotencyKey, place: Bool,
                     by actor: BoardActor) async throws -> LeanCoffeeVoteReceiptView {
        guard let me = actor.participant else { throw Self.notFound(actor) }
        let rule = voteRule(place: place, topic: topic, key: key, by: actor)
        let now = Self.storedPrecision(deps.clock.now())
        let box = Mutex<(standing: VoteStanding, visible: Bool, replayed: Bool)?>(nil)
        let events: [StoredEvent]
        do {
            events = try await deps.translated {
                try await deps.store.commitLeanCoffee(id) { state in
                    guard let state else { throw Self.notFound(actor) }
                    let outcome = try rule(state, now)
                    let standing = LeanCoffeeVoteRules.standing(after: outcome, on: topic, board: state.board, before: state.content, for: me)
                    box.withLock { $0 = (standing, state.board.talliesVisible, outcome.replayed) }
                    guard !outcome.replayed else { return ChangeSet() }
                    return ChangeSet(changes: outcome.changes.map { .leanCoffee(.record($0)) },
                                     events: LeanCoffeeViews.newEvents(outcome.events, names: [:]))
                }
            }
        } catch let error as DomainError where error.kind == .conflict {
            throw try await conflict(error, id, actor)
        }
        guard let result = box.withLock({ $0 }) else { throw Self.notFound(actor) }
        let topicName = Topic.leanCoffee(id).description
        let cursor = events.last { $0.topic == topicName }.map { Cursor(topic: topicName, epoch: deps.store.epoch, seq: $0.seq) }
        let standing = result.standing
        return LeanCoffeeVoteReceiptView(boardId: id.description, topicId: topic.description, dots: result.visible ? standing.topicDots : nil,
                                         totalDots: standing.totalDots, voters: standing.voters, dotsLeft: standing.dotsLeft,
                                         myDots: standing.myDotsOnTopic, replayed: result.replayed, cursor: cursor)
    }

    private func voteRule(place: Bool, topic: LeanCoffeeTopicID, key: IdempotencyKey,
                          by actor: BoardActor) -> @Sendable (LeanCoffeeState, Date) throws -> LeanCoffeeOutcome {
        let dotID = LeanCoffeeDotID(deps.ids.uuid())
        return { state, now in
            place
                ? try LeanCoffeeVoteRules.placeDot(on: topic, key: key, id: dotID, board: state.board, content: state.content, by: actor, now: now)
                : try LeanCoffeeVoteRules.removeDot(from: topic, key: key, board: state.board, content: state.content, by: actor, now: now)
        }
    }

    // MARK: Discussion

    public func continueVote(_ id: LeanCoffeeBoardID, topic: LeanCoffeeTopicID, timebox: Int, vote: ContinueVote,
                             by actor: BoardActor) async throws -> LeanCoffeeSnapshotView {
        try await decide(id, actor) { state, now in
            try LeanCoffeeDiscussionRules.castContinueVote(vote, on: topic, timebox: timebox, board: state.board, content: state.content,
                                                           by: actor, now: now)
        }
    }

    public func concludeTimebox(_ id: LeanCoffeeBoardID, topic: LeanCoffeeTopicID, timebox: Int, override: ContinueDecision?,
                                by actor: BoardActor) async throws -> LeanCoffeeSnapshotView {
        try await decide(id, actor) { state, now in
            try LeanCoffeeDiscussionRules.concludeTimebox(of: topic, timebox: timebox, override: override, board: state.board,
                                                          content: state.content, by: actor, now: now)
        }
    }

    public func nextTopic(_ id: LeanCoffeeBoardID, after topic: LeanCoffeeTopicID, by actor: BoardActor) async throws -> LeanCoffeeSnapshotView {
        try await decide(id, actor) { state, now in
            try LeanCoffeeDiscussionRules.nextTopic(after: topic, board: state.board, content: state.content, by: actor, now: now)
        }
    }

    public func addTakeaway(_ id: LeanCoffeeBoardID, topic: LeanCoffeeTopicID, text: String, by actor: BoardActor) async throws -> LeanCoffeeSnapshotView {
        let takeawayID = LeanCoffeeTakeawayID(deps.ids.uuid())
        return try await decide(id, actor) { state, now in
            try LeanCoffeeTopicRules.addTakeaway(text, to: topic, id: takeawayID, board: state.board, content: state.content, by: actor, now: now)
        }
    }

    public func editTakeaway(_ id: LeanCoffeeBoardID, takeaway: LeanCoffeeTakeawayID, text: String, by actor: BoardActor) async throws -> LeanCoffeeSnapshotView {
        try await decide(id, actor) { state, now in
            try LeanCoffeeTopicRules.editTakeaway(takeaway, text: text, board: state.board, content: state.content, by: actor, now: now)
        }
    }

    public func removeTakeaway(_ id: LeanCoffeeBoardID, takeaway: LeanCoffeeTakeawayID, by actor: BoardActor) async throws -> LeanCoffeeSnapshotView {
        try await decide(id, actor) { state, _ in
            try LeanCoffeeTopicRules.removeTakeaway(takeaway, board: state.board, content: state.content, by: actor)
        }
    }

    // MARK: Hooks

    /// Sends the takeaways to a meeting's minutes. Meetings are not wired yet: the hand-off is
    /// published as `leanCoffee.takeawaysSentToMinutes` (with the ready Markdown) for the
    /// minutes to pick up.
    public func sendTakeawaysToMinutes(_ id: LeanCoffeeBoardID, meetingID: UUID, by actor: BoardActor) async throws -> LeanCoffeeSnapshotView {
        try await decide(id, actor) { state, now in
            try LeanCoffeeHandoffRules.sendTakeawaysToMinutes(meetingID: meetingID, board: state.board, content: state.content, by: actor, now: now)
        }
    }

    /// Starts a draft recommendation from a topic: the draft and the topic's link to it are
    /// written in one transaction.
    public func startDraft(_ id: LeanCoffeeBoardID, topic: LeanCoffeeTopicID, by actor: BoardActor) async throws -> (LeanCoffeeSnapshotView, RecommendationID) {
        guard case .user(let principal) = actor, principal.isSignedIn else {
            if case .guest = actor { throw DomainError(.forbidden, code: "leanCoffee.accountRequired", message: "Guests cannot do this; sign in with an account.") }
            throw DomainError.unauthenticated
        }
        guard let board = try await deps.store.leanCoffeeBoard(id), board.access.canView(actor) else { throw Self.notFound(actor) }
        let workspace = try await board.workspaceID.asyncFlatMap { try await deps.store.workspace($0) }
        let membership = try await board.workspaceID.asyncFlatMap { w in try await principal.userID.asyncFlatMap { try await deps.store.membership(w, $0) } }
        let known = try await deps.knownPolicyFields()
        let recommendationID = RecommendationID(deps.ids.uuid())
        let today = deps.today
        let view = try await decide(id, actor, extra: { state, outcome, now throws -> ChangeSet in
            guard let workspace else { return ChangeSet() }
            var changes: [Change] = []
            var events: [NewEvent] = []
            for case .draftRequested(let draft) in outcome.events {
                let (recommendation, revision, created) = try RecommendationRules.create(
                    draft.profile, id: draft.recommendationID, in: workspace, by: principal, organization: membership?.organizationID,
                    knownPolicyFields: known, now: now, today: today)
                changes.append(.recommendation(.insert(recommendation, revision)))
                events += EventEncoding.newEvents(created, displayNames: principal.nameTable)
            }
            return ChangeSet(changes: changes, events: events)
        }) { state, now in
            try LeanCoffeeHandoffRules.startDraftRecommendation(from: topic, recommendationID: recommendationID, workspace: workspace,
                                                                board: state.board, content: state.content, by: actor, now: now, today: today)
        }
        let linked = view.topics.first { $0.id == topic.description }?.recommendationId.flatMap(RecommendationID.init) ?? recommendationID
        return (view, linked)
    }

    // MARK: Guests

    /// Someone joins by link with a display name: a guest id and a token scoped to this board
    /// (stored only as its hash). The token is in the answer once.
    public func joinAsGuest(_ id: LeanCoffeeBoardID, displayName: String) async throws -> GuestJoinView {
        let guestID = GuestID(deps.ids.uuid())
        let token = digest.newToken()
        let hash = digest.digest(token)
        let now = Self.storedPrecision(deps.clock.now())
        let box = Mutex<BoardGuest?>(nil)
        try await deps.translating {
            _ = try await deps.store.commitLeanCoffee(id) { state throws(DomainError) in
                guard let state else { throw DomainError.notFound("leanCoffee") }
                let outcome = try LeanCoffeeBoardRules.joinAsGuest(state.board, guestID: guestID, displayName: displayName, existing: nil, now: now)
                var changes: [Change] = []
                for case .guest(let guest) in outcome.changes {
                    changes.append(.leanCoffee(.insertGuest(guest, tokenHash: hash)))
                    box.withLock { $0 = guest }
                }
                return ChangeSet(changes: changes, events: LeanCoffeeViews.newEvents(outcome.events, names: [:]))
            }
        }
        guard let guest = box.withLock({ $0 }) else { throw DomainError.notFound("leanCoffee") }
        return GuestJoinView(token: token, guest: ParticipantView(.guest(guest.id), name: guest.displayName), boardId: id.description)
    }

    // MARK: Exports

    public enum ExportFormat: String, Sendable, CaseIterable { case csv, json, markdown }

    /// The board's topics with their votes and takeaways (never who voted) as CSV, JSON or Markdown.
    public func export(_ id: LeanCoffeeBoardID, format: ExportFormat, by actor: BoardActor) async throws -> (contentType: String, body: String) {
        guard let snapshot = try await deps.store.leanCoffeeSnapshot(id) else { throw Self.notFound(actor) }
        let state = snapshot.value
        try state.board.access.require(.viewer, actor)
        let names = try await participantNames(state)
        var summary = LeanCoffeeSummary(board: state.board, content: state.content)
        if !state.board.talliesVisible {
            // Hidden votes stay hidden in exports until revealed.
            summary = LeanCoffeeSummary(board: state.board, content: LeanCoffeeContent(topics: state.content.topics, takeaways: state.content.takeaways))
        }
        switch format {
        case .json:
            return ("application/json; charset=utf-8", WireJSON.string(LeanCoffeeSummaryView(summary, names: names)))
        case .markdown:
            return ("text/markdown; charset=utf-8", summary.markdown { names[$0] })
        case .csv:
            var lines = ["position,title,description,author,dots,discussed,minutes,extensions,takeaways"]
            for (index, t) in summary.topics.enumerated() {
                let fields: [String] = [String(index + 1), t.title, t.description, t.author.flatMap { names[$0] } ?? "", String(t.dots),
                                        t.discussed ? "yes" : "no", t.discussedMinutes.map(String.init) ?? "", String(t.extensions),
                                        t.takeaways.joined(separator: "\n")]
                lines.append(fields.map(Self.csvField).joined(separator: ","))
            }
            return ("text/csv; charset=utf-8", lines.joined(separator: "\r\n") + "\r\n")
        }
    }

    /// One CSV field: quoted when needed, and a leading `= + - @` defused so spreadsheets do not run it as a formula.
    static func csvField(_ raw: String) -> String {
        var text = raw
        if let first = text.unicodeScalars.first, "=+-@\t\r".unicodeScalars.contains(first) { text = "'" + text }
        if text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) {
            return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        }
        return text
    }

    // MARK: Deciding

    /// Runs a rule on the board as read inside the write transaction and commits its outcome
    /// (plus what `extra` adds in the same transaction); answers with the board afterwards.
    func decide(_ id: LeanCoffeeBoardID, _ actor: BoardActor, names needed: Bool = true,
                extra: (@Sendable (LeanCoffeeState, LeanCoffeeOutcome, Date) throws -> ChangeSet)? = nil,
                _ rule: @escaping @Sendable (LeanCoffeeState, Date) throws -> LeanCoffeeOutcome) async throws -> LeanCoffeeSnapshotView {
        let now = Self.storedPrecision(deps.clock.now())
        // Names for the events: everyone who authored something, read before the transaction
        // (a name is display only; the decision itself never depends on it). Votes' events
        // carry no names (`needed` false): nothing is read for them.
        var names: [ParticipantRef: String] = [:]
        if needed, let before = try await deps.store.leanCoffeeSnapshot(id) { names = try await participantNames(before.value) }
        if case .user(let principal) = actor, let userID = principal.userID { names[ParticipantRef.user(userID)] = principal.displayName ?? "" }
        let eventNames = names
        do {
            try await deps.translating {
                _ = try await deps.store.commitLeanCoffee(id) { state in
                    guard let state else { throw Self.notFound(actor) }
                    let outcome = try rule(state, now)
                    guard !outcome.replayed else { return ChangeSet() }
                    var changes: [Change] = []
                    if outcome.boardChanged { changes.append(.leanCoffee(.updateBoard(outcome.board))) }
                    changes += outcome.changes.map { .leanCoffee(.record($0)) }
                    var guestNames = eventNames
                    for guest in state.content.guests { guestNames[.guest(guest.id)] = guest.displayName }
                    var changeSet = ChangeSet(changes: changes, events: LeanCoffeeViews.newEvents(outcome.events, names: guestNames))
                    if let extra {
                        let more = try extra(state, outcome, now)
                        changeSet.changes += more.changes
                        changeSet.events += more.events
                    }
                    return changeSet
                }
            }
        } catch let error as DomainError where error.kind == .conflict {
            throw try await conflict(error, id, actor)
        }
        return try await get(id, by: actor)
    }

    /// A refused change's error with the board as the requester sees it now (when they may).
    private func conflict(_ error: DomainError, _ id: LeanCoffeeBoardID, _ actor: BoardActor) async throws -> any Error {
        if let snapshot = try await deps.store.leanCoffeeSnapshot(id), snapshot.value.board.access.canView(actor) {
            return LeanCoffeeConflict(error: error, current: try await view(snapshot, for: actor))
        }
        return error
    }

    /// Times as the store keeps them (milliseconds), so a board kept in memory between
    /// decisions holds exactly what reading its rows would give.
    static func storedPrecision(_ date: Date) -> Date { Date(millis: date.millis) }

    static func notFound(_ actor: BoardActor) -> DomainError {
        if case .user(let principal) = actor, !principal.isSignedIn { return .unauthenticated }
        return DomainError(.notFound, code: "leanCoffee.notFound", message: "The board does not exist or is not visible to you.")
    }

    static func ownName(_ actor: BoardActor, guests: [BoardGuest]) -> [ParticipantRef: String] {
        switch actor {
        case .user(let principal): principal.userID.map { [.user($0): principal.displayName ?? ""] } ?? [:]
        case .guest(let pass): Dictionary(guests.filter { $0.id == pass.guestID }.map { (.guest($0.id), $0.displayName) }, uniquingKeysWith: { a, _ in a })
        }
    }

    /// The names shown for the people on a board: guests by their display name, users by theirs.
    func participantNames(_ state: LeanCoffeeState) async throws -> [ParticipantRef: String] {
        var names: [ParticipantRef: String] = [:]
        for guest in state.content.guests { names[.guest(guest.id)] = guest.displayName }
        var users = Set<UserID>()
        for topic in state.content.topics { if case .user(let id) = topic.author { users.insert(id) } }
        for takeaway in state.content.takeaways { if case .user(let id) = takeaway.author { users.insert(id) } }
        var known: [UserID: String] = [:]
        if let workspace = state.board.workspaceID, !users.isEmpty {
            for row in try await deps.store.members(of: workspace) { known[row.membership.userID] = row.displayName }
        }
        for (id, name) in try await deps.names(users, known: known) { names[.user(id)] = name }
        return names
    }

    /// The board as one reader sees it.
    func view(_ snapshot: Snapshot<LeanCoffeeState>, for actor: BoardActor) async throws -> LeanCoffeeSnapshotView {
        let state = snapshot.value
        let board = state.board
        let content = state.content
        var names = try await participantNames(state)
        if case .user(let principal) = actor, let userID = principal.userID { names[ParticipantRef.user(userID)] = principal.displayName ?? "" }
        let visible = board.talliesVisible
        let topics = content.topics.filter { $0.status != .withdrawn }.map {
            LeanCoffeeTopicView($0, names: names, dots: visible ? LeanCoffeeVoteRules.count(content, topic: $0.id) : nil)
        }
        let takeaways = content.takeaways.sorted { ($0.createdAt, $0.id.description) < ($1.createdAt, $1.id.description) }
            .map { LeanCoffeeTakeawayView($0, names: names) }
        var continueTally: ContinueTallyView?
        if board.phase == .discuss, let discussion = board.discussion, let current = discussion.current {
            let t = LeanCoffeeDiscussionRules.continueTally(content, topic: current, timebox: discussion.timebox)
            continueTally = ContinueTallyView(topicId: current.description, timebox: discussion.timebox, up: t.up, sideways: t.sideways, down: t.down)
        }
        let me = actor.participant
        let role = board.access.role(of: actor)
        var myDots: [String: Int] = [:]
        var myVote: ContinueVote?
        if let me {
            for dot in LeanCoffeeVoteRules.activeDots(content, of: me) { myDots[dot.topicID.description, default: 0] += 1 }
            if let discussion = board.discussion, let current = discussion.current {
                myVote = content.ballots.first { $0.topicID == current && $0.timebox == discussion.timebox && $0.participant == me }?.vote
            }
        }
        let meView = LeanCoffeeMeView(
            participant: me.map { ParticipantView($0, name: names[$0] ?? "") },
            role: role.map { "\($0)" } ?? "none", dots: myDots,
            dotsLeft: me.map { LeanCoffeeVoteRules.dotsLeft(board, content, for: $0) } ?? 0, continueVote: myVote)
        return LeanCoffeeSnapshotView(board: LeanCoffeeBoardView(board), topics: topics, takeaways: takeaways, totalDots: LeanCoffeeVoteRules.totalDots(content),
                                      voters: LeanCoffeeVoteRules.voters(content), continueTally: continueTally, me: meView,
                                      guests: content.guests.count, cursor: snapshot.cursor)
    }
}

extension ServiceDependencies {
    /// Runs a store call, turning its refusals into domain errors.
    func translating(_ body: () async throws -> Void) async throws {
        try await translated(body)
    }

    /// Runs a store call and returns its result, turning its refusals into domain errors.
    func translated<T>(_ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch let error as StoreError {
            throw Self.domainError(for: error)
        }
    }
}
