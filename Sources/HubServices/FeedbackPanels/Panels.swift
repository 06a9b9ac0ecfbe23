import Foundation
import HubCore
import Logging

/// Feedback panels for the workspace: set up, open, close and archive panels, invite codes,
/// moderation, responses, results and exports. The public side (submitting without an
/// account) is `PanelSubmissions`.
public struct Panels: Sendable {
    let deps: ServiceDependencies
    let crypto: any PanelCrypto
    let mailer: any Mailer
    let publicOrigin: String

    public init(deps: ServiceDependencies, crypto: any PanelCrypto, mailer: any Mailer, publicOrigin: String = "") {
        self.deps = deps
        self.publicOrigin = publicOrigin
        self.crypto = crypto
        self.mailer = mailer
    }

    var hash: @Sendable (Data) -> Data { { [crypto] in crypto.sha256($0) } }

    // MARK: Reading

    /// The panels of a workspace (members of any role).
    public func list(in workspaceID: WorkspaceID, by actor: Principal) async throws -> [PanelView] {
        _ = try await readableWorkspace(workspaceID, by: actor)
        let now = deps.clock.now()
        return try await deps.store.panels(in: workspaceID).map { PanelView($0, now: now) }
    }

    /// The panels about one recommendation.
    public func list(about recommendationID: RecommendationID, by actor: Principal) async throws -> [PanelView] {
        guard let recommendation = try await deps.store.recommendation(recommendationID),
              PanelPermissions.canReadInternal(actor, recommendation.workspaceID) else {
            throw actor.isSignedIn ? DomainError.notFound("recommendation") : DomainError.unauthenticated
        }
        let now = deps.clock.now()
        return try await deps.store.panels(in: recommendation.workspaceID)
            .filter { $0.subject.recommendationID == recommendationID }.map { PanelView($0, now: now) }
    }

    public func get(_ id: PanelID, by actor: Principal) async throws -> PanelView {
        PanelView(try await readable(id, by: actor).panel, now: deps.clock.now())
    }

    /// A panel the actor may read inside its workspace; others do not exist for them.
    func readable(_ id: PanelID, by actor: Principal) async throws -> (panel: FeedbackPanel, workspace: Workspace) {
        guard let panel = try await deps.store.panel(id), PanelPermissions.canReadInternal(actor, panel.workspaceID),
              let workspace = try await deps.store.workspace(panel.workspaceID) else {
            throw actor.isSignedIn ? DomainError.notFound("panel") : DomainError.unauthenticated
        }
        return (panel, workspace)
    }

    func readableWorkspace(_ id: WorkspaceID, by actor: Principal) async throws -> Workspace {
        guard actor.isSignedIn else { throw DomainError.unauthenticated }
        guard let workspace = try await deps.store.workspace(id), PanelPermissions.canReadInternal(actor, id) else {
            throw DomainError.notFound("workspace")
        }
        return workspace
    }

    // MARK: Lifecycle

    public func create(in workspaceID: WorkspaceID, subject: PanelSubject, draft: PanelDraft, by actor: Principal) async throws -> PanelView {
        let workspace = try await readableWorkspace(workspaceID, by: actor)
        let recommendation = try await subject.recommendationID.asyncMap { try await deps.store.recommendation($0) } ?? nil
        let now = deps.clock.now()
        let (panel, events) = try PanelRules.create(draft, subject: subject, id: PanelID(deps.ids.uuid()), in: workspace,
                                                    recommendation: recommendation, by: actor, now: now)
        try await deps.commit(ChangeSet(changes: [.panel(.insertPanel(panel))], events: EventEncoding.newEvents(events.map(DomainEvent.panel))))
        return PanelView(panel, now: now)
    }

    public func update(_ id: PanelID, draft: PanelDraft, expectedVersion: Int, by actor: Principal) async throws -> PanelView {
        let (panel, workspace) = try await readable(id, by: actor)
        let now = deps.clock.now()
        let (next, events) = try PanelRules.update(panel, with: draft, expectedVersion: expectedVersion, in: workspace, by: actor, now: now)
        try await save(next, was: panel, events)
        return PanelView(next, now: now)
    }

    public enum Transition: String, Sendable { case open, close, archive }

    public func transition(_ id: PanelID, _ transition: Transition, expectedVersion: Int, by actor: Principal) async throws -> PanelView {
        let (panel, workspace) = try await readable(id, by: actor)
        let now = deps.clock.now()
        let result: (FeedbackPanel, [PanelEvent])
        switch transition {
        case .open:
            let recommendation = try await panel.subject.recommendationID.asyncMap { try await deps.store.recommendation($0) } ?? nil
            result = try PanelRules.open(panel, expectedVersion: expectedVersion, in: workspace, recommendation: recommendation, by: actor, now: now)
        case .close:
            result = try PanelRules.close(panel, expectedVersion: expectedVersion, in: workspace, by: actor, now: now)
        case .archive:
            result = try PanelRules.archive(panel, expectedVersion: expectedVersion, in: workspace, by: actor, now: now)
        }
        try await save(result.0, was: panel, result.1)
        return PanelView(result.0, now: now)
    }

    func save(_ next: FeedbackPanel, was panel: FeedbackPanel, _ events: [PanelEvent]) async throws {
        guard !events.isEmpty else { return }
        try await deps.commit(ChangeSet(changes: [.panel(.updatePanel(next, expectedVersion: panel.version))],
                                        events: EventEncoding.newEvents(events.map(DomainEvent.panel))))
    }

    // MARK: Invites

    public func invites(_ id: PanelID, by actor: Principal) async throws -> [InviteView] {
        let (panel, _) = try await readable(id, by: actor)
        guard PanelPermissions.canManage(actor, panel.workspaceID) else { throw DomainError.forbidden }
        return try await deps.store.invites(of: id).map { InviteView($0) }
    }

    /// Creates an invite code; the answer carries the code, shown this once.
    public func createInvite(_ id: PanelID, label: String, maxUses: Int, by actor: Principal) async throws -> InviteView {
        let (panel, workspace) = try await readable(id, by: actor)
        guard let code = PanelCode(entropy: crypto.randomBytes(16)) else { throw DomainError.forbidden }
        let (invite, events) = try InviteRules.create(for: panel, in: workspace, id: PanelInviteID(deps.ids.uuid()), code: code, label: label,
                                                      maxUses: maxUses, by: actor, now: deps.clock.now(), hash: hash)
        try await deps.commit(ChangeSet(changes: [.panel(.insertInvite(invite))], events: EventEncoding.newEvents(events.map(DomainEvent.panel))))
        return InviteView(invite, code: code)
    }

    public func revokeInvite(_ id: PanelID, invite inviteID: PanelInviteID, by actor: Principal) async throws -> InviteView {
        let (panel, workspace) = try await readable(id, by: actor)
        guard PanelPermissions.canManage(actor, panel.workspaceID) else { throw DomainError.forbidden }
        guard let invite = try await deps.store.invites(of: id).first(where: { $0.id == inviteID }) else { throw DomainError.notFound("invite") }
        let (next, events) = try InviteRules.revoke(invite, of: panel, in: workspace, by: actor, now: deps.clock.now())
        if !events.isEmpty {
            try await deps.commit(ChangeSet(changes: [.panel(.updateInvite(next, expectedUses: invite.uses))],
                                            events: EventEncoding.newEvents(events.map(DomainEvent.panel))))
        }
        return InviteView(next)
    }

    // MARK: Items, moderation, responses

    /// The items the actor may see: moderators every item (content of hidden and pending ones
    /// included), other members the visible ones. Withdrawn items appear as bare records.
    public func items(_ id: PanelID, status: SubmissionStatus? = nil, by actor: Principal) async throws -> [SubmissionItemView] {
        let (panel, workspace) = try await readable(id, by: actor)
        let moderator = PanelPermissions.canModerate(actor, panel.workspaceID)
        let submissions = try await deps.store.submissions(of: id).filter { s in
            (moderator || s.status == .visible) && (status == nil || s.status == status)
        }
        let responses = Dictionary(try await deps.store.responses(of: id).map { ($0.submissionID, $0) }, uniquingKeysWith: { a, _ in a })
        let names = try await names(in: workspace)
        return submissions.map { s in
            SubmissionItemView(s, response: responses[s.id], showContent: PanelPermissions.canSeeContent(of: s, in: panel, by: actor),
                               moderatorNames: names)
        }
    }

    /// Pending items, oldest first (moderators only).
    public func queue(_ id: PanelID, by actor: Principal) async throws -> [SubmissionItemView] {
        let (panel, workspace) = try await readable(id, by: actor)
        guard PanelPermissions.canModerate(actor, panel.workspaceID) else { throw DomainError.forbidden }
        let names = try await names(in: workspace)
        return ModerationRules.queue(try await deps.store.submissions(of: id)).map {
            SubmissionItemView($0, response: nil, showContent: true, moderatorNames: names)
        }
    }

    public func moderate(_ id: PanelID, item submissionID: SubmissionID, approve: Bool, reason: String?, expectedVersion: Int,
                         by actor: Principal) async throws -> SubmissionItemView {
        let (panel, workspace) = try await readable(id, by: actor)
        guard PanelPermissions.canModerate(actor, panel.workspaceID) else { throw DomainError.forbidden }
        guard let submission = try await deps.store.submission(submissionID), submission.panelID == id else { throw DomainError.notFound("submission") }
        let now = deps.clock.now()
        let (next, events) = approve
            ? try ModerationRules.approve(submission, of: panel, in: workspace, expectedVersion: expectedVersion, note: reason, by: actor, now: now)
            : try ModerationRules.hide(submission, of: panel, in: workspace, expectedVersion: expectedVersion, reason: reason ?? "", by: actor, now: now)
        try await deps.commit(ChangeSet(changes: [.panel(.updateSubmission(next, expectedVersion: submission.version))],
                                        events: EventEncoding.newEvents(events.map(DomainEvent.panel))))
        return SubmissionItemView(next, response: try await deps.store.response(to: submissionID), showContent: true,
                                  moderatorNames: try await names(in: workspace))
    }

    /// Writes or revises the response to an item; notifies the submitter by mail (without
    /// content) when they left an address and the text changed.
    public func respond(_ id: PanelID, item submissionID: SubmissionID, text: String, changedRevision: Int?, expectedVersion: Int?,
                        by actor: Principal) async throws -> SubmissionItemView {
        let (panel, workspace) = try await readable(id, by: actor)
        guard PanelPermissions.canRespond(actor, panel.workspaceID) else { throw DomainError.forbidden }
        guard let submission = try await deps.store.submission(submissionID), submission.panelID == id else { throw DomainError.notFound("submission") }
        let existing = try await deps.store.response(to: submissionID)
        let currentRevision = try await panel.subject.recommendationID.asyncMap { try await deps.store.recommendation($0)?.revision } ?? nil
        let (response, events) = try ResponseRules.respond(
            to: submission, in: panel, workspace: workspace, existing: existing, text: text, changedRevision: changedRevision,
            currentRevision: currentRevision, expectedVersion: expectedVersion, by: actor, now: deps.clock.now())
        if !events.isEmpty {
            try await deps.commit(ChangeSet(changes: [.panel(.putResponse(response, expectedVersion: existing?.version))],
                                            events: EventEncoding.newEvents(events.map(DomainEvent.panel))))
            for case .responseSet(let notice) in events where notice.notifySubmitter {
                await notify(submission, of: panel)
            }
        }
        var names = try await names(in: workspace)
        if let user = actor.userID, let name = actor.displayName { names[user] = name }
        return SubmissionItemView(submission, response: response, showContent: PanelPermissions.canSeeContent(of: submission, in: panel, by: actor),
                                  moderatorNames: names)
    }

    /// The notice carries no content: the person opens the panel and enters the receipt code.
    func notify(_ submission: PanelSubmission, of panel: FeedbackPanel) async {
        guard mailer.isConfigured, let email = submission.email else { return }
        let title = panel.title.text(in: submission.language)
        let (subject, text): (String, String) = switch submission.language {
        case .de: ("Antwort auf Ihre Rückmeldung", """
            Guten Tag,

            auf Ihre Rückmeldung zu „\(title)“ gibt es eine Antwort.
            Öffnen Sie die Seite der Befragung (\(publicOrigin)/p/\(panel.id)/receipt) und geben Sie Ihren Beleg-Code ein, um sie zu lesen.

            Diese Nachricht enthält absichtlich keine Inhalte.
            """)
        case .en: ("A response to your feedback", """
            Hello,

            there is a response to your feedback on "\(title)".
            Open the panel's page (\(publicOrigin)/p/\(panel.id)/receipt?lang=en) and enter your receipt code to read it.

            This message deliberately contains no content.
            """)
        }
        do {
            try await mailer.send(to: email, subject: subject, text: text)
        } catch {
            // Never the address in the log.
            deps.logger.warning("panel response notice not sent", metadata: ["panel": "\(panel.id)", "submission": "\(submission.id)"])
        }
    }

    func names(in workspace: Workspace) async throws -> [UserID: String] {
        Dictionary(try await deps.store.members(of: workspace.id).map { ($0.membership.userID, $0.displayName) }, uniquingKeysWith: { a, _ in a })
    }

    // MARK: Results and exports

    public func results(_ id: PanelID, by actor: Principal) async throws -> PanelResults {
        let (panel, _) = try await readable(id, by: actor)
        guard PanelPermissions.canReadResults(actor, panel.workspaceID) else { throw DomainError.forbidden }
        return PanelAggregation.results(panel, submissions: try await deps.store.submissions(of: id))
    }

    public enum ExportKind: String, Sendable, CaseIterable { case results, summary, items }

    /// CSV through the catalogue's cell writer (formula injection defused), UTF-8 with BOM, CRLF.
    public func exportCSV(_ id: PanelID, kind: ExportKind, language: PanelLanguage, by actor: Principal) async throws -> (filename: String, text: String) {
        let (header, rows) = try await table(id, kind: kind, language: language, by: actor)
        let lines = [header] + rows
        let text = "\u{FEFF}" + lines.map { $0.map(CatalogueQueries.cell).joined(separator: ",") }.joined(separator: "\r\n") + "\r\n"
        return ("panel-\(id)-\(kind.rawValue).csv", text)
    }

    /// The same rows as JSON objects keyed by the header.
    public func exportJSON(_ id: PanelID, kind: ExportKind, language: PanelLanguage, by actor: Principal) async throws -> String {
        let (panel, _) = try await readable(id, by: actor)
        guard PanelPermissions.canReadResults(actor, panel.workspaceID) else { throw DomainError.forbidden }
        let submissions = try await deps.store.submissions(of: id)
        let results = PanelAggregation.results(panel, submissions: submissions)
        switch kind {
        case .results: return WireJSON.string(PanelExport.resultRows(results, language: language))
        case .summary: return WireJSON.string(PanelExport.summaryRows(results, language: language))
        case .items:
            let (header, rows) = PanelExport.itemTable(panel, submissions: submissions, language: language)
            return WireJSON.string(rows.map { Dictionary(zip(header, $0).map { ($0, $1) }, uniquingKeysWith: { a, _ in a }) })
        }
    }

    func table(_ id: PanelID, kind: ExportKind, language: PanelLanguage, by actor: Principal) async throws -> ([String], [[String]]) {
        let (panel, _) = try await readable(id, by: actor)
        guard PanelPermissions.canReadResults(actor, panel.workspaceID) else { throw DomainError.forbidden }
        let submissions = try await deps.store.submissions(of: id)
        let results = PanelAggregation.results(panel, submissions: submissions)
        switch kind {
        case .results: return (ResultRow.header, PanelExport.resultRows(results, language: language).map(\.fields))
        case .summary: return (SummaryRow.header, PanelExport.summaryRows(results, language: language).map(\.fields))
        case .items: return PanelExport.itemTable(panel, submissions: submissions, language: language)
        }
    }
}

extension Optional {
    func asyncMap<T>(_ transform: (Wrapped) async throws -> T) async rethrows -> T? {
        switch self {
        case .some(let value): try await transform(value)
        case .none: nil
        }
    }
}
