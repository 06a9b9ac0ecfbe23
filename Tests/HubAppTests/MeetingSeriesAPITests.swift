import Foundation
import HTTPTypes
import HubApp
import HubCore
import HubServices
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

/// Recurring meetings over HTTP: plan a weekly series, list its occurrences, cancel and move
/// one, change the rule with If-Match (409 with `current`), cancel it all; the outbox holds one
/// REQUEST per recipient with the RRULE/EXDATE and a rising SEQUENCE under one UID.
@Suite("Meeting series API")
struct MeetingSeriesAPITests {
    /// The first Tuesday at least `daysAhead` days from now, 17:00–19:00 Berlin.
    static func tuesday(daysAhead: Int = 8) -> (LocalDateTime, LocalDateTime) {
        var day = BerlinTime.local(Date()).date.adding(days: daysAhead)
        while day.isoWeekday != 2 { day = day.adding(days: 1) }
        return (LocalDateTime(date: day, hour: 17, minute: 0)!, LocalDateTime(date: day, hour: 19, minute: 0)!)
    }

    /// Creates a weekly series (Tuesdays, `COUNT=6`) in Integration with the member and a guest.
    static func series(_ hub: TestHub, _ client: some TestClientProtocol, invite: Bool, title: String = "Jour fixe Integration",
                       rule: String = "FREQ=WEEKLY;BYDAY=TU;COUNT=6") async throws -> (id: String, start: LocalDateTime) {
        let coordinator = try await client.token(.coordinator)
        let member = try #require(try await hub.graph.store.credentials(email: "mitglied@roundtable.example")?.0.id)
        let (start, end) = tuesday()
        let created = try await client.call(.post, "/api/v1/workspaces/\(hub.integration)/meeting-series", token: coordinator, json: [
            "templateId": try await MeetingAPITests.templateID(client), "title": title, "start": start.description, "end": end.description,
            "rule": rule, "place": "Kreishaus, Raum 3",
            "invitees": [["key": "member:\(member)"], ["key": "guest:erika@traeger.example", "name": "Erika Beispiel"]],
        ])
        #expect(created.status == .created, "\(String(buffer: created.body))")
        let id = try #require(JSON.object(created.body)["id"] as? String)
        if invite {
            let invited = try await client.call(.post, "/api/v1/meeting-series/\(id)/invite", token: coordinator, headers: [.ifMatch: "\"v1\""])
            #expect(invited.status == .ok, "\(String(buffer: invited.body))")
        }
        return (id, start)
    }

    /// The token of the newest series answer link mailed to the guest.
    static func guestToken(_ hub: TestHub) async throws -> String {
        let mail = try #require(try await hub.graph.store.pendingMail(limit: 500).last {
            $0.recipient == "erika@traeger.example" && $0.text.contains("/#/series-rsvp/")
        })
        let link = try #require(mail.text.components(separatedBy: .whitespacesAndNewlines).first { $0.hasSuffix("/accepted") })
        return try #require(link.components(separatedBy: "/#/series-rsvp/").last?.replacingOccurrences(of: "/accepted", with: ""))
    }

    static func occurrences(_ body: ByteBuffer) -> [[String: Any]] { JSON.object(body)["occurrences"] as? [[String: Any]] ?? [] }

    @Test("Create, list occurrences, cancel one, move one, change the rule with If-Match, cancel: one UID, SEQUENCE rising, RRULE and EXDATE mailed")
    func lifecycle() async throws {
        let hub = try await TestHub()
        try await hub.application().test(.router) { client in
            let coordinator = try await client.token(.coordinator)
            let observer = try await client.token(.observer)
            let (id, start) = try await Self.series(hub, client, invite: true)
            // Six Tuesdays, a week apart, at 17:00.
            let detail = try await client.call(.get, "/api/v1/meeting-series/\(id)?limit=50", token: observer)
            #expect(detail.status == .ok)
            var list = Self.occurrences(detail.body)
            #expect(list.map { $0["recurrenceId"] as? String } == (0..<6).map { start.date.adding(days: 7 * $0).description + "T17:00" })
            #expect(JSON.object(detail.body)["hasMore"] as? Bool == false)
            #expect((JSON.object(detail.body)["series"] as? [String: Any])?["ruleText"] as? String == "wöchentlich am Dienstag, 6 Termine")
            // The invitation: one REQUEST per recipient, SEQUENCE 0, the rule, only the recipient as ATTENDEE.
            var mails = try await hub.graph.store.pendingMail(limit: 100)
            #expect(mails.count == 2)
            for mail in mails {
                let ics = try #require(mail.calendar)
                #expect(mail.calendarMethod == "REQUEST" && ics.contains("METHOD:REQUEST\r\n") && ics.contains("SEQUENCE:0\r\n"))
                #expect(ics.contains("RRULE:FREQ=WEEKLY;COUNT=6;BYDAY=TU\r\n") && ics.contains("UID:series-\(id)@"))
                #expect(mail.subject == "Einladung zur Sitzungsreihe: Jour fixe Integration")
                #expect(mail.text.contains("wöchentlich am Dienstag, 6 Termine, 17:00–19:00 Uhr"))
                #expect(!ics.contains(mail.recipient == "erika@traeger.example" ? "mitglied@roundtable.example" : "erika@traeger.example"))
            }
            // Cancel the second occurrence: EXDATE, SEQUENCE 1, the list skips it.
            let second = start.date.adding(days: 7).description + "T17:00"
            let cancelled = try await client.call(.post, "/api/v1/meeting-series/\(id)/occurrences/\(second)/cancel", token: coordinator,
                                                  headers: [.ifMatch: "\"v2\""])
            #expect(cancelled.status == .ok, "\(String(buffer: cancelled.body))")
            #expect(JSON.object(cancelled.body)["sequence"] as? Int == 1)
            mails = try await hub.graph.store.pendingMail(limit: 100)
            let exdate = "EXDATE;TZID=Europe/Berlin:\(start.date.adding(days: 7).description.replacingOccurrences(of: "-", with: ""))T170000\r\n"
            #expect(mails.filter { $0.calendar?.contains("SEQUENCE:1\r\n") == true && $0.calendar?.contains(exdate) == true }.count == 2,
                    "\(mails.last?.calendar ?? "")")
            list = Self.occurrences(try await client.call(.get, "/api/v1/meeting-series/\(id)", token: observer).body)
            #expect(list.count == 5 && !list.contains { $0["recurrenceId"] as? String == second })
            // The same occurrence again: gone (404), nothing mailed.
            #expect(try await client.call(.post, "/api/v1/meeting-series/\(id)/occurrences/\(second)/cancel", token: coordinator,
                                          headers: [.ifMatch: "\"v3\""]).status == .notFound)
            // A day that is no occurrence: 404.
            #expect(try await client.call(.post, "/api/v1/meeting-series/\(id)/occurrences/\(start.date.adding(days: 1))T17:00/cancel",
                                          token: coordinator, headers: [.ifMatch: "\"v3\""]).status == .notFound)
            // Move the third to Wednesday 18:00 (percent-encoded colon): RECURRENCE-ID override, SEQUENCE 2.
            let third = start.date.adding(days: 14)
            let moved = try await client.call(.post, "/api/v1/meeting-series/\(id)/occurrences/\(third)T17%3A00/move", token: coordinator,
                                              json: ["start": "\(third.adding(days: 1))T18:00", "end": "\(third.adding(days: 1))T20:00"],
                                              headers: [.ifMatch: "\"v3\""])
            #expect(moved.status == .ok, "\(String(buffer: moved.body))")
            #expect(JSON.object(moved.body)["sequence"] as? Int == 2)
            list = Self.occurrences(try await client.call(.get, "/api/v1/meeting-series/\(id)", token: observer).body)
            let movedEntry = try #require(list.first { $0["recurrenceId"] as? String == "\(third)T17:00" })
            #expect(movedEntry["start"] as? String == "\(third.adding(days: 1))T18:00" && movedEntry["isMoved"] as? Bool == true)
            mails = try await hub.graph.store.pendingMail(limit: 100)
            let thirdText = third.description.replacingOccurrences(of: "-", with: "")
            #expect(mails.filter { $0.calendar?.contains("SEQUENCE:2\r\n") == true
                && $0.calendar?.contains("RECURRENCE-ID;TZID=Europe/Berlin:\(thirdText)T170000\r\n") == true }.count == 2)
            // The member answers for the whole series; the counts show it; a rule change below resets it.
            let member = try await client.token(.member)
            let answered = try await client.call(.post, "/api/v1/meeting-series/\(id)/rsvp", token: member, json: ["response": "accepted"])
            #expect(answered.status == .ok, "\(String(buffer: answered.body))")
            #expect((JSON.object(answered.body)["tally"] as? [String: Any])?["accepted"] as? Int == 1)
            let mine = JSON.object(try await client.call(.get, "/api/v1/meeting-series/\(id)", token: member).body)
            #expect(mine["myResponse"] as? String == "accepted")
            #expect(try await client.call(.post, "/api/v1/meeting-series/\(id)/rsvp", token: observer, json: ["response": "accepted"]).status == .notFound)
            // A stale If-Match on a rule change: 409 with the current series; the fresh one goes through.
            let stale = try await client.call(.patch, "/api/v1/meeting-series/\(id)", token: coordinator,
                                              json: ["rule": "FREQ=WEEKLY;INTERVAL=2;BYDAY=TU;COUNT=6"], headers: [.ifMatch: "\"v3\""])
            #expect(stale.status == .conflict)
            #expect((JSON.object(stale.body)["current"] as? [String: Any])?["version"] as? Int == 4)
            let changed = try await client.call(.patch, "/api/v1/meeting-series/\(id)", token: coordinator,
                                                json: ["rule": "FREQ=WEEKLY;INTERVAL=2;BYDAY=TU;COUNT=6"], headers: [.ifMatch: "\"v4\""])
            #expect(changed.status == .ok, "\(String(buffer: changed.body))")
            #expect(JSON.object(changed.body)["sequence"] as? Int == 3)
            list = Self.occurrences(try await client.call(.get, "/api/v1/meeting-series/\(id)?limit=50", token: observer).body)
            // Every second Tuesday; the moved third (day 14) stays moved, the cancelled second (day 7) is no longer a date of the rule.
            #expect(list.map { $0["recurrenceId"] as? String } == (0..<6).map { start.date.adding(days: 14 * $0).description + "T17:00" })
            #expect(list[1]["isMoved"] as? Bool == true)
            let reset = JSON.object(try await client.call(.get, "/api/v1/meeting-series/\(id)", token: member).body)
            #expect(reset["myResponse"] == nil && (reset["tally"] as? [String: Any])?["accepted"] as? Int == 0, "a new rule resets the answers")
            // Cancel the series: METHOD:CANCEL, SEQUENCE 4, the same UID throughout.
            let ended = try await client.call(.post, "/api/v1/meeting-series/\(id)/cancel", token: coordinator, headers: [.ifMatch: "\"v5\""])
            #expect(ended.status == .ok)
            #expect(JSON.object(ended.body)["status"] as? String == "cancelled")
            mails = try await hub.graph.store.pendingMail(limit: 100)
            let cancels = mails.filter { $0.calendarMethod == "CANCEL" }
            #expect(cancels.count == 2 && cancels.allSatisfy { $0.calendar!.contains("METHOD:CANCEL\r\n") && $0.calendar!.contains("SEQUENCE:4\r\n") })
            #expect(cancels.allSatisfy { $0.subject == "Abgesagt: Sitzungsreihe Jour fixe Integration" })
            let uids = Set(mails.compactMap { $0.calendar?.components(separatedBy: "\r\n").first { $0.hasPrefix("UID:") } })
            #expect(uids.count == 1 && uids.first?.hasPrefix("UID:series-\(id)@") == true)
            let sequences = mails.filter { $0.recipient == "erika@traeger.example" }.compactMap { mail in
                mail.calendar?.components(separatedBy: "\r\n").first { $0.hasPrefix("SEQUENCE:") }.flatMap { Int($0.dropFirst(9)) }
            }
            #expect(sequences.sorted() == [0, 1, 2, 3, 4], "one message per change for the guest, each outranking the last")
            // Changes after the cancellation are refused by state.
            #expect(try await client.call(.patch, "/api/v1/meeting-series/\(id)", token: coordinator, json: ["title": "Neu"],
                                          headers: [.ifMatch: "\"v6\""]).status == .conflict)
        }
    }

    @Test("Bad rules are refused by name; the first meeting must be an occurrence; limits are bounded")
    func badInput() async throws {
        let hub = try await TestHub()
        try await hub.application().test(.router) { client in
            let coordinator = try await client.token(.coordinator)
            let template = try await MeetingAPITests.templateID(client)
            let (start, end) = Self.tuesday()
            func create(_ rule: String) async throws -> (HTTPResponse.Status, [[String: Any]]) {
                let r = try await client.call(.post, "/api/v1/workspaces/\(hub.integration)/meeting-series", token: coordinator, json: [
                    "templateId": template, "title": "Reihe", "start": start.description, "end": end.description, "rule": rule, "place": "Kreishaus",
                ])
                let error = JSON.object(r.body)["error"] as? [String: Any]
                return (r.status, error?["fields"] as? [[String: Any]] ?? [])
            }
            let daily = try await create("FREQ=DAILY")
            #expect(daily.0 == .unprocessableContent && daily.1.first?["field"] as? String == "rule")
            #expect((daily.1.first?["message"] as? String)?.contains("FREQ=DAILY") == true)
            let byHour = try await create("FREQ=WEEKLY;BYHOUR=9")
            #expect(byHour.0 == .unprocessableContent && (byHour.1.first?["message"] as? String)?.contains("BYHOUR") == true)
            let wrongDay = try await create("FREQ=WEEKLY;BYDAY=WE")
            #expect(wrongDay.0 == .unprocessableContent && wrongDay.1.contains { $0["code"] as? String == "startNotInPattern" })
            let tooMany = try await create("FREQ=WEEKLY;BYDAY=TU;COUNT=501")
            #expect(tooMany.0 == .unprocessableContent && tooMany.1.contains { $0["code"] as? String == "count" })
            // Monthly on the ordinal weekday of the start: accepted, twelve listed.
            let ordinal = (start.date.day - 1) / 7 + 1
            let monthly = try await create("FREQ=MONTHLY;BYDAY=\(ordinal)TU;COUNT=12")
            #expect(monthly.0 == .created)
            let members = try await client.token(.member)
            let list = JSON.object(try await client.call(.get, "/api/v1/workspaces/\(hub.integration)/meeting-series", token: members).body)
            let sid = try #require((list["items"] as? [[String: Any]])?.first?["id"] as? String)
            let detail = try await client.call(.get, "/api/v1/meeting-series/\(sid)?limit=5", token: members)
            #expect(Self.occurrences(detail.body).count == 5 && JSON.object(detail.body)["hasMore"] as? Bool == true)
            #expect(try await client.call(.get, "/api/v1/meeting-series/\(sid)?limit=1000", token: members).status == .unprocessableContent)
            #expect(try await client.call(.get, "/api/v1/meeting-series/\(sid)?from=gestern", token: members).status == .unprocessableContent)
            // The members may not plan; outsiders do not see it.
            #expect(try await client.call(.post, "/api/v1/workspaces/\(hub.integration)/meeting-series", token: members, json: [
                "templateId": template, "title": "Reihe", "start": start.description, "end": end.description, "rule": "FREQ=WEEKLY",
            ]).status == .forbidden)
            #expect(try await client.call(.get, "/api/v1/meeting-series/\(sid)", token: try await client.token(.outsider)).status == .notFound)
        }
    }

    @Test("An occurrence opened as a meeting gets its agenda and follows the series; the .ics and the feed carry the series")
    func occurrenceMeetingAndCalendar() async throws {
        let hub = try await TestHub()
        try await hub.application().test(.router) { client in
            let coordinator = try await client.token(.coordinator)
            let (id, start) = try await Self.series(hub, client, invite: true, title: "Reihe <script>alert(1)</script>")
            let first = "\(start)"
            let opened = try await client.call(.post, "/api/v1/meeting-series/\(id)/occurrences/\(first)/meeting", token: coordinator)
            #expect(opened.status == .created, "\(String(buffer: opened.body))")
            let meeting = try #require((JSON.object(opened.body)["meeting"] as? [String: Any]))
            let mid = try #require(meeting["id"] as? String)
            #expect(meeting["seriesId"] as? String == id && meeting["status"] as? String == "invited" && meeting["start"] as? String == first)
            let again = try await client.call(.post, "/api/v1/meeting-series/\(id)/occurrences/\(first)/meeting", token: coordinator)
            #expect(again.status == .ok && (JSON.object(again.body)["meeting"] as? [String: Any])?["id"] as? String == mid)
            #expect(try await client.call(.get, "/api/v1/meetings/\(mid)/agenda", token: try await client.token(.member)).status == .ok)
            let listed = Self.occurrences(try await client.call(.get, "/api/v1/meeting-series/\(id)", token: coordinator).body)
            #expect(listed.first?["meetingId"] as? String == mid)
            // The series moves to 18:00: the opened meeting follows.
            let later = LocalDateTime(date: start.date, hour: 18, minute: 0)!, laterEnd = LocalDateTime(date: start.date, hour: 20, minute: 0)!
            let changed = try await client.call(.patch, "/api/v1/meeting-series/\(id)", token: coordinator,
                                                json: ["start": later.description, "end": laterEnd.description], headers: [.ifMatch: "\"v2\""])
            #expect(changed.status == .ok, "\(String(buffer: changed.body))")
            let followed = JSON.object(try await client.call(.get, "/api/v1/meetings/\(mid)", token: coordinator).body)
            #expect((followed["meeting"] as? [String: Any])?["start"] as? String == later.description)
            // Cancelling that occurrence cancels its meeting.
            let cancelled = try await client.call(.post, "/api/v1/meeting-series/\(id)/occurrences/\(later)/cancel", token: coordinator,
                                                  headers: [.ifMatch: "\"v3\""])
            #expect(cancelled.status == .ok, "\(String(buffer: cancelled.body))")
            let off = JSON.object(try await client.call(.get, "/api/v1/meetings/\(mid)", token: coordinator).body)
            #expect((off["meeting"] as? [String: Any])?["status"] as? String == "cancelled")
            // The download: no METHOD, the rule and the EXDATE.
            let ics = try await client.call(.get, "/api/v1/meeting-series/\(id)/series.ics", token: try await client.token(.observer))
            let text = String(buffer: ics.body)
            #expect(ics.status == .ok && ics.headers[.contentType]?.hasPrefix("text/calendar") == true)
            #expect(!text.contains("METHOD:") && !text.contains("ATTENDEE") && text.contains("RRULE:FREQ=WEEKLY") && text.contains("EXDATE;TZID=Europe/Berlin:"))
            #expect(try await client.call(.get, "/api/v1/meeting-series/\(id)/series.ics", token: try await client.token(.outsider)).status == .notFound)
            // The workspace feed lists the series once (its opened meeting is covered by it).
            let url = JSON.object(try await client.call(.post, "/api/v1/workspaces/\(hub.integration)/calendar-feed", token: coordinator).body)["url"] as? String
            let path = try #require(url.flatMap { URL(string: $0)?.path })
            let feed = String(buffer: try await client.call(.get, path, token: nil).body)
            #expect(feed.components(separatedBy: "UID:series-\(id)@").count == 2 && !feed.contains("UID:meeting-\(mid)@"))
        }
    }

    @Test("A guest answers the whole series from the signed link in the mail; forged and outdated links are refused")
    func signedLink() async throws {
        let hub = try await TestHub()
        try await hub.application().test(.router) { client in
            let (id, start) = try await Self.series(hub, client, invite: true)
            let token = try await Self.guestToken(hub)
            let info = try await client.call(.get, "/api/v1/series-rsvp/\(token)", token: nil)
            #expect(info.status == .ok && (JSON.object(info.body)["series"] as? [String: Any])?["id"] as? String == id)
            let answered = try await client.call(.post, "/api/v1/series-rsvp/\(token)", token: nil, json: ["response": "tentative"])
            #expect(answered.status == .ok, "\(String(buffer: answered.body))")
            #expect(((JSON.object(answered.body)["tally"] as? [String: Any])?["tentative"] as? Int) == 1)
            #expect(JSON.object(answered.body)["response"] as? String == "tentative")
            let coordinator = try await client.token(.coordinator)
            let detail = JSON.object(try await client.call(.get, "/api/v1/meeting-series/\(id)", token: coordinator).body)
            let guest = (detail["invitees"] as? [[String: Any]])?.first { $0["key"] as? String == "guest:erika@traeger.example" }
            #expect(guest?["response"] as? String == "tentative", "the coordinator sees the guest's answer")
            // One changed character: not ours. A series link does not answer a meeting, nor a meeting link a series.
            let forged = String(token.dropLast()) + (token.hasSuffix("0") ? "1" : "0")
            #expect(try await client.call(.post, "/api/v1/series-rsvp/\(forged)", token: nil, json: ["response": "declined"]).status == .notFound)
            #expect(try await client.call(.post, "/api/v1/rsvp/\(token)", token: nil, json: ["response": "declined"]).status == .notFound)
            // A moved date outdates the links of the earlier invitation; the new mail carries a new one.
            let third = start.date.adding(days: 14)
            #expect(try await client.call(.post, "/api/v1/meeting-series/\(id)/occurrences/\(third)T17:00/move", token: coordinator,
                                          json: ["start": "\(third)T18:00", "end": "\(third)T20:00"], headers: [.ifMatch: "\"v2\""]).status == .ok)
            let outdated = try await client.call(.post, "/api/v1/series-rsvp/\(token)", token: nil, json: ["response": "declined"])
            #expect(outdated.status == .conflict && (JSON.object(outdated.body)["error"] as? [String: Any])?["code"] as? String == "rsvp.outdated")
            let fresh = try await Self.guestToken(hub)
            #expect(fresh != token)
            #expect(try await client.call(.post, "/api/v1/series-rsvp/\(fresh)", token: nil, json: ["response": "declined"]).status == .ok)
        }
    }
}
