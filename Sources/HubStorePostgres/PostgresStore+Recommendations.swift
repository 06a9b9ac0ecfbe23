import Foundation
import HubCore
import HubServices
import Logging
import PostgresNIO

// The recommendations component on PostgreSQL: the same tables, statements and refusals as
// `SQLiteStore+Recommendations.swift`. Profiles are JSON text (the wire form).
extension PostgresStore {
    static let recommendationMigrations: [(version: String, statements: [String])] = [
        ("v2-recommendations", [
            """
            CREATE TABLE recommendation (
                id text PRIMARY KEY,
                workspace_id text NOT NULL REFERENCES workspace (id),
                status text NOT NULL CHECK (status IN ('draft', 'finished')),
                title text NOT NULL,
                profile text NOT NULL,
                revision integer NOT NULL CHECK (revision >= 1),
                created_by text NOT NULL REFERENCES app_user (id),
                created_ms bigint NOT NULL,
                updated_ms bigint NOT NULL,
                reference text UNIQUE,
                CHECK ((status = 'finished') = (reference IS NOT NULL))
            )
            """,
            "CREATE INDEX recommendation_workspace ON recommendation (workspace_id)",
            """
            CREATE TABLE recommendation_revision (
                recommendation_id text NOT NULL REFERENCES recommendation (id),
                number integer NOT NULL CHECK (number >= 1),
                author_id text NOT NULL REFERENCES app_user (id),
                organization_id text REFERENCES organization (id) ON DELETE SET NULL,
                at_ms bigint NOT NULL,
                profile text NOT NULL,
                changed_sections text NOT NULL,
                restored_from integer,
                PRIMARY KEY (recommendation_id, number)
            )
            """,
            """
            CREATE TABLE sign_off (
                recommendation_id text NOT NULL REFERENCES recommendation (id),
                revision integer NOT NULL,
                capacity text NOT NULL,
                user_id text NOT NULL REFERENCES app_user (id),
                at_ms bigint NOT NULL,
                PRIMARY KEY (recommendation_id, revision, capacity)
            )
            """,
            """
            CREATE TABLE catalogue_entry (
                reference text PRIMARY KEY,
                year integer NOT NULL,
                number integer NOT NULL CHECK (number >= 1),
                recommendation_id text NOT NULL UNIQUE REFERENCES recommendation (id),
                workspace_id text NOT NULL REFERENCES workspace (id),
                workspace_name text NOT NULL,
                revision integer NOT NULL,
                profile text NOT NULL,
                finished_ms bigint NOT NULL,
                consensus_level text CHECK (consensus_level IN ('highlyRelevant', 'relevant', 'lessRelevant')),
                consensus_justification text,
                consensus_ms bigint,
                consensus_by text REFERENCES app_user (id),
                CONSTRAINT catalogue_entry_year_number_key UNIQUE (year, number)
            )
            """,
            """
            CREATE TABLE rating_round (
                year integer PRIMARY KEY,
                opens_on date NOT NULL,
                closes_on date NOT NULL,
                version integer NOT NULL CHECK (version >= 1)
            )
            """,
            """
            CREATE TABLE steering_rating (
                reference text NOT NULL REFERENCES catalogue_entry (reference),
                user_id text NOT NULL REFERENCES app_user (id),
                level text NOT NULL CHECK (level IN ('highlyRelevant', 'relevant', 'lessRelevant')),
                justification text NOT NULL,
                at_ms bigint NOT NULL,
                PRIMARY KEY (reference, user_id)
            )
            """,
        ]),
        ("v3-implementation", [
            """
            CREATE TABLE council_decision (
                id text PRIMARY KEY,
                reference text NOT NULL REFERENCES catalogue_entry (reference),
                decided_on date NOT NULL,
                body text NOT NULL,
                outcome text NOT NULL CHECK (outcome IN ('adopted', 'amended', 'rejected', 'deferred')),
                note text NOT NULL,
                recorded_by text NOT NULL REFERENCES app_user (id),
                recorded_ms bigint NOT NULL
            )
            """,
            "CREATE INDEX council_decision_reference ON council_decision (reference)",
            """
            CREATE TABLE implementation_report (
                id text PRIMARY KEY,
                reference text NOT NULL REFERENCES catalogue_entry (reference),
                reported_on date NOT NULL,
                status text NOT NULL CHECK (status IN ('notStarted', 'inProgress', 'implemented', 'stopped')),
                indicator_values text NOT NULL,
                note text NOT NULL,
                author_id text NOT NULL REFERENCES app_user (id),
                at_ms bigint NOT NULL
            )
            """,
            "CREATE INDEX implementation_report_reference ON implementation_report (reference)",
        ]),
        ("v4-comments", [
            """
            CREATE TABLE recommendation_comment (
                id text PRIMARY KEY,
                recommendation_id text NOT NULL REFERENCES recommendation (id),
                section text,
                kind text NOT NULL CHECK (kind IN ('comment', 'suggestion')),
                author_id text NOT NULL REFERENCES app_user (id),
                body text NOT NULL,
                suggested_text text,
                base_revision integer NOT NULL,
                state text NOT NULL CHECK (state IN ('open', 'resolved', 'accepted', 'rejected')),
                created_ms bigint NOT NULL,
                decided_by text REFERENCES app_user (id),
                decided_ms bigint,
                CHECK ((kind = 'suggestion') = (suggested_text IS NOT NULL))
            )
            """,
            "CREATE INDEX recommendation_comment_recommendation ON recommendation_comment (recommendation_id)",
        ]),
        ("v5-report-reminders", [
            """
            CREATE TABLE report_reminder (
                reference text NOT NULL REFERENCES catalogue_entry (reference),
                due_on date NOT NULL,
                sent_ms bigint NOT NULL,
                PRIMARY KEY (reference, due_on)
            )
            """,
        ]),
    ]

    static func apply(_ change: RecommendationChange, on db: PostgresConnection, _ logger: Logger) async throws {
        func touched(_ query: PostgresQuery) async throws -> Int { try await db.rows(query, logger).count }

        switch change {
        case .insert(let r, let revision):
            try await db.rows("""
                INSERT INTO recommendation (id, workspace_id, status, title, profile, revision, created_by, created_ms, updated_ms, reference)
                VALUES (\(r.id.description), \(r.workspaceID.description), \(r.status.rawValue), \(r.profile.title), \(WireJSON.string(r.profile)),
                        \(r.revision), \(r.createdBy.description), \(r.createdAt.millis), \(r.updatedAt.millis), \(r.reference))
                """, logger)
            try await insertRevision(revision, db, logger)
        case .addRevision(let r, let revision):
            let n = try await touched("""
                UPDATE recommendation SET title = \(r.profile.title), profile = \(WireJSON.string(r.profile)), revision = \(r.revision),
                    updated_ms = \(r.updatedAt.millis)
                WHERE id = \(r.id.description) AND revision = \(revision.number - 1) AND status = 'draft' RETURNING 1
                """)
            guard n == 1 else { throw StoreError.conflict }
            try await insertRevision(revision, db, logger)
        case .finish(let r, let expected):
            let n = try await touched("""
                UPDATE recommendation SET status = \(r.status.rawValue), reference = \(r.reference), updated_ms = \(r.updatedAt.millis)
                WHERE id = \(r.id.description) AND revision = \(expected) AND status = 'draft' RETURNING 1
                """)
            guard n == 1 else { throw StoreError.conflict }
        case .insertSignOff(let s):
            let n = try await touched("""
                INSERT INTO sign_off (recommendation_id, revision, capacity, user_id, at_ms)
                SELECT \(s.recommendationID.description), \(s.revision), \(s.capacity.key), \(s.userID.description), \(s.at.millis)
                WHERE EXISTS (SELECT 1 FROM recommendation WHERE id = \(s.recommendationID.description) AND revision = \(s.revision) AND status = 'draft')
                RETURNING 1
                """)
            guard n == 1 else { throw StoreError.conflict }
        case .deleteSignOff(let id, let capacity, let revision):
            let n = try await touched("""
                DELETE FROM sign_off WHERE recommendation_id = \(id.description) AND capacity = \(capacity.key) AND revision = \(revision) RETURNING 1
                """)
            guard n == 1 else { throw StoreError.conflict }
        case .insertCatalogueEntry(let e):
            try await db.rows("""
                INSERT INTO catalogue_entry (reference, year, number, recommendation_id, workspace_id, workspace_name, revision, profile, finished_ms)
                VALUES (\(e.reference.description), \(e.reference.year), \(e.reference.number), \(e.recommendationID.description),
                        \(e.workspaceID.description), \(e.workspaceName), \(e.revision), \(WireJSON.string(e.profile)), \(e.finishedAt.millis))
                """, logger)
        case .setConsensus(let reference, let c):
            let n = try await touched("""
                UPDATE catalogue_entry SET consensus_level = \(c.level.rawValue), consensus_justification = \(c.justification),
                    consensus_ms = \(c.at.millis), consensus_by = \(c.by.description)
                WHERE reference = \(reference.description) RETURNING 1
                """)
            guard n == 1 else { throw StoreError.missingReference("catalogueEntry") }
        case .putRatingRound(let round, let expected):
            if let expected {
                let n = try await touched("""
                    UPDATE rating_round SET opens_on = \(round.opensOn.description)::date, closes_on = \(round.closesOn.description)::date,
                        version = \(round.version) WHERE year = \(round.year) AND version = \(expected) RETURNING 1
                    """)
                guard n == 1 else { throw StoreError.conflict }
            } else {
                try await db.rows("""
                    INSERT INTO rating_round (year, opens_on, closes_on, version)
                    VALUES (\(round.year), \(round.opensOn.description)::date, \(round.closesOn.description)::date, \(round.version))
                    """, logger)
            }
        case .putRating(let r):
            try await db.rows("""
                INSERT INTO steering_rating (reference, user_id, level, justification, at_ms)
                VALUES (\(r.reference.description), \(r.userID.description), \(r.level.rawValue), \(r.justification), \(r.at.millis))
                ON CONFLICT (reference, user_id) DO UPDATE SET level = excluded.level, justification = excluded.justification, at_ms = excluded.at_ms
                """, logger)
        case .insertDecision(let d):
            try await db.rows("""
                INSERT INTO council_decision (id, reference, decided_on, body, outcome, note, recorded_by, recorded_ms)
                VALUES (\(d.id.description), \(d.reference.description), \(d.decidedOn.description)::date, \(d.body), \(d.outcome.rawValue), \(d.note),
                        \(d.recordedBy.description), \(d.recordedAt.millis))
                """, logger)
        case .insertComment(let c):
            try await db.rows("""
                INSERT INTO recommendation_comment (id, recommendation_id, section, kind, author_id, body, suggested_text, base_revision, state, created_ms)
                VALUES (\(c.id.description), \(c.recommendationID.description), \(c.section?.rawValue), \(c.kind.rawValue), \(c.authorID.description),
                        \(c.body), \(c.suggestedText), \(c.baseRevision), \(c.state.rawValue), \(c.createdAt.millis))
                """, logger)
        case .decideComment(let c):
            let n = try await touched("""
                UPDATE recommendation_comment SET state = \(c.state.rawValue), decided_by = \(c.decidedBy?.description), decided_ms = \(c.decidedAt?.millis)
                WHERE id = \(c.id.description) AND state = 'open' RETURNING 1
                """)
            guard n == 1 else { throw StoreError.conflict }
        case .recordReminder(let reference, let dueOn, let at):
            try await db.rows("""
                INSERT INTO report_reminder (reference, due_on, sent_ms) VALUES (\(reference.description), \(dueOn.description)::date, \(at.millis))
                ON CONFLICT DO NOTHING
                """, logger)
        case .insertReport(let r):
            try await db.rows("""
                INSERT INTO implementation_report (id, reference, reported_on, status, indicator_values, note, author_id, at_ms)
                VALUES (\(r.id.description), \(r.reference.description), \(r.reportedOn.description)::date, \(r.status.rawValue),
                        \(WireJSON.string(r.values)), \(r.note), \(r.authorID.description), \(r.at.millis))
                """, logger)
        }
    }

    static func insertRevision(_ r: RecommendationRevision, _ db: PostgresConnection, _ logger: Logger) async throws {
        try await db.rows("""
            INSERT INTO recommendation_revision (recommendation_id, number, author_id, organization_id, at_ms, profile, changed_sections, restored_from)
            VALUES (\(r.recommendationID.description), \(r.number), \(r.authorID.description), \(r.organizationID?.description), \(r.at.millis),
                    \(WireJSON.string(r.profile)), \(r.changedSections.map(\.rawValue).joined(separator: ",")), \(r.restoredFrom))
            """, logger)
    }

    // MARK: Reads

    public func recommendations(in workspace: WorkspaceID) async throws -> [Recommendation] {
        try Self.recommendations(try await client.rows("""
            SELECT id, workspace_id, status, profile, revision, created_by, created_ms, updated_ms, reference FROM recommendation
            WHERE workspace_id = \(workspace.description) ORDER BY created_ms, id COLLATE "C"
            """, logger))
    }

    public func recommendation(_ id: RecommendationID) async throws -> Recommendation? {
        try Self.recommendations(try await client.rows("""
            SELECT id, workspace_id, status, profile, revision, created_by, created_ms, updated_ms, reference FROM recommendation
            WHERE id = \(id.description)
            """, logger)).first
    }

    public func drafts() async throws -> [Recommendation] {
        try Self.recommendations(try await client.rows("""
            SELECT id, workspace_id, status, profile, revision, created_by, created_ms, updated_ms, reference FROM recommendation
            WHERE status = 'draft' ORDER BY created_ms, id COLLATE "C"
            """, logger))
    }

    public func revisions(of id: RecommendationID) async throws -> [RecommendationRevision] {
        try Self.revisions(try await client.rows("""
            SELECT recommendation_id, number, author_id, organization_id, at_ms, profile, changed_sections, restored_from
            FROM recommendation_revision WHERE recommendation_id = \(id.description) ORDER BY number
            """, logger))
    }

    public func revision(of id: RecommendationID, number: Int) async throws -> RecommendationRevision? {
        try Self.revisions(try await client.rows("""
            SELECT recommendation_id, number, author_id, organization_id, at_ms, profile, changed_sections, restored_from
            FROM recommendation_revision WHERE recommendation_id = \(id.description) AND number = \(number)
            """, logger)).first
    }

    public func signOffs(of id: RecommendationID) async throws -> [SignOff] {
        try await client.rows("""
            SELECT recommendation_id, capacity, user_id, revision, at_ms FROM sign_off WHERE recommendation_id = \(id.description)
            ORDER BY at_ms, capacity COLLATE "C"
            """, logger).map { row in
            let (rid, capacity, user, revision, at) = try row.decode((String, String, String, Int, Int64).self)
            return SignOff(recommendationID: try Self.id(rid), capacity: try Self.capacity(capacity), userID: try Self.id(user),
                           revision: revision, at: Date(millis: at))
        }
    }

    static let entryQuery = """
        SELECT reference, year, number, recommendation_id, workspace_id, workspace_name, revision, profile, finished_ms,
               consensus_level, consensus_justification, consensus_ms, consensus_by FROM catalogue_entry
        """

    public func catalogue() async throws -> Snapshot<[CatalogueEntry]> {
        let epoch = self.epoch
        return try await snapshot { [logger] db in
            let items = try Self.entries(try await db.rows(PostgresQuery(unsafeSQL: Self.entryQuery + " ORDER BY year, number"), logger))
            return Snapshot(value: items, cursor: Cursor(topic: "catalogue", epoch: epoch, seq: try await Self.head("catalogue", db, logger)))
        }
    }

    public func catalogueEntry(_ reference: CatalogueReference) async throws -> CatalogueEntry? {
        var query = PostgresQuery(unsafeSQL: Self.entryQuery + " WHERE reference = $1")
        query.binds.append(reference.description)
        return try Self.entries(try await client.rows(query, logger)).first
    }

    public func lastCatalogueNumber(year: Int) async throws -> Int {
        try await client.rows("SELECT coalesce(max(number), 0)::integer FROM catalogue_entry WHERE year = \(year)", logger).first?.decode(Int.self) ?? 0
    }

    public func ratingRounds() async throws -> [RatingRound] {
        try Self.rounds(try await client.rows("""
            SELECT year, to_char(opens_on, 'YYYY-MM-DD'), to_char(closes_on, 'YYYY-MM-DD'), version FROM rating_round ORDER BY year
            """, logger))
    }

    public func ratingRound(year: Int) async throws -> RatingRound? {
        try Self.rounds(try await client.rows("""
            SELECT year, to_char(opens_on, 'YYYY-MM-DD'), to_char(closes_on, 'YYYY-MM-DD'), version FROM rating_round WHERE year = \(year)
            """, logger)).first
    }

    public func ratings(year: Int) async throws -> [SteeringRating] {
        try await client.rows("""
            SELECT r.reference, r.user_id, r.level, r.justification, r.at_ms FROM steering_rating r
            JOIN catalogue_entry e ON e.reference = r.reference WHERE e.year = \(year) ORDER BY r.reference COLLATE "C", r.at_ms
            """, logger).map { row in
            let (reference, user, level, justification, at) = try row.decode((String, String, String, String, Int64).self)
            guard let ref = CatalogueReference(reference), let level = RatingLevel(rawValue: level) else { throw StoreError.missingReference("rating") }
            return SteeringRating(reference: ref, userID: try Self.id(user), level: level, justification: justification, at: Date(millis: at))
        }
    }

    public func decisions(_ reference: CatalogueReference?) async throws -> [CouncilDecision] {
        let ref = reference?.description
        return try await client.rows("""
            SELECT id, reference, to_char(decided_on, 'YYYY-MM-DD'), body, outcome, note, recorded_by, recorded_ms FROM council_decision
            WHERE (\(ref)::text IS NULL OR reference = \(ref)) ORDER BY decided_on, recorded_ms, id COLLATE "C"
            """, logger).map { row in
            let (id, reference, on, body, outcome, note, by, at) = try row.decode((String, String, String, String, String, String, String, Int64).self)
            guard let r = CatalogueReference(reference), let day = LocalDate(on), let o = DecisionOutcome(rawValue: outcome) else {
                throw StoreError.missingReference("decision")
            }
            return CouncilDecision(id: try Self.id(id), reference: r, decidedOn: day, body: body, outcome: o, note: note, recordedBy: try Self.id(by),
                                   recordedAt: Date(millis: at))
        }
    }

    public func reports(_ reference: CatalogueReference?) async throws -> [ImplementationReport] {
        let ref = reference?.description
        return try await client.rows("""
            SELECT id, reference, to_char(reported_on, 'YYYY-MM-DD'), status, indicator_values, note, author_id, at_ms FROM implementation_report
            WHERE (\(ref)::text IS NULL OR reference = \(ref)) ORDER BY reported_on, at_ms, id COLLATE "C"
            """, logger).map { row in
            let (id, reference, on, status, values, note, author, at) = try row.decode((String, String, String, String, String, String, String, Int64).self)
            guard let r = CatalogueReference(reference), let day = LocalDate(on), let s = ImplementationStatus(rawValue: status) else {
                throw StoreError.missingReference("report")
            }
            return ImplementationReport(id: try Self.id(id), reference: r, reportedOn: day, status: s,
                                        values: try WireJSON.decoder().decode([IndicatorValue].self, from: Data(values.utf8)), note: note,
                                        authorID: try Self.id(author), at: Date(millis: at))
        }
    }

    static let commentQuery = """
        SELECT id, recommendation_id, section, kind, author_id, body, suggested_text, base_revision, state, created_ms, decided_by, decided_ms
        FROM recommendation_comment
        """

    public func comments(of id: RecommendationID) async throws -> [RecommendationComment] {
        var query = PostgresQuery(unsafeSQL: Self.commentQuery + " WHERE recommendation_id = $1 ORDER BY created_ms, id COLLATE \"C\"")
        query.binds.append(id.description)
        return try Self.comments(try await client.rows(query, logger))
    }

    public func comment(_ id: CommentID) async throws -> RecommendationComment? {
        var query = PostgresQuery(unsafeSQL: Self.commentQuery + " WHERE id = $1")
        query.binds.append(id.description)
        return try Self.comments(try await client.rows(query, logger)).first
    }

    public func remindersSent() async throws -> [CatalogueReference: Set<LocalDate>] {
        var result: [CatalogueReference: Set<LocalDate>] = [:]
        for row in try await client.rows("SELECT reference, to_char(due_on, 'YYYY-MM-DD') FROM report_reminder", logger) {
            let (reference, due) = try row.decode((String, String).self)
            if let r = CatalogueReference(reference), let d = LocalDate(due) { result[r, default: []].insert(d) }
        }
        return result
    }

    static func comments(_ rows: [PostgresRow]) throws -> [RecommendationComment] {
        try rows.map { row in
            let (id, rid, section, kind, author, body, suggested, base, state, created, decidedBy, decidedAt) =
                try row.decode((String, String, String?, String, String, String, String?, Int, String, Int64, String?, Int64?).self)
            guard let k = RecommendationComment.Kind(rawValue: kind), let s = RecommendationComment.State(rawValue: state) else {
                throw StoreError.missingReference("comment")
            }
            return RecommendationComment(id: try Self.id(id), recommendationID: try Self.id(rid), section: section.flatMap(ProfileSection.init(rawValue:)),
                                         kind: k, authorID: try Self.id(author), body: body, suggestedText: suggested, baseRevision: base, state: s,
                                         createdAt: Date(millis: created), decidedBy: try decidedBy.map { try Self.id($0) },
                                         decidedAt: decidedAt.map(Date.init(millis:)))
        }
    }

    // MARK: Row mapping

    static func recommendations(_ rows: [PostgresRow]) throws -> [Recommendation] {
        try rows.map { row in
            let (id, workspace, status, profile, revision, createdBy, created, updated, reference) =
                try row.decode((String, String, String, String, Int, String, Int64, Int64, String?).self)
            guard let status = RecommendationStatus(rawValue: status) else { throw StoreError.missingReference("status") }
            return Recommendation(id: try Self.id(id), workspaceID: try Self.id(workspace), status: status, profile: try Self.profile(profile),
                                  revision: revision, createdBy: try Self.id(createdBy), createdAt: Date(millis: created),
                                  updatedAt: Date(millis: updated), reference: reference)
        }
    }

    static func revisions(_ rows: [PostgresRow]) throws -> [RecommendationRevision] {
        try rows.map { row in
            let (rid, number, author, organization, at, profile, changed, restored) =
                try row.decode((String, Int, String, String?, Int64, String, String, Int?).self)
            return RecommendationRevision(recommendationID: try Self.id(rid), number: number, authorID: try Self.id(author),
                                          organizationID: try organization.map { try Self.id($0) }, at: Date(millis: at),
                                          profile: try Self.profile(profile),
                                          changedSections: changed.split(separator: ",").compactMap { ProfileSection(rawValue: String($0)) },
                                          restoredFrom: restored)
        }
    }

    static func entries(_ rows: [PostgresRow]) throws -> [CatalogueEntry] {
        try rows.map { row in
            let (_, year, number, rid, workspace, workspaceName, revision, profile, finished, level, justification, consensusAt, by) =
                try row.decode((String, Int, Int, String, String, String, Int, String, Int64, String?, String?, Int64?, String?).self)
            var consensus: ConsensusRating?
            if let level = level.flatMap(RatingLevel.init(rawValue:)), let by, let consensusAt {
                consensus = ConsensusRating(level: level, justification: justification ?? "", at: Date(millis: consensusAt), by: try Self.id(by))
            }
            return CatalogueEntry(reference: CatalogueReference(year: year, number: number), recommendationID: try Self.id(rid),
                                  workspaceID: try Self.id(workspace), workspaceName: workspaceName, revision: revision,
                                  profile: try Self.profile(profile), finishedAt: Date(millis: finished), consensus: consensus)
        }
    }

    static func rounds(_ rows: [PostgresRow]) throws -> [RatingRound] {
        try rows.map { row in
            let (year, opens, closes, version) = try row.decode((Int, String, String, Int).self)
            guard let o = LocalDate(opens), let c = LocalDate(closes) else { throw StoreError.missingReference("date") }
            return RatingRound(year: year, opensOn: o, closesOn: c, version: version)
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
