import Foundation
import HubCore
import Logging

/// Invitations to a workspace: created by coordinators and administrators, delivered by mail
/// (or shown as a link when no mail server is configured), accepted once.
public struct Invitations: Sendable {
    let deps: ServiceDependencies
    let digest: any TokenDigest
    let hasher: any PasswordHasher
    let mailer: any Mailer
    let policy: SecurityPolicy
    /// Origin for links in mails (`https://roundtable.kreis.example`).
    let publicOrigin: String

    public init(deps: ServiceDependencies, digest: any TokenDigest, hasher: any PasswordHasher, mailer: any Mailer,
                policy: SecurityPolicy, publicOrigin: String) {
        self.deps = deps
        self.digest = digest
        self.hasher = hasher
        self.mailer = mailer
        self.policy = policy
        self.publicOrigin = publicOrigin
    }

    public struct Created: Sendable {
        public let invitation: Invitation
        /// Set when the link was not mailed: the coordinator passes it on.
        public let link: String?
    }

    public func create(email: String, role: WorkspaceRole, organization: OrganizationID?, in workspaceID: WorkspaceID,
                       by actor: Principal, clientKey: String?) async throws -> Created {
        guard actor.isSignedIn else { throw DomainError.unauthenticated }
        guard let workspace = try await deps.store.workspace(workspaceID) else { throw DomainError.notFound("workspace") }
        let now = deps.clock.now()
        let invitation = try InvitationRules.create(email: email, role: role, organization: organization, in: workspace,
                                                    id: InvitationID(deps.ids.uuid()), by: actor, now: now)
        _ = try await Organizations.name(of: organization, in: deps.store)
        let token = digest.newToken()
        let link = "\(publicOrigin)/#/invitation/\(token)"
        try await deps.commit(ChangeSet(changes: [
            .insertInvitation(invitation, tokenHash: digest.digest(token)),
            .appendAudit(AuditEntry(at: now, type: "invitation.created", actorID: actor.userID, addressHash: clientKey,
                                    subject: workspace.id.description, detail: invitation.role.rawValue)),
        ]))
        guard mailer.isConfigured else { return Created(invitation: invitation, link: link) }
        do {
            try await mailer.send(to: invitation.email, subject: "Einladung: \(workspace.name) (Roundtable)", text: """
                Guten Tag,

                Sie sind eingeladen, in der Arbeitsgruppe „\(workspace.name)“ auf Roundtable mitzuarbeiten \
                (Rolle: \(invitation.role.rawValue)).

                Einladung annehmen: \(link)

                Der Link gilt sieben Tage und nur einmal. Wenn Sie diese Einladung nicht erwartet haben, \
                können Sie diese Nachricht ignorieren.
                """)
            return Created(invitation: invitation, link: nil)
        } catch {
            deps.logger.error("invitation mail failed", metadata: ["error": "\(error)"])
            return Created(invitation: invitation, link: link)
        }
    }

    public func pending(in workspaceID: WorkspaceID, by actor: Principal) async throws -> [Invitation] {
        guard actor.isSignedIn else { throw DomainError.unauthenticated }
        guard try await deps.store.workspace(workspaceID) != nil else { throw DomainError.notFound("workspace") }
        guard Permissions.canInvite(actor, to: workspaceID) else { throw DomainError.forbidden }
        let now = deps.clock.now()
        return try await deps.store.invitations(of: workspaceID).filter { $0.isOpen(at: now) }
    }

    public func revoke(_ id: InvitationID, in workspaceID: WorkspaceID, by actor: Principal, clientKey: String?) async throws {
        guard actor.isSignedIn else { throw DomainError.unauthenticated }
        guard Permissions.canInvite(actor, to: workspaceID) else { throw DomainError.forbidden }
        guard var invitation = try await deps.store.invitation(id), invitation.workspaceID == workspaceID,
              invitation.isOpen(at: deps.clock.now()) else { throw DomainError.notFound("invitation") }
        invitation.revoked = true
        try await deps.commit(ChangeSet(changes: [
            .updateInvitation(invitation),
            .appendAudit(AuditEntry(at: deps.clock.now(), type: "invitation.revoked", actorID: actor.userID, addressHash: clientKey,
                                    subject: id.description)),
        ]))
    }

    /// What the link shows before accepting (no sign-in needed; the secret is the key).
    public func show(token: String) async throws -> (Invitation, Workspace, accountExists: Bool) {
        guard token.utf8.count <= 128, let invitation = try await deps.store.invitation(tokenHash: digest.digest(token)),
              invitation.isOpen(at: deps.clock.now()),
              let workspace = try await deps.store.workspace(invitation.workspaceID) else { throw DomainError.notFound("invitation") }
        return (invitation, workspace, try await deps.store.credentials(email: invitation.email) != nil)
    }

    public struct Accepted: Sendable {
        public let workspaceID: WorkspaceID
        public let user: User
        /// A new session when the account was created here.
        public let session: (token: String, record: SessionRecord)?
    }

    /// Accepts as the signed-in user, or creates the account (`displayName`, `password`).
    public func accept(token: String, signedIn: Principal, displayName: String?, password: String?, clientKey: String?) async throws -> Accepted {
        let (invitation, workspace, exists) = try await show(token: token)
        let now = deps.clock.now()
        var changes: [Change] = []
        let user: User
        var newSession: (String, SessionRecord)?
        if let userID = signedIn.userID {
            guard let current = try await deps.store.user(userID) else { throw DomainError.unauthenticated }
            user = current
        } else if exists {
            throw DomainError(.unauthenticated, code: "auth.required", message: "Sign in with the invited email address, then accept.")
        } else {
            let name = (displayName ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
            var issues = PasswordPolicy.issues(password ?? "", email: invitation.email, field: "password")
            if name.isEmpty || name.count > 120 {
                issues.insert(FieldIssue(field: "displayName", code: "invalid", message: "A name of 1 to 120 characters."), at: 0)
            }
            guard issues.isEmpty else { throw DomainError.validation(issues) }
            user = User(id: UserID(deps.ids.uuid()), email: invitation.email, displayName: name, isAdmin: false)
            changes.append(.insertUser(user, passwordHash: try await hasher.hash(password ?? "")))
            let secret = digest.newToken()
            let record = SessionRecord(tokenHash: digest.digest(secret), id: SessionIDs.new(deps.ids), userID: user.id, kind: .browser,
                                       createdAt: now, expiresAt: now.addingTimeInterval(policy.sessionLifetime))
            changes.append(.insertSession(record))
            newSession = (secret, record)
        }
        let existing = try await deps.store.membership(workspace.id, user.id)
        let (accepted, membership, events) = try InvitationRules.accept(invitation, as: user, existing: existing, workspace: workspace, now: now)
        changes.append(.updateInvitation(accepted))
        if !events.isEmpty { changes.append(.upsertMembership(membership)) }
        changes.append(.appendAudit(AuditEntry(at: now, type: "invitation.accepted", actorID: user.id, addressHash: clientKey,
                                               subject: invitation.id.description)))
        var organizationNames: [OrganizationID: String] = [:]
        if let id = membership.organizationID { organizationNames[id] = try await Organizations.name(of: id, in: deps.store) }
        try await deps.commit(ChangeSet(changes: changes, events: EventEncoding.newEvents(events, displayNames: [user.id: user.displayName],
                                                                                             organizationNames: organizationNames)))
        return Accepted(workspaceID: workspace.id, user: user, session: newSession)
    }
}
