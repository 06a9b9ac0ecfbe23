import Foundation
import HubCore
import HubServices
import Testing

/// The recommendations component's part of the store contract, on every backend.
@Suite("Store contract: recommendations", .cleansUpStores)
struct RecommendationStoreTests {
    /// A workspace with one user, committed; and a draft at revision 1.
    struct Fixture {
        let h: StoreHarness
        let author: User
        let workspace: Workspace
        let draft: Recommendation
        let first: RecommendationRevision

        init(_ backend: StoreBackend) async throws {
            h = try await StoreHarness(backend)
            author = h.user()
            workspace = h.workspace()
            var profile = RecommendationProfile(title: "Sprachstandserhebung in Kitas")
            profile.goals = "Alle Kinder werden **vor** der Einschulung erreicht."
            profile.resources = Resources(personnelFTE: 1.5, durationMonths: 12, moneyEuroPerYear: 85_000, note: "")
            profile.indicators = [IndicatorSpec(name: "Erreichte Kinder", unit: "%", baseline: 40, target: 90, direction: .increase, source: "Jugendamt")]
            draft = Recommendation(id: RecommendationID(UUID()), workspaceID: workspace.id, status: .draft, profile: profile, revision: 1,
                                   createdBy: author.id, createdAt: h.clock.now(), updatedAt: h.clock.now(), reference: nil)
            first = RecommendationRevision(recommendationID: draft.id, number: 1, authorID: author.id, organizationID: nil, at: h.clock.now(),
                                           profile: profile, changedSections: [.title, .goals])
            _ = try await h.store.commit(ChangeSet(changes: [.insertUser(author, passwordHash: "x"), .insertWorkspace(workspace),
                                                             .recommendation(.insert(draft, first))]))
        }

        func revision(_ n: Int, goals: String) -> (Recommendation, RecommendationRevision) {
            var next = draft
            next.profile.goals = goals
            next.revision = n
            return (next, RecommendationRevision(recommendationID: draft.id, number: n, authorID: author.id, organizationID: nil,
                                                 at: h.clock.now(), profile: next.profile, changedSections: [.goals]))
        }
    }

    @Test("A draft and its revisions round-trip, profile included", arguments: StoreBackend.all)
    func roundTrip(backend: StoreBackend) async throws {
        let f = try await Fixture(backend)
        #expect(try await f.h.store.recommendation(f.draft.id) == f.draft)
        let (second, revision) = f.revision(2, goals: "Neue Ziele – mit Umlauten äöü und \"Anführungszeichen\"")
        _ = try await f.h.store.commit(ChangeSet(changes: [.recommendation(.addRevision(second, revision))]))
        #expect(try await f.h.store.recommendation(f.draft.id) == second)
        #expect(try await f.h.store.revisions(of: f.draft.id) == [f.first, revision])
        #expect(try await f.h.store.revision(of: f.draft.id, number: 2) == revision)
        #expect(try await f.h.store.revision(of: f.draft.id, number: 3) == nil)
        #expect(try await f.h.store.recommendations(in: f.workspace.id) == [second])
        #expect(try await f.h.store.drafts().map(\.id) == [f.draft.id])
    }

    @Test("Two revisions based on the same one: exactly one is stored, the other is a conflict", arguments: StoreBackend.all)
    func revisionRace(backend: StoreBackend) async throws {
        let f = try await Fixture(backend)
        let outcomes = await withTaskGroup(of: Bool.self) { group in
            for goals in ["Variante A", "Variante B", "Variante C"] {
                group.addTask {
                    let (next, revision) = f.revision(2, goals: goals)
                    return (try? await f.h.store.commit(ChangeSet(changes: [.recommendation(.addRevision(next, revision))]))) != nil
                }
            }
            return await group.reduce(into: []) { $0.append($1) }
        }
        #expect(outcomes.filter { $0 }.count == 1)
        #expect(try await f.h.store.revisions(of: f.draft.id).count == 2)
    }

    @Test("A sign-off holds only for the current revision; finishing and the catalogue reference are unique", arguments: StoreBackend.all)
    func signOffAndCatalogue(backend: StoreBackend) async throws {
        let f = try await Fixture(backend)
        let stale = SignOff(recommendationID: f.draft.id, capacity: .coordinator, userID: f.author.id, revision: 2, at: f.h.clock.now())
        await #expect(throws: StoreError.conflict) {
            try await f.h.store.commit(ChangeSet(changes: [.recommendation(.insertSignOff(stale))]))
        }
        let signOff = SignOff(recommendationID: f.draft.id, capacity: .coordinator, userID: f.author.id, revision: 1, at: f.h.clock.now())
        _ = try await f.h.store.commit(ChangeSet(changes: [.recommendation(.insertSignOff(signOff))]))
        await #expect(throws: StoreError.duplicate("signOff")) {
            try await f.h.store.commit(ChangeSet(changes: [.recommendation(.insertSignOff(signOff))]))
        }
        #expect(try await f.h.store.signOffs(of: f.draft.id) == [signOff])

        let reference = CatalogueReference(year: 2026, number: 1)
        var finished = f.draft
        finished.status = .finished
        finished.reference = reference.description
        let entry = CatalogueEntry(reference: reference, recommendationID: f.draft.id, workspaceID: f.workspace.id, workspaceName: f.workspace.name,
                                   revision: 1, profile: f.draft.profile, finishedAt: f.h.clock.now(), consensus: nil)
        _ = try await f.h.store.commit(ChangeSet(changes: [.recommendation(.finish(finished, expectedRevision: 1)),
                                                           .recommendation(.insertCatalogueEntry(entry))],
                                                 events: [f.h.event(.catalogue, "catalogue.entryAdded")]))
        #expect(try await f.h.store.catalogueEntry(reference) == entry)
        #expect(try await f.h.store.lastCatalogueNumber(year: 2026) == 1)
        #expect(try await f.h.store.lastCatalogueNumber(year: 2025) == 0)
        let snapshot = try await f.h.store.catalogue()
        #expect(snapshot.value == [entry] && snapshot.cursor.seq == 1 && snapshot.cursor.topic == "catalogue")
        // A finished recommendation takes no more revisions.
        let (late, lateRevision) = f.revision(2, goals: "zu spät")
        await #expect(throws: StoreError.conflict) {
            try await f.h.store.commit(ChangeSet(changes: [.recommendation(.addRevision(late, lateRevision))]))
        }
        // The same reference twice is a duplicate the use case retries with the next number.
        let other = try await Fixture(backend)
        let clash = CatalogueEntry(reference: reference, recommendationID: other.draft.id, workspaceID: other.workspace.id, workspaceName: "x",
                                   revision: 1, profile: other.draft.profile, finishedAt: other.h.clock.now(), consensus: nil)
        _ = try await other.h.store.commit(ChangeSet(changes: [.recommendation(.insertCatalogueEntry(clash))]))
        let again = CatalogueEntry(reference: reference, recommendationID: other.draft.id, workspaceID: other.workspace.id, workspaceName: "x",
                                   revision: 1, profile: other.draft.profile, finishedAt: other.h.clock.now(), consensus: nil)
        await #expect(throws: StoreError.duplicate("catalogueReference")) {
            try await other.h.store.commit(ChangeSet(changes: [.recommendation(.insertCatalogueEntry(again))]))
        }
    }

    @Test("Rating rounds, individual ratings (one per member, replaced) and the consensus", arguments: StoreBackend.all)
    func ratings(backend: StoreBackend) async throws {
        let f = try await Fixture(backend)
        let reference = CatalogueReference(year: 2026, number: 7)
        let entry = CatalogueEntry(reference: reference, recommendationID: f.draft.id, workspaceID: f.workspace.id, workspaceName: f.workspace.name,
                                   revision: 1, profile: f.draft.profile, finishedAt: f.h.clock.now(), consensus: nil)
        _ = try await f.h.store.commit(ChangeSet(changes: [.recommendation(.insertCatalogueEntry(entry))]))
        let round = RatingRound(year: 2026, opensOn: LocalDate("2026-04-01")!, closesOn: LocalDate("2026-05-15")!, version: 1)
        _ = try await f.h.store.commit(ChangeSet(changes: [.recommendation(.putRatingRound(round, expectedVersion: nil))]))
        await #expect(throws: StoreError.duplicate("ratingRound")) {
            try await f.h.store.commit(ChangeSet(changes: [.recommendation(.putRatingRound(round, expectedVersion: nil))]))
        }
        var moved = round
        moved.closesOn = LocalDate("2026-05-31")!
        moved.version = 2
        await #expect(throws: StoreError.conflict) {
            try await f.h.store.commit(ChangeSet(changes: [.recommendation(.putRatingRound(moved, expectedVersion: 5))]))
        }
        _ = try await f.h.store.commit(ChangeSet(changes: [.recommendation(.putRatingRound(moved, expectedVersion: 1))]))
        #expect(try await f.h.store.ratingRound(year: 2026) == moved)
        #expect(try await f.h.store.ratingRounds() == [moved])

        let first = SteeringRating(reference: reference, userID: f.author.id, level: .relevant, justification: "Wichtig", at: f.h.clock.now())
        let changed = SteeringRating(reference: reference, userID: f.author.id, level: .highlyRelevant, justification: "Sehr wichtig", at: f.h.clock.now())
        _ = try await f.h.store.commit(ChangeSet(changes: [.recommendation(.putRating(first))]))
        _ = try await f.h.store.commit(ChangeSet(changes: [.recommendation(.putRating(changed))]))
        #expect(try await f.h.store.ratings(year: 2026) == [changed])
        #expect(try await f.h.store.ratings(year: 2025).isEmpty)

        let consensus = ConsensusRating(level: .highlyRelevant, justification: "Einstimmig", at: f.h.clock.now(), by: f.author.id)
        _ = try await f.h.store.commit(ChangeSet(changes: [.recommendation(.setConsensus(reference, consensus))]))
        #expect(try await f.h.store.catalogueEntry(reference)?.consensus == consensus)
        await #expect(throws: StoreError.missingReference("catalogueEntry")) {
            try await f.h.store.commit(ChangeSet(changes: [.recommendation(.setConsensus(CatalogueReference(year: 2026, number: 99), consensus))]))
        }
    }

    @Test("Council decisions and implementation reports round-trip, per entry and all", arguments: StoreBackend.all)
    func tracking(backend: StoreBackend) async throws {
        let f = try await Fixture(backend)
        let reference = CatalogueReference(year: 2025, number: 3)
        let entry = CatalogueEntry(reference: reference, recommendationID: f.draft.id, workspaceID: f.workspace.id, workspaceName: f.workspace.name,
                                   revision: 1, profile: f.draft.profile, finishedAt: f.h.clock.now(), consensus: nil)
        let decision = CouncilDecision(id: DecisionID(UUID()), reference: reference, decidedOn: LocalDate("2025-09-28")!, body: "Kreistag",
                                       outcome: .adopted, note: "Einstimmig", recordedBy: f.author.id, recordedAt: f.h.clock.now())
        let report = ImplementationReport(id: ReportID(UUID()), reference: reference, reportedOn: LocalDate("2026-10-01")!, status: .inProgress,
                                          values: [IndicatorValue(indicator: 0, value: 62.5)], note: "Läuft", authorID: f.author.id, at: f.h.clock.now())
        _ = try await f.h.store.commit(ChangeSet(changes: [.recommendation(.insertCatalogueEntry(entry)), .recommendation(.insertDecision(decision)),
                                                           .recommendation(.insertReport(report))]))
        #expect(try await f.h.store.decisions(reference) == [decision])
        #expect(try await f.h.store.decisions(nil) == [decision])
        #expect(try await f.h.store.reports(reference) == [report])
        #expect(try await f.h.store.reports(nil) == [report])
        #expect(try await f.h.store.reports(CatalogueReference(year: 2025, number: 4)).isEmpty)
        let orphan = CouncilDecision(id: DecisionID(UUID()), reference: CatalogueReference(year: 2025, number: 9), decidedOn: LocalDate("2025-09-28")!,
                                     body: "Kreistag", outcome: .adopted, note: "", recordedBy: f.author.id, recordedAt: f.h.clock.now())
        await #expect(throws: StoreError.missingReference("reference")) {
            try await f.h.store.commit(ChangeSet(changes: [.recommendation(.insertDecision(orphan))]))
        }
    }

    @Test("Comments round-trip; deciding one is conditional on it being open", arguments: StoreBackend.all)
    func comments(backend: StoreBackend) async throws {
        let f = try await Fixture(backend)
        let comment = RecommendationComment(id: CommentID(UUID()), recommendationID: f.draft.id, section: .goals, kind: .suggestion, authorID: f.author.id,
                                            body: "Vorschlag", suggestedText: "Neue Ziele", baseRevision: 1, state: .open, createdAt: f.h.clock.now())
        _ = try await f.h.store.commit(ChangeSet(changes: [.recommendation(.insertComment(comment))]))
        #expect(try await f.h.store.comments(of: f.draft.id) == [comment])
        var decided = comment
        decided.state = .accepted
        decided.decidedBy = f.author.id
        decided.decidedAt = f.h.clock.now()
        _ = try await f.h.store.commit(ChangeSet(changes: [.recommendation(.decideComment(decided))]))
        #expect(try await f.h.store.comment(comment.id) == decided)
        await #expect(throws: StoreError.conflict) {
            try await f.h.store.commit(ChangeSet(changes: [.recommendation(.decideComment(decided))]))
        }
    }
}
