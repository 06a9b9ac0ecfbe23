import Foundation
import HubCore

/// Comments on drafts and suggestions the coordinator accepts or rejects.
public struct Comments: Sendable {
    let deps: ServiceDependencies

    public init(deps: ServiceDependencies) { self.deps = deps }

    public func list(_ id: RecommendationID, by actor: Principal) async throws -> [CommentView] {
        guard actor.isSignedIn else { throw DomainError.unauthenticated }
        let context = try await RecommendationContext.load(id, by: actor, store: deps.store)
        let comments = try await deps.store.comments(of: id)
        let names = try await deps.names(comments.map(\.authorID), known: context.displayNames)
        return comments.map { CommentView($0, authorName: names[$0.authorID] ?? "") }
    }

    public func add(_ id: RecommendationID, section: ProfileSection?, body: String, suggestion: String?, baseRevision: Int,
                    by actor: Principal) async throws -> CommentView {
        guard actor.isSignedIn else { throw DomainError.unauthenticated }
        let context = try await RecommendationContext.load(id, by: actor, store: deps.store)
        let (comment, events) = try CommentRules.add(to: context.recommendation, id: CommentID(deps.ids.uuid()), section: section, body: body,
                                                     suggestion: suggestion, baseRevision: baseRevision, by: actor, now: deps.clock.now())
        let names = try await names(for: actor, context)
        try await deps.commit(ChangeSet(changes: [.recommendation(.insertComment(comment))], events: EventEncoding.newEvents(events, displayNames: names)))
        return CommentView(comment, authorName: names[comment.authorID] ?? "")
    }

    public func resolve(_ id: RecommendationID, comment commentID: CommentID, by actor: Principal) async throws -> CommentView {
        guard actor.isSignedIn else { throw DomainError.unauthenticated }
        let context = try await RecommendationContext.load(id, by: actor, store: deps.store)
        let comment = try await find(commentID, in: id)
        let (next, events) = try CommentRules.resolve(comment, of: context.recommendation, by: actor, now: deps.clock.now())
        let names = try await deps.names([next.authorID], known: try await names(for: actor, context))
        try await deps.commit(ChangeSet(changes: [.recommendation(.decideComment(next))], events: EventEncoding.newEvents(events, displayNames: names)))
        return CommentView(next, authorName: names[next.authorID] ?? "")
    }

    /// Accepting writes the suggested text as a new revision, merged like any save made on the
    /// suggestion's base revision: if someone changed that section since, it is a conflict.
    public func decide(_ id: RecommendationID, comment commentID: CommentID, accept: Bool, by actor: Principal) async throws -> CommentView {
        guard actor.isSignedIn else { throw DomainError.unauthenticated }
        let context = try await RecommendationContext.load(id, by: actor, store: deps.store)
        let comment = try await find(commentID, in: id)
        let (next, patch, events) = try CommentRules.decide(comment, accept: accept, of: context.recommendation, by: actor, now: deps.clock.now())
        var changes: [Change] = [.recommendation(.decideComment(next))]
        var allEvents = events
        if let patch {
            let current = context.recommendation
            guard let base = try await deps.store.revision(of: id, number: comment.baseRevision) else { throw DomainError.notFound("revision") }
            do {
                if let outcome = try RecommendationRules.save(
                    patch, onto: current, baseRevision: comment.baseRevision, base: base.profile, in: context.workspace, by: actor,
                    organization: context.membership?.organizationID,
                    signOffs: SignOffRules.valid(try await deps.store.signOffs(of: id), for: current),
                    knownPolicyFields: try await deps.knownPolicyFields(), now: deps.clock.now(), today: deps.today) {
                    changes.insert(.recommendation(.addRevision(outcome.recommendation, outcome.revision)), at: 0)
                    allEvents = outcome.events + allEvents
                }
            } catch let error as DomainError where error.code == "recommendation.editConflict" {
                throw RecommendationEditConflict(error: DomainError(
                    .conflict, code: "suggestion.outdated",
                    message: "The section changed since the suggestion was made. Edit the section yourself, or ask for a new suggestion.",
                    fields: error.fields), current: RecommendationView(current))
            }
        }
        let names = try await deps.names([next.authorID], known: try await names(for: actor, context))
        try await deps.commit(ChangeSet(changes: changes, events: EventEncoding.newEvents(allEvents, displayNames: names)))
        return CommentView(next, authorName: names[next.authorID] ?? "")
    }

    func find(_ commentID: CommentID, in id: RecommendationID) async throws -> RecommendationComment {
        guard let comment = try await deps.store.comment(commentID), comment.recommendationID == id else { throw DomainError.notFound("comment") }
        return comment
    }

    func names(for actor: Principal, _ context: RecommendationContext) async throws -> [UserID: String] {
        var names = context.displayNames
        if let user = actor.userID { names[user] = actor.displayName ?? names[user] ?? "" }
        return names
    }
}
