import Foundation
import HTTPTypes
import HubApp
import HubCore
import HubServices
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

/// Deleting meetings over HTTP: who may, CANCEL to the invitees of an invited meeting, OParl
/// tombstones (`deleted: true`, found with `modified_since`), and what cannot be deleted.
@Suite("Meetings API: deleting")
struct MeetingDeletionAPITests {
    static let oparl = "/api/oparl/1.1"

    @Test("A planned meeting is removed without a trace and without mail; managers only; stale If-Match is 409")
    func plannedMeeting() async throws {
        let clock = ManualClock()
        let hub = try await TestHub(clock: clock)
        try await hub.application().test(.router) { client in
            let id = try await MeetingAPITests.meeting(hub, client, clock: clock, invite: false)
            #expect(try await client.call(.delete, "/api/v1/meetings/\(id)", token: nil, headers: [.ifMatch: "\"v1\""]).status == .unauthorized)
            #expect(try await client.call(.delete, "/api/v1/meetings/\(id)", token: try await client.token(.outsider),
                                          headers: [.ifMatch: "\"v1\""]).status == .notFound)
            #expect(try await client.call(.delete, "/api/v1/meetings/\(id)", token: try await client.token(.member),
                                          headers: [.ifMatch: "\"v1\""]).status == .forbidden)
            let coordinator = try await client.token(.coordinator)
            #expect(try await client.call(.delete, "/api/v1/meetings/\(id)", token: coordinator).status == .preconditionRequired)
            let stale = try await client.call(.delete, "/api/v1/meetings/\(id)", token: coordinator, headers: [.ifMatch: "\"v7\""])
            #expect(stale.status == .conflict)
            let deleted = try await client.call(.delete, "/api/v1/meetings/\(id)", token: coordinator, headers: [.ifMatch: "\"v1\""])
            #expect(deleted.status == .noContent, "\(String(buffer: deleted.body))")
            #expect(try await client.call(.get, "/api/v1/meetings/\(id)", token: coordinator).status == .notFound)
            #expect(try await hub.graph.store.pendingMail(limit: 100).isEmpty, "nobody was invited, nobody is told")
            #expect(try await hub.graph.store.meetingTombstone(try #require(MeetingID(id))) == nil)
            #expect(try await client.call(.get, "\(Self.oparl)/meetings/\(id)", token: nil).status == .notFound)
            let events = try await hub.graph.store.events(topic: .workspace(hub.integration), after: 0, limit: 200).events
            #expect(events.contains { $0.name == "meeting.deleted" && $0.payload.contains(id) })
            #expect(try await client.call(.delete, "/api/v1/meetings/\(id)", token: coordinator, headers: [.ifMatch: "\"v1\""]).status == .notFound)
        }
    }

    @Test("An invited meeting: CANCEL to every invitee, then OParl lists it as deleted (also with modified_since) with its agenda items and file")
    func invitedMeeting() async throws {
        let clock = ManualClock()
        let hub = try await TestHub(clock: clock)
        try await hub.application().test(.router) { client in
            let id = try await MeetingAPITests.meeting(hub, client, clock: clock, invite: true)
            let meetingURL = "\(Self.oparl)/meetings/\(id)"
            let before = JSON.object(try await client.call(.get, meetingURL, token: nil).body)
            #expect(before["deleted"] as? Bool == false)
            let items = try #require(before["agendaItem"] as? [[String: Any]]).compactMap { $0["id"] as? String }
            #expect(!items.isEmpty)
            clock.advance(600)
            let deletionTime = clock.now()
            let coordinator = try await client.token(.admin)
            let deleted = try await client.call(.delete, "/api/v1/meetings/\(id)", token: coordinator, headers: [.ifMatch: "\"v2\""])
            #expect(deleted.status == .noContent, "\(String(buffer: deleted.body))")
            let cancels = try await hub.graph.store.pendingMail(limit: 100).filter { $0.calendarMethod == "CANCEL" }
            #expect(Set(cancels.map(\.recipient)) == ["mitglied@roundtable.example", "erika@traeger.example"])
            #expect(cancels.allSatisfy { $0.calendar!.contains("METHOD:CANCEL\r\n") && $0.calendar!.contains("SEQUENCE:1\r\n")
                && $0.calendar!.contains("UID:meeting-\(id)@") && $0.subject.hasPrefix("Abgesagt:") })
            #expect(try await client.call(.get, "/api/v1/meetings/\(id)", token: coordinator).status == .notFound)
            // OParl: the meeting stays with id, type, deleted and modified only.
            let after = JSON.object(try await client.call(.get, meetingURL, token: nil).body)
            #expect(after["deleted"] as? Bool == true)
            #expect((after["id"] as? String)?.hasSuffix("/meetings/\(id)") == true && after["type"] as? String == "https://schema.oparl.org/1.1/Meeting")
            #expect(after["name"] == nil && after["agendaItem"] == nil)
            let modified = try #require((after["modified"] as? String).flatMap(WireJSON.parseInstant))
            #expect(abs(modified.timeIntervalSince(deletionTime)) < 0.002, "the time of deletion (stored in milliseconds)")
            let since = WireJSON.formatInstant(deletionTime.addingTimeInterval(-1)).addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
            let list = JSON.object(try await client.call(.get, "\(Self.oparl)/bodies/district/meetings?modified_since=\(since)", token: nil).body)
            let data = try #require(list["data"] as? [[String: Any]])
            #expect(data.count == 1 && data.first?["deleted"] as? Bool == true && (data.first?["id"] as? String)?.hasSuffix(id) == true)
            let later = WireJSON.formatInstant(deletionTime.addingTimeInterval(1)).addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
            let none = JSON.object(try await client.call(.get, "\(Self.oparl)/bodies/district/meetings?modified_since=\(later)", token: nil).body)
            #expect((none["data"] as? [[String: Any]])?.isEmpty == true)
            let agenda = JSON.object(try await client.call(.get, "\(Self.oparl)/bodies/district/agenda-items", token: nil).body)
            let listedItems = (agenda["data"] as? [[String: Any]] ?? []).filter { item in items.contains(item["id"] as? String ?? "") }
            #expect(listedItems.count == items.count && listedItems.allSatisfy { $0["deleted"] as? Bool == true })
            let oneItem = try #require(items.first?.components(separatedBy: "/agenda-items/").last)
            #expect(JSON.object(try await client.call(.get, "\(Self.oparl)/agenda-items/\(oneItem)", token: nil).body)["deleted"] as? Bool == true)
            let file = JSON.object(try await client.call(.get, "\(Self.oparl)/files/invitation-\(id)", token: nil).body)
            #expect(file["deleted"] as? Bool == true && file["name"] == nil)
            #expect(try await client.call(.get, "\(Self.oparl)/files/invitation-\(id)/content", token: nil).status == .notFound)
        }
    }

    @Test("A cancelled meeting is not told twice; a held one cannot be deleted")
    func cancelledAndHeld() async throws {
        let clock = ManualClock()
        let hub = try await TestHub(clock: clock)
        try await hub.application().test(.router) { client in
            let coordinator = try await client.token(.coordinator)
            let id = try await MeetingAPITests.meeting(hub, client, clock: clock, invite: true)
            #expect(try await client.call(.post, "/api/v1/meetings/\(id)/cancel", token: coordinator, json: ["reason": "Krankheit"],
                                          headers: [.ifMatch: "\"v2\""]).status == .ok)
            let queued = try await hub.graph.store.pendingMail(limit: 100).count
            #expect(try await client.call(.delete, "/api/v1/meetings/\(id)", token: coordinator, headers: [.ifMatch: "\"v3\""]).status == .noContent)
            #expect(try await hub.graph.store.pendingMail(limit: 100).count == queued, "the CANCEL went out with the cancellation")
            #expect(try await hub.graph.store.meetingTombstone(try #require(MeetingID(id))) != nil, "OParl listed it as cancelled")

            let held = try await MeetingAPITests.meeting(hub, client, clock: clock, invite: true, title: "Gehaltene Sitzung")
            clock.advance(2 * 3600)
            #expect(try await client.call(.post, "/api/v1/meetings/\(held)/held", token: coordinator).status == .ok)
            let refused = try await client.call(.delete, "/api/v1/meetings/\(held)", token: coordinator, headers: [.ifMatch: "\"v3\""])
            #expect(refused.status == .conflict)
            #expect((JSON.object(refused.body)["error"] as? [String: Any])?["code"] as? String == "meeting.cannotDelete")
            #expect(try await client.call(.get, "/api/v1/meetings/\(held)", token: coordinator).status == .ok)
        }
    }
}
