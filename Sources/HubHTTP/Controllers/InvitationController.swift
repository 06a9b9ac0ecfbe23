import Foundation
import HubCore
import HubServices
import Hummingbird

/// Invitations: managed inside a workspace, opened and accepted through the secret link.
struct InvitationController {
    let invitations: Invitations
    let settings: HTTPSettings

    struct CreateBody: Decodable {
        let email: String
        let role: WorkspaceRole
        let organizationId: String?
    }

    struct AcceptBody: Decodable {
        let displayName: String?
        let password: String?
    }

    struct InvitationView: Encodable, Sendable {
        let id: String
        let email: String
        let role: WorkspaceRole
        let organizationId: String?
        let createdAt: Date
        let expiresAt: Date
        let delivery: String?
        let link: String?

        init(_ i: Invitation, delivery: String? = nil, link: String? = nil) {
            id = i.id.description
            email = i.email
            role = i.role
            organizationId = i.organizationID?.description
            createdAt = i.createdAt
            expiresAt = i.expiresAt
            self.delivery = delivery
            self.link = link
        }

        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(id, forKey: .id)
            try c.encode(email, forKey: .email)
            try c.encode(role, forKey: .role)
            try c.encode(organizationId, forKey: .organizationId)
            try c.encode(createdAt, forKey: .createdAt)
            try c.encode(expiresAt, forKey: .expiresAt)
            if let delivery {
                try c.encode(delivery, forKey: .delivery)
                try c.encode(link, forKey: .link)
            }
        }
        enum CodingKeys: String, CodingKey { case id, email, role, organizationId, createdAt, expiresAt, delivery, link }
    }

    struct Preview: Encodable, Sendable {
        struct WorkspaceRef: Encodable, Sendable {
            let id: String
            let name: String
            let kind: WorkspaceKind
        }
        let workspace: WorkspaceRef
        let role: WorkspaceRole
        let email: String
        let accountExists: Bool
        let expiresAt: Date
    }

    struct Accepted: Encodable, Sendable {
        let workspaceId: String
        let user: UserView
    }

    struct Items: Encodable, Sendable { let items: [InvitationView] }

    func add(to router: Router<HubRequestContext>) {
        router.post("/api/v1/workspaces/:id/invitations") { request, context in
            let workspace = try WorkspaceController.workspaceID(context)
            guard context.principal.isSignedIn else { throw DomainError.unauthenticated }
            let body = try await JSONIO.decode(CreateBody.self, from: request, context: context, limit: 8 << 10)
            let created = try await invitations.create(email: body.email, role: body.role,
                                                       organization: try WorkspaceController.organizationID(body.organizationId), in: workspace,
                                                       by: context.principal, clientKey: context.clientKey)
            return JSONIO.response(InvitationView(created.invitation, delivery: created.link == nil ? "email" : "link", link: created.link),
                                   status: .created)
        }
        router.get("/api/v1/workspaces/:id/invitations") { _, context in
            let list = try await invitations.pending(in: try WorkspaceController.workspaceID(context), by: context.principal)
            return JSONIO.response(Items(items: list.map { InvitationView($0) }))
        }
        router.delete("/api/v1/workspaces/:id/invitations/:invitationId") { _, context in
            let workspace = try WorkspaceController.workspaceID(context)
            guard let id = context.parameters.get("invitationId").flatMap(InvitationID.init) else { throw DomainError.notFound("invitation") }
            try await invitations.revoke(id, in: workspace, by: context.principal, clientKey: context.clientKey)
            return Response(status: .noContent)
        }
        router.get("/api/v1/invitations/:token") { _, context in
            let (invitation, workspace, exists) = try await invitations.show(token: context.parameters.get("token") ?? "")
            return JSONIO.response(Preview(workspace: .init(id: workspace.id.description, name: workspace.name, kind: workspace.kind),
                                           role: invitation.role, email: invitation.email, accountExists: exists, expiresAt: invitation.expiresAt))
        }
        router.post("/api/v1/invitations/:token/accept") { request, context in
            let body = try await JSONIO.decode(AcceptBody.self, from: request, context: context, limit: 8 << 10)
            let accepted = try await invitations.accept(token: context.parameters.get("token") ?? "", signedIn: context.principal,
                                                        displayName: body.displayName, password: body.password, clientKey: context.clientKey)
            var response = JSONIO.response(Accepted(workspaceId: accepted.workspaceID.description, user: UserView(accepted.user)))
            if let (token, record) = accepted.session {
                response.setCookie(Cookie(name: settings.cookieName, value: token, expires: record.expiresAt, path: "/",
                                          secure: settings.isSecure, httpOnly: true, sameSite: .strict))
            }
            return response
        }
    }
}
