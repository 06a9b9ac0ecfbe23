import Foundation
import HubCore

/// A realistic demo data set drawn from the district's documents (seeds): the eleven policy
/// fields, standing focus groups, a task force and a municipal planning team, and three demo
/// accounts. No personal names from the seeds are used.
public enum DemoData {
    public struct Account: Sendable {
        public let email: String
        public let password: String
        public let displayName: String
        public let isAdmin: Bool
        public var isSteering = false
    }

    /// Demo-only credentials, documented in the README. `serve --demo` refuses to load them
    /// into a store that already has users.
    public static let accounts: [Account] = [
        Account(email: "admin@roundtable.example", password: "demo-admin-passwort", displayName: "Stabsstelle Sozialplanung (Demo)", isAdmin: true),
        Account(email: "koordination@roundtable.example", password: "demo-koordination", displayName: "Koordination Fokusgruppe (Demo)", isAdmin: false),
        Account(email: "mitglied@roundtable.example", password: "demo-mitglied", displayName: "Mitglied Fokusgruppe (Demo)", isAdmin: false),
        Account(email: "steuerung@roundtable.example", password: "demo-steuerung", displayName: "Steuerungsgruppe (Demo)", isAdmin: false,
                isSteering: true),
    ]

    /// key, German name, English name, prioritised years.
    public static let policyFields: [(String, String, String, [Int])] = [
        ("social-infrastructure", "Soziale Infrastruktur", "Social infrastructure", []),
        ("mobility", "Mobilität", "Mobility", [2023]),
        ("life-leisure", "Leben und Freizeit", "Life and leisure", []),
        ("health", "Gesundheit", "Health", []),
        ("medical-care-nursing", "Medizinische Versorgung und Pflege", "Medical care and nursing", [2023]),
        ("housing", "Wohnen", "Housing", [2023]),
        ("poverty", "Armut", "Poverty", []),
        ("education", "Bildung", "Education", [2023]),
        ("work", "Arbeit", "Work", [2023]),
        ("integration", "Integration", "Integration", []),
        ("inclusion", "Inklusion", "Inclusion", []),
    ]

    /// name, kind, description, policy field keys, end date.
    public static let workspaces: [(String, WorkspaceKind, String, [String], String?)] = [
        ("AK Gemeindenahe Psychiatrie", .focusGroup, "Arbeitskreis zur gemeindenahen psychiatrischen Versorgung im Kreis.", ["health", "medical-care-nursing"], nil),
        ("Fachbeirat Sucht", .focusGroup, "Fachbeirat für Suchtprävention und Suchthilfe.", ["health"], nil),
        ("AG §78 Hilfen zur Erziehung", .focusGroup, "Arbeitsgemeinschaft nach §78 SGB VIII zu den Hilfen zur Erziehung.", ["education", "poverty"], nil),
        ("Inklusion", .focusGroup, "Fokusgruppe Inklusion: Teilhabe von Menschen mit Behinderungen.", ["inclusion"], nil),
        ("Teilhabe", .focusGroup, "Fokusgruppe Teilhabe: Armut und soziale Teilhabe.", ["poverty", "life-leisure"], nil),
        ("Altenhilfe und Pflege", .focusGroup, "Fokusgruppe Altenhilfe und Pflege.", ["medical-care-nursing", "housing"], nil),
        ("Integration", .focusGroup, "Fokusgruppe Integration: Sprachförderung, Ämterlotsen, Rucksack Kita.", ["integration", "education"], nil),
        ("Task Force Fachkräftegewinnung", .taskForce, "Temporäre Expertengruppe mit Agentur für Arbeit und Jobcenter.", ["work"], "2027-06-30"),
        ("Planungsteam Interkommunale Zusammenarbeit", .planningTeam, "Kreis und Kommunen planen gemeinsam: Zweckverband Soziales.", ["social-infrastructure", "mobility"], nil),
    ]

    /// Loads the demo set into an empty store (no users yet). Returns false when the store
    /// already has users, so demo data never mixes with real data.
    public static func load(into deps: ServiceDependencies, hasher: any PasswordHasher) async throws -> Bool {
        guard try await deps.store.userCount() == 0 else { return false }
        let now = deps.clock.now()
        var changes: [Change] = []
        var userIDs: [UserID] = []
        for account in accounts {
            let user = User(id: UserID(deps.ids.uuid()), email: account.email, displayName: account.displayName, isAdmin: account.isAdmin,
                            isSteering: account.isSteering)
            userIDs.append(user.id)
            changes.append(.insertUser(user, passwordHash: try await hasher.hash(account.password)))
        }
        try await ensurePolicyFields(deps)
        var fieldIDs: [String: PolicyFieldID] = [:]
        for field in try await deps.store.policyFields().value { fieldIDs[field.key] = field.id }
        // Organizations members speak for (kinds as in the district's structures; generic names).
        let district = Organization(id: OrganizationID(deps.ids.uuid()), name: "Kreisverwaltung", kind: .district)
        let agency = Organization(id: OrganizationID(deps.ids.uuid()), name: "Freier Träger der Wohlfahrtspflege", kind: .agency)
        let municipalities = ["Stadt Nordheim", "Gemeinde Südtal"].map { Organization(id: OrganizationID(deps.ids.uuid()), name: $0, kind: .municipality) }
        let council = Organization(id: OrganizationID(deps.ids.uuid()), name: "Seniorenbeirat", kind: .council)
        changes += ([district, agency, council] + municipalities).map { Change.insertOrganization($0) }
        var events: [DomainEvent] = []
        var byName: [String: Workspace] = [:]
        for (name, kind, description, keys, ends) in workspaces {
            let workspace = Workspace(
                id: WorkspaceID(deps.ids.uuid()), kind: kind, name: name, description: description,
                policyFieldIDs: keys.compactMap { fieldIDs[$0] }, endsOn: ends.flatMap(LocalDate.init),
                archived: false, createdAt: now, updatedAt: now, version: 1)
            changes.append(.insertWorkspace(workspace))
            events.append(.workspaceCreated(workspace))
            byName[name] = workspace
            // The demo coordinator runs every focus group; the demo member takes part in two.
            changes.append(.upsertMembership(Membership(workspaceID: workspace.id, userID: userIDs[1], role: .coordinator, organizationID: district.id)))
            if name == "Integration" || name == "Inklusion" {
                changes.append(.upsertMembership(Membership(workspaceID: workspace.id, userID: userIDs[2], role: .member, organizationID: agency.id)))
            }
            // In the planning team the demo member speaks for a municipality, whose sign-off is then needed too.
            if kind == .planningTeam {
                changes.append(.upsertMembership(Membership(workspaceID: workspace.id, userID: userIDs[2], role: .member,
                                                            organizationID: municipalities[0].id)))
            }
        }
        let (recommendationChanges, recommendationEvents) = DemoRecommendations.changes(
            deps: deps, workspaces: byName, fields: fieldIDs, coordinator: userIDs[1], member: userIDs[2], admin: userIDs[0], organization: district.id)
        changes += recommendationChanges
        events += recommendationEvents
        for case .recommendation(.insert(let draft, _)) in recommendationChanges where draft.profile.title == DemoPanels.title {
            let (panelChanges, panelEvents) = DemoPanels.changes(deps: deps, workspace: draft.workspaceID, recommendation: draft, coordinator: userIDs[1])
            changes += panelChanges
            events += panelEvents
        }
        changes += try DemoBarcamp.changes(deps: deps, coordinator: userIDs[1], member: userIDs[2], admin: userIDs[0])
        changes += try DemoLeanCoffee.changes(deps: deps, workspace: byName["Integration"], coordinator: userIDs[1], member: userIDs[2], admin: userIDs[0])
        if let integration = byName["Integration"] {
            changes += DemoMeetings.changes(deps: deps, integration: integration, admin: userIDs[0], coordinator: userIDs[1], member: userIDs[2])
        }
        try await deps.commit(ChangeSet(changes: changes, events: EventEncoding.newEvents(events)))
        return true
    }

    /// Creates the first administrator of a real installation (`roundtable create-admin`).
    public static func createAdmin(email: String, displayName: String, password: String, into deps: ServiceDependencies, hasher: any PasswordHasher) async throws -> User {
        let email = email.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
        let displayName = displayName.trimmingCharacters(in: .whitespacesAndNewlines)
        var issues: [FieldIssue] = []
        let parts = email.split(separator: "@", omittingEmptySubsequences: false)
        if parts.count != 2 || parts[0].isEmpty || !parts[1].contains(".") || email.contains(where: \.isWhitespace) || email.count > 320 {
            issues.append(FieldIssue(field: "email", code: "invalid", message: "An email address such as planung@kreis.example."))
        }
        if displayName.isEmpty || displayName.count > 120 {
            issues.append(FieldIssue(field: "displayName", code: "invalid", message: "A name of 1 to 120 characters."))
        }
        issues += PasswordPolicy.issues(password, email: email)
        guard issues.isEmpty else { throw DomainError.validation(issues) }
        let user = User(id: UserID(deps.ids.uuid()), email: email, displayName: displayName, isAdmin: true)
        try await deps.commit(ChangeSet(changes: [.insertUser(user, passwordHash: try await hasher.hash(password))]))
        return user
    }

    /// Every installation starts with the eleven policy fields the council decided; the
    /// demo's prioritised years come from the 2023 steering-group minutes.
    public static func ensurePolicyFields(_ deps: ServiceDependencies) async throws {
        guard try await deps.store.policyFields().value.isEmpty else { return }
        let changes: [Change] = policyFields.map { key, de, en, years in
            .insertPolicyField(PolicyField(id: PolicyFieldID(deps.ids.uuid()), key: key, nameDe: de, nameEn: en, prioritisedYears: years, version: 1))
        }
        try await deps.commit(ChangeSet(changes: changes))
    }
}
