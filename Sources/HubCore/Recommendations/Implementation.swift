import Foundation

public typealias DecisionID = Identifier<CouncilDecision>
public typealias ReportID = Identifier<ImplementationReport>

/// What a council or committee decided about a recommendation.
public enum DecisionOutcome: String, Sendable, Hashable, Codable, CaseIterable {
    case adopted, amended, rejected, deferred
}

/// A decision of the council (Kreistag) or one of its committees, for decision tracking
/// (Beschlusscontrolling).
public struct CouncilDecision: Sendable, Hashable, Codable {
    public let id: DecisionID
    public let reference: CatalogueReference
    public let decidedOn: LocalDate
    /// The deciding body, e.g. "Kreistag" or "Sozialausschuss".
    public let body: String
    public let outcome: DecisionOutcome
    public let note: String
    public let recordedBy: UserID
    public let recordedAt: Date

    public init(id: DecisionID, reference: CatalogueReference, decidedOn: LocalDate, body: String, outcome: DecisionOutcome, note: String,
                recordedBy: UserID, recordedAt: Date) {
        self.id = id
        self.reference = reference
        self.decidedOn = decidedOn
        self.body = body
        self.outcome = outcome
        self.note = note
        self.recordedBy = recordedBy
        self.recordedAt = recordedAt
    }
}

/// How far the implementation has come, as the responsible workspace reports it.
public enum ImplementationStatus: String, Sendable, Hashable, Codable, CaseIterable {
    case notStarted, inProgress, implemented, stopped
}

/// One indicator's value at a report.
public struct IndicatorValue: Sendable, Hashable, Codable {
    /// The indicator's position in the finished profile's list.
    public let indicator: Int
    public let value: Double

    public init(indicator: Int, value: Double) {
        self.indicator = indicator
        self.value = value
    }
}

/// An implementation report: the indicators' values at a date and a status note.
public struct ImplementationReport: Sendable, Hashable, Codable {
    public let id: ReportID
    public let reference: CatalogueReference
    public let reportedOn: LocalDate
    public let status: ImplementationStatus
    public let values: [IndicatorValue]
    /// Markdown.
    public let note: String
    public let authorID: UserID
    public let at: Date

    public init(id: ReportID, reference: CatalogueReference, reportedOn: LocalDate, status: ImplementationStatus, values: [IndicatorValue],
                note: String, authorID: UserID, at: Date) {
        self.id = id
        self.reference = reference
        self.reportedOn = reportedOn
        self.status = status
        self.values = values
        self.note = note
        self.authorID = authorID
        self.at = at
    }
}

/// Decision tracking and implementation reports as pure functions.
public enum ImplementationRules {
    /// Reports are due this many days after the decision or the last report.
    public static let reportInterval = 365

    /// The planning staff record what the council or a committee decided.
    public static func recordDecision(_ entry: CatalogueEntry, id: DecisionID, decidedOn: LocalDate, body: String, outcome: DecisionOutcome,
                                      note: String, by actor: Principal, now: Date, today: LocalDate) throws(DomainError) -> (CouncilDecision, [DomainEvent]) {
        guard actor.isAdmin, let userID = actor.userID else { throw actor.adminRefusal }
        var issues: [FieldIssue] = []
        let body = body.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        if !(2...120).contains(body.count) { issues.append(FieldIssue(field: "body", code: "length", message: "The deciding body, 2 to 120 characters.")) }
        if decidedOn > today { issues.append(FieldIssue(field: "decidedOn", code: "inFuture", message: "A decision cannot lie in the future.")) }
        if note.count > 4000 { issues.append(FieldIssue(field: "note", code: "tooLong", message: "At most 4,000 characters.")) }
        guard issues.isEmpty else { throw .validation(issues) }
        let decision = CouncilDecision(id: id, reference: entry.reference, decidedOn: decidedOn, body: body, outcome: outcome,
                                       note: note.trimmingCharacters(in: .whitespacesAndNewlines), recordedBy: userID, recordedAt: now)
        return (decision, [.decisionRecorded(decision)])
    }

    /// The authoring workspace's members and coordinators (and the planning staff) report
    /// progress; values refer to the finished profile's indicators.
    public static func report(_ entry: CatalogueEntry, id: ReportID, reportedOn: LocalDate, status: ImplementationStatus, values: [IndicatorValue],
                              note: String, by actor: Principal, now: Date, today: LocalDate) throws(DomainError) -> (ImplementationReport, [DomainEvent]) {
        guard let userID = actor.userID else { throw .unauthenticated }
        guard RecommendationRules.canEdit(actor, in: entry.workspaceID) else {
            throw DomainError(.forbidden, code: "report.notResponsible", message: "The authoring workspace and the planning staff report on implementation.")
        }
        var issues: [FieldIssue] = []
        if reportedOn > today { issues.append(FieldIssue(field: "reportedOn", code: "inFuture", message: "A report cannot lie in the future.")) }
        var seen = Set<Int>()
        for (index, value) in values.enumerated() {
            if !entry.profile.indicators.indices.contains(value.indicator) || !seen.insert(value.indicator).inserted {
                issues.append(FieldIssue(field: "values[\(index)].indicator", code: "unknown", message: "Not an indicator of this recommendation."))
            }
            if !value.value.isFinite {
                issues.append(FieldIssue(field: "values[\(index)].value", code: "invalidNumber", message: "A number."))
            }
        }
        if note.count > 8000 { issues.append(FieldIssue(field: "note", code: "tooLong", message: "At most 8,000 characters.")) }
        guard issues.isEmpty else { throw .validation(issues) }
        let report = ImplementationReport(id: id, reference: entry.reference, reportedOn: reportedOn, status: status,
                                          values: values.sorted { $0.indicator < $1.indicator },
                                          note: note.trimmingCharacters(in: .whitespacesAndNewlines), authorID: userID, at: now)
        return (report, [.reportAdded(report, workspace: entry.workspaceID)])
    }

    /// Where the recommendation stands, from the latest report, else the latest decision,
    /// else the rating.
    public static func status(of entry: CatalogueEntry, decisions: [CouncilDecision], reports: [ImplementationReport]) -> TrackingStatus {
        if let report = reports.max(by: { ($0.reportedOn, $0.at) < ($1.reportedOn, $1.at) }) {
            switch report.status {
            case .implemented: return .implemented
            case .stopped: return .stopped
            case .inProgress: return .inImplementation
            case .notStarted: break
            }
        }
        if let decision = decisions.max(by: { ($0.decidedOn, $0.recordedAt) < ($1.decidedOn, $1.recordedAt) }) {
            switch decision.outcome {
            case .adopted, .amended: return .adopted
            case .rejected: return .rejected
            case .deferred: return .deferred
            }
        }
        return entry.consensus == nil ? .submitted : .rated
    }

    /// When the next implementation report is due: a year after the adopting decision or
    /// the last report; nil when nothing was adopted or it is done.
    public static func reportDue(decisions: [CouncilDecision], reports: [ImplementationReport]) -> LocalDate? {
        let status = reports.max(by: { ($0.reportedOn, $0.at) < ($1.reportedOn, $1.at) })?.status
        guard status != .implemented, status != .stopped else { return nil }
        guard let adopted = decisions.filter({ $0.outcome == .adopted || $0.outcome == .amended }).map(\.decidedOn).max() else { return nil }
        let last = max(adopted, reports.map(\.reportedOn).max() ?? adopted)
        return last.adding(days: reportInterval)
    }
}

/// The public status of a recommendation in the catalogue, from rating to implementation.
public enum TrackingStatus: String, Sendable, Hashable, Codable, CaseIterable {
    case submitted, rated, adopted, rejected, deferred, inImplementation, implemented, stopped
}
