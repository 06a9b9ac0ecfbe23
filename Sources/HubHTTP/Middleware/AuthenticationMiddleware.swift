import Foundation
import HTTPTypes
import HubCore
import HubServices
import Hummingbird

/// Resolves the session cookie or bearer token to a principal, keys the client address,
/// holds back sessions that still owe their second factor, keeps read-only tokens to
/// reading, and refuses cross-site state changes (CSRF) for cookie-authenticated requests.
struct AuthenticationMiddleware: RouterMiddleware {
    typealias Context = HubRequestContext
    let authenticator: Authenticator
    let settings: HTTPSettings
    let addressKeyer: AddressKeyer

    /// What a session waiting for its second factor may still do.
    static let pendingAllowed: Set<String> = ["POST /api/v1/session", "DELETE /api/v1/session", "POST /api/v1/session/second-factor"]

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        context.clientKey = addressKeyer.key(for: clientAddress(request, context))
        let bearer = Self.bearerToken(request)
        let cookie = request.cookies[settings.cookieName]?.value
        if let token = bearer ?? cookie {
            if let (principal, session) = try await authenticator.authenticate(token: token) {
                context.principal = principal
                context.session = session
                let route = "\(request.method) \(request.uri.path)"
                if session.secondFactor == .pending, request.uri.path.hasPrefix("/api/"), !Self.pendingAllowed.contains(route) {
                    throw DomainError(.unauthenticated, code: "auth.secondFactorRequired", message: "Enter the code from your authenticator app first.")
                }
                if session.kind == .api, session.scope == .read, Self.isStateChanging(request.method) {
                    throw DomainError(.forbidden, code: "token.readOnly", message: "This token may only read.")
                }
            } else if bearer != nil {
                // A wrong machine token is an error; a stale cookie just means "signed out".
                throw DomainError(.unauthenticated, code: "auth.invalidToken", message: "The token is unknown or expired.")
            }
        }
        if bearer == nil, Self.isStateChanging(request.method) {
            try checkSameOrigin(request)
        }
        return try await next(request, context)
    }

    /// The TCP peer, or behind a trusted proxy the address it reports last.
    func clientAddress(_ request: Request, _ context: Context) -> String { Self.clientAddress(request, context, settings: settings) }

    /// The same, for the feedback panels, which hand it to `ClientKeyring.derive` and nowhere else.
    static func clientAddress(_ request: Request, _ context: Context, settings: HTTPSettings) -> String {
        if settings.trustForwardedFor, let forwarded = request.headers[HTTPField.Name("X-Forwarded-For")!],
           let last = forwarded.split(separator: ",").last?.trimmingCharacters(in: .whitespaces), !last.isEmpty {
            return last
        }
        return context.channel.remoteAddress?.ipAddress ?? "unknown"
    }

    static func isStateChanging(_ method: HTTPRequest.Method) -> Bool {
        ![.get, .head, .options].contains(method)
    }

    static func bearerToken(_ request: Request) -> String? {
        guard let value = request.headers[.authorization], value.lowercased().hasPrefix("bearer ") else { return nil }
        return String(value.dropFirst(7)).trimmingCharacters(in: .whitespaces)
    }

    /// Browsers send `Sec-Fetch-Site` and `Origin`; a cross-site value is refused. Clients
    /// that send neither (curl, scripts) are not browsers and carry no ambient cookie risk.
    func checkSameOrigin(_ request: Request) throws {
        if let site = request.headers[HTTPField.Name("Sec-Fetch-Site")!], !["same-origin", "none"].contains(site) {
            throw DomainError(.forbidden, code: "csrf.crossSite", message: "Cross-site requests may not change data.")
        }
        // Under `Referrer-Policy: no-referrer` a browser sends `Origin: null` with a plain form
        // POST (the feedback panels' pages work without JavaScript); the browser-set
        // `Sec-Fetch-Site: same-origin` (no page can forge it) then vouches for it.
        let site = request.headers[HTTPField.Name("Sec-Fetch-Site")!]
        if let origin = request.headers[.origin], !(origin == "null" && site == "same-origin"),
           !settings.allows(origin: origin, host: request.head.authority) {
            throw DomainError(.forbidden, code: "csrf.crossSite", message: "Cross-site requests may not change data.")
        }
    }
}
