import Foundation
import HTTPTypes
import HubCore
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

/// Fresh feedback-panel objects for the authorization matrix, made by an administrator so
/// that every role meets the same state.
enum PanelMatrixFixture {
    struct Prepared {
        var path: String
        var version: Int?
        var json: Any?
        var form: String?
    }

    static func formHeaders(_ headers: HTTPFields, token: String?) -> HTTPFields {
        var h = headers
        h[.contentType] = "application/x-www-form-urlencoded"
        if let token { h[.authorization] = "Bearer \(token)" }
        return h
    }

    static func prepare(_ template: String, route: String, client: some TestClientProtocol, hub: TestHub) async throws -> Prepared {
        let admin = try await client.token(.admin)
        // Earlier rules may have left the workspace archived: panels need it active.
        if let w = try await hub.graph.store.workspace(hub.integration), w.archived {
            _ = try await client.call(.post, "/api/v1/workspaces/\(hub.integration)/restore", token: admin, headers: [.ifMatch: "\"v\(w.version)\""])
        }
        var out = Prepared(path: template)
        func rec() async throws -> String {
            let created = JSON.object(try await client.call(.post, "/api/v1/workspaces/\(hub.integration)/recommendations", token: admin,
                                                            json: ["title": "Matrix-Entwurf für eine Befragung"]).body)
            return created["id"] as? String ?? "none"
        }
        func panel(access: String = "publicLink") async throws -> (id: String, rec: String, question: String) {
            let rid = try await rec()
            let created = JSON.object(try await client.call(.post, "/api/v1/workspaces/\(hub.integration)/panels", token: admin,
                                                            json: settings(rid, access: access)).body)
            let question = ((created["questions"] as? [[String: Any]])?.first?["id"] as? String) ?? "none"
            return (created["id"] as? String ?? "none", rid, question)
        }
        func open(_ id: String) async throws {
            _ = try await client.call(.post, "/api/v1/panels/\(id)/open", token: admin, headers: [.ifMatch: "\"v1\""])
        }
        func submit(_ id: String, _ question: String) async throws -> String {
            let response = try await client.execute(uri: "/p/\(id)", method: .post, headers: [.contentType: "application/x-www-form-urlencoded"],
                                                    body: ByteBuffer(string: "q.\(question)=4&consent=2026-1&website="))
            return PanelAPITests.code(String(buffer: response.body)) ?? "none"
        }

        if template.contains("{newPanel}") {
            out.path = template.replacingOccurrences(of: "?{newPanel}", with: "")
            out.json = settings(try await rec(), access: "publicLink")
            return out
        }
        if template.contains("{panelRec}") {
            out.path = template.replacingOccurrences(of: "{panelRec}", with: try await panel().rec)
            return out
        }
        if template.contains("{panel}") {
            let p = try await panel()
            out.path = template.replacingOccurrences(of: "{panel}", with: p.id)
            out.version = 1
            if route.hasPrefix("PATCH") {
                var body = settings(p.rec, access: "publicLink")
                body["title"] = ["de": "Geänderter Titel der Befragung"]
                out.json = body
            }
            return out
        }
        if template.contains("{invitePanel}") {
            let p = try await panel(access: "inviteOnly")
            out.path = template.replacingOccurrences(of: "{invitePanel}", with: p.id)
            out.json = ["label": "Jugendrat Nordstadt", "maxUses": 5]
            if template.contains("{invite}") {
                let created = JSON.object(try await client.call(.post, "/api/v1/panels/\(p.id)/invites", token: admin,
                                                                json: ["label": "Seniorenrat", "maxUses": 3]).body)
                out.path = out.path.replacingOccurrences(of: "{invite}", with: created["id"] as? String ?? "none")
                out.json = nil
            }
            return out
        }
        if template.contains("{closed}") {
            let p = try await panel()
            try await open(p.id)
            _ = try await client.call(.post, "/api/v1/panels/\(p.id)/close", token: admin, headers: [.ifMatch: "\"v2\""])
            out.path = template.replacingOccurrences(of: "{closed}", with: p.id)
            out.version = 3
            return out
        }
        if template.contains("{open}") {
            let p = try await panel()
            try await open(p.id)
            out.path = template.replacingOccurrences(of: "{open}", with: p.id)
            out.version = 2
            if template.contains("{item}") || template.contains("{approved}") {
                _ = try await submit(p.id, p.question)
                let items = JSON.object(try await client.call(.get, "/api/v1/panels/\(p.id)/queue", token: admin).body)["items"] as? [[String: Any]]
                let item = items?.first?["id"] as? String ?? "none"
                if template.contains("{approved}") {
                    _ = try await client.call(.post, "/api/v1/panels/\(p.id)/items/\(item)/approve", token: admin, json: [:], headers: [.ifMatch: "\"v1\""])
                }
                out.path = out.path.replacingOccurrences(of: "{item}", with: item).replacingOccurrences(of: "{approved}", with: item)
                out.version = 1
            }
            if template.contains("?{form}") {
                out.path = out.path.replacingOccurrences(of: "?{form}", with: "")
                out.form = "q.\(p.question)=3&consent=2026-1&website="
            }
            if template.contains("?{receipt}") {
                let code = try await submit(p.id, p.question)
                out.path = out.path.replacingOccurrences(of: "?{receipt}", with: "")
                out.form = "action=view&code=\(code)"
            }
            return out
        }
        return out
    }

    static func settings(_ rid: String, access: String) -> [String: Any] {
        let today = LocalDate.berlin(Date())
        return [
            "recommendationId": rid, "title": ["de": "Befragung im Matrixtest"], "audience": ["de": "Alle"], "summary": ["de": "Kurz gesagt."],
            "opensOn": today.description, "closesOn": today.adding(days: 10).description,
            "questions": [["prompt": ["de": "Wie finden Sie das?"], "kind": "scale", "labels": (1...5).map { ["de": "Stufe \($0)"] }]],
            "access": access, "moderation": "pre", "consentVersion": "2026-1",
        ]
    }
}
