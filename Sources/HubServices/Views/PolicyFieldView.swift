import HubCore

/// A policy field as clients see it.
public struct PolicyFieldView: Sendable, Hashable, Codable {
    public let id: String
    public let key: String
    public let nameDe: String
    public let nameEn: String
    public let prioritisedYears: [Int]
    public let version: Int

    public init(_ f: PolicyField) {
        id = f.id.description
        key = f.key
        nameDe = f.nameDe
        nameEn = f.nameEn
        prioritisedYears = f.prioritisedYears
        version = f.version
    }
}

/// The signed-in user as clients see themselves.
public struct UserView: Sendable, Hashable, Codable {
    public let id: String
    public let email: String
    public let displayName: String
    public let isAdmin: Bool
    public let isSteering: Bool

    public init(_ u: User) {
        id = u.id.description
        email = u.email
        displayName = u.displayName
        isAdmin = u.isAdmin
        isSteering = u.isSteering
    }
}
