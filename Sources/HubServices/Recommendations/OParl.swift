import Foundation
import HubCore

/// The catalogue as an OParl 1.1 read API (the German standard for council information
/// systems), so council information systems and open-data portals can take the district's
/// recommendations in: each catalogue entry is a `Paper` of type "Handlungsempfehlung" whose
/// originator is its workspace, with a `Consultation` for the steering group's rating and one
/// per council decision. Objects are plain JSON; absent properties are left out.
public struct OParl: Sendable {
    /// Where the hub is reachable (`https://roundtable.kreis.example`), for the objects' URLs.
    public let origin: String
    public let bodyName: String

    public init(origin: String, bodyName: String = "Kreis") {
        self.origin = origin.hasSuffix("/") ? String(origin.dropLast()) : origin
        self.bodyName = bodyName
    }

    public static let version = "https://schema.oparl.org/1.1/"
    public static let pageSize = 100

    var base: String { "\(origin)/api/oparl/1.1" }
    var bodyURL: String { "\(base)/bodies/district" }
    public func paperURL(_ reference: CatalogueReference) -> String { "\(base)/papers/\(reference)" }
    func organizationURL(_ key: String) -> String { "\(base)/organizations/\(key)" }
    static func type(_ name: String) -> String { "https://schema.oparl.org/1.1/\(name)" }

    public typealias Object = [String: JSONValue]

    public func system() -> Object {
        ["id": .string("\(base)/system"), "type": .string(Self.type("System")), "oparlVersion": .string(Self.version),
         "body": .string("\(base)/bodies"), "name": .string("Roundtable – \(bodyName)"), "website": .string(origin)]
    }

    public func body() -> Object {
        ["id": .string(bodyURL), "type": .string(Self.type("Body")), "system": .string("\(base)/system"), "name": .string(bodyName),
         "shortName": .string(bodyName), "website": .string(origin),
         "organization": .string("\(bodyURL)/organizations"), "person": .string("\(bodyURL)/people"), "meeting": .string("\(bodyURL)/meetings"),
         "paper": .string("\(bodyURL)/papers"), "legislativeTerm": .array([]),
         "agendaItem": .string("\(bodyURL)/agenda-items"), "file": .string("\(bodyURL)/files"),
         "classification": .string("Landkreis")]
    }

    /// The steering group and council bodies are named by text; their keys derive from it.
    static func slug(_ name: String) -> String {
        let folded = name.folding(options: [.diacriticInsensitive, .caseInsensitive], locale: Locale(identifier: "de_DE")).replacingOccurrences(of: "ß", with: "ss")
        let parts = folded.lowercased().split(whereSeparator: { !($0.isASCII && ($0.isLetter || $0.isNumber)) })
        return parts.joined(separator: "-")
    }

    static let steeringKey = "steuerungsgruppe"

    public func paper(_ entry: CatalogueEntry, decisions: [CouncilDecision], reports: [ImplementationReport],
                      policyFieldNames: [PolicyFieldID: String]) -> Object {
        let paper = paperURL(entry.reference)
        var consultations: [JSONValue] = []
        if let consensus = entry.consensus {
            consultations.append(.object([
                "id": .string("\(paper)/consultations/steering"), "type": .string(Self.type("Consultation")), "paper": .string(paper),
                "organization": .array([.string(organizationURL(Self.steeringKey))]), "authoritative": .bool(false),
                "role": .string("Einschätzung: \(Self.ratingText(consensus.level))"),
                "created": .string(WireJSON.formatInstant(consensus.at)), "modified": .string(WireJSON.formatInstant(consensus.at)),
            ]))
        }
        for decision in decisions.sorted(by: { ($0.decidedOn, $0.id.description) < ($1.decidedOn, $1.id.description) }) {
            consultations.append(.object([
                "id": .string("\(paper)/consultations/\(decision.id)"), "type": .string(Self.type("Consultation")), "paper": .string(paper),
                "organization": .array([.string(organizationURL("gremium-\(Self.slug(decision.body))"))]),
                "authoritative": .bool(decision.outcome != .deferred), "role": .string("Beschlussfassung: \(Self.outcomeText(decision.outcome))"),
                "created": .string(WireJSON.formatInstant(decision.recordedAt)), "modified": .string(WireJSON.formatInstant(decision.recordedAt)),
            ]))
        }
        let modified = ([entry.finishedAt, entry.consensus?.at].compactMap { $0 } + decisions.map(\.recordedAt) + reports.map(\.at)).max() ?? entry.finishedAt
        return [
            "id": .string(paper), "type": .string(Self.type("Paper")), "body": .string(bodyURL), "name": .string(entry.profile.title),
            "reference": .string(entry.reference.description), "date": .string(LocalDate.berlin(entry.finishedAt).description),
            "paperType": .string("Handlungsempfehlung"),
            "originatorOrganization": .array([.string(organizationURL(entry.workspaceID.description))]),
            "consultation": .array(consultations),
            "keyword": .array(entry.profile.policyFieldIDs.compactMap { policyFieldNames[$0] }.map { .string($0) }),
            "web": .string("\(origin)/#/catalogue/\(entry.reference)"),
            "created": .string(WireJSON.formatInstant(entry.finishedAt)), "modified": .string(WireJSON.formatInstant(modified)),
        ]
    }

    /// Workspaces that authored entries, the steering group and the council bodies that decided.
    public func organizations(workspaces: [Workspace], decisions: [CouncilDecision]) -> [Object] {
        var result: [Object] = workspaces.sorted { $0.id.description < $1.id.description }.map { organization(workspace: $0) }
        result.append(gremium(key: Self.steeringKey, name: "Steuerungsgruppe Sozialplanung"))
        var seen = Set<String>()
        for name in decisions.map(\.body).sorted() where seen.insert(Self.slug(name)).inserted {
            result.append(gremium(key: "gremium-\(Self.slug(name))", name: name))
        }
        return result
    }

    public func organization(workspace w: Workspace) -> Object {
        var o: Object = ["id": .string(organizationURL(w.id.description)), "type": .string(Self.type("Organization")), "body": .string(bodyURL),
                         "name": .string(w.name), "organizationType": .string(Self.kindText(w.kind)),
                         "created": .string(WireJSON.formatInstant(w.createdAt)), "modified": .string(WireJSON.formatInstant(w.updatedAt))]
        if let ends = w.endsOn { o["endDate"] = .string(ends.description) }
        return o
    }

    func gremium(key: String, name: String) -> Object {
        ["id": .string(organizationURL(key)), "type": .string(Self.type("Organization")), "body": .string(bodyURL), "name": .string(name),
         "organizationType": .string("Gremium")]
    }

    /// An OParl list page: `data`, `pagination`, `links`.
    /// `query` is kept on every link (e.g. `modified_since=…`, already encoded).
    public func page(_ objects: [Object], url: String, page: Int, query: String = "") -> Object {
        let url = query.isEmpty ? url : "\(url)?\(query)&"
        let total = objects.count
        let pages = max(1, (total + Self.pageSize - 1) / Self.pageSize)
        let current = min(max(page, 1), pages)
        let slice = objects.dropFirst((current - 1) * Self.pageSize).prefix(Self.pageSize)
        let sep = query.isEmpty ? "?" : ""
        var links: Object = ["first": .string("\(url)\(sep)page=1"), "last": .string("\(url)\(sep)page=\(pages)")]
        if current > 1 { links["prev"] = .string("\(url)\(sep)page=\(current - 1)") }
        if current < pages { links["next"] = .string("\(url)\(sep)page=\(current + 1)") }
        return ["data": .array(slice.map { .object($0) }),
                "pagination": .object(["totalElements": .int(total), "elementsPerPage": .int(Self.pageSize), "currentPage": .int(current),
                                       "totalPages": .int(pages)]),
                "links": .object(links)]
    }

    static func ratingText(_ level: RatingLevel) -> String {
        switch level {
        case .highlyRelevant: "in hohem Maße steuerungsrelevant"
        case .relevant: "steuerungsrelevant"
        case .lessRelevant: "weniger steuerungsrelevant"
        }
    }

    static func outcomeText(_ outcome: DecisionOutcome) -> String {
        switch outcome {
        case .adopted: "beschlossen"
        case .amended: "mit Änderungen beschlossen"
        case .rejected: "abgelehnt"
        case .deferred: "vertagt"
        }
    }

    static func kindText(_ kind: WorkspaceKind) -> String {
        switch kind {
        case .focusGroup: "Fokusgruppe"
        case .taskForce: "Task Force"
        case .planningTeam: "Planungsteam"
        }
    }
}

/// A JSON value with stable (sorted-key) encoding, for documents whose shape is defined
/// elsewhere (OParl).
public enum JSONValue: Sendable, Hashable, Encodable {
    case string(String), int(Int), bool(Bool), array([JSONValue]), object([String: JSONValue])

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        switch self {
        case .string(let s): try c.encode(s)
        case .int(let i): try c.encode(i)
        case .bool(let b): try c.encode(b)
        case .array(let a): try c.encode(a)
        case .object(let o): try c.encode(o)
        }
    }
}
