import Foundation

public typealias OrganizationID = Identifier<Organization>

/// What kind of body an organization is.
public enum OrganizationKind: String, Sendable, Hashable, Codable, CaseIterable {
    /// The district administration (Kreisverwaltung) and its offices.
    case district
    /// A town or municipality (Kommune) of the district.
    case municipality
    /// An agency or NGO (Träger, Wohlfahrtsverband, Beratungsstelle).
    case agency
    /// A council or advisory body (Seniorenrat, Jugendrat, Beirat).
    case council
    case other
}

/// An organization or municipality that members speak for. In municipal planning teams each
/// member's organization is recorded, so sign-off can require every municipality.
public struct Organization: Sendable, Hashable, Codable, Identifiable {
    public let id: OrganizationID
    public var name: String
    public var kind: OrganizationKind

    public init(id: OrganizationID, name: String, kind: OrganizationKind) {
        self.id = id
        self.name = name
        self.kind = kind
    }
}

/// Administrators keep the list of organizations.
public enum OrganizationRules {
    public static let nameLength = 2...160

    public static func create(name: String, kind: OrganizationKind, id: OrganizationID, by actor: Principal) throws(DomainError) -> Organization {
        guard Permissions.canAdministerUsers(actor) else { throw actor.adminRefusal }
        return Organization(id: id, name: try validName(name), kind: kind)
    }

    public static func update(_ organization: Organization, name: String?, kind: OrganizationKind?, by actor: Principal) throws(DomainError) -> Organization {
        guard Permissions.canAdministerUsers(actor) else { throw actor.adminRefusal }
        var next = organization
        if let name { next.name = try validName(name) }
        if let kind { next.kind = kind }
        return next
    }

    static func validName(_ raw: String) throws(DomainError) -> String {
        let name = raw.split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
        guard nameLength.contains(name.count), !name.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else {
            throw .validation([FieldIssue(field: "name", code: "invalid", message: "A name of \(nameLength.lowerBound) to \(nameLength.upperBound) characters.")])
        }
        return name
    }
}
