import Foundation
import HubCore

/// A recommendation as clients see it, over HTTP and in `recommendation.*` events.
public struct RecommendationView: Sendable, Hashable, Codable {
    public let id: String
    public let workspaceId: String
    public let status: RecommendationStatus
    public let revision: Int
    public let profile: RecommendationProfile
    public let createdBy: String
    public let createdAt: Date
    public let updatedAt: Date
    public let reference: String?

    public init(_ r: Recommendation) {
        id = r.id.description
        workspaceId = r.workspaceID.description
        status = r.status
        revision = r.revision
        profile = r.profile
        createdBy = r.createdBy.description
        createdAt = r.createdAt
        updatedAt = r.updatedAt
        reference = r.reference
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(id, forKey: .id)
        try c.encode(workspaceId, forKey: .workspaceId)
        try c.encode(status, forKey: .status)
        try c.encode(revision, forKey: .revision)
        try c.encode(profile, forKey: .profile)
        try c.encode(createdBy, forKey: .createdBy)
        try c.encode(createdAt, forKey: .createdAt)
        try c.encode(updatedAt, forKey: .updatedAt)
        try c.encode(reference, forKey: .reference)
    }
}

/// A sign-off with the name of the person and, for a municipality, its name.
public struct SignOffView: Sendable, Hashable, Codable {
    public let recommendationId: String
    public let capacity: String
    /// The municipality's name for a municipality sign-off; null for the coordinator's.
    public let organization: String?
    public let userId: String
    public let displayName: String
    public let revision: Int
    public let at: Date

    public init(_ s: SignOff, displayName: String, organizationName: String?) {
        recommendationId = s.recommendationID.description
        capacity = s.capacity.key
        organization = organizationName
        userId = s.userID.description
        self.displayName = displayName
        revision = s.revision
        at = s.at
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(recommendationId, forKey: .recommendationId)
        try c.encode(capacity, forKey: .capacity)
        try c.encode(organization, forKey: .organization)
        try c.encode(userId, forKey: .userId)
        try c.encode(displayName, forKey: .displayName)
        try c.encode(revision, forKey: .revision)
        try c.encode(at, forKey: .at)
    }
}

/// One required capacity and whether the current revision carries it.
public struct SignOffSlotView: Sendable, Hashable, Codable {
    public let capacity: String
    public let organization: String?
    public let given: SignOffView?

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(capacity, forKey: .capacity)
        try c.encode(organization, forKey: .organization)
        try c.encode(given, forKey: .given)
    }
}

/// Where a draft stands on its way to the catalogue.
public struct SignOffStateView: Sendable, Hashable, Codable {
    /// Every required capacity, with the sign-off on the current revision where given.
    public let slots: [SignOffSlotView]
    /// The capacities in which the reader may sign the current revision off now.
    public let mayGiveAs: [String]
    /// What is still missing from the profile before anyone can sign it off.
    public let missing: [FieldIssue]
}

/// A recommendation with its sign-off state, for the editor.
public struct RecommendationDetailView: Sendable, Hashable, Codable {
    public let recommendation: RecommendationView
    public let signOff: SignOffStateView
    /// The workspace topic's cursor when this was read, to subscribe from.
    public let cursor: Cursor?
}

/// One entry of a recommendation's history.
public struct RevisionView: Sendable, Hashable, Codable {
    public let number: Int
    public let authorId: String
    public let authorName: String
    public let organization: String?
    public let at: Date
    public let changedSections: [ProfileSection]
    public let restoredFrom: Int?

    public init(_ r: RecommendationRevision, authorName: String, organizationName: String?) {
        number = r.number
        authorId = r.authorID.description
        self.authorName = authorName
        organization = organizationName
        at = r.at
        changedSections = r.changedSections
        restoredFrom = r.restoredFrom
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(number, forKey: .number)
        try c.encode(authorId, forKey: .authorId)
        try c.encode(authorName, forKey: .authorName)
        try c.encode(organization, forKey: .organization)
        try c.encode(at, forKey: .at)
        try c.encode(changedSections, forKey: .changedSections)
        try c.encode(restoredFrom, forKey: .restoredFrom)
    }
}

/// A revision's full text and its word-level difference to the revision before it.
public struct RevisionDetailView: Sendable, Hashable, Codable {
    public let revision: RevisionView
    public let profile: RecommendationProfile
    /// The revision compared against (the previous one; null for the first).
    public let comparedWith: Int?
    /// Per changed section, the runs that turn the older text into this one.
    public let diff: [String: [TextDiff.Run]]
}

/// The consensus rating as the public reads it (without who recorded it).
public struct ConsensusView: Sendable, Hashable, Codable {
    public let level: RatingLevel
    public let justification: String
    public let at: Date

    public init(_ c: ConsensusRating) {
        level = c.level
        justification = c.justification
        at = c.at
    }
}

/// A council decision as the public reads it (without who recorded it).
public struct DecisionView: Sendable, Hashable, Codable {
    public let id: String
    public let decidedOn: String
    public let body: String
    public let outcome: DecisionOutcome
    public let note: String

    public init(_ d: CouncilDecision) {
        id = d.id.description
        decidedOn = d.decidedOn.description
        body = d.body
        outcome = d.outcome
        note = d.note
    }
}

/// An indicator's value in a report, with the indicator's name and unit.
public struct IndicatorValueView: Sendable, Hashable, Codable {
    public let indicator: Int
    public let name: String
    public let unit: String
    public let value: Double
}

/// An implementation report as the public reads it (without its author).
public struct ReportView: Sendable, Hashable, Codable {
    public let id: String
    public let reportedOn: String
    public let status: ImplementationStatus
    public let values: [IndicatorValueView]
    public let note: String

    public init(_ r: ImplementationReport, indicators: [IndicatorSpec]) {
        id = r.id.description
        reportedOn = r.reportedOn.description
        status = r.status
        values = r.values.map { v in
            let spec = indicators.indices.contains(v.indicator) ? indicators[v.indicator] : nil
            return IndicatorValueView(indicator: v.indicator, name: spec?.name ?? "", unit: spec?.unit ?? "", value: v.value)
        }
        note = r.note
    }
}

/// A catalogue entry: public, carries no personal data.
public struct CatalogueEntryView: Sendable, Hashable, Codable {
    public let reference: String
    public let recommendationId: String
    public let workspaceId: String
    public let workspaceName: String
    public let year: Int
    public let revision: Int
    public let finishedAt: Date
    /// From rating to implementation (`submitted`, `rated`, `adopted`, ..., `implemented`).
    public let status: TrackingStatus
    public let consensus: ConsensusView?
    public let inDossier: Bool
    public let profile: RecommendationProfile
    public let decisions: [DecisionView]
    public let reports: [ReportView]
    /// When the next implementation report is due, once adopted.
    public let reportDueOn: String?

    public init(_ e: CatalogueEntry, decisions: [CouncilDecision] = [], reports: [ImplementationReport] = []) {
        reference = e.reference.description
        recommendationId = e.recommendationID.description
        workspaceId = e.workspaceID.description
        workspaceName = e.workspaceName
        year = e.year
        revision = e.revision
        finishedAt = e.finishedAt
        status = ImplementationRules.status(of: e, decisions: decisions, reports: reports)
        consensus = e.consensus.map(ConsensusView.init)
        inDossier = e.consensus?.level.entersDossier ?? false
        profile = e.profile
        self.decisions = decisions.map(DecisionView.init)
        self.reports = reports.map { ReportView($0, indicators: e.profile.indicators) }
        reportDueOn = ImplementationRules.reportDue(decisions: decisions, reports: reports)?.description
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(reference, forKey: .reference)
        try c.encode(recommendationId, forKey: .recommendationId)
        try c.encode(workspaceId, forKey: .workspaceId)
        try c.encode(workspaceName, forKey: .workspaceName)
        try c.encode(year, forKey: .year)
        try c.encode(revision, forKey: .revision)
        try c.encode(finishedAt, forKey: .finishedAt)
        try c.encode(status, forKey: .status)
        try c.encode(consensus, forKey: .consensus)
        try c.encode(inDossier, forKey: .inDossier)
        try c.encode(profile, forKey: .profile)
        try c.encode(decisions, forKey: .decisions)
        try c.encode(reports, forKey: .reports)
        try c.encode(reportDueOn, forKey: .reportDueOn)
    }
}

public struct RatingRoundView: Sendable, Hashable, Codable {
    public let year: Int
    public let opensOn: String
    public let closesOn: String
    public let version: Int

    public init(_ r: RatingRound) {
        year = r.year
        opensOn = r.opensOn.description
        closesOn = r.closesOn.description
        version = r.version
    }
}

/// One steering-group member's rating, for the steering group and the planning staff.
public struct RatingView: Sendable, Hashable, Codable {
    public let reference: String
    public let userId: String
    public let displayName: String
    public let level: RatingLevel
    public let justification: String
    public let at: Date

    public init(_ r: SteeringRating, displayName: String) {
        reference = r.reference.description
        userId = r.userID.description
        self.displayName = displayName
        level = r.level
        justification = r.justification
        at = r.at
    }
}

/// The aggregated view of one recommendation in a rating round.
public struct RatingSummaryView: Sendable, Hashable, Codable {
    public let reference: String
    public let title: String
    public let workspaceName: String
    public let counts: [String: Int]
    public let ratings: [RatingView]
    public let consensus: ConsensusView?

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(reference, forKey: .reference)
        try c.encode(title, forKey: .title)
        try c.encode(workspaceName, forKey: .workspaceName)
        try c.encode(counts, forKey: .counts)
        try c.encode(ratings, forKey: .ratings)
        try c.encode(consensus, forKey: .consensus)
    }
}

/// A draft elsewhere that says similar things.
public struct SimilarDraftView: Sendable, Hashable, Codable {
    public let id: String
    public let title: String
    public let workspaceId: String
    public let workspaceName: String
    public let score: Double
}

/// `catalogue.decisionRecorded`: which entry, and the decision.
public struct DecisionEventView: Sendable, Hashable, Codable {
    public let reference: String
    public let decision: DecisionView
}

/// `catalogue.reportAdded`: which entry, and the report (values by indicator position).
public struct ReportEventView: Sendable, Hashable, Codable {
    public let reference: String
    public let report: ReportView
}

/// A comment or suggestion as the workspace sees it.
public struct CommentView: Sendable, Hashable, Codable {
    public let id: String
    public let recommendationId: String
    public let section: ProfileSection?
    public let kind: RecommendationComment.Kind
    public let authorId: String
    public let authorName: String
    public let body: String
    public let suggestedText: String?
    public let baseRevision: Int
    public let state: RecommendationComment.State
    public let createdAt: Date
    public let decidedAt: Date?

    public init(_ c: RecommendationComment, authorName: String) {
        id = c.id.description
        recommendationId = c.recommendationID.description
        section = c.section
        kind = c.kind
        authorId = c.authorID.description
        self.authorName = authorName
        body = c.body
        suggestedText = c.suggestedText
        baseRevision = c.baseRevision
        state = c.state
        createdAt = c.createdAt
        decidedAt = c.decidedAt
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(id, forKey: .id)
        try c.encode(recommendationId, forKey: .recommendationId)
        try c.encode(section, forKey: .section)
        try c.encode(kind, forKey: .kind)
        try c.encode(authorId, forKey: .authorId)
        try c.encode(authorName, forKey: .authorName)
        try c.encode(body, forKey: .body)
        try c.encode(suggestedText, forKey: .suggestedText)
        try c.encode(baseRevision, forKey: .baseRevision)
        try c.encode(state, forKey: .state)
        try c.encode(createdAt, forKey: .createdAt)
        try c.encode(decidedAt, forKey: .decidedAt)
    }
}

/// `recommendation.updated`: the recommendation as `RecommendationView` encodes it, plus which
/// sections changed and the display name of who saved them.
public struct RecommendationUpdateView: Sendable, Hashable, Encodable {
    public let recommendation: RecommendationView
    public let changedSections: [ProfileSection]
    public let changedBy: String

    enum ExtraKeys: String, CodingKey { case changedSections, changedBy }

    public func encode(to encoder: any Encoder) throws {
        try recommendation.encode(to: encoder)
        var c = encoder.container(keyedBy: ExtraKeys.self)
        try c.encode(changedSections, forKey: .changedSections)
        try c.encode(changedBy, forKey: .changedBy)
    }
}
