import HubCore

/// Reading workspaces, each read authorized.
public struct WorkspaceQueries: Sendable {
    let deps: ServiceDependencies

    public init(deps: ServiceDependencies) { self.deps = deps }

    /// Filters for the directory.
    public struct Filter: Sendable {
        public var kind: WorkspaceKind?
        public var policyField: PolicyFieldID?
        public var includeArchived: Bool

        public init(kind: WorkspaceKind? = nil, policyField: PolicyFieldID? = nil, includeArchived: Bool = false) {
            self.kind = kind
            self.policyField = policyField
            self.includeArchived = includeArchived
        }
    }

    /// The directory with the cursor of the `directory` topic.
    public func list(_ filter: Filter, by actor: Principal) async throws -> Snapshot<[Workspace]> {
        guard actor.isSignedIn else { throw DomainError.unauthenticated }
        guard Permissions.canReadDirectory(actor) else { throw DomainError.forbidden }
        let snapshot = try await deps.store.workspaces()
        let items = snapshot.value.filter { w in
            (filter.includeArchived || !w.archived)
                && (filter.kind.map { $0 == w.kind } ?? true)
                && (filter.policyField.map { w.policyFieldIDs.contains($0) } ?? true)
        }
        return Snapshot(value: items, cursor: snapshot.cursor)
    }

    /// One workspace; its directory entry is visible to everyone signed in.
    public func get(_ id: WorkspaceID, by actor: Principal) async throws -> Workspace {
        guard actor.isSignedIn else { throw DomainError.unauthenticated }
        guard let workspace = try await deps.store.workspace(id) else { throw DomainError.notFound("workspace") }
        return workspace
    }

    /// Members with their roles: visible to the workspace's members and administrators.
    public func members(of id: WorkspaceID, by actor: Principal) async throws -> [MemberRow] {
        guard actor.isSignedIn else { throw DomainError.unauthenticated }
        guard try await deps.store.workspace(id) != nil else { throw DomainError.notFound("workspace") }
        guard Permissions.canReadWorkspaceContent(actor, id) else { throw DomainError.forbidden }
        return try await deps.store.members(of: id)
    }
}
