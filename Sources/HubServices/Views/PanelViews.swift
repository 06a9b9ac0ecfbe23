import Foundation
import HubCore

/// A question on the wire, flat: `kind` is `scale` (with five `labels`), `singleChoice` or
/// `multipleChoice` (with `options` and, for multiple choice, `min`/`max`) or `freeText`
/// (with `maxLength`). The same shape is read and written.
public struct QuestionWire: Sendable, Codable {
    public let id: String?
    public let prompt: PanelText
    public let help: PanelText?
    public let required: Bool?
    public let kind: String
    public let labels: [PanelText]?
    public let options: [ChoiceOption]?
    public let min: Int?
    public let max: Int?
    public let maxLength: Int?

    public init(_ q: PanelQuestion) {
        id = q.id.description
        prompt = q.prompt
        help = q.help
        required = q.required
        kind = q.kind.name
        switch q.kind {
        case .scale(let l): (labels, options, min, max, maxLength) = (l, nil, nil, nil, nil)
        case .singleChoice(let o): (labels, options, min, max, maxLength) = (nil, o, nil, nil, nil)
        case .multipleChoice(let o, let lo, let hi): (labels, options, min, max, maxLength) = (nil, o, lo, hi, nil)
        case .freeText(let n): (labels, options, min, max, maxLength) = (nil, nil, nil, nil, n)
        }
    }

    /// The core question; a new id when none (or a malformed one) is given.
    public func question(at index: Int, newID: () -> UUID) throws(DomainError) -> PanelQuestion {
        let qid = id.flatMap(QuestionID.init) ?? QuestionID(newID())
        let k: QuestionKind
        switch kind {
        case "scale": k = .scale(labels: labels ?? [])
        case "singleChoice": k = .singleChoice(options: options ?? [])
        case "multipleChoice": k = .multipleChoice(options: options ?? [], min: min ?? 0, max: max ?? (options?.count ?? 0))
        case "freeText": k = .freeText(maxLength: maxLength ?? 2000)
        default: throw .validation([FieldIssue(field: "questions[\(index)].kind", code: "invalid", message: "scale, singleChoice, multipleChoice or freeText.")])
        }
        return PanelQuestion(id: qid, prompt: prompt, help: help, required: required ?? false, kind: k)
    }
}

/// A feedback panel as the workspace sees it (HTTP and `panel.*` lifecycle events).
public struct PanelView: Sendable, Encodable {
    public let id: String
    public let workspaceId: String
    public let subject: String
    public let recommendationId: String?
    public let status: PanelStatus
    /// The stored status combined with the dates, today (Europe/Berlin).
    public let phase: PanelPhase
    public let title: PanelText
    public let audience: PanelText
    public let summary: PanelText
    public let easyReadSummary: PanelText?
    public let offersEnglish: Bool
    public let opensOn: LocalDate
    public let closesOn: LocalDate
    public let closedOn: LocalDate?
    public let questions: [QuestionWire]
    public let sections: [ProfileSection]
    public let access: PanelAccess
    public let moderation: ModerationMode
    public let retentionDays: Int
    public let publicResponses: Bool
    public let consentVersion: String
    public let limits: SubmissionLimits
    public let version: Int
    public let createdAt: Date
    public let updatedAt: Date
    /// The public page's path (`/p/<id>`); the QR code encodes it with the host.
    public let publicPath: String

    public init(_ p: FeedbackPanel, now: Date) {
        id = p.id.description
        workspaceId = p.workspaceID.description
        subject = p.subject.description
        recommendationId = p.subject.recommendationID?.description
        status = p.status
        phase = p.phase(at: now)
        title = p.title
        audience = p.audience
        summary = p.summary
        easyReadSummary = p.easyReadSummary
        offersEnglish = p.offersEnglish
        opensOn = p.opensOn
        closesOn = p.closesOn
        closedOn = p.closedOn
        questions = p.questions.map(QuestionWire.init)
        sections = p.sections
        access = p.access
        moderation = p.moderation
        retentionDays = p.retentionDays
        publicResponses = p.publicResponses
        consentVersion = p.consentVersion
        limits = p.limits
        version = p.version
        createdAt = p.createdAt
        updatedAt = p.updatedAt
        publicPath = "/p/\(p.id)"
    }
}

/// A feedback item as a member of the workspace sees it. Never the e-mail address (only the
/// mailer reads it); content and pseudonym only when the reader may see them (moderators
/// always, others while visible).
public struct SubmissionItemView: Sendable, Encodable {
    public let id: String
    public let panelId: String
    public let status: SubmissionStatus
    public let content: SubmissionContent?
    public let pseudonym: String?
    public let language: PanelLanguage
    public let moderation: ModerationNoteView?
    public let response: ResponseView?
    public let receivedAt: Date
    public let updatedAt: Date
    public let version: Int

    public init(_ s: PanelSubmission, response: PanelResponse?, showContent: Bool, moderatorNames: [UserID: String]) {
        id = s.id.description
        panelId = s.panelID.description
        status = s.status
        content = showContent ? s.content : nil
        pseudonym = showContent ? s.pseudonym : nil
        language = s.language
        moderation = showContent ? s.moderation.map { ModerationNoteView($0, name: moderatorNames[$0.moderatorID] ?? "") } : nil
        self.response = response.map { ResponseView($0, authorName: moderatorNames[$0.authorID] ?? "") }
        receivedAt = s.receivedAt
        updatedAt = s.updatedAt
        version = s.version
    }
}

public struct ModerationNoteView: Sendable, Encodable {
    public let decision: ModerationNote.Decision
    public let reason: String?
    public let moderatorId: String
    public let moderatorName: String
    public let at: Date

    public init(_ n: ModerationNote, name: String) {
        decision = n.decision
        reason = n.reason
        moderatorId = n.moderatorID.description
        moderatorName = name
        at = n.at
    }
}

public struct ResponseView: Sendable, Encodable {
    public let submissionId: String
    public let text: String
    public let changedRevision: Int?
    public let authorId: String
    public let authorName: String
    public let createdAt: Date
    public let updatedAt: Date
    public let version: Int

    public init(_ r: PanelResponse, authorName: String) {
        submissionId = r.submissionID.description
        text = r.text
        changedRevision = r.changedRevision
        authorId = r.authorID.description
        self.authorName = authorName
        createdAt = r.createdAt
        updatedAt = r.updatedAt
        version = r.version
    }
}

/// An invite code's record (never the code, which is shown once when created).
public struct InviteView: Sendable, Encodable {
    public let id: String
    public let panelId: String
    public let label: String
    public let maxUses: Int
    public let uses: Int
    public let revoked: Bool
    public let createdAt: Date
    /// Only in the answer to creating it: the code to print, in groups of five.
    public let code: String?

    public init(_ i: PanelInvite, code: PanelCode? = nil) {
        id = i.id.description
        panelId = i.panelID.description
        label = i.label
        maxUses = i.maxUses
        uses = i.uses
        revoked = i.revoked
        createdAt = i.createdAt
        self.code = code?.formatted
    }
}

/// The payload of submission events: ids and state only (`SubmissionNotice`).
public struct SubmissionNoticeView: Sendable, Encodable {
    public let panelId: String
    public let workspaceId: String
    public let submissionId: String
    public let status: SubmissionStatus
    public let version: Int
}

/// The payload of `panel.responseSet`.
public struct ResponseNoticeView: Sendable, Encodable {
    public let panelId: String
    public let workspaceId: String
    public let submissionId: String
    public let isPublic: Bool
}

/// The payload of `panel.inviteChanged`.
public struct InviteNoticeView: Sendable, Encodable {
    public let panelId: String
    public let inviteId: String
    public let label: String
    public let maxUses: Int
    public let uses: Int
    public let revoked: Bool
}

/// The payload of `panel.resultsChanged` and `panel.personalDataErased`.
public struct PanelRefView: Sendable, Encodable {
    public let panelId: String
    public let workspaceId: String
    public let count: Int?
}

/// One entry of the public responses page.
public struct PublicResponseView: Sendable, Encodable {
    public struct Quote: Sendable, Encodable {
        public let question: String?
        public let section: ProfileSection?
        public let text: String
    }
    public let submissionId: String
    public let quotes: [Quote]
    public let response: String
    public let changedRevision: Int?
    public let respondedAt: Date

    public init(_ e: PublicResponseEntry) {
        submissionId = e.submissionID.description
        quotes = e.quotes.map { q in
            switch q.source {
            case .question(let id): Quote(question: id.description, section: nil, text: q.text)
            case .section(let s): Quote(question: nil, section: s, text: q.text)
            }
        }
        response = e.response
        changedRevision = e.changedRevision
        respondedAt = e.respondedAt
    }
}

extension PanelEvent {
    /// The event's payload: the panel view for lifecycle events; ids and state otherwise
    /// (clients refetch over HTTP with their own rights).
    func payload(now: Date) -> String {
        switch self {
        case .panelCreated(let p), .panelUpdated(let p), .panelOpened(let p), .panelClosed(let p), .panelArchived(let p):
            return WireJSON.string(PanelView(p, now: now))
        case .inviteChanged(let n):
            return WireJSON.string(InviteNoticeView(panelId: n.panelID.description, inviteId: n.inviteID.description, label: n.label,
                                                    maxUses: n.maxUses, uses: n.uses, revoked: n.revoked))
        case .submissionReceived(let n), .awaitingModeration(let n), .submissionChanged(let n), .submissionWithdrawn(let n),
             .submissionModerated(let n):
            return WireJSON.string(SubmissionNoticeView(panelId: n.panelID.description, workspaceId: n.workspaceID.description,
                                                        submissionId: n.submissionID.description, status: n.status, version: n.version))
        case .responseSet(let n):
            return WireJSON.string(ResponseNoticeView(panelId: n.panelID.description, workspaceId: n.workspaceID.description,
                                                      submissionId: n.submissionID.description, isPublic: n.isPublic))
        case .resultsChanged(let panel, let workspace):
            return WireJSON.string(PanelRefView(panelId: panel.description, workspaceId: workspace.description, count: nil))
        case .personalDataErased(let panel, let workspace, let count):
            return WireJSON.string(PanelRefView(panelId: panel.description, workspaceId: workspace.description, count: count))
        }
    }
}

extension PanelEvent {
    /// The panel of a lifecycle event.
    var panel: FeedbackPanel? {
        switch self {
        case .panelCreated(let p), .panelUpdated(let p), .panelOpened(let p), .panelClosed(let p), .panelArchived(let p): p
        default: nil
        }
    }
}
