import Foundation
import Logging
import PostgresNIO

extension PostgresStore {
    /// Migrations, applied once each and in order, recorded in `schema_migrations`. Nothing runs
    /// on PostgreSQL yet, so "v1" is the end state of the SQLite migrations v1–v4 in one step;
    /// later changes get their own versions here (and their twins in the SQLite migrator).
    ///
    /// Same invariants as the SQLite schema: NOT NULL, CHECK, foreign keys (immediate), unique
    /// keys. Types: ids are text (the canonical lower-case UUID, as everywhere), times are bigint
    /// milliseconds since 1970, flags are boolean, a workspace's end is a date. Organization names
    /// are unique ignoring case through a unique index on lower(name) (SQLite: COLLATE NOCASE).
    /// Constraint names the error mapping relies on are spelled out.
    static let migrations: [(version: String, statements: [String])] = [
        ("v1", [
            """
            CREATE TABLE store_meta (
                key text PRIMARY KEY,
                value text NOT NULL
            )
            """,
            """
            CREATE TABLE topic_head (
                topic text PRIMARY KEY,
                seq bigint NOT NULL CHECK (seq >= 1)
            )
            """,
            """
            CREATE TABLE event (
                topic text NOT NULL,
                seq bigint NOT NULL CHECK (seq >= 1),
                name text NOT NULL,
                payload text NOT NULL,
                at_ms bigint NOT NULL,
                PRIMARY KEY (topic, seq)
            )
            """,
            "CREATE INDEX event_at ON event (at_ms)",
            """
            CREATE TABLE app_user (
                id text PRIMARY KEY,
                email text NOT NULL CHECK (email = lower(email) AND length(email) BETWEEN 3 AND 320),
                display_name text NOT NULL CHECK (length(display_name) BETWEEN 1 AND 120),
                password_hash text NOT NULL,
                is_admin boolean NOT NULL,
                is_steering boolean NOT NULL DEFAULT false,
                CONSTRAINT app_user_email_key UNIQUE (email)
            )
            """,
            """
            CREATE TABLE session (
                token_hash text PRIMARY KEY,
                id text NOT NULL,
                user_id text NOT NULL REFERENCES app_user (id) ON DELETE CASCADE,
                kind text NOT NULL CHECK (kind IN ('browser', 'api')),
                name text,
                scope text NOT NULL DEFAULT 'write' CHECK (scope IN ('read', 'write')),
                second_factor text NOT NULL DEFAULT 'none' CHECK (second_factor IN ('none', 'pending', 'verified')),
                created_ms bigint NOT NULL,
                expires_ms bigint NOT NULL,
                last_seen_ms bigint NOT NULL,
                CONSTRAINT session_id UNIQUE (id)
            )
            """,
            "CREATE INDEX session_user_id ON session (user_id)",
            """
            CREATE TABLE policy_field (
                id text PRIMARY KEY,
                key text NOT NULL UNIQUE,
                name_de text NOT NULL,
                name_en text NOT NULL,
                version integer NOT NULL CHECK (version >= 1)
            )
            """,
            """
            CREATE TABLE policy_field_priority (
                policy_field_id text NOT NULL REFERENCES policy_field (id) ON DELETE CASCADE,
                year integer NOT NULL,
                PRIMARY KEY (policy_field_id, year)
            )
            """,
            """
            CREATE TABLE workspace (
                id text PRIMARY KEY,
                kind text NOT NULL CHECK (kind IN ('focusGroup', 'taskForce', 'planningTeam')),
                name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
                description text NOT NULL,
                ends_on date,
                archived boolean NOT NULL,
                created_ms bigint NOT NULL,
                updated_ms bigint NOT NULL,
                version integer NOT NULL CHECK (version >= 1),
                CHECK ((kind = 'taskForce') = (ends_on IS NOT NULL))
            )
            """,
            """
            CREATE TABLE workspace_policy_field (
                workspace_id text NOT NULL REFERENCES workspace (id) ON DELETE CASCADE,
                policy_field_id text NOT NULL REFERENCES policy_field (id) ON DELETE RESTRICT,
                position integer NOT NULL,
                PRIMARY KEY (workspace_id, policy_field_id)
            )
            """,
            """
            CREATE TABLE organization (
                id text PRIMARY KEY,
                name text NOT NULL CHECK (length(name) BETWEEN 2 AND 160),
                kind text NOT NULL CHECK (kind IN ('district', 'municipality', 'agency', 'council', 'other'))
            )
            """,
            "CREATE UNIQUE INDEX organization_name_key ON organization (lower(name))",
            """
            CREATE TABLE membership (
                workspace_id text NOT NULL REFERENCES workspace (id) ON DELETE CASCADE,
                user_id text NOT NULL REFERENCES app_user (id) ON DELETE CASCADE,
                role text NOT NULL CHECK (role IN ('coordinator', 'member', 'observer')),
                organization_id text REFERENCES organization (id) ON DELETE SET NULL,
                PRIMARY KEY (workspace_id, user_id)
            )
            """,
            "CREATE INDEX membership_user ON membership (user_id)",
            """
            CREATE TABLE totp_credential (
                user_id text PRIMARY KEY REFERENCES app_user (id) ON DELETE CASCADE,
                secret text NOT NULL,
                enabled boolean NOT NULL,
                last_step bigint NOT NULL DEFAULT 0,
                created_ms bigint NOT NULL
            )
            """,
            """
            CREATE TABLE recovery_code (
                user_id text NOT NULL REFERENCES app_user (id) ON DELETE CASCADE,
                code_hash text NOT NULL,
                used_ms bigint,
                PRIMARY KEY (user_id, code_hash)
            )
            """,
            """
            CREATE TABLE invitation (
                id text PRIMARY KEY,
                workspace_id text NOT NULL REFERENCES workspace (id) ON DELETE CASCADE,
                email text NOT NULL CHECK (email = lower(email)),
                role text NOT NULL CHECK (role IN ('coordinator', 'member', 'observer')),
                organization_id text REFERENCES organization (id) ON DELETE SET NULL,
                token_hash text NOT NULL UNIQUE,
                created_by text REFERENCES app_user (id) ON DELETE SET NULL,
                created_ms bigint NOT NULL,
                expires_ms bigint NOT NULL,
                accepted_ms bigint,
                revoked boolean NOT NULL DEFAULT false
            )
            """,
            "CREATE INDEX invitation_workspace ON invitation (workspace_id)",
            """
            CREATE TABLE audit (
                id bigserial PRIMARY KEY,
                at_ms bigint NOT NULL,
                type text NOT NULL,
                actor_id text,
                address_hash text,
                subject text,
                detail text
            )
            """,
            "CREATE INDEX audit_at ON audit (at_ms)",
            "CREATE INDEX audit_type ON audit (type, at_ms)",
            """
            CREATE TABLE password_reset (
                token_hash text PRIMARY KEY,
                user_id text NOT NULL REFERENCES app_user (id) ON DELETE CASCADE,
                created_ms bigint NOT NULL,
                expires_ms bigint NOT NULL,
                used_ms bigint
            )
            """,
            "CREATE INDEX password_reset_user ON password_reset (user_id)",
        ]),
    ] + recommendationMigrations + panelMigrations + leanCoffeeMigrations + barcampMigrations + meetingMigrations

    /// An arbitrary constant: the advisory lock that keeps instances starting at the same time
    /// from migrating concurrently.
    private static let migrationLock: Int64 = 0x526F_756E_6474_626C

    /// Applies the pending migrations in one transaction (PostgreSQL's DDL is transactional, so a
    /// failed migration leaves nothing behind). Returns the versions it applied.
    static func migrate(_ client: PostgresClient, logger: Logger) async throws -> [String] {
        try await client.withTransaction(logger: logger) { connection in
            try await connection.rows("SELECT pg_advisory_xact_lock(\(migrationLock))", logger)
            try await connection.rows("""
                CREATE TABLE IF NOT EXISTS schema_migrations (
                    version text PRIMARY KEY,
                    applied_ms bigint NOT NULL
                )
                """, logger)
            var applied = Set<String>()
            for try await version in try await connection.query("SELECT version FROM schema_migrations", logger: logger).decode(String.self) {
                applied.insert(version)
            }
            var newly: [String] = []
            for migration in migrations where !applied.contains(migration.version) {
                for statement in migration.statements {
                    try await connection.rows(PostgresQuery(unsafeSQL: statement), logger)
                }
                let now = Int64((Date().timeIntervalSince1970 * 1000).rounded())
                try await connection.rows("INSERT INTO schema_migrations (version, applied_ms) VALUES (\(migration.version), \(now))", logger)
                newly.append(migration.version)
            }
            return newly
        }
    }
}
