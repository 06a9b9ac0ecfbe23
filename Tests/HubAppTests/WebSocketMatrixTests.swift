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
}
