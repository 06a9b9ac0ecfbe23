/// Something that happened, decided by the core. The services persist it in the same
/// transaction as the state change and publish it after the commit.
public enum DomainEvent: Sendable, Hashable {
    case workspaceCreated(Workspace)
    case workspaceUpdated(Workspace)
    case workspaceArchived(Workspace)
    case workspaceRestored(Workspace)
    case memberAdded(Membership)
    case memberUpdated(Membership)
    case memberRemoved(Membership)
    case policyFieldUpdated(PolicyField)

    /// The wire name of the event (`workspace.created`).
    public var name: String {
        switch self {
        case .workspaceCreated: "workspace.created"
        case .workspaceUpdated: "workspace.updated"
        case .workspaceArchived: "workspace.archived"
        case .workspaceRestored: "workspace.restored"
        case .memberAdded: "member.added"
        case .memberUpdated: "member.updated"
        case .memberRemoved: "member.removed"
        case .policyFieldUpdated: "policyField.updated"
        }
    }

    /// The topics that carry the event. Workspace lifecycle changes go to the directory
    /// (everyone signed in sees the list) and to the workspace itself.
    public var topics: [Topic] {
        switch self {
        case .workspaceCreated(let w), .workspaceUpdated(let w), .workspaceArchived(let w), .workspaceRestored(let w):
            [.directory, .workspace(w.id)]
        case .memberAdded(let m), .memberUpdated(let m), .memberRemoved(let m):
            [.workspace(m.workspaceID)]
        case .policyFieldUpdated:
            [.directory]
        }
    }
}
