import Foundation
import HubCore
import HubRealtime
import HubServices
import Hummingbird

/// The signed-in person's own account: password, sessions, two-factor, API tokens.
struct AccountController {
    let account: Account
    let secondFactor: SecondFactor
    let store: any HubStore
    let hub: TopicHub

    struct PasswordBody: Decodable {
        let currentPassword: String
        let newPassword: String
    }

    struct CodeBody: Decodable {
        let code: String
    }

    struct TokenBody: Decodable {
        let name: String
        let scope: SessionRecord.Scope
        let expiresInDays: Int?
    }

    struct SessionItem: Encodable, Sendable {
        let id: String
        let kind: SessionRecord.Kind
        let name: String?
        let scope: SessionRecord.Scope
        let createdAt: Date
        let lastSeenAt: Date
        let expiresAt: Date
        let current: Bool

        init(_ s: SessionRecord, current: String?) {
            id = s.id
            kind = s.kind
            name = s.name
            scope = s.scope
            createdAt = s.createdAt
            lastSeenAt = s.lastSeenAt
            expiresAt = s.expiresAt
            self.current = s.tokenHash == current
        }

        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(id, forKey: .id)
            try c.encode(kind, forKey: .kind)
            try c.encode(name, forKey: .name)
            try c.encode(scope, forKey: .scope)
            try c.encode(createdAt, forKey: .createdAt)
            try c.encode(lastSeenAt, forKey: .lastSeenAt)
            try c.encode(expiresAt, forKey: .expiresAt)
            try c.encode(current, forKey: .current)
        }
        enum CodingKeys: String, CodingKey { case id, kind, name, scope, createdAt, lastSeenAt, expiresAt, current }
    }

    struct Items<T: Encodable & Sendable>: Encodable, Sendable { let items: [T] }

    struct Enrolment: Encodable, Sendable {
        let secret: String
        let otpauthUri: String
    }

    struct RecoveryCodes: Encodable, Sendable { let recoveryCodes: [String] }

    struct NewToken: Encodable, Sendable {
        let token: String
        let id: String
        let name: String?
        let scope: SessionRecord.Scope
        let createdAt: Date
        let expiresAt: Date
    }

    func add(to router: Router<HubRequestContext>) {
        router.post("/api/v1/me/password") { request, context in
            let (user, session) = try await current(context)
            let body = try await JSONIO.decode(PasswordBody.self, from: request, context: context, limit: 8 << 10)
            let others = try await store.sessions(of: user.id).filter { $0.tokenHash != session.tokenHash }
            try await account.changePassword(current: body.currentPassword, new: body.newPassword, user: user, session: session,
                                             clientKey: context.clientKey)
            for other in others { hub.closeSession(other.tokenHash) }
            return Response(status: .noContent)
        }
        router.get("/api/v1/me/sessions") { _, context in
            let (user, session) = try await current(context)
            let items = try await account.sessions(of: user.id).filter { $0.kind == .browser }.map { SessionItem($0, current: session.tokenHash) }
            return JSONIO.response(Items(items: items))
        }
        router.delete("/api/v1/me/sessions/:sessionId") { _, context in
            let (user, _) = try await current(context)
            let revoked = try await account.revoke(id: context.parameters.get("sessionId") ?? "", of: user.id, clientKey: context.clientKey)
            hub.closeSession(revoked.tokenHash)
            return Response(status: .noContent)
        }
        router.post("/api/v1/me/totp") { _, context in
            let (user, _) = try await current(context)
            let enrolment = try await secondFactor.start(for: user)
            return JSONIO.response(Enrolment(secret: enrolment.secret, otpauthUri: enrolment.uri))
        }
        // The QR code of the enrolment in progress (the otpauth URI with the secret): for the
        // account owner only, never cached (every answer under /api/ is no-store).
        router.get("/api/v1/me/totp/qr.svg") { _, context in
            let (user, _) = try await current(context)
            guard let enrolment = try await secondFactor.pending(for: user),
                  let response = QRCodeImage.response(for: enrolment.uri, svg: true, fileName: "roundtable-totp") else {
                throw DomainError(.invalidTransition, code: "totp.notStarted", message: "Start setting up two-factor authentication first.")
            }
            return response
        }
        router.post("/api/v1/me/totp/confirm") { request, context in
            let (user, session) = try await current(context)
            let body = try await JSONIO.decode(CodeBody.self, from: request, context: context, limit: 4 << 10)
            let codes = try await secondFactor.confirm(code: body.code, for: user, session: session, clientKey: context.clientKey)
            return JSONIO.response(RecoveryCodes(recoveryCodes: codes))
        }
        router.delete("/api/v1/me/totp") { request, context in
            let (user, _) = try await current(context)
            let body = try await JSONIO.decode(CodeBody.self, from: request, context: context, limit: 4 << 10)
            try await secondFactor.disable(code: body.code, for: user, clientKey: context.clientKey)
            return Response(status: .noContent)
        }
        router.get("/api/v1/me/tokens") { _, context in
            let (user, session) = try await current(context)
            let items = try await account.sessions(of: user.id).filter { $0.kind == .api && $0.name != nil }
                .map { SessionItem($0, current: session.tokenHash) }
            return JSONIO.response(Items(items: items))
        }
        router.post("/api/v1/me/tokens") { request, context in
            let (user, session) = try await current(context)
            let body = try await JSONIO.decode(TokenBody.self, from: request, context: context, limit: 4 << 10)
            let (token, record) = try await account.createToken(name: body.name, scope: body.scope, days: body.expiresInDays ?? 90,
                                                                user: user, from: session, clientKey: context.clientKey)
            return JSONIO.response(NewToken(token: token, id: record.id, name: record.name, scope: record.scope,
                                            createdAt: record.createdAt, expiresAt: record.expiresAt), status: .created)
        }
        router.delete("/api/v1/me/tokens/:tokenId") { _, context in
            let (user, _) = try await current(context)
            let id = context.parameters.get("tokenId") ?? ""
            guard try await account.sessions(of: user.id).contains(where: { $0.id == id && $0.kind == .api }) else {
                throw DomainError.notFound("token")
            }
            let revoked = try await account.revoke(id: id, of: user.id, clientKey: context.clientKey)
            hub.closeSession(revoked.tokenHash)
            return Response(status: .noContent)
        }
    }

    /// The signed-in user and their session; personal tokens may not manage the account.
    func current(_ context: HubRequestContext) async throws -> (User, SessionRecord) {
        guard let userID = context.principal.userID, let session = context.session, let user = try await store.user(userID) else {
            throw DomainError.unauthenticated
        }
        if session.kind == .api && session.name != nil {
            throw DomainError(.forbidden, code: "token.notForAccount", message: "Personal API tokens cannot change the account. Sign in.")
        }
        return (user, session)
    }
}
