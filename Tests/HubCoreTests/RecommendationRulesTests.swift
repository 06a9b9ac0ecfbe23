import Foundation
import HubCore
import Testing

@Suite("Recommendations: drafting, merging, sign-off, rating")
struct RecommendationRulesTests {
    static let now = Date(timeIntervalSince1970: 1_790_000_000)
    static let today = LocalDate(year: 2026, month: 11, day: 22)!
    static let field = PolicyFieldID(UUID())
    static let wsID = WorkspaceID(UUID())
    static let north = OrganizationID(UUID())
    static let south = OrganizationID(UUID())
    static let admin = Principal(userID: UserID(UUID()), displayName: "A", isAdmin: true, memberships: [:])
    static let coordinator = Principal(userID: UserID(UUID()), displayName: "C", isAdmin: false, memberships: [wsID: .coordinator])
    static let member = Principal(userID: UserID(UUID()), displayName: "M", isAdmin: false, memberships: [wsID: .member])
    static let observer = Principal(userID: UserID(UUID()), displayName: "O", isAdmin: false, memberships: [wsID: .observer])
    static let outsider = Principal(userID: UserID(UUID()), displayName: "X", isAdmin: false, memberships: [:])
    static let steering = Principal(userID: UserID(UUID()), displayName: "S", isAdmin: false, memberships: [:], isSteering: true)

    static func workspace(_ kind: WorkspaceKind = .focusGroup, archived: Bool = false) -> Workspace {
        Workspace(id: wsID, kind: kind, name: "Integration", description: "", policyFieldIDs: [], endsOn: kind == .taskForce ? today : nil,
                  archived: archived, createdAt: now, updatedAt: now, version: 1)
    }

    /// A complete profile: everything the sign-off needs.
    static func complete() -> RecommendationProfile {
        RecommendationProfile(
            title: "Ämterlotsinnen und Ämterlotsen", policyFieldIDs: [field], situation: "Viele Familien finden sich nicht zurecht.",
            dataBasis: "Beratungsstatistik 2025", goals: "Zugang zu Leistungen", measures: "Lotsen in drei Städten", targetGroups: "Zugewanderte",
            responsibleBody: "Fachdienst Integration", resources: Resources(personnelFTE: 2, durationMonths: 24, moneyEuroPerYear: 120_000),
            budgetYears: [2027, 2028], impactKinds: [.structural],
            indicators: [IndicatorSpec(name: "Begleitete Fälle", unit: "Anzahl", baseline: 0, target: 400, direction: .increase, source: "Träger")],
            timeline: "2027: Start")
    }

    static func recommendation(_ profile: RecommendationProfile = complete(), revision: Int = 3) -> Recommendation {
        Recommendation(id: RecommendationID(UUID()), workspaceID: wsID, status: .draft, profile: profile, revision: revision,
                       createdBy: member.userID!, createdAt: now, updatedAt: now, reference: nil)
    }

    func save(_ sections: [ProfileSection: (inout RecommendationProfile) -> Void], onto current: Recommendation, base: RecommendationProfile,
              baseRevision: Int, by actor: Principal = member, signOffs: [SignOff] = []) throws(DomainError) -> SaveOutcome? {
        var content = base
        for (_, change) in sections { change(&content) }
        return try RecommendationRules.save(ProfilePatch(content: content, sections: Set(sections.keys)), onto: current, baseRevision: baseRevision,
                                            base: base, in: Self.workspace(), by: actor, organization: nil, signOffs: signOffs,
                                            knownPolicyFields: [Self.field], now: Self.now, today: Self.today)
    }

    @Test("Who may start a draft", arguments: [
        (admin, true), (coordinator, true), (member, true), (observer, false), (outsider, false), (steering, false), (Principal.anonymous, false),
    ])
    func createPermission(actor: Principal, allowed: Bool) {
        let result = Result { () throws(DomainError) in
            try RecommendationRules.create(RecommendationProfile(title: "Neu"), id: RecommendationID(UUID()), in: Self.workspace(), by: actor,
                                           organization: nil, knownPolicyFields: [], now: Self.now, today: Self.today)
        }
        #expect(((try? result.get()) != nil) == allowed)
    }

    @Test("A new draft starts at revision 1 with a normalized title; an archived workspace refuses")
    func create() throws {
        let (r, revision, events) = try RecommendationRules.create(RecommendationProfile(title: "  Rucksack   Kita  "), id: RecommendationID(UUID()),
                                                                   in: Self.workspace(), by: Self.member, organization: Self.north,
                                                                   knownPolicyFields: [], now: Self.now, today: Self.today)
        #expect(r.profile.title == "Rucksack Kita" && r.revision == 1 && r.status == .draft)
        #expect(revision.number == 1 && revision.organizationID == Self.north && revision.changedSections == [.title])
        #expect(events == [.recommendationCreated(r)])
        #expect(throws: DomainError.self) {
            try RecommendationRules.create(RecommendationProfile(title: "Rucksack"), id: RecommendationID(UUID()), in: Self.workspace(archived: true),
                                           by: Self.member, organization: nil, knownPolicyFields: [], now: Self.now, today: Self.today)
        }
    }

    @Test("Saving on the current revision takes the sections and adds a revision")
    func saveCurrent() throws {
        let current = Self.recommendation()
        let outcome = try #require(try save([.goals: { $0.goals = "Neue Ziele" }], onto: current, base: current.profile, baseRevision: 3))
        #expect(outcome.recommendation.revision == 4 && outcome.recommendation.profile.goals == "Neue Ziele")
        #expect(outcome.revision.number == 4 && outcome.revision.changedSections == [.goals] && outcome.mergedOnto == nil)
    }

    @Test("Others changed a different section since my base: both changes are kept")
    func mergeDifferentSections() throws {
        let base = Self.complete()
        var theirs = base
        theirs.measures = "Maßnahmen von B"
        let current = Self.recommendation(theirs, revision: 4)
        let outcome = try #require(try save([.goals: { $0.goals = "Ziele von A" }], onto: current, base: base, baseRevision: 3))
        #expect(outcome.recommendation.profile.goals == "Ziele von A")
        #expect(outcome.recommendation.profile.measures == "Maßnahmen von B")
        #expect(outcome.mergedOnto == 4 && outcome.recommendation.revision == 5)
    }

    @Test("Others changed the same section differently: a conflict naming the section, nothing taken")
    func conflictSameSection() {
        let base = Self.complete()
        var theirs = base
        theirs.goals = "Ziele von B"
        let current = Self.recommendation(theirs, revision: 4)
        #expect {
            try save([.goals: { $0.goals = "Ziele von A" }, .timeline: { $0.timeline = "2028" }], onto: current, base: base, baseRevision: 3)
        } throws: { error in
            let e = error as! DomainError
            return e.code == "recommendation.editConflict" && e.kind == .conflict && e.fields.map(\.field) == ["goals"]
        }
    }

    @Test("Both wrote the same text, or I sent a section unchanged: no conflict")
    func sameTextNoConflict() throws {
        let base = Self.complete()
        var theirs = base
        theirs.goals = "Gleich"
        let current = Self.recommendation(theirs, revision: 4)
        #expect(try save([.goals: { $0.goals = "Gleich" }], onto: current, base: base, baseRevision: 3) == nil)
        // Sending the base text of a section others changed keeps theirs.
        #expect(try save([.goals: { _ in }], onto: current, base: base, baseRevision: 3) == nil)
    }

    @Test("A save withdraws the sign-offs of the previous revision")
    func saveWithdrawsSignOffs() throws {
        let current = Self.recommendation()
        let signOff = SignOff(recommendationID: current.id, capacity: .coordinator, userID: Self.coordinator.userID!, revision: 3, at: Self.now)
        let outcome = try #require(try save([.title: { $0.title = "Neuer Titel" }], onto: current, base: current.profile, baseRevision: 3,
                                            signOffs: [signOff]))
        #expect(outcome.withdrawnSignOffs == [signOff])
        #expect(outcome.events.contains(.signOffsWithdrawn(outcome.recommendation)))
    }

    @Test("Validation: title length, unknown fields, figures, budget years, control characters", arguments: [
        "title", "policyFieldIds[0]", "resources.personnelFTE", "resources.moneyEuroPerYear", "budgetYears", "goals", "measures", "indicators[0].name",
    ])
    func validation(field: String) {
        var p = Self.complete()
        switch field {
        case "title": p.title = "ab"
        case "policyFieldIds[0]": p.policyFieldIDs = [PolicyFieldID(UUID())]
        case "resources.personnelFTE": p.resources.personnelFTE = -1
        case "resources.moneyEuroPerYear": p.resources.moneyEuroPerYear = -5
        case "budgetYears": p.budgetYears = [2026, 2028]
        case "goals": p.goals = "a\u{0007}b"
        case "measures": p.measures = String(repeating: "x", count: 20_001)
        default: p.indicators = [IndicatorSpec(name: "", unit: "", baseline: nil, target: nil, direction: .increase, source: "")]
        }
        #expect(RecommendationRules.validate(Self.complete(), knownPolicyFields: [Self.field]).isEmpty)
        #expect(RecommendationRules.validate(RecommendationRules.normalized(p), knownPolicyFields: [Self.field]).map(\.field).contains(field))
    }

    @Test("Completeness: the complete profile passes; an empty one names every missing section")
    func completeness() {
        #expect(RecommendationRules.completenessIssues(Self.complete()).isEmpty)
        let missing = Set(RecommendationRules.completenessIssues(RecommendationProfile(title: "Nur ein Titel")).map(\.field))
        #expect(missing == ["policyFieldIds", "situation", "dataBasis", "goals", "measures", "targetGroups", "responsibleBody", "resources",
                            "budgetYears", "impactKinds", "indicators", "timeline"])
    }

    // MARK: Sign-off

    static func membership(_ actor: Principal, _ role: WorkspaceRole, _ org: OrganizationID? = nil) -> Membership {
        Membership(workspaceID: wsID, userID: actor.userID!, role: role, organizationID: org)
    }

    @Test("Required sign-offs: the coordinator; in a planning team every participating municipality too")
    func required() {
        #expect(SignOffRules.required(kind: .focusGroup, participatingMunicipalities: [Self.north]) == [.coordinator])
        let team = SignOffRules.required(kind: .planningTeam, participatingMunicipalities: [Self.north, Self.south])
        #expect(team.count == 3 && team.first == .coordinator && Set(team) == [.coordinator, .municipality(Self.north), .municipality(Self.south)])
    }

    @Test("Who may sign in which capacity", arguments: [
        (coordinator, WorkspaceRole.coordinator, nil as OrganizationID?, SignOffCapacity.coordinator, true),
        (member, .member, nil, .coordinator, false),
        (member, .member, north, .municipality(north), true),
        (member, .member, north, .municipality(south), false),
        (observer, .observer, north, .municipality(north), false),
    ])
    func capacity(actor: Principal, role: WorkspaceRole, org: OrganizationID?, capacity: SignOffCapacity, allowed: Bool) {
        let result = Result { () throws(DomainError) in
            try SignOffRules.signOff(Self.recommendation(), capacity: capacity, revision: 3, in: Self.workspace(.planningTeam), by: actor,
                                     membership: Self.membership(actor, role, org), participatingMunicipalities: [Self.north, Self.south],
                                     existing: [], now: Self.now, today: Self.today)
        }
        #expect(((try? result.get()) != nil) == allowed)
    }

    @Test("Sign-off needs the revision the signer read, and a complete profile")
    func signOffChecks() {
        let member = Self.membership(Self.coordinator, .coordinator)
        #expect { try SignOffRules.signOff(Self.recommendation(), capacity: .coordinator, revision: 2, in: Self.workspace(), by: Self.coordinator,
                                           membership: member, participatingMunicipalities: [], existing: [], now: Self.now, today: Self.today)
        } throws: { ($0 as! DomainError).code == "version.conflict" }
        #expect { try SignOffRules.signOff(Self.recommendation(RecommendationProfile(title: "Unfertig")), capacity: .coordinator, revision: 3,
                                           in: Self.workspace(), by: Self.coordinator, membership: member, participatingMunicipalities: [],
                                           existing: [], now: Self.now, today: Self.today)
        } throws: { ($0 as! DomainError).code == "recommendation.incomplete" }
    }

    @Test("In a planning team the draft is complete only when the coordinator and every municipality have signed this revision")
    func planningTeamCompletes() throws {
        let r = Self.recommendation()
        let ws = Self.workspace(.planningTeam)
        let municipalities: Set<OrganizationID> = [Self.north, Self.south]
        let stale = SignOff(recommendationID: r.id, capacity: .municipality(Self.south), userID: UserID(UUID()), revision: 2, at: Self.now)
        let (coord, c1, _) = try SignOffRules.signOff(r, capacity: .coordinator, revision: 3, in: ws, by: Self.coordinator,
                                                      membership: Self.membership(Self.coordinator, .coordinator), participatingMunicipalities: municipalities,
                                                      existing: [stale], now: Self.now, today: Self.today)
        #expect(!c1)
        let (north, c2, _) = try SignOffRules.signOff(r, capacity: .municipality(Self.north), revision: 3, in: ws, by: Self.member,
                                                      membership: Self.membership(Self.member, .member, Self.north),
                                                      participatingMunicipalities: municipalities, existing: [stale, coord], now: Self.now, today: Self.today)
        #expect(!c2, "the south's sign-off was for an older revision")
        let southSigner = Principal(userID: UserID(UUID()), displayName: "S", isAdmin: false, memberships: [Self.wsID: .member])
        let (_, c3, _) = try SignOffRules.signOff(r, capacity: .municipality(Self.south), revision: 3, in: ws, by: southSigner,
                                                  membership: Self.membership(southSigner, .member, Self.south),
                                                  participatingMunicipalities: municipalities, existing: [stale, coord, north], now: Self.now, today: Self.today)
        #expect(c3)
    }

    @Test("Finishing freezes the draft and copies the text into a catalogue entry with its reference")
    func finish() throws {
        let r = Self.recommendation()
        let (finished, entry, events) = SignOffRules.finish(r, reference: CatalogueReference(year: 2026, number: 14), workspaceName: "Integration", now: Self.now)
        #expect(finished.status == .finished && finished.reference == "HE-2026-014")
        #expect(entry.profile == r.profile && entry.revision == 3 && entry.status == .submitted)
        #expect(events.map(\.name) == ["recommendation.finished", "catalogue.entryAdded"])
        #expect(throws: DomainError.self) {
            try RecommendationRules.save(ProfilePatch(content: r.profile, sections: [.title]), onto: finished, baseRevision: 3, base: r.profile,
                                         in: Self.workspace(), by: Self.member, organization: nil, signOffs: [], knownPolicyFields: [Self.field],
                                         now: Self.now, today: Self.today)
        }
    }

    @Test("Catalogue references: format, parse, order", arguments: [
        ("HE-2026-014", 2026, 14), ("HE-2023-001", 2023, 1), ("HE-2030-1234", 2030, 1234),
    ])
    func references(text: String, year: Int, number: Int) {
        let reference = CatalogueReference(year: year, number: number)
        #expect(reference.description == text && CatalogueReference(text) == reference)
    }

    @Test("Malformed references do not parse", arguments: ["HE-26-014", "XX-2026-014", "HE-2026-14", "HE-2026-000", "HE-2026-01a", "", "HE-2026-٠١٤"])
    func badReferences(text: String) { #expect(CatalogueReference(text) == nil) }

    // MARK: Rating

    static func entry(year: Int = 2026) -> CatalogueEntry {
        CatalogueEntry(reference: CatalogueReference(year: year, number: 1), recommendationID: RecommendationID(UUID()), workspaceID: wsID,
                       workspaceName: "Integration", revision: 3, profile: complete(), finishedAt: now, consensus: nil)
    }

    static let round = RatingRound(year: 2026, opensOn: LocalDate("2026-11-01")!, closesOn: LocalDate("2026-11-30")!, version: 1)

    @Test("Rating: only steering-group members, only while the year's round is open, with a justification", arguments: [
        (steering, round, today, "Wichtig für die Steuerung", nil as String?),
        (member, round, today, "Wichtig", "rating.steeringOnly"),
        (admin, round, today, "Wichtig", "rating.steeringOnly"),
        (steering, nil, today, "Wichtig", "rating.noRound"),
        (steering, round, LocalDate("2026-12-01")!, "Wichtig", "rating.roundClosed"),
        (steering, round, LocalDate("2026-10-31")!, "Wichtig", "rating.roundClosed"),
        (steering, round, today, "  x ", "validation.failed"),
    ] as [(Principal, RatingRound?, LocalDate, String, String?)])
    func rate(actor: Principal, round: RatingRound?, today: LocalDate, justification: String, refusal: String?) {
        let result = Result { () throws(DomainError) in
            try RatingRules.rate(Self.entry(), round: round, level: .relevant, justification: justification, by: actor, now: Self.now, today: today)
        }
        switch result {
        case .success: #expect(refusal == nil)
        case .failure(let error): #expect(error.code == refusal)
        }
    }

    @Test("The consensus is recorded by the planning staff; less relevant ones stay out of the dossier")
    func consensus() throws {
        let (entry, events) = try RatingRules.setConsensus(Self.entry(), level: .lessRelevant, justification: "Zu früh", by: Self.admin, now: Self.now)
        #expect(entry.status == .rated && entry.consensus?.level.entersDossier == false)
        #expect(events == [.consensusSet(entry)])
        #expect(throws: DomainError.self) {
            try RatingRules.setConsensus(Self.entry(), level: .relevant, justification: "Gut", by: Self.steering, now: Self.now)
        }
    }

    @Test("A round's window must close after it opens; changing it needs its version")
    func rounds() throws {
        #expect(throws: DomainError.self) {
            try RatingRules.setRound(year: 2026, opensOn: LocalDate("2026-05-01")!, closesOn: LocalDate("2026-04-01")!, existing: nil,
                                     expectedVersion: nil, by: Self.admin)
        }
        #expect(throws: DomainError.self) {
            try RatingRules.setRound(year: 2026, opensOn: Self.round.opensOn, closesOn: Self.round.closesOn, existing: Self.round,
                                     expectedVersion: nil, by: Self.admin)
        }
        let (next, _) = try RatingRules.setRound(year: 2026, opensOn: Self.round.opensOn, closesOn: LocalDate("2026-12-15")!, existing: Self.round,
                                                 expectedVersion: 1, by: Self.admin)
        #expect(next.version == 2)
        #expect(RatingRules.tally([]) == [.highlyRelevant: 0, .relevant: 0, .lessRelevant: 0])
    }
}

@Suite("Text: word diff and similarity")
struct TextTests {
    @Test("Joining the runs gives back both texts", arguments: [
        ("Die Kinder lernen Deutsch.", "Die Kinder lernen früh Deutsch!"),
        ("", "Neu"), ("Alt", ""), ("gleich", "gleich"), ("a b c d", "d c b a"), ("Zeile 1\nZeile 2", "Zeile 1\nZeile 2 ergänzt\nZeile 3"),
    ])
    func diffRoundTrip(old: String, new: String) {
        let runs = TextDiff.words(from: old, to: new)
        #expect(runs.filter { $0.op != .insert }.map(\.text).joined() == old)
        #expect(runs.filter { $0.op != .delete }.map(\.text).joined() == new)
        for (a, b) in zip(runs, runs.dropFirst()) { #expect(a.op != b.op, "adjacent runs of the same kind are joined") }
    }

    @Test("A changed word shows as one deletion and one insertion, words are never split")
    func diffWords() {
        #expect(TextDiff.words(from: "Die Kinder lernen", to: "Die Jugendlichen lernen") == [
            .init(.equal, "Die "), .init(.delete, "Kinder"), .init(.insert, "Jugendlichen"), .init(.equal, " lernen"),
        ])
    }

    @Test("Very large different texts fall back to replace-all instead of a huge table")
    func diffBounded() {
        let a = (0..<3000).map { "a\($0)" }.joined(separator: " ")
        let b = (0..<3000).map { "b\($0)" }.joined(separator: " ")
        let runs = TextDiff.words(from: a, to: b)
        #expect(runs.count == 2 && runs[0].op == .delete && runs[1].op == .insert)
    }

    @Test("Similarity ranks drafts on the same theme first, ignores unrelated ones, and is deterministic")
    func similarity() {
        let candidates: [(String, String)] = [
            ("pflege", "Ausbildung Pflegeassistenz: Fahrtkosten im ÖPNV für Auszubildende übernehmen"),
            ("kita", "Sprachförderung in Kindertageseinrichtungen: Sprachstand der Kinder früh erheben"),
            ("wohnen", "Bezahlbarer Wohnraum für Senioren in den Gemeinden"),
            ("rucksack", "Rucksack Kita: Elternbildung und Sprachförderung für Kinder in Kitas ausweiten"),
        ]
        let query = "Sprachstandserhebung bei Kindern in Kitas und Sprachförderung"
        let first = Similarity.rank(query, among: candidates)
        #expect(first.map(\.id).prefix(2).sorted() == ["kita", "rucksack"])
        #expect(!first.map(\.id).contains("wohnen"))
        #expect(first.allSatisfy { $0.score > 0 && $0.score <= 1 })
        #expect(Similarity.rank(query, among: candidates) == first)
        #expect(Similarity.rank("und der die", among: candidates).isEmpty)
    }
}

@Suite("Decision tracking and implementation reports")
struct ImplementationRulesTests {
    static let now = Date(timeIntervalSince1970: 1_790_000_000)
    static let today = LocalDate(year: 2026, month: 11, day: 22)!
    static let entry = RecommendationRulesTests.entry(year: 2025)
    static let ref = entry.reference

    static func decision(_ outcome: DecisionOutcome, _ day: String) -> CouncilDecision {
        CouncilDecision(id: DecisionID(UUID()), reference: ref, decidedOn: LocalDate(day)!, body: "Kreistag", outcome: outcome, note: "",
                        recordedBy: UserID(UUID()), recordedAt: now)
    }

    static func report(_ status: ImplementationStatus, _ day: String) -> ImplementationReport {
        ImplementationReport(id: ReportID(UUID()), reference: ref, reportedOn: LocalDate(day)!, status: status, values: [], note: "",
                             authorID: UserID(UUID()), at: now)
    }

    @Test("Day arithmetic agrees with the calendar across months, leap years and the epoch", arguments: [
        ("1970-01-01", 0), ("2024-02-28", 19_781), ("2024-02-29", 19_782), ("2024-03-01", 19_783), ("2026-11-22", 20_779), ("1969-12-31", -1),
    ])
    func days(text: String, number: Int) {
        let day = LocalDate(text)!
        #expect(day.dayNumber == number && LocalDate(dayNumber: number) == day)
        #expect(day.adding(days: 365).adding(days: -365) == day)
    }

    @Test("Status: the latest report, else the latest decision, else the rating", arguments: [
        ([], [], TrackingStatus.submitted),
        ([decision(.adopted, "2025-09-28")], [], .adopted),
        ([decision(.deferred, "2025-06-01"), decision(.rejected, "2025-09-28")], [], .rejected),
        ([decision(.adopted, "2025-09-28")], [report(.inProgress, "2026-01-10")], .inImplementation),
        ([decision(.adopted, "2025-09-28")], [report(.inProgress, "2026-01-10"), report(.implemented, "2026-06-30")], .implemented),
        ([decision(.amended, "2025-09-28")], [report(.notStarted, "2026-01-10")], .adopted),
    ] as [([CouncilDecision], [ImplementationReport], TrackingStatus)])
    func status(decisions: [CouncilDecision], reports: [ImplementationReport], expected: TrackingStatus) {
        #expect(ImplementationRules.status(of: Self.entry, decisions: decisions, reports: reports) == expected)
    }

    @Test("A report is due a year after the adopting decision or the last report; not before adoption, not once done")
    func due() {
        #expect(ImplementationRules.reportDue(decisions: [], reports: []) == nil)
        #expect(ImplementationRules.reportDue(decisions: [Self.decision(.rejected, "2025-09-28")], reports: []) == nil)
        #expect(ImplementationRules.reportDue(decisions: [Self.decision(.adopted, "2025-09-28")], reports: []) == LocalDate("2026-09-28"))
        #expect(ImplementationRules.reportDue(decisions: [Self.decision(.adopted, "2025-09-28")], reports: [Self.report(.inProgress, "2026-03-01")])
                == LocalDate("2027-03-01"))
        #expect(ImplementationRules.reportDue(decisions: [Self.decision(.adopted, "2025-09-28")], reports: [Self.report(.implemented, "2026-03-01")]) == nil)
    }

    @Test("Decisions are recorded by the planning staff; reports by the authoring workspace; values name real indicators")
    func who() throws {
        let admin = RecommendationRulesTests.admin, member = RecommendationRulesTests.member, outsider = RecommendationRulesTests.outsider
        #expect(throws: DomainError.self) {
            try ImplementationRules.recordDecision(Self.entry, id: DecisionID(UUID()), decidedOn: Self.today, body: "Kreistag", outcome: .adopted,
                                                   note: "", by: member, now: Self.now, today: Self.today)
        }
        #expect(throws: DomainError.self) {
            try ImplementationRules.recordDecision(Self.entry, id: DecisionID(UUID()), decidedOn: Self.today.adding(days: 1), body: "Kreistag",
                                                   outcome: .adopted, note: "", by: admin, now: Self.now, today: Self.today)
        }
        let (decision, events) = try ImplementationRules.recordDecision(Self.entry, id: DecisionID(UUID()), decidedOn: Self.today, body: "  Sozial-  ausschuss ",
                                                                        outcome: .adopted, note: "", by: admin, now: Self.now, today: Self.today)
        #expect(decision.body == "Sozial- ausschuss" && events == [.decisionRecorded(decision)])
        let (report, _) = try ImplementationRules.report(Self.entry, id: ReportID(UUID()), reportedOn: Self.today, status: .inProgress,
                                                         values: [IndicatorValue(indicator: 0, value: 120)], note: "", by: member, now: Self.now, today: Self.today)
        #expect(report.values == [IndicatorValue(indicator: 0, value: 120)])
        #expect(throws: DomainError.self) {
            try ImplementationRules.report(Self.entry, id: ReportID(UUID()), reportedOn: Self.today, status: .inProgress, values: [], note: "",
                                           by: outsider, now: Self.now, today: Self.today)
        }
        #expect { try ImplementationRules.report(Self.entry, id: ReportID(UUID()), reportedOn: Self.today, status: .inProgress,
                                                 values: [IndicatorValue(indicator: 3, value: 1)], note: "", by: member, now: Self.now, today: Self.today)
        } throws: { ($0 as! DomainError).fields.map(\.field) == ["values[0].indicator"] }
    }
}

@Suite("Comments and suggestions")
struct CommentRulesTests {
    typealias R = RecommendationRulesTests
    static let now = R.now

    @Test("Who comments and who suggests", arguments: [
        (R.member, false, true), (R.observer, false, true), (R.observer, true, false), (R.member, true, true), (R.outsider, false, false),
    ])
    func who(actor: Principal, suggest: Bool, allowed: Bool) {
        let result = Result { () throws(DomainError) in
            try CommentRules.add(to: R.recommendation(), id: CommentID(UUID()), section: .goals, body: "Gut", suggestion: suggest ? "Neue Ziele" : nil,
                                 baseRevision: 3, by: actor, now: Self.now)
        }
        #expect(((try? result.get()) != nil) == allowed)
    }

    @Test("Suggestions only for text sections; empty comments are refused")
    func validation() {
        #expect(throws: DomainError.self) {
            try CommentRules.add(to: R.recommendation(), id: CommentID(UUID()), section: .resources, body: "", suggestion: "x", baseRevision: 3,
                                 by: R.member, now: Self.now)
        }
        #expect(throws: DomainError.self) {
            try CommentRules.add(to: R.recommendation(), id: CommentID(UUID()), section: nil, body: "   ", suggestion: nil, baseRevision: 3,
                                 by: R.member, now: Self.now)
        }
    }

    @Test("Accepting a suggestion yields a patch of its section; only the lead decides; an outdated one conflicts when saved")
    func accept() throws {
        let r = R.recommendation()
        let (suggestion, _) = try CommentRules.add(to: r, id: CommentID(UUID()), section: .goals, body: "", suggestion: "Ziele neu", baseRevision: 3,
                                                   by: R.member, now: Self.now)
        #expect(throws: DomainError.self) { try CommentRules.decide(suggestion, accept: true, of: r, by: R.member, now: Self.now) }
        let (accepted, patch, _) = try CommentRules.decide(suggestion, accept: true, of: r, by: R.coordinator, now: Self.now)
        #expect(accepted.state == .accepted && patch?.sections == [.goals] && patch?.content.goals == "Ziele neu")
        var moved = r
        moved.profile.goals = "Inzwischen geändert"
        moved.revision = 4
        #expect {
            try RecommendationRules.save(patch!, onto: moved, baseRevision: 3, base: r.profile, in: R.workspace(), by: R.coordinator, organization: nil,
                                         signOffs: [], knownPolicyFields: [R.field], now: Self.now, today: R.today)
        } throws: { ($0 as! DomainError).code == "recommendation.editConflict" }
        #expect(throws: DomainError.self) { try CommentRules.decide(accepted, accept: false, of: r, by: R.coordinator, now: Self.now) }
    }
}

@Suite("HTML escaping for server documents")
struct EscapeHTMLTests {
    @Test("The five characters are escaped, NUL becomes the replacement character, everything else stays")
    func escapes() {
        #expect(Markdown.escapeHTML("<a href=\"x\">Müller & Söhne's</a>\u{0}✓") ==
                "&lt;a href=&quot;x&quot;&gt;Müller &amp; Söhne&#39;s&lt;/a&gt;\u{FFFD}✓")
        #expect(Markdown.escapeHTML("") == "")
    }
}
