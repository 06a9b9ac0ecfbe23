import Foundation
import HubCore

/// A save refused because someone else changed the same sections: carries the current
/// state so the editor can show both versions and merge.
public struct RecommendationEditConflict: Error, Sendable {
    public let error: DomainError
    public let current: RecommendationView
}

/// What a save answers: the new state, whether it was merged onto others' work, and
/// drafts elsewhere that say similar things.
public struct SaveResult: Sendable, Hashable, Codable {
    public let recommendation: RecommendationView
    /// Set when others saved since the editor's base revision: the revision merged onto.
    public let mergedOnto: Int?
    public let similar: [SimilarDraftView]

    // `mergedOnto` is always present (null when the save was on the current revision).
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(recommendation, forKey: .recommendation)
        try c.encode(mergedOnto, forKey: .mergedOnto)
        try c.encode(similar, forKey: .similar)
    }
}

/// A member starts a draft in their workspace.
public struct CreateRecommendation: Sendable {
    let deps: ServiceDependencies

    public init(deps: ServiceDependencies) { self.deps = deps }

    public func callAsFunction(_ profile: RecommendationProfile, in workspaceID: WorkspaceID, by actor: Principal) async throws -> Recommendation {
        guard actor.isSignedIn else { throw DomainError.unauthenticated }
        guard Permissions.canReadWorkspaceContent(actor, workspaceID), let workspace = try await deps.store.workspace(workspaceID) else {
            throw DomainError.notFound("workspace")
        }
        let membership = try await actor.userID.asyncFlatMap { try await deps.store.membership(workspaceID, $0) }
        let (recommendation, revision, events) = try RecommendationRules.create(
            profile, id: RecommendationID(deps.ids.uuid()), in: workspace, by: actor, organization: membership?.organizationID,
            knownPolicyFields: try await deps.knownPolicyFields(), now: deps.clock.now(), today: deps.today)
        try await deps.commit(ChangeSet(changes: [.recommendation(.insert(recommendation, revision))], events: EventEncoding.newEvents(events)))
        return recommendation
    }
}

/// Someone saves the sections they changed, on top of the revision they started from.
public struct SaveRecommendation: Sendable {
    let deps: ServiceDependencies

    public init(deps: ServiceDependencies) { self.deps = deps }

    public func callAsFunction(_ id: RecommendationID, patch: ProfilePatch, baseRevision: Int, by actor: Principal) async throws -> SaveResult {
        guard actor.isSignedIn else { throw DomainError.unauthenticated }
        // Two saves may race between reading and committing; the store refuses the second
        // (its revision moved on) and it is merged again on the fresh state.
        for attempt in 1...3 {
            let context = try await RecommendationContext.load(id, by: actor, store: deps.store)
            let current = context.recommendation
            let base = baseRevision == current.revision
                ? current.profile
                : try await deps.store.revision(of: id, number: baseRevision)?.profile ?? current.profile
            do {
                let signOffs = SignOffRules.valid(try await deps.store.signOffs(of: id), for: current)
                guard let outcome = try RecommendationRules.save(
                    patch, onto: current, baseRevision: baseRevision, base: base, in: context.workspace, by: actor,
                    organization: context.membership?.organizationID, signOffs: signOffs,
                    knownPolicyFields: try await deps.knownPolicyFields(), now: deps.clock.now(), today: deps.today)
                else {
                    return SaveResult(recommendation: RecommendationView(current), mergedOnto: nil, similar: try await similar(to: current))
                }
                try await deps.commit(ChangeSet(changes: [.recommendation(.addRevision(outcome.recommendation, outcome.revision))],
                                                events: EventEncoding.newEvents(outcome.events, displayNames: actor.nameTable)))
                return SaveResult(recommendation: RecommendationView(outcome.recommendation), mergedOnto: outcome.mergedOnto,
                                  similar: try await similar(to: outcome.recommendation))
            } catch let error as DomainError where error.code == "recommendation.editConflict" {
                throw RecommendationEditConflict(error: error, current: RecommendationView(current))
            } catch let error as DomainError where error == .versionConflict && attempt < 3 {
                continue
            }
        }
        throw DomainError.versionConflict
    }

    func similar(to recommendation: Recommendation) async throws -> [SimilarDraftView] {
        try await SimilarDrafts(deps: deps).find(for: recommendation)
    }
}

/// Drafts in other workspaces whose title, goals and measures resemble this one's.
struct SimilarDrafts: Sendable {
    let deps: ServiceDependencies

    func find(for recommendation: Recommendation) async throws -> [SimilarDraftView] {
        let others = try await deps.store.drafts().filter { $0.workspaceID != recommendation.workspaceID }
        guard !others.isEmpty else { return [] }
        func text(_ p: RecommendationProfile) -> String { [p.title, p.title, p.goals, p.measures].joined(separator: "\n") }
        let matches = Similarity.rank(text(recommendation.profile), among: others.map { ($0.id, text($0.profile)) })
        let workspaces = Dictionary(try await deps.store.workspaces().value.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        let byID = Dictionary(others.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        return matches.compactMap { match in
            guard let draft = byID[match.id], let workspace = workspaces[draft.workspaceID], !workspace.archived else { return nil }
            return SimilarDraftView(id: draft.id.description, title: draft.profile.title, workspaceId: workspace.id.description,
                                    workspaceName: workspace.name, score: match.score)
        }
    }
}

/// Makes an earlier revision's text current again (as a new revision).
public struct RestoreRevision: Sendable {
    let deps: ServiceDependencies

    public init(deps: ServiceDependencies) { self.deps = deps }

    public func callAsFunction(_ id: RecommendationID, revision number: Int, expectedRevision: Int, by actor: Principal) async throws -> Recommendation {
        guard actor.isSignedIn else { throw DomainError.unauthenticated }
        let context = try await RecommendationContext.load(id, by: actor, store: deps.store)
        guard let old = try await deps.store.revision(of: id, number: number) else { throw DomainError.notFound("revision") }
        let current = context.recommendation
        let signOffs = SignOffRules.valid(try await deps.store.signOffs(of: id), for: current)
        guard let outcome = try RecommendationRules.restore(
            old, onto: current, expectedRevision: expectedRevision, in: context.workspace, by: actor,
            organization: context.membership?.organizationID, signOffs: signOffs, now: deps.clock.now(), today: deps.today)
        else { return current }
        try await deps.commit(ChangeSet(changes: [.recommendation(.addRevision(outcome.recommendation, outcome.revision))],
                                        events: EventEncoding.newEvents(outcome.events, displayNames: actor.nameTable)))
        return outcome.recommendation
    }
}

extension Optional {
    func asyncFlatMap<U>(_ transform: (Wrapped) async throws -> U?) async rethrows -> U? {
        guard let value = self else { return nil }
        return try await transform(value)
    }
}
