import Foundation

/// Dot voting: placing and taking back dots, counts, and the discussion order.
///
/// Rules:
/// * Each participant has `dotsPerParticipant` dots in total and may stack up to
///   `settings.dotsPerTopic` of them on one topic (no per-topic cap unless the facilitator sets one).
/// * A dot counts while it is not withdrawn and its topic is not withdrawn (withdrawing a topic
///   gives its dots back).
/// * Every request carries an idempotency key, unique per participant on the board. The same key
///   again returns the first result and changes nothing; the same key for a different request
///   (another topic, or placing vs. taking back) is refused with `leanCoffee.idempotencyKeyReused`.
public enum LeanCoffeeVoteRules {
    /// Places one dot on a topic during the vote.
    public static func placeDot(on topicID: LeanCoffeeTopicID, key: IdempotencyKey, id: LeanCoffeeDotID, board: LeanCoffeeBoard,
                                content: LeanCoffeeContent, by actor: BoardActor, now: Date) throws(DomainError) -> LeanCoffeeOutcome {
        try board.access.require(.guest, actor)
        guard let me = actor.participant else { throw .unauthenticated }
        // A retry finds its key before any state check: the answer must not change because the
        // phase moved on after the first request counted.
        if let earlier = content.dots.first(where: { $0.participant == me && ($0.key == key || $0.withdrawKey == key) }) {
            guard earlier.key == key, earlier.topicID == topicID else { throw LeanCoffeeErrors.idempotencyKeyReused }
            return .unchanged(board)
        }
        try LeanCoffeeBoardRules.requirePhase(board, [.vote])
        guard let topic = content.topic(topicID) else { throw LeanCoffeeErrors.topicNotFound }
        guard topic.status == .open else { throw LeanCoffeeErrors.topicNotOpen }
        let mine = activeDots(content, of: me)
        guard mine.count < board.settings.dotsPerParticipant else { throw LeanCoffeeErrors.noDotsLeft }
        guard mine.filter({ $0.topicID == topicID }).count < board.settings.dotsPerTopic else { throw LeanCoffeeErrors.topicDotLimit }
        let dot = LeanCoffeeDot(id: id, boardID: board.id, topicID: topicID, participant: me, key: key, placedAt: now)
        let after = content.applying([.dot(dot)])
        return LeanCoffeeOutcome(board: board, changes: [.dot(dot)], events: [tallyEvent(board, after, topic: topicID)])
    }

    /// Takes back one of the actor's dots from a topic (the most recently placed one).
    public static func removeDot(from topicID: LeanCoffeeTopicID, key: IdempotencyKey, board: LeanCoffeeBoard, content: LeanCoffeeContent,
                                 by actor: BoardActor, now: Date) throws(DomainError) -> LeanCoffeeOutcome {
        try board.access.require(.guest, actor)
        guard let me = actor.participant else { throw .unauthenticated }
        if let earlier = content.dots.first(where: { $0.participant == me && ($0.key == key || $0.withdrawKey == key) }) {
            guard earlier.withdrawKey == key, earlier.topicID == topicID else { throw LeanCoffeeErrors.idempotencyKeyReused }
            return .unchanged(board)
        }
        try LeanCoffeeBoardRules.requirePhase(board, [.vote])
        guard let topic = content.topic(topicID) else { throw LeanCoffeeErrors.topicNotFound }
        guard topic.status == .open else { throw LeanCoffeeErrors.topicNotOpen }
        let candidates = activeDots(content, of: me).filter { $0.topicID == topicID }
        guard var dot = candidates.max(by: { ($0.placedAt, $0.id.description) < ($1.placedAt, $1.id.description) }) else {
            throw LeanCoffeeErrors.noDotToRemove
        }
        dot.withdrawnAt = now
        dot.withdrawKey = key
        let after = content.applying([.dot(dot)])
        return LeanCoffeeOutcome(board: board, changes: [.dot(dot)], events: [tallyEvent(board, after, topic: topicID)])
    }

    /// The event that reports a changed count: the topic's new count when tallies are visible,
    /// otherwise only how many dots were placed by how many people.
    static func tallyEvent(_ board: LeanCoffeeBoard, _ content: LeanCoffeeContent, topic: LeanCoffeeTopicID) -> LeanCoffeeEvent {
        if board.talliesVisible {
            return .tallyChanged(board: board.id, TopicTally(topicID: topic, dots: count(content, topic: topic)))
        }
        return progressEvent(board, content)
    }

    static func progressEvent(_ board: LeanCoffeeBoard, _ content: LeanCoffeeContent) -> LeanCoffeeEvent {
        let active = activeDots(content)
        return .voteProgress(board: board.id, dots: active.count, voters: Set(active.map(\.participant)).count)
    }

    /// Dots that count: not withdrawn, on a topic that is not withdrawn.
    public static func activeDots(_ content: LeanCoffeeContent, of participant: ParticipantRef? = nil) -> [LeanCoffeeDot] {
        let withdrawn = Set(content.topics.filter { $0.status == .withdrawn }.map(\.id))
        return content.dots.filter {
            !$0.isWithdrawn && !withdrawn.contains($0.topicID) && (participant == nil || $0.participant == participant)
        }
    }

    /// The dots a participant can still place.
    public static func dotsLeft(_ board: LeanCoffeeBoard, _ content: LeanCoffeeContent, for participant: ParticipantRef) -> Int {
        max(0, board.settings.dotsPerParticipant - activeDots(content, of: participant).count)
    }

    /// A topic's count of dots.
    public static func count(_ content: LeanCoffeeContent, topic: LeanCoffeeTopicID) -> Int {
        activeDots(content).filter { $0.topicID == topic }.count
    }

    /// The counts of the given topics, in the given order.
    public static func tallies(_ content: LeanCoffeeContent, in order: [LeanCoffeeTopicID]) -> [TopicTally] {
        var counts: [LeanCoffeeTopicID: Int] = [:]
        for dot in activeDots(content) { counts[dot.topicID, default: 0] += 1 }
        return order.map { TopicTally(topicID: $0, dots: counts[$0] ?? 0) }
    }

    /// The discussion order of the topics that are not withdrawn: more dots first; on equal dots
    /// the earlier created topic first (it waited longer); on equal times the smaller id (the
    /// canonical lower-case UUID text), so the order is total and the same on every server.
    public static func discussionOrder(_ content: LeanCoffeeContent) -> [LeanCoffeeTopicID] {
        var counts: [LeanCoffeeTopicID: Int] = [:]
        for dot in activeDots(content) { counts[dot.topicID, default: 0] += 1 }
        return content.topics
            .filter { $0.status != .withdrawn }
            .sorted { a, b in
                let (ca, cb) = (counts[a.id] ?? 0, counts[b.id] ?? 0)
                if ca != cb { return ca > cb }
                if a.createdAt != b.createdAt { return a.createdAt < b.createdAt }
                return a.id.description < b.id.description
            }
            .map(\.id)
    }
}
