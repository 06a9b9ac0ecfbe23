import HubCore
import HubServices
import Hummingbird

/// The district's policy fields: public to read, administrators change priorities.
struct PolicyFieldController {
    let queries: PolicyFieldQueries
    let setPriorities: SetPolicyFieldPriorities

    struct PrioritiesBody: Decodable {
        let prioritisedYears: [Int]
    }

    func add(to router: Router<HubRequestContext>) {
        router.get("/api/v1/policy-fields") { _, _ in
            let snapshot = try await queries.list()
            return JSONIO.response(ListResponse(items: snapshot.value.map(PolicyFieldView.init), cursor: snapshot.cursor))
        }
        router.put("/api/v1/policy-fields/:id/priorities") { request, context in
            guard let text = context.parameters.get("id"), let id = PolicyFieldID(text) else { throw DomainError.notFound("policyField") }
            guard context.principal.isSignedIn else { throw DomainError.unauthenticated }
            let expected = try JSONIO.expectedVersion(request)
            let body = try await JSONIO.decode(PrioritiesBody.self, from: request, context: context, limit: 8 << 10)
            let field: PolicyField
            do {
                field = try await setPriorities(id, years: body.prioritisedYears, expectedVersion: expected, by: context.principal)
            } catch let error as DomainError where error == .versionConflict {
                guard let current = try await queries.get(id) else { throw DomainError.notFound("policyField") }
                throw ConflictError(error: error, current: WireJSON.string(PolicyFieldView(current)))
            }
            return JSONIO.response(PolicyFieldView(field), headers: [.eTag: JSONIO.etag(field.version)])
        }
    }
}
