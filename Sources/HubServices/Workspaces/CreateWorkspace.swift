import HubCore

/// An administrator opens a new workspace.
public struct CreateWorkspace: Sendable {
    let deps: ServiceDependencies

    public init(deps: ServiceDependencies) { self.deps = deps }

    public func callAsFunction(_ draft: WorkspaceDraft, by actor: Principal) async throws -> Workspace {
        let known = try await Set(deps.store.policyFields().value.map(\.id))
        let (workspace, events) = try WorkspaceRules.create(
            draft, id: WorkspaceID(deps.ids.uuid()), by: actor, knownPolicyFields: known, now: deps.clock.now())
        try await deps.commit(ChangeSet(changes: [.insertWorkspace(workspace)], events: EventEncoding.newEvents(events)))
        return workspace
    }
}
