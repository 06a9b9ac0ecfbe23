import Foundation

/// The input for creating a workspace, as the client sent it.
public struct WorkspaceDraft: Sendable, Hashable {
    public var kind: WorkspaceKind
    public var name: String
    public var description: String
    public var policyFieldIDs: [PolicyFieldID]
    public var endsOn: LocalDate?

    public init(kind: WorkspaceKind, name: String, description: String, policyFieldIDs: [PolicyFieldID], endsOn: LocalDate?) {
        self.kind = kind
        self.name = name
        self.description = description
        self.policyFieldIDs = policyFieldIDs
        self.endsOn = endsOn
    }
}

/// A partial change to a workspace; `nil` leaves a property as it is. `endsOn` is doubly
/// optional: `.some(nil)` clears the date.
public struct WorkspacePatch: Sendable, Hashable {
    public var name: String?
    public var description: String?
    public var policyFieldIDs: [PolicyFieldID]?
    public var endsOn: LocalDate??

    public init(name: String? = nil, description: String? = nil, policyFieldIDs: [PolicyFieldID]? = nil, endsOn: LocalDate?? = nil) {
        self.name = name
        self.description = description
        self.policyFieldIDs = policyFieldIDs
        self.endsOn = endsOn
    }
}

/// The workspace lifecycle as pure functions: state, actor, input and time in; new state
/// and events out, or a `DomainError`.
public enum WorkspaceRules {
    public static let nameLength = 3...120
    public static let descriptionMaxLength = 4000
    public static let maxPolicyFields = 11

    /// Creates a workspace. `knownPolicyFields` is the set that exists in the district.
    public static func create(
        _ draft: WorkspaceDraft, id: WorkspaceID, by actor: Principal, knownPolicyFields: Set<PolicyFieldID>, now: Date
    ) throws(DomainError) -> (Workspace, [DomainEvent]) {
        guard Permissions.canCreateWorkspace(actor) else { throw actor.adminRefusal }
        let name = normalized(draft.name)
        let description = draft.description.trimmingCharacters(in: .whitespacesAndNewlines)
        let issues = validate(kind: draft.kind, name: name, description: description, policyFieldIDs: draft.policyFieldIDs,
                              endsOn: draft.endsOn, knownPolicyFields: knownPolicyFields)
        var allIssues = issues
        if let endsOn = draft.endsOn, endsOn < LocalDate.berlin(now) {
            allIssues.append(FieldIssue(field: "endsOn", code: "inPast", message: "The end date has already passed."))
        }
        guard allIssues.isEmpty else { throw .validation(allIssues) }
        let workspace = Workspace(
            id: id, kind: draft.kind, name: name, description: description,
            policyFieldIDs: deduplicated(draft.policyFieldIDs), endsOn: draft.endsOn, archived: false,
            createdAt: now, updatedAt: now, version: 1
        )
        return (workspace, [.workspaceCreated(workspace)])
    }

    /// Applies a patch, checking the version the client based it on.
    public static func update(
        _ workspace: Workspace, with patch: WorkspacePatch, expectedVersion: Int, by actor: Principal,
        knownPolicyFields: Set<PolicyFieldID>, now: Date, today: LocalDate
    ) throws(DomainError) -> (Workspace, [DomainEvent]) {
        try requireEditable(workspace, by: actor, today: today)
        guard expectedVersion == workspace.version else { throw .versionConflict }
        var next = workspace
        if let name = patch.name { next.name = normalized(name) }
        if let description = patch.description { next.description = description.trimmingCharacters(in: .whitespacesAndNewlines) }
        if let ids = patch.policyFieldIDs { next.policyFieldIDs = deduplicated(ids) }
        if let endsOn = patch.endsOn { next.endsOn = endsOn }
        let issues = validate(kind: next.kind, name: next.name, description: next.description,
                              policyFieldIDs: patch.policyFieldIDs ?? [], endsOn: next.endsOn,
                              knownPolicyFields: knownPolicyFields)
        guard issues.isEmpty else { throw .validation(issues) }
        guard next != workspace else { return (workspace, []) }
        next.version += 1
        next.updatedAt = now
        return (next, [.workspaceUpdated(next)])
    }

    /// Archives (hides from the default directory, read-only) or restores a workspace.
    public static func setArchived(
        _ archived: Bool, _ workspace: Workspace, expectedVersion: Int, by actor: Principal, now: Date
    ) throws(DomainError) -> (Workspace, [DomainEvent]) {
        guard Permissions.canArchiveWorkspace(actor) else { throw actor.adminRefusal }
        guard expectedVersion == workspace.version else { throw .versionConflict }
        guard workspace.archived != archived else {
            throw DomainError(.invalidTransition, code: archived ? "workspace.alreadyArchived" : "workspace.notArchived",
                              message: archived ? "The workspace is already archived." : "The workspace is not archived.")
        }
        var next = workspace
        next.archived = archived
        next.version += 1
        next.updatedAt = now
        return (next, [archived ? .workspaceArchived(next) : .workspaceRestored(next)])
    }

    /// Refuses changes to archived workspaces, ended task forces, and by people who may not edit.
    public static func requireEditable(
        _ workspace: Workspace, by actor: Principal, today: LocalDate,
        permission: (Principal, WorkspaceID) -> Bool = Permissions.canEditWorkspace
    ) throws(DomainError) {
        guard actor.isSignedIn else { throw .unauthenticated }
        guard permission(actor, workspace.id) else { throw .forbidden }
        if workspace.archived {
            throw DomainError(.invalidTransition, code: "workspace.archived", message: "The workspace is archived and read-only.")
        }
        if workspace.hasEnded(on: today) {
            throw DomainError(.invalidTransition, code: "workspace.ended", message: "The task force has ended and is read-only.")
        }
    }

    static func normalized(_ name: String) -> String {
        name.split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
    }

    static func deduplicated(_ ids: [PolicyFieldID]) -> [PolicyFieldID] {
        var seen = Set<PolicyFieldID>()
        return ids.filter { seen.insert($0).inserted }
    }

    static func validate(
        kind: WorkspaceKind, name: String, description: String, policyFieldIDs: [PolicyFieldID], endsOn: LocalDate?,
        knownPolicyFields: Set<PolicyFieldID>
    ) -> [FieldIssue] {
        var issues: [FieldIssue] = []
        if name.count < nameLength.lowerBound {
            issues.append(FieldIssue(field: "name", code: "tooShort", message: "The name needs at least \(nameLength.lowerBound) characters."))
        } else if name.count > nameLength.upperBound {
            issues.append(FieldIssue(field: "name", code: "tooLong", message: "The name may have at most \(nameLength.upperBound) characters."))
        }
        if name.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) {
            issues.append(FieldIssue(field: "name", code: "invalidCharacters", message: "The name contains control characters."))
        }
        if description.count > descriptionMaxLength {
            issues.append(FieldIssue(field: "description", code: "tooLong", message: "The description may have at most \(descriptionMaxLength) characters."))
        }
        if policyFieldIDs.count > maxPolicyFields {
            issues.append(FieldIssue(field: "policyFieldIds", code: "tooMany", message: "At most \(maxPolicyFields) policy fields."))
        }
        for (index, id) in policyFieldIDs.enumerated() where !knownPolicyFields.contains(id) {
            issues.append(FieldIssue(field: "policyFieldIds[\(index)]", code: "unknown", message: "There is no such policy field."))
        }
        switch (kind, endsOn) {
        case (.taskForce, nil):
            issues.append(FieldIssue(field: "endsOn", code: "required", message: "A task force needs an end date."))
        case (.focusGroup, .some), (.planningTeam, .some):
            issues.append(FieldIssue(field: "endsOn", code: "notAllowed", message: "Only task forces have an end date."))
        default:
            break
        }
        return issues
    }
}
