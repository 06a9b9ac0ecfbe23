import Foundation

/// Where the minutes stand in their approval.
public enum MinutesStage: String, Sendable, Hashable, Codable, CaseIterable {
    /// Being written; every writer of the workspace edits.
    case draft
    /// Sent to the participants; objections are taken until the deadline; only the
    /// coordinator corrects the text (in answer to objections).
    case circulated
    /// Frozen, with the hash of the approved text.
    case approved
}

/// The approval record of a set of minutes.
public struct MinutesApproval: Hashable, Sendable, Codable {
    public var stage: MinutesStage = .draft
    public var circulatedAt: Date?
    public var circulatedBy: UserID?
    /// The last day objections are taken (inclusive, Europe/Berlin).
    public var deadline: LocalDate?
    /// How often the minutes were circulated (a recirculation after substantial corrections
    /// starts a new deadline).
    public var round: Int = 0
    /// Set once the deadline passed with objections open, so the coordinator is told once.
    public var decisionRequired: Bool = false
    public var approvedAt: Date?
    /// Nil when the minutes were deemed approved because the deadline passed without open objections.
    public var approvedBy: UserID?
    public var deemedApproved: Bool = false
    /// SHA-256 (hex) of the approved text (`MinutesDocument.canonicalText`).
    public var contentHash: String?

    public init() {}

    /// Whether the deadline is over on `today`.
    public func deadlinePassed(today: LocalDate) -> Bool {
        guard let deadline else { return false }
        return today > deadline
    }
}

/// How the coordinator answered an objection.
public enum ObjectionResolution: String, Sendable, Hashable, Codable, CaseIterable {
    /// The minutes were corrected as asked.
    case accepted
    /// The minutes stay as they are; the answer gives the reasons.
    case rejected
}

/// The coordinator's answer to an objection.
public struct ObjectionAnswer: Hashable, Sendable, Codable {
    public let text: String
    public let resolution: ObjectionResolution
    public let by: UserID
    public let at: Date

    public init(text: String, resolution: ObjectionResolution, by: UserID, at: Date) {
        self.text = text
        self.resolution = resolution
        self.by = by
        self.at = at
    }
}

/// An objection (Einwand) to circulated minutes by someone who was present, with the
/// coordinator's answer. Objections and answers are kept with the approved minutes.
public struct Objection: Hashable, Sendable, Codable, Identifiable {
    /// Open until answered or withdrawn.
    public enum State: String, Sendable, Hashable, Codable {
        case open, answered, withdrawn
    }

    public let id: ObjectionID
    public let by: InviteeKey
    /// The section objected to; nil for the minutes as a whole.
    public let section: MinutesSection?
    public let text: String
    public let raisedAt: Date
    /// The circulation round it was raised in.
    public let round: Int
    public var answer: ObjectionAnswer?
    public var withdrawnAt: Date?

    public init(id: ObjectionID, by: InviteeKey, section: MinutesSection?, text: String, raisedAt: Date, round: Int,
                answer: ObjectionAnswer? = nil, withdrawnAt: Date? = nil) {
        self.id = id
        self.by = by
        self.section = section
        self.text = text
        self.raisedAt = raisedAt
        self.round = round
        self.answer = answer
        self.withdrawnAt = withdrawnAt
    }

    /// Derived from the answer and the withdrawal.
    public var state: State {
        if withdrawnAt != nil { return .withdrawn }
        return answer == nil ? .open : .answered
    }
}
