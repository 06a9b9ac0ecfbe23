import Foundation
import HubCore
import Testing

@Suite("Lean Coffee: creating boards and moving through the phases")
struct LeanCoffeePhaseTests {
    typealias F = LeanCoffeeFixtures

    static let topics = [F.topic(1), F.topic(2, at: 1)]

    @Test("Who may start a board in a workspace", arguments: [
        (F.adminUser, "ok"), (F.coordinatorUser, "ok"), (F.memberUser, "ok"), (F.observerUser, "forbidden"),
        (F.outsiderUser, "forbidden"), (Principal.anonymous, "auth.required"),
    ])
    func createInWorkspace(actor: Principal, code: String) {
        #expect(boardRuleCode { () throws(DomainError) in
            try LeanCoffeeBoardRules.create(LeanCoffeeDraft(title: "Lean Coffee", workspaceID: F.wsID), id: F.boardID, workspace: F.workspace(),
                                            by: actor, now: F.t0, today: F.today)
        } == code)
    }

    @Test("Anyone signed in may start a standalone board; the creator facilitates; it starts collecting")
    func createStandalone() throws {
        let outcome = try LeanCoffeeBoardRules.create(LeanCoffeeDraft(title: "  Planungskonferenz   Runde 1 "), id: F.boardID, workspace: nil,
                                                      by: F.outsiderUser, now: F.t0, today: F.today)
        let board = outcome.board
        #expect(board.title == "Planungskonferenz Runde 1" && board.workspaceID == nil && board.phase == .collect)
        #expect(board.facilitators == [F.outsiderUser.userID!] && board.version == 1 && !board.votingOpened)
        #expect(outcome.boardChanged && outcome.events == [.boardCreated(board)])
        #expect(outcome.events[0].name == "leanCoffee.boardCreated" && outcome.events[0].boardID == F.boardID)
    }

    @Test("An archived workspace refuses new boards; a mismatched workspace is not found")
    func createRefusals() {
        #expect(boardRuleCode { () throws(DomainError) in
            try LeanCoffeeBoardRules.create(LeanCoffeeDraft(title: "Lean Coffee", workspaceID: F.wsID), id: F.boardID,
                                            workspace: F.workspace(archived: true), by: F.memberUser, now: F.t0, today: F.today)
        } == "workspace.archived")
        #expect(boardRuleCode { () throws(DomainError) in
            try LeanCoffeeBoardRules.create(LeanCoffeeDraft(title: "Lean Coffee", workspaceID: WorkspaceID(F.uuid(77))), id: F.boardID,
                                            workspace: F.workspace(), by: F.memberUser, now: F.t0, today: F.today)
        } == "workspace.notFound")
    }

    @Test("Settings are validated", arguments: [
        (LeanCoffeeSettings(dotsPerParticipant: 0), ["settings.dotsPerParticipant"]),
        (LeanCoffeeSettings(dotsPerParticipant: 21), ["settings.dotsPerParticipant"]),
        (LeanCoffeeSettings(dotsPerParticipant: 3, maxDotsPerTopic: 4), ["settings.maxDotsPerTopic"]),
        (LeanCoffeeSettings(maxDotsPerTopic: 0), ["settings.maxDotsPerTopic"]),
        (LeanCoffeeSettings(timeboxMinutes: []), ["settings.timeboxMinutes"]),
        (LeanCoffeeSettings(timeboxMinutes: [8, 0, 61]), ["settings.timeboxMinutes[1]", "settings.timeboxMinutes[2]"]),
        (LeanCoffeeSettings(timeboxMinutes: [1, 1, 1, 1, 1, 1, 1]), ["settings.timeboxMinutes"]),
        (LeanCoffeeSettings(topicsPerParticipant: 0), ["settings.topicsPerParticipant"]),
        (LeanCoffeeSettings(dotsPerParticipant: 5, maxDotsPerTopic: 1, timeboxMinutes: [10]), []),
    ])
    func settings(settings: LeanCoffeeSettings, fields: [String]) {
        #expect(settings.issues().map(\.field) == fields)
    }

    /// Every (from, to) pair: "ok", "noop" or the refusal's code.
    @Test("The phase graph", arguments: [
        (LeanCoffeePhase.collect, LeanCoffeePhase.collect, "noop"),
        (.collect, .vote, "ok"),
        (.collect, .discuss, "leanCoffee.invalidTransition"),
        (.collect, .closed, "ok"),
        (.vote, .collect, "ok"),
        (.vote, .vote, "noop"),
        (.vote, .discuss, "ok"),
        (.vote, .closed, "ok"),
        (.discuss, .collect, "leanCoffee.invalidTransition"),
        (.discuss, .vote, "leanCoffee.invalidTransition"),
        (.discuss, .discuss, "noop"),
        (.discuss, .closed, "ok"),
        (.closed, .collect, "leanCoffee.phaseClosed"),
        (.closed, .vote, "leanCoffee.phaseClosed"),
        (.closed, .discuss, "leanCoffee.phaseClosed"),
        (.closed, .closed, "noop"),
    ])
    func phaseGraph(from: LeanCoffeePhase, to: LeanCoffeePhase, expected: String) {
        var board = F.board(from)
        if from == .discuss { board.discussion = LeanCoffeeDiscussion(queue: [], current: nil, timebox: 0, startedAt: nil, endsAt: nil) }
        let result = Result { () throws(DomainError) in
            try LeanCoffeeBoardRules.changePhase(board, to: to, content: LeanCoffeeContent(topics: Self.topics), by: F.facilitator, now: F.minutes(3))
        }
        switch result {
        case .success(let outcome) where outcome.events.isEmpty:
            #expect(expected == "noop" && outcome.replayed && outcome.board == board)
        case .success(let outcome):
            #expect(expected == "ok")
            #expect(outcome.board.phase == to && outcome.board.version == 2 && outcome.boardChanged)
            #expect(outcome.events.first == .phaseChanged(outcome.board, from: from) || to == .discuss)
        case .failure(let error):
            #expect(error.code == expected)
            #expect(error.kind == .invalidTransition)
        }
        #expect(LeanCoffeeBoardRules.transitions[from, default: []].contains(to) == (expected == "ok"))
    }

    @Test("Only facilitators move the phase", arguments: [
        (F.facilitator, "ok"), (F.coordinator, "ok"), (F.admin, "ok"), (F.member, "leanCoffee.facilitatorOnly"),
        (F.observer, "leanCoffee.facilitatorOnly"), (F.outsider, "leanCoffee.notFound"), (F.anonymous, "auth.required"),
    ])
    func phaseByRole(actor: BoardActor, code: String) {
        #expect(boardRuleCode { () throws(DomainError) in
            try LeanCoffeeBoardRules.changePhase(F.board(), to: .vote, content: LeanCoffeeContent(topics: Self.topics), by: actor, now: F.t0)
        } == code)
    }

    @Test("Guests never move the phase, even where they take part")
    func guestsDoNotFacilitate() {
        let board = F.board(settings: LeanCoffeeSettings(guestsAllowed: true))
        #expect(boardRuleCode { () throws(DomainError) in
            try LeanCoffeeBoardRules.changePhase(board, to: .vote, content: LeanCoffeeContent(topics: Self.topics), by: F.guest, now: F.t0)
        } == "leanCoffee.facilitatorOnly")
    }

    @Test("Voting and discussing need a topic; withdrawn topics do not count")
    func needsTopics() {
        let withdrawn = LeanCoffeeContent(topics: [F.topic(1, status: .withdrawn)])
        #expect(boardRuleCode { () throws(DomainError) in
            try LeanCoffeeBoardRules.changePhase(F.board(), to: .vote, content: withdrawn, by: F.facilitator, now: F.t0)
        } == "leanCoffee.noTopics")
        #expect(boardRuleCode { () throws(DomainError) in
            try LeanCoffeeBoardRules.changePhase(F.board(.vote), to: .discuss, content: LeanCoffeeContent(), by: F.facilitator, now: F.t0)
        } == "leanCoffee.noTopics")
        #expect(boardRuleCode { () throws(DomainError) in
            try LeanCoffeeBoardRules.changePhase(F.board(), to: .closed, content: LeanCoffeeContent(), by: F.facilitator, now: F.t0)
        } == "ok", "an empty board can still be closed")
    }

    @Test("Opening the vote freezes the voting settings; the rest stays adjustable")
    func votingSettingsFreeze() throws {
        var world = LeanCoffeeWorld(F.board(), topics: Self.topics)
        let beforeVote = try LeanCoffeeBoardRules.update(world.board, with: LeanCoffeePatch(settings: LeanCoffeeSettings(dotsPerParticipant: 5)),
                                                         expectedVersion: 1, by: F.facilitator, now: F.t0)
        #expect(beforeVote.board.settings.dotsPerParticipant == 5 && beforeVote.board.version == 2)
        world.apply(beforeVote)
        try world.phase(.vote)
        #expect(world.board.votingOpened)
        try world.phase(.collect)
        #expect(world.board.votingOpened, "going back to collecting keeps the dots and the freeze")
        for locked in [LeanCoffeeSettings(dotsPerParticipant: 4), LeanCoffeeSettings(dotsPerParticipant: 5, maxDotsPerTopic: 1),
                       LeanCoffeeSettings(dotsPerParticipant: 5, votesHidden: true)] {
            #expect(boardRuleCode { () throws(DomainError) in
                try LeanCoffeeBoardRules.update(world.board, with: LeanCoffeePatch(settings: locked), expectedVersion: world.board.version,
                                                by: F.facilitator, now: F.t0)
            } == "leanCoffee.settingsLocked")
        }
        let adjusted = LeanCoffeeSettings(dotsPerParticipant: 5, anonymousTopicsAllowed: false, timeboxMinutes: [5, 3], guestsAllowed: true)
        let outcome = try LeanCoffeeBoardRules.update(world.board, with: LeanCoffeePatch(settings: adjusted), expectedVersion: world.board.version,
                                                      by: F.facilitator, now: F.t0)
        #expect(outcome.board.settings == adjusted && outcome.events == [.boardUpdated(outcome.board)])
    }

    @Test("Updating: version, facilitators, title, no-op")
    func update() throws {
        let board = F.board()
        #expect(throws: DomainError.versionConflict) {
            try LeanCoffeeBoardRules.update(board, with: LeanCoffeePatch(title: "Neu"), expectedVersion: 0, by: F.facilitator, now: F.t0)
        }
        #expect(boardRuleCode { () throws(DomainError) in
            try LeanCoffeeBoardRules.update(board, with: LeanCoffeePatch(facilitators: []), expectedVersion: 1, by: F.facilitator, now: F.t0)
        } == "validation.failed")
        #expect(boardRuleCode { () throws(DomainError) in
            try LeanCoffeeBoardRules.update(board, with: LeanCoffeePatch(title: "x"), expectedVersion: 1, by: F.facilitator, now: F.t0)
        } == "validation.failed")
        #expect(boardRuleCode { () throws(DomainError) in
            try LeanCoffeeBoardRules.update(board, with: LeanCoffeePatch(title: "Neu"), expectedVersion: 1, by: F.member, now: F.t0)
        } == "leanCoffee.facilitatorOnly")
        let member = F.memberUser.userID!
        let added = try LeanCoffeeBoardRules.update(board, with: LeanCoffeePatch(facilitators: [F.facilitatorUser.userID!, member, member]),
                                                    expectedVersion: 1, by: F.facilitator, now: F.minutes(1))
        #expect(added.board.facilitators == [F.facilitatorUser.userID!, member] && added.board.updatedAt == F.minutes(1))
        #expect(added.board.access.role(of: F.member) == .lead)
        let same = try LeanCoffeeBoardRules.update(board, with: LeanCoffeePatch(title: " Lean Coffee  Inklusion "), expectedVersion: 1,
                                                   by: F.facilitator, now: F.t0)
        #expect(same.events.isEmpty && !same.boardChanged && same.board.version == 1)
    }

    @Test("Entering the discussion reveals hidden votes, fixes the order and starts the first timebox")
    func enterDiscussion() throws {
        var world = LeanCoffeeWorld(F.board(settings: LeanCoffeeSettings(votesHidden: true)), topics: [F.topic(1), F.topic(2, at: 1), F.topic(3, at: 2)])
        try world.phase(.vote)
        try world.dot(3, by: F.member, key: "a")
        try world.dot(3, by: F.member2, key: "b")
        try world.dot(2, by: F.member2, key: "c")
        world.events = []
        try world.phase(.discuss, at: 10)
        let queue = [F.topicID(3), F.topicID(2), F.topicID(1)]
        #expect(world.board.discussion?.queue == queue)
        #expect(world.board.discussion?.current == F.topicID(3))
        #expect(world.board.discussion?.endsAt == F.minutes(18) && world.board.discussion?.timebox == 0)
        #expect(world.board.votesRevealed && world.board.talliesVisible)
        #expect(world.content.topic(F.topicID(3))?.status == .discussing)
        #expect(world.content.topic(F.topicID(3))?.discussionStartedAt == F.minutes(10))
        #expect(world.events.map(\.name) == ["leanCoffee.phaseChanged", "leanCoffee.votesRevealed", "leanCoffee.topicStarted"])
        #expect(world.events[1] == .votesRevealed(board: F.boardID, [TopicTally(topicID: F.topicID(3), dots: 2),
                                                                     TopicTally(topicID: F.topicID(2), dots: 1),
                                                                     TopicTally(topicID: F.topicID(1), dots: 0)]))
        #expect(world.events[2] == .topicStarted(board: F.boardID, topic: F.topicID(3), timebox: 0, endsAt: F.minutes(18)))
    }

    @Test("Closing during the discussion ends the current topic and publishes the summary")
    func closeDuringDiscussion() throws {
        var world = LeanCoffeeWorld(F.board(), topics: [F.topic(1), F.topic(2, at: 1)])
        try world.phase(.vote)
        try world.phase(.discuss, at: 10)
        world.events = []
        try world.phase(.closed, at: 13)
        #expect(world.board.phase == .closed && world.board.closedAt == F.minutes(13) && world.board.discussion?.current == nil)
        #expect(world.content.topic(F.topicID(1))?.status == .discussed)
        #expect(world.content.topic(F.topicID(1))?.discussionEndedAt == F.minutes(13))
        #expect(world.events.map(\.name) == ["leanCoffee.topicFinished", "leanCoffee.phaseChanged", "leanCoffee.boardClosed"])
        guard case .boardClosed(let board, let summary) = world.events.last else {
            Issue.record("no summary")
            return
        }
        #expect(board == world.board)
        #expect(summary.topics.map(\.topicID) == [F.topicID(1), F.topicID(2)])
        #expect(summary.topics.map(\.discussed) == [true, false] && summary.topics[0].discussedMinutes == 3)
    }

    @Test("A closed board refuses every change with leanCoffee.phaseClosed")
    func closedIsReadOnly() throws {
        let board = F.board(.closed, settings: LeanCoffeeSettings(guestsAllowed: true))
        let content = LeanCoffeeContent(topics: [F.topic(1, status: .discussed)])
        let codes = [
            boardRuleCode { () throws(DomainError) in
                try LeanCoffeeBoardRules.update(board, with: LeanCoffeePatch(title: "Neu"), expectedVersion: 1, by: F.facilitator, now: F.t0)
            },
            boardRuleCode { () throws(DomainError) in
                try LeanCoffeeBoardRules.joinAsGuest(board, guestID: F.guestID, displayName: "Gast", existing: nil, now: F.t0)
            },
            boardRuleCode { () throws(DomainError) in
                try LeanCoffeeTopicRules.add(LeanCoffeeTopicDraft(title: "Neu"), id: LeanCoffeeTopicID(F.uuid(1)), board: board, content: content,
                                             by: F.member, now: F.t0)
            },
            boardRuleCode { () throws(DomainError) in
                try LeanCoffeeTopicRules.withdraw(F.topicID(1), board: board, content: content, by: F.facilitator, now: F.t0)
            },
            boardRuleCode { () throws(DomainError) in
                try LeanCoffeeVoteRules.placeDot(on: F.topicID(1), key: F.key("z"), id: LeanCoffeeDotID(F.uuid(1)), board: board, content: content,
                                                 by: F.member, now: F.t0)
            },
            boardRuleCode { () throws(DomainError) in
                try LeanCoffeeVoteRules.removeDot(from: F.topicID(1), key: F.key("z"), board: board, content: content, by: F.member, now: F.t0)
            },
            boardRuleCode { () throws(DomainError) in
                try LeanCoffeeBoardRules.revealVotes(board, content: content, by: F.facilitator, now: F.t0)
            },
            boardRuleCode { () throws(DomainError) in
                try LeanCoffeeDiscussionRules.castContinueVote(.up, on: F.topicID(1), timebox: 0, board: board, content: content, by: F.member,
                                                               now: F.t0)
            },
            boardRuleCode { () throws(DomainError) in
                try LeanCoffeeDiscussionRules.nextTopic(after: F.topicID(1), board: board, content: content, by: F.facilitator, now: F.t0)
            },
            boardRuleCode { () throws(DomainError) in
                try LeanCoffeeTopicRules.addTakeaway("Noch etwas", to: F.topicID(1), id: LeanCoffeeTakeawayID(F.uuid(1)), board: board,
                                                     content: content, by: F.member, now: F.t0)
            },
        ]
        #expect(codes == Array(repeating: "leanCoffee.phaseClosed", count: codes.count))
    }
}
