import Foundation

public typealias InvitationID = Identifier<Invitation>

/// An invitation to join a workspace with a role. Its secret travels only in the link; the
/// store keeps a hash. Single use, expiring, revocable.
public struct Invitation: Sendable, Hashable {
    public let id: InvitationID
    public let workspaceID: WorkspaceID
    public let email: String
    public let role: WorkspaceRole
    public let organizationID: OrganizationID?
    public let createdBy: UserID?
    public let createdAt: Date
    public let expiresAt: Date
    public var acceptedAt: Date?
    public var revoked: Bool

    public init(id: InvitationID, workspaceID: WorkspaceID, email: String, role: WorkspaceRole, organizationID: OrganizationID?,
                createdBy: UserID?, createdAt: Date, expiresAt: Date, acceptedAt: Date?, revoked: Bool) {
        self.id = id
        self.workspaceID = workspaceID
        self.email = email
        self.role = role
        self.organizationID = organizationID
        self.createdBy = createdBy
        self.createdAt = createdAt
        self.expiresAt = expiresAt
        self.acceptedAt = acceptedAt
        self.revoked = revoked
    }

    /// Usable: not accepted, not revoked, not expired.
    public func isOpen(at now: Date) -> Bool { acceptedAt == nil && !revoked && now < expiresAt }
}

/// Invitation rules as pure functions.
public enum InvitationRules {
    public static let lifetime: TimeInterval = 7 * 24 * 3600

    /// Checks an email address the way a person types it; returns it normalized.
    public static func normalizedEmail(_ raw: String, field: String = "email") throws(DomainError) -> String {
        let email = raw.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
        let parts = email.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, parts[1].contains("."), !parts[1].hasPrefix("."), !parts[1].hasSuffix("."),
              !email.contains(where: { $0.isWhitespace || $0 == "<" || $0 == ">" || $0 == "\"" }), email.count <= 320 else {
            throw .validation([FieldIssue(field: field, code: "invalid", message: "An email address such as name@kreis.example.")])
        }
        return email
    }

    public static func create(
        email rawEmail: String, role: WorkspaceRole, organization: OrganizationID?, in workspace: Workspace, id: InvitationID,
        by actor: Principal, now: Date
    ) throws(DomainError) -> Invitation {
        guard actor.isSignedIn else { throw .unauthenticated }
        guard Permissions.canInvite(actor, to: workspace.id) else { throw .forbidden }
        try WorkspaceRules.requireEditable(workspace, by: actor, today: LocalDate.berlin(now), permission: Permissions.canInvite)
        let email = try normalizedEmail(rawEmail)
        return Invitation(id: id, workspaceID: workspace.id, email: email, role: role, organizationID: organization, createdBy: actor.userID,
                          createdAt: now, expiresAt: now.addingTimeInterval(lifetime), acceptedAt: nil, revoked: false)
    }

    /// Accepting: the invitation must be open; a signed-in person must be the invited email.
    public static func accept(_ invitation: Invitation, as user: User, existing: Membership?, workspace: Workspace, now: Date)
        throws(DomainError) -> (Invitation, Membership, [DomainEvent]) {
        guard invitation.isOpen(at: now) else { throw .notFound("invitation") }
        guard user.email == invitation.email else {
            throw DomainError(.forbidden, code: "invitation.otherAccount", message: "This invitation is for another email address. Sign in with that one.")
        }
        if workspace.archived || workspace.hasEnded(on: LocalDate.berlin(now)) {
            throw DomainError(.invalidTransition, code: "workspace.archived", message: "The workspace is no longer active.")
        }
        var accepted = invitation
        accepted.acceptedAt = now
        // An existing higher role is kept; accepting never demotes.
        let rank: [WorkspaceRole: Int] = [.observer: 0, .member: 1, .coordinator: 2]
        let role = existing.map { rank[$0.role]! >= rank[invitation.role]! ? $0.role : invitation.role } ?? invitation.role
        let membership = Membership(workspaceID: invitation.workspaceID, userID: user.id, role: role,
                                    organizationID: invitation.organizationID ?? existing?.organizationID)
        let events: [DomainEvent] = existing == nil ? [.memberAdded(membership)] : (existing == membership ? [] : [.memberUpdated(membership)])
        return (accepted, membership, events)
    }
}

/// Second-factor checks that need no cryptography: which time step a code may match and
/// that a step is never accepted twice (replay).
public enum SecondFactorRules {
    /// RFC 6238 time step (30 s) for an instant.
    public static func step(at date: Date, period: TimeInterval = 30) -> Int64 {
        Int64((date.timeIntervalSince1970 / period).rounded(.down))
    }

    /// The steps a code is checked against: the current one and one either side (clock drift).
    public static func window(at date: Date) -> [Int64] {
        let now = step(at: date)
        return [now - 1, now, now + 1]
    }

    /// The step the code matched, if any, and only if it is newer than the last one used.
    public static func accept(code: String, candidates: [(step: Int64, code: String)], lastUsedStep: Int64) -> Int64? {
        let digits = code.filter { !$0.isWhitespace }
        guard digits.count == 6, digits.allSatisfy(\.isASCII), digits.allSatisfy(\.isNumber) else { return nil }
        return candidates.first { $0.code == digits && $0.step > lastUsedStep }?.step
    }
}
