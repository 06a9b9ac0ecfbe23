import Foundation
import HubCore
import Testing

@Suite("Lean Coffee: dot voting")
struct LeanCoffeeVoteTests {
    typealias F = LeanCoffeeFixtures

    static func voting(_ settings: LeanCoffeeSettings = LeanCoffeeSettings(), topics: Int = 3) -> LeanCoffeeWorld {
        LeanCoffeeWorld(F.board(.vote, settings: settings), topics: (1...topics).map { F.topic($0, at: Double($0)) })
    }

    /// (dots, per-topic cap, topics of the member's existing dots, target topic) → result.
    @Test("Vote limits", arguments: [
        (3, nil, [Int](), 1, "ok"),
        (3, nil, [1, 1], 1, "ok"),
        (3, nil, [1, 1, 1], 2, "leanCoffee.noDotsLeft"),
        (3, nil, [1, 2, 3], 1, "leanCoffee.noDotsLeft"),
        (3, 1, [1], 1, "leanCoffee.topicDotLimit"),
        (3, 1, [1], 2, "ok"),
        (3, 2, [1, 1], 1, "leanCoffee.topicDotLimit"),
        (3, 2, [1, 1], 2, "ok"),
        (1, nil, [2], 1, "leanCoffee.noDotsLeft"),
        (5, nil, [1, 1, 1, 1], 1, "ok"),
        (5, 3, [1, 1, 1], 1, "leanCoffee.topicDotLimit"),
    ] as [(Int, Int?, [Int], Int, String)])
    func limits(dots: Int, cap: Int?, existing: [Int], target: Int, expected: String) throws {
        var world = Self.voting(LeanCoffeeSettings(dotsPerParticipant: dots, maxDotsPerTopic: cap))
        for (index, topic) in existing.enumerated() { try world.dot(topic, by: F.member, key: "pre\(index)") }
        #expect(boardRuleCode { () throws(DomainError) in try world.dot(target, by: F.member, key: "target") } == expected)
        // Another participant's budget is their own.
        #expect(boardRuleCode { () throws(DomainError) in try world.dot(target, by: F.member2, key: "other") } == "ok")
    }

    @Test("Dots are placed only while voting", arguments: [
        (LeanCoffeePhase.collect, "leanCoffee.wrongPhase"), (.vote, "ok"), (.discuss, "leanCoffee.wrongPhase"), (.closed, "leanCoffee.phaseClosed"),
    ])
    func votePhase(phase: LeanCoffeePhase, expected: String) {
        var world = LeanCoffeeWorld(F.board(phase), topics: [F.topic(1)])
        #expect(boardRuleCode { () throws(DomainError) in try world.dot(1, by: F.member, key: "a") } == expected)
    }

    @Test("Who votes", arguments: [
        (F.facilitator, "ok"), (F.member, "ok"), (F.admin, "ok"), (F.guest, "ok"), (F.observer, "leanCoffee.readOnly"),
        (F.outsider, "leanCoffee.notFound"), (F.foreignGuest, "leanCoffee.notFound"), (F.anonymous, "auth.required"),
    ])
    func voters(actor: BoardActor, expected: String) {
        var world = Self.voting(LeanCoffeeSettings(guestsAllowed: true))
        #expect(boardRuleCode { () throws(DomainError) in try world.dot(1, by: actor, key: "a") } == expected)
    }

    @Test("A dot on a withdrawn or unknown topic is refused")
    func topicMustBeOpen() {
        var world = LeanCoffeeWorld(F.board(.vote), topics: [F.topic(1, status: .withdrawn)])
        #expect(boardRuleCode { () throws(DomainError) in try world.dot(1, by: F.member, key: "a") } == "leanCoffee.topicNotOpen")
        #expect(boardRuleCode { () throws(DomainError) in try world.dot(7, by: F.member, key: "b") } == "leanCoffee.topicNotFound")
    }

    @Test("The same key never counts twice: a double click or a retry returns the first result")
    func idempotentPlace() throws {
        var world = Self.voting()
        let first = try world.dot(1, by: F.member, key: "click")
        #expect(first.changes.count == 1 && first.events == [.tallyChanged(board: F.boardID, TopicTally(topicID: F.topicID(1), dots: 1))])
        for _ in 0..<3 {
            let again = try world.dot(1, by: F.member, key: "click")
            #expect(again.replayed && again.changes.isEmpty && again.events.isEmpty)
        }
        #expect(world.dots(1) == 1)
        #expect(LeanCoffeeVoteRules.dotsLeft(world.board, world.content, for: .user(F.memberUser.userID!)) == 2)
        // The key is the member's own: another participant may use the same text.
        try world.dot(1, by: F.member2, key: "click")
        #expect(world.dots(1) == 2)
    }

    @Test("A retry after the vote ended still answers as the first time")
    func retryAfterPhaseChange() throws {
        var world = Self.voting()
        try world.dot(1, by: F.member, key: "late")
        try world.phase(.discuss, at: 5)
        let retry = try world.dot(1, by: F.member, key: "late")
        #expect(retry.replayed && world.dots(1) == 1)
        #expect(boardRuleCode { () throws(DomainError) in try world.dot(1, by: F.member, key: "fresh") } == "leanCoffee.wrongPhase")
    }

    @Test("A key reused for a different request is refused", arguments: [
        ("place on another topic", true), ("take back with a placing key", false),
    ])
    func keyReuse(_ label: String, otherTopic: Bool) throws {
        var world = Self.voting()
        try world.dot(1, by: F.member, key: "k1")
        let code = otherTopic
            ? boardRuleCode { () throws(DomainError) in try world.dot(2, by: F.member, key: "k1") }
            : boardRuleCode { () throws(DomainError) in try world.undot(1, by: F.member, key: "k1") }
        #expect(code == "leanCoffee.idempotencyKeyReused")
        #expect(world.dots(1) == 1 && world.dots(2) == 0)
    }

    @Test("Taking a dot back: the latest one, once per key, never below zero")
    func unvote() throws {
        var world = Self.voting()
        try world.dot(1, by: F.member, key: "a", at: 1)
        try world.dot(1, by: F.member, key: "b", at: 2)
        let removed = try world.undot(1, by: F.member, key: "u1", at: 3)
        guard case .dot(let dot) = removed.changes.first else {
            Issue.record("no dot changed")
            return
        }
        #expect(dot.key == F.key("b") && dot.withdrawnAt == F.minutes(3) && dot.withdrawKey == F.key("u1"))
        #expect(removed.events == [.tallyChanged(board: F.boardID, TopicTally(topicID: F.topicID(1), dots: 1))])
        #expect(try world.undot(1, by: F.member, key: "u1").replayed, "the same take-back again changes nothing")
        #expect(world.dots(1) == 1)
        try world.undot(1, by: F.member, key: "u2")
        #expect(world.dots(1) == 0)
        #expect(boardRuleCode { () throws(DomainError) in try world.undot(1, by: F.member, key: "u3") } == "leanCoffee.noDotToRemove")
        #expect(boardRuleCode { () throws(DomainError) in try world.undot(2, by: F.member2, key: "u4") } == "leanCoffee.noDotToRemove")
        // The freed dots can be placed again, under new keys.
        for key in ["c", "d", "e"] { try world.dot(2, by: F.member, key: key) }
        #expect(world.dots(2) == 3)
        // A placing key that was later taken back is still a replay, not a new dot.
        #expect(try world.dot(1, by: F.member, key: "a").replayed && world.dots(1) == 0)
    }

    @Test("Withdrawing a topic gives its dots back")
    func withdrawRefunds() throws {
        var world = Self.voting(LeanCoffeeSettings(dotsPerParticipant: 2))
        try world.dot(1, by: F.member, key: "a")
        try world.dot(1, by: F.member, key: "b")
        #expect(boardRuleCode { () throws(DomainError) in try world.dot(2, by: F.member, key: "c") } == "leanCoffee.noDotsLeft")
        world.apply(try LeanCoffeeTopicRules.withdraw(F.topicID(1), board: world.board, content: world.content, by: F.facilitator, now: F.t0))
        #expect(LeanCoffeeVoteRules.dotsLeft(world.board, world.content, for: .user(F.memberUser.userID!)) == 2)
        try world.dot(2, by: F.member, key: "c")
        #expect(world.dots(2) == 1 && world.dots(1) == 0)
    }

    @Test("Hidden votes: events report only progress until revealed")
    func hiddenVotes() throws {
        var world = Self.voting(LeanCoffeeSettings(votesHidden: true))
        let first = try world.dot(1, by: F.member, key: "a")
        #expect(first.events == [.voteProgress(board: F.boardID, dots: 1, voters: 1)])
        try world.dot(2, by: F.member, key: "b")
        let third = try world.dot(2, by: F.member2, key: "c")
        #expect(third.events == [.voteProgress(board: F.boardID, dots: 3, voters: 2)])
        #expect(boardRuleCode { () throws(DomainError) in
            try LeanCoffeeBoardRules.revealVotes(world.board, content: world.content, by: F.member, now: F.t0)
        } == "leanCoffee.facilitatorOnly")
        let reveal = world.apply(try LeanCoffeeBoardRules.revealVotes(world.board, content: world.content, by: F.facilitator, now: F.minutes(4)))
        #expect(reveal.events == [.votesRevealed(board: F.boardID, [TopicTally(topicID: F.topicID(2), dots: 2),
                                                                    TopicTally(topicID: F.topicID(1), dots: 1),
                                                                    TopicTally(topicID: F.topicID(3), dots: 0)])])
        #expect(world.board.talliesVisible && world.board.version == 2)
        let after = try world.dot(3, by: F.member2, key: "d")
        #expect(after.events == [.tallyChanged(board: F.boardID, TopicTally(topicID: F.topicID(3), dots: 1))])
        #expect(boardRuleCode { () throws(DomainError) in
            try LeanCoffeeBoardRules.revealVotes(world.board, content: world.content, by: F.facilitator, now: F.t0)
        } == "leanCoffee.votesNotHidden")
    }

    /// Topic n: (dots, minute created, id number). Expected: the ids in discussion order.
    @Test("Discussion order: more dots first, then earlier created, then smaller id", arguments: [
        ([(3, 5.0, 1), (1, 0.0, 2), (2, 1.0, 3)], [1, 3, 2]),
        ([(2, 5.0, 1), (2, 1.0, 2), (2, 3.0, 3)], [2, 3, 1]),
        ([(1, 2.0, 9), (1, 2.0, 4), (1, 2.0, 6)], [4, 6, 9]),
        ([(0, 0.0, 1), (0, 1.0, 2), (1, 9.0, 3)], [3, 1, 2]),
        ([(0, 3.0, 12), (0, 3.0, 11), (4, 4.0, 10)], [10, 11, 12]),
    ])
    func order(topics: [(Int, Double, Int)], expected: [Int]) throws {
        var content = LeanCoffeeContent(topics: topics.map { F.topic($0.2, at: $0.1) })
        var n = 0
        for (dots, _, id) in topics {
            for _ in 0..<dots {
                n += 1
                content.dots.append(LeanCoffeeDot(id: LeanCoffeeDotID(F.uuid(7000 + n)), boardID: F.boardID, topicID: F.topicID(id),
                                                  participant: .user(UserID(F.uuid(8000 + n))), key: F.key("d\(n)"), placedAt: F.t0))
            }
        }
        #expect(LeanCoffeeVoteRules.discussionOrder(content) == expected.map(F.topicID))
        // The input order of the records never matters.
        content.topics.reverse()
        content.dots.reverse()
        #expect(LeanCoffeeVoteRules.discussionOrder(content) == expected.map(F.topicID))
    }

    @Test("Withdrawn dots and dots on withdrawn topics do not count toward the order")
    func orderIgnoresWithdrawn() {
        let dot = { (n: Int, topic: Int, withdrawn: Bool) in
            LeanCoffeeDot(id: LeanCoffeeDotID(F.uuid(7000 + n)), boardID: F.boardID, topicID: F.topicID(topic), participant: .user(UserID(F.uuid(n))),
                          key: F.key("d\(n)"), placedAt: F.t0, withdrawnAt: withdrawn ? F.t0 : nil)
        }
        let content = LeanCoffeeContent(topics: [F.topic(1, at: 0), F.topic(2, at: 1), F.topic(3, at: 2, status: .withdrawn)],
                                        dots: [dot(1, 1, true), dot(2, 1, true), dot(3, 2, false), dot(4, 3, false), dot(5, 3, false)])
        #expect(LeanCoffeeVoteRules.discussionOrder(content) == [F.topicID(2), F.topicID(1)])
        #expect(LeanCoffeeVoteRules.tallies(content, in: [F.topicID(1), F.topicID(2), F.topicID(3)]).map(\.dots) == [0, 1, 0])
    }

    /// 50 participants vote in an interleaved order; every request is sent twice (a retry after a
    /// lost answer) and some are refused. The counts equal what was intended, and the last tally
    /// event of each topic equals its count: a client that keeps the last value never drifts.
    @Test("Fifty voters with retries: counts are exact and events never drift")
    func fiftyVoters() throws {
        var world = Self.voting(LeanCoffeeSettings(dotsPerParticipant: 3, guestsAllowed: true), topics: 5)
        let voters: [BoardActor] = (0..<50).map { n in
            n.isMultiple(of: 5)
                ? .guest(GuestPass(guestID: GuestID(F.uuid(3000 + n)), scope: F.boardID.uuid))
                : .user(Principal(userID: UserID(F.uuid(2000 + n)), displayName: nil, isAdmin: false, memberships: [F.wsID: .member]))
        }
        var expected = [Int](repeating: 0, count: 6)
        var rng = BoardTestRandom(seed: 5)
        for round in 0..<4 {
            for (n, voter) in voters.enumerated() {
                let topic = Int(rng.next() % 5) + 1
                let key = "v\(n)-r\(round)"
                let code = boardRuleCode { () throws(DomainError) in try world.dot(topic, by: voter, key: key) }
                if code == "ok" && round < 3 { expected[topic] += 1 }
                #expect(code == (round < 3 ? "ok" : "leanCoffee.noDotsLeft"))
                _ = boardRuleCode { () throws(DomainError) in try world.dot(topic, by: voter, key: key) }
            }
        }
        var last: [LeanCoffeeTopicID: Int] = [:]
        for case .tallyChanged(_, let tally) in world.events { last[tally.topicID] = tally.dots }
        for topic in 1...5 {
            #expect(world.dots(topic) == expected[topic])
            #expect((last[F.topicID(topic)] ?? 0) == expected[topic])
        }
        #expect(LeanCoffeeVoteRules.activeDots(world.content).count == 150)
    }
}

/// A small deterministic generator (SplitMix64) for seeded test data.
struct BoardTestRandom: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    mutating func int(_ bound: Int) -> Int { Int(next() % UInt64(bound)) }
    /// A UUID made from the generator (version 4 layout).
    mutating func uuid() -> UUID {
        var bytes = [UInt8](repeating: 0, count: 16)
        for i in 0..<16 { bytes[i] = UInt8(truncatingIfNeeded: next()) }
        bytes[6] = bytes[6] & 0x0F | 0x40
        bytes[8] = bytes[8] & 0x3F | 0x80
        return UUID(uuid: (bytes[0], bytes[1], bytes[2], bytes[3], bytes[4], bytes[5], bytes[6], bytes[7], bytes[8], bytes[9], bytes[10],
                           bytes[11], bytes[12], bytes[13], bytes[14], bytes[15]))
    }
}
