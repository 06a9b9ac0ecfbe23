/// Who may do what with feedback panels, as pure functions. The submitter has no account:
/// what they may do follows from holding a receipt code (see `SubmissionRules`), not from a role.
public enum PanelPermissions {
    /// Coordinators of the panel's workspace, and administrators: set panels up, open, close,
    /// archive, hand out invite codes.
    public static func canManage(_ actor: Principal, _ workspace: WorkspaceID) -> Bool {
        actor.isAdmin || actor.role(in: workspace) == .coordinator
    }

    /// Moderators are the workspace's coordinators (and administrators): they see every item,
    /// hidden ones included, and approve or hide.
    public static func canModerate(_ actor: Principal, _ workspace: WorkspaceID) -> Bool { canManage(actor, workspace) }

    /// The coordinator answers feedback ("you said → we did") on behalf of the group.
    public static func canRespond(_ actor: Principal, _ workspace: WorkspaceID) -> Bool { canManage(actor, workspace) }

    /// Members of any role (they draft the recommendation) read panels, including drafts,
    /// the visible items and the results.
    public static func canReadInternal(_ actor: Principal, _ workspace: WorkspaceID) -> Bool {
        Permissions.canReadWorkspaceContent(actor, workspace)
    }

    /// Whether `actor` may read a submission's content and pseudonym: moderators always (hidden
    /// items keep their content for them only), other members only while the item is visible.
    /// Nobody reads the e-mail address; only the mailer uses it.
    public static func canSeeContent(of submission: PanelSubmission, in panel: FeedbackPanel, by actor: Principal) -> Bool {
        if canModerate(actor, panel.workspaceID) { return true }
        return submission.status == .visible && canReadInternal(actor, panel.workspaceID)
    }

    /// The panel's page (texts, questions, the form). Drafts are for the workspace only; an
    /// invite-only panel shows itself to holders of one of its invite codes or of a receipt.
    public static func canViewPage(_ panel: FeedbackPanel, by actor: Principal, invite: PanelInvite?, holdsReceipt: Bool) -> Bool {
        if canReadInternal(actor, panel.workspaceID) { return true }
        switch panel.status {
        case .draft: return false
        case .open, .closed, .archived: break
        }
        switch panel.access {
        case .publicLink: return true
        case .inviteOnly: return holdsReceipt || (invite.map { $0.panelID == panel.id && !$0.revoked } ?? false)
        }
    }

    /// The aggregated results and exports.
    public static func canReadResults(_ actor: Principal, _ workspace: WorkspaceID) -> Bool { canReadInternal(actor, workspace) }
}
