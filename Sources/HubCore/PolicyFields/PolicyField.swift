public typealias PolicyFieldID = Identifier<PolicyField>

/// One of the district's social-policy fields (Sozialpolitisches Handlungsfeld), decided by
/// the council. Some are prioritised in a given year.
public struct PolicyField: Sendable, Hashable, Codable, Identifiable {
    public let id: PolicyFieldID
    /// A stable slug (`housing`), used in URLs and exports.
    public let key: String
    public var nameDe: String
    public var nameEn: String
    /// Years in which the steering group prioritised this field, ascending.
    public var prioritisedYears: [Int]
    public var version: Int

    public init(id: PolicyFieldID, key: String, nameDe: String, nameEn: String, prioritisedYears: [Int], version: Int) {
        self.id = id
        self.key = key
        self.nameDe = nameDe
        self.nameEn = nameEn
        self.prioritisedYears = prioritisedYears
        self.version = version
    }
}

/// Changing a policy field: only administrators (the planning staff) may.
public enum PolicyFieldRules {
    public static func setPrioritised(
        years: [Int], on field: PolicyField, expectedVersion: Int, by actor: Principal
    ) throws(DomainError) -> (PolicyField, [DomainEvent]) {
        guard actor.isSignedIn else { throw .unauthenticated }
        guard Permissions.canEditPolicyFields(actor) else { throw actor.adminRefusal }
        guard expectedVersion == field.version else { throw .versionConflict }
        let issues = years.enumerated().compactMap { index, year in
            (2000...2100).contains(year) ? nil
                : FieldIssue(field: "prioritisedYears[\(index)]", code: "outOfRange", message: "A year between 2000 and 2100.")
        }
        guard issues.isEmpty else { throw .validation(issues) }
        var next = field
        next.prioritisedYears = Array(Set(years)).sorted()
        guard next != field else { return (field, []) }
        next.version += 1
        return (next, [.policyFieldUpdated(next)])
    }
}
