/// Who is acting (the principal): an anonymous visitor or a signed-in user with their memberships.
/// Built by the services from the session; the core only reads it.
public struct Principal: Sendable, Hashable {
    public let userID: UserID?
    public let displayName: String?
    /// Administrator rights in effect: an administrator whose session lacks the required
    /// second factor acts as an ordinary user (see `adminNeedsSecondFactor`).
    public let isAdmin: Bool
    public let isSteering: Bool
    public let memberships: [WorkspaceID: WorkspaceRole]
    /// The account is an administrator, but this session has not verified a second factor
    /// and the installation requires one: administrator functions answer
    /// `auth.secondFactorRequired` instead of plain `forbidden`.
    public let adminNeedsSecondFactor: Bool

    public init(userID: UserID?, displayName: String?, isAdmin: Bool, memberships: [WorkspaceID: WorkspaceRole],
                isSteering: Bool = false, adminNeedsSecondFactor: Bool = false) {
        self.userID = userID
        self.displayName = displayName
        self.isAdmin = isAdmin
        self.isSteering = isSteering
        self.memberships = memberships
        self.adminNeedsSecondFactor = adminNeedsSecondFactor
    }

    /// The refusal for something only administrators may do.
    public var adminRefusal: DomainError {
        guard isSignedIn else { return .unauthenticated }
        return adminNeedsSecondFactor ? .secondFactorRequired : .forbidden
    }

    /// Someone who has not signed in.
    public static let anonymous = Principal(userID: nil, displayName: nil, isAdmin: false, memberships: [:])

    public var isSignedIn: Bool { userID != nil }

    public func role(in workspace: WorkspaceID) -> WorkspaceRole? { memberships[workspace] }
}
