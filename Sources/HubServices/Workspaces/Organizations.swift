import HubCore

/// The organizations members speak for: everyone signed in reads the list, administrators keep it.
public struct Organizations: Sendable {
    let deps: ServiceDependencies

    public init(deps: ServiceDependencies) { self.deps = deps }

    public func list(by actor: Principal) async throws -> [Organization] {
        guard actor.isSignedIn else { throw DomainError.unauthenticated }
        return try await deps.store.organizations()
    }

    public func create(name: String, kind: OrganizationKind, by actor: Principal, clientKey: String?) async throws -> Organization {
        let organization = try OrganizationRules.create(name: name, kind: kind, id: OrganizationID(deps.ids.uuid()), by: actor)
        try await deps.commit(ChangeSet(changes: [
            .insertOrganization(organization),
            .appendAudit(AuditEntry(at: deps.clock.now(), type: "organization.created", actorID: actor.userID, addressHash: clientKey,
                                    subject: organization.id.description)),
        ]))
        return organization
    }

    public func update(_ id: OrganizationID, name: String?, kind: OrganizationKind?, by actor: Principal, clientKey: String?) async throws -> Organization {
        guard Permissions.canAdministerUsers(actor) else { throw actor.adminRefusal }
        guard let current = try await deps.store.organization(id) else { throw DomainError.notFound("organization") }
        let next = try OrganizationRules.update(current, name: name, kind: kind, by: actor)
        guard next != current else { return current }
        try await deps.commit(ChangeSet(changes: [
            .updateOrganization(next),
            .appendAudit(AuditEntry(at: deps.clock.now(), type: "organization.updated", actorID: actor.userID, addressHash: clientKey,
                                    subject: id.description)),
        ]))
        return next
    }

    /// The name of a referenced organization; an unknown id is a field error.
    static func name(of id: OrganizationID?, in store: any HubStore) async throws -> String? {
        guard let id else { return nil }
        guard let organization = try await store.organization(id) else {
            throw DomainError.validation([FieldIssue(field: "organizationId", code: "unknown", message: "There is no such organization.")])
        }
        return organization.name
    }
}
