import Foundation
import HubCore
import Testing

@Suite("Workspace lifecycle")
struct WorkspaceRulesTests {
    static let now = Date(timeIntervalSince1970: 1_790_000_000)
    static let today = LocalDate(year: 2026, month: 11, day: 22)!
    static let field = PolicyFieldID(UUID())
    static let wsID = WorkspaceID(UUID())
    static let admin = Principal(userID: UserID(UUID()), displayName: "A", isAdmin: true, memberships: [:])
    static let coordinator = Principal(userID: UserID(UUID()), displayName: "C", isAdmin: false, memberships: [wsID: .coordinator])
    static let member = Principal(userID: UserID(UUID()), displayName: "M", isAdmin: false, memberships: [wsID: .member])
    static let observer = Principal(userID: UserID(UUID()), displayName: "O", isAdmin: false, memberships: [wsID: .observer])
    static let outsider = Principal(userID: UserID(UUID()), displayName: "X", isAdmin: false, memberships: [:])

    func draft(_ kind: WorkspaceKind = .focusGroup, name: String = "Fachbeirat Sucht", endsOn: LocalDate? = nil, fields: [PolicyFieldID] = [field]) -> WorkspaceDraft {
        WorkspaceDraft(kind: kind, name: name, description: "  Beschreibung  ", policyFieldIDs: fields, endsOn: endsOn)
    }

    func workspace(archived: Bool = false, kind: WorkspaceKind = .focusGroup, endsOn: LocalDate? = nil) -> Workspace {
        Workspace(id: Self.wsID, kind: kind, name: "Inklusion", description: "", policyFieldIDs: [], endsOn: endsOn,
                  archived: archived, createdAt: Self.now, updatedAt: Self.now, version: 3)
    }

    @Test("Only administrators create workspaces", arguments: [
        (admin, true), (coordinator, false), (member, false), (outsider, false), (Principal.anonymous, false),
    ])
    func createPermission(actor: Principal, allowed: Bool) {
        let result = Result { () throws(DomainError) in
            try WorkspaceRules.create(draft(), id: Self.wsID, by: actor, knownPolicyFields: [Self.field], now: Self.now)
        }
        #expect(((try? result.get()) != nil) == allowed)
        if !allowed, case .failure(let error) = result {
            #expect(error.kind == (actor.isSignedIn ? .forbidden : .unauthenticated))
        }
    }

    @Test("Creating normalizes the name, trims the description, starts at version 1 and emits workspace.created")
    func createNormalizes() throws {
        let (w, events) = try WorkspaceRules.create(draft(name: "  AK   Gemeindenahe\tPsychiatrie "), id: Self.wsID, by: Self.admin,
                                                    knownPolicyFields: [Self.field], now: Self.now)
        #expect(w.name == "AK Gemeindenahe Psychiatrie")
        #expect(w.description == "Beschreibung")
        #expect(w.version == 1)
        #expect(events == [.workspaceCreated(w)])
        #expect(events[0].topics == [.directory, .workspace(Self.wsID)])
    }

    @Test("Validation reports every problem with its field", arguments: [
        (WorkspaceDraft(kind: .focusGroup, name: "ab", description: "", policyFieldIDs: [], endsOn: nil), ["name:tooShort"]),
        (WorkspaceDraft(kind: .taskForce, name: "Task Force", description: "", policyFieldIDs: [], endsOn: nil), ["endsOn:required"]),
        (WorkspaceDraft(kind: .focusGroup, name: "Gruppe", description: "", policyFieldIDs: [], endsOn: LocalDate("2027-01-01")), ["endsOn:notAllowed"]),
        (WorkspaceDraft(kind: .planningTeam, name: String(repeating: "x", count: 121), description: String(repeating: "y", count: 4001),
                        policyFieldIDs: [PolicyFieldID(UUID())], endsOn: nil),
         ["name:tooLong", "description:tooLong", "policyFieldIds[0]:unknown"]),
        (WorkspaceDraft(kind: .focusGroup, name: "Gruppe\u{0007}", description: "", policyFieldIDs: [], endsOn: nil), ["name:invalidCharacters"]),
    ])
    func validation(input: WorkspaceDraft, expected: [String]) {
        #expect(throws: DomainError.self) {
            try WorkspaceRules.create(input, id: Self.wsID, by: Self.admin, knownPolicyFields: [Self.field], now: Self.now)
        }
        do {
            _ = try WorkspaceRules.create(input, id: Self.wsID, by: Self.admin, knownPolicyFields: [Self.field], now: Self.now)
        } catch {
            #expect(error.code == "validation.failed")
            #expect(error.fields.map { "\($0.field):\($0.code)" } == expected)
        }
    }

    @Test("A new task force cannot end in the past")
    func endDateInPast() {
        let yesterday = LocalDate("2026-09-20")!
        #expect(LocalDate.berlin(Self.now) == LocalDate("2026-09-21"))
        do {
            _ = try WorkspaceRules.create(draft(.taskForce, endsOn: yesterday), id: Self.wsID, by: Self.admin, knownPolicyFields: [Self.field], now: Self.now)
            Issue.record("accepted an end date in the past")
        } catch {
            #expect(error.fields.map(\.code) == ["inPast"])
        }
        #expect((try? WorkspaceRules.create(draft(.taskForce, endsOn: LocalDate("2026-09-21")), id: Self.wsID, by: Self.admin,
                                            knownPolicyFields: [Self.field], now: Self.now)) != nil, "ending today is fine")
    }

    @Test("Who may edit a workspace", arguments: [
        (admin, true), (coordinator, true), (member, false), (observer, false), (outsider, false),
    ])
    func editPermission(actor: Principal, allowed: Bool) {
        let result = Result { () throws(DomainError) in
            try WorkspaceRules.update(workspace(), with: WorkspacePatch(name: "Inklusion und Teilhabe"), expectedVersion: 3, by: actor,
                                      knownPolicyFields: [], now: Self.now, today: Self.today)
        }
        switch result {
        case .success(let (w, events)):
            #expect(allowed)
            #expect(w.version == 4 && w.name == "Inklusion und Teilhabe" && w.updatedAt == Self.now)
            #expect(events == [.workspaceUpdated(w)])
        case .failure(let error):
            #expect(!allowed)
            #expect(error.kind == .forbidden)
        }
    }

    @Test("A stale version is a conflict, never a silent overwrite")
    func staleVersion() {
        #expect(throws: DomainError.versionConflict) {
            try WorkspaceRules.update(workspace(), with: WorkspacePatch(name: "Neu"), expectedVersion: 2, by: Self.admin,
                                      knownPolicyFields: [], now: Self.now, today: Self.today)
        }
    }

    @Test("An unchanged patch emits nothing and keeps the version")
    func noOpPatch() throws {
        let (w, events) = try WorkspaceRules.update(workspace(), with: WorkspacePatch(name: " Inklusion "), expectedVersion: 3, by: Self.admin,
                                                    knownPolicyFields: [], now: Self.now, today: Self.today)
        #expect(events.isEmpty && w.version == 3)
    }

    @Test("Archived workspaces and ended task forces are read-only")
    func readOnly() {
        #expect(throws: DomainError(.invalidTransition, code: "workspace.archived", message: "The workspace is archived and read-only.")) {
            try WorkspaceRules.update(workspace(archived: true), with: WorkspacePatch(name: "Neu"), expectedVersion: 3, by: Self.admin,
                                      knownPolicyFields: [], now: Self.now, today: Self.today)
        }
        let ended = workspace(kind: .taskForce, endsOn: LocalDate("2026-11-21"))
        #expect(ended.hasEnded(on: Self.today))
        #expect(!workspace(kind: .taskForce, endsOn: Self.today).hasEnded(on: Self.today))
        #expect(throws: DomainError.self) {
            try WorkspaceRules.update(ended, with: WorkspacePatch(name: "Neu"), expectedVersion: 3, by: Self.admin,
                                      knownPolicyFields: [], now: Self.now, today: Self.today)
        }
    }

    @Test("Archive and restore: transitions, version and events")
    func archiveRestore() throws {
        let (archived, events) = try WorkspaceRules.setArchived(true, workspace(), expectedVersion: 3, by: Self.admin, now: Self.now)
        #expect(archived.archived && archived.version == 4 && events == [.workspaceArchived(archived)])
        #expect(throws: DomainError.self) { try WorkspaceRules.setArchived(true, archived, expectedVersion: 4, by: Self.admin, now: Self.now) }
        let (restored, restoreEvents) = try WorkspaceRules.setArchived(false, archived, expectedVersion: 4, by: Self.admin, now: Self.now)
        #expect(!restored.archived && restored.version == 5 && restoreEvents == [.workspaceRestored(restored)])
        #expect(throws: DomainError.forbidden) { try WorkspaceRules.setArchived(true, workspace(), expectedVersion: 3, by: Self.coordinator, now: Self.now) }
    }
}
