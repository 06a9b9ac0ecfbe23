/// The role someone has inside one workspace.
public enum WorkspaceRole: String, Sendable, Hashable, Codable, CaseIterable {
    /// Runs the group: invites, edits the workspace, signs off drafts.
    case coordinator
    /// Takes part: co-edits, votes, comments.
    case member
    /// Reads only.
    case observer
}

/// A person's membership in a workspace. `organizationID` records whom they speak for
/// (an agency or municipality), which matters in municipal planning teams.
public struct Membership: Sendable, Hashable, Codable {
    public let workspaceID: WorkspaceID
    public let userID: UserID
    public var role: WorkspaceRole
    public var organizationID: OrganizationID?

    public init(workspaceID: WorkspaceID, userID: UserID, role: WorkspaceRole, organizationID: OrganizationID?) {
        self.workspaceID = workspaceID
        self.userID = userID
        self.role = role
        self.organizationID = organizationID
    }
}
