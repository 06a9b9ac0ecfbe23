/// Who may do what, as pure functions of the actor. Every use case and every WebSocket
/// subscription asks here; the authorization matrix test walks these.
public enum Permissions {
    public static func canCreateWorkspace(_ actor: Principal) -> Bool { actor.isAdmin }

    public static func canArchiveWorkspace(_ actor: Principal) -> Bool { actor.isAdmin }

    public static func canEditPolicyFields(_ actor: Principal) -> Bool { actor.isAdmin }

    /// User administration and the audit log.
    public static func canAdministerUsers(_ actor: Principal) -> Bool { actor.isAdmin }

    public static func canReadAudit(_ actor: Principal) -> Bool { actor.isAdmin }

    /// Coordinators invite to their workspace; administrators to any.
    public static func canInvite(_ actor: Principal, to workspace: WorkspaceID) -> Bool {
        actor.isAdmin || actor.role(in: workspace) == .coordinator
    }

    /// Administrators and the workspace's coordinators edit its name and description.
    public static func canEditWorkspace(_ actor: Principal, _ workspace: WorkspaceID) -> Bool {
        actor.isAdmin || actor.role(in: workspace) == .coordinator
    }

    public static func canManageMembers(_ actor: Principal, _ workspace: WorkspaceID) -> Bool {
        actor.isAdmin || actor.role(in: workspace) == .coordinator
    }

    /// The directory (names and kinds of all workspaces) is open to everyone signed in,
    /// so groups find each other and avoid parallel work.
    public static func canReadDirectory(_ actor: Principal) -> Bool { actor.isSignedIn }

    /// Inside a workspace: its members of any role, and administrators.
    public static func canReadWorkspaceContent(_ actor: Principal, _ workspace: WorkspaceID) -> Bool {
        actor.isAdmin || actor.role(in: workspace) != nil
    }

    /// Rating rounds and individual ratings: steering-group members and the planning staff.
    public static func canReadSteeringWork(_ actor: Principal) -> Bool { actor.isAdmin || actor.isSteering }

    /// May the actor receive the events of this topic?
    public static func canSubscribe(_ actor: Principal, to topic: Topic) -> Bool {
        switch topic {
        case .directory: canReadDirectory(actor)
        case .workspace(let id): canReadWorkspaceContent(actor, id)
        case .catalogue: true
        case .steering: canReadSteeringWork(actor)
        // Public pages of published public-link panels; the gateway also checks that the
        // panel is one (`PanelPermissions.canFollowPublicTopic`).
        case .panel: true
        // Board topics need the board (who leads, its workspace, guests): the gateway asks the services.
        case .leanCoffee, .barcamp: false
        // A meeting's topic needs the meeting (its workspace): the gateway asks the services.
        case .meeting: false
        }
    }
}
