import Foundation
import GRDB
import HubCore
import HubServices

extension SQLiteStore {
    /// Applies one change set inside the current transaction and appends its events.
    static func apply(_ changeSet: ChangeSet, at: Int64, in db: Database) throws -> [StoredEvent] {
        for change in changeSet.changes { try apply(change, in: db) }
        return try changeSet.events.map { event in
            let topic = event.topic.description
            let seq = try Int64.fetchOne(db, sql: """
                INSERT INTO topic_head(topic, seq) VALUES (?, 1)
                ON CONFLICT(topic) DO UPDATE SET seq = seq + 1
                RETURNING seq
                """, arguments: [topic])!
            try db.execute(sql: "INSERT INTO event(topic, seq, name, payload, at_ms) VALUES (?, ?, ?, ?, ?)",
                           arguments: [topic, seq, event.name, event.payload, at])
            return StoredEvent(topic: topic, seq: seq, name: event.name, payload: event.payload, atMillis: at)
        }
    }

    static func apply(_ change: Change, in db: Database) throws {
        switch change {
        case .insertUser(let u, let hash):
            try db.execute(sql: "INSERT INTO app_user(id, email, display_name, password_hash, is_admin) VALUES (?, ?, ?, ?, ?)",
                           arguments: [u.id.description, u.email.lowercased(), u.displayName, hash, u.isAdmin])
        case .insertSession(let s):
            try db.execute(sql: "INSERT INTO session(token_hash, user_id, kind, created_ms, expires_ms) VALUES (?, ?, ?, ?, ?)",
                           arguments: [s.tokenHash, s.userID.description, s.kind.rawValue, s.createdAt.millis, s.expiresAt.millis])
        case .deleteSession(let hash):
            try db.execute(sql: "DELETE FROM session WHERE token_hash = ?", arguments: [hash])
        case .deleteSessionsOfUser(let id):
            try db.execute(sql: "DELETE FROM session WHERE user_id = ?", arguments: [id.description])
        case .insertPolicyField(let f):
            try db.execute(sql: "INSERT INTO policy_field(id, key, name_de, name_en, version) VALUES (?, ?, ?, ?, ?)",
                           arguments: [f.id.description, f.key, f.nameDe, f.nameEn, f.version])
            try writePriorities(f, db)
        case .updatePolicyField(let f, let expected):
            try db.execute(sql: "UPDATE policy_field SET name_de = ?, name_en = ?, version = ? WHERE id = ? AND version = ?",
                           arguments: [f.nameDe, f.nameEn, f.version, f.id.description, expected])
            guard db.changesCount == 1 else { throw StoreError.conflict }
            try db.execute(sql: "DELETE FROM policy_field_priority WHERE policy_field_id = ?", arguments: [f.id.description])
            try writePriorities(f, db)
        case .insertWorkspace(let w):
            try db.execute(sql: """
                INSERT INTO workspace(id, kind, name, description, ends_on, archived, created_ms, updated_ms, version)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [w.id.description, w.kind.rawValue, w.name, w.description, w.endsOn?.description,
                                 w.archived, w.createdAt.millis, w.updatedAt.millis, w.version])
            try writePolicyFields(w, db)
        case .updateWorkspace(let w, let expected):
            try db.execute(sql: """
                UPDATE workspace SET name = ?, description = ?, ends_on = ?, archived = ?, updated_ms = ?, version = ?
                WHERE id = ? AND version = ?
                """, arguments: [w.name, w.description, w.endsOn?.description, w.archived, w.updatedAt.millis, w.version,
                                 w.id.description, expected])
            guard db.changesCount == 1 else { throw StoreError.conflict }
            try db.execute(sql: "DELETE FROM workspace_policy_field WHERE workspace_id = ?", arguments: [w.id.description])
            try writePolicyFields(w, db)
        case .upsertMembership(let m):
            try db.execute(sql: """
                INSERT INTO membership(workspace_id, user_id, role, organization) VALUES (?, ?, ?, ?)
                ON CONFLICT(workspace_id, user_id) DO UPDATE SET role = excluded.role, organization = excluded.organization
                """, arguments: [m.workspaceID.description, m.userID.description, m.role.rawValue, m.organization])
        case .deleteMembership(let w, let u):
            try db.execute(sql: "DELETE FROM membership WHERE workspace_id = ? AND user_id = ?", arguments: [w.description, u.description])
            guard db.changesCount == 1 else { throw StoreError.conflict }
        }
    }

    private static func writePriorities(_ f: PolicyField, _ db: Database) throws {
        for year in f.prioritisedYears {
            try db.execute(sql: "INSERT INTO policy_field_priority(policy_field_id, year) VALUES (?, ?)", arguments: [f.id.description, year])
        }
    }

    private static func writePolicyFields(_ w: Workspace, _ db: Database) throws {
        for (position, id) in w.policyFieldIDs.enumerated() {
            try db.execute(sql: "INSERT INTO workspace_policy_field(workspace_id, policy_field_id, position) VALUES (?, ?, ?)",
                           arguments: [w.id.description, id.description, position])
        }
    }
}
