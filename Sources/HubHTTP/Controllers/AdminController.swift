import Foundation
import HubCore
import HubServices
import Hummingbird

/// Administration: platform roles of accounts, the audit log.
struct AdminController {
    let administration: Administration
    let organizations: Organizations
    let passwordResets: PasswordResets

    struct OrganizationBody: Decodable {
        let name: String?
        let kind: OrganizationKind?
    }

    struct RolesBody: Decodable {
        let isAdmin: Bool?
        let isSteering: Bool?
    }

    struct AuditItem: Encodable, Sendable {
        let id: Int64
        let at: Date
        let type: String
        let actorId: String?
        let actorName: String?
        let addressHash: String?
        let subject: String?
        let detail: String?

        init(_ row: AuditRow) {
            id = row.id
            at = row.entry.at
            type = row.entry.type
            actorId = row.entry.actorID?.description
            actorName = row.actorName
            addressHash = row.entry.addressHash
            subject = row.entry.subject
            detail = row.entry.detail
        }

        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(id, forKey: .id)
            try c.encode(at, forKey: .at)
            try c.encode(type, forKey: .type)
            try c.encode(actorId, forKey: .actorId)
            try c.encode(actorName, forKey: .actorName)
            try c.encode(addressHash, forKey: .addressHash)
            try c.encode(subject, forKey: .subject)
            try c.encode(detail, forKey: .detail)
        }
        enum CodingKeys: String, CodingKey { case id, at, type, actorId, actorName, addressHash, subject, detail }
    }

    struct Items<T: Encodable & Sendable>: Encodable, Sendable { let items: [T] }

    func add(to router: Router<HubRequestContext>) {
        router.get("/api/v1/users") { request, context in
            let users = try await administration.users(matching: request.uri.queryParameters.get("query"), by: context.principal)
            return JSONIO.response(Items(items: users.map(UserView.init)))
        }
        router.patch("/api/v1/users/:userId") { request, context in
            let id = try WorkspaceController.userID(context)
            guard context.principal.isSignedIn else { throw DomainError.unauthenticated }
            let body = try await JSONIO.decode(RolesBody.self, from: request, context: context, limit: 4 << 10)
            let user = try await administration.setRoles(of: id, isAdmin: body.isAdmin, isSteering: body.isSteering,
                                                         by: context.principal, clientKey: context.clientKey)
            return JSONIO.response(UserView(user))
        }
        router.post("/api/v1/users/:userId/password-reset") { _, context in
            let id = try WorkspaceController.userID(context)
            guard context.principal.isSignedIn else { throw DomainError.unauthenticated }
            return JSONIO.response(try await passwordResets.issue(for: id, by: context.principal, clientKey: context.clientKey), status: .created)
        }
        router.get("/api/v1/organizations") { _, context in
            JSONIO.response(Items(items: try await organizations.list(by: context.principal).map(OrganizationView.init)))
        }
        router.post("/api/v1/organizations") { request, context in
            guard context.principal.isSignedIn else { throw DomainError.unauthenticated }
            let body = try await JSONIO.decode(OrganizationBody.self, from: request, context: context, limit: 4 << 10)
            let created = try await organizations.create(name: body.name ?? "", kind: body.kind ?? .other, by: context.principal,
                                                         clientKey: context.clientKey)
            return JSONIO.response(OrganizationView(created), status: .created)
        }
        router.patch("/api/v1/organizations/:organizationId") { request, context in
            guard let id = context.parameters.get("organizationId").flatMap(OrganizationID.init) else { throw DomainError.notFound("organization") }
            guard context.principal.isSignedIn else { throw DomainError.unauthenticated }
            let body = try await JSONIO.decode(OrganizationBody.self, from: request, context: context, limit: 4 << 10)
            return JSONIO.response(OrganizationView(try await organizations.update(id, name: body.name, kind: body.kind, by: context.principal,
                                                                                   clientKey: context.clientKey)))
        }
        router.get("/api/v1/audit") { request, context in
            let query = request.uri.queryParameters
            var actor: UserID?
            if let text = query.get("actor") {
                guard let id = UserID(text) else {
                    throw DomainError.validation([FieldIssue(field: "actor", code: "invalid", message: "A user id.")])
                }
                actor = id
            }
            let limit = query.get("limit").flatMap(Int.init) ?? 200
            let rows = try await administration.audit(type: query.get("type"), actor: actor, limit: limit, by: context.principal)
            return JSONIO.response(Items(items: rows.map(AuditItem.init)))
        }
    }
}
