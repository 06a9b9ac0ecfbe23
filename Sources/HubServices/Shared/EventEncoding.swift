import Foundation
import HubCore

/// Turns domain events into log entries: one entry per topic the event belongs to, each
/// with the payload clients receive (the same view the HTTP API returns).
public enum EventEncoding {
    /// `displayNames` supplies the names shown for members in member events.
    public static func newEvents(_ events: [DomainEvent], displayNames: [UserID: String] = [:],
                                 organizationNames: [OrganizationID: String] = [:]) -> [NewEvent] {
        events.flatMap { event -> [NewEvent] in
            let payload = payload(of: event, displayNames: displayNames, organizationNames: organizationNames)
            return event.topics.map { NewEvent(topic: $0, name: event.name, payload: payload) }
        }
    }

    static func payload(of event: DomainEvent, displayNames: [UserID: String], organizationNames: [OrganizationID: String]) -> String {
        switch event {
        case .workspaceCreated(let w), .workspaceUpdated(let w), .workspaceArchived(let w), .workspaceRestored(let w):
            WireJSON.string(WorkspaceView(w))
        case .memberAdded(let m), .memberUpdated(let m), .memberRemoved(let m):
            WireJSON.string(MemberView(m, displayName: displayNames[m.userID] ?? "",
                                       organizationName: m.organizationID.flatMap { organizationNames[$0] }))
        case .policyFieldUpdated(let f):
            WireJSON.string(PolicyFieldView(f))
        case .recommendationUpdated(let r, let sections, let user):
            WireJSON.string(RecommendationUpdateView(recommendation: RecommendationView(r), changedSections: sections,
                                                     changedBy: displayNames[user] ?? ""))
        case .recommendationCreated(let r), .signOffsWithdrawn(let r), .recommendationFinished(let r):
            WireJSON.string(RecommendationView(r))
        case .signedOff(let s, _), .signOffWithdrawn(let s, _):
            WireJSON.string(SignOffView(s, displayName: displayNames[s.userID] ?? "",
                                        organizationName: { if case .municipality(let id) = s.capacity { organizationNames[id] } else { nil } }()))
        case .catalogueEntryAdded(let e), .consensusSet(let e):
            WireJSON.string(CatalogueEntryView(e))
        case .ratingRoundSet(let r):
            WireJSON.string(RatingRoundView(r))
        case .ratingSubmitted(let r):
            WireJSON.string(RatingView(r, displayName: displayNames[r.userID] ?? ""))
        case .decisionRecorded(let d):
            WireJSON.string(DecisionEventView(reference: d.reference.description, decision: DecisionView(d)))
        case .commentChanged(let c, _):
            WireJSON.string(CommentView(c, authorName: displayNames[c.authorID] ?? ""))
        case .reportAdded(let r, _):
            // Indicator names come with the catalogue entry; the event carries the values by position.
            WireJSON.string(ReportEventView(reference: r.reference.description, report: ReportView(r, indicators: [])))
        case .panel(let e):
            // The phase as of the change; clients that care about later days recompute it.
            e.payload(now: e.panel?.updatedAt ?? Date(timeIntervalSince1970: 0))
        case .leanCoffee(let e):
            LeanCoffeeViews.payload(of: e, names: [:])
        case .barcamp(let e):
            BarcampViews.payload(of: e, names: [:])
        }
    }
}
