import Foundation

/// What a save did: the new state, the revision it wrote, and which of the saved sections
/// were merged onto changes someone else made since the saver's base revision.
public struct SaveOutcome: Sendable, Hashable {
    public let recommendation: Recommendation
    public let revision: RecommendationRevision
    /// When others saved since the editor's base revision and their sections were kept:
    /// the revision this save was merged onto.
    public let mergedOnto: Int?
    public let withdrawnSignOffs: [SignOff]
    public let events: [DomainEvent]
}

/// The drafting lifecycle as pure functions: state, actor, input and time in; new state and
/// events out, or a `DomainError`.
public enum RecommendationRules {
    public static let titleLength = 3...200
    public static let maxTextLength = 20_000
    public static let maxIndicators = 20
    public static let maxPolicyFields = 11

    /// Members and coordinators write drafts; observers read; administrators may help out.
    public static func canEdit(_ actor: Principal, in workspace: WorkspaceID) -> Bool {
        actor.isAdmin || actor.role(in: workspace) == .coordinator || actor.role(in: workspace) == .member
    }

    /// Starts a draft with a title (and whatever else the creator already wrote).
    public static func create(
        _ profile: RecommendationProfile, id: RecommendationID, in workspace: Workspace, by actor: Principal,
        organization: OrganizationID?, knownPolicyFields: Set<PolicyFieldID>, now: Date, today: LocalDate
    ) throws(DomainError) -> (Recommendation, RecommendationRevision, [DomainEvent]) {
        try WorkspaceRules.requireEditable(workspace, by: actor, today: today, permission: canEdit)
        guard let userID = actor.userID else { throw .unauthenticated }
        let profile = normalized(profile)
        let issues = validate(profile, knownPolicyFields: knownPolicyFields)
        guard issues.isEmpty else { throw .validation(issues) }
        let recommendation = Recommendation(id: id, workspaceID: workspace.id, status: .draft, profile: profile, revision: 1,
                                            createdBy: userID, createdAt: now, updatedAt: now, reference: nil)
        let revision = RecommendationRevision(recommendationID: id, number: 1, authorID: userID, organizationID: organization, at: now,
                                              profile: profile, changedSections: profile.changedSections(since: RecommendationProfile(title: "")))
        return (recommendation, revision, [.recommendationCreated(recommendation)])
    }

    /// Saves changed sections. `base` is the profile at `baseRevision`, the revision the
    /// editor started from. Sections nobody else touched since then are taken as they are;
    /// a section that someone else changed differently since is a conflict, refused with
    /// the sections named, so the editor can merge and save again: no edit is ever lost.
    public static func save(
        _ patch: ProfilePatch, onto current: Recommendation, baseRevision: Int, base: RecommendationProfile,
        in workspace: Workspace, by actor: Principal, organization: OrganizationID?, signOffs: [SignOff],
        knownPolicyFields: Set<PolicyFieldID>, now: Date, today: LocalDate
    ) throws(DomainError) -> SaveOutcome? {
        try WorkspaceRules.requireEditable(workspace, by: actor, today: today, permission: canEdit)
        guard let userID = actor.userID else { throw .unauthenticated }
        try requireDraft(current)
        guard baseRevision >= 1, baseRevision <= current.revision else {
            throw DomainError(.validation, code: "recommendation.unknownRevision", message: "There is no such revision.",
                              fields: [FieldIssue(field: "baseRevision", code: "unknown", message: "Not a revision of this recommendation.")])
        }
        let mine = normalized(patch.content)
        var next = current.profile
        var conflicts: [ProfileSection] = []
        for section in ProfileSection.allCases where patch.sections.contains(section) {
            let theirsMoved = !current.profile.same(section, as: base)
            let agrees = current.profile.same(section, as: mine)
            if theirsMoved && !agrees && !base.same(section, as: mine) {
                conflicts.append(section)
            } else if !theirsMoved {
                next = next.taking(section, from: mine)
            }
        }
        guard conflicts.isEmpty else {
            throw DomainError(.conflict, code: "recommendation.editConflict",
                              message: "Someone else changed the same sections in the meantime. Merge your text with theirs and save again.",
                              fields: conflicts.map { FieldIssue(field: $0.rawValue, code: "conflict", message: "Changed by someone else since your revision.") })
        }
        let issues = validate(next, knownPolicyFields: knownPolicyFields)
        guard issues.isEmpty else { throw .validation(issues) }
        let changed = next.changedSections(since: current.profile)
        guard !changed.isEmpty else { return nil }
        return commitRevision(next, changed: changed, onto: current, by: userID, organization: organization, signOffs: signOffs,
                              mergedOnto: baseRevision < current.revision ? current.revision : nil, restoredFrom: nil, now: now)
    }

    /// Makes an earlier revision's text the current one, as a new revision.
    public static func restore(
        _ old: RecommendationRevision, onto current: Recommendation, expectedRevision: Int, in workspace: Workspace, by actor: Principal,
        organization: OrganizationID?, signOffs: [SignOff], now: Date, today: LocalDate
    ) throws(DomainError) -> SaveOutcome? {
        try WorkspaceRules.requireEditable(workspace, by: actor, today: today, permission: canEdit)
        guard let userID = actor.userID else { throw .unauthenticated }
        try requireDraft(current)
        guard expectedRevision == current.revision else { throw .versionConflict }
        let changed = old.profile.changedSections(since: current.profile)
        guard !changed.isEmpty else { return nil }
        return commitRevision(old.profile, changed: changed, onto: current, by: userID, organization: organization, signOffs: signOffs,
                              mergedOnto: nil, restoredFrom: old.number, now: now)
    }

    static func commitRevision(
        _ profile: RecommendationProfile, changed: [ProfileSection], onto current: Recommendation, by userID: UserID,
        organization: OrganizationID?, signOffs: [SignOff], mergedOnto: Int?, restoredFrom: Int?, now: Date
    ) -> SaveOutcome {
        var next = current
        next.profile = profile
        next.revision += 1
        next.updatedAt = now
        let revision = RecommendationRevision(recommendationID: current.id, number: next.revision, authorID: userID, organizationID: organization,
                                              at: now, profile: profile, changedSections: changed, restoredFrom: restoredFrom)
        // A sign-off covers one revision's text; a change withdraws every sign-off given so far.
        var events: [DomainEvent] = [.recommendationUpdated(next, changed, by: userID)]
        if !signOffs.isEmpty { events.append(.signOffsWithdrawn(next)) }
        return SaveOutcome(recommendation: next, revision: revision, mergedOnto: mergedOnto, withdrawnSignOffs: signOffs, events: events)
    }

    static func requireDraft(_ recommendation: Recommendation) throws(DomainError) {
        guard recommendation.status == .draft else {
            throw DomainError(.invalidTransition, code: "recommendation.finished",
                              message: "The recommendation is finished and in the catalogue; it can no longer be changed.")
        }
    }

    // MARK: Validation

    /// Trims titles and collapses their whitespace; texts keep their line breaks.
    public static func normalized(_ profile: RecommendationProfile) -> RecommendationProfile {
        var p = profile
        p.title = p.title.split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
        p.responsibleBody = p.responsibleBody.trimmingCharacters(in: .whitespacesAndNewlines)
        var seen = Set<PolicyFieldID>()
        p.policyFieldIDs = p.policyFieldIDs.filter { seen.insert($0).inserted }
        var kinds = Set<ImpactKind>()
        p.impactKinds = ImpactKind.allCases.filter { profile.impactKinds.contains($0) && kinds.insert($0).inserted }
        p.budgetYears = Array(Set(p.budgetYears)).sorted()
        for index in p.indicators.indices {
            p.indicators[index].name = p.indicators[index].name.trimmingCharacters(in: .whitespacesAndNewlines)
            p.indicators[index].unit = p.indicators[index].unit.trimmingCharacters(in: .whitespacesAndNewlines)
        }
        return p
    }

    /// What a draft must satisfy at every save: lengths, known references, plausible figures.
    public static func validate(_ p: RecommendationProfile, knownPolicyFields: Set<PolicyFieldID>) -> [FieldIssue] {
        var issues: [FieldIssue] = []
        if !titleLength.contains(p.title.count) {
            issues.append(FieldIssue(field: "title", code: "length", message: "A title of \(titleLength.lowerBound) to \(titleLength.upperBound) characters."))
        }
        for (index, id) in p.policyFieldIDs.enumerated() where !knownPolicyFields.contains(id) {
            issues.append(FieldIssue(field: "policyFieldIds[\(index)]", code: "unknown", message: "There is no such policy field."))
        }
        if p.policyFieldIDs.count > maxPolicyFields {
            issues.append(FieldIssue(field: "policyFieldIds", code: "tooMany", message: "At most \(maxPolicyFields) policy fields."))
        }
        let texts: [(String, String)] = [("title", p.title), ("situation", p.situation), ("dataBasis", p.dataBasis), ("goals", p.goals),
                                         ("measures", p.measures), ("targetGroups", p.targetGroups), ("responsibleBody", p.responsibleBody),
                                         ("timeline", p.timeline), ("resources.note", p.resources.note)]
        for (field, text) in texts {
            if text.count > maxTextLength {
                issues.append(FieldIssue(field: field, code: "tooLong", message: "At most \(maxTextLength) characters."))
            }
            if text.unicodeScalars.contains(where: { $0.properties.generalCategory == .control && $0 != "\n" && $0 != "\r" && $0 != "\t" }) {
                issues.append(FieldIssue(field: field, code: "invalidCharacters", message: "Contains control characters."))
            }
        }
        if let fte = p.resources.personnelFTE, !(0...10_000).contains(fte) || fte.isNaN {
            issues.append(FieldIssue(field: "resources.personnelFTE", code: "outOfRange", message: "Between 0 and 10,000 full-time equivalents."))
        }
        if let months = p.resources.durationMonths, !(0...240).contains(months) {
            issues.append(FieldIssue(field: "resources.durationMonths", code: "outOfRange", message: "Between 0 and 240 months."))
        }
        if let money = p.resources.moneyEuroPerYear, !(0...10_000_000_000).contains(money) {
            issues.append(FieldIssue(field: "resources.moneyEuroPerYear", code: "outOfRange", message: "Between 0 and 10 billion euros."))
        }
        if p.budgetYears.count > 2 || p.budgetYears.contains(where: { !(2000...2100).contains($0) })
            || (p.budgetYears.count == 2 && p.budgetYears[1] != p.budgetYears[0] + 1) {
            issues.append(FieldIssue(field: "budgetYears", code: "invalid", message: "One budget year, or the two consecutive years of a double budget."))
        }
        if p.indicators.count > maxIndicators {
            issues.append(FieldIssue(field: "indicators", code: "tooMany", message: "At most \(maxIndicators) indicators."))
        }
        for (index, indicator) in p.indicators.enumerated() {
            if !(1...200).contains(indicator.name.count) {
                issues.append(FieldIssue(field: "indicators[\(index)].name", code: "length", message: "A name of 1 to 200 characters."))
            }
            if indicator.unit.count > 40 || indicator.source.count > 500 {
                issues.append(FieldIssue(field: "indicators[\(index)]", code: "tooLong", message: "Unit up to 40, source up to 500 characters."))
            }
            if [indicator.baseline, indicator.target].contains(where: { $0.map { !$0.isFinite } ?? false }) {
                issues.append(FieldIssue(field: "indicators[\(index)]", code: "invalidNumber", message: "Baseline and target must be numbers."))
            }
        }
        return issues
    }

    /// What a recommendation needs before it can be signed off: the profile complete, the
    /// resources quantified, success measurable (the evaluation's call for binding texts).
    public static func completenessIssues(_ p: RecommendationProfile) -> [FieldIssue] {
        var issues: [FieldIssue] = []
        func require(_ ok: Bool, _ field: String, _ message: String) {
            if !ok { issues.append(FieldIssue(field: field, code: "required", message: message)) }
        }
        func filled(_ text: String) -> Bool { !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty }
        require(!p.policyFieldIDs.isEmpty, "policyFieldIds", "Name at least one policy field.")
        require(filled(p.situation), "situation", "Describe the initial situation.")
        require(filled(p.dataBasis), "dataBasis", "Give the data behind the situation.")
        require(filled(p.goals), "goals", "State the goals.")
        require(filled(p.measures), "measures", "State the measures.")
        require(filled(p.targetGroups), "targetGroups", "Name the target groups.")
        require(filled(p.responsibleBody), "responsibleBody", "Say who is responsible.")
        let r = p.resources
        require(r.personnelFTE != nil && r.durationMonths != nil && r.moneyEuroPerYear != nil, "resources",
                "Quantify personnel, time and money (0 where none is needed).")
        require(!p.budgetYears.isEmpty, "budgetYears", "Name the budget year.")
        require(!p.impactKinds.isEmpty, "impactKinds", "Name the kind of impact.")
        require(!p.indicators.isEmpty && p.indicators.allSatisfy { $0.baseline != nil && $0.target != nil }, "indicators",
                "Give at least one indicator, each with baseline and target.")
        require(filled(p.timeline), "timeline", "Give a timeline.")
        return issues
    }
}
