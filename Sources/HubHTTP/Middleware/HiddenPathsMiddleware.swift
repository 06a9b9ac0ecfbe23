import Hummingbird

/// Keeps the web client's unit tests (Web/tests/) out of what the hub serves.
struct HiddenPathsMiddleware: RouterMiddleware {
    typealias Context = HubRequestContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        if request.uri.path.hasPrefix("/tests/") { throw HTTPError(.notFound) }
        return try await next(request, context)
    }
}
