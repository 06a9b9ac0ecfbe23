import Foundation
import HTTPTypes
import HubApp
import HubCore
import HubRealtime
import HubServices
import Hummingbird
import HummingbirdTesting
import HummingbirdWSTesting
import HummingbirdWebSocket
import NIOCore
import Synchronization
import Testing

@Suite("WebSocket protocol")
struct WebSocketTests {
    @Test("A subscriber receives the events of a mutation, encoded once, in order")
    func receivesEvents() async throws {
        let hub = try await TestHub()
        try await hub.application().test(.live) { client in
            let admin = try #require(try await client.token(.admin))
            try await client.live(token: admin) { out, inbox in
                let hello = try await inbox.next(type: "hello")
                #expect(hello["protocol"] as? Int == 1 && hello["epoch"] as? String == hub.graph.store.epoch)
                try await out.send(["type": "subscribe", "topic": "directory", "id": "s1"])
                let subscribed = try await inbox.next(type: "subscribed")
                #expect(subscribed["id"] as? String == "s1" && subscribed["recovered"] as? Bool == true && subscribed["seq"] as? Int == 9)
                let created = try await client.call(.post, "/api/v1/workspaces", token: admin, json: ["kind": "focusGroup", "name": "Live-Gruppe"])
                #expect(created.status == .created)
                let events = try await inbox.events(1)
                #expect(events[0]["name"] as? String == "workspace.created")
                #expect(events[0]["seq"] as? Int == 10 && events[0]["topic"] as? String == "directory")
                #expect((events[0]["data"] as? [String: Any])?["name"] as? String == "Live-Gruppe")
                #expect((events[0]["data"] as? [String: Any])?["id"] as? String == JSON.object(created.body)["id"] as? String,
                        "the event carries the same representation the HTTP API returned")
            }
        }
    }

    @Test("Every writer delivers commits of 1 to 7 events over a real socket: all 300, in order, no duplicate",
          arguments: ["loop", "task", "direct"])
    func writersDeliverInOrder(writer: String) async throws {
        let hub = try await TestHub { $0.wsWriter = writer; $0.wsBufferEvents = 4096 }
        try await hub.application().test(.live) { client in
            let admin = try #require(try await client.token(.admin))
            try await client.live(token: admin) { out, inbox in
                try await out.send(["type": "subscribe", "topic": "directory", "id": "s1"])
                let subscribed = try await inbox.next(type: "subscribed")
                let base = try #require(subscribed["seq"] as? Int)
                var seq = Int64(base)
                var size = 1
                while seq < Int64(base + 300) {
                    let batch = (1...size).map { _ -> StoredEvent in
                        seq += 1
                        return StoredEvent(topic: "directory", seq: seq, name: "test.burst", payload: "{\"n\":\(seq)}", atMillis: 0)
                    }.filter { $0.seq <= Int64(base + 300) }
                    hub.graph.hub.didCommit(batch)
                    size = size % 7 + 1
                    if seq % 50 == 0 { await Task.yield() }
                }
                let events = try await inbox.events(300, timeout: .seconds(20))
                #expect(events.compactMap { $0["seq"] as? Int } == Array(base + 1...base + 300))
                #expect(events.allSatisfy { ($0["data"] as? [String: Any])?["n"] as? Int == $0["seq"] as? Int })
            }
        }
    }

    @Test("Reconnecting with an old {epoch, seq} yields exactly the missed events, in order, then live ones")
    func resume() async throws {
        let hub = try await TestHub()
        try await hub.application().test(.live) { client in
            let admin = try #require(try await client.token(.admin))
            let snapshot = JSON.object(try await client.call(.get, "/api/v1/workspaces", token: admin).body)
            let cursor = try #require(snapshot["cursor"] as? [String: Any])
            let epoch = try #require(cursor["epoch"] as? String)
            let seq = try #require(cursor["seq"] as? Int)
            // While the client is away, three changes happen.
            for name in ["Verpasst Eins", "Verpasst Zwei", "Verpasst Drei"] {
                #expect(try await client.call(.post, "/api/v1/workspaces", token: admin, json: ["kind": "focusGroup", "name": name]).status == .created)
            }
            try await client.live(token: admin) { out, inbox in
                try await out.send(["type": "subscribe", "topic": "directory", "epoch": epoch, "seq": seq])
                let subscribed = try await inbox.next(type: "subscribed")
                #expect(subscribed["recovered"] as? Bool == true && subscribed["replayed"] as? Int == 3 && subscribed["seq"] as? Int == seq + 3)
                let missed = try await inbox.events(3)
                #expect(missed.map { $0["seq"] as? Int } == [seq + 1, seq + 2, seq + 3])
                #expect(missed.map { ($0["data"] as? [String: Any])?["name"] as? String } == ["Verpasst Eins", "Verpasst Zwei", "Verpasst Drei"])
                _ = try await client.call(.post, "/api/v1/workspaces", token: admin, json: ["kind": "focusGroup", "name": "Wieder live"])
                let live = try await inbox.events(1)
                #expect(live[0]["seq"] as? Int == seq + 4, "no gap and no duplicate between replay and live")
                #expect(await inbox.quiet(of: "event"))
            }
            // Another epoch (a restored backup): the client must reload.
            try await client.live(token: admin) { out, inbox in
                try await out.send(["type": "subscribe", "topic": "directory", "epoch": UUID().uuidString.lowercased(), "seq": 2])
                let subscribed = try await inbox.next(type: "subscribed")
                #expect(subscribed["recovered"] as? Bool == false && subscribed["replayed"] as? Int == 0)
                #expect(await inbox.quiet(of: "event"))
            }
        }
    }

    @Test("Subscriptions are authorized per topic: forbidden and unknown topics are refused")
    func forbiddenTopics() async throws {
        let hub = try await TestHub()
        try await hub.application().test(.live) { client in
            let member = try #require(try await client.token(.member))
            try await client.live(token: member) { out, inbox in
                try await out.send(["type": "subscribe", "topic": "workspace:\(hub.sucht)", "id": "x"])
                let refused = try await inbox.next(type: "error")
                #expect(refused["code"] as? String == "subscription.forbidden" && refused["id"] as? String == "x")
                try await out.send(["type": "subscribe", "topic": "workspace:\(hub.integration)"])
                #expect(try await inbox.next(type: "subscribed")["topic"] as? String == "workspace:\(hub.integration)")
                try await out.send(["type": "subscribe", "topic": "meeting:nothing"])
                #expect(try await inbox.next(type: "error")["code"] as? String == "subscription.unknownTopic")
                // An event in the forbidden workspace never reaches this member.
                let admin = try await client.token(.admin)
                _ = try await client.call(.patch, "/api/v1/workspaces/\(hub.sucht)", token: admin, json: ["description": "intern"],
                                          headers: [.ifMatch: "\"v1\""])
                #expect(await inbox.quiet(of: "event"))
            }
            try await client.live { out, inbox in
                #expect((try await inbox.next(type: "hello"))["user"] is NSNull)
                try await out.send(["type": "subscribe", "topic": "directory"])
                #expect(try await inbox.next(type: "error")["code"] as? String == "subscription.forbidden")
                // Authenticating by message upgrades the anonymous connection.
                let token = try #require(try await client.token(.member))
                try await out.send(["type": "auth", "token": token])
                #expect(try await inbox.next(type: "authenticated")["user"] != nil)
                try await out.send(["type": "subscribe", "topic": "directory"])
                #expect(try await inbox.next(type: "subscribed")["topic"] as? String == "directory")
                try await out.send(["type": "auth", "token": "wrong"])
                #expect(try await inbox.next(type: "error")["code"] as? String == "auth.invalidToken")
            }
        }
    }

    @Test("A removed member loses the workspace topic at once")
    func removedMemberLosesTopic() async throws {
        let hub = try await TestHub()
        try await hub.application().test(.live) { client in
            let member = try #require(try await client.token(.member))
            let memberID = try #require(try await hub.graph.store.credentials(email: "mitglied@roundtable.example")?.0.id)
            try await client.live(token: member) { out, inbox in
                try await out.send(["type": "subscribe", "topic": "workspace:\(hub.integration)"])
                _ = try await inbox.next(type: "subscribed")
                let coordinator = try await client.token(.coordinator)
                #expect(try await client.call(.delete, "/api/v1/workspaces/\(hub.integration)/members/\(memberID)", token: coordinator).status == .noContent)
                let gone = try await inbox.next(type: "unsubscribed")
                #expect(gone["reason"] as? String == "forbidden")
                #expect(hub.graph.hub.subscriberCount("workspace:\(hub.integration)") == 0)
            }
        }
    }

    @Test("Presence lists who is on a topic")
    func presence() async throws {
        let hub = try await TestHub()
        try await hub.application().test(.live) { client in
            let member = try #require(try await client.token(.member))
            let coordinator = try #require(try await client.token(.coordinator))
            try await client.live(token: member) { out, inbox in
                try await out.send(["type": "subscribe", "topic": "workspace:\(hub.integration)"])
                _ = try await inbox.next(type: "subscribed")
                try await client.live(token: coordinator) { out2, inbox2 in
                    try await out2.send(["type": "subscribe", "topic": "workspace:\(hub.integration)"])
                    _ = try await inbox2.next(type: "subscribed")
                    var names: [String] = []
                    for _ in 0..<3 where names.count < 2 {
                        let presence = try await inbox.next(type: "presence")
                        names = (presence["users"] as? [[String: Any]] ?? []).compactMap { $0["displayName"] as? String }
                    }
                    #expect(names.sorted() == ["Koordination Fokusgruppe (Demo)", "Mitglied Fokusgruppe (Demo)"])
                }
                let after = try await inbox.next(type: "presence")
                #expect((after["users"] as? [[String: Any]])?.count == 1, "leaving updates presence")
            }
        }
    }

    @Test("An oversized message closes the connection with 1009")
    func oversized() async throws {
        let hub = try await TestHub()
        try await hub.application().test(.live) { client in
            let close = try await client.ws("/ws", configuration: .init(maxFrameSize: 1 << 20)) { inbound, outbound, _ in
                try await outbound.write(.text("{\"type\":\"ping\",\"id\":\"" + String(repeating: "x", count: 20_000) + "\"}"))
                for try await _ in inbound {}
            }
            #expect(close?.closeCode == .messageTooLarge)
        }
    }

    @Test("Invalid messages get an error, a flood gets rate-limited and then closed with 1008")
    func invalidAndFlood() async throws {
        let hub = try await TestHub { $0.wsMessageRate = 5 }
        try await hub.application().test(.live) { client in
            try await client.live { out, inbox in
                try await out.write(.text("not json"))
                #expect(try await inbox.next(type: "error")["code"] as? String == "message.invalid")
                try await out.send(["type": "dance"])
                #expect(try await inbox.next(type: "error")["code"] as? String == "message.invalid")
                try await out.send(["type": "ping", "id": "p"])
                #expect(try await inbox.next(type: "pong")["id"] as? String == "p")
            }
            let close = try await client.ws("/ws") { inbound, outbound, _ in
                for _ in 0..<40 { try await outbound.write(.text("{\"type\":\"ping\"}")) }
                for try await _ in inbound {}
            }
            #expect(close?.closeCode == .policyViolation)
        }
    }

    @Test("Foreign origins cannot open the socket")
    func origin() async throws {
        let hub = try await TestHub()
        try await hub.application().test(.live) { client in
            // The WebSocket client library always sends its own Origin, so speak HTTP directly.
            let upgrade: HTTPFields = [
                .connection: "Upgrade", .upgrade: "websocket", .secWebSocketVersion: "13", .secWebSocketKey: "dGhlIHNhbXBsZSBub25jZQ==",
            ]
            var evil = upgrade
            evil[.origin] = "https://evil.example"
            let refused = try await client.execute(uri: "/ws", method: .get, headers: evil)
            #expect(refused.status != .switchingProtocols && (400..<500).contains(refused.status.code))
            // The same-origin case is every other test here and the browser test.
        }
    }

    @Test("Signing out closes that session's sockets at once, not at the 15 s expiry sweep")
    func signOutCloses() async throws {
        let hub = try await TestHub()
        try await hub.application().test(.live) { client in
            let token = try #require(try await client.token(.member))
            // Measured from the sign-out, not from before the connection: setting up the socket is not what is timed, and
            // under a loaded parallel test run it alone can take most of a second.
            let started = Mutex<ContinuousClock.Instant?>(nil)
            let close = try await client.ws("/ws", configuration: .init(additionalHeaders: [.authorization: "Bearer \(token)"])) { inbound, _, _ in
                started.withLock { $0 = ContinuousClock.now }
                Task { _ = try await client.call(.delete, "/api/v1/session", token: token) }
                for try await _ in inbound {}
            }
            #expect(close?.closeCode == .unknown(4401))
            // Timed from the sign-out itself; the bound only tells "closed by the sign-out" from
            // "closed by the expiry sweep" (15 s), with room for a loaded CI machine.
            let start = try #require(started.withLock { $0 })
            #expect(ContinuousClock.now - start < .seconds(5))
        }
    }

    @Test("Shutdown closes every socket with 1001 after what was queued, with each writer", arguments: ["loop", "task", "direct"])
    func shutdownCloses1001(writer: String) async throws {
        let hub = try await TestHub { $0.wsWriter = writer }
        try await hub.application().test(.live) { client in
            let token = try #require(try await client.token(.admin))
            let seen = Mutex<[String]>([])
            let close = try await client.ws("/ws", configuration: .init(additionalHeaders: [.authorization: "Bearer \(token)"])) { inbound, outbound, _ in
                try await outbound.write(.text("{\"type\":\"subscribe\",\"topic\":\"directory\"}"))
                var messages = inbound.messages(maxSize: 1 << 20).makeAsyncIterator()
                while let message = try await messages.next() {
                    guard case .text(let text) = message else { continue }
                    seen.withLock { $0.append(JSON.object(text)["type"] as? String ?? "") }
                    if JSON.object(text)["type"] as? String == "subscribed" { break }
                }
                let head = Int64(hub.graph.hub.publishedHead("directory") ?? 0)
                hub.graph.hub.didCommit([StoredEvent(topic: "directory", seq: head + 1, name: "test.last", payload: "{}", atMillis: 0)])
                hub.graph.hub.closeAll(code: 1001, reason: "shutting down")
                while let message = try await messages.next() {
                    guard case .text(let text) = message else { continue }
                    seen.withLock { $0.append(JSON.object(text)["type"] as? String ?? "") }
                }
            }
            #expect(close?.closeCode == .goingAway)
            #expect(seen.withLock { $0.last } == "event", "the event queued before the close went out first")
        }
    }

    @Test("A closed connection is freed: nothing keeps it (or its channel) alive, with each writer", arguments: ["loop", "task", "direct"])
    func closedConnectionIsFreed(writer: String) async throws {
        let hub = try await TestHub { $0.wsWriter = writer }
        final class Weak: @unchecked Sendable { weak var connection: LiveConnection? }
        let weak = Weak()
        try await hub.application().test(.live) { client in
            let token = try #require(try await client.token(.admin))
            try await client.live(token: token) { out, inbox in
                try await out.send(["type": "subscribe", "topic": "directory", "id": "s1"])
                _ = try await inbox.next(type: "subscribed")
                weak.connection = hub.graph.hub.openConnections.first
                #expect(weak.connection != nil)
            }
            for _ in 0..<400 where hub.graph.hub.connectionCount > 0 { try await Task.sleep(for: .milliseconds(5)) }
            #expect(hub.graph.hub.connectionCount == 0)
            for _ in 0..<400 where weak.connection != nil { try await Task.sleep(for: .milliseconds(5)) }
            #expect(weak.connection == nil, "the connection was deallocated after its socket closed")
        }
    }

    @Test("Sockets of an expired session are closed with 4401")
    func expiredSessionCloses() async throws {
        let hub = try await TestHub()
        try await hub.application().test(.live) { client in
            let token = try #require(try await client.token(.member))
            let close = try await client.ws("/ws", configuration: .init(additionalHeaders: [.authorization: "Bearer \(token)"])) { inbound, _, _ in
                try await Task.sleep(for: .milliseconds(100))
                hub.graph.hub.closeExpired(now: Date().addingTimeInterval(3600))
                #expect(hub.graph.hub.openConnections.count == 1, "a valid session stays open")
                hub.graph.hub.closeExpired(now: Date().addingTimeInterval(13 * 3600))
                for try await _ in inbound {}
            }
            #expect(close?.closeCode == .unknown(4401))
        }
    }

    @Test("A stalled consumer gets resync and the server's buffer for it stays bounded")
    func stalledConsumer() async throws {
        let hub = try await TestHub { $0.wsBufferEvents = 32 }
        try await hub.application().test(.live) { client in
            let admin = try #require(try await client.token(.admin))
            let close = try await client.ws("/ws", configuration: .init(maxFrameSize: 1 << 22, additionalHeaders: [.authorization: "Bearer \(admin)"])) { inbound, outbound, _ in
                try await outbound.write(.text("{\"type\":\"subscribe\",\"topic\":\"directory\"}"))
                // Read until the subscription is confirmed, then stop reading entirely.
                var messages = inbound.messages(maxSize: 1 << 24).makeAsyncIterator()
                var lastEventSeq = -1
                while let message = try await messages.next() {
                    guard case .text(let text) = message, JSON.object(text)["type"] as? String == "subscribed" else { continue }
                    lastEventSeq = JSON.object(text)["seq"] as? Int ?? -1
                    break
                }
                #expect(hub.graph.hub.subscriberCount("directory") == 1)
                let connection = try #require(hub.graph.hub.openConnections.first)
                let payload = "{\"filler\":\"" + String(repeating: "x", count: 64 * 1024) + "\"}"
                var maxQueued = 0
                var maxBytes = 0
                var seq: Int64 = 1000
                // Publish far more than socket buffers and the outbox can hold (~200 MB).
                while hub.graph.hub.subscriberCount("directory") > 0 && seq < 4000 {
                    seq += 1
                    hub.graph.hub.didCommit([StoredEvent(topic: "directory", seq: seq, name: "test.filler", payload: payload, atMillis: 0)])
                    maxQueued = max(maxQueued, connection.queuedCount)
                    maxBytes = max(maxBytes, connection.queuedBytes)
                    if seq % 5 == 0 { try await Task.sleep(for: .milliseconds(1)) }
                }
                #expect(hub.graph.hub.subscriberCount("directory") == 0, "the overflowing subscription was dropped")
                #expect(maxQueued <= 33, "outbox never exceeds its capacity (saw \(maxQueued))")
                #expect(maxBytes <= connection.maxBytes)
                // Now read: what was written arrives, then the resync with the last delivered seq.
                var resync: [String: Any]?
                while let message = try await messages.next() {
                    guard case .text(let text) = message else { continue }
                    let object = JSON.object(text)
                    switch object["type"] as? String {
                    case "event": lastEventSeq = object["seq"] as? Int ?? lastEventSeq
                    case "batch": lastEventSeq = (object["events"] as? [[String: Any]])?.last?["seq"] as? Int ?? lastEventSeq
                    case "resync": resync = object
                    default: break
                    }
                    if resync != nil { break }
                }
                #expect(resync?["topic"] as? String == "directory")
                #expect(resync?["seq"] as? Int == lastEventSeq, "resync names exactly the last event the client received")
                #expect(lastEventSeq >= 9, "the client holds at least what it subscribed at")
                try await outbound.close(.normalClosure, reason: nil)
            }
            _ = close
        }
    }
}
