import Foundation

public typealias SubmissionID = Identifier<PanelSubmission>

/// An answer to one question. On the wire and in storage one key names the kind:
/// `{"scale":4}`, `{"choice":"bus"}`, `{"choices":["bus","rad"]}`, `{"text":"…"}`. (The
/// compiler's default form `{"scale":{"_0":4}}`, written before, is still read.)
public enum AnswerValue: Sendable, Hashable, Codable {
    /// A point of a 1–5 scale.
    case scale(Int)
    /// The key of the chosen option.
    case choice(String)
    /// The keys of the chosen options (multiple choice).
    case choices([String])
    case text(String)

    private enum Key: String, CodingKey { case scale, choice, choices, text }
    private enum Wrapped: String, CodingKey { case value = "_0" }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: Key.self)
        switch self {
        case .scale(let v): try c.encode(v, forKey: .scale)
        case .choice(let v): try c.encode(v, forKey: .choice)
        case .choices(let v): try c.encode(v, forKey: .choices)
        case .text(let v): try c.encode(v, forKey: .text)
        }
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: Key.self)
        guard c.allKeys.count == 1, let key = c.allKeys.first else {
            throw DecodingError.dataCorrupted(.init(codingPath: c.codingPath, debugDescription: "One of scale, choice, choices, text."))
        }
        func value<T: Decodable>(_ type: T.Type) throws -> T {
            if let plain = try? c.decode(T.self, forKey: key) { return plain }
            return try c.nestedContainer(keyedBy: Wrapped.self, forKey: key).decode(T.self, forKey: .value)
        }
        switch key {
        case .scale: self = .scale(try value(Int.self))
        case .choice: self = .choice(try value(String.self))
        case .choices: self = .choices(try value([String].self))
        case .text: self = .text(try value(String.self))
        }
    }
}

/// The answer to one question.
public struct PanelAnswer: Sendable, Hashable, Codable {
    public let questionID: QuestionID
    public let value: AnswerValue

    public init(questionID: QuestionID, value: AnswerValue) {
        self.questionID = questionID
        self.value = value
    }
}

/// Feedback on one section of the recommendation's profile: a rating from 1 (do not agree
/// at all) to 5 (fully agree), a comment, or both.
public struct SectionFeedback: Sendable, Hashable, Codable {
    public let section: ProfileSection
    public let rating: Int?
    public let comment: String?

    public init(section: ProfileSection, rating: Int?, comment: String?) {
        self.section = section
        self.rating = rating
        self.comment = comment
    }
}

/// What someone said: answers and section feedback. Kept (anonymously) after the personal
/// data of a submission is erased; erased only when the submitter withdraws.
public struct SubmissionContent: Sendable, Hashable, Codable {
    /// In the panel's question order.
    public var answers: [PanelAnswer]
    /// In profile order.
    public var sections: [SectionFeedback]

    public init(answers: [PanelAnswer] = [], sections: [SectionFeedback] = []) {
        self.answers = answers
        self.sections = sections
    }

    /// Nothing answered and no section feedback.
    public var isEmpty: Bool { answers.isEmpty && sections.isEmpty }

    /// The answer to a question, if given.
    public func answer(to question: QuestionID) -> AnswerValue? { answers.first { $0.questionID == question }?.value }

    /// The feedback on a section, if given.
    public func feedback(on section: ProfileSection) -> SectionFeedback? { sections.first { $0.section == section } }
}

/// Where a submission stands.
public enum SubmissionStatus: String, Sendable, Hashable, Codable, CaseIterable {
    /// Waiting for a moderator (pre-moderation, or changed after being hidden).
    case pending
    /// Visible to the workspace, counted in the results, and quotable on the public page.
    case visible
    /// Hidden by a moderator; the content stays, for moderators only.
    case hidden
    /// Withdrawn by the submitter: content and personal data are gone.
    case withdrawn
}

/// The last moderation decision, with its reason; shown to moderators and to the submitter.
public struct ModerationNote: Sendable, Hashable, Codable {
    public enum Decision: String, Sendable, Hashable, Codable { case approved, hidden }
    public let decision: Decision
    public let reason: String?
    public let moderatorID: UserID
    public let at: Date

    public init(decision: Decision, reason: String?, moderatorID: UserID, at: Date) {
        self.decision = decision
        self.reason = reason
        self.moderatorID = moderatorID
        self.at = at
    }
}

/// Proof of consent: which version of the consent text was agreed to, and when.
public struct ConsentRecord: Sendable, Hashable, Codable {
    public let version: String
    public let givenAt: Date

    public init(version: String, givenAt: Date) {
        self.version = version
        self.givenAt = givenAt
    }
}

/// A feedback item: one person's answers to one panel, given without an account.
///
/// Personal data (erased by retention, see `PanelRetention`): `pseudonym`, `email`,
/// `receiptDigest` (it links a person holding the code to the content) and `fingerprint`.
/// The client address is never part of it, not even hashed: only the client key's
/// allowance state (kept elsewhere, expiring within a day) and the fingerprint derive from it.
public struct PanelSubmission: Sendable, Hashable, Codable, Identifiable {
    public let id: SubmissionID
    public let panelID: PanelID
    public var content: SubmissionContent
    /// How the submitter wants to be addressed in responses; never shown on public pages.
    public var pseudonym: String?
    /// For a notice when a response arrives; read by nobody but the mailer.
    public var email: String?
    /// The language the submitter used, for notices.
    public let language: PanelLanguage
    public let consent: ConsentRecord
    /// The hash of the receipt code; the code itself is shown once and never stored.
    public var receiptDigest: PanelCodeDigest?
    /// Recognizes a repeated submission of the same content from the same client for a few
    /// minutes (see `SubmissionRules.duplicateWindow`); useless once that day's key secret is gone.
    public var fingerprint: SubmissionFingerprint?
    public var status: SubmissionStatus
    public var moderation: ModerationNote?
    public let receivedAt: Date
    public var updatedAt: Date
    /// Increases with every change by the submitter or a moderator (optimistic concurrency:
    /// a moderator approves the version they read).
    public var version: Int
    /// When retention erased the personal data.
    public var personalDataErasedAt: Date?

    public init(id: SubmissionID, panelID: PanelID, content: SubmissionContent, pseudonym: String?, email: String?, language: PanelLanguage,
                consent: ConsentRecord, receiptDigest: PanelCodeDigest?, fingerprint: SubmissionFingerprint?, status: SubmissionStatus,
                moderation: ModerationNote? = nil, receivedAt: Date, updatedAt: Date, version: Int, personalDataErasedAt: Date? = nil) {
        self.id = id
        self.panelID = panelID
        self.content = content
        self.pseudonym = pseudonym
        self.email = email
        self.language = language
        self.consent = consent
        self.receiptDigest = receiptDigest
        self.fingerprint = fingerprint
        self.status = status
        self.moderation = moderation
        self.receivedAt = receivedAt
        self.updatedAt = updatedAt
        self.version = version
        self.personalDataErasedAt = personalDataErasedAt
    }

    /// Whether any personal data is still held.
    public var holdsPersonalData: Bool { pseudonym != nil || email != nil || receiptDigest != nil || fingerprint != nil }
}
