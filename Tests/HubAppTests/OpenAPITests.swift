import Foundation
import HubServices
import HubApp
import Hummingbird
import HummingbirdTesting
import Testing

@Suite("OpenAPI document")
struct OpenAPITests {
    @Test("Every HTTP route is described, the served document is the one in Docs/api/")
    func everyRouteDescribed() async throws {
        let hub = try await TestHub()
        let file = TestHub.repositoryRoot.appendingPathComponent("Docs/api/openapi.json")
        let data = try Data(contentsOf: file)
        let document = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect((document["openapi"] as? String)?.hasPrefix("3.1") == true)
        let paths = try #require(document["paths"] as? [String: [String: Any]])
        for route in try await hub.graph.routers().http.routes {
            let path = route.path.description
            guard path != "/api/**" else { continue }
            // Hummingbird's `:name` is OpenAPI's `{name}`.
            let openAPIPath = path.split(separator: "/", omittingEmptySubsequences: false)
                .map { $0.hasPrefix(":") ? "{\($0.dropFirst())}" : String($0) }.joined(separator: "/")
            let method = route.method.rawValue.lowercased()
            #expect(paths[openAPIPath]?[method] != nil, "\(route.method) \(openAPIPath) is missing from Docs/api/openapi.json")
        }
        try await hub.application().test(.router) { client in
            let served = try await client.execute(uri: "/api/v1/openapi.json", method: .get)
            #expect(served.status == .ok)
            #expect(Data(served.body.readableBytesView) == data)
        }
    }
}
