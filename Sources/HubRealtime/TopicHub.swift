import Foundation
import HubCore
import HubServices
import Logging
import Metrics
import NIOCore
import Synchronization

/// Fan-out of committed events to the connections subscribed to their topics, and presence.
///
/// `didCommit` is called by the store in commit order. It encodes each event once and hands
/// the same bytes to every subscriber's outbox: no database query, no task hop and no
/// allocation per recipient. Writers drain outboxes on their own tasks.
public final class TopicHub: CommitObserver, Sendable {
    struct Member {
        let connection: LiveConnection
        var user: ServerMessage.UserRef?
    }

    private let subscribers = Mutex<[String: [UInt64: Member]]>([:])
    private let connections = Mutex<[UInt64: LiveConnection]>([:])
    private let epochBox: Mutex<String>
    private let connectionIDs = Atomic<UInt64>(0)
    /// Per topic: the seq up to which this process has handed out every event, and events
    /// that arrived ahead of a gap (on PostgreSQL another instance's commit of an earlier seq
    /// that the backplane has not brought yet). Subscribers get each topic strictly in order.
    private let published = Mutex<[String: Int64]>([:])
    private let heldBack = Mutex<[String: [Int64: StoredEvent]]>([:])
    /// Reads a topic's missing events (after, upTo) from the log and hands them to `didCommit`
    /// (the backplane sets it on PostgreSQL). Without it a gap is not waited for.
    private let gapFiller = Mutex<(@Sendable (String, Int64, Int64) async -> Void)?>(nil)
    private let logger: Logger
    private let delivered = Counter(label: "roundtable_ws_deliveries_total")
    private let overflows = Counter(label: "roundtable_ws_resyncs_total")
    private let publishedCounter = Counter(label: "roundtable_events_published_total")
    /// Presence throttle per topic: when it was last sent, and whether a trailing send is due.
    private let presenceState = Mutex<[String: PresenceThrottle]>([:])
    private let presenceInterval: Duration

    struct PresenceThrottle {
        var lastSent: ContinuousClock.Instant
        var trailingScheduled: Bool
    }

    /// Live conflation per topic (see `Conflation`), guarded together with every enqueueing of
    /// events: a commit's publish and a timer's flush never interleave on a topic.
    private let conflation = Mutex<[String: ConflatedTopic]>([:])
    private let conflateInterval: Duration
    private let conflatedCounter = Counter(label: "roundtable_ws_conflated_total")
    /// Tests only: receives each interval's flush instead of a timer task, to run it when they choose.
    let flushTimerForTests = Mutex<(@Sendable (@escaping @Sendable () -> Void) -> Void)?>(nil)

    struct ConflatedTopic {
        /// The last event published on the topic (a higher next one means a real gap).
        var lastSeen: Int64?
        /// The seq of the last frame sent on the topic: the next frame's `prev`.
        var lastSent: Int64?
        /// Conflatable events until then wait in `pending` (a frame was sent recently).
        var quietUntil: ContinuousClock.Instant?
        /// The newest waiting event per key.
        var pending: [String: StoredEvent] = [:]
        var flushScheduled = false
    }

    /// The most people a `presence` message lists; `count` gives the total.
    public static let presenceListLimit = 100

    /// `presenceInterval`: presence goes out at once after a quiet period, and at most once
    /// per interval while people keep joining (the changes in between are merged).
    ///
    /// `conflateInterval`: tallies (`Conflation.key`) go out at once after a quiet interval;
    /// within it only the newest per key is kept and sent at its end (`.zero`: every event is sent).
    public init(epoch: String = "", logger: Logger, presenceInterval: Duration = .milliseconds(250),
                conflateInterval: Duration = .milliseconds(20)) {
        self.epochBox = Mutex(epoch)
        self.logger = logger
        self.presenceInterval = presenceInterval
        self.conflateInterval = conflateInterval
    }

    /// Whether tallies are conflated (live and in replays).
    public var conflates: Bool { conflateInterval > .zero }

    /// Set once the store is open (the store needs the hub as its observer first).
    public func setEpoch(_ epoch: String) { epochBox.withLock { $0 = epoch } }
    public var epoch: String { epochBox.withLock { $0 } }

    // MARK: CommitObserver

    /// Sets who fills gaps (see `gapFiller`).
    public func setGapFiller(_ filler: @escaping @Sendable (String, Int64, Int64) async -> Void) {
        gapFiller.withLock { $0 = filler }
    }

    public func didCommit(_ events: [StoredEvent]) {
        // In order, per topic: an event right after the head goes out (with any held-back
        // events it unblocks); one already published is dropped; one beyond a gap is held
        // back while the gap is filled from the log.
        var ready: [StoredEvent] = []
        var gaps: [(topic: String, after: Int64, upTo: Int64)] = []
        published.withLock { heads in
            heldBack.withLock { held in
                for event in events {
                    guard let head = heads[event.topic] else {
                        heads[event.topic] = event.seq
                        ready.append(event)
                        continue
                    }
                    if event.seq <= head { continue }
                    if event.seq > head + 1 {
                        if held[event.topic, default: [:]].isEmpty { gaps.append((event.topic, head, event.seq - 1)) }
                        held[event.topic, default: [:]][event.seq] = event
                        continue
                    }
                    ready.append(event)
                    var next = event.seq
                    while let following = held[event.topic]?.removeValue(forKey: next + 1) {
                        ready.append(following)
                        next += 1
                    }
                    if held[event.topic]?.isEmpty == true { held[event.topic] = nil }
                    heads[event.topic] = next
                }
            }
        }
        publish(ready)
        guard !gaps.isEmpty else { return }
        let filler = gapFiller.withLock { $0 }
        for gap in gaps {
            Task { [self] in
                if let filler { await filler(gap.topic, gap.after, gap.upTo) }
                releaseHeld(gap.topic)
            }
        }
    }

    /// After a gap fill: whatever is still held back goes out in order even if the gap could
    /// not be filled (logged; subscribers then see the gap and resubscribe from the log).
    private func releaseHeld(_ topic: String) {
        let events = heldBack.withLock { held -> [StoredEvent] in
            let events = (held[topic] ?? [:]).values.sorted { $0.seq < $1.seq }
            held[topic] = nil
            return events
        }
        guard let last = events.last else { return }
        let fresh = published.withLock { heads -> [StoredEvent] in
            let head = heads[topic] ?? 0
            heads[topic] = max(head, last.seq)
            return events.filter { $0.seq > head }
        }
        if let first = fresh.first { logger.warning("live gap not filled", metadata: ["topic": "\(topic)", "seq": "\(first.seq)"]) }
        publish(fresh)
    }

    /// Each event is framed once (WebSocket header and JSON in one buffer) and the same buffer
    /// is queued for every subscriber. Connections written on their event loop are collected
    /// over the whole commit and drained with one task per loop (`LoopDrains`): a commit of
    /// ten events to a thousand subscribers costs two loop tasks and one write and flush per
    /// connection, not ten thousand wake-ups.
    ///
    /// Conflation: a conflatable event (a tally, `Conflation.key`) goes out at once when the
    /// topic sent none within `conflateInterval`; otherwise it waits, replacing an older one of
    /// its key, and the waiting ones go out together at the interval's end. Any other event
    /// first sends what waits (in seq order), so the order per topic holds. A frame after
    /// skipped events carries `prev` (the seq of the frame sent before it on the topic).
    private func publish(_ events: [StoredEvent]) {
        let epoch = self.epoch
        var drains = LoopDrains()
        defer { drains.run() }
        guard conflateInterval > .zero else {
            for event in events {
                publishedCounter.increment()
                send(event, prev: nil, epoch: epoch, into: &drains)
            }
            return
        }
        let now = ContinuousClock.now
        conflation.withLock { table in
            for event in events {
                publishedCounter.increment()
                let key = Conflation.key(name: event.name, payload: event.payload)
                if key == nil && table[event.topic] == nil {
                    // A topic that never had a conflatable event: nothing to track.
                    send(event, prev: nil, epoch: epoch, into: &drains)
                    continue
                }
                // Taken out while it changes, so its pending dictionary is not copied on write.
                var state = table.removeValue(forKey: event.topic) ?? ConflatedTopic()
                if let seen = state.lastSeen, event.seq > seen + 1 {
                    // A real gap (not filled from the log): what waits goes first, and the next
                    // frame must not vouch for the missing events, so subscribers see the gap.
                    flushPending(&state, epoch: epoch, into: &drains)
                    state.lastSent = event.seq - 1
                }
                state.lastSeen = event.seq
                if let key {
                    if let until = state.quietUntil, now < until {
                        if state.pending.updateValue(event, forKey: key) != nil { conflatedCounter.increment() }
                        if !state.flushScheduled {
                            state.flushScheduled = true
                            scheduleFlush(event.topic, after: until - now)
                        }
                    } else {
                        // The interval is over but its timer may not have run yet: what waits
                        // is older and goes first (sent after this one, it would be skipped).
                        flushPending(&state, epoch: epoch, into: &drains)
                        send(event, prev: state.lastSent, epoch: epoch, into: &drains)
                        state.lastSent = event.seq
                        state.quietUntil = now + conflateInterval
                    }
                } else {
                    flushPending(&state, epoch: epoch, into: &drains)
                    send(event, prev: state.lastSent, epoch: epoch, into: &drains)
                    state.lastSent = event.seq
                }
                table[event.topic] = state
            }
        }
    }

    /// Sends a topic's waiting conflated events in seq order, each with `prev` the one before.
    private func flushPending(_ state: inout ConflatedTopic, epoch: String, into drains: inout LoopDrains) {
        guard !state.pending.isEmpty else { return }
        for event in state.pending.values.sorted(by: { $0.seq < $1.seq }) {
            send(event, prev: state.lastSent, epoch: epoch, into: &drains)
            state.lastSent = event.seq
        }
        state.pending.removeAll(keepingCapacity: true)
    }

    /// Runs the interval flushes. A serial queue gets a thread of its own when one is due, so a
    /// flush is not delayed behind request handling that keeps Swift's cooperative pool busy
    /// (with `Task.sleep` the debug hub's tallies were up to 90 ms stale at 40 votes/s).
    private static let flushQueue = DispatchQueue(label: "roundtable.live.conflation")

    /// At the end of a topic's interval: sends what waits, and starts the next interval.
    private func scheduleFlush(_ topic: String, after delay: Duration) {
        if let hold = flushTimerForTests.withLock({ $0 }) { return hold { [self] in flushInterval(topic) } }
        let (seconds, attoseconds) = delay.components
        let nanoseconds = Int(seconds) * 1_000_000_000 + Int(attoseconds / 1_000_000_000)
        Self.flushQueue.asyncAfter(deadline: .now() + .nanoseconds(max(0, nanoseconds))) { [self] in flushInterval(topic) }
    }

    private func flushInterval(_ topic: String) {
        let epoch = self.epoch
        var drains = LoopDrains()
        conflation.withLock { table in
            guard var state = table.removeValue(forKey: topic) else { return }
            state.flushScheduled = false
            if !state.pending.isEmpty {
                flushPending(&state, epoch: epoch, into: &drains)
                state.quietUntil = ContinuousClock.now + conflateInterval
            }
            table[topic] = state
        }
        drains.run()
    }

    /// Queues one event for every subscriber of its topic.
    private func send(_ event: StoredEvent, prev: Int64?, epoch: String, into drains: inout LoopDrains) {
        let members = subscribers.withLock { $0[event.topic].map { Array($0.values) } } ?? []
        if !members.isEmpty {
            let bytes = Frames.framedEvent(event, epoch: epoch, prev: prev)
            var count = 0
            for member in members {
                switch member.connection.deliver(topic: event.topic, seq: event.seq, prev: prev, bytes: bytes, into: &drains) {
                case .queued: count += 1
                case .skipped: break
                case .overflowed:
                    overflows.increment()
                    remove(member.connection, from: event.topic)
                case .stalled:
                    overflows.increment()
                    disconnect(member.connection)
                }
            }
            delivered.increment(by: count)
        }
        if event.name == "member.removed" { revokeRemovedMember(event) }
    }

    // MARK: Connections and subscriptions

    func nextConnectionID() -> UInt64 { connectionIDs.add(1, ordering: .relaxed).newValue }

    public func connect(_ connection: LiveConnection) {
        connections.withLock { $0[connection.id] = connection }
    }

    /// Removes a closed connection from every topic and updates presence.
    public func disconnect(_ connection: LiveConnection) {
        connections.withLock { $0[connection.id] = nil }
        let topics = subscribers.withLock { table -> [String] in
            // In place: copying each topic's member table to remove one entry made a reconnect
            // storm quadratic (5,000 sockets dropping from one topic copied 5,000 tables of up
            // to 5,000 members, under this lock).
            var touched: [String] = []
            for topic in Array(table.keys) where table[topic]?.removeValue(forKey: connection.id) != nil {
                if table[topic]?.isEmpty == true { table[topic] = nil }
                touched.append(topic)
            }
            return touched
        }
        for topic in topics { broadcastPresence(topic) }
    }

    /// Subscribes a connection directly, live from seq 0 (benchmarks only; clients go
    /// through `LiveGateway`, which replays and authorizes).
    public func benchSubscribe(_ connection: LiveConnection, to topic: String) {
        connection.beginSubscription(topic)
        add(connection, to: topic)
        _ = connection.completeSubscription(topic, answer: ByteBuffer(), replay: [], base: 0)
    }

    func add(_ connection: LiveConnection, to topic: String) {
        let principal = connection.principal
        let user = principal.userID.map { ServerMessage.UserRef(id: $0.description, displayName: principal.displayName ?? "") }
        subscribers.withLock { $0[topic, default: [:]][connection.id] = Member(connection: connection, user: user) }
    }

    func remove(_ connection: LiveConnection, from topic: String) {
        let removed = subscribers.withLock { table -> Bool in
            guard table[topic]?.removeValue(forKey: connection.id) != nil else { return false }
            if table[topic]?.isEmpty == true { table[topic] = nil }
            return true
        }
        if removed { broadcastPresence(topic) }
    }

    /// Sets where a subscribed connection is working within a topic and tells the others.
    /// Returns false when the connection is not subscribed to the topic.
    func setFocus(_ focus: String?, of connection: LiveConnection, on topic: String) -> Bool {
        let changed = subscribers.withLock { table -> Bool? in
            guard var member = table[topic]?[connection.id], member.user != nil else { return nil }
            guard member.user?.focus != focus else { return false }
            member.user?.focus = focus
            table[topic]?[connection.id] = member
            return true
        }
        guard let changed else { return false }
        if changed { broadcastPresence(topic) }
        return true
    }

    /// The people on a topic now, one entry per user; a user with several connections shows
    /// the focus of one that has one.
    public func presence(_ topic: String) -> [ServerMessage.UserRef] {
        let users = subscribers.withLock { $0[topic].map { $0.values.sorted { $0.connection.id < $1.connection.id }.compactMap(\.user) } } ?? []
        var byID: [String: ServerMessage.UserRef] = [:]
        for user in users {
            if let seen = byID[user.id], seen.focus != nil || user.focus == nil { continue }
            byID[user.id] = user
        }
        return byID.values.sorted { ($0.displayName, $0.id) < ($1.displayName, $1.id) }
    }

    /// Tells a topic's subscribers who is there. Every join or leave would otherwise send the
    /// whole list to every member: n joins to one topic cost n² messages (1,000 people joining a
    /// conference board: a million frames). Throttled instead: the first change after a quiet
    /// interval goes out at once, later ones are merged into one send at the end of the interval.
    func broadcastPresence(_ topic: String) {
        guard Topic(topic)?.hasPresence ?? true else { return }
        enum Action { case now, later(Duration), merged }
        let now = ContinuousClock.now
        let interval = presenceInterval
        let action = presenceState.withLock { table -> Action in
            guard var state = table[topic] else {
                table[topic] = PresenceThrottle(lastSent: now, trailingScheduled: false)
                return .now
            }
            if state.trailingScheduled { return .merged }
            let since = now - state.lastSent
            if since >= interval {
                state.lastSent = now
                table[topic] = state
                return .now
            }
            state.trailingScheduled = true
            table[topic] = state
            return .later(interval - since)
        }
        switch action {
        case .now:
            sendPresence(topic)
        case .later(let delay):
            Task { [self] in
                try? await Task.sleep(for: delay)
                presenceState.withLock { table in
                    table[topic]?.trailingScheduled = false
                    table[topic]?.lastSent = .now
                }
                sendPresence(topic)
            }
        case .merged:
            break
        }
    }

    private func sendPresence(_ topic: String) {
        let members = subscribers.withLock { $0[topic].map { Array($0.values) } } ?? []
        guard !members.isEmpty else {
            presenceState.withLock { table in
                if table[topic]?.trailingScheduled == false { table[topic] = nil }
            }
            return
        }
        let everyone = presence(topic)
        let listed = everyone.count <= Self.presenceListLimit ? everyone
            : Array((everyone.filter { $0.focus != nil } + everyone.filter { $0.focus == nil }).prefix(Self.presenceListLimit))
        let bytes = Frames.control(ServerMessage.Presence(topic: topic, users: listed, count: everyone.count))
        var drains = LoopDrains()
        for member in members { member.connection.send(bytes, into: &drains) }
        drains.run()
    }

    /// The highest seq this process has published for a topic, if any.
    public func publishedHead(_ topic: String) -> Int64? { published.withLock { $0[topic] } }

    /// The open connections (tests, diagnostics).
    public var openConnections: [LiveConnection] { connections.withLock { Array($0.values) } }

    /// Number of open connections and subscriptions (metrics, tests).
    public var connectionCount: Int { connections.withLock { $0.count } }
    public func subscriberCount(_ topic: String) -> Int { subscribers.withLock { $0[topic]?.count ?? 0 } }

    /// Closes every connection of a session (sign-out, expiry) with 4401.
    public func closeSession(_ sessionHash: String) {
        let affected = connections.withLock { $0.values.filter { $0.sessionHash == sessionHash } }
        for connection in affected {
            connection.close(code: 4401, reason: "session ended")
        }
    }

    /// Closes the connections whose session has expired (4401). Run periodically.
    public func closeExpired(now: Date) {
        let expired = connections.withLock { $0.values.filter { ($0.sessionExpiresAt.map { $0 <= now }) ?? false } }
        for connection in expired { connection.close(code: 4401, reason: "session expired") }
    }

    /// The distinct sessions that have open sockets.
    public var sessionHashes: Set<String> {
        Set(connections.withLock { $0.values.compactMap(\.sessionHash) })
    }

    /// Closes every connection (shutdown).
    public func closeAll(code: UInt16, reason: String) {
        for connection in connections.withLock({ Array($0.values) }) { connection.close(code: code, reason: reason) }
    }

    /// Drops the connections still open (peers that did not answer the close in time).
    public func forceCloseAll() {
        for connection in connections.withLock({ Array($0.values) }) { connection.dropConnection() }
    }

    /// A removed member loses the workspace topic at once, unless they are an administrator.
    private func revokeRemovedMember(_ event: StoredEvent) {
        guard let data = event.payload.data(using: .utf8),
              let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
              let userID = object["userId"] as? String else { return }
        let affected = subscribers.withLock { table in
            (table[event.topic] ?? [:]).values.filter { $0.user?.id == userID && !$0.connection.principal.isAdmin }
        }
        for member in affected {
            member.connection.endSubscription(event.topic)
            remove(member.connection, from: event.topic)
            member.connection.send(Frames.control(ServerMessage.Unsubscribed(id: nil, topic: event.topic, reason: "forbidden")))
        }
    }
}
