import Foundation
import HubCore

/// One row-level change in a `ChangeSet`. Updates name the version they were based on;
/// the store refuses the whole change set with `StoreError.conflict` when it moved on.
public enum Change: Sendable {
    case insertUser(User, passwordHash: String)
    case insertSession(SessionRecord)
    case deleteSession(tokenHash: String)
    case deleteSessionsOfUser(UserID)
    case insertPolicyField(PolicyField)
    case updatePolicyField(PolicyField, expectedVersion: Int)
    case insertWorkspace(Workspace)
    case updateWorkspace(Workspace, expectedVersion: Int)
    case upsertMembership(Membership)
    case deleteMembership(WorkspaceID, UserID)
}

/// Everything one use case writes: state changes and their events, committed atomically.
public struct ChangeSet: Sendable {
    public var changes: [Change]
    public var events: [NewEvent]

    public init(changes: [Change] = [], events: [NewEvent] = []) {
        self.changes = changes
        self.events = events
    }

    public var isEmpty: Bool { changes.isEmpty && events.isEmpty }
}

/// A server-side session or API token, stored only as the SHA-256 of the secret.
public struct SessionRecord: Sendable, Hashable {
    public enum Kind: String, Sendable { case browser, api }
    public let tokenHash: String
    public let userID: UserID
    public let kind: Kind
    public let createdAt: Date
    public let expiresAt: Date

    public init(tokenHash: String, userID: UserID, kind: Kind, createdAt: Date, expiresAt: Date) {
        self.tokenHash = tokenHash
        self.userID = userID
        self.kind = kind
        self.createdAt = createdAt
        self.expiresAt = expiresAt
    }
}

/// A member together with the name shown for them.
public struct MemberRow: Sendable, Hashable {
    public let membership: Membership
    public let displayName: String

    public init(membership: Membership, displayName: String) {
        self.membership = membership
        self.displayName = displayName
    }
}

/// Why a commit was refused. Use cases map these to `DomainError`s.
public enum StoreError: Error, Sendable, Equatable {
    /// An update's expected version did not match: someone else changed the row.
    case conflict
    /// A unique constraint was violated (e.g. an email already taken).
    case duplicate(String)
    /// A referenced row does not exist.
    case missingReference(String)
}

/// The persistence port. Implemented by the SQLite and the PostgreSQL adapters, both held to
/// one contract suite. No SQL leaves an adapter; records never leave an adapter.
public protocol HubStore: EventLog {
    /// Applies a change set in one durable transaction, assigns each event the next
    /// sequence number of its topic, tells the commit observer, and returns the events.
    func commit(_ changeSet: ChangeSet) async throws -> [StoredEvent]

    func policyFields() async throws -> Snapshot<[PolicyField]>
    func policyField(_ id: PolicyFieldID) async throws -> PolicyField?

    func workspaces() async throws -> Snapshot<[Workspace]>
    func workspace(_ id: WorkspaceID) async throws -> Workspace?

    func members(of workspace: WorkspaceID) async throws -> [MemberRow]
    func membership(_ workspace: WorkspaceID, _ user: UserID) async throws -> Membership?
    func memberships(of user: UserID) async throws -> [WorkspaceID: WorkspaceRole]

    func user(_ id: UserID) async throws -> User?
    /// The user and password hash for a sign-in; `email` is compared lower-cased.
    func credentials(email: String) async throws -> (User, String)?
    func userCount() async throws -> Int

    func session(tokenHash: String) async throws -> SessionRecord?

    /// Drops events older than the cut-off (their topics then answer `recovered: false`
    /// to clients that held them) and expired sessions. Returns how many events went.
    func prune(eventsBefore cutoff: Date, now: Date) async throws -> Int
}
