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

/// Everything on one board besides the board record, as loaded for a decision. Topics,
/// ballots and takeaways are small by construction (at most `LeanCoffeeTopicRules.maxTopics`
/// topics); dots are not (a conference board takes thousands), so they sit in a `DotLedger`
/// whose indexes answer the vote rules' questions without scanning every dot.
public struct LeanCoffeeContent: Sendable, Hashable {
    public var topics: [LeanCoffeeTopic]
    public var ballots: [ContinueBallot]
    public var takeaways: [LeanCoffeeTakeaway]
    public var guests: [BoardGuest]
    /// The dots with their indexes; `dots` is the plain list.
    public private(set) var ledger: DotLedger

    /// Every dot, in the order placed (withdrawn ones included: they are the idempotency ledger).
    public var dots: [LeanCoffeeDot] {
        get { ledger.all }
        set { ledger = DotLedger(newValue) }
    }

    public init(topics: [LeanCoffeeTopic] = [], dots: [LeanCoffeeDot] = [], ballots: [ContinueBallot] = [],
                takeaways: [LeanCoffeeTakeaway] = [], guests: [BoardGuest] = []) {
        self.topics = topics
        self.ledger = DotLedger(dots)
        self.ballots = ballots
        self.takeaways = takeaways
        self.guests = guests
    }

    /// The topic with this id, if it is on the board.
    public func topic(_ id: LeanCoffeeTopicID) -> LeanCoffeeTopic? { topics.first { $0.id == id } }

    /// Whether a topic was withdrawn (its dots no longer count).
    func isWithdrawn(_ topic: LeanCoffeeTopicID) -> Bool { self.topic(topic)?.status == .withdrawn }

    /// Applies the changes of an outcome, as a store would (tests and in-memory adapters).
    public func applying(_ changes: [LeanCoffeeChange]) -> LeanCoffeeContent {
        var next = self
        next.apply(changes)
        return next
    }

    /// Applies changes in place: on a uniquely held value this costs O(1) per dot (a cached
    /// board takes a vote without copying its thousands of dots). Topics keep the store's
    /// order (creation time, then id), so a cached board reads as a loaded one.
    public mutating func apply(_ changes: [LeanCoffeeChange]) {
        for change in changes {
            switch change {
            case .topic(let topic):
                if let index = topics.firstIndex(where: { $0.id == topic.id }) {
                    topics[index] = topic
                } else {
                    let at = topics.firstIndex { ($0.createdAt, $0.id.description) > (topic.createdAt, topic.id.description) } ?? topics.endIndex
                    topics.insert(topic, at: at)
                }
            case .dot(let dot): ledger.upsert(dot)
            case .ballot(let ballot):
                Self.upsert(&ballots, ballot) { $0.topicID == ballot.topicID && $0.timebox == ballot.timebox && $0.participant == ballot.participant }
            case .takeaway(let takeaway): Self.upsert(&takeaways, takeaway) { $0.id == takeaway.id }
            case .takeawayDeleted(let id): takeaways.removeAll { $0.id == id }
            case .guest(let guest): Self.upsert(&guests, guest) { $0.id == guest.id }
            }
        }
    }

    private static func upsert<T>(_ list: inout [T], _ value: T, where matches: (T) -> Bool) {
        if let index = list.firstIndex(where: matches) { list[index] = value } else { list.append(value) }
    }
}

/// A board's dots with the indexes the vote rules need: by id, by participant, and how many
/// dots that are not withdrawn lie on each topic and belong to each participant. Placing or
/// withdrawing a dot updates them in O(1); "my dots" costs O(my dots), a topic's count O(1).
/// Two ledgers are equal when they hold the same dots in the same order.
public struct DotLedger: Sendable, Hashable {
    public private(set) var all: [LeanCoffeeDot] = []
    private var position: [LeanCoffeeDotID: Int] = [:]
    private var mine: [ParticipantRef: [Int]] = [:]
    private var onTopic: [LeanCoffeeTopicID: Int] = [:]
    private var ofParticipant: [ParticipantRef: Int] = [:]
    /// Participants with at least one dot that is not withdrawn.
    public private(set) var placers = 0

    public init(_ dots: [LeanCoffeeDot] = []) {
        all.reserveCapacity(dots.count)
        for dot in dots { upsert(dot) }
    }

    public static func == (a: DotLedger, b: DotLedger) -> Bool { a.all == b.all }
    public func hash(into hasher: inout Hasher) { hasher.combine(all) }

    /// Adds a dot, or replaces the one with its id (a withdrawal).
    public mutating func upsert(_ dot: LeanCoffeeDot) {
        if let index = position[dot.id] {
            count(all[index], -1)
            all[index] = dot
        } else {
            position[dot.id] = all.count
            mine[dot.participant, default: []].append(all.count)
            all.append(dot)
        }
        count(dot, +1)
    }

    private mutating func count(_ dot: LeanCoffeeDot, _ delta: Int) {
        guard !dot.isWithdrawn else { return }
        onTopic[dot.topicID, default: 0] += delta
        let before = ofParticipant[dot.participant, default: 0]
        ofParticipant[dot.participant] = before + delta
        if before == 0 && delta > 0 { placers += 1 }
        if before + delta == 0 && delta < 0 { placers -= 1 }
    }

    /// Every dot one participant placed (withdrawn ones too), in the order placed.
    public func dots(of participant: ParticipantRef) -> [LeanCoffeeDot] {
        (mine[participant] ?? []).map { all[$0] }
    }

    /// Dots not withdrawn on a topic (whether the topic itself was withdrawn is the caller's question).
    public func placed(on topic: LeanCoffeeTopicID) -> Int { onTopic[topic] ?? 0 }

    /// Dots not withdrawn, per topic.
    public var placedPerTopic: [LeanCoffeeTopicID: Int] { onTopic.filter { $0.value > 0 } }
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
