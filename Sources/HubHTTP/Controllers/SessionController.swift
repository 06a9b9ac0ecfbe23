import Foundation
import HubCore
import HubRealtime
import HubServices
import HTTPTypes
import Hummingbird

/// Sign-in, sign-out and "who am I".
struct SessionController {
    let signIn: SignIn
    let signOut: SignOut
    let store: any HubStore
    let hub: TopicHub
    let settings: HTTPSettings
    let addressKeyer: AddressKeyer

    struct SignInBody: Decodable {
        let email: String
        let password: String
        /// `cookie` (default, browsers) or `token` (machine clients get a bearer token).
        let mode: String?
    }

    struct SignedIn: Encodable, Sendable {
        let user: UserView
        let token: String?
        let expiresAt: Date
    }

    struct Me: Encodable, Sendable {
        struct Role: Encodable, Sendable {
            let workspaceId: String
            let role: WorkspaceRole
        }
        let user: UserView
        let memberships: [Role]
    }

    func add(to router: Router<HubRequestContext>) {
        router.post("/api/v1/session") { request, context in try await create(request, context) }
        router.delete("/api/v1/session") { request, context in try await delete(request, context) }
        router.get("/api/v1/me") { request, context in try await me(request, context) }
    }

    func create(_ request: Request, _ context: HubRequestContext) async throws -> Response {
        let body = try await JSONIO.decode(SignInBody.self, from: request, context: context, limit: 8 << 10)
        let tokenMode = body.mode == "token"
        if let mode = body.mode, !["cookie", "token"].contains(mode) {
            throw DomainError.validation([FieldIssue(field: "mode", code: "invalid", message: "Either cookie or token.")])
        }
        var address = context.channel.remoteAddress?.ipAddress ?? "unknown"
        if settings.trustForwardedFor, let forwarded = request.headers[.init("X-Forwarded-For")!],
           let last = forwarded.split(separator: ",").last?.trimmingCharacters(in: .whitespaces), !last.isEmpty {
            address = last
        }
        let result = try await signIn(email: body.email, password: body.password, clientKey: addressKeyer.key(for: address),
                                      kind: tokenMode ? .api : .browser)
        var response = JSONIO.response(SignedIn(user: UserView(result.user), token: tokenMode ? result.token : nil,
                                                expiresAt: result.session.expiresAt))
        if !tokenMode {
            response.setCookie(Cookie(name: settings.cookieName, value: result.token, expires: result.session.expiresAt,
                                      path: "/", secure: settings.isSecure, httpOnly: true, sameSite: .strict))
        }
        return response
    }

    func delete(_ request: Request, _ context: HubRequestContext) async throws -> Response {
        guard let session = context.session else { throw DomainError.unauthenticated }
        try await signOut(session)
        hub.closeSession(session.tokenHash)
        var response = Response(status: .noContent)
        response.setCookie(Cookie(name: settings.cookieName, value: "", maxAge: 0, path: "/", secure: settings.isSecure,
                                  httpOnly: true, sameSite: .strict))
        return response
    }

    func me(_ request: Request, _ context: HubRequestContext) async throws -> Response {
        guard let userID = context.principal.userID, let user = try await store.user(userID) else { throw DomainError.unauthenticated }
        let roles = context.principal.memberships.map { Me.Role(workspaceId: $0.key.description, role: $0.value) }
            .sorted { $0.workspaceId < $1.workspaceId }
        return JSONIO.response(Me(user: UserView(user), memberships: roles))
    }
}
