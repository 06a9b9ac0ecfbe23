import Foundation

public typealias PanelID = Identifier<FeedbackPanel>

/// The languages a panel can be read and answered in. German always; English when the
/// coordinator provides every text in English too.
public enum PanelLanguage: String, Sendable, Hashable, Codable, CaseIterable {
    case de, en
}

/// A text a panel shows, in German and optionally in English.
public struct PanelText: Sendable, Hashable, Codable {
    public var de: String
    public var en: String?

    public init(de: String, en: String? = nil) {
        self.de = de
        self.en = en
    }

    /// The text in `language`; German when no English version exists, because German is the
    /// district's working language and every text has it.
    public func text(in language: PanelLanguage) -> String {
        switch language {
        case .de: de
        case .en: en.flatMap { $0.isEmpty ? nil : $0 } ?? de
        }
    }

    /// Trims both versions; an English text that is only whitespace counts as absent.
    func trimmed() -> PanelText {
        let english = en?.trimmingCharacters(in: .whitespacesAndNewlines)
        return PanelText(de: de.trimmingCharacters(in: .whitespacesAndNewlines), en: english?.isEmpty == false ? english : nil)
    }
}

/// What a panel asks about: a draft recommendation, or a topic on a meeting's agenda.
public enum PanelSubject: Sendable, Hashable, Codable, CustomStringConvertible {
    case recommendation(RecommendationID)
    /// An opaque reference owned by the meetings component (for example `meeting:<id>/topic:<id>`);
    /// the core checks only its shape.
    case meetingTopic(String)

    /// The recommendation asked about, if any. Only such panels can ask for feedback per profile section.
    public var recommendationID: RecommendationID? {
        if case .recommendation(let id) = self { return id }
        return nil
    }

    /// Stable text form: `recommendation:<uuid>` or `meetingTopic:<reference>`.
    public var description: String {
        switch self {
        case .recommendation(let id): "recommendation:\(id)"
        case .meetingTopic(let reference): "meetingTopic:\(reference)"
        }
    }

    /// Parses the text form.
    public init?(_ text: String) {
        if text.hasPrefix("recommendation:"), let id = RecommendationID(String(text.dropFirst("recommendation:".count))) {
            self = .recommendation(id)
        } else if text.hasPrefix("meetingTopic:"), text.count > "meetingTopic:".count {
            self = .meetingTopic(String(text.dropFirst("meetingTopic:".count)))
        } else {
            return nil
        }
    }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let subject = PanelSubject(text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "not a panel subject"))
        }
        self = subject
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(description)
    }
}

/// The stored lifecycle state. Whether a panel takes submissions today also depends on its
/// dates: see `FeedbackPanel.phase(on:)`.
public enum PanelStatus: String, Sendable, Hashable, Codable, CaseIterable {
    /// Being prepared; only the workspace sees it.
    case draft
    /// Published: the link works; submissions are taken from `opensOn` through `closesOn`.
    case open
    /// No more submissions; moderation and responses go on.
    case closed
    /// Read-only record.
    case archived
}

/// The phase a panel is in on a given day: the stored status combined with its dates.
public enum PanelPhase: String, Sendable, Hashable, Codable, CaseIterable {
    case draft
    /// Published, but `opensOn` has not come yet (QR codes are often printed in advance).
    case upcoming
    case open
    /// Closed by the coordinator, or past `closesOn` (even before the daily sweep records it).
    case closed
    case archived
}

/// Who may submit.
public enum PanelAccess: String, Sendable, Hashable, Codable, CaseIterable {
    /// Anyone with the link or QR code.
    case publicLink
    /// Only with an invite code handed out by the coordinator (e.g. to a youth council).
    case inviteOnly
}

/// When feedback becomes visible to the workspace and in the results.
public enum ModerationMode: String, Sendable, Hashable, Codable, CaseIterable {
    /// Hidden until a moderator approves it.
    case pre
    /// Visible at once until a moderator hides it.
    case post
}

/// How many submissions one client (see `ClientKey`) may make to one panel. Both bands apply.
public struct SubmissionLimits: Sendable, Hashable, Codable {
    public var perHour: Int
    public var perDay: Int

    public init(perHour: Int, perDay: Int) {
        self.perHour = perHour
        self.perDay = perDay
    }

    /// Generous enough for a counselling centre where several people share one Wi-Fi (one
    /// address), tight enough that one script cannot flood a panel. Coordinators raise them
    /// for a workshop where a whole room answers from one network.
    public static let standard = SubmissionLimits(perHour: 10, perDay: 40)
    public static let perHourRange = 1...500
    public static let perDayRange = 1...5000
}

/// A feedback panel: affected people comment on a draft from a phone, without an account.
public struct FeedbackPanel: Sendable, Hashable, Codable, Identifiable {
    public let id: PanelID
    public let workspaceID: WorkspaceID
    public let subject: PanelSubject
    public var status: PanelStatus
    public var title: PanelText
    /// Whom the panel asks ("Eltern von Kita-Kindern im Kreis").
    public var audience: PanelText
    /// What the draft says, in plain language.
    public var summary: PanelText
    /// The summary in Leichte Sprache (easy-to-read language), if written.
    public var easyReadSummary: PanelText?
    /// Whether every text is also in English, so the panel can be answered in English.
    public var offersEnglish: Bool
    /// First day submissions are taken (Europe/Berlin).
    public var opensOn: LocalDate
    /// Last day submissions are taken, inclusive (until midnight Europe/Berlin).
    public var closesOn: LocalDate
    public var questions: [PanelQuestion]
    /// The profile sections people can rate and comment on, in profile order.
    public var sections: [ProfileSection]
    public var access: PanelAccess
    public var moderation: ModerationMode
    /// Days after the panel's last day after which pseudonyms, e-mail addresses and receipts
    /// are erased. Fixed once open: the consent text promises it.
    public var retentionDays: Int
    /// Whether the public page lists the responses ("you said → we did").
    public var publicResponses: Bool
    /// The version of the consent text (purpose, retention, contact) submitters agree to.
    public var consentVersion: String
    public var limits: SubmissionLimits
    public let createdBy: UserID
    public let createdAt: Date
    public var updatedAt: Date
    /// Increases with every change; the basis of optimistic concurrency (ETag).
    public var version: Int
    /// The day the panel actually stopped taking submissions, once it is closed: the day the
    /// coordinator closed it early, or `closesOn`.
    public var closedOn: LocalDate?

    public init(id: PanelID, workspaceID: WorkspaceID, subject: PanelSubject, status: PanelStatus, title: PanelText, audience: PanelText,
                summary: PanelText, easyReadSummary: PanelText?, offersEnglish: Bool, opensOn: LocalDate, closesOn: LocalDate,
                questions: [PanelQuestion], sections: [ProfileSection], access: PanelAccess, moderation: ModerationMode, retentionDays: Int,
                publicResponses: Bool, consentVersion: String, limits: SubmissionLimits, createdBy: UserID, createdAt: Date, updatedAt: Date,
                version: Int, closedOn: LocalDate? = nil) {
        self.id = id
        self.workspaceID = workspaceID
        self.subject = subject
        self.status = status
        self.title = title
        self.audience = audience
        self.summary = summary
        self.easyReadSummary = easyReadSummary
        self.offersEnglish = offersEnglish
        self.opensOn = opensOn
        self.closesOn = closesOn
        self.questions = questions
        self.sections = sections
        self.access = access
        self.moderation = moderation
        self.retentionDays = retentionDays
        self.publicResponses = publicResponses
        self.consentVersion = consentVersion
        self.limits = limits
        self.createdBy = createdBy
        self.createdAt = createdAt
        self.updatedAt = updatedAt
        self.version = version
        self.closedOn = closedOn
    }

    /// The phase on `today` (a Europe/Berlin day).
    public func phase(on today: LocalDate) -> PanelPhase {
        switch status {
        case .draft: .draft
        case .closed: .closed
        case .archived: .archived
        case .open: today < opensOn ? .upcoming : today > closesOn ? .closed : .open
        }
    }

    /// The phase at an instant.
    public func phase(at now: Date) -> PanelPhase { phase(on: LocalDate.berlin(now)) }

    /// The last day submissions were (or will be) taken.
    public var lastDay: LocalDate { closedOn ?? closesOn }

    /// From this day on, personal data of the panel's submissions is erased; `nil` while the
    /// panel is still a draft or may still take submissions on `today`.
    public func erasureDay(on today: LocalDate) -> LocalDate? {
        switch phase(on: today) {
        case .closed, .archived: lastDay.adding(days: retentionDays)
        case .draft, .upcoming, .open: nil
        }
    }

    /// The languages the panel can be answered in.
    public var languages: [PanelLanguage] { offersEnglish ? [.de, .en] : [.de] }
}
