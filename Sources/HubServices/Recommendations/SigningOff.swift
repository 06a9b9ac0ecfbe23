import Foundation
import HubCore

/// The coordinator (and in a planning team each municipality's representative) signs the
/// current revision off; the last required sign-off finishes the recommendation and puts
/// it into the catalogue under the next reference of the year.
public struct SignOffRecommendation: Sendable {
    let deps: ServiceDependencies

    public init(deps: ServiceDependencies) { self.deps = deps }

    public func callAsFunction(_ id: RecommendationID, capacity: SignOffCapacity, revision: Int, by actor: Principal) async throws -> Recommendation {
        guard actor.isSignedIn else { throw DomainError.unauthenticated }
        // Two workspaces finishing at the same moment may pick the same reference; the store
        // refuses the second as a duplicate and it takes the next number.
        for attempt in 1...5 {
            let context = try await RecommendationContext.load(id, by: actor, store: deps.store)
            let now = deps.clock.now()
            let (signOff, complete, events) = try SignOffRules.signOff(
                context.recommendation, capacity: capacity, revision: revision, in: context.workspace, by: actor,
                membership: context.membership, participatingMunicipalities: context.municipalities,
                existing: try await deps.store.signOffs(of: id), now: now, today: deps.today)
            var changes: [Change] = [.recommendation(.insertSignOff(signOff))]
            var allEvents = events
            var result = context.recommendation
            if complete {
                let year = deps.today.year
                let reference = CatalogueReference(year: year, number: try await deps.store.lastCatalogueNumber(year: year) + 1)
                let (finished, entry, finishEvents) = SignOffRules.finish(context.recommendation, reference: reference,
                                                                          workspaceName: context.workspace.name, now: now)
                changes += [.recommendation(.finish(finished, expectedRevision: context.recommendation.revision)),
                            .recommendation(.insertCatalogueEntry(entry))]
                allEvents += finishEvents
                result = finished
            }
            var names = context.displayNames
            if let user = actor.userID { names[user] = actor.displayName ?? names[user] }
            do {
                _ = try await deps.store.commit(ChangeSet(changes: changes, events: EventEncoding.newEvents(
                    allEvents, displayNames: names, organizationNames: context.organizationNames)))
                return result
            } catch StoreError.duplicate(let what) where what == "catalogueReference" && attempt < 5 {
                continue
            } catch StoreError.duplicate(let what) where what == "signOff" {
                throw DomainError(.conflict, code: "signOff.exists", message: "This revision is already signed off in this capacity.")
            } catch let error as StoreError {
                throw ServiceDependencies.domainError(for: error)
            }
        }
        throw DomainError(.conflict, code: "recommendation.conflict", message: "Try again.")
    }
}

/// A signer takes their sign-off back before the recommendation is finished.
public struct WithdrawSignOff: Sendable {
    let deps: ServiceDependencies

    public init(deps: ServiceDependencies) { self.deps = deps }

    public func callAsFunction(_ id: RecommendationID, capacity: SignOffCapacity, by actor: Principal) async throws {
        guard actor.isSignedIn else { throw DomainError.unauthenticated }
        let context = try await RecommendationContext.load(id, by: actor, store: deps.store)
        let valid = SignOffRules.valid(try await deps.store.signOffs(of: id), for: context.recommendation)
        guard let signOff = valid.first(where: { $0.capacity == capacity }) else { throw DomainError.notFound("signOff") }
        let events = try SignOffRules.withdraw(signOff, of: context.recommendation, by: actor)
        try await deps.commit(ChangeSet(
            changes: [.recommendation(.deleteSignOff(id, capacity: capacity, revision: signOff.revision))],
            events: EventEncoding.newEvents(events, displayNames: context.displayNames, organizationNames: context.organizationNames)))
    }
}
