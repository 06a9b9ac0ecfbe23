import Foundation

/// The steering group's rating: rounds, individual ratings, the consensus.
public enum RatingRules {
    public static let justificationLength = 3...2000

    /// Administrators (the planning staff) open a year's round and set its window.
    public static func setRound(year: Int, opensOn: LocalDate, closesOn: LocalDate, existing: RatingRound?, expectedVersion: Int?,
                                by actor: Principal) throws(DomainError) -> (RatingRound, [DomainEvent]) {
        guard actor.isAdmin else { throw actor.adminRefusal }
        var issues: [FieldIssue] = []
        if !(2000...2100).contains(year) { issues.append(FieldIssue(field: "year", code: "outOfRange", message: "A year between 2000 and 2100.")) }
        if closesOn < opensOn { issues.append(FieldIssue(field: "closesOn", code: "beforeOpening", message: "The round must close after it opens.")) }
        guard issues.isEmpty else { throw .validation(issues) }
        if let existing {
            guard let expectedVersion else { throw DomainError(.conflict, code: "ratingRound.exists", message: "This year's round exists; send its version to change it.") }
            guard expectedVersion == existing.version else { throw .versionConflict }
        }
        let round = RatingRound(year: year, opensOn: opensOn, closesOn: closesOn, version: (existing?.version ?? 0) + 1)
        return (round, [.ratingRoundSet(round)])
    }

    /// A steering-group member rates one recommendation while the round is open; rating
    /// again replaces their earlier rating.
    public static func rate(_ entry: CatalogueEntry, round: RatingRound?, level: RatingLevel, justification: String, by actor: Principal,
                            now: Date, today: LocalDate) throws(DomainError) -> (SteeringRating, [DomainEvent]) {
        guard let userID = actor.userID else { throw .unauthenticated }
        guard actor.isSteering else {
            throw DomainError(.forbidden, code: "rating.steeringOnly", message: "Only members of the steering group rate recommendations.")
        }
        guard let round, round.year == entry.year else {
            throw DomainError(.invalidTransition, code: "rating.noRound", message: "There is no rating round for \(entry.year) yet.")
        }
        guard round.isOpen(on: today) else {
            throw DomainError(.invalidTransition, code: "rating.roundClosed",
                              message: "The rating round for \(round.year) is open from \(round.opensOn) to \(round.closesOn).")
        }
        let text = try validJustification(justification)
        let rating = SteeringRating(reference: entry.reference, userID: userID, level: level, justification: text, at: now)
        return (rating, [.ratingSubmitted(rating)])
    }

    /// The consensus reached in the steering meeting, recorded by the planning staff.
    public static func setConsensus(_ entry: CatalogueEntry, level: RatingLevel, justification: String, by actor: Principal,
                                    now: Date) throws(DomainError) -> (CatalogueEntry, [DomainEvent]) {
        guard actor.isAdmin, let userID = actor.userID else { throw actor.adminRefusal }
        var next = entry
        next.consensus = ConsensusRating(level: level, justification: try validJustification(justification), at: now, by: userID)
        return (next, [.consensusSet(next)])
    }

    static func validJustification(_ raw: String) throws(DomainError) -> String {
        let text = raw.trimmingCharacters(in: .whitespacesAndNewlines)
        guard justificationLength.contains(text.count),
              !text.unicodeScalars.contains(where: { $0.properties.generalCategory == .control && $0 != "\n" && $0 != "\r" }) else {
            throw .validation([FieldIssue(field: "justification", code: "length",
                                          message: "A short justification of \(justificationLength.lowerBound) to \(justificationLength.upperBound) characters.")])
        }
        return text
    }

    /// How the individual ratings of one recommendation fall, for the aggregated view.
    public static func tally(_ ratings: [SteeringRating]) -> [RatingLevel: Int] {
        var counts = Dictionary(uniqueKeysWithValues: RatingLevel.allCases.map { ($0, 0) })
        for rating in ratings { counts[rating.level, default: 0] += 1 }
        return counts
    }
}
