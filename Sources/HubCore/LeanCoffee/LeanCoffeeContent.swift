import Foundation

/// Identifies a topic on a board.
public typealias LeanCoffeeTopicID = Identifier<LeanCoffeeTopic>
/// Identifies a dot record.
public typealias LeanCoffeeDotID = Identifier<LeanCoffeeDot>
/// Identifies a takeaway.
public typealias LeanCoffeeTakeawayID = Identifier<LeanCoffeeTakeaway>

/// Where a topic stands.
public enum LeanCoffeeTopicStatus: String, Sendable, Hashable, Codable, CaseIterable {
    /// Collected; waiting for votes and discussion.
    case open
    /// Being discussed now (at most one topic per board).
    case discussing
    /// Its discussion ended.
    case discussed
    /// Taken back by its author or a facilitator; its dots no longer count.
    case withdrawn
}

/// A topic someone wants to talk about.
public struct LeanCoffeeTopic: Sendable, Hashable, Codable, Identifiable {
    public let id: LeanCoffeeTopicID
    public let boardID: LeanCoffeeBoardID
    public var title: String
    public var description: String
    /// Always recorded (the author may edit or withdraw it), but never shown when `anonymous`:
    /// views and exports use `publicAuthor`.
    public let author: ParticipantRef
    public let anonymous: Bool
    public var status: LeanCoffeeTopicStatus
    public let createdAt: Date
    public var updatedAt: Date
    public var discussionStartedAt: Date?
    public var discussionEndedAt: Date?
    /// How often the continue vote (or the facilitator) extended its discussion.
    public var extensions: Int
    /// The draft recommendation started from this topic, once one was.
    public var recommendationID: RecommendationID?

    public init(id: LeanCoffeeTopicID, boardID: LeanCoffeeBoardID, title: String, description: String, author: ParticipantRef, anonymous: Bool,
                status: LeanCoffeeTopicStatus, createdAt: Date, updatedAt: Date, discussionStartedAt: Date? = nil,
                discussionEndedAt: Date? = nil, extensions: Int = 0, recommendationID: RecommendationID? = nil) {
        self.id = id
        self.boardID = boardID
        self.title = title
        self.description = description
        self.author = author
        self.anonymous = anonymous
        self.status = status
        self.createdAt = createdAt
        self.updatedAt = updatedAt
        self.discussionStartedAt = discussionStartedAt
        self.discussionEndedAt = discussionEndedAt
        self.extensions = extensions
        self.recommendationID = recommendationID
    }

    /// The author as others may see them: `nil` for an anonymous topic.
    public var publicAuthor: ParticipantRef? { anonymous ? nil : author }
}

/// One dot, placed under an idempotency key and possibly withdrawn later under another.
/// Dots are never deleted: the records double as the idempotency ledger, so a retry of a
/// request that already counted finds its key and returns the same result.
public struct LeanCoffeeDot: Sendable, Hashable, Codable, Identifiable {
    public let id: LeanCoffeeDotID
    public let boardID: LeanCoffeeBoardID
    public let topicID: LeanCoffeeTopicID
    public let participant: ParticipantRef
    /// The key of the request that placed it (unique per board and participant).
    public let key: IdempotencyKey
    public let placedAt: Date
    public var withdrawnAt: Date?
    /// The key of the request that withdrew it.
    public var withdrawKey: IdempotencyKey?

    public init(id: LeanCoffeeDotID, boardID: LeanCoffeeBoardID, topicID: LeanCoffeeTopicID, participant: ParticipantRef, key: IdempotencyKey,
                placedAt: Date, withdrawnAt: Date? = nil, withdrawKey: IdempotencyKey? = nil) {
        self.id = id
        self.boardID = boardID
        self.topicID = topicID
        self.participant = participant
        self.key = key
        self.placedAt = placedAt
        self.withdrawnAt = withdrawnAt
        self.withdrawKey = withdrawKey
    }

    public var isWithdrawn: Bool { withdrawnAt != nil }
}

/// Keep talking about the current topic? Thumbs up, sideways (either way is fine), down.
public enum ContinueVote: String, Sendable, Hashable, Codable, CaseIterable {
    case up, sideways, down
}

/// One participant's continue vote on one timebox of one topic. Keyed by (topic, timebox,
/// participant): voting again replaces the earlier vote, the same vote again changes nothing.
public struct ContinueBallot: Sendable, Hashable, Codable {
    public let boardID: LeanCoffeeBoardID
    public let topicID: LeanCoffeeTopicID
    public let timebox: Int
    public let participant: ParticipantRef
    public var vote: ContinueVote
    public var at: Date

    public init(boardID: LeanCoffeeBoardID, topicID: LeanCoffeeTopicID, timebox: Int, participant: ParticipantRef, vote: ContinueVote, at: Date) {
        self.boardID = boardID
        self.topicID = topicID
        self.timebox = timebox
        self.participant = participant
        self.vote = vote
        self.at = at
    }
}

/// What the group took away from a topic: a decision, an insight, a next step.
public struct LeanCoffeeTakeaway: Sendable, Hashable, Codable, Identifiable {
    public let id: LeanCoffeeTakeawayID
    public let boardID: LeanCoffeeBoardID
    public let topicID: LeanCoffeeTopicID
    public var text: String
    public let author: ParticipantRef
    public let createdAt: Date
    public var updatedAt: Date

    public init(id: LeanCoffeeTakeawayID, boardID: LeanCoffeeBoardID, topicID: LeanCoffeeTopicID, text: String, author: ParticipantRef,
                createdAt: Date, updatedAt: Date) {
        self.id = id
        self.boardID = boardID
        self.topicID = topicID
        self.text = text
        self.author = author
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }
}

/// Everything on one board besides the board record, as loaded for a decision. A board is small
/// by construction (at most `LeanCoffeeTopicRules.maxTopics` topics, a few dots per person), so
/// rules take all of it; services load it inside the write transaction they commit in.
public struct LeanCoffeeContent: Sendable, Hashable {
    public var topics: [LeanCoffeeTopic]
    public var dots: [LeanCoffeeDot]
    public var ballots: [ContinueBallot]
    public var takeaways: [LeanCoffeeTakeaway]
    public var guests: [BoardGuest]

    public init(topics: [LeanCoffeeTopic] = [], dots: [LeanCoffeeDot] = [], ballots: [ContinueBallot] = [],
                takeaways: [LeanCoffeeTakeaway] = [], guests: [BoardGuest] = []) {
        self.topics = topics
        self.dots = dots
        self.ballots = ballots
        self.takeaways = takeaways
        self.guests = guests
    }

    /// The topic with this id, if it is on the board.
    public func topic(_ id: LeanCoffeeTopicID) -> LeanCoffeeTopic? { topics.first { $0.id == id } }

    /// Applies the changes of an outcome, as a store would (tests and in-memory adapters).
    public func applying(_ changes: [LeanCoffeeChange]) -> LeanCoffeeContent {
        var next = self
        for change in changes {
            switch change {
            case .topic(let topic): upsert(&next.topics, topic) { $0.id == topic.id }
            case .dot(let dot): upsert(&next.dots, dot) { $0.id == dot.id }
            case .ballot(let ballot):
                upsert(&next.ballots, ballot) { $0.topicID == ballot.topicID && $0.timebox == ballot.timebox && $0.participant == ballot.participant }
            case .takeaway(let takeaway): upsert(&next.takeaways, takeaway) { $0.id == takeaway.id }
            case .takeawayDeleted(let id): next.takeaways.removeAll { $0.id == id }
            case .guest(let guest): upsert(&next.guests, guest) { $0.id == guest.id }
            }
        }
        return next
    }

    private func upsert<T>(_ list: inout [T], _ value: T, where matches: (T) -> Bool) {
        if let index = list.firstIndex(where: matches) { list[index] = value } else { list.append(value) }
    }
}

/// One record a Lean Coffee decision writes; the store upserts it in the same transaction as the events.
public enum LeanCoffeeChange: Sendable, Hashable {
    case topic(LeanCoffeeTopic)
    case dot(LeanCoffeeDot)
    /// Upsert keyed by (topic, timebox, participant).
    case ballot(ContinueBallot)
    case takeaway(LeanCoffeeTakeaway)
    case takeawayDeleted(LeanCoffeeTakeawayID)
    case guest(BoardGuest)
}

/// What a Lean Coffee rule decided.
public struct LeanCoffeeOutcome: Sendable, Hashable {
    /// The board after the decision (the input board when `boardChanged` is false).
    public let board: LeanCoffeeBoard
    /// Whether the board record must be written (conditionally on its previous version).
    public let boardChanged: Bool
    public let changes: [LeanCoffeeChange]
    public let events: [LeanCoffeeEvent]
    /// The request was already applied earlier (same idempotency key, same double click):
    /// nothing to store, nothing to publish; answer as the first time.
    public let replayed: Bool

    public init(board: LeanCoffeeBoard, boardChanged: Bool = false, changes: [LeanCoffeeChange] = [], events: [LeanCoffeeEvent] = [],
                replayed: Bool = false) {
        self.board = board
        self.boardChanged = boardChanged
        self.changes = changes
        self.events = events
        self.replayed = replayed
    }

    /// Nothing happened: a repeated request or a no-op.
    static func unchanged(_ board: LeanCoffeeBoard, replayed: Bool = true) -> LeanCoffeeOutcome {
        LeanCoffeeOutcome(board: board, replayed: replayed)
    }
}
