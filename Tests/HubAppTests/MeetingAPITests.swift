import Foundation
import HTTPTypes
import HubApp
import HubCore
import HubServices
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

/// Meetings over HTTP: a template, planning, invitations with calendar parts in the outbox,
/// answers from signed links, the live agenda, minutes written together, approval.
@Suite("Meetings API")
struct MeetingAPITests {
    /// A meeting two hours from `clock`'s now, in Berlin wall-clock time.
    static func slot(_ clock: ManualClock, hoursAhead: Double = 2) -> (String, String) {
        let start = BerlinTime.local(clock.now().addingTimeInterval(hoursAhead * 3600))
        let end = BerlinTime.local(clock.now().addingTimeInterval((hoursAhead + 2) * 3600))
        return (start.description, end.description)
    }

    static func templateID(_ client: some TestClientProtocol) async throws -> String {
        let list = JSON.object(try await client.call(.get, "/api/v1/meeting-templates", token: try await client.token(.member)).body)
        let items = list["items"] as? [[String: Any]] ?? []
        return try #require(items.first?["id"] as? String)
    }

    /// Creates and (optionally) invites a meeting in Integration as the coordinator; returns its id.
    static func meeting(_ hub: TestHub, _ client: some TestClientProtocol, clock: ManualClock, invite: Bool,
                        title: String = "Sitzung der Fokusgruppe Integration") async throws -> String {
        let coordinator = try await client.token(.coordinator)
        let member = try #require(try await hub.graph.store.credentials(email: "mitglied@roundtable.example")?.0.id)
        let (start, end) = slot(clock)
        let created = try await client.call(.post, "/api/v1/workspaces/\(hub.integration)/meetings", token: coordinator, json: [
            "templateId": try await templateID(client), "title": title, "start": start, "end": end, "place": "Kreishaus, Raum 3",
            "invitees": [["key": "member:\(member)"], ["key": "guest:erika@traeger.example", "name": "Erika Beispiel"]],
        ])
        #expect(created.status == .created, "\(String(buffer: created.body))")
        let id = try #require(JSON.object(created.body)["id"] as? String)
        if invite {
            let invited = try await client.call(.post, "/api/v1/meetings/\(id)/invite", token: coordinator, headers: [.ifMatch: "\"v1\""])
            #expect(invited.status == .ok, "\(String(buffer: invited.body))")
        }
        return id
    }

    @Test("Templates are the administrators'; a revision is a new version and meetings keep theirs")
    func templates() async throws {
        let hub = try await TestHub()
        try await hub.application().test(.router) { client in
            let admin = try await client.token(.admin)
            let id = try await Self.templateID(client)
            let current = JSON.object(try await client.call(.get, "/api/v1/meeting-templates/\(id)", token: admin).body)
            var template = try #require(current["template"] as? [String: Any])
            let version = try #require(template["version"] as? Int)
            template["name"] = "Sitzung einer Fokusgruppe (überarbeitet)"
            let body = template.filter { ["name", "invitationSubject", "invitationBody", "agenda", "minutesSections"].contains($0.key) }
            let coordinator = try await client.token(.coordinator)
            #expect(try await client.call(.put, "/api/v1/meeting-templates/\(id)", token: coordinator, json: body,
                                          headers: [.ifMatch: "\"v\(version)\""]).status == .forbidden)
            let revised = try await client.call(.put, "/api/v1/meeting-templates/\(id)", token: admin, json: body, headers: [.ifMatch: "\"v\(version)\""])
            #expect(revised.status == .ok)
            #expect(JSON.object(revised.body)["version"] as? Int == version + 1)
            let stale = try await client.call(.put, "/api/v1/meeting-templates/\(id)", token: admin, json: body, headers: [.ifMatch: "\"v\(version)\""])
            #expect(stale.status == .conflict)
            var bad = body
            bad["invitationBody"] = "Hallo {{recipient.nmae}} {{{meeting.title}}}"
            let refused = try await client.call(.put, "/api/v1/meeting-templates/\(id)", token: admin, json: bad, headers: [.ifMatch: "\"v\(version + 1)\""])
            #expect(refused.status == .unprocessableContent)
        }
    }

    @Test("Invite, reschedule, cancel: one UID, SEQUENCE rising, METHOD right, one mail per recipient with the calendar part")
    func invitations() async throws {
        let clock = ManualClock()
        let hub = try await TestHub(clock: clock)
        try await hub.application().test(.router) { client in
            let id = try await Self.meeting(hub, client, clock: clock, invite: true)
            var mails = try await hub.graph.store.pendingMail(limit: 100)
            #expect(mails.count == 2, "the member and the guest")
            #expect(Set(mails.map(\.recipient)) == ["mitglied@roundtable.example", "erika@traeger.example"])
            for mail in mails {
                let ics = try #require(mail.calendar)
                #expect(mail.calendarMethod == "REQUEST" && ics.contains("METHOD:REQUEST\r\n") && ics.contains("SEQUENCE:0\r\n"))
                #expect(ics.contains("UID:meeting-\(id)@"))
                #expect(mail.subject.hasPrefix("Einladung: Sitzung der Fokusgruppe Integration"))
                #expect(mail.text.contains("/#/rsvp/"), "the rendered template carries the answer links")
                #expect(!ics.contains(mail.recipient == "erika@traeger.example" ? "mitglied@roundtable.example" : "erika@traeger.example"),
                        "each message lists only its recipient")
            }
            // Rescheduling raises SEQUENCE and sends a REQUEST to all.
            let coordinator = try await client.token(.coordinator)
            let (start, end) = Self.slot(clock, hoursAhead: 3)
            let moved = try await client.call(.patch, "/api/v1/meetings/\(id)", token: coordinator, json: ["start": start, "end": end],
                                              headers: [.ifMatch: "\"v2\""])
            #expect(moved.status == .ok, "\(String(buffer: moved.body))")
            #expect(JSON.object(moved.body)["sequence"] as? Int == 1)
            mails = try await hub.graph.store.pendingMail(limit: 100)
            #expect(mails.filter { $0.calendar?.contains("SEQUENCE:1\r\n") == true && $0.calendarMethod == "REQUEST" }.count == 2)
            // A stale If-Match is a 409 with the current meeting.
            let stale = try await client.call(.patch, "/api/v1/meetings/\(id)", token: coordinator, json: ["title": "Anders"], headers: [.ifMatch: "\"v2\""])
            #expect(stale.status == .conflict)
            #expect((JSON.object(stale.body)["current"] as? [String: Any])?["version"] as? Int == 3)
            let cancelled = try await client.call(.post, "/api/v1/meetings/\(id)/cancel", token: coordinator, json: ["reason": "Krankheit"],
                                                  headers: [.ifMatch: "\"v3\""])
            #expect(cancelled.status == .ok)
            mails = try await hub.graph.store.pendingMail(limit: 100)
            let cancels = mails.filter { $0.calendarMethod == "CANCEL" }
            #expect(cancels.count == 2 && cancels.allSatisfy { $0.calendar!.contains("METHOD:CANCEL\r\n") && $0.calendar!.contains("SEQUENCE:2\r\n") })
            #expect(Set(mails.compactMap { $0.calendar?.components(separatedBy: "\r\n").first { $0.hasPrefix("UID:") } }).count == 1)
            // The plain download: no METHOD, no attendees.
            let ics = try await client.call(.get, "/api/v1/meetings/\(id)/invite.ics", token: try await client.token(.observer))
            #expect(ics.status == .ok && ics.headers[.contentType]?.hasPrefix("text/calendar") == true)
            #expect(!String(buffer: ics.body).contains("METHOD:") && !String(buffer: ics.body).contains("ATTENDEE"))
            #expect(try await client.call(.get, "/api/v1/meetings/\(id)/invite.ics", token: try await client.token(.outsider)).status == .notFound)
        }
    }

    @Test("RSVP from a signed link without an account; a forged or outdated link is refused; the tally counts")
    func rsvp() async throws {
        let clock = ManualClock()
        let hub = try await TestHub(clock: clock)
        try await hub.application().test(.router) { client in
            let id = try await Self.meeting(hub, client, clock: clock, invite: true)
            let guestMail = try #require(try await hub.graph.store.pendingMail(limit: 100).first { $0.recipient == "erika@traeger.example" })
            let link = try #require(guestMail.text.components(separatedBy: .whitespacesAndNewlines).first { $0.hasSuffix("/accepted") })
            let token = try #require(link.components(separatedBy: "/#/rsvp/").last?.replacingOccurrences(of: "/accepted", with: ""))
            let info = try await client.call(.get, "/api/v1/rsvp/\(token)", token: nil)
            #expect(info.status == .ok)
            let answered = try await client.call(.post, "/api/v1/rsvp/\(token)", token: nil, json: ["response": "accepted"])
            #expect(answered.status == .ok, "\(String(buffer: answered.body))")
            #expect(((JSON.object(answered.body)["tally"] as? [String: Any])?["accepted"] as? Int) == 1)
            // One changed character in the signature or in the claims: not ours.
            let forged = String(token.dropLast()) + (token.hasSuffix("0") ? "1" : "0")
            #expect(try await client.call(.post, "/api/v1/rsvp/\(forged)", token: nil, json: ["response": "declined"]).status == .notFound)
            let parts = token.split(separator: ".")
            let otherClaims = Data("meeting:\(id)|guest:mallory@example.org|0|9999999999999".utf8).base64EncodedString()
                .replacingOccurrences(of: "=", with: "")
            #expect(try await client.call(.post, "/api/v1/rsvp/\(otherClaims).\(parts[1])", token: nil, json: ["response": "declined"]).status == .notFound)
            // The member answers signed in.
            let member = try await client.token(.member)
            let mine = try await client.call(.post, "/api/v1/meetings/\(id)/rsvp", token: member, json: ["response": "tentative"])
            #expect(mine.status == .ok)
            let detail = JSON.object(try await client.call(.get, "/api/v1/meetings/\(id)", token: member).body)
            #expect(detail["myResponse"] as? String == "tentative")
            #expect((detail["tally"] as? [String: Any])?["accepted"] as? Int == 1)
            // Guests' addresses are for those who plan the meeting.
            #expect(!String(describing: detail["invitees"] ?? "").contains("erika@traeger.example"))
            // A new time makes the old link outdated.
            let coordinator = try await client.token(.coordinator)
            let (start, end) = Self.slot(clock, hoursAhead: 5)
            #expect(try await client.call(.patch, "/api/v1/meetings/\(id)", token: coordinator, json: ["start": start, "end": end],
                                          headers: [.ifMatch: "\"v2\""]).status == .ok)
            let outdated = try await client.call(.post, "/api/v1/rsvp/\(token)", token: nil, json: ["response": "declined"])
            #expect(outdated.status == .conflict || outdated.status.code == 409 || outdated.status.code == 422, "\(outdated.status.code)")
            #expect(String(buffer: outdated.body).contains("rsvp.outdated"))
            #expect(try await hub.graph.store.rsvps(.meeting(MeetingID(id)!)).isEmpty, "answers reset with the new time")
        }
    }

    @Test("Agenda: add, reorder by keyboard operations, live start, advance with the item seen, end time stored")
    func agendaAndLive() async throws {
        let clock = ManualClock()
        let hub = try await TestHub(clock: clock)
        try await hub.application().test(.router) { client in
            let id = try await Self.meeting(hub, client, clock: clock, invite: true)
            let coordinator = try await client.token(.coordinator)
            let agenda = JSON.object(try await client.call(.get, "/api/v1/meetings/\(id)/agenda", token: coordinator).body)
            let items = agenda["items"] as? [[String: Any]] ?? []
            let topics = try #require(items.first { $0["standard"] as? String == "topics" }?["id"] as? String)
            let added = try await client.call(.post, "/api/v1/meetings/\(id)/agenda/edits", token: coordinator, json: [
                "op": "add", "parentId": topics, "item": ["title": "Sprachstandserhebung in Kitas", "durationMinutes": 20, "presenter": "Jugendamt"],
            ], headers: [.ifMatch: "\"v1\""])
            #expect(added.status == .ok, "\(String(buffer: added.body))")
            let second = try await client.call(.post, "/api/v1/meetings/\(id)/agenda/edits", token: coordinator, json: [
                "op": "add", "parentId": topics, "item": ["title": "Ämterlotsen", "durationMinutes": 15, "isPublic": false],
            ], headers: [.ifMatch: "\"v2\""])
            let afterAdd = JSON.object(second.body)["items"] as? [[String: Any]] ?? []
            let lotsen = try #require(afterAdd.first { $0["title"] as? String == "Ämterlotsen" })
            #expect(lotsen["number"] as? String == "4.2")
            let up = try await client.call(.post, "/api/v1/meetings/\(id)/agenda/edits", token: coordinator,
                                           json: ["op": "moveUp", "itemId": lotsen["id"] as! String], headers: [.ifMatch: "\"v3\""])
            let reordered = JSON.object(up.body)["items"] as? [[String: Any]] ?? []
            #expect(reordered.first { $0["id"] as? String == lotsen["id"] as? String }?["number"] as? String == "4.1")
            let stale = try await client.call(.post, "/api/v1/meetings/\(id)/agenda/edits", token: coordinator,
                                              json: ["op": "moveDown", "itemId": lotsen["id"] as! String], headers: [.ifMatch: "\"v3\""])
            #expect(stale.status == .conflict)
            #expect((JSON.object(stale.body)["current"] as? [String: Any])?["version"] as? Int == 4)
            let member = try await client.token(.member)
            #expect(try await client.call(.post, "/api/v1/meetings/\(id)/agenda/edits", token: member,
                                          json: ["op": "moveDown", "itemId": lotsen["id"] as! String], headers: [.ifMatch: "\"v4\""]).status == .forbidden)
            // Live: possible from an hour before the start.
            #expect(try await client.call(.post, "/api/v1/meetings/\(id)/agenda/live", token: coordinator, json: ["step": "start"]).status.code >= 400)
            clock.advance(3600 * 1.5)
            let started = JSON.object(try await client.call(.post, "/api/v1/meetings/\(id)/agenda/live", token: coordinator, json: ["step": "start"]).body)
            let live = try #require(started["live"] as? [String: Any])
            let first = try #require(live["currentItemId"] as? String)
            #expect(live["endsAt"] as? String != nil)
            let meeting = JSON.object(try await client.call(.get, "/api/v1/meetings/\(id)", token: member).body)
            #expect((meeting["meeting"] as? [String: Any])?["status"] as? String == "held")
            clock.advance(60)
            let advanced = try await client.call(.post, "/api/v1/meetings/\(id)/agenda/live", token: coordinator, json: ["step": "advance", "fromItemId": first])
            #expect(advanced.status == .ok)
            let twice = try await client.call(.post, "/api/v1/meetings/\(id)/agenda/live", token: coordinator, json: ["step": "advance", "fromItemId": first])
            #expect(twice.status == .conflict, "a double click is a conflict, not two steps")
        }
    }

    @Test("Minutes: five writers on one item's notes, every text kept after merging; circulate, object, answer, approve; deemed approval")
    func minutes() async throws {
        let clock = ManualClock()
        let hub = try await TestHub(clock: clock)
        try await hub.application().test(.router) { client in
            let id = try await Self.meeting(hub, client, clock: clock, invite: true)
            let coordinator = try await client.token(.coordinator)
            clock.advance(3600 * 1.5)
            let started = JSON.object(try await client.call(.post, "/api/v1/meetings/\(id)/agenda/live", token: coordinator, json: ["step": "start"]).body)
            let item = try #require((started["live"] as? [String: Any])?["currentItemId"] as? String)
            // Five writers save the same section concurrently, each from version 0. The losers get 409 with the
            // current text, merge (append their own) and save again on the version they got.
            let writers = try await withThrowingTaskGroup(of: String?.self) { group in
                for _ in 0..<5 { group.addTask { try await client.token(.member) } }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            try await withThrowingTaskGroup(of: Void.self) { group in
                for (n, token) in writers.enumerated() {
                    group.addTask {
                        let mine = "Beitrag \(n): Die Gruppe bespricht Punkt \(n)."
                        var base = 0, text = mine
                        for _ in 0..<20 {
                            let r = try await client.call(.put, "/api/v1/meetings/\(id)/minutes/sections", token: token,
                                                          json: ["kind": "notes", "itemId": item, "text": text, "baseVersion": base])
                            if r.status == .ok { return }
                            #expect(r.status == .conflict, "\(String(buffer: r.body))")
                            let current = (JSON.object(r.body)["current"] as? [String: Any])?["notes"] as? [String: Any]
                            let note = current?[item] as? [String: Any]
                            let theirs = note?["text"] as? String ?? ""
                            base = note?["version"] as? Int ?? base
                            text = theirs.contains(mine) ? theirs : theirs + "\n" + mine
                        }
                        Issue.record("writer \(n) never got through")
                    }
                }
                try await group.waitForAll()
            }
            let minutes = JSON.object(try await client.call(.get, "/api/v1/meetings/\(id)/minutes", token: coordinator).body)["minutes"] as? [String: Any]
            let notes = ((minutes?["notes"] as? [String: Any])?[item] as? [String: Any])?["text"] as? String ?? ""
            for n in 0..<5 { #expect(notes.contains("Beitrag \(n): Die Gruppe bespricht Punkt \(n)."), "text of writer \(n) kept") }

            // Attendance (the member present, consenting), an action item, then circulate.
            let member = try #require(try await hub.graph.store.credentials(email: "mitglied@roundtable.example")?.0.id)
            let memberToken = try await client.token(.member)
            #expect(try await client.call(.put, "/api/v1/meetings/\(id)/minutes/sections", token: memberToken, json: [
                "kind": "attendance", "baseVersion": 0,
                "attendance": ["person": "member:\(member)", "name": "Mitglied", "status": "present", "publicationConsent": true],
            ]).status == .ok)
            let today = LocalDate.berlin(clock.now())
            let action = try await client.call(.put, "/api/v1/meetings/\(id)/minutes/sections", token: memberToken, json: [
                "kind": "actionItem", "baseVersion": 0,
                "actionItem": ["text": "Zahlen des Jugendamts einholen", "ownerId": member.description, "ownerName": "Mitglied", "due": today.adding(days: 3).description],
            ])
            #expect(action.status == .ok, "\(String(buffer: action.body))")
            #expect(try await client.call(.post, "/api/v1/meetings/\(id)/minutes/circulate", token: memberToken, json: [:]).status == .forbidden)
            let circulated = try await client.call(.post, "/api/v1/meetings/\(id)/minutes/circulate", token: coordinator, json: [:])
            #expect(circulated.status == .ok, "\(String(buffer: circulated.body))")
            let approval = JSON.object(circulated.body)["approval"] as? [String: Any]
            #expect(approval?["deadline"] as? String == today.adding(days: 14).description, "default: 14 days")
            #expect(try await hub.graph.store.pendingMail(limit: 100).contains { $0.subject.hasPrefix("Protokoll zur Abstimmung") && $0.recipient == "mitglied@roundtable.example" })
            // The member (present) objects; the coordinator answers; approval waits for the deadline.
            let objected = try await client.call(.post, "/api/v1/meetings/\(id)/minutes/objections", token: memberToken,
                                                 json: ["text": "Punkt 2 fehlt.", "section": "notes:\(item)"])
            #expect(objected.status == .created, "\(String(buffer: objected.body))")
            let objection = try #require((JSON.object(objected.body)["objections"] as? [[String: Any]])?.first?["id"] as? String)
            #expect(try await client.call(.post, "/api/v1/meetings/\(id)/minutes/objections/\(objection)/answer", token: coordinator,
                                          json: ["text": "Ergänzt.", "resolution": "accepted"]).status == .ok)
            #expect(try await client.call(.post, "/api/v1/meetings/\(id)/minutes/approve", token: coordinator).status.code >= 400,
                    "nobody approves before the deadline")
            // Action list: overdue once the due date passed.
            clock.advance(86_400 * 4)
            let list = JSON.object(try await client.call(.get, "/api/v1/workspaces/\(hub.integration)/action-items", token: memberToken).body)
            #expect((list["items"] as? [[String: Any]])?.first?["isOverdue"] as? Bool == true)
            // After the deadline day the periodic job deems the minutes approved.
            clock.advance(86_400 * 12)
            #expect(try await hub.graph.meetingServices().work.settleDue() == 1)
            #expect(try await hub.graph.meetingServices().work.settleDue() == 0, "idempotent")
            let settled = JSON.object(try await client.call(.get, "/api/v1/meetings/\(id)/minutes", token: coordinator).body)["minutes"] as? [String: Any]
            let final = settled?["approval"] as? [String: Any]
            #expect(final?["stage"] as? String == "approved" && final?["deemedApproved"] as? Bool == true)
            #expect((final?["contentHash"] as? String)?.count == 64)
            let meeting = JSON.object(try await client.call(.get, "/api/v1/meetings/\(id)", token: coordinator).body)["meeting"] as? [String: Any]
            #expect(meeting?["status"] as? String == "minutesApproved")
            // Publish: the public part is then readable by everyone.
            #expect(try await client.call(.get, "/api/v1/meetings/\(id)/export/public-minutes.md", token: nil).status == .notFound)
            #expect(try await client.call(.post, "/api/v1/meetings/\(id)/publish", token: coordinator).status == .ok)
            let published = try await client.call(.get, "/api/v1/meetings/\(id)/export/public-minutes.html", token: nil)
            #expect(published.status == .ok && String(buffer: published.body).contains("Beitrag 3"))
            #expect(!String(buffer: published.body).contains("Punkt 2 fehlt"), "objections are not published")
        }
    }

    @Test("The workspace feed at a secret URL: coordinators create and rotate it, the old URL stops working")
    func feed() async throws {
        let clock = ManualClock()
        let hub = try await TestHub(clock: clock)
        try await hub.application().test(.router) { client in
            _ = try await Self.meeting(hub, client, clock: clock, invite: true, title: "Sitzung mit Feed")
            let coordinator = try await client.token(.coordinator)
            #expect(try await client.call(.post, "/api/v1/workspaces/\(hub.integration)/calendar-feed", token: try await client.token(.member)).status == .forbidden)
            let url = try #require(JSON.object(try await client.call(.post, "/api/v1/workspaces/\(hub.integration)/calendar-feed", token: coordinator).body)["url"] as? String)
            let path = try #require(URL(string: url)?.path)
            let feed = try await client.call(.get, path, token: nil)
            #expect(feed.status == .ok)
            let text = String(buffer: feed.body)
            #expect(text.contains("METHOD:PUBLISH\r\n") && text.contains("SUMMARY:Sitzung mit Feed") && !text.contains("ATTENDEE"))
            let etag = try #require(feed.headers[.eTag])
            #expect(try await client.call(.get, path, token: nil, headers: [.ifNoneMatch: etag]).status == .notModified)
            _ = try await client.call(.post, "/api/v1/workspaces/\(hub.integration)/calendar-feed", token: coordinator)
            #expect(try await client.call(.get, path, token: nil).status == .notFound)
        }
    }
}
