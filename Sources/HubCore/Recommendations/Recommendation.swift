import Foundation

public typealias RecommendationID = Identifier<Recommendation>

/// Where a recommendation stands while it is written.
public enum RecommendationStatus: String, Sendable, Hashable, Codable, CaseIterable {
    /// Being written; anyone in the workspace who may edit changes it.
    case draft
    /// Signed off by everyone required; frozen and in the catalogue.
    case finished
}

/// A policy recommendation (Handlungsempfehlung) being drafted in a workspace.
public struct Recommendation: Sendable, Hashable, Codable, Identifiable {
    public let id: RecommendationID
    public let workspaceID: WorkspaceID
    public var status: RecommendationStatus
    public var profile: RecommendationProfile
    /// The number of the current revision; every save adds one. The basis of optimistic
    /// concurrency: a save names the revision it was based on.
    public var revision: Int
    public let createdBy: UserID
    public let createdAt: Date
    public var updatedAt: Date
    /// The catalogue reference (`HE-2026-014`) once finished.
    public var reference: String?

    public init(id: RecommendationID, workspaceID: WorkspaceID, status: RecommendationStatus, profile: RecommendationProfile,
                revision: Int, createdBy: UserID, createdAt: Date, updatedAt: Date, reference: String?) {
        self.id = id
        self.workspaceID = workspaceID
        self.status = status
        self.profile = profile
        self.revision = revision
        self.createdBy = createdBy
        self.createdAt = createdAt
        self.updatedAt = updatedAt
        self.reference = reference
    }
}

/// One saved state of a recommendation: who saved it, for which organization, and the whole
/// profile as it then stood. Revisions are never changed or deleted.
public struct RecommendationRevision: Sendable, Hashable, Codable {
    public let recommendationID: RecommendationID
    public let number: Int
    public let authorID: UserID
    /// The organization or municipality the author spoke for in this workspace.
    public let organizationID: OrganizationID?
    public let at: Date
    public let profile: RecommendationProfile
    /// The sections that differ from the previous revision.
    public let changedSections: [ProfileSection]
    /// Set when the revision restored an earlier one.
    public let restoredFrom: Int?

    public init(recommendationID: RecommendationID, number: Int, authorID: UserID, organizationID: OrganizationID?, at: Date,
                profile: RecommendationProfile, changedSections: [ProfileSection], restoredFrom: Int? = nil) {
        self.recommendationID = recommendationID
        self.number = number
        self.authorID = authorID
        self.organizationID = organizationID
        self.at = at
        self.profile = profile
        self.changedSections = changedSections
        self.restoredFrom = restoredFrom
    }
}

/// In which capacity someone signs a recommendation off.
public enum SignOffCapacity: Sendable, Hashable, Codable {
    /// The workspace's coordinator: always required.
    case coordinator
    /// The representative of a municipality that takes part in a planning team.
    case municipality(OrganizationID)

    /// Stable text form (`coordinator`, `municipality:<uuid>`) for storage and the wire.
    public var key: String {
        switch self {
        case .coordinator: "coordinator"
        case .municipality(let id): "municipality:\(id)"
        }
    }

    public init?(key: String) {
        if key == "coordinator" { self = .coordinator; return }
        guard key.hasPrefix("municipality:"), let id = OrganizationID(String(key.dropFirst("municipality:".count))) else { return nil }
        self = .municipality(id)
    }
}

/// A sign-off, valid only for the revision it names: any later save withdraws it.
public struct SignOff: Sendable, Hashable, Codable {
    public let recommendationID: RecommendationID
    public let capacity: SignOffCapacity
    public let userID: UserID
    public let revision: Int
    public let at: Date

    public init(recommendationID: RecommendationID, capacity: SignOffCapacity, userID: UserID, revision: Int, at: Date) {
        self.recommendationID = recommendationID
        self.capacity = capacity
        self.userID = userID
        self.revision = revision
        self.at = at
    }
}
