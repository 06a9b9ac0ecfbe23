import Foundation

public typealias PanelInviteID = Identifier<PanelInvite>

/// An invite code for a closed panel, handed out on paper or by a trusted intermediary (a
/// youth council, a counselling service). One code may admit a group (`maxUses`). Only the
/// code's hash is stored; the submission does not record which code admitted it, so a code
/// handed to one known person does not name the author of the feedback.
public struct PanelInvite: Sendable, Hashable, Codable, Identifiable {
    public let id: PanelInviteID
    public let panelID: PanelID
    public let digest: PanelCodeDigest
    /// Whom the code was given to, as a group ("Jugendrat Nordstadt"); no personal names.
    public let label: String
    public let maxUses: Int
    public var uses: Int
    public let createdBy: UserID
    public let createdAt: Date
    public var revokedAt: Date?

    public init(id: PanelInviteID, panelID: PanelID, digest: PanelCodeDigest, label: String, maxUses: Int, uses: Int, createdBy: UserID,
                createdAt: Date, revokedAt: Date? = nil) {
        self.id = id
        self.panelID = panelID
        self.digest = digest
        self.label = label
        self.maxUses = maxUses
        self.uses = uses
        self.createdBy = createdBy
        self.createdAt = createdAt
        self.revokedAt = revokedAt
    }

    public var revoked: Bool { revokedAt != nil }
}

/// Invite codes as pure functions.
public enum InviteRules {
    public static let maxUsesRange = 1...500
    public static let labelLength = 1...100

    /// Makes an invite from a code the services drew (shown once to the coordinator, for
    /// printing and for the QR code).
    public static func create(
        for panel: FeedbackPanel, in workspace: Workspace, id: PanelInviteID, code: PanelCode, label: String, maxUses: Int,
        by actor: Principal, now: Date, hash: (Data) -> Data
    ) throws(DomainError) -> (PanelInvite, [PanelEvent]) {
        try PanelRules.requireManageable(panel, in: workspace, by: actor, today: LocalDate.berlin(now))
        guard let userID = actor.userID else { throw .unauthenticated }
        guard panel.access == .inviteOnly else {
            throw DomainError(.invalidTransition, code: "panel.notInviteOnly", message: "The panel is open to everyone with the link.")
        }
        guard panel.status == .draft || panel.status == .open else {
            throw DomainError(.invalidTransition, code: "panel.closed", message: "The panel is closed.")
        }
        let label = label.split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
        var issues: [FieldIssue] = []
        if !labelLength.contains(label.count) || TextChecks.hasControlCharacters(label, allowLineBreaks: false) {
            issues.append(FieldIssue(field: "label", code: "length", message: "A label of 1 to 100 characters."))
        }
        if !maxUsesRange.contains(maxUses) {
            issues.append(FieldIssue(field: "maxUses", code: "outOfRange", message: "Between 1 and 500 uses."))
        }
        guard issues.isEmpty else { throw .validation(issues) }
        let invite = PanelInvite(id: id, panelID: panel.id, digest: code.digest(.invite, using: hash), label: label, maxUses: maxUses, uses: 0,
                                 createdBy: userID, createdAt: now)
        return (invite, [.inviteChanged(InviteNotice(invite, workspace: panel.workspaceID))])
    }

    /// Revokes an invite; submissions made with it stay.
    public static func revoke(
        _ invite: PanelInvite, of panel: FeedbackPanel, in workspace: Workspace, by actor: Principal, now: Date
    ) throws(DomainError) -> (PanelInvite, [PanelEvent]) {
        try PanelRules.requireManageable(panel, in: workspace, by: actor, today: LocalDate.berlin(now))
        guard invite.panelID == panel.id else { throw .notFound("invite") }
        guard !invite.revoked else { return (invite, []) }
        var next = invite
        next.revokedAt = now
        return (next, [.inviteChanged(InviteNotice(next, workspace: panel.workspaceID))])
    }

    /// Checks the invite code of a submission to an invite-only panel: the typed code must hash
    /// to `invite` (looked up by the caller through that hash), which must belong to the panel
    /// and be unrevoked. Uses are counted separately (`use`), after the duplicate check, so that
    /// re-posting a form admitted by a single-use code is recognized as a duplicate.
    public static func verify(code typed: String?, invite: PanelInvite?, for panel: FeedbackPanel, hash: (Data) -> Data) throws(DomainError) -> PanelInvite {
        guard let typed, !typed.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw DomainError(.forbidden, code: "panel.inviteRequired", message: "This panel is answered with an invite code.")
        }
        guard let code = PanelCode(typed), let invite, invite.panelID == panel.id, !invite.revoked,
              code.digest(.invite, using: hash).matches(invite.digest) else {
            throw DomainError(.forbidden, code: "panel.inviteInvalid", message: "This invite code is not valid for this panel. Check it for typing errors.")
        }
        return invite
    }

    /// Counts one use of a verified invite; refused when it has been used up.
    public static func use(_ invite: PanelInvite) throws(DomainError) -> PanelInvite {
        guard invite.uses < invite.maxUses else {
            throw DomainError(.forbidden, code: "panel.inviteUsedUp", message: "This invite code has been used as often as it may be.")
        }
        var next = invite
        next.uses += 1
        return next
    }
}
