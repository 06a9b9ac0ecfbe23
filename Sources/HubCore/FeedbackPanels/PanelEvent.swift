import Foundation

/// A submission event's payload: ids and state only. Events are stored in the event log and
/// fanned out to every member of the workspace, so they carry neither content nor personal
/// data; whoever may read the item fetches it over HTTP. That also keeps retention simple:
/// erasing a submission's personal data never has to touch the event log.
public struct SubmissionNotice: Sendable, Hashable {
    public let panelID: PanelID
    public let workspaceID: WorkspaceID
    public let submissionID: SubmissionID
    public let status: SubmissionStatus
    public let version: Int

    public init(_ submission: PanelSubmission, in panel: FeedbackPanel) {
        panelID = panel.id
        workspaceID = panel.workspaceID
        submissionID = submission.id
        status = submission.status
        version = submission.version
    }
}

/// An invite code was created or revoked (the code itself is never in an event).
public struct InviteNotice: Sendable, Hashable {
    public let panelID: PanelID
    public let workspaceID: WorkspaceID
    public let inviteID: PanelInviteID
    public let label: String
    public let maxUses: Int
    public let uses: Int
    public let revoked: Bool

    public init(_ invite: PanelInvite, workspace: WorkspaceID) {
        panelID = invite.panelID
        workspaceID = workspace
        inviteID = invite.id
        label = invite.label
        maxUses = invite.maxUses
        uses = invite.uses
        revoked = invite.revoked
    }
}

/// A response was written or changed.
public struct ResponseNotice: Sendable, Hashable {
    public let panelID: PanelID
    public let workspaceID: WorkspaceID
    public let submissionID: SubmissionID
    /// Shown on the public page: the panel publishes responses, is open to everyone with the
    /// link, and the item is visible.
    public let isPublic: Bool
    /// The submitter left an e-mail address: the services send a notice (without content; the
    /// person reads the response with their receipt code).
    public let notifySubmitter: Bool

    public init(panelID: PanelID, workspaceID: WorkspaceID, submissionID: SubmissionID, isPublic: Bool, notifySubmitter: Bool) {
        self.panelID = panelID
        self.workspaceID = workspaceID
        self.submissionID = submissionID
        self.isPublic = isPublic
        self.notifySubmitter = notifySubmitter
    }
}

/// Who receives an event. The lead maps these to topics.
public enum PanelEventAudience: Sendable, Hashable {
    /// Everyone who reads the workspace (topic `workspace:<id>`).
    case workspace(WorkspaceID)
    /// Followers of a public panel page (a public topic without presence, like the catalogue).
    case publicPanel(PanelID)
}

/// What happened to a panel, decided by the panel rules. The lead wraps it into `DomainEvent`.
public enum PanelEvent: Sendable, Hashable {
    case panelCreated(FeedbackPanel)
    case panelUpdated(FeedbackPanel)
    case panelOpened(FeedbackPanel)
    case panelClosed(FeedbackPanel)
    case panelArchived(FeedbackPanel)
    case inviteChanged(InviteNotice)
    /// A new item that is visible at once (post-moderation): moderators may want to look.
    case submissionReceived(SubmissionNotice)
    /// A new or changed item waits for a moderator: notify moderators live.
    case awaitingModeration(SubmissionNotice)
    case submissionChanged(SubmissionNotice)
    case submissionWithdrawn(SubmissionNotice)
    case submissionModerated(SubmissionNotice)
    case responseSet(ResponseNotice)
    /// The set of visible items changed: live result views reload the aggregate.
    case resultsChanged(panel: PanelID, workspace: WorkspaceID)
    /// Retention erased the personal data of `count` submissions.
    case personalDataErased(panel: PanelID, workspace: WorkspaceID, count: Int)

    /// The wire name (`panel.opened`).
    public var name: String {
        switch self {
        case .panelCreated: "panel.created"
        case .panelUpdated: "panel.updated"
        case .panelOpened: "panel.opened"
        case .panelClosed: "panel.closed"
        case .panelArchived: "panel.archived"
        case .inviteChanged: "panel.inviteChanged"
        case .submissionReceived: "panel.submissionReceived"
        case .awaitingModeration: "panel.awaitingModeration"
        case .submissionChanged: "panel.submissionChanged"
        case .submissionWithdrawn: "panel.submissionWithdrawn"
        case .submissionModerated: "panel.submissionModerated"
        case .responseSet: "panel.responseSet"
        case .resultsChanged: "panel.resultsChanged"
        case .personalDataErased: "panel.personalDataErased"
        }
    }

    /// The panel the event belongs to.
    public var panelID: PanelID {
        switch self {
        case .panelCreated(let p), .panelUpdated(let p), .panelOpened(let p), .panelClosed(let p), .panelArchived(let p): p.id
        case .inviteChanged(let n): n.panelID
        case .submissionReceived(let n), .awaitingModeration(let n), .submissionChanged(let n), .submissionWithdrawn(let n),
             .submissionModerated(let n): n.panelID
        case .responseSet(let n): n.panelID
        case .resultsChanged(let panel, _), .personalDataErased(let panel, _, _): panel
        }
    }

    /// Who receives it. Everything goes to the workspace; the public page follows the
    /// lifecycle of published public-link panels and their public responses. Results stay
    /// internal: a live public tally would invite campaigning.
    public var audiences: [PanelEventAudience] {
        switch self {
        case .panelCreated(let p):
            return [.workspace(p.workspaceID)]
        case .panelUpdated(let p), .panelOpened(let p), .panelClosed(let p), .panelArchived(let p):
            let isPublic = p.status != .draft && p.access == .publicLink
            return isPublic ? [.workspace(p.workspaceID), .publicPanel(p.id)] : [.workspace(p.workspaceID)]
        case .inviteChanged(let n):
            return [.workspace(n.workspaceID)]
        case .submissionReceived(let n), .awaitingModeration(let n), .submissionChanged(let n), .submissionWithdrawn(let n),
             .submissionModerated(let n):
            return [.workspace(n.workspaceID)]
        case .responseSet(let n):
            return n.isPublic ? [.workspace(n.workspaceID), .publicPanel(n.panelID)] : [.workspace(n.workspaceID)]
        case .resultsChanged(_, let workspace), .personalDataErased(_, let workspace, _):
            return [.workspace(workspace)]
        }
    }
}
