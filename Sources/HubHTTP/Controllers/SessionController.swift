import Foundation
import HubCore
import HubRealtime
import HubServices
import Hummingbird

/// Sign-in (with its second step), sign-out and "who am I".
struct SessionController {
    let signIn: SignIn
    let signOut: SignOut
    let secondFactor: SecondFactor
    let store: any HubStore
    let hub: TopicHub
    let settings: HTTPSettings

    struct SignInBody: Decodable {
        let email: String
        let password: String
        /// `cookie` (default, browsers) or `token` (machine clients get a bearer token).
        let mode: String?
    }

    struct SecondFactorBody: Decodable {
        let code: String?
        let recoveryCode: String?
    }

    struct SignedIn: Encodable, Sendable {
        let user: UserView
        let token: String?
        let expiresAt: Date
        let secondFactor: String
    }

    struct Me: Encodable, Sendable {
        struct Role: Encodable, Sendable {
            let workspaceId: String
            let role: WorkspaceRole
        }
        struct Session: Encodable, Sendable {
            let id: String
            let kind: SessionRecord.Kind
            let secondFactor: SessionRecord.SecondFactor
            let expiresAt: Date
        }
        let user: UserView
        let memberships: [Role]
        let session: Session?
        let totpEnabled: Bool
        /// Administrator account whose session lacks the required second factor.
        let adminNeedsSecondFactor: Bool
    }

    func add(to router: Router<HubRequestContext>) {
        router.post("/api/v1/session") { request, context in try await create(request, context) }
        router.post("/api/v1/session/second-factor") { request, context in try await verify(request, context) }
        router.delete("/api/v1/session") { request, context in try await delete(request, context) }
        router.get("/api/v1/me") { request, context in try await me(request, context) }
    }

    func create(_ request: Request, _ context: HubRequestContext) async throws -> Response {
        let body = try await JSONIO.decode(SignInBody.self, from: request, context: context, limit: 8 << 10)
        if let mode = body.mode, !["cookie", "token"].contains(mode) {
            throw DomainError.validation([FieldIssue(field: "mode", code: "invalid", message: "Either cookie or token.")])
        }
        let tokenMode = body.mode == "token"
        let result = try await signIn(email: body.email, password: body.password, clientKey: context.clientKey, kind: tokenMode ? .api : .browser)
        var response = JSONIO.response(SignedIn(user: UserView(result.user), token: tokenMode ? result.token : nil,
                                                expiresAt: result.session.expiresAt,
                                                secondFactor: result.session.secondFactor == .pending ? "required" : "none"))
        if !tokenMode { response.setCookie(sessionCookie(result.token, expires: result.session.expiresAt)) }
        return response
    }

    func verify(_ request: Request, _ context: HubRequestContext) async throws -> Response {
        guard let session = context.session else { throw DomainError.unauthenticated }
        let body = try await JSONIO.decode(SecondFactorBody.self, from: request, context: context, limit: 4 << 10)
        let (user, verified) = try await secondFactor.verify(code: body.code, recoveryCode: body.recoveryCode, session: session,
                                                             clientKey: context.clientKey)
        return JSONIO.response(SignedIn(user: UserView(user), token: nil, expiresAt: verified.expiresAt, secondFactor: "verified"))
    }

    func delete(_ request: Request, _ context: HubRequestContext) async throws -> Response {
        guard let session = context.session else { throw DomainError.unauthenticated }
        try await signOut(session, clientKey: context.clientKey)
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
        let session = context.session.map { Me.Session(id: $0.id, kind: $0.kind, secondFactor: $0.secondFactor, expiresAt: $0.expiresAt) }
        return JSONIO.response(Me(user: UserView(user), memberships: roles, session: session,
                                  totpEnabled: try await store.totp(userID)?.enabled == true,
                                  adminNeedsSecondFactor: context.principal.adminNeedsSecondFactor))
    }

    func sessionCookie(_ token: String, expires: Date) -> Cookie {
        Cookie(name: settings.cookieName, value: token, expires: expires, path: "/", secure: settings.isSecure, httpOnly: true, sameSite: .strict)
    }
}

/// "Forgot password": request a link by mail, set a new password with it.
struct PasswordResetController {
    let resets: PasswordResets

    struct RequestBody: Decodable { let email: String }
    struct CompleteBody: Decodable {
        let token: String
        let newPassword: String
    }

    func add(to router: Router<HubRequestContext>) {
        router.post("/api/v1/password-reset") { request, context in
            let body = try await JSONIO.decode(RequestBody.self, from: request, context: context, limit: 4 << 10)
            try await resets.request(email: body.email, clientKey: context.clientKey)
            // The same answer whether or not the email has an account.
            return Response(status: .accepted)
        }
        router.post("/api/v1/password-reset/confirm") { request, context in
            let body = try await JSONIO.decode(CompleteBody.self, from: request, context: context, limit: 4 << 10)
            try await resets.complete(token: body.token, newPassword: body.newPassword, clientKey: context.clientKey)
            return Response(status: .noContent)
        }
    }
}
