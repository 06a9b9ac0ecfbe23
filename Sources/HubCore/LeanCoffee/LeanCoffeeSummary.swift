import Foundation

/// The result of a Lean Coffee: every topic in discussion order with its votes and takeaways.
/// Published with `boardClosed`; also the source of the CSV / JSON / Markdown exports.
public struct LeanCoffeeSummary: Sendable, Hashable, Codable {
    /// One topic of the summary.
    public struct Topic: Sendable, Hashable, Codable {
        public let topicID: LeanCoffeeTopicID
        public let title: String
        public let description: String
        /// `nil` for anonymous topics.
        public let author: ParticipantRef?
        public let dots: Int
        public let discussed: Bool
        /// Minutes between the start and the end of its discussion, rounded down.
        public let discussedMinutes: Int?
        public let extensions: Int
        /// Takeaway texts, oldest first.
        public let takeaways: [String]
        public let recommendationID: RecommendationID?
    }

    public let boardID: LeanCoffeeBoardID
    public let title: String
    public let closedAt: Date?
    /// In discussion order: the queue fixed when the discussion began, or (for a board closed
    /// before that) the order the votes give now.
    public let topics: [Topic]
    public let totalDots: Int
    public let voters: Int

    /// Builds the summary of a board from its records.
    public init(board: LeanCoffeeBoard, content: LeanCoffeeContent) {
        let order = board.discussion?.queue ?? LeanCoffeeVoteRules.discussionOrder(content)
        let tallies = Dictionary(LeanCoffeeVoteRules.tallies(content, in: order).map { ($0.topicID, $0.dots) }, uniquingKeysWith: { a, _ in a })
        let active = LeanCoffeeVoteRules.activeDots(content)
        boardID = board.id
        title = board.title
        closedAt = board.closedAt
        totalDots = active.count
        voters = Set(active.map(\.participant)).count
        topics = order.compactMap { id in
            guard let topic = content.topic(id), topic.status != .withdrawn else { return nil }
            let takeaways = content.takeaways.filter { $0.topicID == id }
                .sorted { ($0.createdAt, $0.id.description) < ($1.createdAt, $1.id.description) }
            var minutes: Int?
            if let start = topic.discussionStartedAt, let end = topic.discussionEndedAt { minutes = Int(end.timeIntervalSince(start) / 60) }
            return Topic(topicID: id, title: topic.title, description: topic.description, author: topic.publicAuthor, dots: tallies[id] ?? 0,
                         discussed: topic.status == .discussed || topic.status == .discussing, discussedMinutes: minutes,
                         extensions: topic.extensions, takeaways: takeaways.map(\.text), recommendationID: topic.recommendationID)
        }
    }

    /// A Markdown rendering for the export and the minutes. User texts are inserted as written
    /// (they are Markdown already); `name` turns an author into a display name, `nil` omits it.
    public func markdown(name: (ParticipantRef) -> String? = { _ in nil }) -> String {
        var lines = ["# \(title)", ""]
        for (index, topic) in topics.enumerated() {
            var heading = "## \(index + 1). \(topic.title) (\(topic.dots) \(topic.dots == 1 ? "dot" : "dots"))"
            if !topic.discussed { heading += ", not discussed" }
            lines.append(heading)
            if let author = topic.author, let display = name(author) { lines.append("_Proposed by \(display)_") }
            if !topic.description.isEmpty { lines += ["", topic.description] }
            if !topic.takeaways.isEmpty {
                lines += ["", "Takeaways:"]
                lines += topic.takeaways.map { "- " + $0.replacingOccurrences(of: "\n", with: "\n  ") }
            }
            lines.append("")
        }
        return lines.joined(separator: "\n")
    }
}

/// The hooks from a board into the rest of the hub, as intents the services carry out.
public enum LeanCoffeeHandoffRules {
    /// A facilitator sends the takeaways of the discussed topics to a meeting's minutes. Allowed
    /// during the discussion and after closing; sending again sends the current state again
    /// (the minutes decide whether to replace or append).
    public static func sendTakeawaysToMinutes(meetingID: UUID, board: LeanCoffeeBoard, content: LeanCoffeeContent, by actor: BoardActor,
                                              now: Date) throws(DomainError) -> LeanCoffeeOutcome {
        try board.access.require(.lead, actor)
        guard let userID = actor.userID else { throw .unauthenticated }
        guard board.phase == .discuss || board.phase == .closed else { throw LeanCoffeeErrors.wrongPhase([.discuss, .closed]) }
        let summary = LeanCoffeeSummary(board: board, content: content)
        let items = summary.topics.filter { !$0.takeaways.isEmpty }
            .map { MinutesHandoff.Item(topicID: $0.topicID, title: $0.title, takeaways: $0.takeaways) }
        guard !items.isEmpty else { throw LeanCoffeeErrors.nothingToSend }
        let handoff = MinutesHandoff(boardID: board.id, boardTitle: board.title, meetingID: meetingID, items: items, requestedBy: userID, at: now)
        return LeanCoffeeOutcome(board: board, events: [.takeawaysSentToMinutes(handoff)])
    }

    /// Someone who may draft recommendations in the board's workspace starts a draft from a
    /// topic: its title becomes the draft's title, its description and takeaways the initial
    /// situation. One draft per topic; the topic remembers it.
    public static func startDraftRecommendation(from topicID: LeanCoffeeTopicID, recommendationID: RecommendationID, workspace: Workspace?,
                                                board: LeanCoffeeBoard, content: LeanCoffeeContent, by actor: BoardActor, now: Date,
                                                today: LocalDate) throws(DomainError) -> LeanCoffeeOutcome {
        try board.access.require(.participant, actor)
        guard case .user(let principal) = actor, let userID = principal.userID else { throw .unauthenticated }
        guard let workspaceID = board.workspaceID else { throw LeanCoffeeErrors.needsWorkspace }
        guard let workspace, workspace.id == workspaceID else { throw .notFound("workspace") }
        try WorkspaceRules.requireEditable(workspace, by: principal, today: today, permission: RecommendationRules.canEdit)
        guard var topic = content.topic(topicID), topic.status != .withdrawn else { throw LeanCoffeeErrors.topicNotFound }
        guard topic.recommendationID == nil else { throw LeanCoffeeErrors.draftAlreadyStarted }
        let takeaways = content.takeaways.filter { $0.topicID == topicID }
            .sorted { ($0.createdAt, $0.id.description) < ($1.createdAt, $1.id.description) }
        var situation = topic.description
        if !takeaways.isEmpty {
            let list = takeaways.map { "- \($0.text)" }.joined(separator: "\n")
            situation += (situation.isEmpty ? "" : "\n\n") + "Aus dem Lean Coffee „\(board.title)“:\n" + list
        }
        topic.recommendationID = recommendationID
        topic.updatedAt = now
        let draft = DraftFromTopic(boardID: board.id, topicID: topicID, workspaceID: workspaceID, recommendationID: recommendationID,
                                   profile: RecommendationProfile(title: topic.title, situation: situation), requestedBy: userID, at: now)
        return LeanCoffeeOutcome(board: board, changes: [.topic(topic)], events: [.topicEdited(topic), .draftRequested(draft)])
    }
}
