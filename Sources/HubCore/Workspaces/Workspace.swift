import Foundation

public typealias WorkspaceID = Identifier<Workspace>

/// What kind of group works in a workspace.
public enum WorkspaceKind: String, Sendable, Hashable, Codable, CaseIterable {
    /// A standing thematic working group (Fokusgruppe).
    case focusGroup
    /// A temporary expert group with an end date (Task Force).
    case taskForce
    /// District and municipal planners co-editing for one area (Planungsteam Kreis/Kommune).
    case planningTeam
}

/// A place where a group works: meetings, boards and drafts live inside one.
public struct Workspace: Sendable, Hashable, Codable, Identifiable {
    public let id: WorkspaceID
    public var kind: WorkspaceKind
    public var name: String
    public var description: String
    public var policyFieldIDs: [PolicyFieldID]
    /// Only task forces end; after this day the workspace is read-only but visible.
    public var endsOn: LocalDate?
    public var archived: Bool
    public let createdAt: Date
    public var updatedAt: Date
    /// Increases by one with every change; the basis of optimistic concurrency (ETag).
    public var version: Int

    public init(
        id: WorkspaceID, kind: WorkspaceKind, name: String, description: String,
        policyFieldIDs: [PolicyFieldID], endsOn: LocalDate?, archived: Bool,
        createdAt: Date, updatedAt: Date, version: Int
    ) {
        self.id = id
        self.kind = kind
        self.name = name
        self.description = description
        self.policyFieldIDs = policyFieldIDs
        self.endsOn = endsOn
        self.archived = archived
        self.createdAt = createdAt
        self.updatedAt = updatedAt
        self.version = version
    }

    /// A task force past its end date.
    public func hasEnded(on today: LocalDate) -> Bool {
        guard let endsOn else { return false }
        return today > endsOn
    }
}
