import Foundation
import HubCore
import HubServices
import HubStoreSQLite
import Synchronization
import Testing

/// The Lean Coffee component's part of the store contract, on every backend.
@Suite("Store contract: Lean Coffee", .cleansUpStores)
struct LeanCoffeeStoreTests {
    struct Fixture {
        let h: StoreHarness
        let creator: User
        let workspace: Workspace
        let board: LeanCoffeeBoard

        init(_ backend: StoreBackend, settings: LeanCoffeeSettings = LeanCoffeeSettings()) async throws {
            h = try await StoreHarness(backend)
            creator = h.user()
            workspace = h.workspace()
            board = LeanCoffeeBoard(id: LeanCoffeeBoardID(UUID()), workspaceID: workspace.id, title: "Lean Coffee Integration",
                                    facilitators: [creator.id], settings: settings, phase: .collect, votingOpened: false, votesRevealed: false,
                                    discussion: nil, createdBy: creator.id, createdAt: h.clock.now(), updatedAt: h.clock.now(), closedAt: nil,
                                    version: 1)
            _ = try await h.store.commit(ChangeSet(changes: [.insertUser(creator, passwordHash: "x"), .insertWorkspace(workspace),
                                                             .leanCoffee(.insertBoard(board))]))
        }

        var lead: BoardActor { .user(Principal(userID: creator.id, displayName: "Leitung", isAdmin: true, memberships: [:])) }

        func topic(_ title: String, by author: ParticipantRef) -> LeanCoffeeTopic {
            LeanCoffeeTopic(id: LeanCoffeeTopicID(UUID()), boardID: board.id, title: title, description: "Beschreibung „\(title)“",
                            author: author, anonymous: false, status: .open, createdAt: h.clock.now(), updatedAt: h.clock.now())
        }
    }

    @Test("A board and all its records round-trip", arguments: StoreBackend.all)
    func roundTrip(backend: StoreBackend) async throws {
        let f = try await Fixture(backend)
        let me = ParticipantRef.user(f.creator.id)
        let topic = f.topic("Übergänge Kita – Schule", by: me)
        let dot = LeanCoffeeDot(id: LeanCoffeeDotID(UUID()), boardID: f.board.id, topicID: topic.id, participant: me,
                                key: IdempotencyKey("key-00000001")!, placedAt: f.h.clock.now())
        let ballot = ContinueBallot(boardID: f.board.id, topicID: topic.id, timebox: 0, participant: me, vote: .up, at: f.h.clock.now())
        let takeaway = LeanCoffeeTakeaway(id: LeanCoffeeTakeawayID(UUID()), boardID: f.board.id, topicID: topic.id, text: "Nächster Schritt",
                                          author: me, createdAt: f.h.clock.now(), updatedAt: f.h.clock.now())
        let guest = BoardGuest(id: GuestID(UUID()), scope: f.board.id.uuid, displayName: "Gast Anna", joinedAt: f.h.clock.now())
        _ = try await f.h.store.commit(ChangeSet(changes: [
            .leanCoffee(.record(.topic(topic))), .leanCoffee(.record(.dot(dot))), .leanCoffee(.record(.ballot(ballot))),
            .leanCoffee(.record(.takeaway(takeaway))), .leanCoffee(.insertGuest(guest, tokenHash: "hash-of-token")),
        ], events: [f.h.event(.leanCoffee(f.board.id), "leanCoffee.topicAdded")]))
        let snapshot = try #require(try await f.h.store.leanCoffeeSnapshot(f.board.id))
        #expect(snapshot.value.board == f.board)
        #expect(snapshot.value.content == LeanCoffeeContent(topics: [topic], dots: [dot], ballots: [ballot], takeaways: [takeaway], guests: [guest]))
        #expect(snapshot.cursor.topic == "leanCoffee:\(f.board.id)")
        #expect(snapshot.cursor.seq == 1)
        #expect(try await f.h.store.boardGuest(tokenHash: "hash-of-token") == guest)
        #expect(try await f.h.store.boardGuest(tokenHash: "other") == nil)
        #expect(try await f.h.store.leanCoffeeBoards(workspace: f.workspace.id).map(\.id) == [f.board.id])
        #expect(try await f.h.store.leanCoffeeBoards(workspace: nil).isEmpty)

        // Erasing the guests (retention): the name becomes neutral, the token stops working, the
        // board no longer has guests to erase; a second erasure changes nothing.
        #expect(try await f.h.store.boardGuestScopes().contains(f.board.id.uuid))
        _ = try await f.h.store.commit(ChangeSet(changes: [.leanCoffee(.eraseGuests(scope: f.board.id.uuid, name: "Gast"))]))
        #expect(try await f.h.store.boardGuest(tokenHash: "hash-of-token") == nil)
        #expect(!(try await f.h.store.boardGuestScopes().contains(f.board.id.uuid)))
        let erased = try #require(try await f.h.store.leanCoffeeSnapshot(f.board.id)).value.content.guests
        #expect(erased.map(\.displayName) == ["Gast"] && erased.map(\.id) == [guest.id], "the guest stays as an author, without the name")
        _ = try await f.h.store.commit(ChangeSet(changes: [.leanCoffee(.eraseGuests(scope: f.board.id.uuid, name: "Anders"))]))
        #expect(try #require(try await f.h.store.leanCoffeeSnapshot(f.board.id)).value.content.guests.map(\.displayName) == ["Gast"])

        // Deleting the board deletes everything on it, the guests' names included.
        _ = try await f.h.store.commit(ChangeSet(changes: [.leanCoffee(.deleteBoard(f.board.id))]))
        #expect(try await f.h.store.leanCoffeeSnapshot(f.board.id) == nil)
        #expect(try await f.h.store.boardGuest(tokenHash: "hash-of-token") == nil)
    }

    @Test("The board is written only on the version it was based on", arguments: StoreBackend.all)
    func conditionalBoard(backend: StoreBackend) async throws {
        let f = try await Fixture(backend)
        var next = f.board
        next.title = "Neuer Titel"
        next.version = 2
        _ = try await f.h.store.commit(ChangeSet(changes: [.leanCoffee(.updateBoard(next))]))
        var stale = f.board
        stale.title = "Verloren"
        stale.version = 2
        await #expect(throws: StoreError.conflict) {
            _ = try await f.h.store.commit(ChangeSet(changes: [.leanCoffee(.updateBoard(stale))]))
        }
        #expect(try await f.h.store.leanCoffeeBoard(f.board.id)?.title == "Neuer Titel")
    }

    @Test("A dot's idempotency key is unique per board and participant", arguments: StoreBackend.all)
    func uniqueKeys(backend: StoreBackend) async throws {
        let f = try await Fixture(backend)
        let me = ParticipantRef.user(f.creator.id)
        let topic = f.topic("Thema", by: me)
        let key = IdempotencyKey("same-key-123")!
        func dot() -> LeanCoffeeDot {
            LeanCoffeeDot(id: LeanCoffeeDotID(UUID()), boardID: f.board.id, topicID: topic.id, participant: me, key: key, placedAt: f.h.clock.now())
        }
        _ = try await f.h.store.commit(ChangeSet(changes: [.leanCoffee(.record(.topic(topic))), .leanCoffee(.record(.dot(dot())))]))
        await #expect(throws: StoreError.duplicate("idempotencyKey")) {
            _ = try await f.h.store.commit(ChangeSet(changes: [.leanCoffee(.record(.dot(dot())))]))
        }
        // Another participant may use the same key.
        let other = LeanCoffeeDot(id: LeanCoffeeDotID(UUID()), boardID: f.board.id, topicID: topic.id, participant: .guest(GuestID(UUID())),
                                  key: key, placedAt: f.h.clock.now())
        _ = try await f.h.store.commit(ChangeSet(changes: [.leanCoffee(.record(.dot(other)))]))
        #expect(try await f.h.store.leanCoffeeSnapshot(f.board.id)?.value.content.dots.count == 2)
    }

    @Test("Concurrent dots of one participant decided inside the transaction never exceed the limit", arguments: StoreBackend.all)
    func concurrentLimit(backend: StoreBackend) async throws {
        var settings = LeanCoffeeSettings()
        settings.dotsPerParticipant = 3
        let f = try await Fixture(backend, settings: settings)
        let me = ParticipantRef.user(f.creator.id)
        let topic = f.topic("Thema", by: me)
        var voting = f.board
        voting.phase = .vote
        voting.votingOpened = true
        voting.version = 2
        _ = try await f.h.store.commit(ChangeSet(changes: [.leanCoffee(.record(.topic(topic))), .leanCoffee(.updateBoard(voting))]))
        let lead = f.lead
        let now = f.h.clock.now()
        // Ten requests at once with ten keys: exactly three count, the others are refused.
        let results = await withTaskGroup(of: Bool.self) { group in
            for i in 0..<10 {
                group.addTask {
                    do {
                        _ = try await f.h.store.commitLeanCoffee(f.board.id) { state in
                            let state = try #require(state)
                            let outcome = try LeanCoffeeVoteRules.placeDot(on: topic.id, key: IdempotencyKey("concurrent-\(i)")!,
                                                                           id: LeanCoffeeDotID(UUID()), board: state.board, content: state.content,
                                                                           by: lead, now: now)
                            return ChangeSet(changes: outcome.changes.map { .leanCoffee(.record($0)) })
                        }
                        return true
                    } catch {
                        return false
                    }
                }
            }
            var ok = 0
            for await result in group where result { ok += 1 }
            return ok
        }
        #expect(results == 3)
        let dots = try #require(try await f.h.store.leanCoffeeSnapshot(f.board.id)).value.content.dots
        #expect(dots.count == 3)
    }

    @Test("Decisions on a busy board stay exact: refused, replayed, rolled back and concurrent votes leave the board as its rows",
          arguments: StoreBackend.all)
    func decisionsStayExact(backend: StoreBackend) async throws {
        var settings = LeanCoffeeSettings()
        settings.dotsPerParticipant = 3
        settings.guestsAllowed = true
        let f = try await Fixture(backend, settings: settings)
        let lead = f.lead
        let me = ParticipantRef.user(f.creator.id)
        let topics = [f.topic("Erstes Thema", by: me), f.topic("Zweites Thema", by: me)]
        var voting = f.board
        voting.phase = .vote
        voting.votingOpened = true
        voting.version = 2
        _ = try await f.h.store.commit(ChangeSet(changes: topics.map { .leanCoffee(.record(.topic($0))) } + [.leanCoffee(.updateBoard(voting))]))
        let now = f.h.clock.now()
        let guests = (0..<12).map { _ in BoardActor.guest(GuestPass(guestID: GuestID(UUID()), scope: f.board.id.uuid)) }
        // Decides one vote as the service does; true when it counted.
        @Sendable func vote(_ actor: BoardActor, _ topic: LeanCoffeeTopicID, _ key: String, place: Bool) async -> Bool {
            do {
                _ = try await f.h.store.commitLeanCoffee(f.board.id) { state in
                    let state = try #require(state)
                    let key = IdempotencyKey(key)!
                    let outcome = place
                        ? try LeanCoffeeVoteRules.placeDot(on: topic, key: key, id: LeanCoffeeDotID(UUID()), board: state.board, content: state.content,
                                                           by: actor, now: now)
                        : try LeanCoffeeVoteRules.removeDot(from: topic, key: key, board: state.board, content: state.content, by: actor, now: now)
                    return ChangeSet(changes: outcome.changes.map { .leanCoffee(.record($0)) })
                }
                return true
            } catch {
                return false
            }
        }
        // Twelve guests vote four times each at once (one of the four is refused: three dots each).
        let counted = await withTaskGroup(of: Bool.self) { group in
            for (g, guest) in guests.enumerated() {
                for i in 0..<4 { group.addTask { await vote(guest, topics[i % 2].id, "guest-\(g)-vote-\(i)", place: true) } }
            }
            var ok = 0
            for await result in group where result { ok += 1 }
            return ok
        }
        #expect(counted == 36)
        // A replay counts nothing new; taking back a dot frees one.
        #expect(await vote(guests[0], topics[0].id, "guest-0-vote-0", place: true))
        #expect(await vote(guests[0], topics[0].id, "guest-0-take-back", place: false))
        #expect(await vote(guests[0], topics[1].id, "guest-0-again", place: true))
        // A decision whose write fails (its dot's key is already taken on the board) rolls back
        // its savepoint: the board must not keep the dot it decided on.
        let taken = try #require(try await f.h.store.leanCoffeeSnapshot(f.board.id)).value.content.dots.first { $0.participant == me } == nil
        #expect(taken, "the lead has not voted yet")
        #expect(await vote(lead, topics[0].id, "lead-key-1", place: true))
        await #expect(throws: StoreError.duplicate("idempotencyKey")) {
            _ = try await f.h.store.commitLeanCoffee(f.board.id) { state in
                let state = try #require(state)
                // A fresh dot id under a key the lead already used: the rule would see no earlier
                // use if it were handed a board without it, the unique key refuses the row.
                let dot = LeanCoffeeDot(id: LeanCoffeeDotID(UUID()), boardID: state.board.id, topicID: topics[1].id, participant: me,
                                        key: IdempotencyKey("lead-key-1")!, placedAt: now)
                return ChangeSet(changes: [.leanCoffee(.record(.dot(dot)))])
            }
        }
        // The next decision sees exactly the rows: the lead has two dots left, not one.
        #expect(await vote(lead, topics[0].id, "lead-key-2", place: true))
        #expect(await vote(lead, topics[0].id, "lead-key-3", place: true))
        #expect(!(await vote(lead, topics[1].id, "lead-key-4", place: true)), "three dots are the limit")
        if let sqlite = f.h.store as? SQLiteStore {
            #expect(try await sqlite.leanCoffeeCacheMismatches().isEmpty, "the board kept between decisions reads as its rows")
        }
        // A topic withdrawn outside a decision (a plain change set) changes what counts.
        var withdrawn = topics[1]
        withdrawn.status = .withdrawn
        _ = try await f.h.store.commit(ChangeSet(changes: [.leanCoffee(.record(.topic(withdrawn)))]))
        #expect(await vote(guests[1], topics[0].id, "guest-1-after-withdrawal", place: true), "the dots on the withdrawn topic came back")

        let stored = try #require(try await f.h.store.leanCoffeeSnapshot(f.board.id)).value
        let active = LeanCoffeeVoteRules.activeDots(stored.content)
        #expect(LeanCoffeeVoteRules.count(stored.content, topic: topics[0].id) == active.filter { $0.topicID == topics[0].id }.count)
        #expect(LeanCoffeeVoteRules.totalDots(stored.content) == active.count)
        #expect(LeanCoffeeVoteRules.voters(stored.content) == Set(active.map(\.participant)).count)
        #expect(stored.content.dots.filter { $0.participant == me }.count == 3)
        if let sqlite = f.h.store as? SQLiteStore {
            #expect(try await sqlite.leanCoffeeCacheMismatches().isEmpty, "the board kept between decisions reads as its rows")
        }
    }
}
