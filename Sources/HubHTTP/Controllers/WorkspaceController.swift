import Foundation
import HubCore
import HubServices
import Hummingbird

/// Workspaces and their members.
struct WorkspaceController {
    let queries: WorkspaceQueries
    let create: CreateWorkspace
    let update: UpdateWorkspace
    let archive: SetWorkspaceArchived
    let setMember: SetMember
    let removeMember: RemoveMember
    let settings: HTTPSettings

    struct CreateBody: Decodable {
        let kind: WorkspaceKind
        let name: String
        let description: String?
        let policyFieldIds: [String]?
        let endsOn: String?
    }

    struct PatchBody: Decodable {
        let name: String?
        let description: String?
        let policyFieldIds: [String]?
        let endsOn: String??

        enum CodingKeys: String, CodingKey { case name, description, policyFieldIds, endsOn }

        init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            name = try c.decodeIfPresent(String.self, forKey: .name)
            description = try c.decodeIfPresent(String.self, forKey: .description)
            policyFieldIds = try c.decodeIfPresent([String].self, forKey: .policyFieldIds)
            // Absent: leave as is; null: clear; a string: set.
            endsOn = c.contains(.endsOn) ? .some(try c.decodeNil(forKey: .endsOn) ? nil : try c.decode(String.self, forKey: .endsOn)) : nil
        }
    }

    struct MemberBody: Decodable {
        let role: WorkspaceRole
        let organizationId: String?
    }

    static func organizationID(_ text: String?) throws -> OrganizationID? {
        guard let text, !text.isEmpty else { return nil }
        guard let id = OrganizationID(text) else {
            throw DomainError.validation([FieldIssue(field: "organizationId", code: "unknown", message: "There is no such organization.")])
        }
        return id
    }

    func add(to router: Router<HubRequestContext>) {
        router.get("/api/v1/workspaces") { request, context in try await list(request, context) }
        router.post("/api/v1/workspaces") { request, context in try await createWorkspace(request, context) }
        router.get("/api/v1/workspaces/:id") { request, context in try await get(request, context) }
        router.patch("/api/v1/workspaces/:id") { request, context in try await patch(request, context) }
        router.post("/api/v1/workspaces/:id/archive") { request, context in try await setArchived(true, request, context) }
        router.post("/api/v1/workspaces/:id/restore") { request, context in try await setArchived(false, request, context) }
        router.get("/api/v1/workspaces/:id/members") { request, context in try await members(request, context) }
        router.put("/api/v1/workspaces/:id/members/:userId") { request, context in try await putMember(request, context) }
        router.delete("/api/v1/workspaces/:id/members/:userId") { request, context in try await deleteMember(request, context) }
    }

    static func workspaceID(_ context: HubRequestContext) throws -> WorkspaceID {
        guard let text = context.parameters.get("id"), let id = WorkspaceID(text) else { throw DomainError.notFound("workspace") }
        return id
    }

    static func userID(_ context: HubRequestContext) throws -> UserID {
        guard let text = context.parameters.get("userId"), let id = UserID(text) else { throw DomainError.notFound("user") }
        return id
    }

    static func policyFieldIDs(_ texts: [String]?) throws -> [PolicyFieldID]? {
        guard let texts else { return nil }
        var issues: [FieldIssue] = []
        let ids = texts.enumerated().compactMap { index, text -> PolicyFieldID? in
            guard let id = PolicyFieldID(text) else {
                issues.append(FieldIssue(field: "policyFieldIds[\(index)]", code: "unknown", message: "There is no such policy field."))
                return nil
            }
            return id
        }
        guard issues.isEmpty else { throw DomainError.validation(issues) }
        return ids
    }

    static func date(_ text: String?) throws -> LocalDate? {
        guard let text else { return nil }
        guard let date = LocalDate(text) else {
            throw DomainError.validation([FieldIssue(field: "endsOn", code: "invalidDate", message: "A date of the form YYYY-MM-DD.")])
        }
        return date
    }

    func list(_ request: Request, _ context: HubRequestContext) async throws -> Response {
        let query = request.uri.queryParameters
        var filter = WorkspaceQueries.Filter()
        if let kind = query.get("kind") {
            guard let parsed = WorkspaceKind(rawValue: kind) else {
                throw DomainError.validation([FieldIssue(field: "kind", code: "invalid", message: "focusGroup, taskForce or planningTeam.")])
            }
            filter.kind = parsed
        }
        if let field = query.get("policyField") {
            guard let id = PolicyFieldID(field) else {
                throw DomainError.validation([FieldIssue(field: "policyField", code: "invalid", message: "A policy field id.")])
            }
            filter.policyField = id
        }
        filter.includeArchived = query.get("archived") == "true"
        let snapshot = try await queries.list(filter, by: context.principal)
        return JSONIO.response(ListResponse(items: snapshot.value.map(WorkspaceView.init), cursor: snapshot.cursor))
    }

    func createWorkspace(_ request: Request, _ context: HubRequestContext) async throws -> Response {
        guard context.principal.isSignedIn else { throw DomainError.unauthenticated }
        let body = try await JSONIO.decode(CreateBody.self, from: request, context: context, limit: settings.maxBodyBytes)
        let draft = WorkspaceDraft(kind: body.kind, name: body.name, description: body.description ?? "",
                                   policyFieldIDs: try Self.policyFieldIDs(body.policyFieldIds) ?? [], endsOn: try Self.date(body.endsOn))
        let workspace = try await create(draft, by: context.principal)
        return JSONIO.response(WorkspaceView(workspace), status: .created,
                               headers: [.eTag: JSONIO.etag(workspace.version), .location: "/api/v1/workspaces/\(workspace.id)"])
    }

    func get(_ request: Request, _ context: HubRequestContext) async throws -> Response {
        let workspace = try await queries.get(try Self.workspaceID(context), by: context.principal)
        return JSONIO.response(WorkspaceView(workspace), headers: [.eTag: JSONIO.etag(workspace.version)])
    }

    func patch(_ request: Request, _ context: HubRequestContext) async throws -> Response {
        let id = try Self.workspaceID(context)
        guard context.principal.isSignedIn else { throw DomainError.unauthenticated }
        let expected = try JSONIO.expectedVersion(request)
        let body = try await JSONIO.decode(PatchBody.self, from: request, context: context, limit: settings.maxBodyBytes)
        let patch = WorkspacePatch(name: body.name, description: body.description, policyFieldIDs: try Self.policyFieldIDs(body.policyFieldIds),
                                   endsOn: try body.endsOn.map { try Self.date($0) })
        let workspace = try await withCurrentOnConflict(id, context) {
            try await update(id, patch: patch, expectedVersion: expected, by: context.principal)
        }
        return JSONIO.response(WorkspaceView(workspace), headers: [.eTag: JSONIO.etag(workspace.version)])
    }

    func setArchived(_ archived: Bool, _ request: Request, _ context: HubRequestContext) async throws -> Response {
        let id = try Self.workspaceID(context)
        guard context.principal.isSignedIn else { throw DomainError.unauthenticated }
        let expected = try JSONIO.expectedVersion(request)
        let workspace = try await withCurrentOnConflict(id, context) {
            try await archive(id, archived: archived, expectedVersion: expected, by: context.principal)
        }
        return JSONIO.response(WorkspaceView(workspace), headers: [.eTag: JSONIO.etag(workspace.version)])
    }

    /// A version conflict answers 409 with the current state, so the client can merge.
    func withCurrentOnConflict(_ id: WorkspaceID, _ context: HubRequestContext, _ body: () async throws -> Workspace) async throws -> Workspace {
        do {
            return try await body()
        } catch let error as DomainError where error == .versionConflict {
            let current = try await queries.get(id, by: context.principal)
            throw ConflictError(error: error, current: WireJSON.string(WorkspaceView(current)))
        }
    }

    func members(_ request: Request, _ context: HubRequestContext) async throws -> Response {
        let rows = try await queries.members(of: try Self.workspaceID(context), by: context.principal)
        return JSONIO.response(ListResponse(items: rows.map(MemberView.init), cursor: nil))
    }

    func putMember(_ request: Request, _ context: HubRequestContext) async throws -> Response {
        let (id, user) = (try Self.workspaceID(context), try Self.userID(context))
        guard context.principal.isSignedIn else { throw DomainError.unauthenticated }
        let body = try await JSONIO.decode(MemberBody.self, from: request, context: context, limit: 8 << 10)
        let row = try await setMember(id, user: user, role: body.role, organization: try Self.organizationID(body.organizationId), by: context.principal)
        return JSONIO.response(MemberView(row))
    }

    func deleteMember(_ request: Request, _ context: HubRequestContext) async throws -> Response {
        let (id, user) = (try Self.workspaceID(context), try Self.userID(context))
        try await removeMember(id, user: user, by: context.principal)
        return Response(status: .noContent)
    }
}
