import Foundation
import Hummingbird
import Logging

/// One log line per request: method, path, status, duration, request id. Secrets that
/// travel in paths (invitation links) are masked and query strings are left out, so logs
/// and log shippers never hold a usable link or a search term.
struct RequestLogMiddleware: RouterMiddleware {
    typealias Context = HubRequestContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let start = ContinuousClock.now
        var status = 500
        defer {
            let elapsed = ContinuousClock.now - start
            let ms = Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15
            context.logger.info("request", metadata: [
                "method": "\(request.method)", "path": "\(Self.masked(request.uri.path))", "status": "\(status)",
                "ms": "\(String(format: "%.1f", ms))",
            ])
        }
        do {
            let response = try await next(request, context)
            status = response.status.code
            return response
        } catch let error as any HTTPResponseError {
            status = error.status.code
            throw error
        }
    }

    /// `/api/v1/invitations/<secret>/accept` → `/api/v1/invitations/***/accept`.
    static func masked(_ path: String) -> String {
        var parts = path.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        for index in parts.indices.dropLast() where parts[index] == "invitations" && index >= 2 && parts[index - 1] == "v1" {
            parts[index + 1] = "***"
        }
        return parts.joined(separator: "/")
    }
}

/// The path masking of the request log, for tests.
public enum RequestLogMiddlewareProbe {
    public static func masked(_ path: String) -> String { RequestLogMiddleware.masked(path) }
}
