import Foundation
import HubCore

/// Row-level changes of the recommendations component, carried in a `ChangeSet` as
/// `Change.recommendation(_)`. Updates name the revision or version they were based on; the
/// store refuses the whole change set with `StoreError.conflict` when it moved on.
public enum RecommendationChange: Sendable {
    case insert(Recommendation, RecommendationRevision)
    /// A new revision; refused unless the stored revision is `revision.number - 1`.
    case addRevision(Recommendation, RecommendationRevision)
    /// Status and reference; refused unless the stored revision is `expectedRevision`.
    case finish(Recommendation, expectedRevision: Int)
    /// One sign-off per recommendation, revision and capacity (a second one is a duplicate).
    case insertSignOff(SignOff)
    case deleteSignOff(RecommendationID, capacity: SignOffCapacity, revision: Int)
    /// The catalogue reference is unique: a second entry with the same one is a duplicate.
    case insertCatalogueEntry(CatalogueEntry)
    case setConsensus(CatalogueReference, ConsensusRating)
    /// `expectedVersion` nil inserts (a duplicate when it exists); otherwise a conditional update.
    case putRatingRound(RatingRound, expectedVersion: Int?)
    /// Replaces the member's earlier rating of the same recommendation.
    case putRating(SteeringRating)
    case insertDecision(CouncilDecision)
    case insertReport(ImplementationReport)
    case insertComment(RecommendationComment)
    /// State, decider and time; refused unless the stored state is `open`.
    case decideComment(RecommendationComment)
    /// Notes that the reminder for a report due on `dueOn` went out (once per entry and due date).
    case recordReminder(CatalogueReference, dueOn: LocalDate, at: Date)
}

/// Reads of the recommendations component. Part of `HubStore`; both adapters implement it.
public protocol RecommendationReads: Sendable {
    func recommendations(in workspace: WorkspaceID) async throws -> [Recommendation]
    func recommendation(_ id: RecommendationID) async throws -> Recommendation?
    /// Every draft in every workspace (for finding similar work).
    func drafts() async throws -> [Recommendation]
    /// All revisions, oldest first.
    func revisions(of id: RecommendationID) async throws -> [RecommendationRevision]
    func revision(of id: RecommendationID, number: Int) async throws -> RecommendationRevision?
    func signOffs(of id: RecommendationID) async throws -> [SignOff]

    /// The whole catalogue, oldest reference first, with the `catalogue` topic's cursor.
    func catalogue() async throws -> Snapshot<[CatalogueEntry]>
    func catalogueEntry(_ reference: CatalogueReference) async throws -> CatalogueEntry?
    /// The highest number given out in a year (0 when none).
    func lastCatalogueNumber(year: Int) async throws -> Int

    func ratingRounds() async throws -> [RatingRound]
    func ratingRound(year: Int) async throws -> RatingRound?
    /// Every individual rating of the recommendations finished in a year.
    func ratings(year: Int) async throws -> [SteeringRating]

    /// Council decisions, of one entry or (nil) of all, oldest first.
    func decisions(_ reference: CatalogueReference?) async throws -> [CouncilDecision]
    /// Implementation reports, of one entry or (nil) of all, oldest first.
    func reports(_ reference: CatalogueReference?) async throws -> [ImplementationReport]

    /// Comments and suggestions on a recommendation, oldest first.
    func comments(of id: RecommendationID) async throws -> [RecommendationComment]
    func comment(_ id: CommentID) async throws -> RecommendationComment?

    /// The due dates for which a report reminder was already sent, per entry.
    func remindersSent() async throws -> [CatalogueReference: Set<LocalDate>]
}
