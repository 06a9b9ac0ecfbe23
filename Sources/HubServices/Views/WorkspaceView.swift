import Foundation
import HubCore

/// A workspace as clients see it, over HTTP and in events.
public struct WorkspaceView: Sendable, Hashable, Codable {
    public let id: String
    public let kind: WorkspaceKind
    public let name: String
    public let description: String
    public let policyFieldIds: [String]
    public let endsOn: String?
    public let archived: Bool
    public let createdAt: Date
    public let updatedAt: Date
    public let version: Int

    public init(_ w: Workspace) {
        id = w.id.description
        kind = w.kind
        name = w.name
        description = w.description
        policyFieldIds = w.policyFieldIDs.map(\.description)
        endsOn = w.endsOn?.description
        archived = w.archived
        createdAt = w.createdAt
        updatedAt = w.updatedAt
        version = w.version
    }

    // Always encode `endsOn`, as null when absent, so clients see one stable shape.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(id, forKey: .id)
        try c.encode(kind, forKey: .kind)
        try c.encode(name, forKey: .name)
        try c.encode(description, forKey: .description)
        try c.encode(policyFieldIds, forKey: .policyFieldIds)
        try c.encode(endsOn, forKey: .endsOn)
        try c.encode(archived, forKey: .archived)
        try c.encode(createdAt, forKey: .createdAt)
        try c.encode(updatedAt, forKey: .updatedAt)
        try c.encode(version, forKey: .version)
    }
}

/// A member of a workspace as clients see it.
public struct MemberView: Sendable, Hashable, Codable {
    public let userId: String
    public let displayName: String
    public let role: WorkspaceRole
    public let organizationId: String?
    /// The organization's name, for display.
    public let organization: String?

    public init(_ m: Membership, displayName: String, organizationName: String?) {
        userId = m.userID.description
        self.displayName = displayName
        role = m.role
        organizationId = m.organizationID?.description
        organization = organizationName
    }

    public init(_ row: MemberRow) {
        self.init(row.membership, displayName: row.displayName, organizationName: row.organizationName)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(userId, forKey: .userId)
        try c.encode(displayName, forKey: .displayName)
        try c.encode(role, forKey: .role)
        try c.encode(organizationId, forKey: .organizationId)
        try c.encode(organization, forKey: .organization)
    }
}

/// An organization as clients see it.
public struct OrganizationView: Sendable, Hashable, Codable {
    public let id: String
    public let name: String
    public let kind: OrganizationKind

    public init(_ o: Organization) {
        id = o.id.description
        name = o.name
        kind = o.kind
    }
}
