import Foundation

public typealias CommentID = Identifier<RecommendationComment>

/// A comment on a draft (optionally on one section), or a suggestion: a proposed new text
/// for one section that the workspace's coordinator accepts (it becomes a revision) or rejects.
public struct RecommendationComment: Sendable, Hashable, Codable {
    public enum Kind: String, Sendable, Hashable, Codable { case comment, suggestion }
    public enum State: String, Sendable, Hashable, Codable { case open, resolved, accepted, rejected }

    public let id: CommentID
    public let recommendationID: RecommendationID
    public let section: ProfileSection?
    public let kind: Kind
    public let authorID: UserID
    /// Markdown.
    public let body: String
    /// For suggestions: the proposed text of `section`.
    public let suggestedText: String?
    /// The revision the author read when writing it.
    public let baseRevision: Int
    public var state: State
    public let createdAt: Date
    public var decidedBy: UserID?
    public var decidedAt: Date?

    public init(id: CommentID, recommendationID: RecommendationID, section: ProfileSection?, kind: Kind, authorID: UserID, body: String,
                suggestedText: String?, baseRevision: Int, state: State, createdAt: Date, decidedBy: UserID? = nil, decidedAt: Date? = nil) {
        self.id = id
        self.recommendationID = recommendationID
        self.section = section
        self.kind = kind
        self.authorID = authorID
        self.body = body
        self.suggestedText = suggestedText
        self.baseRevision = baseRevision
        self.state = state
        self.createdAt = createdAt
        self.decidedBy = decidedBy
        self.decidedAt = decidedAt
    }
}

/// Comments and suggestions as pure functions.
public enum CommentRules {
    public static let bodyLength = 1...4000
    /// The sections a suggestion can propose text for (free-text sections).
    public static let textSections: Set<ProfileSection> = [.title, .situation, .dataBasis, .goals, .measures, .targetGroups, .responsibleBody, .timeline]

    /// Everyone in the workspace comments (observers too: experts who only read may still
    /// remark); suggestions come from those who may write.
    public static func add(to recommendation: Recommendation, id: CommentID, section: ProfileSection?, body: String, suggestion: String?,
                           baseRevision: Int, by actor: Principal, now: Date) throws(DomainError) -> (RecommendationComment, [DomainEvent]) {
        guard let userID = actor.userID else { throw .unauthenticated }
        guard Permissions.canReadWorkspaceContent(actor, recommendation.workspaceID) else { throw .notFound("recommendation") }
        try RecommendationRules.requireDraft(recommendation)
        let text = body.trimmingCharacters(in: .whitespacesAndNewlines)
        var issues: [FieldIssue] = []
        if !bodyLength.contains(text.count) && suggestion == nil {
            issues.append(FieldIssue(field: "body", code: "length", message: "A comment of 1 to 4,000 characters."))
        }
        if text.count > bodyLength.upperBound { issues.append(FieldIssue(field: "body", code: "tooLong", message: "At most 4,000 characters.")) }
        if baseRevision < 1 || baseRevision > recommendation.revision {
            issues.append(FieldIssue(field: "baseRevision", code: "unknown", message: "Not a revision of this recommendation."))
        }
        if let suggestion {
            guard RecommendationRules.canEdit(actor, in: recommendation.workspaceID) else { throw .forbidden }
            if section.map({ !textSections.contains($0) }) ?? true {
                issues.append(FieldIssue(field: "section", code: "notText", message: "Suggestions propose text for one of the text sections."))
            }
            if suggestion.count > RecommendationRules.maxTextLength {
                issues.append(FieldIssue(field: "suggestion", code: "tooLong", message: "At most \(RecommendationRules.maxTextLength) characters."))
            }
        }
        guard issues.isEmpty else { throw .validation(issues) }
        let comment = RecommendationComment(id: id, recommendationID: recommendation.id, section: section, kind: suggestion == nil ? .comment : .suggestion,
                                            authorID: userID, body: text, suggestedText: suggestion, baseRevision: baseRevision, state: .open, createdAt: now)
        return (comment, [.commentChanged(comment, workspace: recommendation.workspaceID)])
    }

    /// The author or the coordinator marks a comment resolved.
    public static func resolve(_ comment: RecommendationComment, of recommendation: Recommendation, by actor: Principal, now: Date)
        throws(DomainError) -> (RecommendationComment, [DomainEvent]) {
        guard actor.userID == comment.authorID || isLead(actor, recommendation) else { throw .forbidden }
        guard comment.kind == .comment, comment.state == .open else {
            throw DomainError(.invalidTransition, code: "comment.notOpen", message: "Only open comments can be resolved.")
        }
        var next = comment
        next.state = .resolved
        next.decidedBy = actor.userID
        next.decidedAt = now
        return (next, [.commentChanged(next, workspace: recommendation.workspaceID)])
    }

    /// The coordinator accepts (the text becomes the section's, as a save on the suggestion's
    /// base revision, so others' later changes to the section are a conflict, not lost) or rejects.
    public static func decide(_ comment: RecommendationComment, accept: Bool, of recommendation: Recommendation, by actor: Principal, now: Date)
        throws(DomainError) -> (RecommendationComment, ProfilePatch?, [DomainEvent]) {
        guard isLead(actor, recommendation) else {
            throw DomainError(.forbidden, code: "suggestion.leadOnly", message: "The workspace's coordinator accepts or rejects suggestions.")
        }
        guard comment.kind == .suggestion, comment.state == .open, let section = comment.section, let text = comment.suggestedText else {
            throw DomainError(.invalidTransition, code: "suggestion.notOpen", message: "Only open suggestions can be accepted or rejected.")
        }
        try RecommendationRules.requireDraft(recommendation)
        var next = comment
        next.state = accept ? .accepted : .rejected
        next.decidedBy = actor.userID
        next.decidedAt = now
        var patch: ProfilePatch?
        if accept {
            var content = recommendation.profile
            switch section {
            case .title: content.title = text
            case .situation: content.situation = text
            case .dataBasis: content.dataBasis = text
            case .goals: content.goals = text
            case .measures: content.measures = text
            case .targetGroups: content.targetGroups = text
            case .responsibleBody: content.responsibleBody = text
            case .timeline: content.timeline = text
            default: break
            }
            patch = ProfilePatch(content: content, sections: [section])
        }
        return (next, patch, [.commentChanged(next, workspace: recommendation.workspaceID)])
    }

    /// The workspace's coordinator, or an administrator.
    static func isLead(_ actor: Principal, _ recommendation: Recommendation) -> Bool {
        actor.isAdmin || actor.role(in: recommendation.workspaceID) == .coordinator
    }
}
