import Foundation
import HubCore
import HubServices
import Hummingbird
import NIOCore

/// The public catalogue (no sign-in needed) and the steering group's rating.
struct CatalogueController {
    let deps: ServiceDependencies

    struct RatingBody: Decodable {
        let level: RatingLevel
        let justification: String
    }

    struct DecisionBody: Decodable {
        let decidedOn: String
        let body: String
        let outcome: DecisionOutcome
        let note: String?
    }

    struct ReportBody: Decodable {
        let reportedOn: String
        let status: ImplementationStatus
        let values: [IndicatorValue]?
        let note: String?
    }

    struct RoundBody: Decodable {
        let opensOn: String
        let closesOn: String
    }

    func add(to router: Router<HubRequestContext>) {
        router.get("/api/v1/catalogue") { request, context in try await list(request, context) }
        router.get("/api/v1/catalogue.csv") { request, context in try await csv(request, context) }
        router.get("/api/v1/catalogue/:reference") { request, context in try await entry(request, context) }
        router.put("/api/v1/catalogue/:reference/consensus") { request, context in try await consensus(request, context) }
        router.put("/api/v1/catalogue/:reference/ratings/mine") { request, context in try await rate(request, context) }
        router.post("/api/v1/catalogue/:reference/decisions") { request, context in try await decide(request, context) }
        router.post("/api/v1/catalogue/:reference/reports") { request, context in try await report(request, context) }
        router.get("/api/v1/catalogue/:reference/indicators/:index/chart") { request, context in try await chart(request, context) }
        router.get("/api/v1/workspaces/:id/reports-due") { request, context in try await reportsDue(request, context) }
        router.get("/api/v1/rating-rounds") { request, context in try await rounds(request, context) }
        router.put("/api/v1/rating-rounds/:year") { request, context in try await putRound(request, context) }
        router.get("/api/v1/rating-rounds/:year/summary") { request, context in try await summary(request, context) }
    }

    static func reference(_ context: HubRequestContext) throws -> CatalogueReference {
        guard let text = context.parameters.get("reference"), let reference = CatalogueReference(text) else {
            throw DomainError.notFound("catalogueEntry")
        }
        return reference
    }

    static func year(_ context: HubRequestContext) throws -> Int {
        guard let text = context.parameters.get("year"), let year = Int(text), (2000...2100).contains(year) else {
            throw DomainError.notFound("ratingRound")
        }
        return year
    }

    static func filter(_ request: Request) throws -> CatalogueQueries.Filter {
        let query = request.uri.queryParameters
        var filter = CatalogueQueries.Filter()
        func invalid(_ field: String, _ message: String) -> DomainError {
            DomainError.validation([FieldIssue(field: field, code: "invalid", message: message)])
        }
        if let text = query.get("policyField") {
            guard let id = PolicyFieldID(text) else { throw invalid("policyField", "A policy field id.") }
            filter.policyField = id
        }
        if let text = query.get("workspace") {
            guard let id = WorkspaceID(text) else { throw invalid("workspace", "A workspace id.") }
            filter.workspace = id
        }
        if let text = query.get("year") {
            guard let year = Int(text) else { throw invalid("year", "A year such as 2026.") }
            filter.year = year
        }
        if let text = query.get("status") {
            guard let status = TrackingStatus(rawValue: text) else {
                throw invalid("status", TrackingStatus.allCases.map(\.rawValue).joined(separator: ", ") + ".")
            }
            filter.status = status
        }
        if let text = query.get("rating") {
            guard let level = RatingLevel(rawValue: text) else { throw invalid("rating", "highlyRelevant, relevant or lessRelevant.") }
            filter.rating = level
        }
        // Form submissions encode spaces as "+" (application/x-www-form-urlencoded); read them as spaces.
        if let text = query.get("q")?.replacingOccurrences(of: "+", with: " "), !text.isEmpty {
            guard text.count <= 200 else { throw invalid("q", "At most 200 characters.") }
            filter.text = text
        }
        return filter
    }

    func list(_ request: Request, _ context: HubRequestContext) async throws -> Response {
        let snapshot = try await CatalogueQueries(deps: deps).list(try Self.filter(request))
        return JSONIO.response(ListResponse(items: snapshot.value.map(\.view), cursor: snapshot.cursor))
    }

    func csv(_ request: Request, _ context: HubRequestContext) async throws -> Response {
        let snapshot = try await CatalogueQueries(deps: deps).list(try Self.filter(request))
        let names = Dictionary(try await deps.store.policyFields().value.map { ($0.id, $0.nameDe) }, uniquingKeysWith: { a, _ in a })
        let text = CatalogueQueries.csv(snapshot.value, policyFieldNames: names)
        return Response(status: .ok, headers: [.contentType: "text/csv; charset=utf-8",
                                               .contentDisposition: "attachment; filename=\"handlungsempfehlungen.csv\""],
                        body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    func entry(_ request: Request, _ context: HubRequestContext) async throws -> Response {
        JSONIO.response(try await Tracking(deps: deps).view(try await CatalogueQueries(deps: deps).entry(try Self.reference(context))))
    }

    func consensus(_ request: Request, _ context: HubRequestContext) async throws -> Response {
        let reference = try Self.reference(context)
        guard context.principal.isSignedIn else { throw DomainError.unauthenticated }
        let body = try await JSONIO.decode(RatingBody.self, from: request, context: context, limit: 16 << 10)
        let entry = try await Ratings(deps: deps).setConsensus(reference, level: body.level, justification: body.justification, by: context.principal)
        return JSONIO.response(try await Tracking(deps: deps).view(entry))
    }

    func rate(_ request: Request, _ context: HubRequestContext) async throws -> Response {
        let reference = try Self.reference(context)
        guard context.principal.isSignedIn else { throw DomainError.unauthenticated }
        let body = try await JSONIO.decode(RatingBody.self, from: request, context: context, limit: 16 << 10)
        let rating = try await Ratings(deps: deps).rate(reference, level: body.level, justification: body.justification, by: context.principal)
        return JSONIO.response(RatingView(rating, displayName: context.principal.displayName ?? ""))
    }

    func rounds(_ request: Request, _ context: HubRequestContext) async throws -> Response {
        let rounds = try await Ratings(deps: deps).rounds(by: context.principal)
        return JSONIO.response(ListResponse(items: rounds.map(RatingRoundView.init), cursor: try await deps.store.cursor(topic: .steering)))
    }

    /// Creates a year's round, or changes it with `If-Match` (its version).
    func putRound(_ request: Request, _ context: HubRequestContext) async throws -> Response {
        let year = try Self.year(context)
        guard context.principal.isSignedIn else { throw DomainError.unauthenticated }
        let expected = request.headers[.ifMatch] == nil ? nil : try JSONIO.expectedVersion(request)
        let body = try await JSONIO.decode(RoundBody.self, from: request, context: context, limit: 4 << 10)
        guard let opens = LocalDate(body.opensOn) else {
            throw DomainError.validation([FieldIssue(field: "opensOn", code: "invalidDate", message: "A date of the form YYYY-MM-DD.")])
        }
        guard let closes = LocalDate(body.closesOn) else {
            throw DomainError.validation([FieldIssue(field: "closesOn", code: "invalidDate", message: "A date of the form YYYY-MM-DD.")])
        }
        let round = try await Ratings(deps: deps).setRound(year: year, opensOn: opens, closesOn: closes, expectedVersion: expected, by: context.principal)
        return JSONIO.response(RatingRoundView(round), status: round.version == 1 ? .created : .ok, headers: [.eTag: JSONIO.etag(round.version)])
    }

    func summary(_ request: Request, _ context: HubRequestContext) async throws -> Response {
        let items = try await Ratings(deps: deps).summary(year: try Self.year(context), by: context.principal)
        return JSONIO.response(ListResponse(items: items, cursor: nil))
    }

    static func day(_ text: String, field: String) throws -> LocalDate {
        guard let day = LocalDate(text) else {
            throw DomainError.validation([FieldIssue(field: field, code: "invalidDate", message: "A date of the form YYYY-MM-DD.")])
        }
        return day
    }

    func decide(_ request: Request, _ context: HubRequestContext) async throws -> Response {
        let reference = try Self.reference(context)
        guard context.principal.isSignedIn else { throw DomainError.unauthenticated }
        let body = try await JSONIO.decode(DecisionBody.self, from: request, context: context, limit: 16 << 10)
        let decision = try await Tracking(deps: deps).recordDecision(reference, decidedOn: try Self.day(body.decidedOn, field: "decidedOn"), body: body.body,
                                                                    outcome: body.outcome, note: body.note ?? "", by: context.principal)
        return JSONIO.response(DecisionView(decision), status: .created)
    }

    func report(_ request: Request, _ context: HubRequestContext) async throws -> Response {
        let reference = try Self.reference(context)
        guard context.principal.isSignedIn else { throw DomainError.unauthenticated }
        let body = try await JSONIO.decode(ReportBody.self, from: request, context: context, limit: 64 << 10)
        let report = try await Tracking(deps: deps).report(reference, reportedOn: try Self.day(body.reportedOn, field: "reportedOn"), status: body.status,
                                                           values: body.values ?? [], note: body.note ?? "", by: context.principal)
        let entry = try await CatalogueQueries(deps: deps).entry(reference)
        return JSONIO.response(ReportView(report, indicators: entry.profile.indicators), status: .created)
    }

    /// An indicator's course as SVG (public); the entry's JSON carries the same values as a table.
    func chart(_ request: Request, _ context: HubRequestContext) async throws -> Response {
        let entry = try await CatalogueQueries(deps: deps).entry(try Self.reference(context))
        guard let text = context.parameters.get("index"), let index = Int(text), entry.profile.indicators.indices.contains(index) else {
            throw DomainError.notFound("indicator")
        }
        let svg = IndicatorChart.svg(entry.profile.indicators[index], index: index, finishedOn: LocalDate.berlin(entry.finishedAt),
                                     reports: try await deps.store.reports(entry.reference))
        return Response(status: .ok, headers: [.contentType: "image/svg+xml; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(string: svg)))
    }

    func reportsDue(_ request: Request, _ context: HubRequestContext) async throws -> Response {
        let items = try await Tracking(deps: deps).reportsDue(in: try WorkspaceController.workspaceID(context), by: context.principal)
        return JSONIO.response(ListResponse(items: items, cursor: nil))
    }
}
