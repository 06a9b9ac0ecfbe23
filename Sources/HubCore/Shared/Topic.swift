/// A stream of events that clients subscribe to. Every event belongs to exactly one topic
/// and carries that topic's next sequence number.
public enum Topic: Hashable, Sendable, CustomStringConvertible {
    /// The district-wide directory: workspaces and policy fields.
    case directory
    /// Everything inside one workspace.
    case workspace(WorkspaceID)
    /// The public catalogue of finished recommendations: open to everyone, no presence.
    case catalogue
    /// The steering group's rating work: rounds and individual ratings.
    case steering
    /// A published feedback panel's public page: lifecycle and public responses, open to
    /// everyone, no presence (like the catalogue).
    case panel(PanelID)
    /// One Lean Coffee board: topics, tallies (never who voted), the discussion.
    case leanCoffee(LeanCoffeeBoardID)
    /// One barcamp: proposals, interest counts (never who marked), the grid, notes.
    case barcamp(BarcampID)
    /// One meeting while it is planned and held: the live agenda (current item, end time),
    /// minutes sections saved, RSVP counts, its status.
    case meeting(MeetingID)

    /// Parses the wire form (`directory`, `workspace:<uuid>`).
    public init?(_ text: String) {
        switch text {
        case "directory": self = .directory; return
        case "catalogue": self = .catalogue; return
        case "steering": self = .steering; return
        default: break
        }
        let parts = text.split(separator: ":", maxSplits: 1)
        guard parts.count == 2 else { return nil }
        switch parts[0] {
        case "workspace":
            guard let id = WorkspaceID(String(parts[1])) else { return nil }
            self = .workspace(id)
        case "panel":
            guard let id = PanelID(String(parts[1])) else { return nil }
            self = .panel(id)
        case "leanCoffee":
            guard let id = LeanCoffeeBoardID(String(parts[1])) else { return nil }
            self = .leanCoffee(id)
        case "barcamp":
            guard let id = BarcampID(String(parts[1])) else { return nil }
            self = .barcamp(id)
        case "meeting":
            guard let id = MeetingID(String(parts[1])) else { return nil }
            self = .meeting(id)
        default:
            return nil
        }
    }

    public var description: String {
        switch self {
        case .directory: "directory"
        case .workspace(let id): "workspace:\(id)"
        case .catalogue: "catalogue"
        case .steering: "steering"
        case .panel(let id): "panel:\(id)"
        case .leanCoffee(let id): "leanCoffee:\(id)"
        case .barcamp(let id): "barcamp:\(id)"
        case .meeting(let id): "meeting:\(id)"
        }
    }

    /// Whether subscribers see who else follows the topic. Not on public topics: readers of
    /// the public catalogue stay unseen.
    public var hasPresence: Bool {
        switch self {
        case .catalogue, .panel: false
        default: true
        }
    }
}
