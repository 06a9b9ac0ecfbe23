import Foundation

/// The input for creating a board.
public struct LeanCoffeeDraft: Sendable, Hashable {
    public var title: String
    public var workspaceID: WorkspaceID?
    public var settings: LeanCoffeeSettings

    public init(title: String, workspaceID: WorkspaceID? = nil, settings: LeanCoffeeSettings = LeanCoffeeSettings()) {
        self.title = title
        self.workspaceID = workspaceID
        self.settings = settings
    }
}

/// A partial change to a board; `nil` leaves a property as it is.
public struct LeanCoffeePatch: Sendable, Hashable {
    public var title: String?
    public var settings: LeanCoffeeSettings?
    public var facilitators: [UserID]?

    public init(title: String? = nil, settings: LeanCoffeeSettings? = nil, facilitators: [UserID]? = nil) {
        self.title = title
        self.settings = settings
        self.facilitators = facilitators
    }
}

/// The board's lifecycle as pure functions: board, content, actor, input and time in;
/// an outcome (new records and events) out, or a `DomainError`.
public enum LeanCoffeeBoardRules {
    /// Allowed length of a board's title.
    public static let titleLength = 3...120
    /// At most this many listed facilitators.
    public static let maxFacilitators = 10

    /// The phase graph. Forward through the phases; back from `vote` to `collect` (a topic was
    /// forgotten; dots stay); closing is possible from every open phase (a board can end early).
    public static let transitions: [LeanCoffeePhase: Set<LeanCoffeePhase>] = [
        .collect: [.vote, .closed],
        .vote: [.collect, .discuss, .closed],
        .discuss: [.closed],
        .closed: [],
    ]

    /// Creates a board. In a workspace, its coordinators and members (and administrators) may;
    /// a standalone board anyone signed in may start. The creator is the first facilitator.
    public static func create(_ draft: LeanCoffeeDraft, id: LeanCoffeeBoardID, workspace: Workspace?, by actor: Principal,
                              now: Date, today: LocalDate) throws(DomainError) -> LeanCoffeeOutcome {
        guard let userID = actor.userID else { throw .unauthenticated }
        if let workspaceID = draft.workspaceID {
            guard let workspace, workspace.id == workspaceID else { throw .notFound("workspace") }
            try WorkspaceRules.requireEditable(workspace, by: actor, today: today, permission: canStartBoards)
        }
        var issues: [FieldIssue] = []
        let title = BoardText.line(draft.title, field: "title", length: titleLength, issues: &issues)
        issues += draft.settings.issues()
        guard issues.isEmpty else { throw .validation(issues) }
        let board = LeanCoffeeBoard(id: id, workspaceID: draft.workspaceID, title: title, facilitators: [userID], settings: draft.settings,
                                    phase: .collect, votingOpened: false, votesRevealed: false, discussion: nil, createdBy: userID,
                                    createdAt: now, updatedAt: now, closedAt: nil, version: 1)
        return LeanCoffeeOutcome(board: board, boardChanged: true, events: [.boardCreated(board)])
    }

    /// Who may start a board (or a barcamp) inside a workspace.
    public static func canStartBoards(_ actor: Principal, in workspace: WorkspaceID) -> Bool {
        actor.isAdmin || actor.role(in: workspace) == .coordinator || actor.role(in: workspace) == .member
    }

    /// Facilitators change the title, the settings and the list of facilitators. The voting
    /// settings (dots, per-topic cap, hidden votes) freeze when voting first opens.
    public static func update(_ board: LeanCoffeeBoard, with patch: LeanCoffeePatch, expectedVersion: Int, by actor: BoardActor,
                              now: Date) throws(DomainError) -> LeanCoffeeOutcome {
        try board.access.require(.lead, actor)
        try requireOpen(board)
        guard expectedVersion == board.version else { throw .versionConflict }
        var next = board
        var issues: [FieldIssue] = []
        if let title = patch.title { next.title = BoardText.line(title, field: "title", length: titleLength, issues: &issues) }
        if let settings = patch.settings {
            issues += settings.issues()
            if board.votingOpened && settings.votingDiffers(from: board.settings) { throw LeanCoffeeErrors.settingsLocked }
            next.settings = settings
        }
        if let facilitators = patch.facilitators {
            var seen = Set<UserID>()
            next.facilitators = facilitators.filter { seen.insert($0).inserted }
            if next.facilitators.isEmpty || next.facilitators.count > maxFacilitators {
                issues.append(FieldIssue(field: "facilitators", code: "outOfRange", message: "One to \(maxFacilitators) facilitators."))
            }
        }
        guard issues.isEmpty else { throw .validation(issues) }
        guard next != board else { return .unchanged(board, replayed: false) }
        next.version += 1
        next.updatedAt = now
        return LeanCoffeeOutcome(board: next, boardChanged: true, events: [.boardUpdated(next)])
    }

    /// A guest joins by link with a display name (or renames themselves by joining again).
    /// The services issue the guest id and the token that carries it.
    public static func joinAsGuest(_ board: LeanCoffeeBoard, guestID: GuestID, displayName: String, existing: BoardGuest?,
                                   now: Date) throws(DomainError) -> LeanCoffeeOutcome {
        try board.access.require(.guest, .guest(GuestPass(guestID: guestID, scope: board.id.uuid)))
        try requireOpen(board)
        let name = try BoardGuest.validDisplayName(displayName)
        if let existing, existing.displayName == name { return .unchanged(board) }
        let guest = BoardGuest(id: guestID, scope: board.id.uuid, displayName: name, joinedAt: existing?.joinedAt ?? now)
        return LeanCoffeeOutcome(board: board, changes: [.guest(guest)], events: [.guestJoined(guest, board: board.id)])
    }

    /// Moves the board to `target`. Naming the target (not "next") makes a repeated click a
    /// no-op instead of skipping a phase. Entering `vote` freezes the voting settings; entering
    /// `discuss` reveals the votes, fixes the discussion order and starts the first timebox;
    /// entering `closed` ends a running discussion and publishes the summary.
    public static func changePhase(_ board: LeanCoffeeBoard, to target: LeanCoffeePhase, content: LeanCoffeeContent, by actor: BoardActor,
                                   now: Date) throws(DomainError) -> LeanCoffeeOutcome {
        try board.access.require(.lead, actor)
        guard board.phase != target else { return .unchanged(board) }
        guard board.phase != .closed else { throw LeanCoffeeErrors.phaseClosed }
        guard transitions[board.phase, default: []].contains(target) else {
            throw LeanCoffeeErrors.invalidTransition(from: board.phase, to: target)
        }
        let openTopics = content.topics.filter { $0.status != .withdrawn }
        if (target == .vote || target == .discuss) && openTopics.isEmpty { throw LeanCoffeeErrors.noTopics }

        var next = board
        next.phase = target
        next.version += 1
        next.updatedAt = now
        var changes: [LeanCoffeeChange] = []
        var events: [LeanCoffeeEvent] = []
        switch target {
        case .collect:
            events.append(.phaseChanged(next, from: board.phase))
        case .vote:
            next.votingOpened = true
            events.append(.phaseChanged(next, from: board.phase))
        case .discuss:
            let wasHidden = !board.talliesVisible
            next.votesRevealed = true
            let queue = LeanCoffeeVoteRules.discussionOrder(content)
            next.discussion = LeanCoffeeDiscussion(queue: queue, current: nil, timebox: 0, startedAt: nil, endsAt: nil)
            events.append(.phaseChanged(next, from: board.phase))
            if wasHidden { events.append(.votesRevealed(board: board.id, LeanCoffeeVoteRules.tallies(content, in: queue))) }
            let started = LeanCoffeeDiscussionRules.startNext(next, content: content, now: now)
            next = started.board
            changes += started.changes
            events += started.events
        case .closed:
            var closing = content
            if let current = board.discussion?.current, var topic = content.topic(current) {
                topic.status = .discussed
                topic.discussionEndedAt = now
                topic.updatedAt = now
                changes.append(.topic(topic))
                closing = closing.applying([.topic(topic)])
                let tally = LeanCoffeeDiscussionRules.continueTally(closing, topic: current, timebox: board.discussion?.timebox ?? 0)
                events.append(.topicFinished(board: board.id, topic: current, reason: .closed, tally))
            }
            next.discussion?.current = nil
            next.discussion?.endsAt = nil
            next.closedAt = now
            events.append(.phaseChanged(next, from: board.phase))
            events.append(.boardClosed(next, LeanCoffeeSummary(board: next, content: closing)))
        }
        return LeanCoffeeOutcome(board: next, boardChanged: true, changes: changes, events: events)
    }

    /// Reveals hidden tallies during the vote (the discussion reveals them anyway).
    public static func revealVotes(_ board: LeanCoffeeBoard, content: LeanCoffeeContent, by actor: BoardActor,
                                   now: Date) throws(DomainError) -> LeanCoffeeOutcome {
        try board.access.require(.lead, actor)
        try requireOpen(board)
        try requirePhase(board, [.vote])
        guard !board.talliesVisible else { throw LeanCoffeeErrors.votesNotHidden }
        var next = board
        next.votesRevealed = true
        next.version += 1
        next.updatedAt = now
        let order = LeanCoffeeVoteRules.discussionOrder(content)
        return LeanCoffeeOutcome(board: next, boardChanged: true,
                                 events: [.votesRevealed(board: board.id, LeanCoffeeVoteRules.tallies(content, in: order))])
    }

    static func requireOpen(_ board: LeanCoffeeBoard) throws(DomainError) {
        guard board.phase != .closed else { throw LeanCoffeeErrors.phaseClosed }
    }

    static func requirePhase(_ board: LeanCoffeeBoard, _ phases: [LeanCoffeePhase]) throws(DomainError) {
        try requireOpen(board)
        guard phases.contains(board.phase) else { throw LeanCoffeeErrors.wrongPhase(phases) }
    }
}
