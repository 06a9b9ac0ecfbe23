import HTTPTypes
import Hummingbird

/// Security headers on every response, errors and static files included.
struct SecurityHeadersMiddleware: RouterMiddleware {
    typealias Context = HubRequestContext
    let settings: HTTPSettings

    static let contentSecurityPolicy = [
        "default-src 'self'", "script-src 'self'", "style-src 'self'", "img-src 'self' data:",
        "connect-src 'self'", "font-src 'self'", "object-src 'none'", "base-uri 'none'",
        "form-action 'self'", "frame-ancestors 'none'",
    ].joined(separator: "; ")

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var response = try await next(request, context)
        // A route may send a stricter policy of its own, one that starts from nothing
        // (the dossier allows exactly its inline stylesheet, by hash); anything else gets ours.
        if !(response.headers[.contentSecurityPolicy]?.hasPrefix("default-src 'none'") ?? false) {
            response.headers[.contentSecurityPolicy] = Self.contentSecurityPolicy
        }
        response.headers[.xContentTypeOptions] = "nosniff"
        response.headers[HTTPField.Name("Referrer-Policy")!] = "no-referrer"
        response.headers[HTTPField.Name("Cross-Origin-Opener-Policy")!] = "same-origin"
        response.headers[HTTPField.Name("Permissions-Policy")!] = "camera=(), microphone=(), geolocation=()"
        if settings.isSecure {
            response.headers[.strictTransportSecurity] = "max-age=31536000; includeSubDomains"
        }
        // Personal data never lands in shared or browser caches.
        if request.uri.path.hasPrefix("/api/") && response.headers[.cacheControl] == nil {
            response.headers[.cacheControl] = "no-store"
        }
        return response
    }
}
