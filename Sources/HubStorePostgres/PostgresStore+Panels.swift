import Foundation
import HubCore
import HubServices
import Logging
import PostgresNIO

// The feedback-panel component on PostgreSQL: the same tables, statements and refusals as
// `SQLiteStore+Panels.swift`. No column for a client address or a user agent.
extension PostgresStore {
    static let panelMigrations: [(version: String, statements: [String])] = [
        ("v6-feedback-panels", [
            """
            CREATE TABLE feedback_panel (
                id text PRIMARY KEY,
                workspace_id text NOT NULL REFERENCES workspace (id),
                subject text NOT NULL,
                status text NOT NULL CHECK (status IN ('draft', 'open', 'closed', 'archived')),
                settings text NOT NULL,
                version integer NOT NULL CHECK (version >= 1),
                created_ms bigint NOT NULL
            )
            """,
            "CREATE INDEX feedback_panel_workspace ON feedback_panel (workspace_id)",
            """
            CREATE TABLE panel_submission (
                id text PRIMARY KEY,
                panel_id text NOT NULL REFERENCES feedback_panel (id),
                status text NOT NULL CHECK (status IN ('pending', 'visible', 'hidden', 'withdrawn')),
                content text NOT NULL,
                pseudonym text,
                email text,
                language text NOT NULL,
                consent_version text NOT NULL,
                consent_ms bigint NOT NULL,
                receipt_digest text,
                fingerprint text,
                moderation text,
                received_ms bigint NOT NULL,
                updated_ms bigint NOT NULL,
                version integer NOT NULL CHECK (version >= 1),
                erased_ms bigint
            )
            """,
            "CREATE INDEX panel_submission_receipt ON panel_submission (panel_id, receipt_digest)",
            "CREATE INDEX panel_submission_received ON panel_submission (panel_id, received_ms)",
            """
            CREATE TABLE panel_invite (
                id text PRIMARY KEY,
                panel_id text NOT NULL REFERENCES feedback_panel (id),
                digest text NOT NULL UNIQUE,
                label text NOT NULL,
                max_uses integer NOT NULL,
                uses integer NOT NULL CHECK (uses >= 0 AND uses <= max_uses),
                created_by text NOT NULL REFERENCES app_user (id),
                created_ms bigint NOT NULL,
                revoked_ms bigint
            )
            """,
            """
            CREATE TABLE panel_response (
                submission_id text PRIMARY KEY REFERENCES panel_submission (id),
                panel_id text NOT NULL REFERENCES feedback_panel (id),
                text text NOT NULL,
                changed_revision integer,
                author_id text NOT NULL REFERENCES app_user (id),
                created_ms bigint NOT NULL,
                updated_ms bigint NOT NULL,
                version integer NOT NULL CHECK (version >= 1)
            )
            """,
            "CREATE INDEX panel_response_panel ON panel_response (panel_id)",
            """
            CREATE TABLE panel_client_allowance (
                panel_id text NOT NULL REFERENCES feedback_panel (id),
                client_key text NOT NULL,
                epoch integer NOT NULL,
                hour_level double precision NOT NULL,
                day_level double precision NOT NULL,
                at_ms bigint NOT NULL,
                expires_ms bigint NOT NULL,
                PRIMARY KEY (panel_id, client_key)
            )
            """,
            """
            CREATE TABLE client_key_secret (
                epoch integer PRIMARY KEY,
                secret text NOT NULL,
                expires_ms bigint NOT NULL
            )
            """,
        ]),
    ]

    static func apply(_ change: PanelChange, on db: PostgresConnection, _ logger: Logger) async throws {
        func touched(_ query: PostgresQuery) async throws -> Int { try await db.rows(query, logger).count }
        switch change {
        case .insertPanel(let p):
            try await db.rows("""
                INSERT INTO feedback_panel (id, workspace_id, subject, status, settings, version, created_ms)
                VALUES (\(p.id.description), \(p.workspaceID.description), \(p.subject.description), \(p.status.rawValue), \(WireJSON.string(p)),
                        \(p.version), \(p.createdAt.millis))
                """, logger)
        case .updatePanel(let p, let expected):
            let n = try await touched("""
                UPDATE feedback_panel SET status = \(p.status.rawValue), settings = \(WireJSON.string(p)), version = \(p.version)
                WHERE id = \(p.id.description) AND version = \(expected) RETURNING 1
                """)
            guard n == 1 else { throw StoreError.conflict }
        case .insertSubmission(let s):
            try await db.rows("""
                INSERT INTO panel_submission (id, panel_id, status, content, pseudonym, email, language, consent_version, consent_ms,
                    receipt_digest, fingerprint, moderation, received_ms, updated_ms, version, erased_ms)
                VALUES (\(s.id.description), \(s.panelID.description), \(s.status.rawValue), \(WireJSON.string(s.content)), \(s.pseudonym),
                        \(s.email), \(s.language.rawValue), \(s.consent.version), \(s.consent.givenAt.millis), \(s.receiptDigest?.hex),
                        \(s.fingerprint?.hex), \(s.moderation.map(WireJSON.string)), \(s.receivedAt.millis), \(s.updatedAt.millis), \(s.version),
                        \(s.personalDataErasedAt?.millis))
                """, logger)
        case .updateSubmission(let s, let expected):
            let n = try await touched("""
                UPDATE panel_submission SET status = \(s.status.rawValue), content = \(WireJSON.string(s.content)), pseudonym = \(s.pseudonym),
                    email = \(s.email), receipt_digest = \(s.receiptDigest?.hex), fingerprint = \(s.fingerprint?.hex),
                    moderation = \(s.moderation.map(WireJSON.string)), updated_ms = \(s.updatedAt.millis), version = \(s.version),
                    erased_ms = \(s.personalDataErasedAt?.millis)
                WHERE id = \(s.id.description) AND version = \(expected) RETURNING 1
                """)
            guard n == 1 else { throw StoreError.conflict }
        case .insertInvite(let i):
            try await db.rows("""
                INSERT INTO panel_invite (id, panel_id, digest, label, max_uses, uses, created_by, created_ms, revoked_ms)
                VALUES (\(i.id.description), \(i.panelID.description), \(i.digest.hex), \(i.label), \(i.maxUses), \(i.uses),
                        \(i.createdBy.description), \(i.createdAt.millis), \(i.revokedAt?.millis))
                """, logger)
        case .updateInvite(let i, let expected):
            let n = try await touched("""
                UPDATE panel_invite SET uses = \(i.uses), revoked_ms = \(i.revokedAt?.millis) WHERE id = \(i.id.description) AND uses = \(expected)
                RETURNING 1
                """)
            guard n == 1 else { throw StoreError.conflict }
        case .putResponse(let r, let expected):
            if let expected {
                let n = try await touched("""
                    UPDATE panel_response SET text = \(r.text), changed_revision = \(r.changedRevision), author_id = \(r.authorID.description),
                        updated_ms = \(r.updatedAt.millis), version = \(r.version)
                    WHERE submission_id = \(r.submissionID.description) AND version = \(expected) RETURNING 1
                    """)
                guard n == 1 else { throw StoreError.conflict }
            } else {
                try await db.rows("""
                    INSERT INTO panel_response (submission_id, panel_id, text, changed_revision, author_id, created_ms, updated_ms, version)
                    VALUES (\(r.submissionID.description), \(r.panelID.description), \(r.text), \(r.changedRevision), \(r.authorID.description),
                            \(r.createdAt.millis), \(r.updatedAt.millis), \(r.version))
                    """, logger)
            }
        case .putAllowance(let panel, let key, let a, let expiresAt):
            try await db.rows("""
                INSERT INTO panel_client_allowance (panel_id, client_key, epoch, hour_level, day_level, at_ms, expires_ms)
                VALUES (\(panel.description), \(key.value), \(key.epoch), \(a.hourLevel), \(a.dayLevel), \(a.at.millis), \(expiresAt.millis))
                ON CONFLICT (panel_id, client_key) DO UPDATE SET hour_level = excluded.hour_level, day_level = excluded.day_level,
                    at_ms = excluded.at_ms, expires_ms = excluded.expires_ms
                """, logger)
        case .insertClientKeySecret(let s, let expiresAt):
            try await db.rows("""
                INSERT INTO client_key_secret (epoch, secret, expires_ms) VALUES (\(s.epoch), \(s.bytes.base64EncodedString()), \(expiresAt.millis))
                ON CONFLICT (epoch) DO NOTHING
                """, logger)
        case .deleteClientKeySecrets(let epochs):
            for epoch in epochs { try await db.rows("DELETE FROM client_key_secret WHERE epoch = \(epoch)", logger) }
        case .deleteExpiredAllowances(let before):
            try await db.rows("DELETE FROM panel_client_allowance WHERE expires_ms <= \(before.millis)", logger)
        }
    }

    // MARK: Reads

    public func panel(_ id: PanelID) async throws -> FeedbackPanel? {
        try Self.panels(try await client.rows("SELECT settings FROM feedback_panel WHERE id = \(id.description)", logger)).first
    }

    public func panels(in workspace: WorkspaceID) async throws -> [FeedbackPanel] {
        try Self.panels(try await client.rows("""
            SELECT settings FROM feedback_panel WHERE workspace_id = \(workspace.description) ORDER BY created_ms, id COLLATE "C"
            """, logger))
    }

    public func activePanels() async throws -> [FeedbackPanel] {
        try Self.panels(try await client.rows("""
            SELECT settings FROM feedback_panel WHERE status <> 'archived' ORDER BY created_ms, id COLLATE "C"
            """, logger))
    }

    static let submissionQuery = """
        SELECT id, panel_id, status, content, pseudonym, email, language, consent_version, consent_ms, receipt_digest, fingerprint,
               moderation, received_ms, updated_ms, version, erased_ms FROM panel_submission
        """

    func submissions(_ whereClause: String, _ binds: [String], since: Int64? = nil) async throws -> [PanelSubmission] {
        var query = PostgresQuery(unsafeSQL: Self.submissionQuery + " " + whereClause + " ORDER BY received_ms, id COLLATE \"C\"")
        for bind in binds { query.binds.append(bind) }
        if let since { query.binds.append(since) }
        return try await client.rows(query, logger).map { row in
            let (id, panel, status, content, pseudonym, email, language, consentVersion, consentMs, receipt, fingerprint) =
                try row.decode((String, String, String, String, String?, String?, String, String, Int64, String?, String?).self)
            let columns = row.makeRandomAccess()
            let moderation = try columns[11].decode(String?.self)
            let received = try columns[12].decode(Int64.self)
            let updated = try columns[13].decode(Int64.self)
            let version = try columns[14].decode(Int.self)
            let erased = try columns[15].decode(Int64?.self)
            return try PanelRecords.submission(
                id: id, panelID: panel, status: status, content: content, pseudonym: pseudonym, email: email, language: language,
                consentVersion: consentVersion, consentMillis: consentMs, receiptDigest: receipt, fingerprint: fingerprint, moderation: moderation,
                receivedMillis: received, updatedMillis: updated, version: version, erasedMillis: erased)
        }
    }

    public func submission(_ id: SubmissionID) async throws -> PanelSubmission? {
        try await submissions("WHERE id = $1", [id.description]).first
    }

    public func submissions(of panel: PanelID) async throws -> [PanelSubmission] {
        try await submissions("WHERE panel_id = $1", [panel.description])
    }

    public func submissions(of panel: PanelID, since: Date) async throws -> [PanelSubmission] {
        try await submissions("WHERE panel_id = $1 AND received_ms >= $2", [panel.description], since: since.millis)
    }

    public func submission(of panel: PanelID, receipt digest: PanelCodeDigest) async throws -> PanelSubmission? {
        try await submissions("WHERE panel_id = $1 AND receipt_digest = $2", [panel.description, digest.hex]).first
    }

    public func submissionsHoldingPersonalData() async throws -> [PanelSubmission] {
        try await submissions("WHERE pseudonym IS NOT NULL OR email IS NOT NULL OR receipt_digest IS NOT NULL OR fingerprint IS NOT NULL", [])
    }

    public func invites(of panel: PanelID) async throws -> [PanelInvite] {
        try Self.invites(try await client.rows("""
            SELECT id, panel_id, digest, label, max_uses, uses, created_by, created_ms, revoked_ms FROM panel_invite
            WHERE panel_id = \(panel.description) ORDER BY created_ms, id COLLATE "C"
            """, logger))
    }

    public func invite(of panel: PanelID, digest: PanelCodeDigest) async throws -> PanelInvite? {
        try Self.invites(try await client.rows("""
            SELECT id, panel_id, digest, label, max_uses, uses, created_by, created_ms, revoked_ms FROM panel_invite
            WHERE panel_id = \(panel.description) AND digest = \(digest.hex)
            """, logger)).first
    }

    public func response(to submission: SubmissionID) async throws -> PanelResponse? {
        try Self.responses(try await client.rows("""
            SELECT submission_id, panel_id, text, changed_revision, author_id, created_ms, updated_ms, version FROM panel_response
            WHERE submission_id = \(submission.description)
            """, logger)).first
    }

    public func responses(of panel: PanelID) async throws -> [PanelResponse] {
        try Self.responses(try await client.rows("""
            SELECT submission_id, panel_id, text, changed_revision, author_id, created_ms, updated_ms, version FROM panel_response
            WHERE panel_id = \(panel.description) ORDER BY created_ms, submission_id COLLATE "C"
            """, logger))
    }

    public func allowances(of panel: PanelID, keys: [ClientKey]) async throws -> [SubmissionAllowance] {
        guard !keys.isEmpty else { return [] }
        let values = keys.map(\.value)
        return try await client.rows("""
            SELECT hour_level, day_level, at_ms FROM panel_client_allowance WHERE panel_id = \(panel.description) AND client_key = ANY(\(values))
            ORDER BY client_key COLLATE "C"
            """, logger).map { row in
            let (hour, day, at) = try row.decode((Double, Double, Int64).self)
            return SubmissionAllowance(hourLevel: hour, dayLevel: day, at: Date(millis: at))
        }
    }

    public func clientKeySecrets() async throws -> [ClientKeySecret] {
        try await client.rows("SELECT epoch, secret FROM client_key_secret ORDER BY epoch", logger).compactMap { row in
            let (epoch, secret) = try row.decode((Int, String).self)
            return Data(base64Encoded: secret).map { ClientKeySecret(epoch: epoch, bytes: $0) }
        }
    }

    // MARK: Row mapping

    static func panels(_ rows: [PostgresRow]) throws -> [FeedbackPanel] {
        try rows.map { row in try WireJSON.decoder().decode(FeedbackPanel.self, from: Data(try row.decode(String.self).utf8)) }
    }

    static func invites(_ rows: [PostgresRow]) throws -> [PanelInvite] {
        try rows.map { row in
            let (id, panel, digest, label, maxUses, uses, createdBy, created, revoked) =
                try row.decode((String, String, String, String, Int, Int, String, Int64, Int64?).self)
            return PanelInvite(id: try Self.id(id), panelID: try Self.id(panel), digest: PanelCodeDigest(hex: digest), label: label, maxUses: maxUses,
                               uses: uses, createdBy: try Self.id(createdBy), createdAt: Date(millis: created), revokedAt: revoked.map(Date.init(millis:)))
        }
    }

    static func responses(_ rows: [PostgresRow]) throws -> [PanelResponse] {
        try rows.map { row in
            let (submission, panel, text, changed, author, created, updated, version) =
                try row.decode((String, String, String, Int?, String, Int64, Int64, Int).self)
            return PanelResponse(submissionID: try Self.id(submission), panelID: try Self.id(panel), text: text, changedRevision: changed,
                                 authorID: try Self.id(author), createdAt: Date(millis: created), updatedAt: Date(millis: updated), version: version)
        }
    }
}
