import Foundation
import HubCore
import HubServices
import Hummingbird

/// Drafting recommendations: create, read, save sections, history, restore, sign-off.
struct RecommendationController {
    let deps: ServiceDependencies
    let settings: HTTPSettings

    /// A partial profile: the sections present are the sections saved.
    struct ProfileBody: Decodable {
        let title: String?
        let policyFieldIds: [String]?
        let situation: String?
        let dataBasis: String?
        let goals: String?
        let measures: String?
        let targetGroups: String?
        let responsibleBody: String?
        let resources: Resources?
        let budgetYears: [Int]?
        let impactKinds: [ImpactKind]?
        let indicators: [IndicatorSpec]?
        let timeline: String?

        func patch() throws -> ProfilePatch {
            var p = RecommendationProfile(title: "")
            var sections = Set<ProfileSection>()
            func take<V>(_ value: V?, _ section: ProfileSection, _ set: (inout RecommendationProfile, V) -> Void) {
                if let value { set(&p, value); sections.insert(section) }
            }
            take(title, .title) { $0.title = $1 }
            take(try WorkspaceController.policyFieldIDs(policyFieldIds), .policyFields) { $0.policyFieldIDs = $1 }
            take(situation, .situation) { $0.situation = $1 }
            take(dataBasis, .dataBasis) { $0.dataBasis = $1 }
            take(goals, .goals) { $0.goals = $1 }
            take(measures, .measures) { $0.measures = $1 }
            take(targetGroups, .targetGroups) { $0.targetGroups = $1 }
            take(responsibleBody, .responsibleBody) { $0.responsibleBody = $1 }
            take(resources, .resources) { $0.resources = $1 }
            take(budgetYears, .budgetYears) { $0.budgetYears = $1 }
            take(impactKinds, .impactKinds) { $0.impactKinds = $1 }
            take(indicators, .indicators) { $0.indicators = $1 }
            take(timeline, .timeline) { $0.timeline = $1 }
            return ProfilePatch(content: p, sections: sections)
        }
    }

    struct SignOffBody: Decodable { let capacity: String }

    struct CommentBody: Decodable {
        let section: ProfileSection?
        let body: String?
        /// A proposed new text for `section` (makes the comment a suggestion).
        let suggestion: String?
        let baseRevision: Int
    }

    func add(to router: Router<HubRequestContext>) {
        router.get("/api/v1/workspaces/:id/recommendations") { request, context in try await list(request, context) }
        router.post("/api/v1/workspaces/:id/recommendations") { request, context in try await create(request, context) }
        router.get("/api/v1/recommendations/:rid") { request, context in try await get(request, context) }
        router.patch("/api/v1/recommendations/:rid") { request, context in try await save(request, context) }
        router.get("/api/v1/recommendations/:rid/revisions") { request, context in try await revisions(request, context) }
        router.get("/api/v1/recommendations/:rid/revisions/:number") { request, context in try await revision(request, context) }
        router.post("/api/v1/recommendations/:rid/revisions/:number/restore") { request, context in try await restore(request, context) }
        router.get("/api/v1/recommendations/:rid/similar") { request, context in try await similar(request, context) }
        router.post("/api/v1/recommendations/:rid/sign-offs") { request, context in try await signOff(request, context) }
        router.delete("/api/v1/recommendations/:rid/sign-offs/:capacity") { request, context in try await withdraw(request, context) }
        router.get("/api/v1/recommendations/:rid/comments") { request, context in try await comments(request, context) }
        router.post("/api/v1/recommendations/:rid/comments") { request, context in try await addComment(request, context) }
        router.post("/api/v1/recommendations/:rid/comments/:cid/resolve") { request, context in try await resolve(request, context) }
        router.post("/api/v1/recommendations/:rid/comments/:cid/accept") { request, context in try await decide(true, request, context) }
        router.post("/api/v1/recommendations/:rid/comments/:cid/reject") { request, context in try await decide(false, request, context) }
    }

    static func recommendationID(_ context: HubRequestContext) throws -> RecommendationID {
        guard let text = context.parameters.get("rid"), let id = RecommendationID(text) else { throw DomainError.notFound("recommendation") }
        return id
    }

    static func number(_ context: HubRequestContext) throws -> Int {
        guard let text = context.parameters.get("number"), let n = Int(text), n >= 1 else { throw DomainError.notFound("revision") }
        return n
    }

    func list(_ request: Request, _ context: HubRequestContext) async throws -> Response {
        let (items, cursor) = try await RecommendationQueries(deps: deps).list(in: try WorkspaceController.workspaceID(context), by: context.principal)
        return JSONIO.response(ListResponse(items: items.map(RecommendationView.init), cursor: cursor))
    }

    func create(_ request: Request, _ context: HubRequestContext) async throws -> Response {
        let workspace = try WorkspaceController.workspaceID(context)
        guard context.principal.isSignedIn else { throw DomainError.unauthenticated }
        let body = try await JSONIO.decode(ProfileBody.self, from: request, context: context, limit: settings.maxBodyBytes)
        let recommendation = try await CreateRecommendation(deps: deps)(try body.patch().content, in: workspace, by: context.principal)
        return JSONIO.response(RecommendationView(recommendation), status: .created,
                               headers: [.eTag: JSONIO.etag(recommendation.revision), .location: "/api/v1/recommendations/\(recommendation.id)"])
    }

    func get(_ request: Request, _ context: HubRequestContext) async throws -> Response {
        let detail = try await RecommendationQueries(deps: deps).detail(try Self.recommendationID(context), by: context.principal)
        return JSONIO.response(detail, headers: [.eTag: JSONIO.etag(detail.recommendation.revision)])
    }

    /// Saves the sections in the body on top of the revision in `If-Match`. Others' changes
    /// to other sections are kept (merged); the same section changed by both is a 409 that
    /// names the sections and carries the current state.
    func save(_ request: Request, _ context: HubRequestContext) async throws -> Response {
        let id = try Self.recommendationID(context)
        guard context.principal.isSignedIn else { throw DomainError.unauthenticated }
        let base = try JSONIO.expectedVersion(request)
        let body = try await JSONIO.decode(ProfileBody.self, from: request, context: context, limit: settings.maxBodyBytes)
        do {
            let result = try await SaveRecommendation(deps: deps)(id, patch: try body.patch(), baseRevision: base, by: context.principal)
            return JSONIO.response(result, headers: [.eTag: JSONIO.etag(result.recommendation.revision)])
        } catch let conflict as RecommendationEditConflict {
            throw ConflictError(error: conflict.error, current: WireJSON.string(conflict.current))
        } catch let error as DomainError where error == .versionConflict {
            let current = try await RecommendationQueries(deps: deps).detail(id, by: context.principal)
            throw ConflictError(error: error, current: WireJSON.string(current.recommendation))
        }
    }

    func revisions(_ request: Request, _ context: HubRequestContext) async throws -> Response {
        let items = try await RecommendationQueries(deps: deps).revisions(try Self.recommendationID(context), by: context.principal)
        return JSONIO.response(ListResponse(items: items, cursor: nil))
    }

    func revision(_ request: Request, _ context: HubRequestContext) async throws -> Response {
        var against: Int?
        if let text = request.uri.queryParameters.get("against") {
            guard let n = Int(text), n >= 1 else {
                throw DomainError.validation([FieldIssue(field: "against", code: "invalid", message: "A revision number.")])
            }
            against = n
        }
        let detail = try await RecommendationQueries(deps: deps).revision(try Self.recommendationID(context), number: try Self.number(context),
                                                                          against: against, by: context.principal)
        return JSONIO.response(detail)
    }

    func restore(_ request: Request, _ context: HubRequestContext) async throws -> Response {
        let id = try Self.recommendationID(context)
        guard context.principal.isSignedIn else { throw DomainError.unauthenticated }
        let expected = try JSONIO.expectedVersion(request)
        do {
            let recommendation = try await RestoreRevision(deps: deps)(id, revision: try Self.number(context), expectedRevision: expected,
                                                                       by: context.principal)
            return JSONIO.response(RecommendationView(recommendation), headers: [.eTag: JSONIO.etag(recommendation.revision)])
        } catch let error as DomainError where error == .versionConflict {
            let current = try await RecommendationQueries(deps: deps).detail(id, by: context.principal)
            throw ConflictError(error: error, current: WireJSON.string(current.recommendation))
        }
    }

    func similar(_ request: Request, _ context: HubRequestContext) async throws -> Response {
        let items = try await RecommendationQueries(deps: deps).similar(try Self.recommendationID(context), by: context.principal)
        return JSONIO.response(ListResponse(items: items, cursor: nil))
    }

    func signOff(_ request: Request, _ context: HubRequestContext) async throws -> Response {
        let id = try Self.recommendationID(context)
        guard context.principal.isSignedIn else { throw DomainError.unauthenticated }
        let revision = try JSONIO.expectedVersion(request)
        let body = try await JSONIO.decode(SignOffBody.self, from: request, context: context, limit: 4 << 10)
        guard let capacity = SignOffCapacity(key: body.capacity) else {
            throw DomainError.validation([FieldIssue(field: "capacity", code: "invalid", message: "coordinator or municipality:<id>.")])
        }
        _ = try await SignOffRecommendation(deps: deps)(id, capacity: capacity, revision: revision, by: context.principal)
        let detail = try await RecommendationQueries(deps: deps).detail(id, by: context.principal)
        return JSONIO.response(detail, status: .created, headers: [.eTag: JSONIO.etag(detail.recommendation.revision)])
    }

    func withdraw(_ request: Request, _ context: HubRequestContext) async throws -> Response {
        let id = try Self.recommendationID(context)
        guard let text = context.parameters.get("capacity"), let capacity = SignOffCapacity(key: text) else { throw DomainError.notFound("signOff") }
        try await WithdrawSignOff(deps: deps)(id, capacity: capacity, by: context.principal)
        return Response(status: .noContent)
    }

    static func commentID(_ context: HubRequestContext) throws -> CommentID {
        guard let text = context.parameters.get("cid"), let id = CommentID(text) else { throw DomainError.notFound("comment") }
        return id
    }

    func comments(_ request: Request, _ context: HubRequestContext) async throws -> Response {
        let items = try await Comments(deps: deps).list(try Self.recommendationID(context), by: context.principal)
        return JSONIO.response(ListResponse(items: items, cursor: nil))
    }

    func addComment(_ request: Request, _ context: HubRequestContext) async throws -> Response {
        let id = try Self.recommendationID(context)
        guard context.principal.isSignedIn else { throw DomainError.unauthenticated }
        let body = try await JSONIO.decode(CommentBody.self, from: request, context: context, limit: 64 << 10)
        let comment = try await Comments(deps: deps).add(id, section: body.section, body: body.body ?? "", suggestion: body.suggestion,
                                                         baseRevision: body.baseRevision, by: context.principal)
        return JSONIO.response(comment, status: .created)
    }

    func resolve(_ request: Request, _ context: HubRequestContext) async throws -> Response {
        let id = try Self.recommendationID(context)
        guard context.principal.isSignedIn else { throw DomainError.unauthenticated }
        return JSONIO.response(try await Comments(deps: deps).resolve(id, comment: try Self.commentID(context), by: context.principal))
    }

    func decide(_ accept: Bool, _ request: Request, _ context: HubRequestContext) async throws -> Response {
        let id = try Self.recommendationID(context)
        guard context.principal.isSignedIn else { throw DomainError.unauthenticated }
        do {
            return JSONIO.response(try await Comments(deps: deps).decide(id, comment: try Self.commentID(context), accept: accept, by: context.principal))
        } catch let conflict as RecommendationEditConflict {
            throw ConflictError(error: conflict.error, current: WireJSON.string(conflict.current))
        } catch let error as DomainError where error == .versionConflict {
            let current = try await RecommendationQueries(deps: deps).detail(id, by: context.principal)
            throw ConflictError(error: error, current: WireJSON.string(current.recommendation))
        }
    }
}
