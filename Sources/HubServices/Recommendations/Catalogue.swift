import Foundation
import HubCore

/// The public catalogue: everyone may read it, signed in or not.
public struct CatalogueQueries: Sendable {
    let deps: ServiceDependencies

    public init(deps: ServiceDependencies) { self.deps = deps }

    public struct Filter: Sendable, Hashable {
        public var policyField: PolicyFieldID?
        public var workspace: WorkspaceID?
        public var year: Int?
        public var status: TrackingStatus?
        public var rating: RatingLevel?
        /// Words that must all occur (case- and accent-insensitive) in the profile's text.
        public var text: String?

        public init(policyField: PolicyFieldID? = nil, workspace: WorkspaceID? = nil, year: Int? = nil, status: TrackingStatus? = nil,
                    rating: RatingLevel? = nil, text: String? = nil) {
            self.policyField = policyField
            self.workspace = workspace
            self.year = year
            self.status = status
            self.rating = rating
            self.text = text
        }
    }

    /// An entry with its public view (decisions, reports and status included).
    public struct Item: Sendable {
        public let entry: CatalogueEntry
        public let view: CatalogueEntryView
    }

    /// Entries matching the filter, newest reference first.
    public func list(_ filter: Filter) async throws -> Snapshot<[Item]> {
        let snapshot = try await deps.store.catalogue()
        let words = (filter.text ?? "").split(whereSeparator: \.isWhitespace).map { Self.fold(String($0)) }
        let items = snapshot.value.filter { e in
            (filter.policyField.map { e.profile.policyFieldIDs.contains($0) } ?? true)
                && (filter.workspace.map { e.workspaceID == $0 } ?? true)
                && (filter.year.map { e.year == $0 } ?? true)
                && (filter.rating.map { e.consensus?.level == $0 } ?? true)
                && (words.isEmpty || {
                    let haystack = Self.fold(ProfileSection.allCases.map { e.profile.text(of: $0) }.joined(separator: " ")
                                             + " " + e.reference.description + " " + e.workspaceName)
                    return words.allSatisfy { haystack.contains($0) }
                }())
        }
        let sorted = items.sorted { $0.reference > $1.reference }
        let views = try await Tracking(deps: deps).views(sorted)
        let result = zip(sorted, views).map { Item(entry: $0, view: $1) }.filter { item in filter.status.map { item.view.status == $0 } ?? true }
        return Snapshot(value: result, cursor: snapshot.cursor)
    }

    public func entry(_ reference: CatalogueReference) async throws -> CatalogueEntry {
        guard let entry = try await deps.store.catalogueEntry(reference) else { throw DomainError.notFound("catalogueEntry") }
        return entry
    }

    static func fold(_ text: String) -> String {
        text.folding(options: [.caseInsensitive, .diacriticInsensitive], locale: Locale(identifier: "de_DE"))
    }

    /// The catalogue as CSV (RFC 4180, comma-separated, CRLF, UTF-8 with a byte-order mark
    /// so spreadsheet programs detect the encoding). Cells that a spreadsheet would read as
    /// a formula are prefixed with an apostrophe (CSV injection).
    public static func csv(_ items: [Item], policyFieldNames: [PolicyFieldID: String]) -> String {
        let header = ["reference", "year", "title", "workspace", "policyFields", "status", "rating", "ratingJustification", "goals",
                      "measures", "targetGroups", "responsibleBody", "personnelFte", "durationMonths", "moneyEuroPerYear", "budgetYears",
                      "impactKinds", "indicators", "finishedAt"]
        var lines = [header.map(cell).joined(separator: ",")]
        for item in items {
            let e = item.entry
            let p = e.profile
            let row: [String] = [
                e.reference.description, String(e.year), p.title, e.workspaceName,
                p.policyFieldIDs.map { policyFieldNames[$0] ?? $0.description }.joined(separator: "; "),
                item.view.status.rawValue, e.consensus?.level.rawValue ?? "", e.consensus?.justification ?? "", p.goals, p.measures, p.targetGroups,
                p.responsibleBody, p.resources.personnelFTE.map { String($0) } ?? "", p.resources.durationMonths.map(String.init) ?? "",
                p.resources.moneyEuroPerYear.map(String.init) ?? "", p.budgetYears.map(String.init).joined(separator: "/"),
                p.impactKinds.map(\.rawValue).joined(separator: " "), p.text(of: .indicators), WireJSON.formatInstant(e.finishedAt),
            ]
            lines.append(row.map(cell).joined(separator: ","))
        }
        return "\u{FEFF}" + lines.joined(separator: "\r\n") + "\r\n"
    }

    /// One CSV cell: quoted when needed; text a spreadsheet would run as a formula gets an apostrophe.
    public static func cell(_ raw: String) -> String {
        var text = raw
        if let first = text.unicodeScalars.first, "=+-@\t\r".unicodeScalars.contains(first) { text = "'" + text }
        let needsQuotes = text.contains { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" || $0 == "'" }
        return needsQuotes ? "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : text
    }
}
