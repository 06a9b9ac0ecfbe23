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
        let placedByMe = content.ledger.dots(of: me)
        if let earlier = placedByMe.first(where: { $0.key == key || $0.withdrawKey == key }) {
            guard earlier.key == key, earlier.topicID == topicID else { throw LeanCoffeeErrors.idempotencyKeyReused }
            return .unchanged(board)
        }
        try LeanCoffeeBoardRules.requirePhase(board, [.vote])
        guard let topic = content.topic(topicID) else { throw LeanCoffeeErrors.topicNotFound }
        guard topic.status == .open else { throw LeanCoffeeErrors.topicNotOpen }
        let mine = active(placedByMe, content)
        guard mine.count < board.settings.dotsPerParticipant else { throw LeanCoffeeErrors.noDotsLeft }
        guard mine.filter({ $0.topicID == topicID }).count < board.settings.dotsPerTopic else { throw LeanCoffeeErrors.topicDotLimit }
        let dot = LeanCoffeeDot(id: id, boardID: board.id, topicID: topicID, participant: me, key: key, placedAt: now)
        return LeanCoffeeOutcome(board: board, changes: [.dot(dot)],
                                 events: [tallyEvent(board, content, topic: topicID, delta: 1, newVoter: mine.isEmpty)])
    }

    /// Takes back one of the actor's dots from a topic (the most recently placed one).
    public static func removeDot(from topicID: LeanCoffeeTopicID, key: IdempotencyKey, board: LeanCoffeeBoard, content: LeanCoffeeContent,
                                 by actor: BoardActor, now: Date) throws(DomainError) -> LeanCoffeeOutcome {
        try board.access.require(.guest, actor)
        guard let me = actor.participant else { throw .unauthenticated }
        let placedByMe = content.ledger.dots(of: me)
        if let earlier = placedByMe.first(where: { $0.key == key || $0.withdrawKey == key }) {
            guard earlier.withdrawKey == key, earlier.topicID == topicID else { throw LeanCoffeeErrors.idempotencyKeyReused }
            return .unchanged(board)
        }
        try LeanCoffeeBoardRules.requirePhase(board, [.vote])
        guard let topic = content.topic(topicID) else { throw LeanCoffeeErrors.topicNotFound }
        guard topic.status == .open else { throw LeanCoffeeErrors.topicNotOpen }
        let mine = active(placedByMe, content)
        let candidates = mine.filter { $0.topicID == topicID }
        guard var dot = candidates.max(by: { ($0.placedAt, $0.id.description) < ($1.placedAt, $1.id.description) }) else {
            throw LeanCoffeeErrors.noDotToRemove
        }
        dot.withdrawnAt = now
        dot.withdrawKey = key
        return LeanCoffeeOutcome(board: board, changes: [.dot(dot)],
                                 events: [tallyEvent(board, content, topic: topicID, delta: -1, newVoter: false, lastOfVoter: mine.count == 1)])
    }

    /// The event that reports a changed count: the topic's new count when tallies are visible,
    /// otherwise only how many dots were placed by how many people. Computed from the content
    /// before the change and the change itself (`delta` dots on `topic`; whether the voter had
    /// none before, or has none after), so a vote costs no pass over the board's dots.
    static func tallyEvent(_ board: LeanCoffeeBoard, _ before: LeanCoffeeContent, topic: LeanCoffeeTopicID, delta: Int,
                           newVoter: Bool, lastOfVoter: Bool = false) -> LeanCoffeeEvent {
        if board.talliesVisible {
            return .tallyChanged(board: board.id, TopicTally(topicID: topic, dots: count(before, topic: topic) + delta))
        }
        return .voteProgress(board: board.id, dots: totalDots(before) + delta,
                             voters: voters(before) + (newVoter ? 1 : 0) - (lastOfVoter ? 1 : 0))
    }

    static func progressEvent(_ board: LeanCoffeeBoard, _ content: LeanCoffeeContent) -> LeanCoffeeEvent {
        .voteProgress(board: board.id, dots: totalDots(content), voters: voters(content))
    }

    /// The dots of `dots` that count: not withdrawn, on a topic that is not withdrawn.
    static func active(_ dots: [LeanCoffeeDot], _ content: LeanCoffeeContent) -> [LeanCoffeeDot] {
        let withdrawn = Set(content.topics.filter { $0.status == .withdrawn }.map(\.id))
        return dots.filter { !$0.isWithdrawn && !withdrawn.contains($0.topicID) }
    }

    /// Dots that count: not withdrawn, on a topic that is not withdrawn. O(dots of the
    /// participant) for one participant, O(all dots) without one.
    public static func activeDots(_ content: LeanCoffeeContent, of participant: ParticipantRef? = nil) -> [LeanCoffeeDot] {
        active(participant.map { content.ledger.dots(of: $0) } ?? content.dots, content)
    }

    /// How many dots count on the board.
    public static func totalDots(_ content: LeanCoffeeContent) -> Int {
        content.topics.reduce(0) { $0 + ($1.status == .withdrawn ? 0 : content.ledger.placed(on: $1.id)) }
    }

    /// How many people have dots that count. O(1) unless a withdrawn topic holds dots (then
    /// the voters must be counted again, which withdrawing a topic makes rare).
    public static func voters(_ content: LeanCoffeeContent) -> Int {
        let withdrawnHoldDots = content.topics.contains { $0.status == .withdrawn && content.ledger.placed(on: $0.id) > 0 }
        guard withdrawnHoldDots else { return content.ledger.placers }
        return Set(activeDots(content).map(\.participant)).count
    }

    /// The dots a participant can still place.
    public static func dotsLeft(_ board: LeanCoffeeBoard, _ content: LeanCoffeeContent, for participant: ParticipantRef) -> Int {
        max(0, board.settings.dotsPerParticipant - activeDots(content, of: participant).count)
    }

    /// A topic's count of dots (0 for a withdrawn topic).
    public static func count(_ content: LeanCoffeeContent, topic: LeanCoffeeTopicID) -> Int {
        content.isWithdrawn(topic) ? 0 : content.ledger.placed(on: topic)
    }

    /// Where a vote leaves the board and the voter, computed from the content before it and
    /// the outcome (no pass over the board's dots): what the short answer to a vote carries.
    public static func standing(after outcome: LeanCoffeeOutcome, on topic: LeanCoffeeTopicID, board: LeanCoffeeBoard,
                                before content: LeanCoffeeContent, for participant: ParticipantRef) -> VoteStanding {
        var delta = 0
        for case .dot(let dot) in outcome.changes where dot.topicID == topic { delta += dot.isWithdrawn ? -1 : 1 }
        let mine = activeDots(content, of: participant)
        let mineAfter = mine.count + delta
        let voters = voters(content) + (mineAfter > 0 ? 1 : 0) - (mine.isEmpty ? 0 : 1)
        return VoteStanding(topicDots: count(content, topic: topic) + delta, totalDots: totalDots(content) + delta, voters: voters,
                            dotsLeft: max(0, board.settings.dotsPerParticipant - mineAfter),
                            myDotsOnTopic: mine.filter { $0.topicID == topic }.count + delta)
    }

    /// The counts of the given topics, in the given order.
    public static func tallies(_ content: LeanCoffeeContent, in order: [LeanCoffeeTopicID]) -> [TopicTally] {
        order.map { TopicTally(topicID: $0, dots: count(content, topic: $0)) }
    }

    /// The discussion order of the topics that are not withdrawn: more dots first; on equal dots
    /// the earlier created topic first (it waited longer); on equal times the smaller id (the
    /// canonical lower-case UUID text), so the order is total and the same on every server.
    public static func discussionOrder(_ content: LeanCoffeeContent) -> [LeanCoffeeTopicID] {
        var counts: [LeanCoffeeTopicID: Int] = [:]
        for topic in content.topics { counts[topic.id] = count(content, topic: topic.id) }
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

/// A board's counts after a vote, as the voter sees them.
public struct VoteStanding: Sendable, Hashable {
    /// The topic's count (shown only while votes are visible).
    public let topicDots: Int
    public let totalDots: Int
    public let voters: Int
    /// Dots the voter can still place.
    public let dotsLeft: Int
    /// The voter's dots on the topic.
    public let myDotsOnTopic: Int

    public init(topicDots: Int, totalDots: Int, voters: Int, dotsLeft: Int, myDotsOnTopic: Int) {
        self.topicDots = topicDots
        self.totalDots = totalDots
        self.voters = voters
        self.dotsLeft = dotsLeft
        self.myDotsOnTopic = myDotsOnTopic
    }
}
