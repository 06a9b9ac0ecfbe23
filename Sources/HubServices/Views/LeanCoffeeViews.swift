import Foundation
import HubCore

/// Someone on a board as others see them: a user or a guest with the name shown.
public struct ParticipantView: Sendable, Hashable, Codable {
    /// `user` or `guest`.
    public let kind: String
    public let id: String
    public let name: String

    public init(_ ref: ParticipantRef, name: String) {
        switch ref {
        case .user(let id): kind = "user"; self.id = id.description
        case .guest(let id): kind = "guest"; self.id = id.description
        }
        self.name = name
    }
}

public struct LeanCoffeeDiscussionView: Sendable, Hashable, Codable {
    public let queue: [String]
    public let current: String?
    public let timebox: Int
    public let startedAt: Date?
    /// The running timebox ends here; clients count down to it locally.
    public let endsAt: Date?
    public let canExtend: Bool
}

/// A board as the API and its events show it.
public struct LeanCoffeeBoardView: Sendable, Hashable, Codable {
    public let id: String
    public let workspaceId: String?
    public let title: String
    public let facilitators: [String]
    public let settings: LeanCoffeeSettings
    public let phase: LeanCoffeePhase
    public let votingOpened: Bool
    public let votesRevealed: Bool
    public let talliesVisible: Bool
    public let discussion: LeanCoffeeDiscussionView?
    public let createdBy: String
    public let createdAt: Date
    public let updatedAt: Date
    public let closedAt: Date?
    public let version: Int

    public init(_ b: LeanCoffeeBoard) {
        id = b.id.description
        workspaceId = b.workspaceID?.description
        title = b.title
        facilitators = b.facilitators.map(\.description)
        settings = b.settings
        phase = b.phase
        votingOpened = b.votingOpened
        votesRevealed = b.votesRevealed
        talliesVisible = b.talliesVisible
        discussion = b.discussion.map {
            LeanCoffeeDiscussionView(queue: $0.queue.map(\.description), current: $0.current?.description, timebox: $0.timebox,
                                     startedAt: $0.startedAt, endsAt: $0.endsAt, canExtend: b.canExtend)
        }
        createdBy = b.createdBy.description
        createdAt = b.createdAt
        updatedAt = b.updatedAt
        closedAt = b.closedAt
        version = b.version
    }
}

/// A topic as everyone sees it: the author only when not anonymous, the count only while tallies are visible.
public struct LeanCoffeeTopicView: Sendable, Hashable, Codable {
    public let id: String
    public let boardId: String
    public let title: String
    public let description: String
    public let author: ParticipantView?
    public let anonymous: Bool
    public let status: LeanCoffeeTopicStatus
    public let createdAt: Date
    public let discussionStartedAt: Date?
    public let discussionEndedAt: Date?
    public let extensions: Int
    public let recommendationId: String?
    /// Absent in events and while votes are hidden.
    public let dots: Int?

    public init(_ t: LeanCoffeeTopic, names: [ParticipantRef: String], dots: Int? = nil) {
        id = t.id.description
        boardId = t.boardID.description
        title = t.title
        description = t.description
        author = t.publicAuthor.map { ParticipantView($0, name: names[$0] ?? "") }
        anonymous = t.anonymous
        status = t.status
        createdAt = t.createdAt
        discussionStartedAt = t.discussionStartedAt
        discussionEndedAt = t.discussionEndedAt
        extensions = t.extensions
        recommendationId = t.recommendationID?.description
        self.dots = dots
    }
}

public struct LeanCoffeeTakeawayView: Sendable, Hashable, Codable {
    public let id: String
    public let topicId: String
    public let text: String
    public let author: ParticipantView
    public let createdAt: Date
    public let updatedAt: Date

    public init(_ t: LeanCoffeeTakeaway, names: [ParticipantRef: String]) {
        id = t.id.description
        topicId = t.topicID.description
        text = t.text
        author = ParticipantView(t.author, name: names[t.author] ?? "")
        createdAt = t.createdAt
        updatedAt = t.updatedAt
    }
}

public struct TallyView: Sendable, Hashable, Codable {
    public let topicId: String
    public let dots: Int
}

public struct ContinueTallyView: Sendable, Hashable, Codable {
    public let topicId: String
    public let timebox: Int
    public let up: Int
    public let sideways: Int
    public let down: Int
}

/// What the requester has on the board: never anybody else's dots.
public struct LeanCoffeeMeView: Sendable, Hashable, Codable {
    public let participant: ParticipantView?
    /// `viewer`, `guest`, `participant`, `lead`.
    public let role: String
    /// My dots per topic id.
    public let dots: [String: Int]
    public let dotsLeft: Int
    /// My continue vote on the running timebox.
    public let continueVote: ContinueVote?
}

/// `GET /api/v1/lean-coffee/{id}` and the answer of every change: the whole board for one reader.
public struct LeanCoffeeSnapshotView: Sendable, Hashable, Codable {
    public let board: LeanCoffeeBoardView
    public let topics: [LeanCoffeeTopicView]
    public let takeaways: [LeanCoffeeTakeawayView]
    /// Dots placed and by how many people (always shown; per-topic counts only when visible).
    public let totalDots: Int
    public let voters: Int
    public let continueTally: ContinueTallyView?
    public let me: LeanCoffeeMeView
    public let guests: Int
    public let cursor: Cursor?
}

/// The short answer to placing or taking back a dot (`Prefer: return=minimal`): the counts
/// after the vote instead of the whole board, so a busy board's answer costs no read.
public struct LeanCoffeeVoteReceiptView: Sendable, Hashable, Codable {
    public let boardId: String
    public let topicId: String
    /// The topic's count; absent while votes are hidden.
    public let dots: Int?
    /// Dots placed on the board and by how many people (always shown).
    public let totalDots: Int
    public let voters: Int
    public let dotsLeft: Int
    /// The requester's dots on this topic.
    public let myDots: Int
    /// True when the same request (same idempotency key) had already counted.
    public let replayed: Bool
    /// The board topic's position after this vote; absent for a replay.
    public let cursor: Cursor?

    public init(boardId: String, topicId: String, dots: Int?, totalDots: Int, voters: Int, dotsLeft: Int, myDots: Int, replayed: Bool,
                cursor: Cursor?) {
        self.boardId = boardId
        self.topicId = topicId
        self.dots = dots
        self.totalDots = totalDots
        self.voters = voters
        self.dotsLeft = dotsLeft
        self.myDots = myDots
        self.replayed = replayed
        self.cursor = cursor
    }
}

public struct LeanCoffeeListItemView: Sendable, Hashable, Codable {
    public let id: String
    public let workspaceId: String?
    public let title: String
    public let phase: LeanCoffeePhase
    public let createdAt: Date
    public let version: Int
}

/// What a guest gets when joining: the token (shown once) and who they are on the board.
public struct GuestJoinView: Sendable, Hashable, Codable {
    public let token: String
    public let guest: ParticipantView
    public let boardId: String
}

/// What the join page shows before someone joins.
public struct LeanCoffeeInvitationView: Sendable, Hashable, Codable {
    public let boardId: String
    public let title: String
    public let guestsAllowed: Bool
    public let phase: LeanCoffeePhase
}

/// Event payloads of the board topic. Safe for every viewer: counts, never who voted; anonymous topics without author.
public enum LeanCoffeeViews {
    struct PhaseChanged: Encodable { let board: LeanCoffeeBoardView; let from: LeanCoffeePhase }
    struct Tally: Encodable { let boardId: String; let topicId: String; let dots: Int }
    struct Progress: Encodable { let boardId: String; let dots: Int; let voters: Int }
    struct Revealed: Encodable { let boardId: String; let tallies: [TallyView] }
    struct Started: Encodable { let boardId: String; let topicId: String; let timebox: Int; let endsAt: Date }
    struct ContinueChanged: Encodable { let boardId: String; let tally: ContinueTallyView }
    struct Extended: Encodable { let boardId: String; let topicId: String; let timebox: Int; let endsAt: Date; let tally: ContinueTallyView }
    struct Finished: Encodable { let boardId: String; let topicId: String; let reason: TopicFinishReason; let tally: ContinueTally }
    struct BoardOnly: Encodable { let boardId: String }
    struct Removed: Encodable { let boardId: String; let topicId: String; let takeawayId: String }
    struct Closed: Encodable { let board: LeanCoffeeBoardView; let summary: LeanCoffeeSummaryView }
    struct Guest: Encodable { let boardId: String; let guest: ParticipantView }
    struct Minutes: Encodable { let boardId: String; let meetingId: String; let topics: Int; let markdown: String }
    struct Draft: Encodable { let boardId: String; let topicId: String; let recommendationId: String; let workspaceId: String }

    static func tally(_ topic: LeanCoffeeTopicID, _ timebox: Int, _ t: ContinueTally) -> ContinueTallyView {
        ContinueTallyView(topicId: topic.description, timebox: timebox, up: t.up, sideways: t.sideways, down: t.down)
    }

    /// The JSON an event carries; `names` gives the names shown for authors.
    public static func payload(of event: LeanCoffeeEvent, names: [ParticipantRef: String]) -> String {
        let board = event.boardID.description
        switch event {
        case .boardCreated(let b), .boardUpdated(let b):
            return WireJSON.string(LeanCoffeeBoardView(b))
        case .guestJoined(let g, _):
            return WireJSON.string(Guest(boardId: board, guest: ParticipantView(.guest(g.id), name: g.displayName)))
        case .phaseChanged(let b, let from):
            return WireJSON.string(PhaseChanged(board: LeanCoffeeBoardView(b), from: from))
        case .topicAdded(let t), .topicEdited(let t), .topicWithdrawn(let t):
            return WireJSON.string(LeanCoffeeTopicView(t, names: names))
        case .tallyChanged(_, let t):
            return WireJSON.string(Tally(boardId: board, topicId: t.topicID.description, dots: t.dots))
        case .voteProgress(_, let dots, let voters):
            return WireJSON.string(Progress(boardId: board, dots: dots, voters: voters))
        case .votesRevealed(_, let tallies):
            return WireJSON.string(Revealed(boardId: board, tallies: tallies.map { TallyView(topicId: $0.topicID.description, dots: $0.dots) }))
        case .topicStarted(_, let topic, let timebox, let endsAt):
            return WireJSON.string(Started(boardId: board, topicId: topic.description, timebox: timebox, endsAt: endsAt))
        case .continueTallyChanged(_, let topic, let timebox, let t):
            return WireJSON.string(ContinueChanged(boardId: board, tally: tally(topic, timebox, t)))
        case .timeboxExtended(_, let topic, let timebox, let endsAt, let t):
            return WireJSON.string(Extended(boardId: board, topicId: topic.description, timebox: timebox, endsAt: endsAt,
                                            tally: tally(topic, timebox - 1, t)))
        case .topicFinished(_, let topic, let reason, let t):
            return WireJSON.string(Finished(boardId: board, topicId: topic.description, reason: reason, tally: t))
        case .allTopicsDiscussed:
            return WireJSON.string(BoardOnly(boardId: board))
        case .takeawayAdded(let t), .takeawayEdited(let t):
            return WireJSON.string(LeanCoffeeTakeawayView(t, names: names))
        case .takeawayRemoved(_, let topic, let id):
            return WireJSON.string(Removed(boardId: board, topicId: topic.description, takeawayId: id.description))
        case .boardClosed(let b, let summary):
            return WireJSON.string(Closed(board: LeanCoffeeBoardView(b), summary: LeanCoffeeSummaryView(summary, names: names)))
        case .takeawaysSentToMinutes(let h):
            return WireJSON.string(Minutes(boardId: board, meetingId: h.meetingID.uuidString.lowercased(), topics: h.items.count,
                                           markdown: h.markdown))
        case .draftRequested(let d):
            return WireJSON.string(Draft(boardId: board, topicId: d.topicID.description, recommendationId: d.recommendationID.description,
                                         workspaceId: d.workspaceID.description))
        }
    }

    /// The log entries of a decision's events.
    public static func newEvents(_ events: [LeanCoffeeEvent], names: [ParticipantRef: String]) -> [NewEvent] {
        events.flatMap { event -> [NewEvent] in
            let payload = payload(of: event, names: names)
            return DomainEvent.leanCoffee(event).topics.map { NewEvent(topic: $0, name: event.name, payload: payload) }
        }
    }
}

public struct LeanCoffeeSummaryView: Sendable, Hashable, Codable {
    public struct Topic: Sendable, Hashable, Codable {
        public let topicId: String
        public let title: String
        public let description: String
        public let author: ParticipantView?
        public let dots: Int
        public let discussed: Bool
        public let discussedMinutes: Int?
        public let extensions: Int
        public let takeaways: [String]
        public let recommendationId: String?
    }

    public let boardId: String
    public let title: String
    public let closedAt: Date?
    public let topics: [Topic]
    public let totalDots: Int
    public let voters: Int

    public init(_ s: LeanCoffeeSummary, names: [ParticipantRef: String]) {
        boardId = s.boardID.description
        title = s.title
        closedAt = s.closedAt
        topics = s.topics.map {
            Topic(topicId: $0.topicID.description, title: $0.title, description: $0.description,
                  author: $0.author.map { ParticipantView($0, name: names[$0] ?? "") }, dots: $0.dots, discussed: $0.discussed,
                  discussedMinutes: $0.discussedMinutes, extensions: $0.extensions, takeaways: $0.takeaways,
                  recommendationId: $0.recommendationID?.description)
        }
        totalDots = s.totalDots
        voters = s.voters
    }
}
