import Foundation

/// Identifies a Lean Coffee board.
public typealias LeanCoffeeBoardID = Identifier<LeanCoffeeBoard>

/// The phases of a Lean Coffee. Only facilitators move between them (see `LeanCoffeeBoardRules.transitions`).
public enum LeanCoffeePhase: String, Sendable, Hashable, Codable, CaseIterable {
    /// Everyone adds topics.
    case collect
    /// Everyone places dots on topics.
    case vote
    /// Topics are discussed one after the other in the order of their votes, each timeboxed.
    case discuss
    /// Read-only; the summary is final.
    case closed
}

/// How a board runs. Facilitators choose; the defaults follow common Lean Coffee practice.
public struct LeanCoffeeSettings: Sendable, Hashable, Codable {
    /// Dots each participant may place in total (1...20).
    public var dotsPerParticipant: Int
    /// How many of their dots a participant may stack on one topic; `nil` means no limit
    /// beyond the total (classic dot voting: all dots on one topic is a strong signal).
    public var maxDotsPerTopic: Int?
    /// Tallies stay hidden until the facilitator reveals them (or the discussion begins),
    /// so early votes do not steer later ones.
    public var votesHidden: Bool
    /// Whether a topic may be added without showing its author.
    public var anonymousTopicsAllowed: Bool
    /// The timebox sequence in minutes: the first timebox, then one extension per entry
    /// (8, 4, 2: eight minutes, extended at most twice by four and then two minutes).
    public var timeboxMinutes: [Int]
    /// Guests without an account may join by link or QR code.
    public var guestsAllowed: Bool
    /// Topics one participant may add (1...50), so one voice cannot flood the board.
    public var topicsPerParticipant: Int

    public init(dotsPerParticipant: Int = 3, maxDotsPerTopic: Int? = nil, votesHidden: Bool = false, anonymousTopicsAllowed: Bool = true,
                timeboxMinutes: [Int] = [8, 4, 2], guestsAllowed: Bool = false, topicsPerParticipant: Int = 10) {
        self.dotsPerParticipant = dotsPerParticipant
        self.maxDotsPerTopic = maxDotsPerTopic
        self.votesHidden = votesHidden
        self.anonymousTopicsAllowed = anonymousTopicsAllowed
        self.timeboxMinutes = timeboxMinutes
        self.guestsAllowed = guestsAllowed
        self.topicsPerParticipant = topicsPerParticipant
    }

    /// Allowed dots per participant.
    public static let dotsRange = 1...20
    /// Allowed number of timeboxes in the sequence.
    public static let timeboxCount = 1...6
    /// Allowed length of one timebox in minutes.
    public static let timeboxMinutesRange = 1...60
    /// Allowed topics per participant.
    public static let topicsPerParticipantRange = 1...50

    /// The dots one participant may put on one topic.
    public var dotsPerTopic: Int { min(maxDotsPerTopic ?? dotsPerParticipant, dotsPerParticipant) }

    /// Everything wrong with these settings, as field issues under `settings.`.
    public func issues() -> [FieldIssue] {
        var issues: [FieldIssue] = []
        if !Self.dotsRange.contains(dotsPerParticipant) {
            issues.append(FieldIssue(field: "settings.dotsPerParticipant", code: "outOfRange", message: "Between 1 and 20 dots."))
        }
        if let cap = maxDotsPerTopic, !(1...max(1, dotsPerParticipant)).contains(cap) {
            issues.append(FieldIssue(field: "settings.maxDotsPerTopic", code: "outOfRange", message: "Between 1 and the dots per participant."))
        }
        if !Self.timeboxCount.contains(timeboxMinutes.count) {
            issues.append(FieldIssue(field: "settings.timeboxMinutes", code: "outOfRange", message: "One to six timeboxes."))
        }
        for (index, minutes) in timeboxMinutes.enumerated() where !Self.timeboxMinutesRange.contains(minutes) {
            issues.append(FieldIssue(field: "settings.timeboxMinutes[\(index)]", code: "outOfRange", message: "Between 1 and 60 minutes."))
        }
        if !Self.topicsPerParticipantRange.contains(topicsPerParticipant) {
            issues.append(FieldIssue(field: "settings.topicsPerParticipant", code: "outOfRange", message: "Between 1 and 50 topics."))
        }
        return issues
    }

    /// Whether two settings differ in what decides how dots count; those freeze once voting opened.
    func votingDiffers(from other: LeanCoffeeSettings) -> Bool {
        dotsPerParticipant != other.dotsPerParticipant || maxDotsPerTopic != other.maxDotsPerTopic || votesHidden != other.votesHidden
    }
}

/// Where the discussion stands. Set when the board enters `discuss`; changed only by facilitators.
/// The running timebox is an absolute end time: clients count down locally, the server never ticks.
public struct LeanCoffeeDiscussion: Sendable, Hashable, Codable {
    /// The topics in the order fixed when the discussion began (see `LeanCoffeeVoteRules.discussionOrder`).
    public var queue: [LeanCoffeeTopicID]
    /// The topic being discussed; `nil` once every topic was discussed.
    public var current: LeanCoffeeTopicID?
    /// Index into `timeboxMinutes` of the running timebox: 0 for the first, 1 after one extension, ...
    public var timebox: Int
    public var startedAt: Date?
    public var endsAt: Date?

    public init(queue: [LeanCoffeeTopicID], current: LeanCoffeeTopicID?, timebox: Int, startedAt: Date?, endsAt: Date?) {
        self.queue = queue
        self.current = current
        self.timebox = timebox
        self.startedAt = startedAt
        self.endsAt = endsAt
    }

    /// Whether the running timebox has run out at `now` (at the end time itself it has).
    public func hasExpired(at now: Date) -> Bool {
        guard let endsAt else { return false }
        return now >= endsAt
    }
}

/// A Lean Coffee board, inside a workspace or standalone. Topics, dots, ballots and takeaways
/// are separate records (`LeanCoffeeContent`) so that many people can vote at once without
/// contending for the board row; the board itself changes only by facilitators.
public struct LeanCoffeeBoard: Sendable, Hashable, Codable, Identifiable {
    public let id: LeanCoffeeBoardID
    /// `nil` for a standalone board (e.g. at the planning conference).
    public let workspaceID: WorkspaceID?
    public var title: String
    /// Users who run the board; never empty. Workspace coordinators and administrators
    /// facilitate without being listed.
    public var facilitators: [UserID]
    public var settings: LeanCoffeeSettings
    public var phase: LeanCoffeePhase
    /// Set when the board first enters `vote`; from then on the voting settings are frozen,
    /// because dots already placed were counted against them.
    public var votingOpened: Bool
    /// Tallies are visible (always true when `votesHidden` is off).
    public var votesRevealed: Bool
    public var discussion: LeanCoffeeDiscussion?
    public let createdBy: UserID
    public let createdAt: Date
    public var updatedAt: Date
    public var closedAt: Date?
    /// Increases with every change of the board record (optimistic concurrency, ETag).
    public var version: Int

    public init(id: LeanCoffeeBoardID, workspaceID: WorkspaceID?, title: String, facilitators: [UserID], settings: LeanCoffeeSettings,
                phase: LeanCoffeePhase, votingOpened: Bool, votesRevealed: Bool, discussion: LeanCoffeeDiscussion?, createdBy: UserID,
                createdAt: Date, updatedAt: Date, closedAt: Date?, version: Int) {
        self.id = id
        self.workspaceID = workspaceID
        self.title = title
        self.facilitators = facilitators
        self.settings = settings
        self.phase = phase
        self.votingOpened = votingOpened
        self.votesRevealed = votesRevealed
        self.discussion = discussion
        self.createdBy = createdBy
        self.createdAt = createdAt
        self.updatedAt = updatedAt
        self.closedAt = closedAt
        self.version = version
    }

    /// The words of this component's error codes.
    public static let vocabulary = BoardVocabulary(prefix: "leanCoffee", lead: "facilitator", noun: "board")

    /// Who may do what on this board.
    public var access: BoardAccess {
        BoardAccess(scope: id.uuid, workspaceID: workspaceID, leads: facilitators, guestsAllowed: settings.guestsAllowed,
                    vocabulary: Self.vocabulary)
    }

    /// Whether tallies may be shown to everyone now.
    public var talliesVisible: Bool { !settings.votesHidden || votesRevealed }

    /// The length of timebox `index` in seconds, or `nil` past the end of the sequence.
    public func timeboxSeconds(_ index: Int) -> TimeInterval? {
        settings.timeboxMinutes.indices.contains(index) ? TimeInterval(settings.timeboxMinutes[index] * 60) : nil
    }

    /// Whether the running timebox can still be extended (the sequence has a next entry).
    public var canExtend: Bool {
        guard let discussion, discussion.current != nil else { return false }
        return discussion.timebox + 1 < settings.timeboxMinutes.count
    }
}
