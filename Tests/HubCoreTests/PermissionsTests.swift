import Foundation
import HubCore
import Testing

@Suite("Permissions and topics")
struct PermissionsTests {
    static let ws = WorkspaceID(UUID())
    static let other = WorkspaceID(UUID())

    static func principal(_ role: WorkspaceRole?, admin: Bool = false) -> Principal {
        Principal(userID: UserID(UUID()), displayName: "P", isAdmin: admin, memberships: role.map { [ws: $0] } ?? [:])
    }

    @Test("Subscriptions: directory for everyone signed in, a workspace for its members and administrators", arguments: [
        (Principal.anonymous, false, false), (principal(nil), true, false), (principal(.observer), true, true),
        (principal(.member), true, true), (principal(.coordinator), true, true), (principal(nil, admin: true), true, true),
    ])
    func subscriptions(actor: Principal, directory: Bool, workspace: Bool) {
        #expect(Permissions.canSubscribe(actor, to: .directory) == directory)
        #expect(Permissions.canSubscribe(actor, to: .workspace(Self.ws)) == workspace)
        // Membership in one workspace never opens another.
        #expect(Permissions.canSubscribe(actor, to: .workspace(Self.other)) == actor.isAdmin)
    }

    @Test("Topic names round-trip and reject garbage", arguments: ["directory", "workspace:\(ws)", "meeting:\(ws)"])
    func topicRoundTrip(text: String) {
        #expect(Topic(text)?.description == text)
    }

    @Test("Malformed topics are rejected", arguments: ["", "workspace", "workspace:", "workspace:not-a-uuid", "meeting:not-a-uuid", "sitzung:\(ws)", "directory:x"])
    func topicRejects(text: String) {
        #expect(Topic(text) == nil)
    }

    @Test("Local dates parse strictly", arguments: [
        ("2026-02-28", true), ("2024-02-29", true), ("2026-02-29", false), ("2026-13-01", false), ("2026-1-01", false),
        ("26-01-01", false), ("2026-01-01T00:00", false), ("２０２６-01-01", false),
    ])
    func localDates(text: String, valid: Bool) {
        #expect((LocalDate(text) != nil) == valid)
        if valid { #expect(LocalDate(text)?.description == text) }
    }

    @Test("Members: coordinators manage, a coordinator cannot demote themselves")
    func membership() throws {
        let coordinator = Self.principal(.coordinator)
        let w = Workspace(id: Self.ws, kind: .focusGroup, name: "Inklusion", description: "", policyFieldIDs: [], endsOn: nil, archived: false,
                          createdAt: Date(), updatedAt: Date(), version: 1)
        let today = LocalDate(year: 2026, month: 11, day: 22)!
        let newcomer = UserID(UUID())
        let town = OrganizationID(UUID())
        let (m, events) = try MembershipRules.set(role: .member, organization: town, for: newcomer, in: w, current: nil,
                                                  by: coordinator, today: today)
        #expect(m.organizationID == town && events == [.memberAdded(m)])
        #expect(throws: DomainError.forbidden) {
            try MembershipRules.set(role: .member, organization: nil, for: newcomer, in: w, current: nil, by: Self.principal(.member), today: today)
        }
        let own = Membership(workspaceID: Self.ws, userID: coordinator.userID!, role: .coordinator, organizationID: nil)
        #expect(throws: DomainError.self) {
            try MembershipRules.set(role: .member, organization: nil, for: coordinator.userID!, in: w, current: own, by: coordinator, today: today)
        }
        #expect(throws: DomainError.self, "a coordinator cannot remove themselves") {
            try MembershipRules.remove(own, from: w, by: coordinator, today: today)
        }
        let admin = Self.principal(nil, admin: true)
        #expect(try MembershipRules.remove(own, from: w, by: admin, today: today) == [.memberRemoved(own)])
    }

    @Test("Organizations: administrators keep them; names are normalized and checked")
    func organizations() throws {
        let admin = Self.principal(nil, admin: true)
        let created = try OrganizationRules.create(name: "  Stadt   Nordheim ", kind: .municipality, id: OrganizationID(UUID()), by: admin)
        #expect(created.name == "Stadt Nordheim" && created.kind == .municipality)
        #expect(throws: DomainError.forbidden) { try OrganizationRules.create(name: "Träger", kind: .agency, id: OrganizationID(UUID()), by: Self.principal(.coordinator)) }
        #expect(throws: DomainError.self) { try OrganizationRules.create(name: "x", kind: .agency, id: OrganizationID(UUID()), by: admin) }
        let renamed = try OrganizationRules.update(created, name: "Stadt Nordheim (Verwaltung)", kind: nil, by: admin)
        #expect(renamed.name == "Stadt Nordheim (Verwaltung)" && renamed.kind == .municipality)
    }
}
