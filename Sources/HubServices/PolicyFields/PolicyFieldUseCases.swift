import HubCore

/// Reading the district's policy fields: public (the catalogue's filters need them).
public struct PolicyFieldQueries: Sendable {
    let deps: ServiceDependencies

    public init(deps: ServiceDependencies) { self.deps = deps }

    public func list() async throws -> Snapshot<[PolicyField]> {
        try await deps.store.policyFields()
    }

    public func get(_ id: PolicyFieldID) async throws -> PolicyField? {
        try await deps.store.policyField(id)
    }
}

/// An administrator records the years in which a policy field is prioritised.
public struct SetPolicyFieldPriorities: Sendable {
    let deps: ServiceDependencies

    public init(deps: ServiceDependencies) { self.deps = deps }

    public func callAsFunction(_ id: PolicyFieldID, years: [Int], expectedVersion: Int, by actor: Principal) async throws -> PolicyField {
        guard actor.isSignedIn else { throw DomainError.unauthenticated }
        guard let current = try await deps.store.policyField(id) else { throw DomainError.notFound("policyField") }
        let (next, events) = try PolicyFieldRules.setPrioritised(years: years, on: current, expectedVersion: expectedVersion, by: actor)
        guard !events.isEmpty else { return current }
        try await deps.commit(ChangeSet(changes: [.updatePolicyField(next, expectedVersion: current.version)],
                                        events: EventEncoding.newEvents(events)))
        return next
    }
}
