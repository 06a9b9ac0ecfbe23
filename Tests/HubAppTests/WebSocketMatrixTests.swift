import Foundation
import HubApp
import HubCore
import HubServices
import Hummingbird
import HummingbirdTesting
import HummingbirdWSTesting
import Testing

/// Every WebSocket message type and topic kind, for every role: allowed or denied.
@Suite("WebSocket authorization matrix")
struct WebSocketMatrixTests {
    typealias Role = TestHub.Role

    /// Topic kinds (with a concrete instance each) and who may subscribe.
    static func topicRules(_ hub: TestHub) -> [(String, Set<Role>)] {
        [
            ("directory", Set(Role.allCases).subtracting([.anonymous])),
            // The demo member, the observer and the coordinator belong to Integration.
            ("workspace:\(hub.integration)", [.observer, .member, .coordinator, .admin]),
            // Only the coordinator (and administrators) belong to Fachbeirat Sucht.
            ("workspace:\(hub.sucht)", [.coordinator, .admin]),
            // The public catalogue: everyone, signed in or not.
            ("catalogue", Set(Role.allCases)),
            // Rating rounds and individual ratings: the steering group and the planning staff.
            ("steering", [.steering, .admin]),
        ]
    }

    /// Message types every connection may send, with the answer type expected.
    nonisolated(unsafe) static let messageRules: [([String: Any], String)] = [
        (["type": "ping", "id": "p"], "pong"),
        (["type": "unsubscribe", "topic": "directory"], "unsubscribed"),
        (["type": "auth", "token": "not-a-token"], "error"),
    ]

    @Test("Topics and message types per role", arguments: Role.allCases)
    func matrix(role: Role) async throws {
        let hub = try await TestHub()
        try await hub.application().test(.live) { client in
            let token = try await client.token(role)
            // Feedback panels: a published public-link panel is public (no presence); a draft and an
            // invite-only panel exist on the public topic only for the workspace's members.
            let open = try await PanelAPITests.panel(client, hub).id
            let draft = try await PanelAPITests.panel(client, hub, open: false).id
            let invite = try await PanelAPITests.panel(client, hub, access: "inviteOnly").id
            let panelRules: [(String, Set<Role>)] = [
                ("panel:\(open)", Set(Role.allCases)),
                ("panel:\(draft)", [.observer, .member, .coordinator, .admin]),
                ("panel:\(invite)", [.observer, .member, .coordinator, .admin]),
                ("panel:\(UUID())", []),
            ]
            try await client.live(token: token) { out, inbox in
                _ = try await inbox.next(type: "hello")
                for (topic, allowed) in Self.topicRules(hub) + panelRules {
                    try await out.send(["type": "subscribe", "topic": topic, "id": topic])
                    let answer = try await inbox.next(timeout: .seconds(5))
                    let type = answer["type"] as? String
                    if allowed.contains(role) {
                        #expect(type == "subscribed", "\(role.rawValue) may follow \(topic), got \(answer)")
                    } else {
                        #expect(type == "error" && answer["code"] as? String == "subscription.forbidden",
                                "\(role.rawValue) may not follow \(topic), got \(answer)")
                    }
                    // Skip presence updates caused by our own subscription.
                    while let extra = try? await inbox.next(timeout: .milliseconds(100)), extra["type"] as? String == "presence" {}
                }
                for (message, expected) in Self.messageRules {
                    try await out.send(message)
                    let answer = try await inbox.next(type: expected)
                    if expected == "error" { #expect(answer["code"] as? String == "auth.invalidToken") }
                }
                // Focus (where one works) only on a followed topic with presence: never on the public catalogue.
                let mayFocus = Self.topicRules(hub)[1].1.contains(role)
                try await out.send(["type": "focus", "topic": "workspace:\(hub.integration)", "focus": "r1:goals"])
                if mayFocus {
                    let presence = try await inbox.next(type: "presence")
                    let users = presence["users"] as? [[String: Any]] ?? []
                    #expect(users.contains { $0["focus"] as? String == "r1:goals" }, "\(role.rawValue): \(presence)")
                } else {
                    #expect(try await inbox.next(type: "error")["code"] as? String == "focus.notSubscribed")
                }
                try await out.send(["type": "focus", "topic": "catalogue", "focus": "x"])
                #expect(try await inbox.next(type: "error")["code"] as? String == "focus.notSubscribed")
                // Nor on a panel's public page: its readers stay unseen.
                try await out.send(["type": "focus", "topic": "panel:\(open)", "focus": "x"])
                #expect(try await inbox.next(type: "error")["code"] as? String == "focus.notSubscribed")
            }
        }
    }

    /// Lean Coffee board topics: who may follow a board in Integration and a standalone board, and
    /// guests with the token of one board (`subscribe` with `guest`).
    @Test("Board topics per role and for guests")
    func boardTopics() async throws {
        let hub = try await TestHub()
        try await hub.application().test(.live) { client in
            let coordinator = try await client.token(.coordinator)
            let (board, _, _) = try await LeanCoffeeAPITests.matrixBoard(client, admin: coordinator, workspace: hub.integration, discussing: false)
            let standalone = JSON.object(try await client.call(.post, "/api/v1/lean-coffee", token: coordinator, json: ["title": "Planungskonferenz"]).body)
            let open = try #require((standalone["board"] as? [String: Any])?["id"] as? String)
            let joined = JSON.object(try await client.call(.post, "/api/v1/lean-coffee/\(board)/guests", token: nil, json: ["displayName": "Gast"]).body)
            let guestToken = try #require(joined["token"] as? String)
            let rules: [(String, Set<Role>)] = [
                // In a workspace: its members (observers read) and administrators.
                ("leanCoffee:\(board)", [.observer, .member, .coordinator, .admin]),
                // Standalone: everyone signed in.
                ("leanCoffee:\(open)", Set(Role.allCases).subtracting([.anonymous])),
                ("leanCoffee:\(UUID().uuidString.lowercased())", []),
            ]
            for role in Role.allCases {
                let token = try await client.token(role)
                try await client.live(token: token) { out, inbox in
                    _ = try await inbox.next(type: "hello")
                    for (topic, allowed) in rules {
                        try await out.send(["type": "subscribe", "topic": topic, "id": topic])
                        let answer = try await inbox.next(timeout: .seconds(5))
                        if allowed.contains(role) {
                            #expect(answer["type"] as? String == "subscribed", "\(role.rawValue) may follow \(topic), got \(answer)")
                        } else {
                            #expect(answer["code"] as? String == "subscription.forbidden", "\(role.rawValue) may not follow \(topic), got \(answer)")
                        }
                        while let extra = try? await inbox.next(timeout: .milliseconds(100)), extra["type"] as? String == "presence" {}
                    }
                }
            }
            // A guest follows the board of their token, nothing else; a made-up token follows nothing.
            try await client.live { out, inbox in
                _ = try await inbox.next(type: "hello")
                let cases: [(String, String, Bool)] = [
                    ("leanCoffee:\(board)", guestToken, true), ("leanCoffee:\(open)", guestToken, false),
                    ("leanCoffee:\(board)", "erfunden", false), ("workspace:\(hub.integration)", guestToken, false),
                ]
                for (topic, token, allowed) in cases {
                    try await out.send(["type": "subscribe", "topic": topic, "guest": token])
                    let answer = try await inbox.next(timeout: .seconds(5))
                    #expect((answer["type"] as? String == "subscribed") == allowed, "guest on \(topic): \(answer)")
                    while let extra = try? await inbox.next(timeout: .milliseconds(100)), extra["type"] as? String == "presence" {}
                }
                // Live events reach the guest: a topic added by the coordinator.
                _ = try await client.call(.post, "/api/v1/lean-coffee/\(board)/topics", token: coordinator, json: ["title": "Neu für Gäste"])
                let events = try await inbox.events(1)
                #expect(events[0]["name"] as? String == "leanCoffee.topicAdded")
            }
        }
    }

    @Test("Barcamp topics per role and for guests")
    func barcampTopics() async throws {
        let hub = try await TestHub()
        try await hub.application().test(.live) { client in
            let coordinator = try await client.token(.coordinator)
            let made = try await BarcampAPITests.matrixBarcamp(client, admin: coordinator, workspace: hub.integration)
            let joined = JSON.object(try await client.call(.post, "/api/v1/barcamps/\(made.barcamp)/guests", token: nil, json: ["displayName": "Gast"]).body)
            let guestToken = try #require(joined["token"] as? String)
            let allowed: Set<Role> = [.observer, .member, .coordinator, .admin]
            for role in Role.allCases {
                let token = try await client.token(role)
                try await client.live(token: token) { out, inbox in
                    _ = try await inbox.next(type: "hello")
                    try await out.send(["type": "subscribe", "topic": "barcamp:\(made.barcamp)"])
                    let answer = try await inbox.next(timeout: .seconds(5))
                    #expect((answer["type"] as? String == "subscribed") == allowed.contains(role), "\(role.rawValue): \(answer)")
                }
            }
            try await client.live { out, inbox in
                _ = try await inbox.next(type: "hello")
                try await out.send(["type": "subscribe", "topic": "barcamp:\(made.barcamp)", "guest": guestToken])
                #expect(try await inbox.next(timeout: .seconds(5))["type"] as? String == "subscribed")
                while let extra = try? await inbox.next(timeout: .milliseconds(100)), extra["type"] as? String == "presence" {}
                // Interest arrives as a count, never who marked.
                _ = try await client.call(.put, "/api/v1/barcamps/\(made.barcamp)/sessions/\(made.session)/interest", token: nil,
                                          headers: [BarcampAPITests.guest: guestToken])
                let event = try await inbox.events(1)[0]
                #expect(event["name"] as? String == "barcamp.interestChanged")
                let data = event["data"] as? [String: Any] ?? [:]
                #expect(data.keys.sorted() == ["barcampId", "interest", "sessionId"] && data["interest"] as? Int == 1)
            }
        }
    }

    /// A meeting's live topic (`meeting:<uuid>`): its workspace's members (observers too) and
    /// administrators follow it; outsiders, the steering group and anonymous connections do not,
    /// nor anyone an unknown meeting.
    @Test("Meeting topics per role; a member's live view sees the agenda advance, minutes saved and RSVP counts")
    func meetingTopics() async throws {
        let clock = ManualClock()
        let hub = try await TestHub(clock: clock)
        try await hub.application().test(.live) { client in
            let id = try await MeetingAPITests.meeting(hub, client, clock: clock, invite: true)
            let rules: [(String, Set<Role>)] = [
                ("meeting:\(id)", [.observer, .member, .coordinator, .admin]),
                ("meeting:\(UUID().uuidString.lowercased())", []),
                ("meeting:nicht-eine-id", []),
            ]
            for role in Role.allCases {
                let token = try await client.token(role)
                try await client.live(token: token) { out, inbox in
                    _ = try await inbox.next(type: "hello")
                    for (topic, allowed) in rules {
                        try await out.send(["type": "subscribe", "topic": topic, "id": topic])
                        let answer = try await inbox.next(timeout: .seconds(5))
                        if allowed.contains(role) {
                            #expect(answer["type"] as? String == "subscribed", "\(role.rawValue) may follow \(topic), got \(answer)")
                        } else {
                            let code = answer["code"] as? String
                            #expect(code == "subscription.forbidden" || code == "subscription.unknownTopic",
                                    "\(role.rawValue) may not follow \(topic), got \(answer)")
                        }
                        while let extra = try? await inbox.next(timeout: .milliseconds(100)), extra["type"] as? String == "presence" {}
                    }
                }
            }
            // The live view: the member follows the meeting while the coordinator runs it.
            let member = try await client.token(.member)
            try await client.live(token: member) { out, inbox in
                _ = try await inbox.next(type: "hello")
                try await out.send(["type": "subscribe", "topic": "meeting:\(id)"])
                _ = try await inbox.next(type: "subscribed")
                var pending: [[String: Any]] = []
                // RSVP counts (never who answered).
                #expect(try await client.call(.post, "/api/v1/meetings/\(id)/rsvp", token: member, json: ["response": "accepted"]).status == .ok)
                let rsvp = try await Self.event(inbox, named: "meeting.rsvpRecorded", pending: &pending)
                let tally = (rsvp["data"] as? [String: Any])?["tally"] as? [String: Any]
                #expect(tally?["accepted"] as? Int == 1)
                #expect(((rsvp["data"] as? [String: Any]) ?? [:]).keys.sorted() == ["meetingId", "tally"])
                clock.advance(3600 * 1.5)
                let coordinator = try await client.token(.coordinator)
                #expect(try await client.call(.post, "/api/v1/meetings/\(id)/agenda/live", token: coordinator, json: ["step": "start"]).status == .ok)
                let started = try await Self.liveAgenda(inbox, pending: &pending)
                let first = try #require(started["currentItemId"] as? String)
                let firstEnd = try #require(started["endsAt"] as? String)
                clock.advance(120)
                #expect(try await client.call(.post, "/api/v1/meetings/\(id)/agenda/live", token: coordinator,
                                              json: ["step": "advance", "fromItemId": first]).status == .ok)
                let advanced = try await Self.liveAgenda(inbox, pending: &pending)
                let second = try #require(advanced["currentItemId"] as? String)
                #expect(second != first, "the agenda moved on")
                #expect(advanced["endsAt"] as? String != firstEnd, "the timer is the new item's end time")
                // A minutes section saved by someone else arrives with the section's name.
                #expect(try await client.call(.put, "/api/v1/meetings/\(id)/minutes/sections", token: coordinator,
                                              json: ["kind": "notes", "itemId": second, "text": "Begrüßung durch die Leitung.", "baseVersion": 0]).status == .ok)
                let saved = try await Self.event(inbox, named: "minutes.saved", pending: &pending)
                let data = saved["data"] as? [String: Any] ?? [:]
                #expect(data["section"] as? String == "notes:\(second)")
                let notes = ((data["minutes"] as? [String: Any])?["notes"] as? [String: Any])?[second] as? [String: Any]
                #expect(notes?["text"] as? String == "Begrüßung durch die Leitung.")
            }
        }
    }

    /// The next event called `name` (others are skipped). Events may arrive batched: the ones
    /// after the match wait in `pending` for the next call.
    static func event(_ inbox: Inbox, named name: String, pending: inout [[String: Any]]) async throws -> [String: Any] {
        var seen: [String] = []
        for _ in 0..<20 {
            if pending.isEmpty {
                guard let more = try? await inbox.events(1, timeout: .seconds(10)) else { break }
                pending = more
            }
            let event = pending.removeFirst()
            if event["name"] as? String == name { return event }
            seen.append(event["name"] as? String ?? "?")
        }
        Issue.record("no \(name) event; saw \(seen)")
        throw WSTestError.timeout
    }

    /// The `live` part of the next `agenda.liveChanged` event.
    static func liveAgenda(_ inbox: Inbox, pending: inout [[String: Any]]) async throws -> [String: Any] {
        let event = try await event(inbox, named: "agenda.liveChanged", pending: &pending)
        let agenda = (event["data"] as? [String: Any])?["agenda"] as? [String: Any]
        return try #require(agenda?["live"] as? [String: Any])
    }
}
