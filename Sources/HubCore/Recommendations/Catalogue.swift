import Foundation

/// A catalogue reference such as `HE-2026-014`: the year the recommendation was finished
/// and its number within that year. Stable forever; used in URLs, the dossier and OParl.
public struct CatalogueReference: Sendable, Hashable, Codable, Comparable, CustomStringConvertible {
    public let year: Int
    public let number: Int

    public init(year: Int, number: Int) {
        self.year = year
        self.number = number
    }

    /// Parses `HE-2026-014` (the number has at least three digits).
    public init?(_ text: String) {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0] == "HE", parts[1].count == 4, parts[2].count >= 3,
              parts[1].allSatisfy(\.isASCII), parts[2].allSatisfy(\.isASCII),
              let year = Int(parts[1]), let number = Int(parts[2]), number >= 1, (2000...2100).contains(year) else { return nil }
        self.init(year: year, number: number)
    }

    public var description: String {
        let digits = String(number)
        return "HE-\(year)-\(String(repeating: "0", count: max(0, 3 - digits.count)))\(digits)"
    }

    public static func < (a: Self, b: Self) -> Bool { (a.year, a.number) < (b.year, b.number) }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let parsed = CatalogueReference(text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "not a catalogue reference"))
        }
        self = parsed
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(description)
    }
}

/// The steering group's scale, verbatim from its minutes.
public enum RatingLevel: String, Sendable, Hashable, Codable, CaseIterable {
    /// "in hohem Maße steuerungsrelevant"
    case highlyRelevant
    /// "steuerungsrelevant"
    case relevant
    /// "weniger steuerungsrelevant": stays in the catalogue, not taken into the dossier.
    case lessRelevant

    /// Whether a recommendation with this consensus rating goes into the annual dossier.
    public var entersDossier: Bool { self != .lessRelevant }
}

/// The rating agreed in the steering meeting, with its justification.
public struct ConsensusRating: Sendable, Hashable, Codable {
    public let level: RatingLevel
    public let justification: String
    public let at: Date
    public let by: UserID

    public init(level: RatingLevel, justification: String, at: Date, by: UserID) {
        self.level = level
        self.justification = justification
        self.at = at
        self.by = by
    }
}

/// Where a recommendation in the catalogue stands, as the public reads it.
public enum CatalogueStatus: String, Sendable, Hashable, Codable, CaseIterable {
    /// Finished by its workspace; the steering group has not rated it yet.
    case submitted
    /// Rated by the steering group.
    case rated
}

/// A finished recommendation in the district's common catalogue. The profile is the
/// finished text, copied when it was signed off, and never changes.
public struct CatalogueEntry: Sendable, Hashable, Codable {
    public let reference: CatalogueReference
    public let recommendationID: RecommendationID
    public let workspaceID: WorkspaceID
    /// The authoring workspace's name when the entry was made (it may be renamed later).
    public let workspaceName: String
    public let revision: Int
    public let profile: RecommendationProfile
    public let finishedAt: Date
    public var consensus: ConsensusRating?

    public init(reference: CatalogueReference, recommendationID: RecommendationID, workspaceID: WorkspaceID, workspaceName: String,
                revision: Int, profile: RecommendationProfile, finishedAt: Date, consensus: ConsensusRating?) {
        self.reference = reference
        self.recommendationID = recommendationID
        self.workspaceID = workspaceID
        self.workspaceName = workspaceName
        self.revision = revision
        self.profile = profile
        self.finishedAt = finishedAt
        self.consensus = consensus
    }

    public var year: Int { reference.year }

    public var status: CatalogueStatus { consensus == nil ? .submitted : .rated }
}

/// The window in which steering-group members rate the recommendations finished in a year.
public struct RatingRound: Sendable, Hashable, Codable {
    public let year: Int
    public var opensOn: LocalDate
    public var closesOn: LocalDate
    public var version: Int

    public init(year: Int, opensOn: LocalDate, closesOn: LocalDate, version: Int) {
        self.year = year
        self.opensOn = opensOn
        self.closesOn = closesOn
        self.version = version
    }

    public func isOpen(on day: LocalDate) -> Bool { opensOn <= day && day <= closesOn }
}

/// One steering-group member's rating of one recommendation.
public struct SteeringRating: Sendable, Hashable, Codable {
    public let reference: CatalogueReference
    public let userID: UserID
    public let level: RatingLevel
    public let justification: String
    public let at: Date

    public init(reference: CatalogueReference, userID: UserID, level: RatingLevel, justification: String, at: Date) {
        self.reference = reference
        self.userID = userID
        self.level = level
        self.justification = justification
        self.at = at
    }
}
