import Foundation
import GRDB
import HubCore
import HubServices

extension SQLiteStore {
    public func policyFields() async throws -> Snapshot<[PolicyField]> {
        let epoch = self.epoch
        return try await pool.read { db in
            let fields = try Self.fetchPolicyFields(db, whereClause: "", arguments: [])
            return Snapshot(value: fields, cursor: Cursor(topic: "directory", epoch: epoch, seq: try Self.head("directory", db)))
        }
    }

    public func policyField(_ id: PolicyFieldID) async throws -> PolicyField? {
        try await pool.read { db in
            try Self.fetchPolicyFields(db, whereClause: "WHERE id = ?", arguments: [id.description]).first
        }
    }

    public func workspaces() async throws -> Snapshot<[Workspace]> {
        let epoch = self.epoch
        return try await pool.read { db in
            let items = try Self.fetchWorkspaces(db, whereClause: "", arguments: [])
            return Snapshot(value: items, cursor: Cursor(topic: "directory", epoch: epoch, seq: try Self.head("directory", db)))
        }
    }

    public func workspace(_ id: WorkspaceID) async throws -> Workspace? {
        try await pool.read { db in
            try Self.fetchWorkspaces(db, whereClause: "WHERE id = ?", arguments: [id.description]).first
        }
    }

    public func members(of workspace: WorkspaceID) async throws -> [MemberRow] {
        try await pool.read { db in
            try Row.fetchAll(db, sql: """
                SELECT m.user_id, m.role, m.organization_id, o.name AS organization_name, u.display_name FROM membership m
                JOIN app_user u ON u.id = m.user_id LEFT JOIN organization o ON o.id = m.organization_id WHERE m.workspace_id = ?
                ORDER BY CASE m.role WHEN 'coordinator' THEN 0 WHEN 'member' THEN 1 ELSE 2 END, u.display_name
                """, arguments: [workspace.description]).map { row in
                MemberRow(membership: Membership(workspaceID: workspace, userID: UserID(row["user_id"] as String)!,
                                                 role: WorkspaceRole(rawValue: row["role"])!,
                                                 organizationID: (row["organization_id"] as String?).flatMap(OrganizationID.init)),
                          displayName: row["display_name"], organizationName: row["organization_name"])
            }
        }
    }

    public func membership(_ workspace: WorkspaceID, _ user: UserID) async throws -> Membership? {
        try await pool.read { db in
            try Row.fetchOne(db, sql: "SELECT role, organization_id FROM membership WHERE workspace_id = ? AND user_id = ?",
                             arguments: [workspace.description, user.description]).map {
                Membership(workspaceID: workspace, userID: user, role: WorkspaceRole(rawValue: $0["role"])!,
                           organizationID: ($0["organization_id"] as String?).flatMap(OrganizationID.init))
            }
        }
    }

    public func memberships(of user: UserID) async throws -> [WorkspaceID: WorkspaceRole] {
        try await pool.read { db in
            var result: [WorkspaceID: WorkspaceRole] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT workspace_id, role FROM membership WHERE user_id = ?", arguments: [user.description]) {
                result[WorkspaceID(row["workspace_id"] as String)!] = WorkspaceRole(rawValue: row["role"])!
            }
            return result
        }
    }

    public func user(_ id: UserID) async throws -> User? {
        try await pool.read { db in
            try Row.fetchOne(db, sql: "SELECT id, email, display_name, is_admin, is_steering FROM app_user WHERE id = ?", arguments: [id.description])
                .map(Self.user)
        }
    }

    public func credentials(email: String) async throws -> (User, String)? {
        try await pool.read { db in
            try Row.fetchOne(db, sql: "SELECT id, email, display_name, is_admin, is_steering, password_hash FROM app_user WHERE email = ?",
                             arguments: [email.lowercased()]).map { (Self.user($0), $0["password_hash"] as String) }
        }
    }

    public func userCount() async throws -> Int {
        try await pool.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM app_user") ?? 0 }
    }

    static let sessionColumns = "token_hash, id, user_id, kind, name, scope, second_factor, created_ms, expires_ms, last_seen_ms"

    static func session(_ row: Row) -> SessionRecord {
        SessionRecord(tokenHash: row["token_hash"], id: row["id"], userID: UserID(row["user_id"] as String)!,
                      kind: SessionRecord.Kind(rawValue: row["kind"])!, name: row["name"], scope: SessionRecord.Scope(rawValue: row["scope"])!,
                      secondFactor: SessionRecord.SecondFactor(rawValue: row["second_factor"])!, createdAt: Date(millis: row["created_ms"]),
                      expiresAt: Date(millis: row["expires_ms"]), lastSeenAt: Date(millis: row["last_seen_ms"]))
    }

    public func session(tokenHash: String) async throws -> SessionRecord? {
        try await pool.read { db in
            try Row.fetchOne(db, sql: "SELECT \(Self.sessionColumns) FROM session WHERE token_hash = ?", arguments: [tokenHash]).map(Self.session)
        }
    }

    public func signedIn(tokenHash: String) async throws -> SignedIn? {
        try await pool.read { db in
            guard let session = try Row.fetchOne(db.cachedStatement(sql: "SELECT \(Self.sessionColumns) FROM session WHERE token_hash = ?"),
                                                 arguments: [tokenHash]).map(Self.session),
                  let user = try Row.fetchOne(db.cachedStatement(sql: "SELECT id, email, display_name, is_admin, is_steering FROM app_user WHERE id = ?"),
                                              arguments: [session.userID.description]).map(Self.user) else { return nil }
            var memberships: [WorkspaceID: WorkspaceRole] = [:]
            for row in try Row.fetchAll(db.cachedStatement(sql: "SELECT workspace_id, role FROM membership WHERE user_id = ?"),
                                        arguments: [user.id.description]) {
                memberships[WorkspaceID(row["workspace_id"] as String)!] = WorkspaceRole(rawValue: row["role"])!
            }
            return SignedIn(session: session, user: user, memberships: memberships)
        }
    }

    public func sessions(of user: UserID) async throws -> [SessionRecord] {
        try await pool.read { db in
            try Row.fetchAll(db, sql: "SELECT \(Self.sessionColumns) FROM session WHERE user_id = ? ORDER BY created_ms DESC",
                             arguments: [user.description]).map(Self.session)
        }
    }

    public func users(matching query: String?) async throws -> [User] {
        try await pool.read { db in
            let pattern = "%" + (query ?? "").replacingOccurrences(of: "%", with: "").replacingOccurrences(of: "_", with: "") + "%"
            return try Row.fetchAll(db, sql: """
                SELECT id, email, display_name, is_admin, is_steering FROM app_user
                WHERE lower(email) LIKE ? OR lower(display_name) LIKE ? ORDER BY display_name, email LIMIT 500
                """, arguments: [pattern, pattern]).map(Self.user)
        }
    }

    public func totp(_ user: UserID) async throws -> TOTPCredential? {
        try await pool.read { db in
            try Row.fetchOne(db, sql: "SELECT secret, enabled, last_step, created_ms FROM totp_credential WHERE user_id = ?",
                             arguments: [user.description]).map {
                TOTPCredential(userID: user, secret: $0["secret"], enabled: $0["enabled"], lastStep: $0["last_step"], createdAt: Date(millis: $0["created_ms"]))
            }
        }
    }

    public func hasUnusedRecoveryCode(_ user: UserID, hash: String) async throws -> Bool {
        try await pool.read { db in
            try Int.fetchOne(db, sql: "SELECT count(*) FROM recovery_code WHERE user_id = ? AND code_hash = ? AND used_ms IS NULL",
                             arguments: [user.description, hash]) == 1
        }
    }

    static let invitationColumns = "id, workspace_id, email, role, organization_id, created_by, created_ms, expires_ms, accepted_ms, revoked"

    static func invitation(_ row: Row) -> Invitation {
        Invitation(id: InvitationID(row["id"] as String)!, workspaceID: WorkspaceID(row["workspace_id"] as String)!, email: row["email"],
                   role: WorkspaceRole(rawValue: row["role"])!, organizationID: (row["organization_id"] as String?).flatMap(OrganizationID.init),
                   createdBy: (row["created_by"] as String?).flatMap(UserID.init), createdAt: Date(millis: row["created_ms"]),
                   expiresAt: Date(millis: row["expires_ms"]), acceptedAt: (row["accepted_ms"] as Int64?).map(Date.init(millis:)),
                   revoked: row["revoked"])
    }

    public func invitation(tokenHash: String) async throws -> Invitation? {
        try await pool.read { db in
            try Row.fetchOne(db, sql: "SELECT \(Self.invitationColumns) FROM invitation WHERE token_hash = ?", arguments: [tokenHash]).map(Self.invitation)
        }
    }

    public func invitation(_ id: InvitationID) async throws -> Invitation? {
        try await pool.read { db in
            try Row.fetchOne(db, sql: "SELECT \(Self.invitationColumns) FROM invitation WHERE id = ?", arguments: [id.description]).map(Self.invitation)
        }
    }

    public func invitations(of workspace: WorkspaceID) async throws -> [Invitation] {
        try await pool.read { db in
            try Row.fetchAll(db, sql: "SELECT \(Self.invitationColumns) FROM invitation WHERE workspace_id = ? ORDER BY created_ms DESC",
                             arguments: [workspace.description]).map(Self.invitation)
        }
    }

    public func audit(type: String?, actor: UserID?, limit: Int) async throws -> [AuditRow] {
        try await pool.read { db in
            try Row.fetchAll(db, sql: """
                SELECT a.id, a.at_ms, a.type, a.actor_id, a.address_hash, a.subject, a.detail, u.display_name FROM audit a
                LEFT JOIN app_user u ON u.id = a.actor_id
                WHERE (? IS NULL OR a.type = ?) AND (? IS NULL OR a.actor_id = ?)
                ORDER BY a.id DESC LIMIT ?
                """, arguments: [type, type, actor?.description, actor?.description, limit]).map { row in
                AuditRow(id: row["id"], entry: AuditEntry(at: Date(millis: row["at_ms"]), type: row["type"],
                                                          actorID: (row["actor_id"] as String?).flatMap(UserID.init),
                                                          addressHash: row["address_hash"], subject: row["subject"], detail: row["detail"]),
                         actorName: row["display_name"])
            }
        }
    }

    public func organizations() async throws -> [Organization] {
        try await pool.read { db in
            try Row.fetchAll(db, sql: "SELECT id, name, kind FROM organization ORDER BY name COLLATE NOCASE").map(Self.organization)
        }
    }

    public func organization(_ id: OrganizationID) async throws -> Organization? {
        try await pool.read { db in
            try Row.fetchOne(db, sql: "SELECT id, name, kind FROM organization WHERE id = ?", arguments: [id.description]).map(Self.organization)
        }
    }

    static func organization(_ row: Row) -> Organization {
        Organization(id: OrganizationID(row["id"] as String)!, name: row["name"], kind: OrganizationKind(rawValue: row["kind"])!)
    }

    public func passwordReset(tokenHash: String) async throws -> PasswordReset? {
        try await pool.read { db in
            try Row.fetchOne(db, sql: "SELECT user_id, created_ms, expires_ms, used_ms FROM password_reset WHERE token_hash = ?",
                             arguments: [tokenHash]).map {
                PasswordReset(tokenHash: tokenHash, userID: UserID($0["user_id"] as String)!, createdAt: Date(millis: $0["created_ms"]),
                              expiresAt: Date(millis: $0["expires_ms"]), usedAt: ($0["used_ms"] as Int64?).map(Date.init(millis:)))
            }
        }
    }

    public func installationSecret(_ name: String) async throws -> String {
        let key = "secret:" + name
        return try await pool.write { db in
            if let existing = try String.fetchOne(db, sql: "SELECT value FROM store_meta WHERE key = ?", arguments: [key]) { return existing }
            var generator = SystemRandomNumberGenerator()
            let value = (0..<32).map { _ in String(format: "%02x", UInt8.random(in: .min ... .max, using: &generator)) }.joined()
            try db.execute(sql: "INSERT INTO store_meta(key, value) VALUES (?, ?)", arguments: [key, value])
            return value
        }
    }

    // MARK: Row mapping (records never leave the adapter)

    static func user(_ row: Row) -> User {
        User(id: UserID(row["id"] as String)!, email: row["email"], displayName: row["display_name"], isAdmin: row["is_admin"],
             isSteering: row["is_steering"])
    }

    static func fetchPolicyFields(_ db: Database, whereClause: String, arguments: StatementArguments) throws -> [PolicyField] {
        let rows = try Row.fetchAll(db, sql: "SELECT id, key, name_de, name_en, version FROM policy_field \(whereClause) ORDER BY name_de", arguments: arguments)
        var years: [String: [Int]] = [:]
        for row in try Row.fetchAll(db, sql: "SELECT policy_field_id, year FROM policy_field_priority ORDER BY year") {
            years[row["policy_field_id"], default: []].append(row["year"])
        }
        return rows.map { row in
            let id: String = row["id"]
            return PolicyField(id: PolicyFieldID(id)!, key: row["key"], nameDe: row["name_de"], nameEn: row["name_en"],
                               prioritisedYears: years[id] ?? [], version: row["version"])
        }
    }

    static func fetchWorkspaces(_ db: Database, whereClause: String, arguments: StatementArguments) throws -> [Workspace] {
        let rows = try Row.fetchAll(db, sql: """
            SELECT id, kind, name, description, ends_on, archived, created_ms, updated_ms, version FROM workspace
            \(whereClause) ORDER BY name COLLATE NOCASE, id
            """, arguments: arguments)
        var fields: [String: [PolicyFieldID]] = [:]
        for row in try Row.fetchAll(db, sql: "SELECT workspace_id, policy_field_id FROM workspace_policy_field ORDER BY workspace_id, position") {
            fields[row["workspace_id"], default: []].append(PolicyFieldID(row["policy_field_id"] as String)!)
        }
        return rows.map { row in
            let id: String = row["id"]
            return Workspace(
                id: WorkspaceID(id)!, kind: WorkspaceKind(rawValue: row["kind"])!, name: row["name"], description: row["description"],
                policyFieldIDs: fields[id] ?? [], endsOn: (row["ends_on"] as String?).flatMap(LocalDate.init),
                archived: row["archived"], createdAt: Date(millis: row["created_ms"]), updatedAt: Date(millis: row["updated_ms"]),
                version: row["version"])
        }
    }
}
