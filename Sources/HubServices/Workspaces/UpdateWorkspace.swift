import HubCore

/// A coordinator or administrator changes a workspace's name, description, fields or end date.
public struct UpdateWorkspace: Sendable {
    let deps: ServiceDependencies

    public init(deps: ServiceDependencies) { self.deps = deps }

    public func callAsFunction(_ id: WorkspaceID, patch: WorkspacePatch, expectedVersion: Int, by actor: Principal) async throws -> Workspace {
        guard actor.isSignedIn else { throw DomainError.unauthenticated }
        guard let current = try await deps.store.workspace(id) else { throw DomainError.notFound("workspace") }
        let known = try await Set(deps.store.policyFields().value.map(\.id))
        let (next, events) = try WorkspaceRules.update(
            current, with: patch, expectedVersion: expectedVersion, by: actor,
            knownPolicyFields: known, now: deps.clock.now(), today: deps.today)
        guard !events.isEmpty else { return current }
        try await deps.commit(ChangeSet(changes: [.updateWorkspace(next, expectedVersion: current.version)],
                                        events: EventEncoding.newEvents(events)))
        return next
    }
}

/// An administrator archives or restores a workspace.
public struct SetWorkspaceArchived: Sendable {
    let deps: ServiceDependencies

    public init(deps: ServiceDependencies) { self.deps = deps }

    public func callAsFunction(_ id: WorkspaceID, archived: Bool, expectedVersion: Int, by actor: Principal) async throws -> Workspace {
        guard actor.isSignedIn else { throw DomainError.unauthenticated }
        guard let current = try await deps.store.workspace(id) else { throw DomainError.notFound("workspace") }
        let (next, events) = try WorkspaceRules.setArchived(archived, current, expectedVersion: expectedVersion, by: actor, now: deps.clock.now())
        try await deps.commit(ChangeSet(changes: [.updateWorkspace(next, expectedVersion: current.version)],
                                        events: EventEncoding.newEvents(events)))
        return next
    }
}
