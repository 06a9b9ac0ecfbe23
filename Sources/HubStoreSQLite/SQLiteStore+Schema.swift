import GRDB

extension SQLiteStore {
    /// Migrations from day one. Each is applied once, in order, in its own transaction.
    /// The schema carries the invariants: NOT NULL, CHECK, foreign keys, uniqueness.
    static func migrator() -> DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1-spine") { db in
            try db.execute(sql: """
                CREATE TABLE store_meta (
                    key TEXT PRIMARY KEY NOT NULL,
                    value TEXT NOT NULL
                );
                CREATE TABLE topic_head (
                    topic TEXT PRIMARY KEY NOT NULL,
                    seq INTEGER NOT NULL CHECK (seq >= 1)
                );
                CREATE TABLE event (
                    topic TEXT NOT NULL,
                    seq INTEGER NOT NULL CHECK (seq >= 1),
                    name TEXT NOT NULL,
                    payload TEXT NOT NULL,
                    at_ms INTEGER NOT NULL,
                    PRIMARY KEY (topic, seq)
                ) WITHOUT ROWID;
                CREATE INDEX event_at ON event(at_ms);

                CREATE TABLE app_user (
                    id TEXT PRIMARY KEY NOT NULL,
                    email TEXT NOT NULL UNIQUE CHECK (email = lower(email) AND length(email) BETWEEN 3 AND 320),
                    display_name TEXT NOT NULL CHECK (length(display_name) BETWEEN 1 AND 120),
                    password_hash TEXT NOT NULL,
                    is_admin INTEGER NOT NULL CHECK (is_admin IN (0, 1))
                );
                CREATE TABLE session (
                    token_hash TEXT PRIMARY KEY NOT NULL,
                    user_id TEXT NOT NULL REFERENCES app_user(id) ON DELETE CASCADE,
                    kind TEXT NOT NULL CHECK (kind IN ('browser', 'api')),
                    created_ms INTEGER NOT NULL,
                    expires_ms INTEGER NOT NULL
                );
                CREATE INDEX session_user ON session(user_id);

                CREATE TABLE policy_field (
                    id TEXT PRIMARY KEY NOT NULL,
                    key TEXT NOT NULL UNIQUE,
                    name_de TEXT NOT NULL,
                    name_en TEXT NOT NULL,
                    version INTEGER NOT NULL CHECK (version >= 1)
                );
                CREATE TABLE policy_field_priority (
                    policy_field_id TEXT NOT NULL REFERENCES policy_field(id) ON DELETE CASCADE,
                    year INTEGER NOT NULL,
                    PRIMARY KEY (policy_field_id, year)
                );

                CREATE TABLE workspace (
                    id TEXT PRIMARY KEY NOT NULL,
                    kind TEXT NOT NULL CHECK (kind IN ('focusGroup', 'taskForce', 'planningTeam')),
                    name TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
                    description TEXT NOT NULL,
                    ends_on TEXT,
                    archived INTEGER NOT NULL CHECK (archived IN (0, 1)),
                    created_ms INTEGER NOT NULL,
                    updated_ms INTEGER NOT NULL,
                    version INTEGER NOT NULL CHECK (version >= 1),
                    CHECK ((kind = 'taskForce') = (ends_on IS NOT NULL))
                );
                CREATE TABLE workspace_policy_field (
                    workspace_id TEXT NOT NULL REFERENCES workspace(id) ON DELETE CASCADE,
                    policy_field_id TEXT NOT NULL REFERENCES policy_field(id) ON DELETE RESTRICT,
                    position INTEGER NOT NULL,
                    PRIMARY KEY (workspace_id, policy_field_id)
                );
                CREATE TABLE membership (
                    workspace_id TEXT NOT NULL REFERENCES workspace(id) ON DELETE CASCADE,
                    user_id TEXT NOT NULL REFERENCES app_user(id) ON DELETE CASCADE,
                    role TEXT NOT NULL CHECK (role IN ('coordinator', 'member', 'observer')),
                    organization TEXT,
                    PRIMARY KEY (workspace_id, user_id)
                );
                CREATE INDEX membership_user ON membership(user_id);
                """)
        }
        migrator.registerMigration("v2-identity") { db in
            try db.execute(sql: """
                ALTER TABLE app_user ADD COLUMN is_steering INTEGER NOT NULL DEFAULT 0 CHECK (is_steering IN (0, 1));

                ALTER TABLE session ADD COLUMN id TEXT;
                ALTER TABLE session ADD COLUMN name TEXT;
                ALTER TABLE session ADD COLUMN scope TEXT NOT NULL DEFAULT 'write' CHECK (scope IN ('read', 'write'));
                ALTER TABLE session ADD COLUMN second_factor TEXT NOT NULL DEFAULT 'none'
                    CHECK (second_factor IN ('none', 'pending', 'verified'));
                ALTER TABLE session ADD COLUMN last_seen_ms INTEGER NOT NULL DEFAULT 0;
                UPDATE session SET id = lower(hex(randomblob(16))), last_seen_ms = created_ms;
                CREATE UNIQUE INDEX session_id ON session(id);

                CREATE TABLE totp_credential (
                    user_id TEXT PRIMARY KEY NOT NULL REFERENCES app_user(id) ON DELETE CASCADE,
                    secret TEXT NOT NULL,
                    enabled INTEGER NOT NULL CHECK (enabled IN (0, 1)),
                    last_step INTEGER NOT NULL DEFAULT 0,
                    created_ms INTEGER NOT NULL
                );
                CREATE TABLE recovery_code (
                    user_id TEXT NOT NULL REFERENCES app_user(id) ON DELETE CASCADE,
                    code_hash TEXT NOT NULL,
                    used_ms INTEGER,
                    PRIMARY KEY (user_id, code_hash)
                );

                CREATE TABLE invitation (
                    id TEXT PRIMARY KEY NOT NULL,
                    workspace_id TEXT NOT NULL REFERENCES workspace(id) ON DELETE CASCADE,
                    email TEXT NOT NULL CHECK (email = lower(email)),
                    role TEXT NOT NULL CHECK (role IN ('coordinator', 'member', 'observer')),
                    organization TEXT,
                    token_hash TEXT NOT NULL UNIQUE,
                    created_by TEXT REFERENCES app_user(id) ON DELETE SET NULL,
                    created_ms INTEGER NOT NULL,
                    expires_ms INTEGER NOT NULL,
                    accepted_ms INTEGER,
                    revoked INTEGER NOT NULL DEFAULT 0 CHECK (revoked IN (0, 1))
                );
                CREATE INDEX invitation_workspace ON invitation(workspace_id);

                CREATE TABLE audit (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    at_ms INTEGER NOT NULL,
                    type TEXT NOT NULL,
                    actor_id TEXT,
                    address_hash TEXT,
                    subject TEXT,
                    detail TEXT
                );
                CREATE INDEX audit_at ON audit(at_ms);
                CREATE INDEX audit_type ON audit(type, at_ms);
                """)
        }
        migrator.registerMigration("v3-password-reset") { db in
            try db.execute(sql: """
                CREATE TABLE password_reset (
                    token_hash TEXT PRIMARY KEY NOT NULL,
                    user_id TEXT NOT NULL REFERENCES app_user(id) ON DELETE CASCADE,
                    created_ms INTEGER NOT NULL,
                    expires_ms INTEGER NOT NULL,
                    used_ms INTEGER
                );
                CREATE INDEX password_reset_user ON password_reset(user_id);
                """)
        }
        migrator.registerMigration("v4-organizations") { db in
            // Organizations become records; the free-text names so far become organizations.
            try db.execute(sql: """
                CREATE TABLE organization (
                    id TEXT PRIMARY KEY NOT NULL,
                    name TEXT NOT NULL UNIQUE COLLATE NOCASE CHECK (length(name) BETWEEN 2 AND 160),
                    kind TEXT NOT NULL CHECK (kind IN ('district', 'municipality', 'agency', 'council', 'other'))
                );
                INSERT INTO organization(id, name, kind)
                    SELECT lower(hex(randomblob(4)) || '-' || hex(randomblob(2)) || '-4' || substr(hex(randomblob(2)), 2) || '-a'
                                 || substr(hex(randomblob(2)), 2) || '-' || hex(randomblob(6))), name, 'other'
                    FROM (SELECT DISTINCT organization AS name FROM membership WHERE organization IS NOT NULL AND length(organization) >= 2
                          UNION SELECT DISTINCT organization FROM invitation WHERE organization IS NOT NULL AND length(organization) >= 2);
                ALTER TABLE membership ADD COLUMN organization_id TEXT REFERENCES organization(id) ON DELETE SET NULL;
                UPDATE membership SET organization_id = (SELECT id FROM organization o WHERE o.name = membership.organization);
                ALTER TABLE membership DROP COLUMN organization;
                ALTER TABLE invitation ADD COLUMN organization_id TEXT REFERENCES organization(id) ON DELETE SET NULL;
                UPDATE invitation SET organization_id = (SELECT id FROM organization o WHERE o.name = invitation.organization);
                ALTER TABLE invitation DROP COLUMN organization;
                """)
        }
        registerRecommendationMigrations(&migrator)
        registerPanelMigrations(&migrator)
        registerLeanCoffeeMigrations(&migrator)
        registerBarcampMigrations(&migrator)
        registerMeetingMigrations(&migrator)
        return migrator
    }
}
