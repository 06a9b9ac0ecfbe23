import Foundation
import HTTPTypes
import HubApp
import HubCore
import HubServices
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import Synchronization
import Testing
@testable import HubRealtime

/// Live tallies are values: within the conflation interval a viewer gets only the newest per
/// key, and a frame after skipped (superseded) events says so with `prev`. Events stay logged
/// gap-free; a real gap is still a gap. (Docs/api/websocket.md, "Conflated events".)
@Suite("Live conflation of tallies")
struct ConflationTests {
    static let board = LeanCoffeeBoardID(UUID())
    static let topicA = LeanCoffeeTopicID(UUID())
    static let topicB = LeanCoffeeTopicID(UUID())
    static let topic = "leanCoffee:\(board)"

    /// A `tallyChanged` event with the real encoder's payload; `dots` = seq so counts are checkable.
    func tally(_ seq: Int64, _ topicID: LeanCoffeeTopicID) -> StoredEvent {
        let payload = LeanCoffeeViews.payload(of: .tallyChanged(board: Self.board, TopicTally(topicID: topicID, dots: Int(seq))), names: [:])
        return StoredEvent(topic: Self.topic, seq: seq, name: "leanCoffee.tallyChanged", payload: payload, atMillis: 0)
    }

    func other(_ seq: Int64) -> StoredEvent {
        StoredEvent(topic: Self.topic, seq: seq, name: "leanCoffee.topicEdited", payload: "{\"n\":\(seq)}", atMillis: 0)
    }

    /// Holds a hub's interval timers back until the test runs them: the test, not the clock,
    /// decides when an interval's flush happens.
    final class HeldTimers: Sendable {
        private let flushes = Mutex<[@Sendable () -> Void]>([])

        init(_ hub: TopicHub) {
            hub.flushTimerForTests.withLock { $0 = { [self] flush in flushes.withLock { $0.append(flush) } } }
        }

        var count: Int { flushes.withLock { $0.count } }

        func runAll() {
            for flush in flushes.withLock({ $0 }) { flush() }
        }
    }

    /// The frames taken from a connection, parsed (events and controls).
    func frames(_ connection: LiveConnection) -> [[String: Any]] {
        connection.take().compactMap { item -> [String: Any]? in
            let text: String
            switch item {
            case .event(_, _, let bytes): text = String(buffer: Frames.payload(ofFrame: bytes))
            case .control(let bytes): text = String(buffer: bytes)
            case .close: return nil
            }
            return try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any]
        }
    }

    /// Waits (generously) until the connection has something queued.
    func waitForQueued(_ connection: LiveConnection) async throws {
        for _ in 0..<1000 where connection.queuedCount == 0 { try await Task.sleep(for: .milliseconds(5)) }
    }

    func subscriber(_ hub: TopicHub, id: UInt64 = 1) -> LiveConnection {
        let connection = LiveConnection(id: id, principal: .anonymous, sessionHash: nil, capacity: 1000)
        hub.benchSubscribe(connection, to: Self.topic)
        _ = connection.take()
        return connection
    }

    @Test("The key: one per Lean Coffee topic for tallies, one for vote progress, none for other events")
    func keys() {
        let payload = LeanCoffeeViews.payload(of: .tallyChanged(board: Self.board, TopicTally(topicID: Self.topicA, dots: 7)), names: [:])
        #expect(Conflation.key(name: "leanCoffee.tallyChanged", payload: payload) == "tally:\(Self.topicA)")
        let progress = LeanCoffeeViews.payload(of: .voteProgress(board: Self.board, dots: 3, voters: 2), names: [:])
        #expect(Conflation.key(name: "leanCoffee.voteProgress", payload: progress) == "progress")
        #expect(Conflation.key(name: "leanCoffee.topicEdited", payload: "{\"topicId\":\"x\"}") == nil)
        let session = BarcampSessionID(UUID())
        let interest = BarcampViews.payload(of: .interestChanged(barcamp: BarcampID(UUID()), session: session, interest: 12), names: [:])
        #expect(Conflation.key(name: "barcamp.interestChanged", payload: interest) == "interest:\(session)")
        #expect(Conflation.key(name: "barcamp.gridChanged", payload: interest) == nil)
        #expect(Conflation.key(name: "leanCoffee.continueTallyChanged", payload: payload) == nil)
        #expect(Conflation.key(name: "leanCoffee.tallyChanged", payload: "{\"boardId\":\"b\",\"dots\":1}") == nil,
                "a tally without a topic id is sent as it is")
        #expect(Conflation.key(name: "leanCoffee.tallyChanged", payload: "{\"topicId\":\"a\\\"b\"}") == nil)
    }

    @Test("100 tallies of 2 topics within the interval: the first at once, then one frame per topic with prev; final counts right, no resync")
    func burstIsConflated() async throws {
        // A long interval with the timer held back: a loaded machine cannot end the interval early.
        let hub = TopicHub(logger: Logger(label: "test"), conflateInterval: .seconds(2))
        let timers = HeldTimers(hub)
        let viewer = subscriber(hub)
        for seq in Int64(1)...100 { hub.didCommit([tally(seq, seq % 2 == 1 ? Self.topicA : Self.topicB)]) }
        var received = frames(viewer)
        #expect(received.map { $0["seq"] as? Int } == [1], "the first goes out at once, the other 99 wait")
        #expect(timers.count == 1, "one timer for the interval")
        timers.runAll()
        received += frames(viewer)
        #expect(received.map { $0["seq"] as? Int } == [1, 99, 100])
        #expect(received.map { $0["prev"] as? Int } == [nil, 1, nil], "99 follows 1 (2…98 superseded); 100 follows 99")
        #expect(received.allSatisfy { $0["type"] as? String == "event" }, "no resync")
        var counts: [String: Int] = [:]
        for frame in received {
            let data = try #require(frame["data"] as? [String: Any])
            counts[data["topicId"] as? String ?? ""] = data["dots"] as? Int
        }
        #expect(counts == [Self.topicA.description: 99, Self.topicB.description: 100])
        #expect(viewer.subscribedTopics == [Self.topic], "the subscription stays live")
        // Quiet again: the next tally after the interval goes out at once.
        try await Task.sleep(for: .milliseconds(2100))
        hub.didCommit([tally(101, Self.topicA)])
        let next = frames(viewer)
        #expect(next.map { $0["seq"] as? Int } == [101] && next.first?["prev"] == nil)
    }

    @Test("Another event between tallies first sends the waiting tallies in seq order, then itself; nothing is sent twice")
    func otherEventFlushesFirst() async throws {
        let hub = TopicHub(logger: Logger(label: "test"), conflateInterval: .seconds(60))
        let timers = HeldTimers(hub)
        let viewer = subscriber(hub)
        hub.didCommit([tally(1, Self.topicA)])
        hub.didCommit([tally(2, Self.topicA), tally(3, Self.topicB)])
        hub.didCommit([tally(4, Self.topicA)])
        #expect(frames(viewer).map { $0["seq"] as? Int } == [1])
        hub.didCommit([other(5)])
        let received = frames(viewer)
        #expect(received.map { $0["seq"] as? Int } == [3, 4, 5])
        #expect(received.map { $0["prev"] as? Int } == [1, nil, nil])
        timers.runAll()
        #expect(frames(viewer).isEmpty, "the timer finds nothing left to send")
    }

    @Test("A tally after the interval's end whose timer has not run yet sends the waiting ones first: order kept, no count lost")
    func lateTimerKeepsOrder() async throws {
        let hub = TopicHub(logger: Logger(label: "test"), conflateInterval: .milliseconds(500))
        let timers = HeldTimers(hub)
        let viewer = subscriber(hub)
        hub.didCommit([tally(1, Self.topicA)])
        hub.didCommit([tally(2, Self.topicB)])  // waits; its timer is held back
        #expect(frames(viewer).map { $0["seq"] as? Int } == [1])
        try await Task.sleep(for: .milliseconds(700))  // the interval is over, the timer still has not run
        hub.didCommit([tally(3, Self.topicA)])
        timers.runAll()
        let received = frames(viewer)
        #expect(received.map { $0["seq"] as? Int } == [2, 3])
        #expect(received.allSatisfy { $0["type"] as? String == "event" && $0["prev"] == nil })
        let counts = received.reduce(into: [String: Int]()) { counts, frame in
            let data = frame["data"] as? [String: Any] ?? [:]
            counts[data["topicId"] as? String ?? ""] = data["dots"] as? Int
        }
        #expect(counts == [Self.topicA.description: 3, Self.topicB.description: 2], "topic B's count is not lost")
    }

    @Test("Tallies arriving around the interval's end, before its timer ran: frames stay in seq order and every key ends at its newest count")
    func orderAtTheIntervalBoundary() async throws {
        let hub = TopicHub(logger: Logger(label: "test"), conflateInterval: .milliseconds(2))
        let viewer = subscriber(hub)
        let keys = [Self.topicA, Self.topicB, LeanCoffeeTopicID(UUID())]
        var newest: [String: Int] = [:]
        var received: [[String: Any]] = []
        for seq in Int64(1)...600 {
            let key = keys[Int(seq * 7 % 3)]
            hub.didCommit([tally(seq, key)])
            newest[key.description] = Int(seq)
            if seq % 3 == 0 { try await Task.sleep(for: .microseconds(700)) }
            received += frames(viewer)
        }
        for _ in 0..<200 {
            try await Task.sleep(for: .milliseconds(5))
            received += frames(viewer)
        }
        var held = 0
        var counts: [String: Int] = [:]
        for frame in received {
            #expect(frame["type"] as? String == "event", "no resync")
            let seq = frame["seq"] as? Int ?? 0
            #expect(seq > held && (frame["prev"] as? Int ?? seq - 1) <= held, "in order, no gap: \(seq) after \(held)")
            held = seq
            let data = frame["data"] as? [String: Any] ?? [:]
            counts[data["topicId"] as? String ?? ""] = data["dots"] as? Int
        }
        #expect(held == 600)
        #expect(counts == newest)
    }

    @Test("Interval 0: every tally is sent as before, without prev")
    func offSendsEverything() {
        let hub = TopicHub(logger: Logger(label: "test"), conflateInterval: .zero)
        let viewer = subscriber(hub)
        for seq in Int64(1)...100 { hub.didCommit([tally(seq, seq % 2 == 1 ? Self.topicA : Self.topicB)]) }
        let received = frames(viewer)
        #expect(received.map { $0["seq"] as? Int } == (1...100).map { $0 })
        #expect(received.allSatisfy { $0["prev"] == nil })
    }

    @Test("A real gap is not hidden by conflation: the subscriber is told to resync from what it holds")
    func realGapStaysAGap() async throws {
        let hub = TopicHub(logger: Logger(label: "test"), conflateInterval: .milliseconds(100))
        hub.setGapFiller { _, _, _ in }  // the log does not have seq 2
        let viewer = subscriber(hub)
        hub.didCommit([tally(1, Self.topicA)])
        #expect(frames(viewer).map { $0["seq"] as? Int } == [1])
        hub.didCommit([tally(3, Self.topicA)])
        try await waitForQueued(viewer)
        let received = frames(viewer)
        #expect(received.contains { $0["type"] as? String == "resync" && $0["seq"] as? Int == 1 })
        #expect(!received.contains { $0["seq"] as? Int == 3 && $0["type"] as? String == "event" })
    }

    @Test("A real gap while tallies wait: the waiting ones go out first, then the subscriber is told to resync from them")
    func realGapAfterWaitingTallies() async throws {
        // Long enough that the gap filler's task (late on a loaded machine) still finds the interval running.
        let hub = TopicHub(logger: Logger(label: "test"), conflateInterval: .seconds(60))
        let timers = HeldTimers(hub)
        hub.setGapFiller { _, _, _ in }  // the log does not have seq 3
        let viewer = subscriber(hub)
        hub.didCommit([tally(1, Self.topicA)])
        hub.didCommit([tally(2, Self.topicB)])  // waits for the interval (its timer is held back)
        #expect(frames(viewer).map { $0["seq"] as? Int } == [1])
        hub.didCommit([tally(4, Self.topicA)])  // after the gap: 2 goes out first, 4 waits
        try await waitForQueued(viewer)
        #expect(frames(viewer).map { $0["seq"] as? Int } == [2])
        timers.runAll()
        let received = frames(viewer)
        #expect(received.count == 1 && received.first?["type"] as? String == "resync" && received.first?["seq"] as? Int == 2,
                "4 follows the missing 3: never skipped silently")
    }

    @Test("Connection: prev at or below what it holds is accepted, prev beyond it is a gap; seq at or below it is skipped")
    func connectionGapRule() {
        let connection = LiveConnection(id: 1, principal: .anonymous, sessionHash: nil, capacity: 100)
        connection.beginSubscription(Self.topic)
        _ = connection.completeSubscription(Self.topic, answer: ByteBuffer(), replay: [], base: 5)
        _ = connection.take()
        #expect(connection.deliver(topic: Self.topic, seq: 8, prev: 3, bytes: ByteBuffer()) == .queued, "6, 7 superseded; 3 ≤ 5 held")
        #expect(connection.deliver(topic: Self.topic, seq: 8, prev: 7, bytes: ByteBuffer()) == .skipped, "already queued")
        #expect(connection.deliver(topic: Self.topic, seq: 9, bytes: ByteBuffer()) == .queued, "no prev: seq - 1")
        #expect(connection.deliver(topic: Self.topic, seq: 12, prev: 10, bytes: ByteBuffer()) == .overflowed, "10 was never queued")
        #expect(connection.subscribedTopics.isEmpty)
    }

    @Test("Replay then live: live frames that came during replay follow it when their prev is covered, else resync")
    func replayThenConflatedLive() {
        let frame = { (seq: Int64) in ByteBuffer(string: "\(seq)") }
        let connection = LiveConnection(id: 1, principal: .anonymous, sessionHash: nil, capacity: 100)
        connection.beginSubscription(Self.topic)
        #expect(connection.deliver(topic: Self.topic, seq: 9, prev: 6, bytes: frame(9)) == .skipped, "held until replay ends")
        #expect(connection.deliver(topic: Self.topic, seq: 10, bytes: frame(10)) == .skipped)
        #expect(connection.completeSubscription(Self.topic, answer: ByteBuffer(), replay: (6...7).map { ($0, frame($0)) }, base: 5))
        let seqs = connection.take().compactMap { if case .event(_, let seq, _) = $0 { seq } else { nil } }
        #expect(seqs == [6, 7, 9, 10], "8 was superseded by a later value")

        let behind = LiveConnection(id: 2, principal: .anonymous, sessionHash: nil, capacity: 100)
        behind.beginSubscription(Self.topic)
        _ = behind.deliver(topic: Self.topic, seq: 12, prev: 10, bytes: frame(12))
        #expect(!behind.completeSubscription(Self.topic, answer: ByteBuffer(), replay: (6...7).map { ($0, frame($0)) }, base: 5))
        let items = behind.take()
        #expect(items.contains { if case .control(let b) = $0 { String(buffer: b).contains("\"resync\"") } else { false } })
        #expect(!items.contains { if case .event(_, 12, _) = $0 { true } else { false } })
    }

    @Test("Replay from the log: within a run of tallies only the newest per key is kept, another event ends the run; prev chains from the client's seq")
    func replayIsConflated() {
        let events = [tally(11, Self.topicA), tally(12, Self.topicB), tally(13, Self.topicA), other(14), tally(15, Self.topicA), tally(16, Self.topicA)]
        let kept = Conflation.replay(events, after: 10)
        #expect(kept.map(\.event.seq) == [12, 13, 14, 16])
        #expect(kept.map(\.prev) == [10, 12, 13, 14])
        #expect(Conflation.replay([other(3), other(4)], after: 2).map(\.prev) == [2, 3], "nothing to conflate: every event, prev = seq - 1")
        #expect(Conflation.replay([], after: 5).isEmpty)
    }

    @Test("ROUNDTABLE_LIVE_CONFLATE_MS: 20 by default, 0 switches it off, out of range is refused")
    func configuration() throws {
        #expect(try HubConfiguration.load().liveConflateMs == 20)
        #expect(try HubConfiguration.load(environment: ["ROUNDTABLE_LIVE_CONFLATE_MS": "0"]).liveConflateMs == 0)
        #expect(throws: HubConfiguration.Problems.self) { try HubConfiguration.load(environment: ["ROUNDTABLE_LIVE_CONFLATE_MS": "5000"]) }
    }
}

/// Through the real stack: dots placed over HTTP as fast as the clients can, one viewer on a
/// real WebSocket. Whatever was conflated, the viewer ends with the server's counts, never sees
/// a gap (each frame's `prev` is at or below what it holds) and is never told to resync.
@Suite("Live conflation end to end")
struct LiveConflationEndToEndTests {
    static let key = HTTPField.Name("Idempotency-Key")!
    static let guest = HTTPField.Name("X-Guest-Token")!

    @Test("4 guests place 40 dots concurrently over HTTP; the WebSocket viewer ends with the server's counts, no gap, no resync")
    func quickVotesReachTheViewer() async throws {
        let hub = try await TestHub { $0.liveConflateMs = 200 }
        try await hub.application().test(.live) { client in
            let coordinator = try await client.token(.coordinator)
            var settings = LeanCoffeeSettings()
            settings.guestsAllowed = true
            settings.dotsPerParticipant = 10
            let settingsJSON = try JSONSerialization.jsonObject(with: JSONEncoder().encode(settings))
            let created = JSON.object(try await client.call(.post, "/api/v1/lean-coffee", token: coordinator,
                                                            json: ["title": "Tally-Board", "workspaceId": hub.integration.description, "settings": settingsJSON]).body)
            let board = try #require((created["board"] as? [String: Any])?["id"] as? String)
            var topics: [String] = []
            for title in ["Busanbindung", "Wohnen im Alter"] {
                let body = JSON.object(try await client.call(.post, "/api/v1/lean-coffee/\(board)/topics", token: coordinator, json: ["title": title]).body)
                topics = (body["topics"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String }
            }
            #expect(topics.count == 2)
            var guests: [String] = []
            for i in 0..<4 {
                let joined = JSON.object(try await client.call(.post, "/api/v1/lean-coffee/\(board)/guests", token: nil,
                                                               json: ["displayName": "Gast \(i)"]).body)
                guests.append(try #require(joined["token"] as? String))
            }
            #expect(try await client.call(.post, "/api/v1/lean-coffee/\(board)/phase", token: coordinator, json: ["phase": "vote"]).status == .ok)
            let allTopics = topics
            let allGuests = guests
            let startSeq = Mutex(0)
            _ = try await client.live(token: coordinator) { out, inbox in
                try await out.send(["type": "subscribe", "topic": "leanCoffee:\(board)", "id": "s"])
                let subscribed = try await inbox.next(type: "subscribed", timeout: .seconds(30))
                startSeq.withLock { $0 = subscribed["seq"] as? Int ?? -1 }
                try await withThrowingTaskGroup(of: Void.self) { group in
                    for (i, token) in allGuests.enumerated() {
                        group.addTask {
                            for d in 0..<10 {
                                let topic = allTopics[(i + d) % allTopics.count]
                                let r = try await client.call(.post, "/api/v1/lean-coffee/\(board)/topics/\(topic)/dots", token: nil,
                                                              headers: [Self.key: "g\(i)-d\(d)-\(UUID().uuidString.prefix(8))", Self.guest: token])
                                #expect(r.status == .ok)
                            }
                        }
                    }
                    try await group.waitForAll()
                }
                let server = JSON.object(try await client.call(.get, "/api/v1/lean-coffee/\(board)", token: coordinator).body)
                let head = try #require((server["cursor"] as? [String: Any])?["seq"] as? Int)
                // Wait (generously, checking every 50 ms) until the viewer holds the head.
                var events: [[String: Any]] = []
                var parsed = 0
                let deadline = ContinuousClock.now + .seconds(30)
                while ContinuousClock.now < deadline {
                    let all = inbox.all
                    for text in all[parsed...] {
                        let message = JSON.object(text)
                        #expect(message["type"] as? String != "resync", "never told to resync")
                        switch message["type"] as? String {
                        case "event": events.append(message)
                        case "batch": events += message["events"] as? [[String: Any]] ?? []
                        default: break
                        }
                    }
                    parsed = all.count
                    if (events.last?["seq"] as? Int ?? 0) >= head { break }
                    try await Task.sleep(for: .milliseconds(50))
                }
                var counts: [String: Int] = [:]
                var held = -1
                var tallyFrames = 0
                for event in events {
                    let seq = try #require(event["seq"] as? Int)
                    let prev = event["prev"] as? Int ?? seq - 1
                    if held >= 0 {
                        #expect(seq > held, "no duplicate")
                        #expect(prev <= held, "no gap: \(seq) follows \(prev), the viewer holds \(held)")
                    }
                    held = seq
                    guard event["name"] as? String == "leanCoffee.tallyChanged", let data = event["data"] as? [String: Any] else { continue }
                    tallyFrames += 1
                    counts[data["topicId"] as? String ?? ""] = data["dots"] as? Int
                }
                #expect(held >= head, "the viewer received up to the head")
                for topic in server["topics"] as? [[String: Any]] ?? [] {
                    let id = topic["id"] as? String ?? ""
                    #expect(counts[id] == topic["dots"] as? Int, "topic \(id): viewer \(counts[id] ?? -1), server \(topic["dots"] ?? "nil")")
                }
                #expect(counts.values.reduce(0, +) == 40)
                print("live conflation end to end: 40 votes, \(tallyFrames) tally frames to the viewer")
            }
            // A client that held the board before the votes resumes: the replay leaves out the
            // superseded tallies (40 logged, one per Lean Coffee topic replayed) and ends at the counts.
            let server = JSON.object(try await client.call(.get, "/api/v1/lean-coffee/\(board)", token: coordinator).body)
            let cursor = try #require(server["cursor"] as? [String: Any])
            let epoch = try #require(cursor["epoch"] as? String)
            let from = startSeq.withLock { $0 }
            #expect(cursor["seq"] as? Int == from + 40, "every vote is logged")
            var serverCounts: [String: Int] = [:]
            for topic in server["topics"] as? [[String: Any]] ?? [] { serverCounts[topic["id"] as? String ?? ""] = topic["dots"] as? Int }
            let expected = serverCounts
            _ = try await client.live(token: coordinator) { out, inbox in
                try await out.send(["type": "subscribe", "topic": "leanCoffee:\(board)", "id": "r", "epoch": epoch, "seq": from])
                let resumed = try await inbox.next(type: "subscribed", timeout: .seconds(30))
                #expect(resumed["recovered"] as? Bool == true)
                #expect(resumed["replayed"] as? Int == 2)
                var counts: [String: Int] = [:]
                var held = from
                for _ in 0..<2 {
                    let event = try await inbox.next(type: "event", timeout: .seconds(30))
                    let seq = try #require(event["seq"] as? Int)
                    #expect(seq > held && (event["prev"] as? Int ?? seq - 1) <= held, "no gap")
                    held = seq
                    let data = try #require(event["data"] as? [String: Any])
                    counts[data["topicId"] as? String ?? ""] = data["dots"] as? Int
                }
                #expect(held == from + 40)
                #expect(counts == expected)
            }
        }
    }
}
