import Foundation
import HubCore
import Testing

@Suite("Lean Coffee: summary, minutes and draft recommendations")
struct LeanCoffeeHandoffTests {
    typealias F = LeanCoffeeFixtures
    static let meeting = F.uuid(6000)

    /// Given a board where topic 2 (two dots) was discussed 9 minutes with one extension and two
    /// takeaways, topic 1 (one dot, anonymous) is being discussed, and topic 3 was withdrawn.
    static func played() throws -> LeanCoffeeWorld {
        var world = LeanCoffeeWorld(F.board(), topics: [
            F.topic(1, at: 0, title: "Anonymes Thema", anonymous: true), F.topic(2, by: .user(F.member2User.userID!), at: 1, title: "Rucksack Kita"),
            F.topic(3, at: 2),
        ])
        try world.phase(.vote)
        try world.dot(2, by: F.member, key: "a")
        try world.dot(2, by: F.member2, key: "b")
        try world.dot(1, by: F.member2, key: "c")
        world.apply(try LeanCoffeeTopicRules.withdraw(F.topicID(3), board: world.board, content: world.content, by: F.member, now: F.minutes(3)))
        try world.phase(.discuss, at: 10)
        world.apply(try LeanCoffeeDiscussionRules.castContinueVote(.up, on: F.topicID(2), timebox: 0, board: world.board, content: world.content,
                                                                   by: F.member, now: F.minutes(18)))
        world.apply(try LeanCoffeeDiscussionRules.concludeTimebox(of: F.topicID(2), timebox: 0, board: world.board, content: world.content,
                                                                  by: F.facilitator, now: F.minutes(18)))
        for (n, text) in ["Modellprojekt auf zwei Kitas ausweiten", "Elternbegleiterinnen gewinnen"].enumerated() {
            world.apply(try LeanCoffeeTopicRules.addTakeaway(text, to: F.topicID(2), id: LeanCoffeeTakeawayID(F.uuid(6100 + n)), board: world.board,
                                                             content: world.content, by: n == 0 ? F.member : F.facilitator, now: F.minutes(19 + Double(n))))
        }
        world.apply(try LeanCoffeeDiscussionRules.nextTopic(after: F.topicID(2), board: world.board, content: world.content, by: F.facilitator,
                                                            now: F.minutes(19.5)))
        world.events = []
        return world
    }

    @Test("The summary: discussion order, counts, takeaways, anonymous authors hidden, withdrawn topics left out")
    func summary() throws {
        let world = try Self.played()
        let summary = LeanCoffeeSummary(board: world.board, content: world.content)
        #expect(summary.topics.map(\.topicID) == [F.topicID(2), F.topicID(1)])
        #expect(summary.topics.map(\.dots) == [2, 1] && summary.totalDots == 3 && summary.voters == 2)
        #expect(summary.topics[0].takeaways == ["Modellprojekt auf zwei Kitas ausweiten", "Elternbegleiterinnen gewinnen"])
        #expect(summary.topics[0].discussedMinutes == 9 && summary.topics[0].extensions == 1 && summary.topics[0].discussed)
        #expect(summary.topics[0].author == .user(F.member2User.userID!) && summary.topics[1].author == nil)
        let markdown = summary.markdown { $0 == .user(F.member2User.userID!) ? "Nina" : nil }
        #expect(markdown.contains("## 1. Rucksack Kita (2 dots)\n_Proposed by Nina_"))
        #expect(markdown.contains("- Elternbegleiterinnen gewinnen"))
        #expect(markdown.contains("## 2. Anonymes Thema (1 dot)"))
    }

    @Test("Closing before the discussion orders the summary by the votes")
    func summaryBeforeDiscussion() throws {
        var world = LeanCoffeeWorld(F.board(.vote), topics: [F.topic(1, at: 0), F.topic(2, at: 1)])
        try world.dot(2, by: F.member, key: "a")
        try world.phase(.closed, at: 5)
        guard case .boardClosed(_, let summary) = world.events.last else {
            Issue.record("no summary")
            return
        }
        #expect(summary.topics.map(\.topicID) == [F.topicID(2), F.topicID(1)] && summary.topics.allSatisfy { !$0.discussed })
        #expect(summary.closedAt == F.minutes(5) && summary.markdown().contains("not discussed"))
    }

    @Test("Sending takeaways to a meeting's minutes", arguments: [
        (F.facilitator, "ok"), (F.coordinator, "ok"), (F.member, "leanCoffee.facilitatorOnly"), (F.outsider, "leanCoffee.notFound"),
    ])
    func minutesPermission(actor: BoardActor, expected: String) throws {
        let world = try Self.played()
        #expect(boardRuleCode { () throws(DomainError) in
            try LeanCoffeeHandoffRules.sendTakeawaysToMinutes(meetingID: Self.meeting, board: world.board, content: world.content, by: actor, now: F.t0)
        } == expected)
    }

    @Test("The minutes hand-off carries the discussed topics with takeaways, as an intent")
    func minutesIntent() throws {
        let world = try Self.played()
        let outcome = try LeanCoffeeHandoffRules.sendTakeawaysToMinutes(meetingID: Self.meeting, board: world.board, content: world.content,
                                                                        by: F.facilitator, now: F.minutes(30))
        guard case .takeawaysSentToMinutes(let handoff) = outcome.events.first else {
            Issue.record("no intent")
            return
        }
        #expect(outcome.events[0].isIntent && outcome.changes.isEmpty && !outcome.boardChanged)
        #expect(handoff.meetingID == Self.meeting && handoff.requestedBy == F.facilitatorUser.userID && handoff.at == F.minutes(30))
        #expect(handoff.items.map(\.topicID) == [F.topicID(2)] && handoff.items[0].takeaways.count == 2)
        #expect(handoff.markdown == """
            ### Lean Coffee: Lean Coffee Inklusion

            **Rucksack Kita**
            - Modellprojekt auf zwei Kitas ausweiten
            - Elternbegleiterinnen gewinnen

            """)
    }

    @Test("Nothing to send before takeaways exist, and not before the discussion")
    func minutesRefusals() throws {
        var world = LeanCoffeeWorld(F.board(.vote), topics: [F.topic(1)])
        #expect(boardRuleCode { () throws(DomainError) in
            try LeanCoffeeHandoffRules.sendTakeawaysToMinutes(meetingID: Self.meeting, board: world.board, content: world.content, by: F.facilitator, now: F.t0)
        } == "leanCoffee.wrongPhase")
        try world.phase(.discuss)
        #expect(boardRuleCode { () throws(DomainError) in
            try LeanCoffeeHandoffRules.sendTakeawaysToMinutes(meetingID: Self.meeting, board: world.board, content: world.content, by: F.facilitator, now: F.t0)
        } == "leanCoffee.nothingToSend")
    }

    static func startDraft(_ world: LeanCoffeeWorld, topic: Int = 2, by actor: BoardActor = F.member, workspace: Workspace? = F.workspace(),
                           board: LeanCoffeeBoard? = nil) throws(DomainError) -> LeanCoffeeOutcome {
        try LeanCoffeeHandoffRules.startDraftRecommendation(from: F.topicID(topic), recommendationID: RecommendationID(F.uuid(6200)), workspace: workspace,
                                                            board: board ?? world.board, content: world.content, by: actor, now: F.minutes(40),
                                                            today: F.today)
    }

    @Test("Starting a draft recommendation from a topic", arguments: [
        (F.member, "ok"), (F.facilitator, "ok"), (F.coordinator, "ok"), (F.admin, "ok"), (F.observer, "leanCoffee.readOnly"),
        (F.outsider, "leanCoffee.notFound"),
    ])
    func draftPermission(actor: BoardActor, expected: String) throws {
        let world = try Self.played()
        #expect(boardRuleCode { () throws(DomainError) in try Self.startDraft(world, by: actor) } == expected)
    }

    @Test("The draft intent: title and situation from the topic; one draft per topic")
    func draftIntent() throws {
        var world = try Self.played()
        let outcome = world.apply(try Self.startDraft(world))
        guard case .draftRequested(let draft) = outcome.events.last else {
            Issue.record("no intent")
            return
        }
        #expect(draft.workspaceID == F.wsID && draft.recommendationID == RecommendationID(F.uuid(6200)) && draft.requestedBy == F.memberUser.userID)
        #expect(draft.profile.title == "Rucksack Kita")
        #expect(draft.profile.situation == "Aus dem Lean Coffee „Lean Coffee Inklusion“:\n- Modellprojekt auf zwei Kitas ausweiten\n- Elternbegleiterinnen gewinnen")
        #expect(world.content.topic(F.topicID(2))?.recommendationID == draft.recommendationID)
        #expect(boardRuleCode { () throws(DomainError) in try Self.startDraft(world) } == "leanCoffee.draftAlreadyStarted")
        #expect(LeanCoffeeSummary(board: world.board, content: world.content).topics[0].recommendationID == draft.recommendationID)
    }

    @Test("Drafts need a workspace, an editable one, an account and a live topic")
    func draftRefusals() throws {
        let world = try Self.played()
        var standalone = world.board
        standalone = LeanCoffeeBoard(id: standalone.id, workspaceID: nil, title: standalone.title, facilitators: standalone.facilitators,
                                     settings: LeanCoffeeSettings(guestsAllowed: true), phase: standalone.phase, votingOpened: true,
                                     votesRevealed: true, discussion: standalone.discussion, createdBy: standalone.createdBy,
                                     createdAt: standalone.createdAt, updatedAt: standalone.updatedAt, closedAt: nil, version: standalone.version)
        #expect(boardRuleCode { () throws(DomainError) in try Self.startDraft(world, board: standalone) } == "leanCoffee.needsWorkspace")
        #expect(boardRuleCode { () throws(DomainError) in try Self.startDraft(world, by: F.guest, board: standalone) } == "leanCoffee.accountRequired")
        #expect(boardRuleCode { () throws(DomainError) in try Self.startDraft(world, workspace: F.workspace(archived: true)) } == "workspace.archived")
        #expect(boardRuleCode { () throws(DomainError) in try Self.startDraft(world, workspace: nil) } == "workspace.notFound")
        #expect(boardRuleCode { () throws(DomainError) in try Self.startDraft(world, topic: 3) } == "leanCoffee.topicNotFound")
    }

    @Test("Every event names its board and a leanCoffee.* wire name")
    func eventNames() throws {
        var world = try Self.played()
        world.apply(try LeanCoffeeHandoffRules.sendTakeawaysToMinutes(meetingID: Self.meeting, board: world.board, content: world.content,
                                                                      by: F.facilitator, now: F.t0))
        world.apply(try Self.startDraft(world))
        try world.phase(.closed, at: 50)
        let names = Set(world.events.map(\.name))
        #expect(world.events.allSatisfy { $0.boardID == F.boardID && $0.name.hasPrefix("leanCoffee.") })
        #expect(names.isSuperset(of: ["leanCoffee.takeawaysSentToMinutes", "leanCoffee.draftRequested", "leanCoffee.boardClosed"]))
        #expect(world.events.filter(\.isIntent).count == 2)
    }
}
