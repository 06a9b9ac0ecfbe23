import Foundation
import HubCore

/// Installation-wide security settings the identity use cases follow.
public struct SecurityPolicy: Sendable {
    /// Administrators act as administrators only with a verified second factor.
    public var adminSecondFactorRequired: Bool
    /// A browser session unused this long ends.
    public var idleTimeout: TimeInterval
    /// Absolute lifetime of a browser session.
    public var sessionLifetime: TimeInterval

    public init(adminSecondFactorRequired: Bool = true, idleTimeout: TimeInterval = 2 * 3600, sessionLifetime: TimeInterval = 12 * 3600) {
        self.adminSecondFactorRequired = adminSecondFactorRequired
        self.idleTimeout = idleTimeout
        self.sessionLifetime = sessionLifetime
    }
}

/// Resolves a session or API token to the acting principal. Called on every request and on
/// every WebSocket authentication and subscription.
public struct Authenticator: Sendable {
    let deps: ServiceDependencies
    let digest: any TokenDigest
    let policy: SecurityPolicy
    /// Last-seen times are written at most this often per session.
    static let touchInterval: TimeInterval = 60

    public init(deps: ServiceDependencies, digest: any TokenDigest, policy: SecurityPolicy = SecurityPolicy()) {
        self.deps = deps
        self.digest = digest
        self.policy = policy
    }

    /// The live session behind a token and its principal; `nil` when unknown, expired or
    /// idle too long. A session waiting for its second factor comes back with an anonymous
    /// principal: it may only complete sign-in or sign out.
    public func authenticate(token: String) async throws -> (Principal, SessionRecord)? {
        guard !token.isEmpty, token.utf8.count <= 256 else { return nil }
        let now = deps.clock.now()
        // Session, user and memberships in one read: every authenticated request pays it.
        guard let found = try await deps.store.signedIn(tokenHash: digest.digest(token)), found.session.expiresAt > now else { return nil }
        var session = found.session
        if session.kind == .browser, now.timeIntervalSince(session.lastSeenAt) > policy.idleTimeout {
            try await deps.commit(ChangeSet(changes: [.deleteSession(tokenHash: session.tokenHash)]))
            return nil
        }
        if now.timeIntervalSince(session.lastSeenAt) > Self.touchInterval {
            session.lastSeenAt = now
            try await deps.commit(ChangeSet(changes: [.updateSession(session)]))
        }
        if session.secondFactor == .pending { return (.anonymous, session) }
        return (principal(for: found.user, session: session, memberships: found.memberships), session)
    }

    /// The principal of a user in a session, as of now (memberships are read fresh).
    public func principal(for user: User, session: SessionRecord?) async throws -> Principal {
        principal(for: user, session: session, memberships: try await deps.store.memberships(of: user.id))
    }

    /// The principal of a user in a session, with memberships the caller has just read.
    public func principal(for user: User, session: SessionRecord?, memberships: [WorkspaceID: WorkspaceRole]) -> Principal {
        let verified = session?.secondFactor == .verified
        let admin = user.isAdmin && (verified || !policy.adminSecondFactorRequired)
        return Principal(userID: user.id, displayName: user.displayName, isAdmin: admin, memberships: memberships,
                         isSteering: user.isSteering, adminNeedsSecondFactor: user.isAdmin && !admin)
    }
}
