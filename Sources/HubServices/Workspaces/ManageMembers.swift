import HubCore

/// Coordinators and administrators set a member's role (adding them if needed).
public struct SetMember: Sendable {
    let deps: ServiceDependencies

    public init(deps: ServiceDependencies) { self.deps = deps }

    public func callAsFunction(
        _ workspaceID: WorkspaceID, user userID: UserID, role: WorkspaceRole, organization: OrganizationID?, by actor: Principal
    ) async throws -> MemberRow {
        guard actor.isSignedIn else { throw DomainError.unauthenticated }
        guard let workspace = try await deps.store.workspace(workspaceID) else { throw DomainError.notFound("workspace") }
        guard Permissions.canReadWorkspaceContent(actor, workspaceID) else { throw DomainError.forbidden }
        guard let user = try await deps.store.user(userID) else { throw DomainError.notFound("user") }
        let current = try await deps.store.membership(workspaceID, userID)
        let (membership, events) = try MembershipRules.set(
            role: role, organization: organization, for: userID, in: workspace, current: current, by: actor, today: deps.today)
        // Only someone allowed to change members learns whether an organization id exists.
        let organizationName = try await Organizations.name(of: organization, in: deps.store)
        try await deps.commit(ChangeSet(changes: events.isEmpty ? [] : [.upsertMembership(membership)],
                                        events: EventEncoding.newEvents(events, displayNames: [userID: user.displayName],
                                                                        organizationNames: organization.map { [$0: organizationName ?? ""] } ?? [:])))
        return MemberRow(membership: membership, displayName: user.displayName, organizationName: organizationName)
    }
}

/// Coordinators and administrators remove a member.
public struct RemoveMember: Sendable {
    let deps: ServiceDependencies

    public init(deps: ServiceDependencies) { self.deps = deps }

    public func callAsFunction(_ workspaceID: WorkspaceID, user userID: UserID, by actor: Principal) async throws {
        guard actor.isSignedIn else { throw DomainError.unauthenticated }
        guard let workspace = try await deps.store.workspace(workspaceID) else { throw DomainError.notFound("workspace") }
        guard Permissions.canReadWorkspaceContent(actor, workspaceID) else { throw DomainError.forbidden }
        guard let membership = try await deps.store.membership(workspaceID, userID),
              let user = try await deps.store.user(userID) else { throw DomainError.notFound("member") }
        let events = try MembershipRules.remove(membership, from: workspace, by: actor, today: deps.today)
        var organizationNames: [OrganizationID: String] = [:]
        if let id = membership.organizationID, let organization = try await deps.store.organization(id) { organizationNames[id] = organization.name }
        try await deps.commit(ChangeSet(changes: [.deleteMembership(workspaceID, userID)],
                                        events: EventEncoding.newEvents(events, displayNames: [userID: user.displayName],
                                                                        organizationNames: organizationNames)))
    }
}
