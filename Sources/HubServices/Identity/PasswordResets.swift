import Foundation
import HubCore
import Logging

/// "Forgot password": a single-use link by mail, valid for an hour. The answer never says
/// whether the email has an account.
public struct PasswordResets: Sendable {
    let deps: ServiceDependencies
    let digest: any TokenDigest
    let hasher: any PasswordHasher
    let mailer: any Mailer
    let throttle: LoginThrottle
    let publicOrigin: String
    public static let lifetime: TimeInterval = 3600
    /// A link an administrator hands over (in person, by phone, by another channel) lives a day.
    public static let issuedLifetime: TimeInterval = 24 * 3600

    /// A reset link an administrator issued for someone who cannot receive mail.
    public struct IssuedLink: Sendable, Encodable {
        public let link: String
        public let expiresAt: Date
    }

    public init(deps: ServiceDependencies, digest: any TokenDigest, hasher: any PasswordHasher, mailer: any Mailer,
                throttle: LoginThrottle, publicOrigin: String) {
        self.deps = deps
        self.digest = digest
        self.hasher = hasher
        self.mailer = mailer
        self.throttle = throttle
        self.publicOrigin = publicOrigin
    }

    /// Whether resets can work at all (they need mail).
    public var isAvailable: Bool { mailer.isConfigured }

    public func request(email: String, clientKey: String) async throws {
        guard mailer.isConfigured else {
            throw DomainError(.invalidTransition, code: "passwordReset.unavailable",
                              message: "Password reset needs a mail server. Ask the planning staff to reset your access.")
        }
        let account = email.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
        let now = deps.clock.now()
        // Requests count like failed sign-ins: they must not flood a mailbox.
        try throttle.check(account: "reset:" + account, address: clientKey, now: now)
        throttle.recordFailure(account: "reset:" + account, address: clientKey, now: now)
        guard let (user, _) = try await deps.store.credentials(email: account) else { return }
        let token = digest.newToken()
        try await deps.commit(ChangeSet(changes: [
            .insertPasswordReset(PasswordReset(tokenHash: digest.digest(token), userID: user.id, createdAt: now,
                                               expiresAt: now.addingTimeInterval(Self.lifetime), usedAt: nil)),
            .appendAudit(AuditEntry(at: now, type: "password.resetRequested", actorID: user.id, addressHash: clientKey)),
        ]))
        do {
            try await mailer.send(to: user.email, subject: "Roundtable: Passwort zurücksetzen", text: """
                Guten Tag,

                für Ihr Konto bei Roundtable wurde ein neues Passwort angefordert.

                Neues Passwort festlegen: \(publicOrigin)/#/reset/\(token)

                Der Link gilt eine Stunde und nur einmal. Wenn Sie das nicht angefordert haben, \
                ignorieren Sie diese Nachricht; Ihr Passwort bleibt unverändert.
                """)
        } catch {
            deps.logger.error("password reset mail failed", metadata: ["error": "\(error)"])
        }
    }

    /// "Reset access" for an account whose owner forgot the password where no mail server is
    /// configured (or the mail does not arrive): an administrator gets a single-use link, valid
    /// for a day, to hand over by another channel. The account's sessions end when the link is
    /// used, as with a mailed one. Not for one's own account (that is the account page's job),
    /// audited as `password.resetIssued` with the account as subject.
    public func issue(for userID: UserID, by actor: Principal, clientKey: String?) async throws -> IssuedLink {
        guard Permissions.canAdministerUsers(actor) else { throw actor.adminRefusal }
        guard userID != actor.userID else {
            throw DomainError(.invalidTransition, code: "passwordReset.ownAccount",
                              message: "Change your own password on your account page.")
        }
        guard let user = try await deps.store.user(userID) else { throw DomainError.notFound("user") }
        let now = deps.clock.now()
        let token = digest.newToken()
        let expiresAt = now.addingTimeInterval(Self.issuedLifetime)
        try await deps.commit(ChangeSet(changes: [
            .insertPasswordReset(PasswordReset(tokenHash: digest.digest(token), userID: user.id, createdAt: now, expiresAt: expiresAt, usedAt: nil)),
            .appendAudit(AuditEntry(at: now, type: "password.resetIssued", actorID: actor.userID, addressHash: clientKey, subject: user.id.description)),
        ]))
        return IssuedLink(link: "\(publicOrigin)/#/reset/\(token)", expiresAt: expiresAt)
    }

    /// Sets the new password; ends every session of the account.
    public func complete(token: String, newPassword: String, clientKey: String) async throws {
        let now = deps.clock.now()
        guard token.utf8.count <= 128, let reset = try await deps.store.passwordReset(tokenHash: digest.digest(token)),
              reset.usedAt == nil, reset.expiresAt > now, let user = try await deps.store.user(reset.userID) else {
            throw DomainError(.notFound, code: "passwordReset.invalid", message: "This link is invalid, used or expired. Request a new one.")
        }
        let issues = PasswordPolicy.issues(newPassword, email: user.email, field: "newPassword")
        guard issues.isEmpty else { throw DomainError.validation(issues) }
        try await deps.commit(ChangeSet(changes: [
            .usePasswordReset(tokenHash: reset.tokenHash, at: now),
            .updatePassword(user.id, passwordHash: try await hasher.hash(newPassword)),
            .deleteSessionsOfUser(user.id, except: nil),
            .appendAudit(AuditEntry(at: now, type: "password.reset", actorID: user.id, addressHash: clientKey)),
        ]))
    }
}
