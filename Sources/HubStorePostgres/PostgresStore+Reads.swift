import Foundation
import HubCore
import HubServices
import Logging
import PostgresNIO

extension PostgresStore {
    /// Runs `body` in one READ ONLY, REPEATABLE READ transaction: every statement sees the same
    /// snapshot, as SQLite's read transactions do.
    func snapshot<T: Sendable>(_ body: @Sendable (PostgresConnection) async throws -> T) async throws -> T {
        try await client.withTransaction(logger: logger) { [logger] connection in
            try await connection.rows("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY", logger)
            return try await body(connection)
        }
    }

    static func head(_ topic: String, _ db: PostgresConnection, _ logger: Logger) async throws -> Int64 {
        try await db.rows("SELECT seq FROM topic_head WHERE topic = \(topic)", logger).first?.decode(Int64.self) ?? 0
    }

    // MARK: Policy fields and workspaces

    public func policyFields() async throws -> Snapshot<[PolicyField]> {
        let epoch = self.epoch
        return try await snapshot { [logger] db in
            let fields = try Self.policyFields(try await db.rows(Self.policyFieldQuery(id: nil), logger))
            return Snapshot(value: fields, cursor: Cursor(topic: "directory", epoch: epoch, seq: try await Self.head("directory", db, logger)))
        }
    }

    public func policyField(_ id: PolicyFieldID) async throws -> PolicyField? {
        try Self.policyFields(try await client.rows(Self.policyFieldQuery(id: id.description), logger)).first
    }

    public func workspaces() async throws -> Snapshot<[Workspace]> {
        let epoch = self.epoch
        return try await snapshot { [logger] db in
            let items = try Self.workspaces(try await db.rows(Self.workspaceQuery(id: nil), logger))
            return Snapshot(value: items, cursor: Cursor(topic: "directory", epoch: epoch, seq: try await Self.head("directory", db, logger)))
        }
    }

    public func workspace(_ id: WorkspaceID) async throws -> Workspace? {
        try Self.workspaces(try await client.rows(Self.workspaceQuery(id: id.description), logger)).first
    }

    /// A field with its prioritised years (ascending), read in the same statement.
    static func policyFieldQuery(id: String?) -> PostgresQuery {
        """
        SELECT f.id, f.key, f.name_de, f.name_en, f.version,
               coalesce((SELECT array_agg(p.year ORDER BY p.year) FROM policy_field_priority p WHERE p.policy_field_id = f.id), '{}')
        FROM policy_field f WHERE (\(id)::text IS NULL OR f.id = \(id))
        ORDER BY f.name_de COLLATE "C"
        """
    }

    static func policyFields(_ rows: [PostgresRow]) throws -> [PolicyField] {
        try rows.map { row in
            let (id, key, nameDe, nameEn, version, years) = try row.decode((String, String, String, String, Int, [Int]).self)
            return PolicyField(id: PolicyFieldID(id)!, key: key, nameDe: nameDe, nameEn: nameEn, prioritisedYears: years, version: version)
        }
    }

    /// A workspace with its policy fields in their order, read in the same statement.
    /// SQLite orders by `name COLLATE NOCASE, id`.
    static func workspaceQuery(id: String?) -> PostgresQuery {
        """
        SELECT w.id, w.kind, w.name, w.description, to_char(w.ends_on, 'YYYY-MM-DD'), w.archived, w.created_ms, w.updated_ms, w.version,
               coalesce((SELECT array_agg(x.policy_field_id ORDER BY x.position) FROM workspace_policy_field x WHERE x.workspace_id = w.id), '{}')
        FROM workspace w WHERE (\(id)::text IS NULL OR w.id = \(id))
        ORDER BY lower(w.name) COLLATE "C", w.id COLLATE "C"
        """
    }

    static func workspaces(_ rows: [PostgresRow]) throws -> [Workspace] {
        try rows.map { row in
            let (id, kind, name, description, endsOn, archived, created, updated, version, fields) =
                try row.decode((String, String, String, String, String?, Bool, Int64, Int64, Int, [String]).self)
            return Workspace(
                id: WorkspaceID(id)!, kind: WorkspaceKind(rawValue: kind)!, name: name, description: description,
                policyFieldIDs: fields.map { PolicyFieldID($0)! }, endsOn: endsOn.flatMap(LocalDate.init),
                archived: archived, createdAt: Date(millis: created), updatedAt: Date(millis: updated), version: version)
        }
    }

    // MARK: Members and organizations

    public func members(of workspace: WorkspaceID) async throws -> [MemberRow] {
        try await client.rows("""
            SELECT m.user_id, m.role, m.organization_id, o.name, u.display_name FROM membership m
            JOIN app_user u ON u.id = m.user_id LEFT JOIN organization o ON o.id = m.organization_id WHERE m.workspace_id = \(workspace.description)
            ORDER BY CASE m.role WHEN 'coordinator' THEN 0 WHEN 'member' THEN 1 ELSE 2 END, u.display_name COLLATE "C"
            """, logger).map { row in
            let (user, role, organization, organizationName, displayName) = try row.decode((String, String, String?, String?, String).self)
            return MemberRow(membership: Membership(workspaceID: workspace, userID: UserID(user)!, role: WorkspaceRole(rawValue: role)!,
                                                    organizationID: organization.flatMap(OrganizationID.init)),
                             displayName: displayName, organizationName: organizationName)
        }
    }

    public func membership(_ workspace: WorkspaceID, _ user: UserID) async throws -> Membership? {
        try await client.rows("""
            SELECT role, organization_id FROM membership WHERE workspace_id = \(workspace.description) AND user_id = \(user.description)
            """, logger).first.map { row in
            let (role, organization) = try row.decode((String, String?).self)
            return Membership(workspaceID: workspace, userID: user, role: WorkspaceRole(rawValue: role)!,
                              organizationID: organization.flatMap(OrganizationID.init))
        }
    }

    public func memberships(of user: UserID) async throws -> [WorkspaceID: WorkspaceRole] {
        var result: [WorkspaceID: WorkspaceRole] = [:]
        for row in try await client.rows("SELECT workspace_id, role FROM membership WHERE user_id = \(user.description)", logger) {
            let (workspace, role) = try row.decode((String, String).self)
            result[WorkspaceID(workspace)!] = WorkspaceRole(rawValue: role)!
        }
        return result
    }

    public func organizations() async throws -> [Organization] {
        try await client.rows("SELECT id, name, kind FROM organization ORDER BY lower(name) COLLATE \"C\"", logger).map(Self.organization)
    }

    public func organization(_ id: OrganizationID) async throws -> Organization? {
        try await client.rows("SELECT id, name, kind FROM organization WHERE id = \(id.description)", logger).first.map(Self.organization)
    }

    static func organization(_ row: PostgresRow) throws -> Organization {
        let (id, name, kind) = try row.decode((String, String, String).self)
        return Organization(id: OrganizationID(id)!, name: name, kind: OrganizationKind(rawValue: kind)!)
    }

    // MARK: Users and sessions

    static func user(_ row: PostgresRow) throws -> User {
        let (id, email, displayName, isAdmin, isSteering) = try row.decode((String, String, String, Bool, Bool).self)
        return User(id: UserID(id)!, email: email, displayName: displayName, isAdmin: isAdmin, isSteering: isSteering)
    }

    public func user(_ id: UserID) async throws -> User? {
        try await client.rows("SELECT id, email, display_name, is_admin, is_steering FROM app_user WHERE id = \(id.description)", logger)
            .first.map(Self.user)
    }

    public func credentials(email: String) async throws -> (User, String)? {
        guard let row = try await client.rows("""
            SELECT id, email, display_name, is_admin, is_steering, password_hash FROM app_user WHERE email = \(email.lowercased())
            """, logger).first else { return nil }
        let (id, storedEmail, displayName, isAdmin, isSteering, hash) = try row.decode((String, String, String, Bool, Bool, String).self)
        return (User(id: UserID(id)!, email: storedEmail, displayName: displayName, isAdmin: isAdmin, isSteering: isSteering), hash)
    }

    public func userCount() async throws -> Int {
        Int(try await client.rows("SELECT count(*) FROM app_user", logger).first?.decode(Int64.self) ?? 0)
    }

    /// SQLite's `LIKE` ignores ASCII case and knows no escape character; `ILIKE … ESCAPE ''` is
    /// the same here (and also ignores the case of other letters). Byte-wise order as SQLite.
    public func users(matching query: String?) async throws -> [User] {
        let pattern = "%" + (query ?? "").replacingOccurrences(of: "%", with: "").replacingOccurrences(of: "_", with: "") + "%"
        return try await client.rows("""
            SELECT id, email, display_name, is_admin, is_steering FROM app_user
            WHERE lower(email) ILIKE \(pattern) ESCAPE '' OR lower(display_name) ILIKE \(pattern) ESCAPE ''
            ORDER BY display_name COLLATE "C", email COLLATE "C" LIMIT 500
            """, logger).map(Self.user)
    }

    static let sessionColumns = "token_hash, id, user_id, kind, name, scope, second_factor, created_ms, expires_ms, last_seen_ms"

    static func session(_ row: PostgresRow) throws -> SessionRecord {
        let (tokenHash, id, user, kind, name, scope, secondFactor, created, expires, lastSeen) =
            try row.decode((String, String, String, String, String?, String, String, Int64, Int64, Int64).self)
        return SessionRecord(tokenHash: tokenHash, id: id, userID: UserID(user)!, kind: SessionRecord.Kind(rawValue: kind)!, name: name,
                             scope: SessionRecord.Scope(rawValue: scope)!, secondFactor: SessionRecord.SecondFactor(rawValue: secondFactor)!,
                             createdAt: Date(millis: created), expiresAt: Date(millis: expires), lastSeenAt: Date(millis: lastSeen))
    }

    public func session(tokenHash: String) async throws -> SessionRecord? {
        try await client.rows("SELECT \(unescaped: Self.sessionColumns) FROM session WHERE token_hash = \(tokenHash)", logger)
            .first.map(Self.session)
    }

    public func sessions(of user: UserID) async throws -> [SessionRecord] {
        try await client.rows("""
            SELECT \(unescaped: Self.sessionColumns) FROM session WHERE user_id = \(user.description) ORDER BY created_ms DESC
            """, logger).map(Self.session)
    }

    // MARK: Second factor

    public func totp(_ user: UserID) async throws -> TOTPCredential? {
        try await client.rows("SELECT secret, enabled, last_step, created_ms FROM totp_credential WHERE user_id = \(user.description)", logger)
            .first.map { row in
                let (secret, enabled, lastStep, created) = try row.decode((String, Bool, Int64, Int64).self)
                return TOTPCredential(userID: user, secret: secret, enabled: enabled, lastStep: lastStep, createdAt: Date(millis: created))
            }
    }

    public func hasUnusedRecoveryCode(_ user: UserID, hash: String) async throws -> Bool {
        try await client.rows("""
            SELECT count(*) FROM recovery_code WHERE user_id = \(user.description) AND code_hash = \(hash) AND used_ms IS NULL
            """, logger).first?.decode(Int64.self) == 1
    }

    // MARK: Invitations and password resets

    static let invitationColumns = "id, workspace_id, email, role, organization_id, created_by, created_ms, expires_ms, accepted_ms, revoked"

    static func invitation(_ row: PostgresRow) throws -> Invitation {
        let (id, workspace, email, role, organization, createdBy, created, expires, accepted, revoked) =
            try row.decode((String, String, String, String, String?, String?, Int64, Int64, Int64?, Bool).self)
        return Invitation(id: InvitationID(id)!, workspaceID: WorkspaceID(workspace)!, email: email, role: WorkspaceRole(rawValue: role)!,
                          organizationID: organization.flatMap(OrganizationID.init), createdBy: createdBy.flatMap(UserID.init),
                          createdAt: Date(millis: created), expiresAt: Date(millis: expires), acceptedAt: accepted.map(Date.init(millis:)),
                          revoked: revoked)
    }

    public func invitation(tokenHash: String) async throws -> Invitation? {
        try await client.rows("SELECT \(unescaped: Self.invitationColumns) FROM invitation WHERE token_hash = \(tokenHash)", logger)
            .first.map(Self.invitation)
    }

    public func invitation(_ id: InvitationID) async throws -> Invitation? {
        try await client.rows("SELECT \(unescaped: Self.invitationColumns) FROM invitation WHERE id = \(id.description)", logger)
            .first.map(Self.invitation)
    }

    public func invitations(of workspace: WorkspaceID) async throws -> [Invitation] {
        try await client.rows("""
            SELECT \(unescaped: Self.invitationColumns) FROM invitation WHERE workspace_id = \(workspace.description) ORDER BY created_ms DESC
            """, logger).map(Self.invitation)
    }

    public func passwordReset(tokenHash: String) async throws -> PasswordReset? {
        try await client.rows("SELECT user_id, created_ms, expires_ms, used_ms FROM password_reset WHERE token_hash = \(tokenHash)", logger)
            .first.map { row in
                let (user, created, expires, used) = try row.decode((String, Int64, Int64, Int64?).self)
                return PasswordReset(tokenHash: tokenHash, userID: UserID(user)!, createdAt: Date(millis: created),
                                     expiresAt: Date(millis: expires), usedAt: used.map(Date.init(millis:)))
            }
    }

    // MARK: Audit and installation secrets

    public func audit(type: String?, actor: UserID?, limit: Int) async throws -> [AuditRow] {
        try await client.rows("""
            SELECT a.id, a.at_ms, a.type, a.actor_id, a.address_hash, a.subject, a.detail, u.display_name FROM audit a
            LEFT JOIN app_user u ON u.id = a.actor_id
            WHERE (\(type)::text IS NULL OR a.type = \(type)) AND (\(actor?.description)::text IS NULL OR a.actor_id = \(actor?.description))
            ORDER BY a.id DESC LIMIT \(limit)
            """, logger).map { row in
            let (id, at, type, actor, addressHash, subject, detail, actorName) =
                try row.decode((Int64, Int64, String, String?, String?, String?, String?, String?).self)
            return AuditRow(id: id, entry: AuditEntry(at: Date(millis: at), type: type, actorID: actor.flatMap(UserID.init),
                                                      addressHash: addressHash, subject: subject, detail: detail),
                            actorName: actorName)
        }
    }

    /// Race-free across instances: the first insert wins, everyone reads the winner's value.
    public func installationSecret(_ name: String) async throws -> String {
        let key = "secret:" + name
        var generator = SystemRandomNumberGenerator()
        let value = (0..<32).map { _ in String(format: "%02x", UInt8.random(in: .min ... .max, using: &generator)) }.joined()
        try await client.rows("INSERT INTO store_meta (key, value) VALUES (\(key), \(value)) ON CONFLICT (key) DO NOTHING", logger)
        guard let stored = try await client.rows("SELECT value FROM store_meta WHERE key = \(key)", logger).first?.decode(String.self) else {
            throw StoreError.missingReference("store_meta")
        }
        return stored
    }
}
