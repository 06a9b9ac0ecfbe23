/// A stream of events that clients subscribe to. Every event belongs to exactly one topic
/// and carries that topic's next sequence number.
public enum Topic: Hashable, Sendable, CustomStringConvertible {
    /// The district-wide directory: workspaces and policy fields.
    case directory
    /// Everything inside one workspace.
    case workspace(WorkspaceID)

    /// Parses the wire form (`directory`, `workspace:<uuid>`).
    public init?(_ text: String) {
        if text == "directory" { self = .directory; return }
        let parts = text.split(separator: ":", maxSplits: 1)
        guard parts.count == 2 else { return nil }
        switch parts[0] {
        case "workspace":
            guard let id = WorkspaceID(String(parts[1])) else { return nil }
            self = .workspace(id)
        default:
            return nil
        }
    }

    public var description: String {
        switch self {
        case .directory: "directory"
        case .workspace(let id): "workspace:\(id)"
        }
    }
}
