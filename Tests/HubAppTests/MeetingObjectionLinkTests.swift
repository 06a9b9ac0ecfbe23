import Foundation
import HTTPTypes
import HubApp
import HubCore
import HubServices
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

/// Guests (no account) object to circulated minutes by the signed link in their mail: a public
/// HTML page without JavaScript, the same rules as signed-in objections.
@Suite("Meetings: guests object by signed link")
struct MeetingObjectionLinkTests {
    static let guest = "erika@traeger.example"

    /// A held meeting with the guest recorded present (and a second guest absent), circulated; returns the
    /// meeting id, the agenda item of the live start and the path of the guest's objection link.
    static func circulated(_ hub: TestHub, _ client: some TestClientProtocol, clock: ManualClock) async throws -> (String, String, String) {
        let id = try await MeetingAPITests.meeting(hub, client, clock: clock, invite: true)
        let coordinator = try await client.token(.coordinator)
        clock.advance(3600 * 1.5)
        let started = JSON.object(try await client.call(.post, "/api/v1/meetings/\(id)/agenda/live", token: coordinator, json: ["step": "start"]).body)
        let item = try #require((started["live"] as? [String: Any])?["currentItemId"] as? String)
        let attended = try await client.call(.put, "/api/v1/meetings/\(id)/minutes/sections", token: coordinator, json: [
            "kind": "attendance", "baseVersion": 0,
            "attendance": ["person": "guest:\(guest)", "name": "Erika Beispiel", "status": "present"],
        ])
        #expect(attended.status == .ok, "\(String(buffer: attended.body))")
        let circulated = try await client.call(.post, "/api/v1/meetings/\(id)/minutes/circulate", token: coordinator, json: [:])
        #expect(circulated.status == .ok, "\(String(buffer: circulated.body))")
        let mail = try #require(try await hub.graph.store.pendingMail(limit: 100).last { $0.recipient == guest && $0.subject.hasPrefix("Protokoll") })
        let link = try #require(mail.text.components(separatedBy: .whitespacesAndNewlines).first { $0.contains("/objection/") })
        let token = try #require(link.components(separatedBy: "/objection/").last)
        return (id, item, "/objection/" + token)
    }

    static func post(_ client: some TestClientProtocol, _ path: String, _ form: String) async throws -> TestResponse {
        try await client.execute(uri: path, method: .post, headers: [.contentType: "application/x-www-form-urlencoded"], body: ByteBuffer(string: form))
    }

    @Test("A present guest objects by link (a section, then the whole); the coordinator sees it; 422 without text keeps the choice")
    func objectByLink() async throws {
        let clock = ManualClock()
        let hub = try await TestHub(clock: clock)
        try await hub.application().test(.router) { client in
            let (id, item, path) = try await Self.circulated(hub, client, clock: clock)
            let page = try await client.execute(uri: path, method: .get)
            #expect(page.status == .ok)
            let html = String(buffer: page.body)
            #expect(html.contains("<form method=\"post\"") && html.contains("value=\"notes:\(item)\"") && !html.contains("<script"))
            #expect(html.contains("Sitzung der Fokusgruppe Integration"))
            let english = String(buffer: try await client.execute(uri: path + "?lang=en", method: .get).body)
            #expect(english.contains("lang=\"en\"") && english.contains("Send objection"))

            let empty = try await Self.post(client, path, "section=notes%3A\(item)&text=+++")
            #expect(empty.status == .unprocessableContent)
            let refilled = String(buffer: empty.body)
            #expect(refilled.contains("class=\"error-summary\"") && refilled.contains("value=\"notes:\(item)\" selected"))
            let wrong = try await Self.post(client, path, "section=decision%3A\(UUID().uuidString.lowercased())&text=Falsch")
            #expect(wrong.status == .unprocessableContent)

            let saved = try await Self.post(client, path, "section=notes%3A\(item)&text=Mein+Beitrag+%3Cscript%3Ealert(1)%3C%2Fscript%3E+fehlt.")
            #expect(saved.status == .ok, "\(String(buffer: saved.body))")
            let answer = String(buffer: saved.body)
            #expect(answer.contains("role=\"status\"") && answer.contains("&lt;script&gt;") && !answer.contains("<script>alert"))
            #expect(try await Self.post(client, path, "section=&text=Insgesamt+zu+knapp.").status == .ok)

            let coordinator = try await client.token(.coordinator)
            let minutes = JSON.object(try await client.call(.get, "/api/v1/meetings/\(id)/minutes", token: coordinator).body)["minutes"] as? [String: Any]
            let objections = try #require(minutes?["objections"] as? [[String: Any]])
            #expect(objections.count == 2)
            #expect(objections.allSatisfy { $0["by"] as? String == "guest:\(Self.guest)" })
            let events = try await hub.graph.store.events(topic: .meeting(try #require(MeetingID(id))), after: 0, limit: 200).events
            #expect(events.filter { $0.name == "minutes.objectionRaised" }.count == 2)
        }
    }

    @Test("A tampered link, a link after the deadline day, and a guest not present are refused")
    func refusals() async throws {
        let clock = ManualClock()
        let hub = try await TestHub(clock: clock)
        try await hub.application().test(.router) { client in
            let (_, _, path) = try await Self.circulated(hub, client, clock: clock)
            // One character of the signature changed, or claims for someone else under the same signature.
            let forged = String(path.dropLast()) + (path.hasSuffix("0") ? "1" : "0")
            #expect(try await client.execute(uri: forged, method: .get).status == .notFound)
            #expect(try await Self.post(client, forged, "text=Einwand").status == .notFound)
            let token = path.replacingOccurrences(of: "/objection/", with: "")
            let signature = try #require(token.split(separator: ".").last)
            let claims = Data("objection|\(UUID().uuidString.lowercased())|guest:mallory@example.org|9999999999999".utf8).base64EncodedString()
                .replacingOccurrences(of: "=", with: "").replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            #expect(try await Self.post(client, "/objection/\(claims).\(signature)", "text=Einwand").status == .notFound)
            // The RSVP link of the same guest is not an objection link.
            let rsvp = try #require(try await hub.graph.store.pendingMail(limit: 100).first { $0.recipient == Self.guest && $0.text.contains("/#/rsvp/") })
            let rsvpToken = try #require(rsvp.text.components(separatedBy: .whitespacesAndNewlines).first { $0.hasSuffix("/accepted") }?
                .components(separatedBy: "/#/rsvp/").last?.replacingOccurrences(of: "/accepted", with: ""))
            #expect(try await client.execute(uri: "/objection/\(rsvpToken)", method: .get).status == .notFound)
            // On the deadline day (default 14 days) it still works; the day after, the link has expired.
            clock.advance(86_400 * 14)
            #expect(try await client.execute(uri: path, method: .get).status == .ok)
            clock.advance(86_400)
            let expired = try await Self.post(client, path, "text=Zu+sp%C3%A4t")
            #expect(expired.status == .notFound && String(buffer: expired.body).contains("nicht (mehr) gültig"))
        }
    }

    @Test("A guest whose attendance the coordinator corrected to excused may no longer object")
    func notPresent() async throws {
        let clock = ManualClock()
        let hub = try await TestHub(clock: clock)
        try await hub.application().test(.router) { client in
            let (id, _, path) = try await Self.circulated(hub, client, clock: clock)
            let coordinator = try await client.token(.coordinator)
            let corrected = try await client.call(.put, "/api/v1/meetings/\(id)/minutes/sections", token: coordinator, json: [
                "kind": "attendance", "baseVersion": 1,
                "attendance": ["person": "guest:\(Self.guest)", "name": "Erika Beispiel", "status": "excused"],
            ])
            #expect(corrected.status == .ok, "\(String(buffer: corrected.body))")
            let refused = try await Self.post(client, path, "text=Einwand")
            #expect(refused.status == .forbidden && String(buffer: refused.body).contains("anwesend"))
        }
    }

    @Test("The guest withdraws their own open objection by link; someone else's or a second time is refused")
    func withdrawByLink() async throws {
        let clock = ManualClock()
        let hub = try await TestHub(clock: clock)
        try await hub.application().test(.router) { client in
            let (id, _, path) = try await Self.circulated(hub, client, clock: clock)
            #expect(try await Self.post(client, path, "text=Falsch+verstanden").status == .ok)
            let coordinator = try await client.token(.coordinator)
            func objections() async throws -> [[String: Any]] {
                let minutes = JSON.object(try await client.call(.get, "/api/v1/meetings/\(id)/minutes", token: coordinator).body)["minutes"] as? [String: Any]
                return minutes?["objections"] as? [[String: Any]] ?? []
            }
            let objection = try #require(try await objections().first?["id"] as? String)
            let page = String(buffer: try await client.execute(uri: path, method: .get).body)
            #expect(page.contains("action=\"\(path)/withdraw\"") && page.contains("value=\"\(objection)\""))
            let withdrawn = try await Self.post(client, path + "/withdraw", "objection=\(objection)")
            #expect(withdrawn.status == .ok, "\(String(buffer: withdrawn.body))")
            #expect(String(buffer: withdrawn.body).contains("zurückgezogen"))
            #expect(try await objections().first?["withdrawnAt"] != nil)
            #expect(try await Self.post(client, path + "/withdraw", "objection=\(objection)").status == .conflict, "not open any more")
            #expect(try await Self.post(client, path + "/withdraw", "objection=\(UUID().uuidString.lowercased())").status == .notFound)
            let forged = String(path.dropLast()) + (path.hasSuffix("0") ? "1" : "0")
            #expect(try await Self.post(client, forged + "/withdraw", "objection=\(objection)").status == .notFound)
        }
    }
}
