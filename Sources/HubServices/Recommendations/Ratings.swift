import Foundation
import HubCore

/// The steering group's rating rounds, individual ratings and consensus.
public struct Ratings: Sendable {
    let deps: ServiceDependencies

    public init(deps: ServiceDependencies) { self.deps = deps }

    public func rounds(by actor: Principal) async throws -> [RatingRound] {
        try requireSteering(actor)
        return try await deps.store.ratingRounds().sorted { $0.year > $1.year }
    }

    /// Opens or changes a year's round (`expectedVersion` nil creates it).
    public func setRound(year: Int, opensOn: LocalDate, closesOn: LocalDate, expectedVersion: Int?, by actor: Principal) async throws -> RatingRound {
        let existing = try await deps.store.ratingRound(year: year)
        let (round, events) = try RatingRules.setRound(year: year, opensOn: opensOn, closesOn: closesOn, existing: existing,
                                                       expectedVersion: expectedVersion, by: actor)
        try await deps.commit(ChangeSet(changes: [.recommendation(.putRatingRound(round, expectedVersion: existing == nil ? nil : expectedVersion))],
                                        events: EventEncoding.newEvents(events)))
        return round
    }

    /// The year's recommendations with every member's rating and the counts per level.
    public func summary(year: Int, by actor: Principal) async throws -> [RatingSummaryView] {
        try requireSteering(actor)
        let entries = try await deps.store.catalogue().value.filter { $0.year == year }
        let ratings = try await deps.store.ratings(year: year)
        let names = try await deps.names(ratings.map(\.userID), known: [:])
        let byReference = Dictionary(grouping: ratings, by: \.reference)
        return entries.sorted { $0.reference < $1.reference }.map { entry in
            let mine = (byReference[entry.reference] ?? []).sorted { ($0.at, $0.userID.description) < ($1.at, $1.userID.description) }
            let counts = RatingRules.tally(mine)
            return RatingSummaryView(reference: entry.reference.description, title: entry.profile.title, workspaceName: entry.workspaceName,
                                     counts: Dictionary(uniqueKeysWithValues: counts.map { ($0.key.rawValue, $0.value) }),
                                     ratings: mine.map { RatingView($0, displayName: names[$0.userID] ?? "") },
                                     consensus: entry.consensus.map(ConsensusView.init))
        }
    }

    public func rate(_ reference: CatalogueReference, level: RatingLevel, justification: String, by actor: Principal) async throws -> SteeringRating {
        guard actor.isSignedIn else { throw DomainError.unauthenticated }
        guard let entry = try await deps.store.catalogueEntry(reference) else { throw DomainError.notFound("catalogueEntry") }
        let round = try await deps.store.ratingRound(year: entry.year)
        let (rating, events) = try RatingRules.rate(entry, round: round, level: level, justification: justification, by: actor,
                                                    now: deps.clock.now(), today: deps.today)
        var names: [UserID: String] = [:]
        if let user = actor.userID { names[user] = actor.displayName ?? "" }
        try await deps.commit(ChangeSet(changes: [.recommendation(.putRating(rating))],
                                        events: EventEncoding.newEvents(events, displayNames: names)))
        return rating
    }

    public func setConsensus(_ reference: CatalogueReference, level: RatingLevel, justification: String, by actor: Principal) async throws -> CatalogueEntry {
        guard actor.isSignedIn else { throw DomainError.unauthenticated }
        guard let entry = try await deps.store.catalogueEntry(reference) else { throw DomainError.notFound("catalogueEntry") }
        let (next, events) = try RatingRules.setConsensus(entry, level: level, justification: justification, by: actor, now: deps.clock.now())
        try await deps.commit(ChangeSet(changes: [.recommendation(.setConsensus(reference, next.consensus!))],
                                        events: EventEncoding.newEvents(events)))
        return next
    }

    func requireSteering(_ actor: Principal) throws {
        guard actor.isSignedIn else { throw DomainError.unauthenticated }
        guard Permissions.canReadSteeringWork(actor) else {
            throw actor.adminNeedsSecondFactor ? DomainError.secondFactorRequired : DomainError.forbidden
        }
    }
}
