import Foundation
import HubCore

/// Reading drafts, their history and similar work elsewhere.
public struct RecommendationQueries: Sendable {
    let deps: ServiceDependencies

    public init(deps: ServiceDependencies) { self.deps = deps }

    /// The recommendations of a workspace, newest change first, with the workspace topic's cursor.
    public func list(in workspaceID: WorkspaceID, by actor: Principal) async throws -> ([Recommendation], Cursor) {
        guard actor.isSignedIn else { throw DomainError.unauthenticated }
        guard Permissions.canReadWorkspaceContent(actor, workspaceID), try await deps.store.workspace(workspaceID) != nil else {
            throw DomainError.notFound("workspace")
        }
        let cursor = try await deps.store.cursor(topic: .workspace(workspaceID))
        let items = try await deps.store.recommendations(in: workspaceID)
        return (items.sorted { ($0.updatedAt, $0.id.description) > ($1.updatedAt, $1.id.description) }, cursor)
    }

    public func detail(_ id: RecommendationID, by actor: Principal) async throws -> RecommendationDetailView {
        guard actor.isSignedIn else { throw DomainError.unauthenticated }
        let cursor = try await deps.store.cursor(topic: .workspace(try await workspaceOf(id, by: actor)))
        let context = try await RecommendationContext.load(id, by: actor, store: deps.store)
        let signOffs = try await deps.store.signOffs(of: id)
        let names = try await deps.names(signOffs.map(\.userID), known: context.displayNames)
        return RecommendationDetailView(recommendation: RecommendationView(context.recommendation),
                                        signOff: context.signOffState(signOffs, for: actor, names: names), cursor: cursor)
    }

    public func revisions(_ id: RecommendationID, by actor: Principal) async throws -> [RevisionView] {
        guard actor.isSignedIn else { throw DomainError.unauthenticated }
        let context = try await RecommendationContext.load(id, by: actor, store: deps.store)
        let revisions = try await deps.store.revisions(of: id)
        let names = try await deps.names(revisions.map(\.authorID), known: context.displayNames)
        return revisions.reversed().map {
            RevisionView($0, authorName: names[$0.authorID] ?? "", organizationName: $0.organizationID.flatMap { context.organizationNames[$0] })
        }
    }

    /// A revision's text and what changed against `against` (default: the revision before).
    public func revision(_ id: RecommendationID, number: Int, against: Int?, by actor: Principal) async throws -> RevisionDetailView {
        guard actor.isSignedIn else { throw DomainError.unauthenticated }
        let context = try await RecommendationContext.load(id, by: actor, store: deps.store)
        guard let revision = try await deps.store.revision(of: id, number: number) else { throw DomainError.notFound("revision") }
        let otherNumber = against ?? (number > 1 ? number - 1 : nil)
        var older: RecommendationRevision?
        if let otherNumber {
            guard let found = try await deps.store.revision(of: id, number: otherNumber) else { throw DomainError.notFound("revision") }
            older = found
        }
        var diff: [String: [TextDiff.Run]] = [:]
        let before = older?.profile ?? RecommendationProfile(title: "")
        for section in revision.profile.changedSections(since: before) {
            diff[section.rawValue] = TextDiff.words(from: before.text(of: section), to: revision.profile.text(of: section))
        }
        let names = try await deps.names([revision.authorID], known: context.displayNames)
        return RevisionDetailView(
            revision: RevisionView(revision, authorName: names[revision.authorID] ?? "",
                                   organizationName: revision.organizationID.flatMap { context.organizationNames[$0] }),
            profile: revision.profile, comparedWith: older?.number, diff: diff)
    }

    public func similar(_ id: RecommendationID, by actor: Principal) async throws -> [SimilarDraftView] {
        guard actor.isSignedIn else { throw DomainError.unauthenticated }
        let context = try await RecommendationContext.load(id, by: actor, store: deps.store)
        return try await SimilarDrafts(deps: deps).find(for: context.recommendation)
    }

    func workspaceOf(_ id: RecommendationID, by actor: Principal) async throws -> WorkspaceID {
        guard let r = try await deps.store.recommendation(id), Permissions.canReadWorkspaceContent(actor, r.workspaceID) else {
            throw DomainError.notFound("recommendation")
        }
        return r.workspaceID
    }
}
