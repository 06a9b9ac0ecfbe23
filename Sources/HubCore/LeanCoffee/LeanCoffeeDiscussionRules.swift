import Foundation

/// What happens with the current topic when its timebox is concluded.
public enum ContinueDecision: String, Sendable, Hashable, Codable {
    /// Keep talking for the next timebox of the sequence.
    case extend
    /// Finish the topic and start the next one.
    case moveOn
}

/// The timeboxed discussion: continue votes, extensions, moving on.
///
/// Timing: a timebox is stored as its absolute end (`endsAt`); clients count down locally and
/// nothing ticks on the server. At or after `endsAt` participants cast a continue vote on the
/// running timebox, and a facilitator concludes it.
///
/// Majority rule (`decide`): the topic is extended by the next timebox of the sequence if and
/// only if the sequence has a next timebox and strictly more participants voted thumbs up than
/// thumbs down. Sideways means "either way is fine" and counts for neither side; people who did
/// not vote are not counted (absence is not a vote to stop). A tie, including no votes at all,
/// moves on: the timebox is the default, and extending needs a positive majority. The extension
/// runs from the moment it is decided, so the time spent voting is not taken from it.
public enum LeanCoffeeDiscussionRules {
    /// The majority rule; see the type's documentation.
    public static func decide(_ tally: ContinueTally, canExtend: Bool) -> ContinueDecision {
        canExtend && tally.up > tally.down ? .extend : .moveOn
    }

    /// The counted continue votes on one timebox of one topic.
    public static func continueTally(_ content: LeanCoffeeContent, topic: LeanCoffeeTopicID, timebox: Int) -> ContinueTally {
        var tally = ContinueTally()
        for ballot in content.ballots where ballot.topicID == topic && ballot.timebox == timebox {
            switch ballot.vote {
            case .up: tally.up += 1
            case .sideways: tally.sideways += 1
            case .down: tally.down += 1
            }
        }
        return tally
    }

    /// Casts (or changes) the actor's continue vote on the running timebox once it has expired.
    /// `topicID` and `timebox` name what the voter saw, so a late vote never lands on the next topic.
    public static func castContinueVote(_ vote: ContinueVote, on topicID: LeanCoffeeTopicID, timebox: Int, board: LeanCoffeeBoard,
                                        content: LeanCoffeeContent, by actor: BoardActor, now: Date) throws(DomainError) -> LeanCoffeeOutcome {
        try board.access.require(.guest, actor)
        guard let me = actor.participant else { throw .unauthenticated }
        try LeanCoffeeBoardRules.requirePhase(board, [.discuss])
        guard let discussion = board.discussion, let current = discussion.current else { throw LeanCoffeeErrors.noCurrentTopic }
        guard current == topicID, discussion.timebox == timebox else { throw LeanCoffeeErrors.staleTopic }
        guard discussion.hasExpired(at: now) else { throw LeanCoffeeErrors.timeboxRunning }
        guard board.canExtend else { throw LeanCoffeeErrors.noExtensionLeft }
        if content.ballots.contains(where: { $0.topicID == topicID && $0.timebox == timebox && $0.participant == me && $0.vote == vote }) {
            return .unchanged(board)
        }
        let ballot = ContinueBallot(boardID: board.id, topicID: topicID, timebox: timebox, participant: me, vote: vote, at: now)
        let tally = continueTally(content.applying([.ballot(ballot)]), topic: topicID, timebox: timebox)
        return LeanCoffeeOutcome(board: board, changes: [.ballot(ballot)],
                                 events: [.continueTallyChanged(board: board.id, topic: topicID, timebox: timebox, tally)])
    }

    /// A facilitator concludes the running timebox after it expired: by the majority rule, or
    /// with `override` against it (the facilitator keeps the room's pace; an override may also
    /// come before expiry). Naming the topic and timebox makes a second click a no-op.
    public static func concludeTimebox(of topicID: LeanCoffeeTopicID, timebox: Int, override: ContinueDecision? = nil, board: LeanCoffeeBoard,
                                       content: LeanCoffeeContent, by actor: BoardActor, now: Date) throws(DomainError) -> LeanCoffeeOutcome {
        try board.access.require(.lead, actor)
        try LeanCoffeeBoardRules.requirePhase(board, [.discuss])
        guard let discussion = board.discussion else { throw LeanCoffeeErrors.noCurrentTopic }
        guard discussion.current == topicID, discussion.timebox == timebox else {
            if alreadyPast(topicID, timebox: timebox, board: board, content: content) { return .unchanged(board) }
            throw LeanCoffeeErrors.staleTopic
        }
        guard override != nil || discussion.hasExpired(at: now) else { throw LeanCoffeeErrors.timeboxRunning }
        let tally = continueTally(content, topic: topicID, timebox: timebox)
        let decision = override ?? decide(tally, canExtend: board.canExtend)
        switch decision {
        case .extend:
            guard board.canExtend, let seconds = board.timeboxSeconds(timebox + 1), var topic = content.topic(topicID) else {
                throw LeanCoffeeErrors.noExtensionLeft
            }
            var next = board
            next.discussion?.timebox = timebox + 1
            next.discussion?.startedAt = now
            next.discussion?.endsAt = now.addingTimeInterval(seconds)
            next.version += 1
            next.updatedAt = now
            topic.extensions += 1
            topic.updatedAt = now
            return LeanCoffeeOutcome(board: next, boardChanged: true, changes: [.topic(topic)], events: [
                .timeboxExtended(board: board.id, topic: topicID, timebox: timebox + 1, endsAt: now.addingTimeInterval(seconds), tally),
            ])
        case .moveOn:
            let reason: TopicFinishReason = override != nil ? .facilitator : (board.canExtend ? .voted : .timeboxesUsed)
            return finishAndAdvance(board, content: content, reason: reason, tally: tally, now: now)
        }
    }

    /// A facilitator moves on from `topicID` at any time, expired or not.
    public static func nextTopic(after topicID: LeanCoffeeTopicID, board: LeanCoffeeBoard, content: LeanCoffeeContent, by actor: BoardActor,
                                 now: Date) throws(DomainError) -> LeanCoffeeOutcome {
        try board.access.require(.lead, actor)
        try LeanCoffeeBoardRules.requirePhase(board, [.discuss])
        guard let discussion = board.discussion else { throw LeanCoffeeErrors.noCurrentTopic }
        guard discussion.current == topicID else {
            if content.topic(topicID)?.status == .discussed { return .unchanged(board) }
            throw LeanCoffeeErrors.staleTopic
        }
        let tally = continueTally(content, topic: topicID, timebox: discussion.timebox)
        return finishAndAdvance(board, content: content, reason: .facilitator, tally: tally, now: now)
    }

    /// Whether a conclusion of (topic, timebox) already happened: the topic is done, or it was extended past that timebox.
    static func alreadyPast(_ topicID: LeanCoffeeTopicID, timebox: Int, board: LeanCoffeeBoard, content: LeanCoffeeContent) -> Bool {
        if content.topic(topicID)?.status == .discussed { return true }
        if let discussion = board.discussion, discussion.current == topicID, discussion.timebox > timebox { return true }
        return false
    }

    static func finishAndAdvance(_ board: LeanCoffeeBoard, content: LeanCoffeeContent, reason: TopicFinishReason, tally: ContinueTally,
                                 now: Date) -> LeanCoffeeOutcome {
        guard let current = board.discussion?.current, var topic = content.topic(current) else { return .unchanged(board, replayed: false) }
        topic.status = .discussed
        topic.discussionEndedAt = now
        topic.updatedAt = now
        var bumped = board
        bumped.version += 1
        let started = startNext(bumped, content: content.applying([.topic(topic)]), now: now)
        return LeanCoffeeOutcome(board: started.board, boardChanged: true, changes: [.topic(topic)] + started.changes,
                                 events: [.topicFinished(board: board.id, topic: current, reason: reason, tally)] + started.events)
    }

    /// Starts the first open topic of the queue with the first timebox, or ends the discussion
    /// when every topic was discussed. The caller has counted the board's new version.
    static func startNext(_ board: LeanCoffeeBoard, content: LeanCoffeeContent, now: Date) -> LeanCoffeeOutcome {
        var next = board
        next.updatedAt = now
        let queue = board.discussion?.queue ?? []
        guard let id = queue.first(where: { content.topic($0)?.status == .open }), var topic = content.topic(id),
              let seconds = board.timeboxSeconds(0) else {
            next.discussion?.current = nil
            next.discussion?.startedAt = nil
            next.discussion?.endsAt = nil
            next.discussion?.timebox = 0
            return LeanCoffeeOutcome(board: next, boardChanged: true, events: [.allTopicsDiscussed(board: board.id)])
        }
        topic.status = .discussing
        topic.discussionStartedAt = now
        topic.updatedAt = now
        let endsAt = now.addingTimeInterval(seconds)
        next.discussion?.current = id
        next.discussion?.timebox = 0
        next.discussion?.startedAt = now
        next.discussion?.endsAt = endsAt
        return LeanCoffeeOutcome(board: next, boardChanged: true, changes: [.topic(topic)],
                                 events: [.topicStarted(board: board.id, topic: id, timebox: 0, endsAt: endsAt)])
    }
}
