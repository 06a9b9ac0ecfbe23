import Foundation

/// The group's answer to one feedback item: "you said → we did". One per item; the
/// coordinator may revise it.
public struct PanelResponse: Sendable, Hashable, Codable {
    public let submissionID: SubmissionID
    public let panelID: PanelID
    /// Plain text for the submitter (and, if the panel says so, the public).
    public var text: String
    /// The revision of the recommendation that took the feedback up, if any.
    public var changedRevision: Int?
    public var authorID: UserID
    public let createdAt: Date
    public var updatedAt: Date
    public var version: Int

    public init(submissionID: SubmissionID, panelID: PanelID, text: String, changedRevision: Int?, authorID: UserID, createdAt: Date,
                updatedAt: Date, version: Int) {
        self.submissionID = submissionID
        self.panelID = panelID
        self.text = text
        self.changedRevision = changedRevision
        self.authorID = authorID
        self.createdAt = createdAt
        self.updatedAt = updatedAt
        self.version = version
    }
}

/// Something a submitter wrote in their own words, quoted next to a public response.
public struct PanelQuote: Sendable, Hashable {
    /// What the quoted text answered.
    public enum Source: Sendable, Hashable {
        case question(QuestionID)
        case section(ProfileSection)
    }
    public let source: Source
    public let text: String

    public init(source: Source, text: String) {
        self.source = source
        self.text = text
    }
}

/// One entry of a panel's public page: what was said, and what became of it. Never with a
/// pseudonym: the page is public, and a pseudonym is often a first name.
public struct PublicResponseEntry: Sendable, Hashable {
    public let submissionID: SubmissionID
    public let quotes: [PanelQuote]
    public let response: String
    public let changedRevision: Int?
    public let respondedAt: Date
}

/// Responses as pure functions.
public enum ResponseRules {
    public static let textLength = 1...4000

    /// Writes or revises the response to an item. The item must have been moderated (a
    /// pending one first needs a decision); hidden items can be answered, the answer then
    /// reaches only the submitter. `currentRevision` is the recommendation's current revision
    /// when the panel is about one (to check `changedRevision`).
    public static func respond(
        to submission: PanelSubmission, in panel: FeedbackPanel, workspace: Workspace, existing: PanelResponse?, text: String,
        changedRevision: Int?, currentRevision: Int?, expectedVersion: Int?, by actor: Principal, now: Date
    ) throws(DomainError) -> (PanelResponse, [PanelEvent]) {
        guard submission.panelID == panel.id else { throw .notFound("submission") }
        try PanelRules.requireManageable(panel, in: workspace, by: actor, today: LocalDate.berlin(now))
        guard PanelPermissions.canRespond(actor, panel.workspaceID), let userID = actor.userID else { throw .forbidden }
        switch submission.status {
        case .visible, .hidden: break
        case .pending:
            throw DomainError(.invalidTransition, code: "submission.notModerated", message: "Approve or hide the item before answering it.")
        case .withdrawn:
            throw DomainError(.invalidTransition, code: "submission.withdrawn", message: "This feedback was withdrawn.")
        }
        if let existing, expectedVersion != existing.version { throw .versionConflict }
        let text = TextChecks.cleaned(text) ?? ""
        var issues: [FieldIssue] = []
        if !textLength.contains(text.count) {
            issues.append(FieldIssue(field: "text", code: "length", message: "A response of 1 to 4,000 characters."))
        }
        if TextChecks.hasControlCharacters(text, allowLineBreaks: true) {
            issues.append(FieldIssue(field: "text", code: "invalidCharacters", message: "Contains control characters."))
        }
        if let changedRevision {
            if panel.subject.recommendationID == nil {
                issues.append(FieldIssue(field: "changedRevision", code: "notARecommendation", message: "The panel is not about a recommendation."))
            } else if changedRevision < 1 || changedRevision > (currentRevision ?? 0) {
                issues.append(FieldIssue(field: "changedRevision", code: "unknown", message: "Not a revision of this recommendation."))
            }
        }
        guard issues.isEmpty else { throw .validation(issues) }
        if let existing, existing.text == text, existing.changedRevision == changedRevision { return (existing, []) }
        let response = PanelResponse(
            submissionID: submission.id, panelID: panel.id, text: text, changedRevision: changedRevision, authorID: userID,
            createdAt: existing?.createdAt ?? now, updatedAt: now, version: (existing?.version ?? 0) + 1)
        let notice = ResponseNotice(
            panelID: panel.id, workspaceID: panel.workspaceID, submissionID: submission.id,
            isPublic: panel.publicResponses && panel.access == .publicLink && submission.status == .visible,
            notifySubmitter: submission.email != nil && existing?.text != text)
        return (response, [.responseSet(notice)])
    }

    /// The public page's list: responses to visible items, if the panel publishes them, in
    /// the order they were first written. Quotes are the item's free texts and comments;
    /// ratings and choices are in the results, not here.
    public static func publicEntries(_ panel: FeedbackPanel, submissions: [PanelSubmission], responses: [PanelResponse]) -> [PublicResponseEntry] {
        guard panel.publicResponses, panel.status != .draft else { return [] }
        let visible = Dictionary(submissions.filter { $0.panelID == panel.id && $0.status == .visible }.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        return responses
            .filter { $0.panelID == panel.id }
            .sorted { ($0.createdAt, $0.submissionID.description) < ($1.createdAt, $1.submissionID.description) }
            .compactMap { response in
                guard let item = visible[response.submissionID] else { return nil }
                var quotes: [PanelQuote] = []
                for answer in item.content.answers {
                    if case .text(let text) = answer.value { quotes.append(PanelQuote(source: .question(answer.questionID), text: text)) }
                }
                for feedback in item.content.sections {
                    if let comment = feedback.comment { quotes.append(PanelQuote(source: .section(feedback.section), text: comment)) }
                }
                return PublicResponseEntry(submissionID: item.id, quotes: quotes, response: response.text,
                                           changedRevision: response.changedRevision, respondedAt: response.createdAt)
            }
    }
}
