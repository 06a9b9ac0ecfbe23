/// Who is acting (the principal): an anonymous visitor or a signed-in user with their memberships.
/// Built by the services from the session; the core only reads it.
public struct Principal: Sendable, Hashable {
    public let userID: UserID?
    public let displayName: String?
    public let isAdmin: Bool
    public let memberships: [WorkspaceID: WorkspaceRole]

    public init(userID: UserID?, displayName: String?, isAdmin: Bool, memberships: [WorkspaceID: WorkspaceRole]) {
        self.userID = userID
        self.displayName = displayName
        self.isAdmin = isAdmin
        self.memberships = memberships
    }

    /// Someone who has not signed in.
    public static let anonymous = Principal(userID: nil, displayName: nil, isAdmin: false, memberships: [:])

    public var isSignedIn: Bool { userID != nil }

    public func role(in workspace: WorkspaceID) -> WorkspaceRole? { memberships[workspace] }
}
