import Foundation
import HubCore

/// Resolves a session or API token to the acting principal. Called on every request and on
/// every WebSocket authentication.
public struct Authenticator: Sendable {
    let deps: ServiceDependencies
    let digest: any TokenDigest

    public init(deps: ServiceDependencies, digest: any TokenDigest) {
        self.deps = deps
        self.digest = digest
    }

    /// The session behind a token, with its principal; `nil` when unknown or expired.
    public func authenticate(token: String) async throws -> (Principal, SessionRecord)? {
        guard !token.isEmpty, token.utf8.count <= 256 else { return nil }
        guard let session = try await deps.store.session(tokenHash: digest.digest(token)),
              session.expiresAt > deps.clock.now(),
              let user = try await deps.store.user(session.userID) else { return nil }
        return (try await principal(for: user), session)
    }

    /// The principal of a user as of now (memberships are read fresh).
    public func principal(for user: User) async throws -> Principal {
        let memberships = try await deps.store.memberships(of: user.id)
        return Principal(userID: user.id, displayName: user.displayName, isAdmin: user.isAdmin, memberships: memberships)
    }
}
