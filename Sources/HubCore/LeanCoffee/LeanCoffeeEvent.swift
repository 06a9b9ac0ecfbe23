import Foundation

/// A topic's dot count.
public struct TopicTally: Sendable, Hashable, Codable {
    public let topicID: LeanCoffeeTopicID
    public let dots: Int

    public init(topicID: LeanCoffeeTopicID, dots: Int) {
        self.topicID = topicID
        self.dots = dots
    }
}

/// The continue votes on one timebox, counted. Who voted how is never published.
public struct ContinueTally: Sendable, Hashable, Codable {
    public var up: Int
    public var sideways: Int
    public var down: Int

    public init(up: Int = 0, sideways: Int = 0, down: Int = 0) {
        self.up = up
        self.sideways = sideways
        self.down = down
    }

    public var total: Int { up + sideways + down }
}

/// Why a topic's discussion ended.
public enum TopicFinishReason: String, Sendable, Hashable, Codable {
    /// The timebox ran out and the continue vote did not extend it.
    case voted
    /// The timebox ran out and the sequence had no extension left.
    case timeboxesUsed
    /// A facilitator moved on (or decided the continue vote against the count).
    case facilitator
    /// The board was closed during the discussion.
    case closed
}

/// The hook "send takeaways to a meeting's minutes": the services append `items` to the
/// minutes of `meetingID` (once the Meetings component exists, checking that the facilitator
/// may edit those minutes).
public struct MinutesHandoff: Sendable, Hashable, Codable {
    /// One discussed topic with its takeaways, in discussion order.
    public struct Item: Sendable, Hashable, Codable {
        public let topicID: LeanCoffeeTopicID
        public let title: String
        public let takeaways: [String]
    }

    public let boardID: LeanCoffeeBoardID
    public let boardTitle: String
    /// The meeting whose minutes receive the takeaways (a Meetings id, carried as its UUID).
    public let meetingID: UUID
    public let items: [Item]
    public let requestedBy: UserID
    public let at: Date

    /// The items as a Markdown block for the minutes.
    public var markdown: String {
        var lines = ["### Lean Coffee: \(boardTitle)", ""]
        for item in items {
            lines.append("**\(item.title)**")
            lines += item.takeaways.map { "- " + $0.replacingOccurrences(of: "\n", with: " ") }
            lines.append("")
        }
        return lines.joined(separator: "\n")
    }
}

/// The hook "start a draft recommendation from a topic": the services call
/// `RecommendationRules.create` with `profile` under `recommendationID` in `workspaceID`.
public struct DraftFromTopic: Sendable, Hashable {
    public let boardID: LeanCoffeeBoardID
    public let topicID: LeanCoffeeTopicID
    public let workspaceID: WorkspaceID
    public let recommendationID: RecommendationID
    /// Title from the topic; the initial situation from its description and takeaways.
    public let profile: RecommendationProfile
    public let requestedBy: UserID
    public let at: Date
}

/// Something that happened on a Lean Coffee board. Every case is safe to send to everyone
/// who may view the board: dot events carry counts and never who voted, hidden votes are
/// reported only as progress, and topics carry `author` which views must replace by
/// `publicAuthor`. The lead wraps these into `DomainEvent` and one board topic.
public enum LeanCoffeeEvent: Sendable, Hashable {
    case boardCreated(LeanCoffeeBoard)
    /// Title, settings or facilitators changed.
    case boardUpdated(LeanCoffeeBoard)
    case guestJoined(BoardGuest, board: LeanCoffeeBoardID)
    /// The board moved from one phase to another (the board carries the new phase and the discussion queue).
    case phaseChanged(LeanCoffeeBoard, from: LeanCoffeePhase)
    case topicAdded(LeanCoffeeTopic)
    case topicEdited(LeanCoffeeTopic)
    /// The topic was withdrawn; its dots no longer count.
    case topicWithdrawn(LeanCoffeeTopic)
    /// A topic's dot count, set (not incremented) so a client that applies it twice stays right.
    case tallyChanged(board: LeanCoffeeBoardID, TopicTally)
    /// While votes are hidden: how many dots are placed and by how many people, nothing per topic.
    case voteProgress(board: LeanCoffeeBoardID, dots: Int, voters: Int)
    /// Every topic's count, in discussion order.
    case votesRevealed(board: LeanCoffeeBoardID, [TopicTally])
    case topicStarted(board: LeanCoffeeBoardID, topic: LeanCoffeeTopicID, timebox: Int, endsAt: Date)
    case continueTallyChanged(board: LeanCoffeeBoardID, topic: LeanCoffeeTopicID, timebox: Int, ContinueTally)
    case timeboxExtended(board: LeanCoffeeBoardID, topic: LeanCoffeeTopicID, timebox: Int, endsAt: Date, ContinueTally)
    case topicFinished(board: LeanCoffeeBoardID, topic: LeanCoffeeTopicID, reason: TopicFinishReason, ContinueTally)
    /// Every topic in the queue was discussed; the facilitator closes the board when ready.
    case allTopicsDiscussed(board: LeanCoffeeBoardID)
    case takeawayAdded(LeanCoffeeTakeaway)
    case takeawayEdited(LeanCoffeeTakeaway)
    case takeawayRemoved(board: LeanCoffeeBoardID, topic: LeanCoffeeTopicID, takeaway: LeanCoffeeTakeawayID)
    case boardClosed(LeanCoffeeBoard, LeanCoffeeSummary)
    /// An intent for the services: append takeaways to a meeting's minutes.
    case takeawaysSentToMinutes(MinutesHandoff)
    /// An intent for the services: create a draft recommendation from a topic.
    case draftRequested(DraftFromTopic)

    /// The board the event belongs to.
    public var boardID: LeanCoffeeBoardID {
        switch self {
        case .boardCreated(let b), .boardUpdated(let b), .phaseChanged(let b, _), .boardClosed(let b, _): b.id
        case .guestJoined(_, let board): board
        case .topicAdded(let t), .topicEdited(let t), .topicWithdrawn(let t): t.boardID
        case .tallyChanged(let board, _), .voteProgress(let board, _, _), .votesRevealed(let board, _): board
        case .topicStarted(let board, _, _, _), .continueTallyChanged(let board, _, _, _), .timeboxExtended(let board, _, _, _, _),
             .topicFinished(let board, _, _, _), .takeawayRemoved(let board, _, _), .allTopicsDiscussed(let board): board
        case .takeawayAdded(let t), .takeawayEdited(let t): t.boardID
        case .takeawaysSentToMinutes(let h): h.boardID
        case .draftRequested(let d): d.boardID
        }
    }

    /// The wire name (`leanCoffee.topicAdded`).
    public var name: String {
        let suffix = switch self {
        case .boardCreated: "boardCreated"
        case .boardUpdated: "boardUpdated"
        case .guestJoined: "guestJoined"
        case .phaseChanged: "phaseChanged"
        case .topicAdded: "topicAdded"
        case .topicEdited: "topicEdited"
        case .topicWithdrawn: "topicWithdrawn"
        case .tallyChanged: "tallyChanged"
        case .voteProgress: "voteProgress"
        case .votesRevealed: "votesRevealed"
        case .topicStarted: "topicStarted"
        case .continueTallyChanged: "continueTallyChanged"
        case .timeboxExtended: "timeboxExtended"
        case .topicFinished: "topicFinished"
        case .allTopicsDiscussed: "allTopicsDiscussed"
        case .takeawayAdded: "takeawayAdded"
        case .takeawayEdited: "takeawayEdited"
        case .takeawayRemoved: "takeawayRemoved"
        case .boardClosed: "boardClosed"
        case .takeawaysSentToMinutes: "takeawaysSentToMinutes"
        case .draftRequested: "draftRequested"
        }
        return "leanCoffee." + suffix
    }

    /// Intents ask the services to act in another component (minutes, recommendations);
    /// they are also published so the board shows that it happened.
    public var isIntent: Bool {
        switch self {
        case .takeawaysSentToMinutes, .draftRequested: true
        default: false
        }
    }
}
