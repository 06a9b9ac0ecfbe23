import Foundation
import HubCore
import Testing

@Suite("Lean Coffee: topics and takeaways")
struct LeanCoffeeTopicTests {
    typealias F = LeanCoffeeFixtures

    @discardableResult
    static func add(_ world: inout LeanCoffeeWorld, _ title: String, by actor: BoardActor = F.member, anonymous: Bool = false,
                    description: String = "") throws(DomainError) -> LeanCoffeeOutcome {
        let id = LeanCoffeeTopicID(world.fresh())
        return world.apply(try LeanCoffeeTopicRules.add(LeanCoffeeTopicDraft(title: title, description: description, anonymous: anonymous), id: id,
                                                        board: world.board, content: world.content, by: actor, now: F.minutes(1)))
    }

    @Test("Who adds topics", arguments: [
        (F.facilitator, "ok"), (F.member, "ok"), (F.admin, "ok"), (F.guest, "ok"), (F.observer, "leanCoffee.readOnly"),
        (F.outsider, "leanCoffee.notFound"), (F.anonymous, "auth.required"),
    ])
    func whoAdds(actor: BoardActor, expected: String) {
        var world = LeanCoffeeWorld(F.board(settings: LeanCoffeeSettings(guestsAllowed: true)))
        #expect(boardRuleCode { () throws(DomainError) in try Self.add(&world, "Wohnraum für Azubis", by: actor) } == expected)
    }

    @Test("Topics are added only while collecting", arguments: [
        (LeanCoffeePhase.collect, "ok"), (.vote, "leanCoffee.wrongPhase"), (.discuss, "leanCoffee.wrongPhase"), (.closed, "leanCoffee.phaseClosed"),
    ])
    func addPhase(phase: LeanCoffeePhase, expected: String) {
        var world = LeanCoffeeWorld(F.board(phase))
        #expect(boardRuleCode { () throws(DomainError) in try Self.add(&world, "Wohnraum für Azubis") } == expected)
    }

    @Test("A new topic: normalized title, trimmed description, author recorded, event")
    func addTopic() throws {
        var world = LeanCoffeeWorld(F.board())
        let outcome = try Self.add(&world, "  Ämterlotsen   ausweiten ", description: "  Wer?\nWo?  ")
        guard case .topic(let topic) = outcome.changes.first else {
            Issue.record("no topic")
            return
        }
        #expect(topic.title == "Ämterlotsen ausweiten" && topic.description == "Wer?\nWo?" && topic.status == .open)
        #expect(topic.author == .user(F.memberUser.userID!) && topic.publicAuthor == topic.author && topic.createdAt == F.minutes(1))
        #expect(outcome.events == [.topicAdded(topic)])
    }

    @Test("Anonymous topics: allowed by default, hidden author, refused when switched off")
    func anonymous() throws {
        var world = LeanCoffeeWorld(F.board())
        let outcome = try Self.add(&world, "Heikles Thema", anonymous: true)
        guard case .topicAdded(let topic) = outcome.events.first else {
            Issue.record("no event")
            return
        }
        #expect(topic.anonymous && topic.publicAuthor == nil && topic.author == .user(F.memberUser.userID!))
        var strict = LeanCoffeeWorld(F.board(settings: LeanCoffeeSettings(anonymousTopicsAllowed: false)))
        #expect(boardRuleCode { () throws(DomainError) in try Self.add(&strict, "Heikles Thema", anonymous: true) } == "leanCoffee.anonymousNotAllowed")
    }

    @Test("A double-sent topic is added once; per-person and board limits hold")
    func limits() throws {
        var world = LeanCoffeeWorld(F.board(settings: LeanCoffeeSettings(topicsPerParticipant: 2)))
        try Self.add(&world, "Thema A")
        #expect(try Self.add(&world, "thema a ").replayed)
        try Self.add(&world, "Thema B")
        #expect(boardRuleCode { () throws(DomainError) in try Self.add(&world, "Thema C") } == "leanCoffee.topicLimit")
        #expect(boardRuleCode { () throws(DomainError) in try Self.add(&world, "Thema C", by: F.member2) } == "ok")
        var full = LeanCoffeeWorld(F.board(), topics: (1...LeanCoffeeTopicRules.maxTopics).map {
            F.topic($0, by: .user(UserID(F.uuid(4000 + $0))))
        })
        #expect(boardRuleCode { () throws(DomainError) in try Self.add(&full, "Noch eins") } == "leanCoffee.boardFull")
    }

    @Test("Titles and descriptions are validated", arguments: [
        ("ab", "", ["title:tooShort"]),
        ("Gut", String(repeating: "x", count: 2001), ["description:tooLong"]),
        ("Gut\u{0007}", "Glocke\u{0007}", ["title:invalidCharacters", "description:invalidCharacters"]),
        ("   ", "", ["title:required"]),
    ])
    func validation(title: String, description: String, fields: [String]) {
        var world = LeanCoffeeWorld(F.board())
        do {
            _ = try Self.add(&world, title, description: description)
            Issue.record("accepted")
        } catch {
            #expect(error.fields.map { "\($0.field):\($0.code)" } == fields)
        }
    }

    @Test("Editing: the author or a facilitator, while collecting", arguments: [
        (F.member, LeanCoffeePhase.collect, "ok"), (F.facilitator, .collect, "ok"), (F.member2, .collect, "leanCoffee.notAuthor"),
        (F.member, .vote, "leanCoffee.wrongPhase"), (F.observer, .collect, "leanCoffee.readOnly"),
    ])
    func edit(actor: BoardActor, phase: LeanCoffeePhase, expected: String) {
        let world = LeanCoffeeWorld(F.board(phase), topics: [F.topic(1)])
        #expect(boardRuleCode { () throws(DomainError) in
            try LeanCoffeeTopicRules.edit(F.topicID(1), title: "Thema eins, genauer", description: nil, board: world.board, content: world.content,
                                          by: actor, now: F.minutes(2))
        } == expected)
    }

    @Test("An edit keeps the other field, and an unchanged edit is a no-op")
    func editDetails() throws {
        let world = LeanCoffeeWorld(F.board(), topics: [F.topic(1)])
        let outcome = try LeanCoffeeTopicRules.edit(F.topicID(1), title: nil, description: "Details", board: world.board, content: world.content,
                                                    by: F.member, now: F.minutes(2))
        guard case .topicEdited(let topic) = outcome.events.first else {
            Issue.record("no event")
            return
        }
        #expect(topic.title == "Thema 1" && topic.description == "Details" && topic.updatedAt == F.minutes(2))
        let same = try LeanCoffeeTopicRules.edit(F.topicID(1), title: " Thema 1 ", description: nil, board: world.board, content: world.content,
                                                 by: F.member, now: F.minutes(2))
        #expect(same.events.isEmpty && same.changes.isEmpty)
    }

    @Test("Withdrawing: the author or a facilitator, while collecting or voting; twice is a no-op", arguments: [
        (F.member, LeanCoffeePhase.collect, "ok"), (F.facilitator, .vote, "ok"), (F.member2, .collect, "leanCoffee.notAuthor"),
        (F.member, .discuss, "leanCoffee.wrongPhase"),
    ])
    func withdraw(actor: BoardActor, phase: LeanCoffeePhase, expected: String) throws {
        var world = LeanCoffeeWorld(F.board(phase), topics: [F.topic(1)])
        #expect(boardRuleCode { () throws(DomainError) in
            world.apply(try LeanCoffeeTopicRules.withdraw(F.topicID(1), board: world.board, content: world.content, by: actor, now: F.t0))
        } == expected)
        if expected == "ok" {
            #expect(world.content.topics[0].status == .withdrawn)
            #expect(try LeanCoffeeTopicRules.withdraw(F.topicID(1), board: world.board, content: world.content, by: actor, now: F.t0).replayed)
        }
    }

    @Test("Withdrawing a voted topic while votes are hidden reports the new progress")
    func withdrawHidden() throws {
        var world = LeanCoffeeWorld(F.board(.vote, settings: LeanCoffeeSettings(votesHidden: true)), topics: [F.topic(1), F.topic(2)])
        try world.dot(1, by: F.member, key: "a")
        try world.dot(2, by: F.member2, key: "b")
        let outcome = try LeanCoffeeTopicRules.withdraw(F.topicID(1), board: world.board, content: world.content, by: F.member, now: F.t0)
        #expect(outcome.events.map(\.name) == ["leanCoffee.topicWithdrawn", "leanCoffee.voteProgress"])
        #expect(outcome.events.last == .voteProgress(board: F.boardID, dots: 1, voters: 1))
    }

    // MARK: Takeaways

    static func discussing() throws -> LeanCoffeeWorld {
        var world = LeanCoffeeWorld(F.board(settings: LeanCoffeeSettings(guestsAllowed: true)), topics: [F.topic(1, at: 0), F.topic(2, at: 1)])
        try world.phase(.vote)
        try world.phase(.discuss, at: 10)
        return world
    }

    @discardableResult
    static func takeaway(_ world: inout LeanCoffeeWorld, _ text: String, topic: Int = 1, by actor: BoardActor = F.member)
        throws(DomainError) -> LeanCoffeeOutcome {
        let id = LeanCoffeeTakeawayID(world.fresh())
        return world.apply(try LeanCoffeeTopicRules.addTakeaway(text, to: F.topicID(topic), id: id, board: world.board, content: world.content,
                                                                by: actor, now: F.minutes(12)))
    }

    @Test("Takeaways belong to the topic under discussion or one discussed before")
    func takeawayTopics() throws {
        var world = try Self.discussing()
        #expect(boardRuleCode { () throws(DomainError) in try Self.takeaway(&world, "Lotsen in drei Städten", topic: 2) } == "leanCoffee.notDiscussed")
        #expect(boardRuleCode { () throws(DomainError) in try Self.takeaway(&world, "Lotsen in drei Städten") } == "ok")
        world.apply(try LeanCoffeeDiscussionRules.nextTopic(after: F.topicID(1), board: world.board, content: world.content, by: F.facilitator,
                                                            now: F.minutes(13)))
        #expect(boardRuleCode { () throws(DomainError) in try Self.takeaway(&world, "Nachtrag zu Thema 1") } == "ok")
        #expect(boardRuleCode { () throws(DomainError) in try Self.takeaway(&world, "x", topic: 9) } == "leanCoffee.topicNotFound")
        #expect(boardRuleCode { () throws(DomainError) in try Self.takeaway(&world, " \n ") } == "validation.failed")
        var collecting = LeanCoffeeWorld(F.board(), topics: [F.topic(1)])
        #expect(boardRuleCode { () throws(DomainError) in try Self.takeaway(&collecting, "zu früh") } == "leanCoffee.wrongPhase")
    }

    @Test("Who writes takeaways", arguments: [
        (F.facilitator, "ok"), (F.member, "ok"), (F.guest, "ok"), (F.observer, "leanCoffee.readOnly"), (F.outsider, "leanCoffee.notFound"),
    ])
    func takeawayWriters(actor: BoardActor, expected: String) throws {
        var world = try Self.discussing()
        #expect(boardRuleCode { () throws(DomainError) in try Self.takeaway(&world, "Ergebnis", by: actor) } == expected)
    }

    @Test("Takeaways: a double-sent one is kept once; authors and facilitators edit and remove")
    func takeawayLifecycle() throws {
        var world = try Self.discussing()
        let added = try Self.takeaway(&world, "Kita-Sprachstand jährlich erheben")
        guard case .takeaway(let takeaway) = added.changes.first else {
            Issue.record("no takeaway")
            return
        }
        #expect(added.events == [.takeawayAdded(takeaway)])
        #expect(try Self.takeaway(&world, "Kita-Sprachstand jährlich erheben").replayed && world.content.takeaways.count == 1)
        #expect(boardRuleCode { () throws(DomainError) in
            try LeanCoffeeTopicRules.editTakeaway(takeaway.id, text: "Anders", board: world.board, content: world.content, by: F.member2, now: F.t0)
        } == "leanCoffee.notAuthor")
        let edited = world.apply(try LeanCoffeeTopicRules.editTakeaway(takeaway.id, text: "Sprachstand jährlich erheben", board: world.board,
                                                                       content: world.content, by: F.facilitator, now: F.minutes(14)))
        #expect(world.content.takeaways[0].text == "Sprachstand jährlich erheben" && edited.events.first?.name == "leanCoffee.takeawayEdited")
        #expect(boardRuleCode { () throws(DomainError) in
            try LeanCoffeeTopicRules.removeTakeaway(takeaway.id, board: world.board, content: world.content, by: F.member2)
        } == "leanCoffee.notAuthor")
        let removed = world.apply(try LeanCoffeeTopicRules.removeTakeaway(takeaway.id, board: world.board, content: world.content, by: F.member))
        #expect(removed.events == [.takeawayRemoved(board: F.boardID, topic: F.topicID(1), takeaway: takeaway.id)])
        #expect(world.content.takeaways.isEmpty)
        #expect(try LeanCoffeeTopicRules.removeTakeaway(takeaway.id, board: world.board, content: world.content, by: F.member).replayed)
        #expect(boardRuleCode { () throws(DomainError) in
            try LeanCoffeeTopicRules.editTakeaway(takeaway.id, text: "x", board: world.board, content: world.content, by: F.member, now: F.t0)
        } == "leanCoffee.takeawayNotFound")
    }
}
