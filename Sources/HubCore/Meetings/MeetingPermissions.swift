import Foundation

/// Who may do what with meetings, as pure functions of the actor. Kept in the component
/// (not in the shared `Permissions`) so the matrix tests of this component walk one place.
public enum MeetingPermissions {
    /// The district-wide templates: the planning staff (administrators) only.
    public static func canEditTemplates(_ actor: Principal) -> Bool { actor.isAdmin }

    /// Reading the templates: everyone signed in (a workspace picks one).
    public static func canReadTemplates(_ actor: Principal) -> Bool { actor.isSignedIn }

    /// Planning, inviting, cancelling, running the live agenda, circulating, answering
    /// objections, approving and publishing: the workspace's coordinators and administrators.
    public static func canManage(_ actor: Principal, _ workspace: WorkspaceID) -> Bool {
        actor.isAdmin || actor.role(in: workspace) == .coordinator
    }

    /// Writing the minutes together during and after the meeting: coordinators and members
    /// (observers read), and administrators.
    public static func canWriteMinutes(_ actor: Principal, _ workspace: WorkspaceID) -> Bool {
        actor.isAdmin || actor.role(in: workspace) == .coordinator || actor.role(in: workspace) == .member
    }

    /// Seeing meetings, agendas and draft minutes: anyone in the workspace, and administrators.
    public static func canRead(_ actor: Principal, _ workspace: WorkspaceID) -> Bool {
        Permissions.canReadWorkspaceContent(actor, workspace)
    }

    /// The refusal for an actor who may not manage: unauthenticated, not found (outsiders do
    /// not learn that the meeting exists) or forbidden.
    static func refusal(_ actor: Principal, _ workspace: WorkspaceID, what: String = "meeting") -> DomainError {
        guard actor.isSignedIn else { return .unauthenticated }
        return canRead(actor, workspace) ? .forbidden : .notFound(what)
    }
}
