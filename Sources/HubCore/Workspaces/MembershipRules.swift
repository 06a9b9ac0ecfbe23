import Foundation

/// Adding, changing and removing members, as pure functions.
public enum MembershipRules {
    /// Sets someone's role and organization (adds them when they are not yet a member).
    public static func set(
        role: WorkspaceRole, organization: OrganizationID?, for user: UserID, in workspace: Workspace,
        current: Membership?, by actor: Principal, today: LocalDate
    ) throws(DomainError) -> (Membership, [DomainEvent]) {
        guard actor.isSignedIn else { throw .unauthenticated }
        guard Permissions.canManageMembers(actor, workspace.id) else { throw .forbidden }
        try WorkspaceRules.requireEditable(workspace, by: actor, today: today)
        // A coordinator may not demote themselves: a workspace must keep someone who runs it.
        if current?.role == .coordinator, role != .coordinator, user == actor.userID, !actor.isAdmin {
            throw DomainError(.invalidTransition, code: "member.lastCoordinator", message: "Ask an administrator or another coordinator to change your own role.")
        }
        let next = Membership(workspaceID: workspace.id, userID: user, role: role, organizationID: organization)
        if let current {
            guard current != next else { return (current, []) }
            return (next, [.memberUpdated(next)])
        }
        return (next, [.memberAdded(next)])
    }

    /// Removes a member.
    public static func remove(_ membership: Membership, from workspace: Workspace, by actor: Principal, today: LocalDate) throws(DomainError) -> [DomainEvent] {
        guard actor.isSignedIn else { throw .unauthenticated }
        guard Permissions.canManageMembers(actor, workspace.id) else { throw .forbidden }
        try WorkspaceRules.requireEditable(workspace, by: actor, today: today)
        if membership.userID == actor.userID, membership.role == .coordinator, !actor.isAdmin {
            throw DomainError(.invalidTransition, code: "member.lastCoordinator", message: "Ask an administrator or another coordinator to remove you.")
        }
        return [.memberRemoved(membership)]
    }
}
