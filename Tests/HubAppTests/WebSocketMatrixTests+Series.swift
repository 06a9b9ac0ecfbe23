import Foundation
import HubApp
import HubCore
import Hummingbird
import HummingbirdTesting
import Testing

extension WebSocketMatrixTests {
    /// `meetingSeries.created` / `.updated` / `.statusChanged` go to `workspace:<uuid>` (whose
    /// followers are its members of any role and administrators, see the workspace rules): a
    /// member's connection sees a series planned, an occurrence cancelled and the series called off.
    @Test("Series events on the workspace topic: created, updated (occurrence cancelled), statusChanged")
    func seriesEvents() async throws {
        let hub = try await TestHub()
        try await hub.application().test(.live) { client in
            let member = try await client.token(.member)
            try await client.live(token: member) { out, inbox in
                _ = try await inbox.next(type: "hello")
                try await out.send(["type": "subscribe", "topic": "workspace:\(hub.integration)"])
                _ = try await inbox.next(type: "subscribed")
                var pending: [[String: Any]] = []
                let (id, start) = try await MeetingSeriesAPITests.series(hub, client, invite: false, title: "Reihe live")
                let created = try await Self.event(inbox, named: "meetingSeries.created", pending: &pending)
                let series = (created["data"] as? [String: Any])?["series"] as? [String: Any]
                #expect(series?["id"] as? String == id && series?["rule"] as? String == "FREQ=WEEKLY;COUNT=6;BYDAY=TU")
                let coordinator = try await client.token(.coordinator)
                #expect(try await client.call(.post, "/api/v1/meeting-series/\(id)/occurrences/\(start)/cancel", token: coordinator,
                                              headers: [.ifMatch: "\"v1\""]).status == .ok)
                let updated = try await Self.event(inbox, named: "meetingSeries.updated", pending: &pending)
                let data = updated["data"] as? [String: Any] ?? [:]
                #expect(data["changes"] as? [String] == ["occurrenceCancelled"])
                #expect((data["series"] as? [String: Any])?["cancelledOccurrences"] as? [String] == [start.description])
                #expect(try await client.call(.post, "/api/v1/meeting-series/\(id)/cancel", token: coordinator, headers: [.ifMatch: "\"v2\""]).status == .ok)
                let ended = try await Self.event(inbox, named: "meetingSeries.statusChanged", pending: &pending)
                #expect(((ended["data"] as? [String: Any])?["series"] as? [String: Any])?["status"] as? String == "cancelled")
            }
        }
    }
}
