import Foundation
import HubCore
import HubServices
import Hummingbird

/// The OParl 1.1 read API over the catalogue (public, like the catalogue itself).
struct OParlController {
    let deps: ServiceDependencies
    let settings: HTTPSettings

    var oparl: OParl { OParl(origin: settings.publicOrigin) }

    func add(to router: Router<HubRequestContext>) {
        router.get("/api/oparl/1.1/system") { _, _ in JSONIO.response(oparl.system()) }
        router.get("/api/oparl/1.1/bodies") { request, _ in JSONIO.response(oparl.page([oparl.body()], url: "\(oparl.origin)/api/oparl/1.1/bodies", page: Self.page(request))) }
        router.get("/api/oparl/1.1/bodies/district") { _, _ in JSONIO.response(oparl.body()) }
        router.get("/api/oparl/1.1/bodies/district/papers") { request, _ in try await papers(request) }
        router.get("/api/oparl/1.1/bodies/district/organizations") { request, _ in try await organizations(request) }
        router.get("/api/oparl/1.1/bodies/district/people") { request, _ in empty(request, "people") }
        router.get("/api/oparl/1.1/bodies/district/meetings") { request, _ in empty(request, "meetings") }
        router.get("/api/oparl/1.1/papers/:reference") { _, context in try await paper(context) }
    }

    static func page(_ request: Request) -> Int { request.uri.queryParameters.get("page").flatMap { Int($0) } ?? 1 }

    func names() async throws -> [PolicyFieldID: String] {
        Dictionary(try await deps.store.policyFields().value.map { ($0.id, $0.nameDe) }, uniquingKeysWith: { a, _ in a })
    }

    func papers(_ request: Request) async throws -> Response {
        let entries = try await deps.store.catalogue().value.sorted { $0.reference < $1.reference }
        let decisions = Dictionary(grouping: try await deps.store.decisions(nil), by: \.reference)
        let reports = Dictionary(grouping: try await deps.store.reports(nil), by: \.reference)
        let names = try await names()
        let objects = entries.map { oparl.paper($0, decisions: decisions[$0.reference] ?? [], reports: reports[$0.reference] ?? [], policyFieldNames: names) }
        return JSONIO.response(oparl.page(objects, url: "\(oparl.origin)/api/oparl/1.1/bodies/district/papers", page: Self.page(request)))
    }

    func paper(_ context: HubRequestContext) async throws -> Response {
        let entry = try await CatalogueQueries(deps: deps).entry(try CatalogueController.reference(context))
        return JSONIO.response(oparl.paper(entry, decisions: try await deps.store.decisions(entry.reference),
                                           reports: try await deps.store.reports(entry.reference), policyFieldNames: try await names()))
    }

    /// Only workspaces that authored catalogue entries are published, with the steering group and the deciding bodies.
    func organizations(_ request: Request) async throws -> Response {
        let authors = Set(try await deps.store.catalogue().value.map(\.workspaceID))
        let workspaces = try await deps.store.workspaces().value.filter { authors.contains($0.id) }
        let objects = oparl.organizations(workspaces: workspaces, decisions: try await deps.store.decisions(nil))
        return JSONIO.response(oparl.page(objects, url: "\(oparl.origin)/api/oparl/1.1/bodies/district/organizations", page: Self.page(request)))
    }

    func empty(_ request: Request, _ name: String) -> Response {
        JSONIO.response(oparl.page([], url: "\(oparl.origin)/api/oparl/1.1/bodies/district/\(name)", page: Self.page(request)))
    }
}
