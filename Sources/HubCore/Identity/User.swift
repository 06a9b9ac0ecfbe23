public typealias UserID = Identifier<User>

/// A person with an account. Personal fields are listed in Docs/data-protection.md.
public struct User: Sendable, Hashable, Codable, Identifiable {
    public let id: UserID
    /// Stored lower-cased; unique.
    public var email: String
    public var displayName: String
    /// Platform administrator (the district's planning staff, SoziUS).
    public var isAdmin: Bool
    /// Member of the steering group (Steuerungsgruppe): rates finished recommendations.
    public var isSteering: Bool

    public init(id: UserID, email: String, displayName: String, isAdmin: Bool, isSteering: Bool = false) {
        self.id = id
        self.email = email
        self.displayName = displayName
        self.isAdmin = isAdmin
        self.isSteering = isSteering
    }
}
