import Foundation
import HubServices
import HTTPTypes
import HubApp
import HubCore
import HubHTTP
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

@Suite("HTTP API")
struct HTTPAPITests {
    @Test("Sign in: token mode returns a bearer token; cookie mode sets an HttpOnly SameSite cookie and no token")
    func signIn() async throws {
        let hub = try await TestHub()
        try await hub.application().test(.router) { client in
            let token = try #require(try await client.token(.admin))
            let me = try await client.call(.get, "/api/v1/me", token: token)
            #expect(me.status == .ok)
            #expect((JSON.object(me.body)["user"] as? [String: Any])?["isAdmin"] as? Bool == true)

            let cookieLogin = try await client.call(.post, "/api/v1/session", token: nil,
                                                    json: ["email": "mitglied@roundtable.example", "password": "demo-mitglied"])
            #expect(cookieLogin.status == .ok)
            #expect(JSON.object(cookieLogin.body)["token"] is NSNull || JSON.object(cookieLogin.body)["token"] == nil)
            let setCookie = try #require(cookieLogin.headers[.setCookie])
            #expect(setCookie.hasPrefix("rt_session=") && setCookie.contains("HttpOnly") && setCookie.contains("SameSite=Strict"))
            let value = String(setCookie.dropFirst("rt_session=".count).prefix { $0 != ";" })
            let viaCookie = try await client.execute(uri: "/api/v1/me", method: .get, headers: [.cookie: "rt_session=\(value)"])
            #expect(viaCookie.status == .ok)

            let wrong = try await client.call(.post, "/api/v1/session", token: nil, json: ["email": "admin@roundtable.example", "password": "falsch-falsch"])
            let unknown = try await client.call(.post, "/api/v1/session", token: nil, json: ["email": "niemand@roundtable.example", "password": "falsch-falsch"])
            #expect(wrong.status == .unauthorized && unknown.status == .unauthorized)
            #expect(String(buffer: wrong.body) == String(buffer: unknown.body), "no account enumeration")
        }
    }

    @Test("Failed sign-ins are limited per account with 429 and Retry-After")
    func throttle() async throws {
        let hub = try await TestHub()
        try await hub.application().test(.router) { client in
            for _ in 0..<5 {
                let r = try await client.call(.post, "/api/v1/session", token: nil, json: ["email": "admin@roundtable.example", "password": "falsch-falsch"])
                #expect(r.status == .unauthorized)
            }
            let limited = try await client.call(.post, "/api/v1/session", token: nil, json: ["email": "admin@roundtable.example", "password": "demo-admin-passwort"])
            #expect(limited.status == .tooManyRequests)
            #expect(Int(limited.headers[.retryAfter] ?? "") ?? 0 > 0)
            #expect((JSON.object(limited.body)["error"] as? [String: Any])?["code"] as? String == "auth.rateLimited")
        }
    }

    @Test("Sign-out ends the session")
    func signOut() async throws {
        let hub = try await TestHub()
        try await hub.application().test(.router) { client in
            let token = try await client.token(.member)
            #expect(try await client.call(.delete, "/api/v1/session", token: token).status == .noContent)
            #expect(try await client.call(.get, "/api/v1/me", token: token).status == .unauthorized)
        }
    }

    @Test("Directory: list with cursor, filters, create with ETag and Location, read back")
    func directory() async throws {
        let hub = try await TestHub()
        try await hub.application().test(.router) { client in
            let token = try await client.token(.admin)
            let list = JSON.object(try await client.call(.get, "/api/v1/workspaces", token: token).body)
            let items = try #require(list["items"] as? [[String: Any]])
            #expect(items.count == 9)
            let cursor = try #require(list["cursor"] as? [String: Any])
            #expect(cursor["topic"] as? String == "directory" && cursor["seq"] as? Int == 9 && cursor["epoch"] as? String == hub.graph.store.epoch)

            let taskForces = JSON.object(try await client.call(.get, "/api/v1/workspaces?kind=taskForce", token: token).body)["items"] as? [[String: Any]]
            #expect(taskForces?.map { $0["name"] as? String } == ["Task Force Fachkräftegewinnung"])
            #expect(try await client.call(.get, "/api/v1/workspaces?kind=nonsense", token: token).status == .unprocessableContent)

            let fields = JSON.object(try await client.call(.get, "/api/v1/policy-fields", token: nil).body)["items"] as? [[String: Any]] ?? []
            #expect(fields.count == 11)
            let housing = try #require(fields.first { $0["key"] as? String == "housing" }?["id"] as? String)
            let created = try await client.call(.post, "/api/v1/workspaces", token: token, json: [
                "kind": "planningTeam", "name": "Planungsteam Wohnen Nord", "description": "Kreis und Kommunen", "policyFieldIds": [housing],
            ])
            #expect(created.status == .created)
            #expect(created.headers[.eTag] == "\"v1\"")
            let body = JSON.object(created.body)
            let id = try #require(body["id"] as? String)
            #expect(created.headers[.location] == "/api/v1/workspaces/\(id)")
            #expect(body["endsOn"] is NSNull && body["policyFieldIds"] as? [String] == [housing])
            let byField = JSON.object(try await client.call(.get, "/api/v1/workspaces?policyField=\(housing)", token: token).body)["items"] as? [[String: Any]]
            #expect(byField?.contains { $0["id"] as? String == id } == true)
            let read = try await client.call(.get, "/api/v1/workspaces/\(id)", token: token)
            #expect(read.status == .ok && read.headers[.eTag] == "\"v1\"")
        }
    }

    @Test("Bad input: 422 with fields, 400 malformed JSON, 413 too large, 404 unknown and malformed ids")
    func badInput() async throws {
        let hub = try await TestHub()
        try await hub.application().test(.router) { client in
            let token = try await client.token(.admin)
            let invalid = try await client.call(.post, "/api/v1/workspaces", token: token, json: ["kind": "taskForce", "name": "x", "endsOn": "2027-02-30"])
            #expect(invalid.status == .unprocessableContent)
            let error = try #require(JSON.object(invalid.body)["error"] as? [String: Any])
            #expect(error["code"] as? String == "validation.failed")
            #expect((error["fields"] as? [[String: Any]])?.first?["field"] as? String == "endsOn")

            let missing = try await client.call(.post, "/api/v1/workspaces", token: token, json: ["name": "Ohne Art"])
            #expect(missing.status == .unprocessableContent)
            #expect(((JSON.object(missing.body)["error"] as? [String: Any])?["fields"] as? [[String: Any]])?.first?["field"] as? String == "kind")

            let malformed = try await client.execute(uri: "/api/v1/workspaces", method: .post,
                                                     headers: [.authorization: "Bearer \(token!)", .contentType: "application/json"],
                                                     body: ByteBuffer(string: "{\"kind\": "))
            #expect(malformed.status == .badRequest)
            #expect((JSON.object(malformed.body)["error"] as? [String: Any])?["code"] as? String == "request.malformed")

            let huge = try await client.call(.post, "/api/v1/workspaces", token: token,
                                             json: ["kind": "focusGroup", "name": "Groß", "description": String(repeating: "x", count: 2 << 20)])
            #expect(huge.status == .contentTooLarge)

            #expect(try await client.call(.get, "/api/v1/workspaces/\(UUID())", token: token).status == .notFound)
            #expect(try await client.call(.get, "/api/v1/workspaces/not-a-uuid", token: token).status == .notFound)
            let unknownRoute = try await client.call(.get, "/api/v1/nothing-here", token: token)
            #expect(unknownRoute.status == .notFound)
            #expect((JSON.object(unknownRoute.body)["error"] as? [String: Any])?["code"] as? String == "route.notFound")
            // Nothing was created by any of the refused requests.
            #expect(try await hub.graph.store.workspaces().value.count == 9)
        }
    }

    @Test("Concurrent edits: If-Match required (428), stale version 409 with the current state, fresh version wins")
    func optimisticConcurrency() async throws {
        let hub = try await TestHub()
        try await hub.application().test(.router) { client in
            let coordinator = try await client.token(.coordinator)
            let uri = "/api/v1/workspaces/\(hub.integration)"
            let noVersion = try await client.call(.patch, uri, token: coordinator, json: ["description": "ohne Version"])
            #expect(noVersion.status.code == 428)
            let first = try await client.call(.patch, uri, token: coordinator, json: ["description": "Erste Fassung"], headers: [.ifMatch: "\"v1\""])
            #expect(first.status == .ok && first.headers[.eTag] == "\"v2\"")
            let stale = try await client.call(.patch, uri, token: coordinator, json: ["description": "Zweite Fassung"], headers: [.ifMatch: "\"v1\""])
            #expect(stale.status == .conflict)
            let conflict = JSON.object(stale.body)
            #expect((conflict["error"] as? [String: Any])?["code"] as? String == "version.conflict")
            #expect((conflict["current"] as? [String: Any])?["description"] as? String == "Erste Fassung")
            #expect((conflict["current"] as? [String: Any])?["version"] as? Int == 2)
            #expect(try await hub.graph.store.workspace(hub.integration)?.description == "Erste Fassung", "the stale write lost nothing")
        }
    }

    @Test("Archive and restore with If-Match; archived workspaces leave the default directory")
    func archive() async throws {
        let hub = try await TestHub()
        try await hub.application().test(.router) { client in
            let admin = try await client.token(.admin)
            let archived = try await client.call(.post, "/api/v1/workspaces/\(hub.sucht)/archive", token: admin, headers: [.ifMatch: "\"v1\""])
            #expect(archived.status == .ok && JSON.object(archived.body)["archived"] as? Bool == true)
            let again = try await client.call(.post, "/api/v1/workspaces/\(hub.sucht)/archive", token: admin, headers: [.ifMatch: "\"v2\""])
            #expect(again.status == .conflict)
            let visible = JSON.object(try await client.call(.get, "/api/v1/workspaces", token: admin).body)["items"] as? [[String: Any]] ?? []
            #expect(!visible.contains { $0["id"] as? String == hub.sucht.description })
            let all = JSON.object(try await client.call(.get, "/api/v1/workspaces?archived=true", token: admin).body)["items"] as? [[String: Any]] ?? []
            #expect(all.contains { $0["id"] as? String == hub.sucht.description })
            let restored = try await client.call(.post, "/api/v1/workspaces/\(hub.sucht)/restore", token: admin, headers: [.ifMatch: "\"v2\""])
            #expect(restored.status == .ok && JSON.object(restored.body)["version"] as? Int == 3)
        }
    }

    @Test("Members: coordinator adds, changes and removes; events land in the workspace topic")
    func members() async throws {
        let hub = try await TestHub()
        try await hub.application().test(.router) { client in
            let coordinator = try await client.token(.coordinator)
            let outsiderID = try #require(try await hub.graph.store.credentials(email: "aussen@roundtable.example")?.0.id)
            let uri = "/api/v1/workspaces/\(hub.integration)/members/\(outsiderID)"
            let organizations = JSON.object(try await client.call(.get, "/api/v1/organizations", token: coordinator).body)["items"] as? [[String: Any]] ?? []
            let town = try #require(organizations.first { $0["kind"] as? String == "municipality" })
            let unknown = try await client.call(.put, uri, token: coordinator, json: ["role": "member", "organizationId": UUID().uuidString])
            #expect(unknown.status == .unprocessableContent)
            let added = try await client.call(.put, uri, token: coordinator, json: ["role": "member", "organizationId": town["id"] as! String])
            #expect(added.status == .ok && JSON.object(added.body)["organization"] as? String == town["name"] as? String)
            #expect(JSON.object(added.body)["organizationId"] as? String == town["id"] as? String)
            let list = JSON.object(try await client.call(.get, "/api/v1/workspaces/\(hub.integration)/members", token: coordinator).body)
            #expect((list["items"] as? [[String: Any]])?.contains { $0["userId"] as? String == outsiderID.description } == true)
            #expect(try await client.call(.delete, uri, token: coordinator).status == .noContent)
            #expect(try await client.call(.delete, uri, token: coordinator).status == .notFound)
            let events = try await hub.graph.store.events(topic: .workspace(hub.integration), after: 0, limit: 100).events.map(\.name)
            #expect(events.suffix(2) == ["member.added", "member.removed"])
        }
    }

    @Test("Security headers on every kind of response; no-store on the API; cross-site writes refused")
    func browserProtections() async throws {
        let hub = try await TestHub()
        try await hub.application().test(.router) { client in
            // Crawl every route the router has (ids filled in), plus the page and a miss.
            let routes = try await hub.graph.routers().http.routes
            var probes: [(HTTPRequest.Method, String)] = [(.get, "/"), (.get, "/app.js"), (.get, "/api/v1/nothing")]
            for route in routes {
                let path = route.path.description.replacingOccurrences(of: "{id}", with: hub.integration.description)
                    .replacingOccurrences(of: "{userId}", with: UUID().uuidString).replacingOccurrences(of: "**", with: "x")
                    .replacingOccurrences(of: "{invitationId}", with: UUID().uuidString).replacingOccurrences(of: "{token}", with: "x")
                    .replacingOccurrences(of: "{sessionId}", with: "x").replacingOccurrences(of: "{tokenId}", with: "x")
                probes.append((route.method, path))
            }
            #expect(probes.count > 30)
            let admin = try await client.token(.admin)
            for (method, uri) in probes {
                let response = try await client.call(method, uri, token: admin, json: method == .get ? nil : [String: String]())
                let csp = response.headers[.contentSecurityPolicy] ?? ""
                #expect(csp.contains("script-src 'self'") && !csp.contains("unsafe-inline") && csp.contains("frame-ancestors 'none'"), "\(uri)")
                #expect(response.headers[.xContentTypeOptions] == "nosniff", "\(uri)")
                #expect(response.headers[HTTPField.Name("Referrer-Policy")!] == "no-referrer", "\(uri)")
                if uri.hasPrefix("/api/") { #expect(response.headers[.cacheControl] == "no-store", "\(uri)") }
            }
            let login = try await client.call(.post, "/api/v1/session", token: nil, json: ["email": "admin@roundtable.example", "password": "demo-admin-passwort"])
            let cookie = String((login.headers[.setCookie] ?? "").prefix { $0 != ";" })
            let crossSite = try await client.execute(uri: "/api/v1/workspaces", method: .post, headers: [
                .cookie: cookie, .contentType: "application/json", .origin: "https://evil.example", HTTPField.Name("Sec-Fetch-Site")!: "cross-site",
            ], body: JSON.body(["kind": "focusGroup", "name": "Eingeschleust"]))
            #expect(crossSite.status == .forbidden)
            #expect((JSON.object(crossSite.body)["error"] as? [String: Any])?["code"] as? String == "csrf.crossSite")
            let sameSite = try await client.execute(uri: "/api/v1/workspaces", method: .post, headers: [
                .cookie: cookie, .contentType: "application/json", HTTPField.Name("Sec-Fetch-Site")!: "same-origin",
            ], body: JSON.body(["kind": "focusGroup", "name": "Auf demselben Weg"]))
            #expect(sameSite.status == .created)
            #expect(try await client.execute(uri: "/app.js", method: .get).status == .ok)
            #expect(try await client.execute(uri: "/tests/html.test.js", method: .get).status == .notFound, "unit tests are not served")
        }
    }

    @Test("Request logs mask invitation secrets")
    func maskedPaths() {
        #expect(RequestLogMiddlewareProbe.masked("/api/v1/invitations/abc123/accept") == "/api/v1/invitations/***/accept")
        #expect(RequestLogMiddlewareProbe.masked("/api/v1/invitations/abc123") == "/api/v1/invitations/***")
        #expect(RequestLogMiddlewareProbe.masked("/api/v1/workspaces/x/invitations") == "/api/v1/workspaces/x/invitations")
    }

    @Test("Health, readiness and Prometheus metrics")
    func operations() async throws {
        let hub = try await TestHub()
        try await hub.application().test(.router) { client in
            #expect(try await client.execute(uri: "/healthz", method: .get).status == .ok)
            #expect(try await client.execute(uri: "/readyz", method: .get).status == .ok)
            let metrics = try await client.execute(uri: "/metrics", method: .get)
            #expect(metrics.status == .ok)
            #expect(String(buffer: metrics.body).contains("hb_requests"), "Hummingbird request metrics are exported")
        }
    }
}
