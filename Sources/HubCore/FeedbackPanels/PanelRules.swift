import Foundation

/// The editable settings of a panel, as the coordinator sends them (create and update).
public struct PanelDraft: Sendable, Hashable {
    public var title: PanelText
    public var audience: PanelText
    public var summary: PanelText
    public var easyReadSummary: PanelText?
    public var offersEnglish: Bool
    public var opensOn: LocalDate
    public var closesOn: LocalDate
    public var questions: [PanelQuestion]
    public var sections: [ProfileSection]
    public var access: PanelAccess
    public var moderation: ModerationMode
    public var retentionDays: Int
    public var publicResponses: Bool
    public var consentVersion: String
    public var limits: SubmissionLimits

    public init(title: PanelText, audience: PanelText, summary: PanelText, easyReadSummary: PanelText? = nil, offersEnglish: Bool = false,
                opensOn: LocalDate, closesOn: LocalDate, questions: [PanelQuestion] = [], sections: [ProfileSection] = [],
                access: PanelAccess = .publicLink, moderation: ModerationMode = .pre, retentionDays: Int = PanelRules.defaultRetentionDays,
                publicResponses: Bool = true, consentVersion: String, limits: SubmissionLimits = .standard) {
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
    }

    /// The panel's current settings, as the starting point of an update.
    public init(_ panel: FeedbackPanel) {
        self.init(title: panel.title, audience: panel.audience, summary: panel.summary, easyReadSummary: panel.easyReadSummary,
                  offersEnglish: panel.offersEnglish, opensOn: panel.opensOn, closesOn: panel.closesOn, questions: panel.questions,
                  sections: panel.sections, access: panel.access, moderation: panel.moderation, retentionDays: panel.retentionDays,
                  publicResponses: panel.publicResponses, consentVersion: panel.consentVersion, limits: panel.limits)
    }
}

/// The panel lifecycle as pure functions: draft → open → closed → archived. State, actor,
/// input and time in; new state and events out, or a `DomainError`.
public enum PanelRules {
    /// Half a year: long enough for the group to decide and answer (the annual cycle runs
    /// from drafting in spring to the dossier in July), short enough to honour minimisation.
    public static let defaultRetentionDays = 180
    public static let retentionRange = 30...730

    /// Creates a panel in draft. A recommendation panel needs the recommendation (loaded by
    /// the caller) to be a draft of the same workspace.
    public static func create(
        _ draft: PanelDraft, subject: PanelSubject, id: PanelID, in workspace: Workspace, recommendation: Recommendation?,
        by actor: Principal, now: Date
    ) throws(DomainError) -> (FeedbackPanel, [PanelEvent]) {
        try WorkspaceRules.requireEditable(workspace, by: actor, today: LocalDate.berlin(now), permission: PanelPermissions.canManage)
        guard let userID = actor.userID else { throw .unauthenticated }
        try checkSubject(subject, in: workspace.id, recommendation: recommendation)
        let draft = normalized(draft)
        let issues = validate(draft, subject: subject)
        guard issues.isEmpty else { throw .validation(issues) }
        let panel = FeedbackPanel(
            id: id, workspaceID: workspace.id, subject: subject, status: .draft, title: draft.title, audience: draft.audience,
            summary: draft.summary, easyReadSummary: draft.easyReadSummary, offersEnglish: draft.offersEnglish, opensOn: draft.opensOn,
            closesOn: draft.closesOn, questions: draft.questions, sections: draft.sections, access: draft.access, moderation: draft.moderation,
            retentionDays: draft.retentionDays, publicResponses: draft.publicResponses, consentVersion: draft.consentVersion,
            limits: draft.limits, createdBy: userID, createdAt: now, updatedAt: now, version: 1)
        return (panel, [.panelCreated(panel)])
    }

    /// Changes settings. In a draft everything may change. Once open, what submitters agreed
    /// to is fixed (questions, sections, access, moderation, retention, consent text, first
    /// day); texts, the last day, the limits and whether responses are public may change.
    /// Once closed, only texts and `publicResponses`.
    public static func update(
        _ panel: FeedbackPanel, with draft: PanelDraft, expectedVersion: Int, in workspace: Workspace, by actor: Principal, now: Date
    ) throws(DomainError) -> (FeedbackPanel, [PanelEvent]) {
        let today = LocalDate.berlin(now)
        try requireManageable(panel, in: workspace, by: actor, today: today)
        guard expectedVersion == panel.version else { throw .versionConflict }
        let draft = normalized(draft)
        let current = PanelDraft(panel)
        var fixed: [String] = []
        if panel.status != .draft {
            if draft.questions != current.questions { fixed.append("questions") }
            if draft.sections != current.sections { fixed.append("sections") }
            if draft.access != current.access { fixed.append("access") }
            if draft.moderation != current.moderation { fixed.append("moderation") }
            if draft.retentionDays != current.retentionDays { fixed.append("retentionDays") }
            if draft.consentVersion != current.consentVersion { fixed.append("consentVersion") }
            if draft.opensOn != current.opensOn { fixed.append("opensOn") }
            if draft.offersEnglish != current.offersEnglish { fixed.append("offersEnglish") }
        }
        if panel.status == .closed {
            if draft.closesOn != current.closesOn { fixed.append("closesOn") }
            if draft.limits != current.limits { fixed.append("limits") }
        }
        guard fixed.isEmpty else {
            throw DomainError(.invalidTransition, code: "panel.settingFixed",
                              message: "People have already answered under these settings; they can no longer change.",
                              fields: fixed.map { FieldIssue(field: $0, code: "fixed", message: "Fixed once the panel is open.") })
        }
        var issues = validate(draft, subject: panel.subject)
        if panel.status == .open, draft.closesOn != current.closesOn, draft.closesOn < today {
            issues.append(FieldIssue(field: "closesOn", code: "inPast", message: "The last day cannot lie in the past; close the panel instead."))
        }
        guard issues.isEmpty else { throw .validation(issues) }
        guard draft != current else { return (panel, []) }
        var next = panel
        next.title = draft.title
        next.audience = draft.audience
        next.summary = draft.summary
        next.easyReadSummary = draft.easyReadSummary
        next.offersEnglish = draft.offersEnglish
        next.opensOn = draft.opensOn
        next.closesOn = draft.closesOn
        next.questions = draft.questions
        next.sections = draft.sections
        next.access = draft.access
        next.moderation = draft.moderation
        next.retentionDays = draft.retentionDays
        next.publicResponses = draft.publicResponses
        next.consentVersion = draft.consentVersion
        next.limits = draft.limits
        next.version += 1
        next.updatedAt = now
        return (next, [.panelUpdated(next)])
    }

    /// Publishes a draft: the link and QR code start to work. Needs something to answer and a
    /// last day that has not passed; a recommendation panel needs its recommendation still in draft.
    public static func open(
        _ panel: FeedbackPanel, expectedVersion: Int, in workspace: Workspace, recommendation: Recommendation?, by actor: Principal, now: Date
    ) throws(DomainError) -> (FeedbackPanel, [PanelEvent]) {
        let today = LocalDate.berlin(now)
        try requireManageable(panel, in: workspace, by: actor, today: today)
        guard expectedVersion == panel.version else { throw .versionConflict }
        guard panel.status == .draft else {
            throw DomainError(.invalidTransition, code: "panel.notDraft", message: "Only a panel in preparation can be opened.")
        }
        try checkSubject(panel.subject, in: workspace.id, recommendation: recommendation)
        var issues = validate(PanelDraft(panel), subject: panel.subject)
        if panel.questions.isEmpty && panel.sections.isEmpty {
            issues.append(FieldIssue(field: "questions", code: "required", message: "Ask at least one question or for feedback on one section."))
        }
        if panel.closesOn < today {
            issues.append(FieldIssue(field: "closesOn", code: "inPast", message: "The last day has already passed."))
        }
        guard issues.isEmpty else { throw .validation(issues) }
        var next = panel
        next.status = .open
        next.version += 1
        next.updatedAt = now
        return (next, [.panelOpened(next)])
    }

    /// Closes an open panel early (or records that its last day has passed).
    public static func close(
        _ panel: FeedbackPanel, expectedVersion: Int, in workspace: Workspace, by actor: Principal, now: Date
    ) throws(DomainError) -> (FeedbackPanel, [PanelEvent]) {
        let today = LocalDate.berlin(now)
        try requireManageable(panel, in: workspace, by: actor, today: today)
        guard expectedVersion == panel.version else { throw .versionConflict }
        guard panel.status == .open else {
            throw DomainError(.invalidTransition, code: "panel.notOpen", message: "Only an open panel can be closed.")
        }
        let next = closed(panel, on: min(today, panel.closesOn), now: now)
        return (next, [.panelClosed(next)])
    }

    /// Archives a closed panel: read-only from then on. Moderation and responses should be done first.
    public static func archive(
        _ panel: FeedbackPanel, expectedVersion: Int, in workspace: Workspace, by actor: Principal, now: Date
    ) throws(DomainError) -> (FeedbackPanel, [PanelEvent]) {
        let today = LocalDate.berlin(now)
        try requireManageable(panel, in: workspace, by: actor, today: today)
        guard expectedVersion == panel.version else { throw .versionConflict }
        guard panel.phase(on: today) == .closed else {
            throw DomainError(.invalidTransition, code: "panel.notClosed", message: "Only a closed panel can be archived.")
        }
        var next = panel.status == .open ? closed(panel, on: panel.closesOn, now: now) : panel
        next.status = .archived
        next.version = panel.version + 1
        next.updatedAt = now
        return (next, [.panelArchived(next)])
    }

    /// The daily sweep: every open panel whose last day has passed is recorded as closed, so
    /// that lists, the public page and retention agree. Submissions are refused after the last
    /// day even before the sweep runs (see `FeedbackPanel.phase(on:)`).
    public static func closeDue(_ panels: [FeedbackPanel], now: Date) -> [(FeedbackPanel, [PanelEvent])] {
        let today = LocalDate.berlin(now)
        return panels.filter { $0.status == .open && $0.closesOn < today }.map { panel in
            let next = closed(panel, on: panel.closesOn, now: now)
            return (next, [.panelClosed(next)])
        }
    }

    static func closed(_ panel: FeedbackPanel, on day: LocalDate, now: Date) -> FeedbackPanel {
        var next = panel
        next.status = .closed
        next.closedOn = day
        next.version += 1
        next.updatedAt = now
        return next
    }

    /// The actor may manage panels in the workspace, the workspace is editable, and the panel
    /// belongs to it and is not archived.
    static func requireManageable(_ panel: FeedbackPanel, in workspace: Workspace, by actor: Principal, today: LocalDate) throws(DomainError) {
        guard panel.workspaceID == workspace.id else { throw .notFound("panel") }
        try WorkspaceRules.requireEditable(workspace, by: actor, today: today, permission: PanelPermissions.canManage)
        if panel.status == .archived {
            throw DomainError(.invalidTransition, code: "panel.archived", message: "The panel is archived and read-only.")
        }
    }

    static func checkSubject(_ subject: PanelSubject, in workspace: WorkspaceID, recommendation: Recommendation?) throws(DomainError) {
        switch subject {
        case .recommendation(let id):
            guard let recommendation, recommendation.id == id, recommendation.workspaceID == workspace else { throw .notFound("recommendation") }
            guard recommendation.status == .draft else {
                throw DomainError(.invalidTransition, code: "panel.recommendationFinished",
                                  message: "Feedback panels collect feedback on drafts; this recommendation is already finished.")
            }
        case .meetingTopic(let reference):
            if !(1...200).contains(reference.count) || reference.contains(where: { $0.isWhitespace })
                || reference.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) {
                throw .validation([FieldIssue(field: "subject", code: "invalid", message: "Not a meeting topic reference.")])
            }
        }
    }
}
