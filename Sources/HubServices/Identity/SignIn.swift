import Foundation
import HubCore
import Logging

/// Email and password in, a new session out. Unknown emails cost the same time as known
/// ones (a hash is verified either way) and get the same answer: no account enumeration.
/// With TOTP enabled the session starts `pending` until `VerifySecondFactor`.
public struct SignIn: Sendable {
    let deps: ServiceDependencies
    let hasher: any PasswordHasher
    let digest: any TokenDigest
    let throttle: LoginThrottle
    let policy: SecurityPolicy
    /// A hash of a random password, verified when the email is unknown.
    let decoyHash: String

    public init(deps: ServiceDependencies, hasher: any PasswordHasher, digest: any TokenDigest, throttle: LoginThrottle,
                policy: SecurityPolicy, decoyHash: String) {
        self.deps = deps
        self.hasher = hasher
        self.digest = digest
        self.throttle = throttle
        self.policy = policy
        self.decoyHash = decoyHash
    }

    public struct Result: Sendable {
        public let user: User
        public let token: String
        public let session: SessionRecord
    }

    /// `clientKey` identifies the client address (an HMAC, never the address itself).
    public func callAsFunction(email: String, password: String, clientKey: String, kind: SessionRecord.Kind = .browser) async throws -> Result {
        let account = email.trimmingCharacters(in: .whitespaces).lowercased()
        let now = deps.clock.now()
        try throttle.check(account: account, address: clientKey, now: now)
        let invalid = DomainError(.unauthenticated, code: "auth.invalidCredentials", message: "Email or password is wrong.")
        guard password.utf8.count <= 1024, account.utf8.count <= 320 else { throw invalid }
        let found = try await deps.store.credentials(email: account)
        let matches = try await hasher.verify(password, against: found?.1 ?? decoyHash)
        guard let (user, _) = found, matches else {
            throttle.recordFailure(account: account, address: clientKey, now: now)
            try await deps.commit(ChangeSet(changes: [.appendAudit(AuditEntry(
                at: now, type: "auth.failed", actorID: found?.0.id, addressHash: clientKey))]))
            throw invalid
        }
        throttle.recordSuccess(account: account)
        let totp = try await deps.store.totp(user.id)
        let token = digest.newToken()
        let session = SessionRecord(
            tokenHash: digest.digest(token), id: SessionIDs.new(deps.ids), userID: user.id, kind: kind,
            secondFactor: totp?.enabled == true ? .pending : .none,
            createdAt: now, expiresAt: now.addingTimeInterval(policy.sessionLifetime))
        try await deps.commit(ChangeSet(changes: [
            .insertSession(session),
            .appendAudit(AuditEntry(at: now, type: "auth.ok", actorID: user.id, addressHash: clientKey,
                                    detail: session.secondFactor == .pending ? "second factor pending" : nil)),
        ]))
        return Result(user: user, token: token, session: session)
    }
}

/// Public ids of sessions and tokens: 128 random bits, hex.
enum SessionIDs {
    static func new(_ ids: any IDGenerator) -> String {
        ids.uuid().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
    }
}

/// Ends a session. The transport closes that session's WebSockets.
public struct SignOut: Sendable {
    let deps: ServiceDependencies

    public init(deps: ServiceDependencies) { self.deps = deps }

    public func callAsFunction(_ session: SessionRecord, clientKey: String?) async throws {
        try await deps.commit(ChangeSet(changes: [
            .deleteSession(tokenHash: session.tokenHash),
            .appendAudit(AuditEntry(at: deps.clock.now(), type: "auth.signOut", actorID: session.userID, addressHash: clientKey)),
        ]))
    }
}
