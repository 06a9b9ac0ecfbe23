import Foundation
import HubCore

/// Decision tracking and implementation reports on catalogue entries.
public struct Tracking: Sendable {
    let deps: ServiceDependencies

    public init(deps: ServiceDependencies) { self.deps = deps }

    public func recordDecision(_ reference: CatalogueReference, decidedOn: LocalDate, body: String, outcome: DecisionOutcome, note: String,
                               by actor: Principal) async throws -> CouncilDecision {
        guard actor.isSignedIn else { throw DomainError.unauthenticated }
        guard let entry = try await deps.store.catalogueEntry(reference) else { throw DomainError.notFound("catalogueEntry") }
        let (decision, events) = try ImplementationRules.recordDecision(entry, id: DecisionID(deps.ids.uuid()), decidedOn: decidedOn, body: body,
                                                                        outcome: outcome, note: note, by: actor, now: deps.clock.now(), today: deps.today)
        try await deps.commit(ChangeSet(changes: [.recommendation(.insertDecision(decision))], events: EventEncoding.newEvents(events)))
        return decision
    }

    public func report(_ reference: CatalogueReference, reportedOn: LocalDate, status: ImplementationStatus, values: [IndicatorValue], note: String,
                       by actor: Principal) async throws -> ImplementationReport {
        guard actor.isSignedIn else { throw DomainError.unauthenticated }
        guard let entry = try await deps.store.catalogueEntry(reference) else { throw DomainError.notFound("catalogueEntry") }
        let (report, events) = try ImplementationRules.report(entry, id: ReportID(deps.ids.uuid()), reportedOn: reportedOn, status: status, values: values,
                                                              note: note, by: actor, now: deps.clock.now(), today: deps.today)
        try await deps.commit(ChangeSet(changes: [.recommendation(.insertReport(report))], events: EventEncoding.newEvents(events)))
        return report
    }

    /// Entry views with their decisions and reports (two reads for the whole list).
    public func views(_ entries: [CatalogueEntry]) async throws -> [CatalogueEntryView] {
        let decisions = Dictionary(grouping: try await deps.store.decisions(nil), by: \.reference)
        let reports = Dictionary(grouping: try await deps.store.reports(nil), by: \.reference)
        return entries.map { CatalogueEntryView($0, decisions: decisions[$0.reference] ?? [], reports: reports[$0.reference] ?? []) }
    }

    public func view(_ entry: CatalogueEntry) async throws -> CatalogueEntryView {
        CatalogueEntryView(entry, decisions: try await deps.store.decisions(entry.reference), reports: try await deps.store.reports(entry.reference))
    }

    /// Adopted recommendations of a workspace whose next report is due by `horizon` days from today.
    public func reportsDue(in workspace: WorkspaceID, by actor: Principal, horizonDays: Int = 30) async throws -> [CatalogueEntryView] {
        guard actor.isSignedIn else { throw DomainError.unauthenticated }
        guard Permissions.canReadWorkspaceContent(actor, workspace) else { throw DomainError.notFound("workspace") }
        let limit = deps.today.adding(days: horizonDays)
        return try await views(try await deps.store.catalogue().value.filter { $0.workspaceID == workspace })
            .filter { view in view.reportDueOn.flatMap(LocalDate.init).map { $0 <= limit } ?? false }
    }
}
