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
                SELECT m.user_id, m.role, m.organization, u.display_name FROM membership m
                JOIN app_user u ON u.id = m.user_id WHERE m.workspace_id = ?
                ORDER BY CASE m.role WHEN 'coordinator' THEN 0 WHEN 'member' THEN 1 ELSE 2 END, u.display_name
                """, arguments: [workspace.description]).map { row in
                MemberRow(membership: Membership(workspaceID: workspace, userID: UserID(row["user_id"] as String)!,
                                                 role: WorkspaceRole(rawValue: row["role"])!, organization: row["organization"]),
                          displayName: row["display_name"])
            }
        }
    }

    public func membership(_ workspace: WorkspaceID, _ user: UserID) async throws -> Membership? {
        try await pool.read { db in
            try Row.fetchOne(db, sql: "SELECT role, organization FROM membership WHERE workspace_id = ? AND user_id = ?",
                             arguments: [workspace.description, user.description]).map {
                Membership(workspaceID: workspace, userID: user, role: WorkspaceRole(rawValue: $0["role"])!, organization: $0["organization"])
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
            try Row.fetchOne(db, sql: "SELECT id, email, display_name, is_admin FROM app_user WHERE id = ?", arguments: [id.description])
                .map(Self.user)
        }
    }

    public func credentials(email: String) async throws -> (User, String)? {
        try await pool.read { db in
            try Row.fetchOne(db, sql: "SELECT id, email, display_name, is_admin, password_hash FROM app_user WHERE email = ?",
                             arguments: [email.lowercased()]).map { (Self.user($0), $0["password_hash"] as String) }
        }
    }

    public func userCount() async throws -> Int {
        try await pool.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM app_user") ?? 0 }
    }

    public func session(tokenHash: String) async throws -> SessionRecord? {
        try await pool.read { db in
            try Row.fetchOne(db, sql: "SELECT user_id, kind, created_ms, expires_ms FROM session WHERE token_hash = ?", arguments: [tokenHash]).map {
                SessionRecord(tokenHash: tokenHash, userID: UserID($0["user_id"] as String)!, kind: SessionRecord.Kind(rawValue: $0["kind"])!,
                              createdAt: Date(millis: $0["created_ms"]), expiresAt: Date(millis: $0["expires_ms"]))
            }
        }
    }

    // MARK: Row mapping (records never leave the adapter)

    static func user(_ row: Row) -> User {
        User(id: UserID(row["id"] as String)!, email: row["email"], displayName: row["display_name"], isAdmin: row["is_admin"])
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
