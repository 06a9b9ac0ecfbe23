import Foundation
import GRDB
import HubCore
import HubServices

// The recommendations component: drafts with their revisions, sign-offs, the catalogue and
// the steering group's ratings. Profiles are stored as JSON documents (the wire form), the
// columns the store filters, joins or constrains on as columns of their own.
extension SQLiteStore {
    static func registerRecommendationMigrations(_ migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v5-recommendations") { db in
            try db.execute(sql: """
                CREATE TABLE recommendation (
                    id TEXT PRIMARY KEY NOT NULL,
                    workspace_id TEXT NOT NULL REFERENCES workspace(id),
                    status TEXT NOT NULL CHECK (status IN ('draft', 'finished')),
                    title TEXT NOT NULL,
                    profile TEXT NOT NULL CHECK (json_valid(profile)),
                    revision INTEGER NOT NULL CHECK (revision >= 1),
                    created_by TEXT NOT NULL REFERENCES app_user(id),
                    created_ms INTEGER NOT NULL,
                    updated_ms INTEGER NOT NULL,
                    reference TEXT UNIQUE,
                    CHECK ((status = 'finished') = (reference IS NOT NULL))
                );
                CREATE INDEX recommendation_workspace ON recommendation(workspace_id);
                CREATE TABLE recommendation_revision (
                    recommendation_id TEXT NOT NULL REFERENCES recommendation(id),
                    number INTEGER NOT NULL CHECK (number >= 1),
                    author_id TEXT NOT NULL REFERENCES app_user(id),
                    organization_id TEXT REFERENCES organization(id) ON DELETE SET NULL,
                    at_ms INTEGER NOT NULL,
                    profile TEXT NOT NULL CHECK (json_valid(profile)),
                    changed_sections TEXT NOT NULL,
                    restored_from INTEGER,
                    PRIMARY KEY (recommendation_id, number)
                );
                CREATE TABLE sign_off (
                    recommendation_id TEXT NOT NULL REFERENCES recommendation(id),
                    revision INTEGER NOT NULL,
                    capacity TEXT NOT NULL,
                    user_id TEXT NOT NULL REFERENCES app_user(id),
                    at_ms INTEGER NOT NULL,
                    PRIMARY KEY (recommendation_id, revision, capacity)
                );
                CREATE TABLE catalogue_entry (
                    reference TEXT PRIMARY KEY NOT NULL,
                    year INTEGER NOT NULL,
                    number INTEGER NOT NULL CHECK (number >= 1),
                    recommendation_id TEXT NOT NULL UNIQUE REFERENCES recommendation(id),
                    workspace_id TEXT NOT NULL REFERENCES workspace(id),
                    workspace_name TEXT NOT NULL,
                    revision INTEGER NOT NULL,
                    profile TEXT NOT NULL CHECK (json_valid(profile)),
                    finished_ms INTEGER NOT NULL,
                    consensus_level TEXT CHECK (consensus_level IN ('highlyRelevant', 'relevant', 'lessRelevant')),
                    consensus_justification TEXT,
                    consensus_ms INTEGER,
                    consensus_by TEXT REFERENCES app_user(id),
                    UNIQUE (year, number)
                );
                CREATE TABLE rating_round (
                    year INTEGER PRIMARY KEY NOT NULL,
                    opens_on TEXT NOT NULL,
                    closes_on TEXT NOT NULL,
                    version INTEGER NOT NULL CHECK (version >= 1)
                );
                CREATE TABLE steering_rating (
                    reference TEXT NOT NULL REFERENCES catalogue_entry(reference),
                    user_id TEXT NOT NULL REFERENCES app_user(id),
                    level TEXT NOT NULL CHECK (level IN ('highlyRelevant', 'relevant', 'lessRelevant')),
                    justification TEXT NOT NULL,
                    at_ms INTEGER NOT NULL,
                    PRIMARY KEY (reference, user_id)
                );
                """)
        }
        migrator.registerMigration("v6-implementation") { db in
            try db.execute(sql: """
                CREATE TABLE council_decision (
                    id TEXT PRIMARY KEY NOT NULL,
                    reference TEXT NOT NULL REFERENCES catalogue_entry(reference),
                    decided_on TEXT NOT NULL,
                    body TEXT NOT NULL,
                    outcome TEXT NOT NULL CHECK (outcome IN ('adopted', 'amended', 'rejected', 'deferred')),
                    note TEXT NOT NULL,
                    recorded_by TEXT NOT NULL REFERENCES app_user(id),
                    recorded_ms INTEGER NOT NULL
                );
                CREATE INDEX council_decision_reference ON council_decision(reference);
                CREATE TABLE implementation_report (
                    id TEXT PRIMARY KEY NOT NULL,
                    reference TEXT NOT NULL REFERENCES catalogue_entry(reference),
                    reported_on TEXT NOT NULL,
                    status TEXT NOT NULL CHECK (status IN ('notStarted', 'inProgress', 'implemented', 'stopped')),
                    indicator_values TEXT NOT NULL CHECK (json_valid(indicator_values)),
                    note TEXT NOT NULL,
                    author_id TEXT NOT NULL REFERENCES app_user(id),
                    at_ms INTEGER NOT NULL
                );
                CREATE INDEX implementation_report_reference ON implementation_report(reference);
                """)
        }
        migrator.registerMigration("v7-comments") { db in
            try db.execute(sql: """
                CREATE TABLE recommendation_comment (
                    id TEXT PRIMARY KEY NOT NULL,
                    recommendation_id TEXT NOT NULL REFERENCES recommendation(id),
                    section TEXT,
                    kind TEXT NOT NULL CHECK (kind IN ('comment', 'suggestion')),
                    author_id TEXT NOT NULL REFERENCES app_user(id),
                    body TEXT NOT NULL,
                    suggested_text TEXT,
                    base_revision INTEGER NOT NULL,
                    state TEXT NOT NULL CHECK (state IN ('open', 'resolved', 'accepted', 'rejected')),
                    created_ms INTEGER NOT NULL,
                    decided_by TEXT REFERENCES app_user(id),
                    decided_ms INTEGER,
                    CHECK ((kind = 'suggestion') = (suggested_text IS NOT NULL))
                );
                CREATE INDEX recommendation_comment_recommendation ON recommendation_comment(recommendation_id);
                """)
        }
        migrator.registerMigration("v8-report-reminders") { db in
            try db.execute(sql: """
                CREATE TABLE report_reminder (
                    reference TEXT NOT NULL REFERENCES catalogue_entry(reference),
                    due_on TEXT NOT NULL,
                    sent_ms INTEGER NOT NULL,
                    PRIMARY KEY (reference, due_on)
                );
                """)
        }
    }

    static func apply(_ change: RecommendationChange, in db: Database) throws {
        switch change {
        case .insert(let r, let revision):
            try db.execute(sql: """
                INSERT INTO recommendation(id, workspace_id, status, title, profile, revision, created_by, created_ms, updated_ms, reference)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [r.id.description, r.workspaceID.description, r.status.rawValue, r.profile.title, WireJSON.string(r.profile),
                                 r.revision, r.createdBy.description, r.createdAt.millis, r.updatedAt.millis, r.reference])
            try insertRevision(revision, db)
        case .addRevision(let r, let revision):
            try db.execute(sql: """
                UPDATE recommendation SET title = ?, profile = ?, revision = ?, updated_ms = ?
                WHERE id = ? AND revision = ? AND status = 'draft'
                """, arguments: [r.profile.title, WireJSON.string(r.profile), r.revision, r.updatedAt.millis, r.id.description, revision.number - 1])
            guard db.changesCount == 1 else { throw StoreError.conflict }
            try insertRevision(revision, db)
        case .finish(let r, let expected):
            try db.execute(sql: """
                UPDATE recommendation SET status = ?, reference = ?, updated_ms = ? WHERE id = ? AND revision = ? AND status = 'draft'
                """, arguments: [r.status.rawValue, r.reference, r.updatedAt.millis, r.id.description, expected])
            guard db.changesCount == 1 else { throw StoreError.conflict }
        case .insertSignOff(let s):
            // Only on the current revision of a draft: a save in between makes it a conflict.
            try db.execute(sql: """
                INSERT INTO sign_off(recommendation_id, revision, capacity, user_id, at_ms)
                SELECT ?, ?, ?, ?, ? WHERE EXISTS (SELECT 1 FROM recommendation WHERE id = ? AND revision = ? AND status = 'draft')
                """, arguments: [s.recommendationID.description, s.revision, s.capacity.key, s.userID.description, s.at.millis,
                                 s.recommendationID.description, s.revision])
            guard db.changesCount == 1 else { throw StoreError.conflict }
        case .deleteSignOff(let id, let capacity, let revision):
            try db.execute(sql: "DELETE FROM sign_off WHERE recommendation_id = ? AND capacity = ? AND revision = ?",
                           arguments: [id.description, capacity.key, revision])
            guard db.changesCount == 1 else { throw StoreError.conflict }
        case .insertCatalogueEntry(let e):
            try db.execute(sql: """
                INSERT INTO catalogue_entry(reference, year, number, recommendation_id, workspace_id, workspace_name, revision, profile, finished_ms)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [e.reference.description, e.reference.year, e.reference.number, e.recommendationID.description,
                                 e.workspaceID.description, e.workspaceName, e.revision, WireJSON.string(e.profile), e.finishedAt.millis])
        case .setConsensus(let reference, let c):
            try db.execute(sql: """
                UPDATE catalogue_entry SET consensus_level = ?, consensus_justification = ?, consensus_ms = ?, consensus_by = ? WHERE reference = ?
                """, arguments: [c.level.rawValue, c.justification, c.at.millis, c.by.description, reference.description])
            guard db.changesCount == 1 else { throw StoreError.missingReference("catalogueEntry") }
        case .putRatingRound(let round, let expected):
            if let expected {
                try db.execute(sql: "UPDATE rating_round SET opens_on = ?, closes_on = ?, version = ? WHERE year = ? AND version = ?",
                               arguments: [round.opensOn.description, round.closesOn.description, round.version, round.year, expected])
                guard db.changesCount == 1 else { throw StoreError.conflict }
            } else {
                try db.execute(sql: "INSERT INTO rating_round(year, opens_on, closes_on, version) VALUES (?, ?, ?, ?)",
                               arguments: [round.year, round.opensOn.description, round.closesOn.description, round.version])
            }
        case .putRating(let r):
            try db.execute(sql: """
                INSERT INTO steering_rating(reference, user_id, level, justification, at_ms) VALUES (?, ?, ?, ?, ?)
                ON CONFLICT(reference, user_id) DO UPDATE SET level = excluded.level, justification = excluded.justification, at_ms = excluded.at_ms
                """, arguments: [r.reference.description, r.userID.description, r.level.rawValue, r.justification, r.at.millis])
        case .insertDecision(let d):
            try db.execute(sql: """
                INSERT INTO council_decision(id, reference, decided_on, body, outcome, note, recorded_by, recorded_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [d.id.description, d.reference.description, d.decidedOn.description, d.body, d.outcome.rawValue, d.note,
                                 d.recordedBy.description, d.recordedAt.millis])
        case .insertComment(let c):
            try db.execute(sql: """
                INSERT INTO recommendation_comment(id, recommendation_id, section, kind, author_id, body, suggested_text, base_revision, state, created_ms)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [c.id.description, c.recommendationID.description, c.section?.rawValue, c.kind.rawValue, c.authorID.description, c.body,
                                 c.suggestedText, c.baseRevision, c.state.rawValue, c.createdAt.millis])
        case .decideComment(let c):
            try db.execute(sql: """
                UPDATE recommendation_comment SET state = ?, decided_by = ?, decided_ms = ? WHERE id = ? AND state = 'open'
                """, arguments: [c.state.rawValue, c.decidedBy?.description, c.decidedAt?.millis, c.id.description])
            guard db.changesCount == 1 else { throw StoreError.conflict }
        case .recordReminder(let reference, let dueOn, let at):
            try db.execute(sql: "INSERT INTO report_reminder(reference, due_on, sent_ms) VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
                           arguments: [reference.description, dueOn.description, at.millis])
        case .insertReport(let r):
            try db.execute(sql: """
                INSERT INTO implementation_report(id, reference, reported_on, status, indicator_values, note, author_id, at_ms)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [r.id.description, r.reference.description, r.reportedOn.description, r.status.rawValue, WireJSON.string(r.values),
                                 r.note, r.authorID.description, r.at.millis])
        }
    }

    static func insertRevision(_ r: RecommendationRevision, _ db: Database) throws {
        try db.execute(sql: """
            INSERT INTO recommendation_revision(recommendation_id, number, author_id, organization_id, at_ms, profile, changed_sections, restored_from)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            """, arguments: [r.recommendationID.description, r.number, r.authorID.description, r.organizationID?.description, r.at.millis,
                             WireJSON.string(r.profile), r.changedSections.map(\.rawValue).joined(separator: ","), r.restoredFrom])
    }

    // MARK: Reads

    public func recommendations(in workspace: WorkspaceID) async throws -> [Recommendation] {
        try await pool.read { db in try Self.fetchRecommendations(db, "WHERE workspace_id = ?", [workspace.description]) }
    }

    public func recommendation(_ id: RecommendationID) async throws -> Recommendation? {
        try await pool.read { db in try Self.fetchRecommendations(db, "WHERE id = ?", [id.description]).first }
    }

    public func drafts() async throws -> [Recommendation] {
        try await pool.read { db in try Self.fetchRecommendations(db, "WHERE status = 'draft'", []) }
    }

    public func revisions(of id: RecommendationID) async throws -> [RecommendationRevision] {
        try await pool.read { db in try Self.fetchRevisions(db, "WHERE recommendation_id = ?", [id.description]) }
    }

    public func revision(of id: RecommendationID, number: Int) async throws -> RecommendationRevision? {
        try await pool.read { db in try Self.fetchRevisions(db, "WHERE recommendation_id = ? AND number = ?", [id.description, number]).first }
    }

    public func signOffs(of id: RecommendationID) async throws -> [SignOff] {
        try await pool.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM sign_off WHERE recommendation_id = ? ORDER BY at_ms, capacity", arguments: [id.description])
                .map { row in
                    SignOff(recommendationID: try Self.id(row["recommendation_id"]), capacity: try Self.capacity(row["capacity"]),
                            userID: try Self.id(row["user_id"]), revision: row["revision"], at: Date(millis: row["at_ms"]))
                }
        }
    }

    public func catalogue() async throws -> Snapshot<[CatalogueEntry]> {
        let epoch = self.epoch
        return try await pool.read { db in
            let items = try Self.fetchEntries(db, "", [])
            return Snapshot(value: items, cursor: Cursor(topic: "catalogue", epoch: epoch, seq: try Self.head("catalogue", db)))
        }
    }

    public func catalogueEntry(_ reference: CatalogueReference) async throws -> CatalogueEntry? {
        try await pool.read { db in try Self.fetchEntries(db, "WHERE reference = ?", [reference.description]).first }
    }

    public func lastCatalogueNumber(year: Int) async throws -> Int {
        try await pool.read { db in try Int.fetchOne(db, sql: "SELECT coalesce(max(number), 0) FROM catalogue_entry WHERE year = ?", arguments: [year]) ?? 0 }
    }

    public func ratingRounds() async throws -> [RatingRound] {
        try await pool.read { db in try Self.fetchRounds(db, "", []) }
    }

    public func ratingRound(year: Int) async throws -> RatingRound? {
        try await pool.read { db in try Self.fetchRounds(db, "WHERE year = ?", [year]).first }
    }

    public func ratings(year: Int) async throws -> [SteeringRating] {
        try await pool.read { db in
            try Row.fetchAll(db, sql: """
                SELECT r.* FROM steering_rating r JOIN catalogue_entry e ON e.reference = r.reference WHERE e.year = ? ORDER BY r.reference, r.at_ms
                """, arguments: [year]).map { row in
                guard let reference = CatalogueReference(row["reference"] as String), let level = RatingLevel(rawValue: row["level"]) else {
                    throw StoreError.missingReference("rating")
                }
                return SteeringRating(reference: reference, userID: try Self.id(row["user_id"]), level: level,
                                      justification: row["justification"], at: Date(millis: row["at_ms"]))
            }
        }
    }

    public func decisions(_ reference: CatalogueReference?) async throws -> [CouncilDecision] {
        try await pool.read { db in
            try Row.fetchAll(db, sql: """
                SELECT * FROM council_decision WHERE (? IS NULL OR reference = ?) ORDER BY decided_on, recorded_ms, id
                """, arguments: [reference?.description, reference?.description]).map { row in
                guard let ref = CatalogueReference(row["reference"] as String), let on = LocalDate(row["decided_on"] as String),
                      let outcome = DecisionOutcome(rawValue: row["outcome"]) else { throw StoreError.missingReference("decision") }
                return CouncilDecision(id: try Self.id(row["id"]), reference: ref, decidedOn: on, body: row["body"], outcome: outcome, note: row["note"],
                                       recordedBy: try Self.id(row["recorded_by"]), recordedAt: Date(millis: row["recorded_ms"]))
            }
        }
    }

    public func reports(_ reference: CatalogueReference?) async throws -> [ImplementationReport] {
        try await pool.read { db in
            try Row.fetchAll(db, sql: """
                SELECT * FROM implementation_report WHERE (? IS NULL OR reference = ?) ORDER BY reported_on, at_ms, id
                """, arguments: [reference?.description, reference?.description]).map { row in
                guard let ref = CatalogueReference(row["reference"] as String), let on = LocalDate(row["reported_on"] as String),
                      let status = ImplementationStatus(rawValue: row["status"]) else { throw StoreError.missingReference("report") }
                let values = try WireJSON.decoder().decode([IndicatorValue].self, from: Data((row["indicator_values"] as String).utf8))
                return ImplementationReport(id: try Self.id(row["id"]), reference: ref, reportedOn: on, status: status, values: values,
                                            note: row["note"], authorID: try Self.id(row["author_id"]), at: Date(millis: row["at_ms"]))
            }
        }
    }

    public func comments(of id: RecommendationID) async throws -> [RecommendationComment] {
        try await pool.read { db in try Self.fetchComments(db, "WHERE recommendation_id = ?", [id.description]) }
    }

    public func comment(_ id: CommentID) async throws -> RecommendationComment? {
        try await pool.read { db in try Self.fetchComments(db, "WHERE id = ?", [id.description]).first }
    }

    public func remindersSent() async throws -> [CatalogueReference: Set<LocalDate>] {
        try await pool.read { db in
            var result: [CatalogueReference: Set<LocalDate>] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT reference, due_on FROM report_reminder") {
                if let r = CatalogueReference(row["reference"] as String), let d = LocalDate(row["due_on"] as String) { result[r, default: []].insert(d) }
            }
            return result
        }
    }

    static func fetchComments(_ db: Database, _ whereClause: String, _ arguments: StatementArguments) throws -> [RecommendationComment] {
        try Row.fetchAll(db, sql: "SELECT * FROM recommendation_comment \(whereClause) ORDER BY created_ms, id", arguments: arguments).map { row in
            guard let kind = RecommendationComment.Kind(rawValue: row["kind"]), let state = RecommendationComment.State(rawValue: row["state"]) else {
                throw StoreError.missingReference("comment")
            }
            return RecommendationComment(id: try id(row["id"]), recommendationID: try id(row["recommendation_id"]),
                                         section: (row["section"] as String?).flatMap(ProfileSection.init(rawValue:)), kind: kind,
                                         authorID: try id(row["author_id"]), body: row["body"], suggestedText: row["suggested_text"],
                                         baseRevision: row["base_revision"], state: state, createdAt: Date(millis: row["created_ms"]),
                                         decidedBy: try (row["decided_by"] as String?).map(id), decidedAt: (row["decided_ms"] as Int64?).map(Date.init(millis:)))
        }
    }

    // MARK: Row mapping

    static func fetchRecommendations(_ db: Database, _ whereClause: String, _ arguments: StatementArguments) throws -> [Recommendation] {
        try Row.fetchAll(db, sql: "SELECT * FROM recommendation \(whereClause) ORDER BY created_ms, id", arguments: arguments).map { row in
            guard let status = RecommendationStatus(rawValue: row["status"]) else { throw StoreError.missingReference("status") }
            return Recommendation(id: try id(row["id"]), workspaceID: try id(row["workspace_id"]), status: status,
                                  profile: try profile(row["profile"]), revision: row["revision"], createdBy: try id(row["created_by"]),
                                  createdAt: Date(millis: row["created_ms"]), updatedAt: Date(millis: row["updated_ms"]), reference: row["reference"])
        }
    }

    static func fetchRevisions(_ db: Database, _ whereClause: String, _ arguments: StatementArguments) throws -> [RecommendationRevision] {
        try Row.fetchAll(db, sql: "SELECT * FROM recommendation_revision \(whereClause) ORDER BY number", arguments: arguments).map { row in
            RecommendationRevision(recommendationID: try id(row["recommendation_id"]), number: row["number"], authorID: try id(row["author_id"]),
                                   organizationID: try (row["organization_id"] as String?).map(id), at: Date(millis: row["at_ms"]),
                                   profile: try profile(row["profile"]),
                                   changedSections: (row["changed_sections"] as String).split(separator: ",").compactMap { ProfileSection(rawValue: String($0)) },
                                   restoredFrom: row["restored_from"])
        }
    }

    static func fetchEntries(_ db: Database, _ whereClause: String, _ arguments: StatementArguments) throws -> [CatalogueEntry] {
        try Row.fetchAll(db, sql: "SELECT * FROM catalogue_entry \(whereClause) ORDER BY year, number", arguments: arguments).map { row in
            var consensus: ConsensusRating?
            if let level = (row["consensus_level"] as String?).flatMap(RatingLevel.init(rawValue:)), let by = row["consensus_by"] as String? {
                consensus = ConsensusRating(level: level, justification: row["consensus_justification"], at: Date(millis: row["consensus_ms"]), by: try id(by))
            }
            return CatalogueEntry(reference: CatalogueReference(year: row["year"], number: row["number"]), recommendationID: try id(row["recommendation_id"]),
                                  workspaceID: try id(row["workspace_id"]), workspaceName: row["workspace_name"], revision: row["revision"],
                                  profile: try profile(row["profile"]), finishedAt: Date(millis: row["finished_ms"]), consensus: consensus)
        }
    }

    static func fetchRounds(_ db: Database, _ whereClause: String, _ arguments: StatementArguments) throws -> [RatingRound] {
        try Row.fetchAll(db, sql: "SELECT * FROM rating_round \(whereClause) ORDER BY year", arguments: arguments).map { row in
            guard let opens = LocalDate(row["opens_on"] as String), let closes = LocalDate(row["closes_on"] as String) else {
                throw StoreError.missingReference("date")
            }
            return RatingRound(year: row["year"], opensOn: opens, closesOn: closes, version: row["version"])
        }
    }

    static func id<T>(_ text: String) throws -> Identifier<T> {
        guard let id = Identifier<T>(text) else { throw StoreError.missingReference("id") }
        return id
    }

    static func capacity(_ text: String) throws -> SignOffCapacity {
        guard let capacity = SignOffCapacity(key: text) else { throw StoreError.missingReference("capacity") }
        return capacity
    }

    static func profile(_ json: String) throws -> RecommendationProfile {
        try WireJSON.decoder().decode(RecommendationProfile.self, from: Data(json.utf8))
    }
}
