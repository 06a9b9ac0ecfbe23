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
            // Every mutation runs these two: prepared once per connection (GRDB's statement
            // cache), not parsed and authorized again each time.
            let seq = try Int64.fetchOne(db.cachedStatement(sql: """
                INSERT INTO topic_head(topic, seq) VALUES (?, 1)
                ON CONFLICT(topic) DO UPDATE SET seq = seq + 1
                RETURNING seq
                """), arguments: [topic])!
            try db.cachedStatement(sql: "INSERT INTO event(topic, seq, name, payload, at_ms) VALUES (?, ?, ?, ?, ?)")
                .execute(arguments: [topic, seq, event.name, event.payload, at])
            return StoredEvent(topic: topic, seq: seq, name: event.name, payload: event.payload, atMillis: at)
        }
    }

    static func apply(_ change: Change, in db: Database) throws {
        switch change {
        case .insertUser(let u, let hash):
            try db.execute(sql: "INSERT INTO app_user(id, email, display_name, password_hash, is_admin, is_steering) VALUES (?, ?, ?, ?, ?, ?)",
                           arguments: [u.id.description, u.email.lowercased(), u.displayName, hash, u.isAdmin, u.isSteering])
        case .updateUserRoles(let u):
            try db.execute(sql: "UPDATE app_user SET is_admin = ?, is_steering = ? WHERE id = ?", arguments: [u.isAdmin, u.isSteering, u.id.description])
            guard db.changesCount == 1 else { throw StoreError.missingReference("user") }
        case .updatePassword(let id, let hash):
            try db.execute(sql: "UPDATE app_user SET password_hash = ? WHERE id = ?", arguments: [hash, id.description])
            guard db.changesCount == 1 else { throw StoreError.missingReference("user") }
        case .insertSession(let s):
            try db.execute(sql: """
                INSERT INTO session(token_hash, id, user_id, kind, name, scope, second_factor, created_ms, expires_ms, last_seen_ms)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [s.tokenHash, s.id, s.userID.description, s.kind.rawValue, s.name, s.scope.rawValue, s.secondFactor.rawValue,
                                 s.createdAt.millis, s.expiresAt.millis, s.lastSeenAt.millis])
        case .updateSession(let s):
            try db.execute(sql: "UPDATE session SET second_factor = ?, last_seen_ms = ? WHERE token_hash = ?",
                           arguments: [s.secondFactor.rawValue, s.lastSeenAt.millis, s.tokenHash])
        case .deleteSession(let hash):
            try db.execute(sql: "DELETE FROM session WHERE token_hash = ?", arguments: [hash])
        case .deleteSessionsOfUser(let id, let except):
            try db.execute(sql: "DELETE FROM session WHERE user_id = ? AND token_hash <> ?", arguments: [id.description, except ?? ""])
        case .upsertTOTP(let t):
            try db.execute(sql: """
                INSERT INTO totp_credential(user_id, secret, enabled, last_step, created_ms) VALUES (?, ?, ?, ?, ?)
                ON CONFLICT(user_id) DO UPDATE SET secret = excluded.secret, enabled = excluded.enabled, last_step = excluded.last_step,
                    created_ms = excluded.created_ms
                """, arguments: [t.userID.description, t.secret, t.enabled, t.lastStep, t.createdAt.millis])
        case .deleteTOTP(let id):
            try db.execute(sql: "DELETE FROM totp_credential WHERE user_id = ?", arguments: [id.description])
        case .replaceRecoveryCodes(let id, let hashes):
            try db.execute(sql: "DELETE FROM recovery_code WHERE user_id = ?", arguments: [id.description])
            for hash in hashes {
                try db.execute(sql: "INSERT INTO recovery_code(user_id, code_hash) VALUES (?, ?)", arguments: [id.description, hash])
            }
        case .useRecoveryCode(let id, let hash, let at):
            try db.execute(sql: "UPDATE recovery_code SET used_ms = ? WHERE user_id = ? AND code_hash = ? AND used_ms IS NULL",
                           arguments: [at.millis, id.description, hash])
            guard db.changesCount == 1 else { throw StoreError.conflict }
        case .insertInvitation(let i, let tokenHash):
            try db.execute(sql: """
                INSERT INTO invitation(id, workspace_id, email, role, organization_id, token_hash, created_by, created_ms, expires_ms, accepted_ms, revoked)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [i.id.description, i.workspaceID.description, i.email, i.role.rawValue, i.organizationID?.description, tokenHash,
                                 i.createdBy?.description, i.createdAt.millis, i.expiresAt.millis, i.acceptedAt?.millis, i.revoked])
        case .updateInvitation(let i):
            // Single use: only an open invitation changes.
            try db.execute(sql: "UPDATE invitation SET accepted_ms = ?, revoked = ? WHERE id = ? AND accepted_ms IS NULL AND revoked = 0",
                           arguments: [i.acceptedAt?.millis, i.revoked, i.id.description])
            guard db.changesCount == 1 else { throw StoreError.conflict }
        case .insertPasswordReset(let r):
            try db.execute(sql: "INSERT INTO password_reset(token_hash, user_id, created_ms, expires_ms, used_ms) VALUES (?, ?, ?, ?, ?)",
                           arguments: [r.tokenHash, r.userID.description, r.createdAt.millis, r.expiresAt.millis, r.usedAt?.millis])
        case .usePasswordReset(let hash, let at):
            try db.execute(sql: "UPDATE password_reset SET used_ms = ? WHERE token_hash = ? AND used_ms IS NULL", arguments: [at.millis, hash])
            guard db.changesCount == 1 else { throw StoreError.conflict }
        case .appendAudit(let a):
            try db.execute(sql: "INSERT INTO audit(at_ms, type, actor_id, address_hash, subject, detail) VALUES (?, ?, ?, ?, ?, ?)",
                           arguments: [a.at.millis, a.type, a.actorID?.description, a.addressHash, a.subject, a.detail])
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
        case .insertOrganization(let o):
            try db.execute(sql: "INSERT INTO organization(id, name, kind) VALUES (?, ?, ?)", arguments: [o.id.description, o.name, o.kind.rawValue])
        case .updateOrganization(let o):
            try db.execute(sql: "UPDATE organization SET name = ?, kind = ? WHERE id = ?", arguments: [o.name, o.kind.rawValue, o.id.description])
            guard db.changesCount == 1 else { throw StoreError.missingReference("organization") }
        case .upsertMembership(let m):
            try db.execute(sql: """
                INSERT INTO membership(workspace_id, user_id, role, organization_id) VALUES (?, ?, ?, ?)
                ON CONFLICT(workspace_id, user_id) DO UPDATE SET role = excluded.role, organization_id = excluded.organization_id
                """, arguments: [m.workspaceID.description, m.userID.description, m.role.rawValue, m.organizationID?.description])
        case .deleteMembership(let w, let u):
            try db.execute(sql: "DELETE FROM membership WHERE workspace_id = ? AND user_id = ?", arguments: [w.description, u.description])
            guard db.changesCount == 1 else { throw StoreError.conflict }
        case .recommendation(let change):
            try apply(change, in: db)
        case .panel(let change):
            try apply(change, in: db)
        case .leanCoffee(let write):
            try apply(write, in: db)
        case .barcamp(let write):
            try apply(write, in: db)
        case .meeting(let change):
            try apply(change, in: db)
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
