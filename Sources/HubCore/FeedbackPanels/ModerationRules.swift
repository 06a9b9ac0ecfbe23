import Foundation

/// Moderation: the workspace's coordinators approve or hide feedback items. Hiding keeps the
/// content (for moderators, and for the submitter through the receipt, with the reason),
/// because a hidden item may be approved again and because the group owes an account of what
/// it hid and why.
public enum ModerationRules {
    public static let reasonLength = 3...500

    /// Makes an item visible (from pending, or undoing a hide). `expectedVersion` is the
    /// version the moderator read: if the submitter changed it since, the approval would
    /// cover text nobody read, so it is a conflict.
    public static func approve(
        _ submission: PanelSubmission, of panel: FeedbackPanel, in workspace: Workspace, expectedVersion: Int, note: String? = nil,
        by actor: Principal, now: Date
    ) throws(DomainError) -> (PanelSubmission, [PanelEvent]) {
        let moderator = try requireModerator(submission, of: panel, in: workspace, expectedVersion: expectedVersion, by: actor, now: now)
        guard submission.status == .pending || submission.status == .hidden else {
            throw DomainError(.invalidTransition, code: "submission.alreadyVisible", message: "This item is already visible.")
        }
        let note = TextChecks.cleaned(note)
        if let note, note.count > reasonLength.upperBound || TextChecks.hasControlCharacters(note, allowLineBreaks: true) {
            throw .validation([FieldIssue(field: "note", code: "length", message: "At most \(reasonLength.upperBound) characters.")])
        }
        return decided(submission, .visible, ModerationNote(decision: .approved, reason: note, moderatorID: moderator, at: now), panel, now)
    }

    /// Hides an item, with a reason the submitter will read (so write it for them).
    public static func hide(
        _ submission: PanelSubmission, of panel: FeedbackPanel, in workspace: Workspace, expectedVersion: Int, reason: String,
        by actor: Principal, now: Date
    ) throws(DomainError) -> (PanelSubmission, [PanelEvent]) {
        let moderator = try requireModerator(submission, of: panel, in: workspace, expectedVersion: expectedVersion, by: actor, now: now)
        guard submission.status == .pending || submission.status == .visible else {
            throw DomainError(.invalidTransition, code: "submission.alreadyHidden", message: "This item is already hidden.")
        }
        let reason = TextChecks.cleaned(reason) ?? ""
        guard reasonLength.contains(reason.count), !TextChecks.hasControlCharacters(reason, allowLineBreaks: true) else {
            throw .validation([FieldIssue(field: "reason", code: "length", message: "Give a reason of 3 to 500 characters.")])
        }
        return decided(submission, .hidden, ModerationNote(decision: .hidden, reason: reason, moderatorID: moderator, at: now), panel, now)
    }

    /// The items waiting for a moderator, oldest first.
    public static func queue(_ submissions: [PanelSubmission]) -> [PanelSubmission] {
        submissions.filter { $0.status == .pending }.sorted { ($0.receivedAt, $0.id.description) < ($1.receivedAt, $1.id.description) }
    }

    static func decided(_ submission: PanelSubmission, _ status: SubmissionStatus, _ note: ModerationNote, _ panel: FeedbackPanel, _ now: Date)
        -> (PanelSubmission, [PanelEvent]) {
        var next = submission
        next.status = status
        next.moderation = note
        next.version += 1
        next.updatedAt = now
        var events: [PanelEvent] = [.submissionModerated(SubmissionNotice(next, in: panel))]
        if (submission.status == .visible) != (status == .visible) {
            events.append(.resultsChanged(panel: panel.id, workspace: panel.workspaceID))
        }
        return (next, events)
    }

    /// Moderation continues after the panel closed (late items still need a decision) but
    /// stops when it is archived.
    static func requireModerator(
        _ submission: PanelSubmission, of panel: FeedbackPanel, in workspace: Workspace, expectedVersion: Int, by actor: Principal, now: Date
    ) throws(DomainError) -> UserID {
        guard submission.panelID == panel.id else { throw .notFound("submission") }
        try PanelRules.requireManageable(panel, in: workspace, by: actor, today: LocalDate.berlin(now))
        guard PanelPermissions.canModerate(actor, panel.workspaceID), let userID = actor.userID else { throw .forbidden }
        guard submission.status != .withdrawn else {
            throw DomainError(.invalidTransition, code: "submission.withdrawn", message: "This feedback was withdrawn.")
        }
        guard expectedVersion == submission.version else { throw .versionConflict }
        return userID
    }
}
