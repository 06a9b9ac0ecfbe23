import Foundation
import HubCore

/// One row-level change in a `ChangeSet`. Updates name the version they were based on;
/// the store refuses the whole change set with `StoreError.conflict` when it moved on.
public enum Change: Sendable {
    case insertUser(User, passwordHash: String)
    /// Administrator and steering-group flags.
    case updateUserRoles(User)
    case updatePassword(UserID, passwordHash: String)
    case insertSession(SessionRecord)
    /// Second-factor state and last-seen time.
    case updateSession(SessionRecord)
    case deleteSession(tokenHash: String)
    case deleteSessionsOfUser(UserID, except: String?)
    case upsertTOTP(TOTPCredential)
    case deleteTOTP(UserID)
    /// Replaces all recovery codes of a user with new (hashed) ones.
    case replaceRecoveryCodes(UserID, hashes: [String])
    /// Marks a recovery code used; a code already used is a conflict (single use).
    case useRecoveryCode(UserID, hash: String, at: Date)
    case insertInvitation(Invitation, tokenHash: String)
    case updateInvitation(Invitation)
    case appendAudit(AuditEntry)
    case insertPasswordReset(PasswordReset)
    /// Marks a reset used; one already used is a conflict (single use).
    case usePasswordReset(tokenHash: String, at: Date)
    case insertPolicyField(PolicyField)
    case updatePolicyField(PolicyField, expectedVersion: Int)
    case insertWorkspace(Workspace)
    case updateWorkspace(Workspace, expectedVersion: Int)
    case insertOrganization(Organization)
    case updateOrganization(Organization)
    case upsertMembership(Membership)
    case deleteMembership(WorkspaceID, UserID)
    /// Drafts, revisions, sign-offs, the catalogue and ratings (see `RecommendationChange`).
    case recommendation(RecommendationChange)
    /// Feedback panels, submissions, invites, responses, limiter state (see `PanelChange`).
    case panel(PanelChange)
    /// Lean Coffee boards and their records (see `LeanCoffeeWrite`).
    case leanCoffee(LeanCoffeeWrite)
    /// Barcamps and their records (see `BarcampWrite`).
    case barcamp(BarcampWrite)
    /// Templates, meetings, series, agendas, minutes, answers, feed secrets, the mail outbox.
    case meeting(MeetingStoreChange)
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

/// A server-side session or personal API token, stored only as the SHA-256 of the secret.
public struct SessionRecord: Sendable, Hashable {
    public enum Kind: String, Sendable, Codable { case browser, api }
    public enum Scope: String, Sendable, Codable { case read, write }
    /// `pending`: password checked, TOTP not yet; the session counts as signed out.
    public enum SecondFactor: String, Sendable, Codable { case none, pending, verified }

    public let tokenHash: String
    /// Public id for listing and revoking (never the secret).
    public let id: String
    public let userID: UserID
    public let kind: Kind
    /// A personal token's label.
    public let name: String?
    public let scope: Scope
    public var secondFactor: SecondFactor
    public let createdAt: Date
    public let expiresAt: Date
    public var lastSeenAt: Date

    public init(tokenHash: String, id: String, userID: UserID, kind: Kind, name: String? = nil, scope: Scope = .write,
                secondFactor: SecondFactor = .none, createdAt: Date, expiresAt: Date, lastSeenAt: Date? = nil) {
        self.tokenHash = tokenHash
        self.id = id
        self.userID = userID
        self.kind = kind
        self.name = name
        self.scope = scope
        self.secondFactor = secondFactor
        self.createdAt = createdAt
        self.expiresAt = expiresAt
        self.lastSeenAt = lastSeenAt ?? createdAt
    }
}

/// A user's TOTP secret (base32) and the last time step used (replay protection).
public struct TOTPCredential: Sendable, Hashable {
    public let userID: UserID
    public let secret: String
    public var enabled: Bool
    public var lastStep: Int64
    public let createdAt: Date

    public init(userID: UserID, secret: String, enabled: Bool, lastStep: Int64, createdAt: Date) {
        self.userID = userID
        self.secret = secret
        self.enabled = enabled
        self.lastStep = lastStep
        self.createdAt = createdAt
    }
}

/// A password-reset request; the link's secret is stored only as a hash.
public struct PasswordReset: Sendable, Hashable {
    public let tokenHash: String
    public let userID: UserID
    public let createdAt: Date
    public let expiresAt: Date
    public var usedAt: Date?

    public init(tokenHash: String, userID: UserID, createdAt: Date, expiresAt: Date, usedAt: Date?) {
        self.tokenHash = tokenHash
        self.userID = userID
        self.createdAt = createdAt
        self.expiresAt = expiresAt
        self.usedAt = usedAt
    }
}

/// One security event for the audit log: never passwords, tokens or content.
public struct AuditEntry: Sendable, Hashable {
    public let at: Date
    public let type: String
    public let actorID: UserID?
    /// HMAC of the client address with an installation key: correlates, does not reveal.
    public let addressHash: String?
    /// What it concerned (a user id, a workspace id, an invitation id).
    public let subject: String?
    public let detail: String?

    public init(at: Date, type: String, actorID: UserID?, addressHash: String?, subject: String? = nil, detail: String? = nil) {
        self.at = at
        self.type = type
        self.actorID = actorID
        self.addressHash = addressHash
        self.subject = subject
        self.detail = detail
    }
}

/// An audit entry as read back, with the actor's name.
public struct AuditRow: Sendable, Hashable {
    public let id: Int64
    public let entry: AuditEntry
    public let actorName: String?

    public init(id: Int64, entry: AuditEntry, actorName: String?) {
        self.id = id
        self.entry = entry
        self.actorName = actorName
    }
}

/// A member together with the name shown for them and their organization's name.
public struct MemberRow: Sendable, Hashable {
    public let membership: Membership
    public let displayName: String
    public let organizationName: String?

    public init(membership: Membership, displayName: String, organizationName: String? = nil) {
        self.membership = membership
        self.displayName = displayName
        self.organizationName = organizationName
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
    /// The store could not confirm the commit (an I/O error, a full disk, a lost database
    /// connection). SQLite rolled it back; on PostgreSQL a lost connection leaves it unknown.
    case unavailable
}

/// The persistence port. Implemented by the SQLite and the PostgreSQL adapters, both held to
/// one contract suite. No SQL leaves an adapter; records never leave an adapter.
public protocol HubStore: EventLog, RecommendationReads, PanelReads, LeanCoffeeReads, BarcampReads, MeetingReads {
    /// Applies a change set in one durable transaction, assigns each event the next
    /// sequence number of its topic, tells the commit observer, and returns the events.
    func commit(_ changeSet: ChangeSet) async throws -> [StoredEvent]

    func policyFields() async throws -> Snapshot<[PolicyField]>
    func policyField(_ id: PolicyFieldID) async throws -> PolicyField?

    func workspaces() async throws -> Snapshot<[Workspace]>
    func workspace(_ id: WorkspaceID) async throws -> Workspace?

    func members(of workspace: WorkspaceID) async throws -> [MemberRow]
    func organizations() async throws -> [Organization]
    func organization(_ id: OrganizationID) async throws -> Organization?
    func membership(_ workspace: WorkspaceID, _ user: UserID) async throws -> Membership?
    func memberships(of user: UserID) async throws -> [WorkspaceID: WorkspaceRole]

    func user(_ id: UserID) async throws -> User?
    /// The user and password hash for a sign-in; `email` is compared lower-cased.
    func credentials(email: String) async throws -> (User, String)?
    func userCount() async throws -> Int

    func session(tokenHash: String) async throws -> SessionRecord?
    /// A session with its user and the user's memberships: what every authenticated request
    /// needs, read together (a store can do it in one read instead of three).
    func signedIn(tokenHash: String) async throws -> SignedIn?
    func sessions(of user: UserID) async throws -> [SessionRecord]
    func users(matching query: String?) async throws -> [User]

    func totp(_ user: UserID) async throws -> TOTPCredential?
    func hasUnusedRecoveryCode(_ user: UserID, hash: String) async throws -> Bool

    func invitation(tokenHash: String) async throws -> Invitation?
    func invitation(_ id: InvitationID) async throws -> Invitation?
    func invitations(of workspace: WorkspaceID) async throws -> [Invitation]

    func passwordReset(tokenHash: String) async throws -> PasswordReset?

    /// Audit entries, newest first.
    func audit(type: String?, actor: UserID?, limit: Int) async throws -> [AuditRow]

    /// A random secret kept with the data (e.g. the key for address hashes), created on first use.
    func installationSecret(_ name: String) async throws -> String

    /// Drops events older than the cut-off (their topics then answer `recovered: false`
    /// to clients that held them) and expired sessions. Returns how many events went.
    func prune(eventsBefore cutoff: Date, now: Date) async throws -> Int

    /// Retention of identity records: deletes invitations accepted or expired before
    /// `settledBefore` (revoked ones by their expiry), password resets used or expired before
    /// it, and audit entries older than `auditBefore`.
    func purgeIdentityRecords(settledBefore: Date, auditBefore: Date) async throws -> IdentityPurge
}

/// How many identity records a retention run deleted.
public struct IdentityPurge: Sendable, Hashable {
    public var invitations: Int
    public var passwordResets: Int
    public var auditEntries: Int

    public init(invitations: Int = 0, passwordResets: Int = 0, auditEntries: Int = 0) {
        self.invitations = invitations
        self.passwordResets = passwordResets
        self.auditEntries = auditEntries
    }
}

/// A session with its user and the user's workspace roles, as of one read.
public struct SignedIn: Sendable, Equatable {
    public var session: SessionRecord
    public let user: User
    public let memberships: [WorkspaceID: WorkspaceRole]

    public init(session: SessionRecord, user: User, memberships: [WorkspaceID: WorkspaceRole]) {
        self.session = session
        self.user = user
        self.memberships = memberships
    }
}

extension HubStore {
    /// Three reads; stores that can read them together override it.
    public func signedIn(tokenHash: String) async throws -> SignedIn? {
        guard let session = try await session(tokenHash: tokenHash), let user = try await user(session.userID) else { return nil }
        return SignedIn(session: session, user: user, memberships: try await memberships(of: user.id))
    }
}
