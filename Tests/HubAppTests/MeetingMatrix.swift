import Foundation
import HTTPTypes
import HubApp
import HubCore
import HubServices
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

/// The meetings part of the authorization matrix: the rules, and the objects each rule needs
/// (placeholders in the rule's path), made fresh for every request.
enum MeetingMatrix {
    typealias Rule = AuthorizationMatrixTests.Rule
    typealias Role = TestHub.Role
    static let members = AuthorizationMatrixTests.members
    static let everyone = AuthorizationMatrixTests.everyone
    static let signedIn = AuthorizationMatrixTests.signedIn
    static let managers: Set<Role> = [.coordinator, .admin]
    static let writers: Set<Role> = [.member, .coordinator, .admin]

    static func rule(_ method: HTTPRequest.Method, _ path: String, _ allowed: Set<Role>, version: Bool = false, body: [String: String]? = nil) -> Rule {
        Rule(method: method, path: path, body: body, needsVersion: version, allowed: allowed)
    }

    /// Route pattern → rule. `{meeting}` is a fresh invited meeting in Integration (two hours ahead; the demo member and a guest
    /// invited), `{held}` one running live with minutes (the member recorded present, an action item of theirs), `{circulated}`
    /// the same with the minutes circulated, `{objection}` with the member's objection.
    static let rules: [String: Rule] = [
        "GET /api/v1/meeting-templates": rule(.get, "/api/v1/meeting-templates", signedIn),
        "POST /api/v1/meeting-templates": rule(.post, "/api/v1/meeting-templates", [.admin]),
        "GET /api/v1/meeting-templates/{tid}": rule(.get, "/api/v1/meeting-templates/{template}", signedIn),
        "PUT /api/v1/meeting-templates/{tid}": rule(.put, "/api/v1/meeting-templates/{template}", [.admin], version: true),
        "GET /api/v1/workspaces/{id}/meetings": rule(.get, "/api/v1/workspaces/{ws}/meetings", members),
        "POST /api/v1/workspaces/{id}/meetings": rule(.post, "/api/v1/workspaces/{ws}/meetings", managers),
        "POST /api/v1/workspaces/{id}/calendar-feed": rule(.post, "/api/v1/workspaces/{ws}/calendar-feed", managers),
        "GET /api/v1/workspaces/{id}/action-items": rule(.get, "/api/v1/workspaces/{ws}/action-items", members),
        "GET /api/v1/meetings/{mid}": rule(.get, "/api/v1/meetings/{meeting}", members),
        "PATCH /api/v1/meetings/{mid}": rule(.patch, "/api/v1/meetings/{meeting}", managers, version: true, body: ["title": "Geänderte Sitzung"]),
        // Already invited: the managers get 409 (allowed, refused by state), the rest are denied.
        "POST /api/v1/meetings/{mid}/invite": rule(.post, "/api/v1/meetings/{meeting}/invite", managers, version: true),
        "POST /api/v1/meetings/{mid}/cancel": rule(.post, "/api/v1/meetings/{meeting}/cancel", managers, version: true, body: ["reason": "Terminkonflikt"]),
        "POST /api/v1/meetings/{mid}/held": rule(.post, "/api/v1/meetings/{meeting}/held", managers),
        "POST /api/v1/meetings/{mid}/publish": rule(.post, "/api/v1/meetings/{meeting}/publish", managers),
        // Only invitees answer (the demo member is invited; the others are not: 404 invitation).
        "POST /api/v1/meetings/{mid}/rsvp": rule(.post, "/api/v1/meetings/{meeting}/rsvp", [.member], body: ["response": "accepted"]),
        "GET /api/v1/meetings/{mid}/invite.ics": rule(.get, "/api/v1/meetings/{meeting}/invite.ics", members),
        // The signed link is the credential: anyone holding it.
        "GET /api/v1/rsvp/{token}": rule(.get, "/api/v1/rsvp/{rsvp}", everyone),
        "POST /api/v1/rsvp/{token}": rule(.post, "/api/v1/rsvp/{rsvp}", everyone, body: ["response": "declined"]),
        "GET /calendar/{id}/{file}": rule(.get, "/calendar/{ws}/{feed}", everyone),
        "GET /api/v1/meetings/{mid}/agenda": rule(.get, "/api/v1/meetings/{meeting}/agenda", members),
        "POST /api/v1/meetings/{mid}/agenda/edits": rule(.post, "/api/v1/meetings/{meeting}/agenda/edits", managers, version: true),
        "POST /api/v1/meetings/{mid}/agenda/live": rule(.post, "/api/v1/meetings/{held}/agenda/live", managers),
        "GET /api/v1/meetings/{mid}/minutes": rule(.get, "/api/v1/meetings/{held}/minutes", members),
        "PUT /api/v1/meetings/{mid}/minutes/sections": rule(.put, "/api/v1/meetings/{held}/minutes/sections", writers),
        "POST /api/v1/meetings/{mid}/minutes/action-items/{aid}/status": rule(.post, "/api/v1/meetings/{held}/minutes/action-items/{action}/status",
                                                                              writers, body: ["status": "done"]),
        "POST /api/v1/meetings/{mid}/minutes/circulate": rule(.post, "/api/v1/meetings/{held}/minutes/circulate", managers),
        // Only people recorded as present object (the demo member).
        "POST /api/v1/meetings/{mid}/minutes/objections": rule(.post, "/api/v1/meetings/{circulated}/minutes/objections", [.member],
                                                                body: ["text": "Mein Beitrag fehlt."]),
        "POST /api/v1/meetings/{mid}/minutes/objections/{oid}/answer": rule(.post, "/api/v1/meetings/{circulated}/minutes/objections/{objection}/answer",
                                                                             managers, body: ["text": "Ergänzt.", "resolution": "accepted"]),
        "POST /api/v1/meetings/{mid}/minutes/objections/{oid}/withdraw": rule(.post,
                                                                               "/api/v1/meetings/{circulated}/minutes/objections/{objection}/withdraw",
                                                                               [.member]),
        // Before the deadline the managers get 409 (allowed, refused by state).
        "POST /api/v1/meetings/{mid}/minutes/approve": rule(.post, "/api/v1/meetings/{circulated}/minutes/approve", managers),
        "GET /api/v1/meetings/{mid}/export/{file}": rule(.get, "/api/v1/meetings/{meeting}/export/agenda.html", members),
        // Deleting: the managers (a fresh invited meeting each time, so every allowed role gets 204).
        "DELETE /api/v1/meetings/{mid}": rule(.delete, "/api/v1/meetings/{meeting}", managers, version: true),
        // A guest's objection link (the signed link is the credential): anyone holding it. The matrix posts JSON,
        // which the form route refuses with 400 (allowed, refused by format); MeetingObjectionLinkTests posts the form.
        "GET /objection/{token}": rule(.get, "/objection/{objectionLink}", everyone),
        "POST /objection/{token}": rule(.post, "/objection/{objectionLink}", everyone, body: ["text": "Einwand"]),
        "POST /objection/{token}/withdraw": rule(.post, "/objection/{objectionLink}/withdraw", everyone, body: ["objection": "none"]),
        // OParl is public: an invited meeting, its public agenda items and its invitation file.
        "GET /api/oparl/1.1/bodies/district/agenda-items": rule(.get, "/api/oparl/1.1/bodies/district/agenda-items", everyone),
        "GET /api/oparl/1.1/bodies/district/files": rule(.get, "/api/oparl/1.1/bodies/district/files", everyone),
        "GET /api/oparl/1.1/meetings/{mid}": rule(.get, "/api/oparl/1.1/meetings/{meeting}", everyone),
        "GET /api/oparl/1.1/agenda-items/{aid}": rule(.get, "/api/oparl/1.1/agenda-items/{oparlItem}", everyone),
        "GET /api/oparl/1.1/files/{fid}": rule(.get, "/api/oparl/1.1/files/invitation-{meeting}", everyone),
        "GET /api/oparl/1.1/files/{fid}/content": rule(.get, "/api/oparl/1.1/files/invitation-{meeting}/content", everyone),
    ]

    static func slot(minutesAhead: Double) -> (String, String) {
        (BerlinTime.local(Date().addingTimeInterval(minutesAhead * 60)).description,
         BerlinTime.local(Date().addingTimeInterval((minutesAhead + 120) * 60)).description)
    }

    /// Fills the meeting placeholders of `path`; sets `If-Match` and the body where the route needs them.
    static func prepare(_ path: String, route: String, hub: TestHub, client: some TestClientProtocol, headers: inout HTTPFields,
                        body: inout Any?) async throws -> String {
        var path = path
        guard path.contains("{template}") || path.contains("{meeting}") || path.contains("{held}") || path.contains("{circulated}")
            || path.contains("{rsvp}") || path.contains("{feed}") || path.contains("{oparlItem}") || path.contains("{objectionLink}") || route.hasPrefix("POST /api/v1/workspaces/{id}/meetings")
            || route == "POST /api/v1/meeting-templates" else { return path }
        let coordinator = try await client.token(.coordinator)
        let list = JSON.object(try await client.call(.get, "/api/v1/meeting-templates", token: coordinator).body)
        let template = try #require((list["items"] as? [[String: Any]])?.first)
        let templateID = try #require(template["id"] as? String)
        let templateBody = template.filter { ["name", "invitationSubject", "invitationBody", "agenda", "minutesSections"].contains($0.key) }
        let member = try #require(try await hub.graph.store.credentials(email: "mitglied@roundtable.example")?.0.id)

        func meeting(minutesAhead: Double) async throws -> String {
            let (start, end) = slot(minutesAhead: minutesAhead)
            let created = JSON.object(try await client.call(.post, "/api/v1/workspaces/\(hub.integration)/meetings", token: coordinator, json: [
                "templateId": templateID, "title": "Matrix-Sitzung", "start": start, "end": end, "place": "Kreishaus",
                "invitees": [["key": "member:\(member)"], ["key": "guest:gast@traeger.example", "name": "Gast"]],
            ]).body)
            let id = try #require(created["id"] as? String)
            _ = try await client.call(.post, "/api/v1/meetings/\(id)/invite", token: coordinator, headers: [.ifMatch: "\"v1\""])
            return id
        }

        if route == "POST /api/v1/meeting-templates" { body = templateBody }
        if path.contains("{template}") {
            path = path.replacingOccurrences(of: "{template}", with: templateID)
            body = templateBody
            let version = try #require(try await hub.graph.store.meetingTemplate(MeetingTemplateID(templateID)!, version: nil)).version
            headers[.ifMatch] = "\"v\(version)\""
        }
        if route == "POST /api/v1/workspaces/{id}/meetings" {
            let (start, end) = slot(minutesAhead: 120)
            body = ["templateId": templateID, "title": "Neue Sitzung", "start": start, "end": end, "place": "Kreishaus"]
        }
        if path.contains("{meeting}") || path.contains("{rsvp}") {
            let id = try await meeting(minutesAhead: 120)
            path = path.replacingOccurrences(of: "{meeting}", with: id)
            headers[.ifMatch] = route.contains("/agenda/") ? "\"v1\"" : "\"v2\""
            if route.contains("/agenda/edits") {
                let agenda = JSON.object(try await client.call(.get, "/api/v1/meetings/\(id)/agenda", token: coordinator).body)
                let last = (agenda["items"] as? [[String: Any]])?.last?["id"] as? String ?? ""
                body = ["op": "add", "afterId": last, "item": ["title": "Neuer Punkt", "durationMinutes": 10]]
            }
            if path.contains("{rsvp}") {
                let mail = try #require(try await hub.graph.store.pendingMail(limit: 500).last { $0.recipient == "gast@traeger.example" })
                let link = try #require(mail.text.components(separatedBy: .whitespacesAndNewlines).first { $0.hasSuffix("/accepted") })
                path = path.replacingOccurrences(of: "{rsvp}", with: link.components(separatedBy: "/#/rsvp/").last!.replacingOccurrences(of: "/accepted", with: ""))
            }
        }
        if path.contains("{oparlItem}") {
            let id = try await meeting(minutesAhead: 120)
            let agenda = JSON.object(try await client.call(.get, "/api/v1/meetings/\(id)/agenda", token: coordinator).body)
            let item = (agenda["items"] as? [[String: Any]])?.first { $0["isPublic"] as? Bool == true }?["id"] as? String ?? "none"
            path = path.replacingOccurrences(of: "{oparlItem}", with: item)
        }
        if path.contains("{feed}") {
            let url = JSON.object(try await client.call(.post, "/api/v1/workspaces/\(hub.integration)/calendar-feed", token: coordinator).body)["url"] as? String
            path = path.replacingOccurrences(of: "{feed}", with: url?.components(separatedBy: "/").last ?? "none.ics")
        }
        if path.contains("{objectionLink}") {
            // Held with the guest present, circulated: the guest's mail carries the link.
            let id = try await meeting(minutesAhead: 30)
            _ = try await client.call(.post, "/api/v1/meetings/\(id)/agenda/live", token: coordinator, json: ["step": "start"])
            _ = try await client.call(.put, "/api/v1/meetings/\(id)/minutes/sections", token: coordinator, json: [
                "kind": "attendance", "baseVersion": 0, "attendance": ["person": "guest:gast@traeger.example", "name": "Gast", "status": "present"],
            ])
            _ = try await client.call(.post, "/api/v1/meetings/\(id)/minutes/circulate", token: coordinator, json: [:])
            let mail = try #require(try await hub.graph.store.pendingMail(limit: 500).last { $0.recipient == "gast@traeger.example" && $0.text.contains("/objection/") })
            let link = try #require(mail.text.components(separatedBy: .whitespacesAndNewlines).first { $0.contains("/objection/") })
            path = path.replacingOccurrences(of: "{objectionLink}", with: link.components(separatedBy: "/objection/").last ?? "none")
        }
        if path.contains("{held}") || path.contains("{circulated}") {
            let id = try await meeting(minutesAhead: 30)
            let started = JSON.object(try await client.call(.post, "/api/v1/meetings/\(id)/agenda/live", token: coordinator, json: ["step": "start"]).body)
            let item = (started["live"] as? [String: Any])?["currentItemId"] as? String ?? ""
            _ = try await client.call(.put, "/api/v1/meetings/\(id)/minutes/sections", token: coordinator, json: [
                "kind": "attendance", "baseVersion": 0, "attendance": ["person": "member:\(member)", "name": "Mitglied", "status": "present"],
            ])
            let withAction = JSON.object(try await client.call(.put, "/api/v1/meetings/\(id)/minutes/sections", token: coordinator, json: [
                "kind": "actionItem", "baseVersion": 0, "actionItem": ["text": "Zahlen einholen", "ownerId": member.description, "ownerName": "Mitglied"],
            ]).body)
            let action = ((withAction["actionItems"] as? [[String: Any]])?.first?["value"] as? [String: Any])?["id"] as? String ?? "none"
            path = path.replacingOccurrences(of: "{action}", with: action)
            if route.hasSuffix("/agenda/live") { body = ["step": "advance", "fromItemId": item] }
            if route.hasSuffix("/minutes/sections") { body = ["kind": "notes", "itemId": item, "text": "Notiz", "baseVersion": 0] }
            if path.contains("{circulated}") {
                _ = try await client.call(.post, "/api/v1/meetings/\(id)/minutes/circulate", token: coordinator, json: [:])
                if path.contains("{objection}") {
                    let objected = JSON.object(try await client.call(.post, "/api/v1/meetings/\(id)/minutes/objections", token: try await client.token(.member),
                                                                     json: ["text": "Punkt fehlt."]).body)
                    let objection = (objected["objections"] as? [[String: Any]])?.first?["id"] as? String ?? "none"
                    path = path.replacingOccurrences(of: "{objection}", with: objection)
                }
            }
            path = path.replacingOccurrences(of: "{held}", with: id).replacingOccurrences(of: "{circulated}", with: id)
        }
        return path
    }
}
