import Foundation
import HubCore
import HubServices
import Logging
import PostgresNIO

extension PostgresStore {
    /// Applies one change set inside the open transaction and appends its events. Change by
    /// change the same statements and the same refusals as `SQLiteStore.apply`; conditional
    /// updates report their rows with `RETURNING` (PostgresNIO's async API gives no row count).
    static func apply(_ changeSet: ChangeSet, at: Int64, ticket: CommitSequencer.Ticket, sequencer: CommitSequencer,
                      on db: PostgresConnection, logger: Logger) async throws -> [StoredEvent] {
        for change in changeSet.changes { try await apply(change, on: db, logger) }
        guard !changeSet.events.isEmpty else { return [] }

        // Sequence numbers. Each topic's counter row is taken once, for all of its events in this
        // change set (`+ n`), and the topics in sorted order, so two transactions that share
        // topics lock their counters in the same order and cannot deadlock over them. The row
        // stays locked until COMMIT: the next transaction on the topic waits, and gets the
        // numbers after ours.
        var counts: [String: Int64] = [:]
        for event in changeSet.events { counts[event.topic.description, default: 0] += 1 }
        var next: [String: Int64] = [:]
        for topic in counts.keys.sorted() {
            let n = counts[topic]!
            let last = try await db.rows("""
                INSERT INTO topic_head (topic, seq) VALUES (\(topic), \(n))
                ON CONFLICT (topic) DO UPDATE SET seq = topic_head.seq + excluded.seq
                RETURNING seq
                """, logger).first!.decode(Int64.self)
            next[topic] = last - n + 1
            sequencer.reserve(ticket, topic: topic, first: last - n + 1)
        }
        let events = changeSet.events.map { event in
            let topic = event.topic.description
            let seq = next[topic]!
            next[topic] = seq + 1
            return StoredEvent(topic: topic, seq: seq, name: event.name, payload: event.payload, atMillis: at)
        }
        try await db.rows("""
            INSERT INTO event (topic, seq, name, payload, at_ms)
            SELECT topic, seq, name, payload, \(at) FROM unnest(\(events.map(\.topic))::text[], \(events.map(\.seq))::bigint[],
                                                         \(events.map(\.name))::text[], \(events.map(\.payload))::text[])
                AS e (topic, seq, name, payload)
            """, logger)
        // Tell every instance (LISTEN roundtable_events) which topics moved and to where; the
        // notification is delivered at COMMIT, and the events themselves are read from the log.
        // Small payloads ("topic seq") stay far below PostgreSQL's 8,000-byte limit.
        for topic in counts.keys.sorted() {
            let payload = "\(topic) \(next[topic]! - 1)"
            try await db.rows("SELECT pg_notify(\(PostgresStore.notifyChannel), \(payload))", logger)
        }
        return events
    }

    static func apply(_ change: Change, on db: PostgresConnection, _ logger: Logger) async throws {
        /// Runs a statement that ends in `RETURNING`; how many rows it touched.
        func touched(_ query: PostgresQuery) async throws -> Int { try await db.rows(query, logger).count }

        switch change {
        case .insertUser(let u, let hash):
            try await db.rows("""
                INSERT INTO app_user (id, email, display_name, password_hash, is_admin, is_steering)
                VALUES (\(u.id.description), \(u.email.lowercased()), \(u.displayName), \(hash), \(u.isAdmin), \(u.isSteering))
                """, logger)
        case .updateUserRoles(let u):
            let n = try await touched("UPDATE app_user SET is_admin = \(u.isAdmin), is_steering = \(u.isSteering) WHERE id = \(u.id.description) RETURNING 1")
            guard n == 1 else { throw StoreError.missingReference("user") }
        case .updatePassword(let id, let hash):
            let n = try await touched("UPDATE app_user SET password_hash = \(hash) WHERE id = \(id.description) RETURNING 1")
            guard n == 1 else { throw StoreError.missingReference("user") }
        case .insertSession(let s):
            try await db.rows("""
                INSERT INTO session (token_hash, id, user_id, kind, name, scope, second_factor, created_ms, expires_ms, last_seen_ms)
                VALUES (\(s.tokenHash), \(s.id), \(s.userID.description), \(s.kind.rawValue), \(s.name), \(s.scope.rawValue),
                        \(s.secondFactor.rawValue), \(s.createdAt.millis), \(s.expiresAt.millis), \(s.lastSeenAt.millis))
                """, logger)
        case .updateSession(let s):
            try await db.rows("""
                UPDATE session SET second_factor = \(s.secondFactor.rawValue), last_seen_ms = \(s.lastSeenAt.millis) WHERE token_hash = \(s.tokenHash)
                """, logger)
        case .deleteSession(let hash):
            try await db.rows("DELETE FROM session WHERE token_hash = \(hash)", logger)
        case .deleteSessionsOfUser(let id, let except):
            try await db.rows("DELETE FROM session WHERE user_id = \(id.description) AND token_hash <> \(except ?? "")", logger)
        case .upsertTOTP(let t):
            try await db.rows("""
                INSERT INTO totp_credential (user_id, secret, enabled, last_step, created_ms)
                VALUES (\(t.userID.description), \(t.secret), \(t.enabled), \(t.lastStep), \(t.createdAt.millis))
                ON CONFLICT (user_id) DO UPDATE SET secret = excluded.secret, enabled = excluded.enabled, last_step = excluded.last_step,
                    created_ms = excluded.created_ms
                """, logger)
        case .deleteTOTP(let id):
            try await db.rows("DELETE FROM totp_credential WHERE user_id = \(id.description)", logger)
        case .replaceRecoveryCodes(let id, let hashes):
            try await db.rows("DELETE FROM recovery_code WHERE user_id = \(id.description)", logger)
            for hash in hashes {
                try await db.rows("INSERT INTO recovery_code (user_id, code_hash) VALUES (\(id.description), \(hash))", logger)
            }
        case .useRecoveryCode(let id, let hash, let at):
            let n = try await touched("""
                UPDATE recovery_code SET used_ms = \(at.millis) WHERE user_id = \(id.description) AND code_hash = \(hash) AND used_ms IS NULL
                RETURNING 1
                """)
            guard n == 1 else { throw StoreError.conflict }
        case .insertInvitation(let i, let tokenHash):
            try await db.rows("""
                INSERT INTO invitation (id, workspace_id, email, role, organization_id, token_hash, created_by, created_ms, expires_ms,
                                        accepted_ms, revoked)
                VALUES (\(i.id.description), \(i.workspaceID.description), \(i.email), \(i.role.rawValue), \(i.organizationID?.description),
                        \(tokenHash), \(i.createdBy?.description), \(i.createdAt.millis), \(i.expiresAt.millis), \(i.acceptedAt?.millis),
                        \(i.revoked))
                """, logger)
        case .updateInvitation(let i):
            // Single use: only an open invitation changes.
            let n = try await touched("""
                UPDATE invitation SET accepted_ms = \(i.acceptedAt?.millis), revoked = \(i.revoked)
                WHERE id = \(i.id.description) AND accepted_ms IS NULL AND NOT revoked
                RETURNING 1
                """)
            guard n == 1 else { throw StoreError.conflict }
        case .insertPasswordReset(let r):
            try await db.rows("""
                INSERT INTO password_reset (token_hash, user_id, created_ms, expires_ms, used_ms)
                VALUES (\(r.tokenHash), \(r.userID.description), \(r.createdAt.millis), \(r.expiresAt.millis), \(r.usedAt?.millis))
                """, logger)
        case .usePasswordReset(let hash, let at):
            let n = try await touched("UPDATE password_reset SET used_ms = \(at.millis) WHERE token_hash = \(hash) AND used_ms IS NULL RETURNING 1")
            guard n == 1 else { throw StoreError.conflict }
        case .appendAudit(let a):
            try await db.rows("""
                INSERT INTO audit (at_ms, type, actor_id, address_hash, subject, detail)
                VALUES (\(a.at.millis), \(a.type), \(a.actorID?.description), \(a.addressHash), \(a.subject), \(a.detail))
                """, logger)
        case .insertPolicyField(let f):
            try await db.rows("""
                INSERT INTO policy_field (id, key, name_de, name_en, version) VALUES (\(f.id.description), \(f.key), \(f.nameDe), \(f.nameEn), \(f.version))
                """, logger)
            try await writePriorities(f, db, logger)
        case .updatePolicyField(let f, let expected):
            let n = try await touched("""
                UPDATE policy_field SET name_de = \(f.nameDe), name_en = \(f.nameEn), version = \(f.version)
                WHERE id = \(f.id.description) AND version = \(expected)
                RETURNING 1
                """)
            guard n == 1 else { throw StoreError.conflict }
            try await db.rows("DELETE FROM policy_field_priority WHERE policy_field_id = \(f.id.description)", logger)
            try await writePriorities(f, db, logger)
        case .insertWorkspace(let w):
            try await db.rows("""
                INSERT INTO workspace (id, kind, name, description, ends_on, archived, created_ms, updated_ms, version)
                VALUES (\(w.id.description), \(w.kind.rawValue), \(w.name), \(w.description), \(w.endsOn?.description)::date,
                        \(w.archived), \(w.createdAt.millis), \(w.updatedAt.millis), \(w.version))
                """, logger)
            try await writePolicyFields(w, db, logger)
        case .updateWorkspace(let w, let expected):
            let n = try await touched("""
                UPDATE workspace SET name = \(w.name), description = \(w.description), ends_on = \(w.endsOn?.description)::date,
                    archived = \(w.archived), updated_ms = \(w.updatedAt.millis), version = \(w.version)
                WHERE id = \(w.id.description) AND version = \(expected)
                RETURNING 1
                """)
            guard n == 1 else { throw StoreError.conflict }
            try await db.rows("DELETE FROM workspace_policy_field WHERE workspace_id = \(w.id.description)", logger)
            try await writePolicyFields(w, db, logger)
        case .insertOrganization(let o):
            try await db.rows("INSERT INTO organization (id, name, kind) VALUES (\(o.id.description), \(o.name), \(o.kind.rawValue))", logger)
        case .updateOrganization(let o):
            let n = try await touched("UPDATE organization SET name = \(o.name), kind = \(o.kind.rawValue) WHERE id = \(o.id.description) RETURNING 1")
            guard n == 1 else { throw StoreError.missingReference("organization") }
        case .upsertMembership(let m):
            try await db.rows("""
                INSERT INTO membership (workspace_id, user_id, role, organization_id)
                VALUES (\(m.workspaceID.description), \(m.userID.description), \(m.role.rawValue), \(m.organizationID?.description))
                ON CONFLICT (workspace_id, user_id) DO UPDATE SET role = excluded.role, organization_id = excluded.organization_id
                """, logger)
        case .deleteMembership(let w, let u):
            let n = try await touched("DELETE FROM membership WHERE workspace_id = \(w.description) AND user_id = \(u.description) RETURNING 1")
            guard n == 1 else { throw StoreError.conflict }
        case .recommendation(let change):
            try await apply(change, on: db, logger)
        case .panel(let change):
            try await apply(change, on: db, logger)
        case .leanCoffee(let write):
            try await apply(write, on: db, logger)
        case .barcamp(let write):
            try await apply(write, on: db, logger)
        case .meeting(let change):
            try await apply(change, on: db, logger)
        }
    }

    private static func writePriorities(_ f: PolicyField, _ db: PostgresConnection, _ logger: Logger) async throws {
        for year in f.prioritisedYears {
            try await db.rows("INSERT INTO policy_field_priority (policy_field_id, year) VALUES (\(f.id.description), \(year))", logger)
        }
    }

    private static func writePolicyFields(_ w: Workspace, _ db: PostgresConnection, _ logger: Logger) async throws {
        for (position, id) in w.policyFieldIDs.enumerated() {
            try await db.rows("""
                INSERT INTO workspace_policy_field (workspace_id, policy_field_id, position) VALUES (\(w.id.description), \(id.description), \(position))
                """, logger)
        }
    }
}
