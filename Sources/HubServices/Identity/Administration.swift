import Foundation
import HubCore

/// Administrators manage accounts' platform roles and read the audit log.
public struct Administration: Sendable {
    let deps: ServiceDependencies

    public init(deps: ServiceDependencies) { self.deps = deps }

    public func users(matching query: String?, by actor: Principal) async throws -> [User] {
        guard Permissions.canAdministerUsers(actor) else { throw actor.adminRefusal }
        return try await deps.store.users(matching: query?.trimmingCharacters(in: .whitespaces).lowercased())
    }

    public func setRoles(of id: UserID, isAdmin: Bool?, isSteering: Bool?, by actor: Principal, clientKey: String?) async throws -> User {
        guard Permissions.canAdministerUsers(actor) else { throw actor.adminRefusal }
        guard var user = try await deps.store.user(id) else { throw DomainError.notFound("user") }
        if id == actor.userID, isAdmin == false {
            throw DomainError(.invalidTransition, code: "user.selfDemotion", message: "Ask another administrator to remove your administrator role.")
        }
        let before = user
        if let isAdmin { user.isAdmin = isAdmin }
        if let isSteering { user.isSteering = isSteering }
        guard user != before else { return user }
        var changes: [Change] = [.updateUserRoles(user)]
        var details: [String] = []
        if before.isAdmin != user.isAdmin { details.append("admin=\(user.isAdmin)") }
        if before.isSteering != user.isSteering { details.append("steering=\(user.isSteering)") }
        changes.append(.appendAudit(AuditEntry(at: deps.clock.now(), type: "role.changed", actorID: actor.userID, addressHash: clientKey,
                                               subject: id.description, detail: details.joined(separator: ","))))
        try await deps.commit(ChangeSet(changes: changes))
        return user
    }

    public func audit(type: String?, actor filter: UserID?, limit: Int, by actor: Principal) async throws -> [AuditRow] {
        guard Permissions.canReadAudit(actor) else { throw actor.adminRefusal }
        return try await deps.store.audit(type: type, actor: filter, limit: min(max(limit, 1), 1000))
    }
}
