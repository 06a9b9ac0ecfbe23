import Foundation
import HubCore
import Testing

/// The dot ledger's indexes and the vote rules that use them (counts, voters, what a voter
/// has left, the standing a short answer reports) against a count made from scratch over every
/// dot, after every step of seeded random voting, withdrawals included.
@Suite("Lean Coffee: the dot ledger")
struct LeanCoffeeLedgerTests {
    typealias F = LeanCoffeeFixtures

    /// The counts as the rules define them, from all dots (the reference).
    struct Reference {
        let content: LeanCoffeeContent

        var active: [LeanCoffeeDot] {
            let withdrawn = Set(content.topics.filter { $0.status == .withdrawn }.map(\.id))
            return content.dots.filter { !$0.isWithdrawn && !withdrawn.contains($0.topicID) }
        }

        func count(_ topic: LeanCoffeeTopicID) -> Int { active.filter { $0.topicID == topic }.count }
        var voters: Int { Set(active.map(\.participant)).count }
        func mine(_ participant: ParticipantRef) -> [LeanCoffeeDot] { active.filter { $0.participant == participant } }
    }

    /// A small deterministic generator (the test must fail the same way every time).
    struct Seeded: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return state
        }
    }

    @Test("Counts, voters, dots left and standings equal a count from scratch after every vote", arguments: [1, 2, 3])
    func randomVoting(seed: UInt64) throws {
        var random = Seeded(state: seed)
        let settings = LeanCoffeeSettings(dotsPerParticipant: 4, maxDotsPerTopic: 3, votesHidden: seed == 2, guestsAllowed: true)
        var world = LeanCoffeeWorld(F.board(.vote, settings: settings), topics: (1...4).map { F.topic($0, at: Double($0)) })
        let people: [BoardActor] = [F.member, F.member2, F.facilitator, F.admin, F.guest]
        var keys = 0
        for step in 0..<400 {
            let actor = people[Int.random(in: 0..<people.count, using: &random)]
            let topic = Int.random(in: 1...4, using: &random)
            let me = try #require(actor.participant)
            let before = world.content
            keys += 1
            let place = Bool.random(using: &random) || step < 20
            let key = "k\(keys)"
            let outcome: LeanCoffeeOutcome
            do {
                outcome = place
                    ? try LeanCoffeeVoteRules.placeDot(on: F.topicID(topic), key: F.key(key), id: LeanCoffeeDotID(world.fresh()), board: world.board,
                                                       content: before, by: actor, now: F.minutes(Double(step)))
                    : try LeanCoffeeVoteRules.removeDot(from: F.topicID(topic), key: F.key(key), board: world.board, content: before, by: actor,
                                                        now: F.minutes(Double(step)))
            } catch {
                // Refused: the reference must agree that it had to be.
                let mine = Reference(content: before).mine(me)
                if place {
                    #expect(mine.count >= 4 || mine.filter { $0.topicID == F.topicID(topic) }.count >= 3 || before.topic(F.topicID(topic))?.status != .open)
                } else {
                    #expect(mine.filter { $0.topicID == F.topicID(topic) }.isEmpty || before.topic(F.topicID(topic))?.status != .open)
                }
                continue
            }
            let standing = LeanCoffeeVoteRules.standing(after: outcome, on: F.topicID(topic), board: world.board, before: before, for: me)
            world.apply(outcome)
            let after = Reference(content: world.content)
            #expect(standing.topicDots == after.count(F.topicID(topic)))
            #expect(standing.totalDots == after.active.count)
            #expect(standing.voters == after.voters)
            #expect(standing.dotsLeft == 4 - after.mine(me).count)
            #expect(standing.myDotsOnTopic == after.mine(me).filter { $0.topicID == F.topicID(topic) }.count)
            switch outcome.events.last {
            case .tallyChanged(_, let tally)?: #expect(tally.dots == after.count(tally.topicID))
            case .voteProgress(_, let dots, let voters)?: #expect(dots == after.active.count && voters == after.voters)
            default: Issue.record("a vote reports its count")
            }
            for t in 1...4 { #expect(LeanCoffeeVoteRules.count(world.content, topic: F.topicID(t)) == after.count(F.topicID(t))) }
            #expect(LeanCoffeeVoteRules.voters(world.content) == after.voters)
            // A topic withdrawn midway gives its dots back (the slow path of `voters`).
            if step == 200 {
                var withdrawn = try #require(world.content.topic(F.topicID(2)))
                withdrawn.status = .withdrawn
                world.content.apply([.topic(withdrawn)])
                let reference = Reference(content: world.content)
                #expect(LeanCoffeeVoteRules.voters(world.content) == reference.voters)
                #expect(LeanCoffeeVoteRules.totalDots(world.content) == reference.active.count)
                #expect(LeanCoffeeVoteRules.count(world.content, topic: F.topicID(2)) == 0)
            }
        }
        // Built at once from the same dots, the ledger is the same.
        let rebuilt = LeanCoffeeContent(topics: world.content.topics, dots: world.content.dots)
        #expect(rebuilt.ledger == world.content.ledger && rebuilt.ledger.placers == world.content.ledger.placers)
        #expect(rebuilt.ledger.placedPerTopic == world.content.ledger.placedPerTopic)
        #expect(world.content.dots.count > 100, "the run placed enough dots to mean something")
    }

    @Test("Applying in place keeps topics in the store's order (creation time, then id)")
    func topicOrder() {
        var content = LeanCoffeeContent(topics: [F.topic(1, at: 1), F.topic(3, at: 3)])
        content.apply([.topic(F.topic(2, at: 2)), .topic(F.topic(4, at: 0.5))])
        #expect(content.topics.map(\.id) == [F.topicID(4), F.topicID(1), F.topicID(2), F.topicID(3)])
    }
}
