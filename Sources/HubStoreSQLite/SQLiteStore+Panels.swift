import Foundation
import GRDB
import HubCore
import HubServices

// The feedback-panel component: panels, submissions, invite codes, responses, the limiter's
// state per client key and the day secrets client keys are derived with. Panel settings and
// submission content are JSON documents (the wire form); personal data (pseudonym, e-mail,
// receipt digest, fingerprint) have columns of their own so that erasure really removes them.
// There is no column for a client address or a user agent.
extension SQLiteStore {
    static func registerPanelMigrations(_ migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v9-feedback-panels") { db in
            try db.execute(sql: """
                CREATE TABLE feedback_panel (
                    id TEXT PRIMARY KEY NOT NULL,
                    workspace_id TEXT NOT NULL REFERENCES workspace(id),
                    subject TEXT NOT NULL,
                    status TEXT NOT NULL CHECK (status IN ('draft', 'open', 'closed', 'archived')),
                    settings TEXT NOT NULL CHECK (json_valid(settings)),
                    version INTEGER NOT NULL CHECK (version >= 1),
                    created_ms INTEGER NOT NULL
                );
                CREATE INDEX feedback_panel_workspace ON feedback_panel(workspace_id);
                CREATE TABLE panel_submission (
                    id TEXT PRIMARY KEY NOT NULL,
                    panel_id TEXT NOT NULL REFERENCES feedback_panel(id),
                    status TEXT NOT NULL CHECK (status IN ('pending', 'visible', 'hidden', 'withdrawn')),
                    content TEXT NOT NULL CHECK (json_valid(content)),
                    pseudonym TEXT,
                    email TEXT,
                    language TEXT NOT NULL,
                    consent_version TEXT NOT NULL,
                    consent_ms INTEGER NOT NULL,
                    receipt_digest TEXT,
                    fingerprint TEXT,
                    moderation TEXT CHECK (moderation IS NULL OR json_valid(moderation)),
                    received_ms INTEGER NOT NULL,
                    updated_ms INTEGER NOT NULL,
                    version INTEGER NOT NULL CHECK (version >= 1),
                    erased_ms INTEGER
                );
                CREATE INDEX panel_submission_receipt ON panel_submission(panel_id, receipt_digest);
                CREATE INDEX panel_submission_received ON panel_submission(panel_id, received_ms);
                CREATE TABLE panel_invite (
                    id TEXT PRIMARY KEY NOT NULL,
                    panel_id TEXT NOT NULL REFERENCES feedback_panel(id),
                    digest TEXT NOT NULL UNIQUE,
                    label TEXT NOT NULL,
                    max_uses INTEGER NOT NULL,
                    uses INTEGER NOT NULL CHECK (uses >= 0 AND uses <= max_uses),
                    created_by TEXT NOT NULL REFERENCES app_user(id),
                    created_ms INTEGER NOT NULL,
                    revoked_ms INTEGER
                );
                CREATE TABLE panel_response (
                    submission_id TEXT PRIMARY KEY NOT NULL REFERENCES panel_submission(id),
                    panel_id TEXT NOT NULL REFERENCES feedback_panel(id),
                    text TEXT NOT NULL,
                    changed_revision INTEGER,
                    author_id TEXT NOT NULL REFERENCES app_user(id),
                    created_ms INTEGER NOT NULL,
                    updated_ms INTEGER NOT NULL,
                    version INTEGER NOT NULL CHECK (version >= 1)
                );
                CREATE INDEX panel_response_panel ON panel_response(panel_id);
                CREATE TABLE panel_client_allowance (
                    panel_id TEXT NOT NULL REFERENCES feedback_panel(id),
                    client_key TEXT NOT NULL,
                    epoch INTEGER NOT NULL,
                    hour_level REAL NOT NULL,
                    day_level REAL NOT NULL,
                    at_ms INTEGER NOT NULL,
                    expires_ms INTEGER NOT NULL,
                    PRIMARY KEY (panel_id, client_key)
                );
                CREATE TABLE client_key_secret (
                    epoch INTEGER PRIMARY KEY NOT NULL,
                    secret TEXT NOT NULL,
                    expires_ms INTEGER NOT NULL
                );
                """)
        }
    }

    static func apply(_ change: PanelChange, in db: Database) throws {
        switch change {
        case .insertPanel(let p):
            try db.execute(sql: """
                INSERT INTO feedback_panel(id, workspace_id, subject, status, settings, version, created_ms) VALUES (?, ?, ?, ?, ?, ?, ?)
                """, arguments: [p.id.description, p.workspaceID.description, p.subject.description, p.status.rawValue, WireJSON.string(p),
                                 p.version, p.createdAt.millis])
        case .updatePanel(let p, let expected):
            try db.execute(sql: "UPDATE feedback_panel SET status = ?, settings = ?, version = ? WHERE id = ? AND version = ?",
                           arguments: [p.status.rawValue, WireJSON.string(p), p.version, p.id.description, expected])
            guard db.changesCount == 1 else { throw StoreError.conflict }
        case .insertSubmission(let s):
            try db.execute(sql: """
                INSERT INTO panel_submission(id, panel_id, status, content, pseudonym, email, language, consent_version, consent_ms,
                    receipt_digest, fingerprint, moderation, received_ms, updated_ms, version, erased_ms)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [s.id.description, s.panelID.description, s.status.rawValue, WireJSON.string(s.content), s.pseudonym, s.email,
                                 s.language.rawValue, s.consent.version, s.consent.givenAt.millis, s.receiptDigest?.hex, s.fingerprint?.hex,
                                 s.moderation.map(WireJSON.string), s.receivedAt.millis, s.updatedAt.millis, s.version,
                                 s.personalDataErasedAt?.millis])
        case .updateSubmission(let s, let expected):
            try db.execute(sql: """
                UPDATE panel_submission SET status = ?, content = ?, pseudonym = ?, email = ?, receipt_digest = ?, fingerprint = ?,
                    moderation = ?, updated_ms = ?, version = ?, erased_ms = ?
                WHERE id = ? AND version = ?
                """, arguments: [s.status.rawValue, WireJSON.string(s.content), s.pseudonym, s.email, s.receiptDigest?.hex, s.fingerprint?.hex,
                                 s.moderation.map(WireJSON.string), s.updatedAt.millis, s.version, s.personalDataErasedAt?.millis,
                                 s.id.description, expected])
            guard db.changesCount == 1 else { throw StoreError.conflict }
        case .insertInvite(let i):
            try db.execute(sql: """
                INSERT INTO panel_invite(id, panel_id, digest, label, max_uses, uses, created_by, created_ms, revoked_ms)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [i.id.description, i.panelID.description, i.digest.hex, i.label, i.maxUses, i.uses, i.createdBy.description,
                                 i.createdAt.millis, i.revokedAt?.millis])
        case .updateInvite(let i, let expected):
            try db.execute(sql: "UPDATE panel_invite SET uses = ?, revoked_ms = ? WHERE id = ? AND uses = ?",
                           arguments: [i.uses, i.revokedAt?.millis, i.id.description, expected])
            guard db.changesCount == 1 else { throw StoreError.conflict }
        case .putResponse(let r, let expected):
            if let expected {
                try db.execute(sql: """
                    UPDATE panel_response SET text = ?, changed_revision = ?, author_id = ?, updated_ms = ?, version = ?
                    WHERE submission_id = ? AND version = ?
                    """, arguments: [r.text, r.changedRevision, r.authorID.description, r.updatedAt.millis, r.version, r.submissionID.description, expected])
                guard db.changesCount == 1 else { throw StoreError.conflict }
            } else {
                try db.execute(sql: """
                    INSERT INTO panel_response(submission_id, panel_id, text, changed_revision, author_id, created_ms, updated_ms, version)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                    """, arguments: [r.submissionID.description, r.panelID.description, r.text, r.changedRevision, r.authorID.description,
                                     r.createdAt.millis, r.updatedAt.millis, r.version])
            }
        case .putAllowance(let panel, let key, let a, let expiresAt):
            try db.execute(sql: """
                INSERT INTO panel_client_allowance(panel_id, client_key, epoch, hour_level, day_level, at_ms, expires_ms) VALUES (?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT(panel_id, client_key) DO UPDATE SET hour_level = excluded.hour_level, day_level = excluded.day_level,
                    at_ms = excluded.at_ms, expires_ms = excluded.expires_ms
                """, arguments: [panel.description, key.value, key.epoch, a.hourLevel, a.dayLevel, a.at.millis, expiresAt.millis])
        case .insertClientKeySecret(let s, let expiresAt):
            try db.execute(sql: "INSERT INTO client_key_secret(epoch, secret, expires_ms) VALUES (?, ?, ?) ON CONFLICT(epoch) DO NOTHING",
                           arguments: [s.epoch, s.bytes.base64EncodedString(), expiresAt.millis])
        case .deleteClientKeySecrets(let epochs):
            for epoch in epochs { try db.execute(sql: "DELETE FROM client_key_secret WHERE epoch = ?", arguments: [epoch]) }
        case .deleteExpiredAllowances(let before):
            try db.execute(sql: "DELETE FROM panel_client_allowance WHERE expires_ms <= ?", arguments: [before.millis])
        }
    }

    // MARK: Reads

    public func panel(_ id: PanelID) async throws -> FeedbackPanel? {
        try await pool.read { db in try Self.fetchPanels(db, "WHERE id = ?", [id.description]).first }
    }

    public func panels(in workspace: WorkspaceID) async throws -> [FeedbackPanel] {
        try await pool.read { db in try Self.fetchPanels(db, "WHERE workspace_id = ?", [workspace.description]) }
    }

    public func activePanels() async throws -> [FeedbackPanel] {
        try await pool.read { db in try Self.fetchPanels(db, "WHERE status <> 'archived'", []) }
    }

    public func submission(_ id: SubmissionID) async throws -> PanelSubmission? {
        try await pool.read { db in try Self.fetchSubmissions(db, "WHERE id = ?", [id.description]).first }
    }

    public func submissions(of panel: PanelID) async throws -> [PanelSubmission] {
        try await pool.read { db in try Self.fetchSubmissions(db, "WHERE panel_id = ?", [panel.description]) }
    }

    public func submissions(of panel: PanelID, since: Date) async throws -> [PanelSubmission] {
        try await pool.read { db in try Self.fetchSubmissions(db, "WHERE panel_id = ? AND received_ms >= ?", [panel.description, since.millis]) }
    }

    public func submission(of panel: PanelID, receipt digest: PanelCodeDigest) async throws -> PanelSubmission? {
        try await pool.read { db in try Self.fetchSubmissions(db, "WHERE panel_id = ? AND receipt_digest = ?", [panel.description, digest.hex]).first }
    }

    public func submissionsHoldingPersonalData() async throws -> [PanelSubmission] {
        try await pool.read { db in
            try Self.fetchSubmissions(db, "WHERE pseudonym IS NOT NULL OR email IS NOT NULL OR receipt_digest IS NOT NULL OR fingerprint IS NOT NULL", [])
        }
    }

    public func invites(of panel: PanelID) async throws -> [PanelInvite] {
        try await pool.read { db in try Self.fetchInvites(db, "WHERE panel_id = ?", [panel.description]) }
    }

    public func invite(of panel: PanelID, digest: PanelCodeDigest) async throws -> PanelInvite? {
        try await pool.read { db in try Self.fetchInvites(db, "WHERE panel_id = ? AND digest = ?", [panel.description, digest.hex]).first }
    }

    public func response(to submission: SubmissionID) async throws -> PanelResponse? {
        try await pool.read { db in try Self.fetchResponses(db, "WHERE submission_id = ?", [submission.description]).first }
    }

    public func responses(of panel: PanelID) async throws -> [PanelResponse] {
        try await pool.read { db in try Self.fetchResponses(db, "WHERE panel_id = ?", [panel.description]) }
    }

    public func allowances(of panel: PanelID, keys: [ClientKey]) async throws -> [SubmissionAllowance] {
        guard !keys.isEmpty else { return [] }
        return try await pool.read { db in
            let marks = Array(repeating: "?", count: keys.count).joined(separator: ", ")
            var arguments: [any DatabaseValueConvertible] = [panel.description]
            arguments += keys.map(\.value)
            return try Row.fetchAll(db, sql: """
                SELECT hour_level, day_level, at_ms FROM panel_client_allowance WHERE panel_id = ? AND client_key IN (\(marks)) ORDER BY client_key
                """, arguments: StatementArguments(arguments)).map { row in
                SubmissionAllowance(hourLevel: row["hour_level"], dayLevel: row["day_level"], at: Date(millis: row["at_ms"]))
            }
        }
    }

    public func clientKeySecrets() async throws -> [ClientKeySecret] {
        try await pool.read { db in
            try Row.fetchAll(db, sql: "SELECT epoch, secret FROM client_key_secret ORDER BY epoch").compactMap { row in
                Data(base64Encoded: row["secret"] as String).map { ClientKeySecret(epoch: row["epoch"], bytes: $0) }
            }
        }
    }

    // MARK: Row mapping

    static func fetchPanels(_ db: Database, _ whereClause: String, _ arguments: StatementArguments) throws -> [FeedbackPanel] {
        try Row.fetchAll(db, sql: "SELECT settings FROM feedback_panel \(whereClause) ORDER BY created_ms, id", arguments: arguments).map { row in
            try WireJSON.decoder().decode(FeedbackPanel.self, from: Data((row["settings"] as String).utf8))
        }
    }

    static func fetchSubmissions(_ db: Database, _ whereClause: String, _ arguments: StatementArguments) throws -> [PanelSubmission] {
        try Row.fetchAll(db, sql: "SELECT * FROM panel_submission \(whereClause) ORDER BY received_ms, id", arguments: arguments).map { row in
            try PanelRecords.submission(
                id: row["id"], panelID: row["panel_id"], status: row["status"], content: row["content"], pseudonym: row["pseudonym"],
                email: row["email"], language: row["language"], consentVersion: row["consent_version"], consentMillis: row["consent_ms"],
                receiptDigest: row["receipt_digest"], fingerprint: row["fingerprint"], moderation: row["moderation"],
                receivedMillis: row["received_ms"], updatedMillis: row["updated_ms"], version: row["version"], erasedMillis: row["erased_ms"])
        }
    }

    static func fetchInvites(_ db: Database, _ whereClause: String, _ arguments: StatementArguments) throws -> [PanelInvite] {
        try Row.fetchAll(db, sql: "SELECT * FROM panel_invite \(whereClause) ORDER BY created_ms, id", arguments: arguments).map { row in
            PanelInvite(id: try id(row["id"]), panelID: try id(row["panel_id"]), digest: PanelCodeDigest(hex: row["digest"]), label: row["label"],
                        maxUses: row["max_uses"], uses: row["uses"], createdBy: try id(row["created_by"]), createdAt: Date(millis: row["created_ms"]),
                        revokedAt: (row["revoked_ms"] as Int64?).map(Date.init(millis:)))
        }
    }

    static func fetchResponses(_ db: Database, _ whereClause: String, _ arguments: StatementArguments) throws -> [PanelResponse] {
        try Row.fetchAll(db, sql: "SELECT * FROM panel_response \(whereClause) ORDER BY created_ms, submission_id", arguments: arguments).map { row in
            PanelResponse(submissionID: try id(row["submission_id"]), panelID: try id(row["panel_id"]), text: row["text"],
                          changedRevision: row["changed_revision"], authorID: try id(row["author_id"]), createdAt: Date(millis: row["created_ms"]),
                          updatedAt: Date(millis: row["updated_ms"]), version: row["version"])
        }
    }
}
