import Foundation
import HubCore

/// What the recommendation use cases load before they decide: the draft, its workspace,
/// the actor's membership and who must sign off.
struct RecommendationContext: Sendable {
    let recommendation: Recommendation
    let workspace: Workspace
    let membership: Membership?
    let members: [MemberRow]
    let municipalities: Set<OrganizationID>
    let organizationNames: [OrganizationID: String]

    /// Loads a recommendation the actor may read; one they may not read does not exist for them.
    static func load(_ id: RecommendationID, by actor: Principal, store: any HubStore) async throws -> RecommendationContext {
        guard let recommendation = try await store.recommendation(id),
              Permissions.canReadWorkspaceContent(actor, recommendation.workspaceID),
              let workspace = try await store.workspace(recommendation.workspaceID) else {
            throw actor.isSignedIn ? DomainError.notFound("recommendation") : DomainError.unauthenticated
        }
        let members = try await store.members(of: workspace.id)
        let organizations = try await store.organizations()
        let municipalityIDs = Set(organizations.filter { $0.kind == .municipality }.map(\.id))
        let participating = Set(members.compactMap { row -> OrganizationID? in
            guard row.membership.role != .observer, let org = row.membership.organizationID, municipalityIDs.contains(org) else { return nil }
            return org
        })
        let membership = actor.userID.flatMap { user in members.first { $0.membership.userID == user }?.membership }
        return RecommendationContext(recommendation: recommendation, workspace: workspace, membership: membership, members: members,
                                     municipalities: participating,
                                     organizationNames: Dictionary(organizations.map { ($0.id, $0.name) }, uniquingKeysWith: { a, _ in a }))
    }

    var displayNames: [UserID: String] {
        Dictionary(members.map { ($0.membership.userID, $0.displayName) }, uniquingKeysWith: { a, _ in a })
    }

    func signOffState(_ signOffs: [SignOff], for actor: Principal, names: [UserID: String]) -> SignOffStateView {
        let valid = SignOffRules.valid(signOffs, for: recommendation)
        let required = SignOffRules.required(kind: workspace.kind, participatingMunicipalities: municipalities)
        func orgName(_ c: SignOffCapacity) -> String? { if case .municipality(let id) = c { organizationNames[id] } else { nil } }
        let slots = required.map { capacity in
            SignOffSlotView(capacity: capacity.key, organization: orgName(capacity),
                            given: valid.first { $0.capacity == capacity }.map {
                                SignOffView($0, displayName: names[$0.userID] ?? "", organizationName: orgName(capacity))
                            })
        }
        let mine = recommendation.status == .draft
            ? SignOffRules.capacities(of: actor, membership: membership, kind: workspace.kind, participatingMunicipalities: municipalities)
                .filter { capacity in !valid.contains { $0.capacity == capacity } }
            : []
        return SignOffStateView(slots: slots, mayGiveAs: mine.map(\.key),
                                missing: recommendation.status == .draft ? RecommendationRules.completenessIssues(recommendation.profile) : [])
    }
}

extension ServiceDependencies {
    /// Display names of users not (or no longer) in a workspace, looked up one by one.
    func names(_ ids: some Sequence<UserID>, known: [UserID: String]) async throws -> [UserID: String] {
        var names = known
        for id in Set(ids) where names[id] == nil {
            names[id] = try await store.user(id)?.displayName ?? ""
        }
        return names
    }

    func knownPolicyFields() async throws -> Set<PolicyFieldID> {
        try await Set(store.policyFields().value.map(\.id))
    }
}

extension Principal {
    /// The actor's own display name, for events that name who acted.
    var nameTable: [UserID: String] {
        guard let userID else { return [:] }
        return [userID: displayName ?? ""]
    }
}
