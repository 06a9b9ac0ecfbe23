import Foundation
import HubCore
import Logging

/// Email and password in, a new session out. Unknown emails cost the same time as known
/// ones (a hash is verified either way) and get the same answer: no account enumeration.
public struct SignIn: Sendable {
    let deps: ServiceDependencies
    let hasher: any PasswordHasher
    let digest: any TokenDigest
    let throttle: LoginThrottle
    let sessionLifetime: TimeInterval
    /// A hash of a random password, verified when the email is unknown.
    let decoyHash: String

    public init(deps: ServiceDependencies, hasher: any PasswordHasher, digest: any TokenDigest, throttle: LoginThrottle,
                sessionLifetime: TimeInterval, decoyHash: String) {
        self.deps = deps
        self.hasher = hasher
        self.digest = digest
        self.throttle = throttle
        self.sessionLifetime = sessionLifetime
        self.decoyHash = decoyHash
    }

    public struct Result: Sendable {
        public let user: User
        public let token: String
        public let session: SessionRecord
    }

    /// `clientKey` identifies the client address for throttling (a hash, never stored).
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
            deps.logger.notice("sign-in failed", metadata: ["event": "auth.failed"])
            throw invalid
        }
        throttle.recordSuccess(account: account)
        let token = digest.newToken()
        let session = SessionRecord(tokenHash: digest.digest(token), userID: user.id, kind: kind,
                                    createdAt: now, expiresAt: now.addingTimeInterval(sessionLifetime))
        try await deps.commit(ChangeSet(changes: [.insertSession(session)]))
        deps.logger.info("sign-in", metadata: ["event": "auth.ok", "user": "\(user.id)"])
        return Result(user: user, token: token, session: session)
    }
}

/// Ends a session. The transport closes that session's WebSockets.
public struct SignOut: Sendable {
    let deps: ServiceDependencies

    public init(deps: ServiceDependencies) { self.deps = deps }

    public func callAsFunction(_ session: SessionRecord) async throws {
        try await deps.commit(ChangeSet(changes: [.deleteSession(tokenHash: session.tokenHash)]))
    }
}
