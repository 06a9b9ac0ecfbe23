import Foundation
import HubServices
import Hummingbird
import Logging
import NIOCore

/// Health, readiness, metrics and the API description.
struct OpsController {
    let store: any HubStore
    let metricsText: @Sendable () -> String
    let openAPIPath: String

    func add(to router: Router<HubRequestContext>) {
        router.get("/healthz") { _, _ in Self.text("ok\n") }
        router.get("/readyz") { _, context in
            do {
                _ = try await store.userCount()
                return Self.text("ready\n")
            } catch {
                context.logger.warning("readiness check failed", metadata: ["error": "\(error)"])
                var response = Self.text("store unavailable\n")
                response.status = .serviceUnavailable
                return response
            }
        }
        router.get("/metrics") { _, _ in
            var response = Self.text(metricsText())
            response.headers[.contentType] = "text/plain; version=0.0.4; charset=utf-8"
            return response
        }
        router.get("/api/v1/openapi.json") { _, _ in
            guard let data = FileManager.default.contents(atPath: openAPIPath) else {
                throw HTTPError(.notFound, message: "The API description is not installed.")
            }
            return Response(status: .ok, headers: [.contentType: "application/json; charset=utf-8"],
                            body: .init(byteBuffer: ByteBuffer(bytes: data)))
        }
    }

    static func text(_ body: String) -> Response {
        Response(status: .ok, headers: [.contentType: "text/plain; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(string: body)))
    }
}
