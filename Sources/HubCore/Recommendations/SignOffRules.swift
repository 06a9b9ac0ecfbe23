import Foundation

/// Who must sign a draft off before it is finished, and the act of signing.
public enum SignOffRules {
    /// The coordinator always; in a planning team also every participating municipality
    /// (a municipality is participating when a member, not an observer, speaks for it).
    public static func required(kind: WorkspaceKind, participatingMunicipalities: Set<OrganizationID>) -> [SignOffCapacity] {
        var capacities: [SignOffCapacity] = [.coordinator]
        if kind == .planningTeam {
            capacities += participatingMunicipalities.sorted { $0.description < $1.description }.map { .municipality($0) }
        }
        return capacities
    }

    /// The capacities in which the actor may sign: as coordinator, or for the municipality
    /// their membership speaks for.
    public static func capacities(of actor: Principal, membership: Membership?, kind: WorkspaceKind,
                                  participatingMunicipalities: Set<OrganizationID>) -> [SignOffCapacity] {
        guard let membership, actor.userID == membership.userID, membership.role != .observer else { return [] }
        var result: [SignOffCapacity] = []
        if membership.role == .coordinator { result.append(.coordinator) }
        if kind == .planningTeam, let org = membership.organizationID, participatingMunicipalities.contains(org) {
            result.append(.municipality(org))
        }
        return result
    }

    /// The sign-offs still valid (given on the current revision).
    public static func valid(_ signOffs: [SignOff], for recommendation: Recommendation) -> [SignOff] {
        signOffs.filter { $0.revision == recommendation.revision }
    }

    /// Signs the current revision off. Returns the sign-off, whether every required sign-off
    /// is now present (the caller then finishes the recommendation), and the events.
    public static func signOff(
        _ recommendation: Recommendation, capacity: SignOffCapacity, revision: Int, in workspace: Workspace, by actor: Principal,
        membership: Membership?, participatingMunicipalities: Set<OrganizationID>, existing: [SignOff], now: Date, today: LocalDate
    ) throws(DomainError) -> (SignOff, complete: Bool, [DomainEvent]) {
        guard let userID = actor.userID else { throw .unauthenticated }
        guard Permissions.canReadWorkspaceContent(actor, workspace.id) else { throw .notFound("recommendation") }
        let mine = capacities(of: actor, membership: membership, kind: workspace.kind, participatingMunicipalities: participatingMunicipalities)
        guard mine.contains(capacity) else {
            throw DomainError(.forbidden, code: "signOff.notYourCapacity",
                              message: "Only the workspace's coordinator, or a municipality's representative in a planning team, signs off.")
        }
        try WorkspaceRules.requireEditable(workspace, by: actor, today: today, permission: { _, _ in true })
        try RecommendationRules.requireDraft(recommendation)
        guard revision == recommendation.revision else {
            throw DomainError(.conflict, code: "version.conflict",
                              message: "The text changed since you read it. Read the current revision before you sign it off.")
        }
        let missing = RecommendationRules.completenessIssues(recommendation.profile)
        guard missing.isEmpty else {
            throw DomainError(.validation, code: "recommendation.incomplete",
                              message: "The profile is not complete yet; fill in the sections named before signing off.", fields: missing)
        }
        let current = valid(existing, for: recommendation)
        guard !current.contains(where: { $0.capacity == capacity }) else {
            throw DomainError(.conflict, code: "signOff.exists", message: "This revision is already signed off in this capacity.")
        }
        let signOff = SignOff(recommendationID: recommendation.id, capacity: capacity, userID: userID, revision: revision, at: now)
        let needed = required(kind: workspace.kind, participatingMunicipalities: participatingMunicipalities)
        let given = Set((current + [signOff]).map(\.capacity))
        let complete = needed.allSatisfy { given.contains($0) }
        return (signOff, complete, [.signedOff(signOff, workspace: workspace.id)])
    }

    /// Takes one's own sign-off back before the recommendation is finished.
    public static func withdraw(_ signOff: SignOff, of recommendation: Recommendation, by actor: Principal) throws(DomainError) -> [DomainEvent] {
        guard actor.userID == signOff.userID else { throw .forbidden }
        try RecommendationRules.requireDraft(recommendation)
        return [.signOffWithdrawn(signOff, workspace: recommendation.workspaceID)]
    }

    /// The last sign-off arrived: the draft is frozen and enters the catalogue under its
    /// reference, with an immutable copy of the finished text.
    public static func finish(_ recommendation: Recommendation, reference: CatalogueReference, workspaceName: String, now: Date)
        -> (Recommendation, CatalogueEntry, [DomainEvent]) {
        var next = recommendation
        next.status = .finished
        next.reference = reference.description
        next.updatedAt = now
        let entry = CatalogueEntry(reference: reference, recommendationID: recommendation.id, workspaceID: recommendation.workspaceID,
                                   workspaceName: workspaceName, revision: recommendation.revision, profile: recommendation.profile,
                                   finishedAt: now, consensus: nil)
        return (next, entry, [.recommendationFinished(next), .catalogueEntryAdded(entry)])
    }
}
