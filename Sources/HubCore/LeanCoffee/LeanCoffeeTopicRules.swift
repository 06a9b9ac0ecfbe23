import Foundation

/// What someone proposes to talk about.
public struct LeanCoffeeTopicDraft: Sendable, Hashable {
    public var title: String
    public var description: String
    public var anonymous: Bool

    public init(title: String, description: String = "", anonymous: Bool = false) {
        self.title = title
        self.description = description
        self.anonymous = anonymous
    }
}

/// Topics and takeaways as pure functions.
public enum LeanCoffeeTopicRules {
    /// Allowed length of a topic's title.
    public static let titleLength = 3...120
    /// Allowed length of a topic's description.
    public static let descriptionLength = 0...2000
    /// Allowed length of a takeaway.
    public static let takeawayLength = 1...1000
    /// A board's capacity: beyond this a Lean Coffee stops being lean.
    public static let maxTopics = 100

    /// Adds a topic while collecting. A double-sent request (same author, same title, topic still
    /// open) returns the first topic instead of adding a twin.
    public static func add(_ draft: LeanCoffeeTopicDraft, id: LeanCoffeeTopicID, board: LeanCoffeeBoard, content: LeanCoffeeContent,
                           by actor: BoardActor, now: Date) throws(DomainError) -> LeanCoffeeOutcome {
        try board.access.require(.guest, actor)
        guard let me = actor.participant else { throw .unauthenticated }
        try LeanCoffeeBoardRules.requirePhase(board, [.collect])
        let (title, description) = try validated(title: draft.title, description: draft.description)
        let mine = content.topics.filter { $0.author == me && $0.status != .withdrawn }
        if mine.contains(where: { $0.title.lowercased() == title.lowercased() && $0.status == .open }) { return .unchanged(board) }
        if draft.anonymous && !board.settings.anonymousTopicsAllowed { throw LeanCoffeeErrors.anonymousNotAllowed }
        guard mine.count < board.settings.topicsPerParticipant else { throw LeanCoffeeErrors.topicLimit }
        guard content.topics.filter({ $0.status != .withdrawn }).count < maxTopics else { throw LeanCoffeeErrors.boardFull }
        let topic = LeanCoffeeTopic(id: id, boardID: board.id, title: title, description: description, author: me, anonymous: draft.anonymous,
                                    status: .open, createdAt: now, updatedAt: now)
        return LeanCoffeeOutcome(board: board, changes: [.topic(topic)], events: [.topicAdded(topic)])
    }

    /// Its author or a facilitator edits a topic while collecting; once voting opened the text
    /// stays as people voted on it.
    public static func edit(_ topicID: LeanCoffeeTopicID, title: String?, description: String?, board: LeanCoffeeBoard,
                            content: LeanCoffeeContent, by actor: BoardActor, now: Date) throws(DomainError) -> LeanCoffeeOutcome {
        var topic = try authored(topicID, board: board, content: content, by: actor)
        try LeanCoffeeBoardRules.requirePhase(board, [.collect])
        guard topic.status == .open else { throw LeanCoffeeErrors.topicNotOpen }
        let (newTitle, newDescription) = try validated(title: title ?? topic.title, description: description ?? topic.description)
        guard newTitle != topic.title || newDescription != topic.description else { return .unchanged(board, replayed: false) }
        topic.title = newTitle
        topic.description = newDescription
        topic.updatedAt = now
        return LeanCoffeeOutcome(board: board, changes: [.topic(topic)], events: [.topicEdited(topic)])
    }

    /// Its author or a facilitator withdraws a topic while collecting or voting; its dots no
    /// longer count, so their owners can place them elsewhere.
    public static func withdraw(_ topicID: LeanCoffeeTopicID, board: LeanCoffeeBoard, content: LeanCoffeeContent, by actor: BoardActor,
                                now: Date) throws(DomainError) -> LeanCoffeeOutcome {
        var topic = try authored(topicID, board: board, content: content, by: actor)
        if topic.status == .withdrawn { return .unchanged(board) }
        try LeanCoffeeBoardRules.requirePhase(board, [.collect, .vote])
        let hadDots = LeanCoffeeVoteRules.count(content, topic: topicID) > 0
        topic.status = .withdrawn
        topic.updatedAt = now
        var events: [LeanCoffeeEvent] = [.topicWithdrawn(topic)]
        // Visible tallies: clients drop the topic with its count. Hidden: the totals changed.
        if hadDots && !board.talliesVisible {
            events.append(LeanCoffeeVoteRules.progressEvent(board, content.applying([.topic(topic)])))
        }
        return LeanCoffeeOutcome(board: board, changes: [.topic(topic)], events: events)
    }

    /// Anyone taking part adds a takeaway to the topic under discussion or one discussed before.
    /// The same author sending the same text twice gets the first takeaway back.
    public static func addTakeaway(_ text: String, to topicID: LeanCoffeeTopicID, id: LeanCoffeeTakeawayID, board: LeanCoffeeBoard,
                                   content: LeanCoffeeContent, by actor: BoardActor, now: Date) throws(DomainError) -> LeanCoffeeOutcome {
        try board.access.require(.guest, actor)
        guard let me = actor.participant else { throw .unauthenticated }
        try LeanCoffeeBoardRules.requirePhase(board, [.discuss])
        guard let topic = content.topic(topicID) else { throw LeanCoffeeErrors.topicNotFound }
        guard topic.status == .discussing || topic.status == .discussed else { throw LeanCoffeeErrors.notDiscussed }
        let text = try validTakeaway(text)
        if content.takeaways.contains(where: { $0.topicID == topicID && $0.author == me && $0.text == text }) { return .unchanged(board) }
        let takeaway = LeanCoffeeTakeaway(id: id, boardID: board.id, topicID: topicID, text: text, author: me, createdAt: now, updatedAt: now)
        return LeanCoffeeOutcome(board: board, changes: [.takeaway(takeaway)], events: [.takeawayAdded(takeaway)])
    }

    /// Its author or a facilitator rewrites a takeaway during the discussion.
    public static func editTakeaway(_ id: LeanCoffeeTakeawayID, text: String, board: LeanCoffeeBoard, content: LeanCoffeeContent,
                                    by actor: BoardActor, now: Date) throws(DomainError) -> LeanCoffeeOutcome {
        var takeaway = try ownTakeaway(id, board: board, content: content, by: actor)
        let text = try validTakeaway(text)
        guard text != takeaway.text else { return .unchanged(board, replayed: false) }
        takeaway.text = text
        takeaway.updatedAt = now
        return LeanCoffeeOutcome(board: board, changes: [.takeaway(takeaway)], events: [.takeawayEdited(takeaway)])
    }

    /// Its author or a facilitator removes a takeaway during the discussion; removing it again changes nothing.
    public static func removeTakeaway(_ id: LeanCoffeeTakeawayID, board: LeanCoffeeBoard, content: LeanCoffeeContent,
                                      by actor: BoardActor) throws(DomainError) -> LeanCoffeeOutcome {
        try board.access.require(.guest, actor)
        guard content.takeaways.contains(where: { $0.id == id }) else {
            try LeanCoffeeBoardRules.requirePhase(board, [.discuss])
            return .unchanged(board)
        }
        let takeaway = try ownTakeaway(id, board: board, content: content, by: actor)
        return LeanCoffeeOutcome(board: board, changes: [.takeawayDeleted(id)],
                                 events: [.takeawayRemoved(board: board.id, topic: takeaway.topicID, takeaway: id)])
    }

    // MARK: Helpers

    static func authored(_ topicID: LeanCoffeeTopicID, board: LeanCoffeeBoard, content: LeanCoffeeContent,
                         by actor: BoardActor) throws(DomainError) -> LeanCoffeeTopic {
        let role = try board.access.require(.guest, actor)
        try LeanCoffeeBoardRules.requireOpen(board)
        guard let topic = content.topic(topicID) else { throw LeanCoffeeErrors.topicNotFound }
        guard role == .lead || topic.author == actor.participant else { throw LeanCoffeeErrors.notAuthor }
        return topic
    }

    static func ownTakeaway(_ id: LeanCoffeeTakeawayID, board: LeanCoffeeBoard, content: LeanCoffeeContent,
                            by actor: BoardActor) throws(DomainError) -> LeanCoffeeTakeaway {
        let role = try board.access.require(.guest, actor)
        try LeanCoffeeBoardRules.requirePhase(board, [.discuss])
        guard let takeaway = content.takeaways.first(where: { $0.id == id }) else { throw LeanCoffeeErrors.takeawayNotFound }
        guard role == .lead || takeaway.author == actor.participant else { throw LeanCoffeeErrors.notAuthor }
        return takeaway
    }

    static func validated(title: String, description: String) throws(DomainError) -> (String, String) {
        var issues: [FieldIssue] = []
        let title = BoardText.line(title, field: "title", length: titleLength, issues: &issues)
        let description = BoardText.text(description, field: "description", length: descriptionLength, issues: &issues)
        guard issues.isEmpty else { throw .validation(issues) }
        return (title, description)
    }

    static func validTakeaway(_ raw: String) throws(DomainError) -> String {
        var issues: [FieldIssue] = []
        let text = BoardText.text(raw, field: "text", length: takeawayLength, issues: &issues)
        guard issues.isEmpty else { throw .validation(issues) }
        return text
    }
}
