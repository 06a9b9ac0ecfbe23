import Foundation
import HubCore

/// What a signed-in person does with their own account: password, sessions, API tokens.
public struct Account: Sendable {
    let deps: ServiceDependencies
    let hasher: any PasswordHasher
    let digest: any TokenDigest

    public init(deps: ServiceDependencies, hasher: any PasswordHasher, digest: any TokenDigest) {
        self.deps = deps
        self.hasher = hasher
        self.digest = digest
    }

    /// Changes the password after checking the current one; ends every other session.
    public func changePassword(current: String, new: String, user: User, session: SessionRecord, clientKey: String?) async throws {
        guard let (_, hash) = try await deps.store.credentials(email: user.email),
              try await hasher.verify(current, against: hash) else {
            throw DomainError.validation([FieldIssue(field: "currentPassword", code: "wrong", message: "The current password is wrong.")])
        }
        let issues = PasswordPolicy.issues(new, email: user.email, field: "newPassword")
        guard issues.isEmpty else { throw DomainError.validation(issues) }
        try await deps.commit(ChangeSet(changes: [
            .updatePassword(user.id, passwordHash: try await hasher.hash(new)),
            .deleteSessionsOfUser(user.id, except: session.tokenHash),
            .appendAudit(AuditEntry(at: deps.clock.now(), type: "password.changed", actorID: user.id, addressHash: clientKey)),
        ]))
    }

    /// Browser sessions and API tokens of the user, newest first.
    public func sessions(of user: UserID) async throws -> [SessionRecord] {
        try await deps.store.sessions(of: user).filter { $0.expiresAt > deps.clock.now() }.sorted { $0.createdAt > $1.createdAt }
    }

    /// Ends one of the user's own sessions or tokens by its public id. Returns it, so the
    /// transport can close its sockets.
    public func revoke(id: String, of user: UserID, clientKey: String?) async throws -> SessionRecord {
        guard let session = try await deps.store.sessions(of: user).first(where: { $0.id == id }) else {
            throw DomainError.notFound("session")
        }
        try await deps.commit(ChangeSet(changes: [
            .deleteSession(tokenHash: session.tokenHash),
            .appendAudit(AuditEntry(at: deps.clock.now(), type: session.kind == .api ? "token.revoked" : "session.revoked",
                                    actorID: user, addressHash: clientKey, subject: id)),
        ]))
        return session
    }

    /// A personal API token, shown once. It carries administrator rights only when created
    /// from a session that verified a second factor.
    public func createToken(name: String, scope: SessionRecord.Scope, days: Int, user: User, from session: SessionRecord,
                            clientKey: String?) async throws -> (String, SessionRecord) {
        let name = name.trimmingCharacters(in: .whitespacesAndNewlines)
        var issues: [FieldIssue] = []
        if name.isEmpty || name.count > 80 { issues.append(FieldIssue(field: "name", code: "invalid", message: "A name of 1 to 80 characters.")) }
        if !(1...365).contains(days) { issues.append(FieldIssue(field: "expiresInDays", code: "outOfRange", message: "Between 1 and 365 days.")) }
        guard issues.isEmpty else { throw DomainError.validation(issues) }
        let now = deps.clock.now()
        let token = "rt_" + digest.newToken()
        let record = SessionRecord(tokenHash: digest.digest(token), id: SessionIDs.new(deps.ids), userID: user.id, kind: .api, name: name,
                                   scope: scope, secondFactor: session.secondFactor == .verified ? .verified : .none,
                                   createdAt: now, expiresAt: now.addingTimeInterval(Double(days) * 86_400))
        try await deps.commit(ChangeSet(changes: [
            .insertSession(record),
            .appendAudit(AuditEntry(at: now, type: "token.created", actorID: user.id, addressHash: clientKey, subject: record.id,
                                    detail: scope.rawValue)),
        ]))
        return (token, record)
    }
}
