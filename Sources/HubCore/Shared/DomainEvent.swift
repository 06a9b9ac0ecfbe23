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
    case recommendationCreated(Recommendation)
    /// A new revision: the sections that changed and who saved it.
    case recommendationUpdated(Recommendation, [ProfileSection], by: UserID)
    /// A save withdrew the sign-offs given on the previous revision.
    case signOffsWithdrawn(Recommendation)
    case signedOff(SignOff, workspace: WorkspaceID)
    case signOffWithdrawn(SignOff, workspace: WorkspaceID)
    case recommendationFinished(Recommendation)
    case catalogueEntryAdded(CatalogueEntry)
    case consensusSet(CatalogueEntry)
    case ratingRoundSet(RatingRound)
    case ratingSubmitted(SteeringRating)
    case decisionRecorded(CouncilDecision)
    case reportAdded(ImplementationReport, workspace: WorkspaceID)
    /// A comment or suggestion was added, resolved, accepted or rejected.
    case commentChanged(RecommendationComment, workspace: WorkspaceID)
    /// Feedback panels (issue 7): one case for the component's events.
    case panel(PanelEvent)
    /// Something on a Lean Coffee board (the wire name is the inner one, `leanCoffee.topicAdded`).
    case leanCoffee(LeanCoffeeEvent)
    /// Something at a barcamp (the wire name is `barcamp.<inner name>`).
    case barcamp(BarcampEvent)

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
        case .recommendationCreated: "recommendation.created"
        case .recommendationUpdated: "recommendation.updated"
        case .signOffsWithdrawn: "recommendation.signOffsWithdrawn"
        case .signedOff: "recommendation.signedOff"
        case .signOffWithdrawn: "recommendation.signOffWithdrawn"
        case .recommendationFinished: "recommendation.finished"
        case .catalogueEntryAdded: "catalogue.entryAdded"
        case .consensusSet: "catalogue.consensusSet"
        case .ratingRoundSet: "rating.roundSet"
        case .ratingSubmitted: "rating.submitted"
        case .decisionRecorded: "catalogue.decisionRecorded"
        case .reportAdded: "catalogue.reportAdded"
        case .commentChanged: "recommendation.commentChanged"
        case .panel(let e): e.name
        case .leanCoffee(let e): e.name
        case .barcamp(let e): e.name
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
        case .recommendationCreated(let r), .recommendationUpdated(let r, _, _), .signOffsWithdrawn(let r), .recommendationFinished(let r):
            [.workspace(r.workspaceID)]
        case .signedOff(_, let w), .signOffWithdrawn(_, let w):
            [.workspace(w)]
        case .catalogueEntryAdded:
            [.catalogue]
        case .consensusSet:
            [.catalogue, .steering]
        case .ratingRoundSet, .ratingSubmitted:
            [.steering]
        case .decisionRecorded:
            [.catalogue]
        case .reportAdded(_, let w):
            [.catalogue, .workspace(w)]
        case .commentChanged(_, let w):
            [.workspace(w)]
        case .panel(let e):
            e.audiences.map { audience -> Topic in
                switch audience {
                case .workspace(let w): .workspace(w)
                case .publicPanel(let p): .panel(p)
                }
            }
        case .leanCoffee(let e):
            // The workspace page lists its boards: it hears when one starts or closes.
            switch e {
            case .boardCreated(let b), .boardClosed(let b, _):
                [.leanCoffee(b.id)] + (b.workspaceID.map { [Topic.workspace($0)] } ?? [])
            default:
                [.leanCoffee(e.boardID)]
            }
        case .barcamp(let e):
            switch e {
            case .barcampCreated(let b), .schedulePublished(let b), .barcampClosed(let b):
                [.barcamp(b.id)] + (b.workspaceID.map { [Topic.workspace($0)] } ?? [])
            default:
                [.barcamp(e.barcampID)]
            }
        }
    }
}
