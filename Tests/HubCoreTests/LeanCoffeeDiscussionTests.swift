import Foundation
import HubCore
import Testing

@Suite("Lean Coffee: timeboxes, continue votes, moving on")
struct LeanCoffeeDiscussionTests {
    typealias F = LeanCoffeeFixtures

    /// Given a board whose discussion began at minute 10 with topics 1, 2, 3 (in that order) and
    /// the timebox sequence `timeboxes`.
    static func discussing(_ timeboxes: [Int] = [8, 4, 2], guests: Bool = false) throws -> LeanCoffeeWorld {
        var world = LeanCoffeeWorld(F.board(settings: LeanCoffeeSettings(timeboxMinutes: timeboxes, guestsAllowed: guests)),
                                    topics: [F.topic(1, at: 0), F.topic(2, at: 1), F.topic(3, at: 2)])
        try world.phase(.vote)
        try world.phase(.discuss, at: 10)
        world.events = []
        return world
    }

    static func vote(_ world: inout LeanCoffeeWorld, _ vote: ContinueVote, by actor: BoardActor, topic: Int = 1, timebox: Int = 0,
                     at minute: Double) throws(DomainError) {
        world.apply(try LeanCoffeeDiscussionRules.castContinueVote(vote, on: F.topicID(topic), timebox: timebox, board: world.board,
                                                                   content: world.content, by: actor, now: F.minutes(minute)))
    }

    static func conclude(_ world: inout LeanCoffeeWorld, topic: Int = 1, timebox: Int = 0, override: ContinueDecision? = nil,
                         by actor: BoardActor = F.facilitator, at minute: Double) throws(DomainError) -> LeanCoffeeOutcome {
        world.apply(try LeanCoffeeDiscussionRules.concludeTimebox(of: F.topicID(topic), timebox: timebox, override: override, board: world.board,
                                                                  content: world.content, by: actor, now: F.minutes(minute)))
    }

    @Test("Majority rule: extend only when the sequence allows and thumbs up outnumber thumbs down", arguments: [
        (0, 0, 0, true, ContinueDecision.moveOn),
        (1, 0, 0, true, .extend),
        (1, 0, 1, true, .moveOn),
        (2, 0, 1, true, .extend),
        (1, 5, 0, true, .extend),
        (0, 5, 0, true, .moveOn),
        (2, 1, 2, true, .moveOn),
        (3, 0, 4, true, .moveOn),
        (9, 0, 0, false, .moveOn),
    ])
    func majority(up: Int, sideways: Int, down: Int, canExtend: Bool, expected: ContinueDecision) {
        #expect(LeanCoffeeDiscussionRules.decide(ContinueTally(up: up, sideways: sideways, down: down), canExtend: canExtend) == expected)
    }

    @Test("Continue votes open at the end time, not before", arguments: [
        (17.99, "leanCoffee.timeboxRunning"), (18.0, "ok"), (18.5, "ok"), (40.0, "ok"),
    ])
    func expiry(minute: Double, expected: String) throws {
        var world = try Self.discussing()
        #expect(world.board.discussion?.endsAt == F.minutes(18))
        #expect(world.board.discussion?.hasExpired(at: F.minutes(minute)) == (expected == "ok"))
        #expect(boardRuleCode { () throws(DomainError) in try Self.vote(&world, .up, by: F.member, at: minute) } == expected)
    }

    @Test("Who casts a continue vote", arguments: [
        (F.facilitator, "ok"), (F.member, "ok"), (F.guest, "ok"), (F.observer, "leanCoffee.readOnly"), (F.outsider, "leanCoffee.notFound"),
    ])
    func continueVoters(actor: BoardActor, expected: String) throws {
        var world = try Self.discussing(guests: true)
        #expect(boardRuleCode { () throws(DomainError) in try Self.vote(&world, .sideways, by: actor, at: 18) } == expected)
    }

    @Test("One ballot per person and timebox: voting again replaces, the same vote again is a no-op")
    func ballots() throws {
        var world = try Self.discussing()
        try Self.vote(&world, .up, by: F.member, at: 18)
        try Self.vote(&world, .down, by: F.member2, at: 18)
        #expect(world.events.last == .continueTallyChanged(board: F.boardID, topic: F.topicID(1), timebox: 0, ContinueTally(up: 1, down: 1)))
        try Self.vote(&world, .up, by: F.member2, at: 18.2)
        #expect(world.events.last == .continueTallyChanged(board: F.boardID, topic: F.topicID(1), timebox: 0, ContinueTally(up: 2)))
        let count = world.events.count
        try Self.vote(&world, .up, by: F.member2, at: 18.3)
        #expect(world.events.count == count && world.content.ballots.count == 2)
        #expect(LeanCoffeeDiscussionRules.continueTally(world.content, topic: F.topicID(1), timebox: 0) == ContinueTally(up: 2))
    }

    @Test("A ballot for a topic or timebox that has passed is refused, never moved to the next one")
    func staleBallot() throws {
        var world = try Self.discussing()
        #expect(boardRuleCode { () throws(DomainError) in try Self.vote(&world, .up, by: F.member, topic: 2, at: 18) } == "leanCoffee.staleTopic")
        #expect(boardRuleCode { () throws(DomainError) in try Self.vote(&world, .up, by: F.member, timebox: 1, at: 18) } == "leanCoffee.staleTopic")
    }

    @Test("A full cycle: 8 minutes, extended by 4 and 2, then the sequence is used up")
    func fullSequence() throws {
        var world = try Self.discussing()
        #expect(boardRuleCode { () throws(DomainError) in try Self.conclude(&world, at: 17) } == "leanCoffee.timeboxRunning")

        try Self.vote(&world, .up, by: F.member, at: 18)
        try Self.vote(&world, .sideways, by: F.member2, at: 18)
        let first = try Self.conclude(&world, at: 19)
        #expect(first.events == [.timeboxExtended(board: F.boardID, topic: F.topicID(1), timebox: 1, endsAt: F.minutes(23), ContinueTally(up: 1, sideways: 1))])
        #expect(world.board.discussion?.timebox == 1 && world.board.discussion?.startedAt == F.minutes(19))
        #expect(world.content.topic(F.topicID(1))?.extensions == 1)

        // Ballots belong to their timebox: the new one starts empty.
        #expect(boardRuleCode { () throws(DomainError) in try Self.vote(&world, .up, by: F.member, timebox: 1, at: 22) } == "leanCoffee.timeboxRunning")
        try Self.vote(&world, .up, by: F.member, timebox: 1, at: 23)
        let second = try Self.conclude(&world, timebox: 1, at: 23.5)
        #expect(second.events == [.timeboxExtended(board: F.boardID, topic: F.topicID(1), timebox: 2, endsAt: F.minutes(25.5), ContinueTally(up: 1))])

        // The last timebox of the sequence: no continue vote, the topic ends at conclusion.
        #expect(!world.board.canExtend)
        #expect(boardRuleCode { () throws(DomainError) in try Self.vote(&world, .up, by: F.member, timebox: 2, at: 26) } == "leanCoffee.noExtensionLeft")
        let third = try Self.conclude(&world, timebox: 2, at: 26)
        #expect(third.events == [
            .topicFinished(board: F.boardID, topic: F.topicID(1), reason: .timeboxesUsed, ContinueTally()),
            .topicStarted(board: F.boardID, topic: F.topicID(2), timebox: 0, endsAt: F.minutes(34)),
        ])
        #expect(world.content.topic(F.topicID(1))?.status == .discussed)
        #expect(world.content.topic(F.topicID(1))?.discussionEndedAt == F.minutes(26))
        #expect(world.board.discussion?.current == F.topicID(2) && world.board.discussion?.timebox == 0)
    }

    @Test("Ties, sideways-only and no votes at all move on", arguments: [
        ([ContinueVote](), ContinueTally()),
        ([.up, .down], ContinueTally(up: 1, down: 1)),
        ([.sideways, .sideways], ContinueTally(sideways: 2)),
        ([.down], ContinueTally(down: 1)),
    ])
    func movesOn(votes: [ContinueVote], tally: ContinueTally) throws {
        var world = try Self.discussing()
        let voters = [F.member, F.member2]
        for (vote, voter) in zip(votes, voters) { try Self.vote(&world, vote, by: voter, at: 18) }
        let outcome = try Self.conclude(&world, at: 18.5)
        #expect(outcome.events.first == .topicFinished(board: F.boardID, topic: F.topicID(1), reason: .voted, tally))
        #expect(world.board.discussion?.current == F.topicID(2))
    }

    @Test("Concluding twice (a double click) is a no-op; concluding an unrelated topic is stale")
    func concludeIdempotent() throws {
        var world = try Self.discussing()
        try Self.vote(&world, .up, by: F.member, at: 18)
        _ = try Self.conclude(&world, at: 18)
        let version = world.board.version
        let again = try Self.conclude(&world, at: 18.1)
        #expect(again.replayed && world.board.version == version && world.board.discussion?.timebox == 1)
        _ = try Self.conclude(&world, timebox: 1, override: .moveOn, at: 19)
        #expect(try Self.conclude(&world, timebox: 1, at: 19.1).replayed, "topic 1 is done")
        #expect(boardRuleCode { () throws(DomainError) in try Self.conclude(&world, topic: 3, at: 40) } == "leanCoffee.staleTopic")
    }

    @Test("Facilitators may override the vote at any time; others may not conclude")
    func override() throws {
        var world = try Self.discussing([8, 4])
        #expect(boardRuleCode { () throws(DomainError) in try Self.conclude(&world, by: F.member, at: 19) } == "leanCoffee.facilitatorOnly")
        let early = try Self.conclude(&world, override: .extend, at: 12)
        #expect(early.events.first == .timeboxExtended(board: F.boardID, topic: F.topicID(1), timebox: 1, endsAt: F.minutes(16), ContinueTally()))
        #expect(boardRuleCode { () throws(DomainError) in try Self.conclude(&world, timebox: 1, override: .extend, at: 16) } == "leanCoffee.noExtensionLeft")
        #expect(boardRuleCode { () throws(DomainError) in try Self.vote(&world, .up, by: F.member, timebox: 1, at: 16) } == "leanCoffee.noExtensionLeft")
        let moved = try Self.conclude(&world, timebox: 1, override: .moveOn, at: 14)
        #expect(moved.events.first == .topicFinished(board: F.boardID, topic: F.topicID(1), reason: .facilitator, ContinueTally()))
    }

    @Test("Next topic: any time, the queue's order, then the discussion is complete")
    func nextTopic() throws {
        var world = try Self.discussing()
        func next(_ topic: Int, at minute: Double) throws(DomainError) -> LeanCoffeeOutcome {
            world.apply(try LeanCoffeeDiscussionRules.nextTopic(after: F.topicID(topic), board: world.board, content: world.content,
                                                                by: F.facilitator, now: F.minutes(minute)))
        }
        let first = try next(1, at: 11)
        #expect(first.events == [.topicFinished(board: F.boardID, topic: F.topicID(1), reason: .facilitator, ContinueTally()),
                                 .topicStarted(board: F.boardID, topic: F.topicID(2), timebox: 0, endsAt: F.minutes(19))])
        #expect(try next(1, at: 11.1).replayed, "a double click does not skip topic 2")
        #expect(boardRuleCode { () throws(DomainError) in try next(3, at: 12) } == "leanCoffee.staleTopic")
        _ = try next(2, at: 12)
        let last = try next(3, at: 13)
        #expect(last.events.map(\.name) == ["leanCoffee.topicFinished", "leanCoffee.allTopicsDiscussed"])
        #expect(world.board.discussion?.current == nil && world.board.discussion?.endsAt == nil)
        #expect(world.content.topics.allSatisfy { $0.status == .discussed })
        #expect(boardRuleCode { () throws(DomainError) in try Self.vote(&world, .up, by: F.member, topic: 3, at: 30) } == "leanCoffee.noCurrentTopic")
        #expect(boardRuleCode { () throws(DomainError) in
            try LeanCoffeeDiscussionRules.nextTopic(after: F.topicID(1), board: world.board, content: world.content, by: F.member, now: F.minutes(14))
        } == "leanCoffee.facilitatorOnly")
    }

    @Test("A sequence of one timebox never opens a continue vote")
    func singleTimebox() throws {
        var world = try Self.discussing([5])
        #expect(world.board.discussion?.endsAt == F.minutes(15) && !world.board.canExtend)
        #expect(boardRuleCode { () throws(DomainError) in try Self.vote(&world, .up, by: F.member, at: 16) } == "leanCoffee.noExtensionLeft")
        let outcome = try Self.conclude(&world, at: 15)
        #expect(outcome.events.first == .topicFinished(board: F.boardID, topic: F.topicID(1), reason: .timeboxesUsed, ContinueTally()))
    }

    @Test("Topics withdrawn before the discussion are skipped; the timebox is an absolute time")
    func skipsWithdrawn() throws {
        var world = LeanCoffeeWorld(F.board(.vote), topics: [F.topic(1, at: 0), F.topic(2, at: 1, status: .withdrawn), F.topic(3, at: 2)])
        try world.phase(.discuss, at: 100)
        #expect(world.board.discussion?.queue == [F.topicID(1), F.topicID(3)])
        #expect(world.board.discussion?.endsAt == F.t0.addingTimeInterval(100 * 60 + 8 * 60))
    }
}
