import Foundation
import HubCore
import HubServices
import NIOCore
import Synchronization

/// Writes connections' outboxes on their channel's event loop. The hub groups the
/// connections that have something new by loop and hands each loop one task per commit
/// (`LoopDrains`), which calls `drain()` for each of them: no task switch per connection and
/// one write and flush per connection and wake-up, however many events it holds.
public protocol LoopDrainer: AnyObject, Sendable {
    var eventLoop: any EventLoop { get }
    /// Runs on `eventLoop`: takes the outbox (`LiveConnection.take()`) and writes it.
    func drain()
}

/// The drains one commit (or one presence send) needs, grouped by event loop.
struct LoopDrains {
    private var groups: [ObjectIdentifier: (loop: any EventLoop, writers: [any LoopDrainer])] = [:]

    mutating func add(_ writer: any LoopDrainer) {
        let loop = writer.eventLoop
        groups[ObjectIdentifier(loop), default: (loop, [])].writers.append(writer)
    }

    var isEmpty: Bool { groups.isEmpty }

    /// One task per event loop that drains all of that loop's connections in turn.
    func run() {
        for (_, group) in groups {
            let writers = group.writers
            group.loop.execute {
                for writer in writers { writer.drain() }
            }
        }
    }
}

/// One WebSocket connection's state: who it is, what it subscribed to, and its bounded
/// outbox. The hub fills the outbox; the transport's writer task drains it.
///
/// Memory is bounded: when the outbox holds more than `capacity` items or `maxBytes`
/// bytes, the topic that overflowed is dropped from the outbox and replaced by one small
/// `resync`, and the subscription ends. A connection that overflows again while a resync
/// is still unwritten is stalled and gets closed.
public final class LiveConnection: Sendable {
    /// An item waiting to be written.
    public enum Outgoing: Sendable {
        /// `bytes` is the complete WebSocket frame, shared by every recipient
        /// (`Frames.framedEvent`; the JSON inside: `Frames.payload(ofFrame:)`).
        case event(topic: String, seq: Int64, bytes: ByteBuffer)
        case control(ByteBuffer)
        /// Close the connection with a WebSocket close code.
        case close(code: UInt16, reason: String)
    }

    /// The phase of one subscription.
    enum Phase {
        /// Replay from the log is running; live events wait here (bounded like the outbox).
        /// `overflowed`: more arrived than fit; the subscription ends with a resync after replay.
        case replaying(pending: [(seq: Int64, prev: Int64, bytes: ByteBuffer)], overflowed: Bool)
        case live
    }

    struct Subscription {
        var phase: Phase
        /// Highest seq queued for this topic (duplicates and stale live events are dropped).
        var lastQueued: Int64
        /// Highest seq handed to the writer: what the client will hold.
        var lastTaken: Int64
    }

    struct State {
        let capacity: Int
        let maxBytes: Int
        var outbox: [Outgoing] = []
        var outboxBytes = 0
        var subscriptions: [String: Subscription] = [:]
        var principal: Principal
        var sessionHash: String?
        var sessionExpiresAt: Date?
        var resyncPending = false
        var closed = false
        /// Direct writing: a drain is scheduled on the channel's event loop and has not taken
        /// the outbox yet (so further items need no new wake-up).
        var drainScheduled = false
        /// Direct writing: the close the drain reached, for the async writer to perform.
        var closeRequest: (code: UInt16, reason: String)?
        /// Event-loop writing grouped per loop (see `LoopDrainer`).
        var loopWriter: (any LoopDrainer)?
    }

    public let id: UInt64
    public let capacity: Int
    public let maxBytes: Int
    private let state: Mutex<State>
    private let wakeContinuation: AsyncStream<Void>.Continuation
    /// Wakes the writer; coalesces (at most one pending wake-up).
    public let wakeups: AsyncStream<Void>
    /// Closes the underlying channel immediately, for a peer that does not read at all.
    private let forceClose: Mutex<(@Sendable () -> Void)?>
    /// When set, wake-ups schedule a drain on the connection's event loop instead of waking
    /// the async writer task (see `LiveController`); the writer task then only closes.
    private let directWake: Mutex<(@Sendable () -> Void)?>
    private let closeAction: Mutex<(@Sendable (UInt16, String) -> Void)?>

    public init(id: UInt64, principal: Principal, sessionHash: String?, sessionExpiresAt: Date? = nil, capacity: Int = 256, maxBytes: Int = 4 << 20) {
        self.id = id
        self.capacity = capacity
        self.maxBytes = maxBytes
        self.state = Mutex(State(capacity: capacity, maxBytes: maxBytes, principal: principal, sessionHash: sessionHash, sessionExpiresAt: sessionExpiresAt))
        (wakeups, wakeContinuation) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
        forceClose = Mutex(nil)
        directWake = Mutex(nil)
        closeAction = Mutex(nil)
    }

    /// Switches to direct writing: `wake` must schedule `take()` and the writes on the
    /// channel's event loop.
    public func setDirectWake(_ wake: @escaping @Sendable () -> Void) {
        directWake.withLock { $0 = wake }
        // What was queued before (the greeting) went to the task writer's wake-up: drain it now.
        if queuedCount > 0 { self.wake() }
    }

    /// Switches to event-loop writing grouped per loop: the hub collects the connections a
    /// commit touched and schedules one drain task per event loop (`LoopDrains`).
    public func setLoopWriter(_ writer: any LoopDrainer) {
        state.withLock { $0.loopWriter = writer }
        // What was queued before (the greeting) went to the task writer's wake-up: drain it now.
        if queuedCount > 0 { self.wake() }
    }

    /// What a wake-up must do.
    private enum WakeAction {
        case none
        case loop(any LoopDrainer)
        case other
    }

    /// Under the state lock: with a loop writer, marks a drain as scheduled and returns the
    /// writer if none was pending (at most one pending drain per connection: later items ride
    /// along with it, which is the coalescing per loop tick).
    private static func wakeAction(_ s: inout State) -> WakeAction {
        guard let writer = s.loopWriter else { return .other }
        guard !s.drainScheduled else { return .none }
        s.drainScheduled = true
        return .loop(writer)
    }

    private func wake() {
        switch state.withLock({ Self.wakeAction(&$0) }) {
        case .none: return
        case .loop(let writer):
            writer.eventLoop.execute { writer.drain() }
            return
        case .other: break
        }
        guard let direct = directWake.withLock({ $0 }) else {
            wakeContinuation.yield()
            return
        }
        let schedule = state.withLock { s -> Bool in
            guard !s.drainScheduled else { return false }
            s.drainScheduled = true
            return true
        }
        if schedule { direct() }
    }

    /// Direct writing: the drain met a close item; the async writer performs the close
    /// handshake after everything written so far.
    public func requestClose(code: UInt16, reason: String) {
        if let action = closeAction.withLock({ $0 }) { return action(code, reason) }
        state.withLock { $0.closeRequest = (code, reason) }
        wakeContinuation.yield()
    }

    /// Event-loop writing without a writer task: what performs the close handshake.
    public func setCloseAction(_ action: @escaping @Sendable (UInt16, String) -> Void) {
        closeAction.withLock { $0 = action }
    }

    public func takeCloseRequest() -> (code: UInt16, reason: String)? {
        state.withLock { s in
            defer { s.closeRequest = nil }
            return s.closeRequest
        }
    }

    public var principal: Principal { state.withLock { $0.principal } }
    public var sessionHash: String? { state.withLock { $0.sessionHash } }
    public var sessionExpiresAt: Date? { state.withLock { $0.sessionExpiresAt } }
    public var subscribedTopics: [String] { state.withLock { Array($0.subscriptions.keys) } }
    /// Items waiting in the outbox (for tests and metrics).
    public var queuedCount: Int { state.withLock { $0.outbox.count } }
    public var queuedBytes: Int { state.withLock { $0.outboxBytes } }
    public var isClosed: Bool { state.withLock { $0.closed } }

    public func setForceClose(_ action: @escaping @Sendable () -> Void) {
        forceClose.withLock { $0 = action }
    }

    func authenticate(_ principal: Principal, sessionHash: String?, expiresAt: Date?) {
        state.withLock {
            $0.principal = principal
            $0.sessionHash = sessionHash
            $0.sessionExpiresAt = expiresAt
        }
    }

    func refresh(_ principal: Principal) {
        state.withLock { $0.principal = principal }
    }

    /// Queues a control message (answers, presence). Control messages are small and rare.
    public func send(_ bytes: ByteBuffer) {
        let queued = state.withLock { s -> Bool in
            guard !s.closed else { return false }
            s.outbox.append(.control(bytes))
            s.outboxBytes += bytes.readableBytes
            return true
        }
        if queued { wake() }
    }

    /// Queues a control message; a loop writer's drain joins `drains` (one task per loop).
    func send(_ bytes: ByteBuffer, into drains: inout LoopDrains) {
        let action = state.withLock { s -> WakeAction? in
            guard !s.closed else { return nil }
            s.outbox.append(.control(bytes))
            s.outboxBytes += bytes.readableBytes
            return Self.wakeAction(&s)
        }
        switch action {
        case nil, .none?: break
        case .loop(let writer)?: drains.add(writer)
        case .other?: wake()
        }
    }

    /// Asks the writer to close with a code, after what is already queued.
    public func close(code: UInt16, reason: String) {
        let queued = state.withLock { s -> Bool in
            guard !s.closed else { return false }
            s.outbox.append(.close(code: code, reason: reason))
            s.closed = true
            return true
        }
        if queued { wake() }
    }

    /// Drops the TCP connection without a close handshake (a peer that does not answer).
    public func dropConnection() {
        forceClose.withLock { $0 }?()
    }

    /// The writer takes everything queued, and records per topic what the client will hold.
    public func take() -> [Outgoing] {
        state.withLock { s in
            s.drainScheduled = false
            let items = s.outbox
            s.outbox.removeAll(keepingCapacity: true)
            s.outboxBytes = 0
            for item in items {
                switch item {
                case .event(let topic, let seq, _):
                    s.subscriptions[topic]?.lastTaken = seq
                case .control:
                    s.resyncPending = false
                case .close:
                    break
                }
            }
            return items
        }
    }

    /// Ends the writer's wait loop.
    public func finish() {
        // The writers and actions hold the connection (and its channel): let go of them so a
        // closed connection is freed (a cycle here would keep every closed socket's channel).
        let writer = state.withLock { s -> (any LoopDrainer)? in
            s.closed = true
            defer { s.loopWriter = nil }
            return s.loopWriter
        }
        _ = writer  // released here, outside the lock
        directWake.withLock { $0 = nil }
        closeAction.withLock { $0 = nil }
        forceClose.withLock { $0 = nil }
        wakeContinuation.finish()
    }

    // MARK: Subscriptions (called by the gateway and the hub)

    func beginSubscription(_ topic: String) {
        state.withLock { s in
            s.subscriptions[topic] = Subscription(phase: .replaying(pending: [], overflowed: false), lastQueued: 0, lastTaken: 0)
            s.outbox.removeAll { if case .event(let t, _, _) = $0 { return t == topic } else { return false } }
        }
    }

    /// Queues the `subscribed` answer, the replayed events and then whatever arrived live
    /// meanwhile (skipping what replay already covered), and switches the topic to live.
    func completeSubscription(_ topic: String, answer: ByteBuffer, replay: [(Int64, ByteBuffer)], base: Int64) -> Bool {
        let outcome = state.withLock { s -> Bool? in
            guard !s.closed, let sub = s.subscriptions[topic], case .replaying(let pending, let overflowed) = sub.phase else { return nil }
            var last = base
            s.outbox.append(.control(answer))
            s.outboxBytes += answer.readableBytes
            var gap = false
            for (seq, bytes) in replay where seq > last {
                s.outbox.append(.event(topic: topic, seq: seq, bytes: bytes))
                s.outboxBytes += bytes.readableBytes
                last = seq
            }
            // Live events that came during replay: those after the replay follow it. A frame
            // with `prev` below what the client holds is fine (the events between were
            // superseded values); one whose `prev` is beyond it would hide an event.
            for (seq, prev, bytes) in overflowed ? [] : pending where seq > last {
                if prev > last && last > 0 {
                    gap = true
                    break
                }
                s.outbox.append(.event(topic: topic, seq: seq, bytes: bytes))
                s.outboxBytes += bytes.readableBytes
                last = seq
            }
            if overflowed || gap {
                // Live events came faster than this client could take them during replay (or
                // one followed a gap): it holds what was queued and catches up by subscribing again.
                s.subscriptions[topic] = nil
                s.outbox.append(.control(Frames.control(ServerMessage.Resync(topic: topic, seq: last))))
                s.resyncPending = true
                return false
            }
            s.subscriptions[topic] = Subscription(phase: .live, lastQueued: last, lastTaken: base)
            return s.outbox.count <= capacity + replay.count
        }
        guard let outcome else { return false }
        wake()
        return outcome
    }

    func endSubscription(_ topic: String) {
        state.withLock { s in
            s.subscriptions[topic] = nil
            s.outbox.removeAll { if case .event(let t, _, _) = $0 { return t == topic } else { return false } }
        }
    }

    /// What happened to a delivery.
    enum DeliveryOutcome {
        case queued, skipped
        /// The outbox overflowed: the topic's subscription ended and a `resync` is queued.
        case overflowed
        /// The outbox overflowed while a resync was still unwritten: the peer is stalled.
        case stalled
    }

    /// Called by the hub for every event of a topic this connection subscribed to; `bytes`
    /// is the complete frame (`Frames.framedEvent`).
    /// `prev`: the seq of the event the hub sent before this one on the topic (nil: `seq - 1`).
    func deliver(topic: String, seq: Int64, prev: Int64? = nil, bytes: ByteBuffer) -> DeliveryOutcome {
        var drains = LoopDrains()
        let outcome = deliver(topic: topic, seq: seq, prev: prev, bytes: bytes, into: &drains)
        drains.run()
        return outcome
    }

    /// As `deliver`, but a loop writer's drain is added to `drains` instead of being
    /// scheduled alone: the hub schedules one task per event loop for a whole commit.
    func deliver(topic: String, seq: Int64, prev: Int64? = nil, bytes: ByteBuffer, into drains: inout LoopDrains) -> DeliveryOutcome {
        var action = WakeAction.none
        let outcome = state.withLock { s -> DeliveryOutcome in
            let outcome = Self.enqueue(topic: topic, seq: seq, prev: prev ?? seq - 1, bytes: bytes, &s)
            if outcome == .queued || outcome == .overflowed { action = Self.wakeAction(&s) }
            return outcome
        }
        switch outcome {
        case .queued, .overflowed:
            switch action {
            case .none: break
            case .loop(let writer): drains.add(writer)
            case .other: wake()
            }
        case .stalled: forceClose.withLock { $0 }?()
        case .skipped: break
        }
        return outcome
    }

    /// `prev`: the seq the hub sent before this one on the topic; the events between it and
    /// `seq` were superseded values (`Conflation`), so a client holding at least `prev` misses
    /// nothing. `prev` beyond what was queued is a gap.
    private static func enqueue(topic: String, seq: Int64, prev: Int64, bytes: ByteBuffer, _ s: inout State) -> DeliveryOutcome {
            guard !s.closed, var sub = s.subscriptions[topic] else { return .skipped }
            guard seq > sub.lastQueued else { return .skipped }
            switch sub.phase {
            case .replaying(var pending, let overflowed):
                if overflowed { return .skipped }
                guard pending.count < s.capacity else {
                    sub.phase = .replaying(pending: [], overflowed: true)
                    s.subscriptions[topic] = sub
                    return .overflowed
                }
                pending.append((seq, prev, bytes))
                sub.phase = .replaying(pending: pending, overflowed: false)
                s.subscriptions[topic] = sub
                return .skipped
            case .live:
                // A gap (an earlier event not here yet, e.g. committed on another instance
                // before this connection's hub knew the topic): never skip it silently; the
                // client resubscribes from its last event and the log replays the rest.
                // Events between `prev` and `seq` were superseded (conflated), not missing.
                if prev > sub.lastQueued && sub.lastQueued > 0 { return overflow(topic, &s) }
                guard s.outbox.count < s.capacity, s.outboxBytes + bytes.readableBytes <= s.maxBytes else { return overflow(topic, &s) }
                s.outbox.append(.event(topic: topic, seq: seq, bytes: bytes))
                s.outboxBytes += bytes.readableBytes
                sub.lastQueued = seq
                s.subscriptions[topic] = sub
                return .queued
            }
    }

    private static func overflow(_ topic: String, _ s: inout State) -> DeliveryOutcome {
        if s.resyncPending {
            s.closed = true
            s.outbox.removeAll()
            s.outboxBytes = 0
            return .stalled
        }
        let held = s.subscriptions[topic]?.lastTaken ?? 0
        s.subscriptions[topic] = nil
        s.outbox.removeAll { if case .event(let t, _, _) = $0 { return t == topic } else { return false } }
        s.outboxBytes = s.outbox.reduce(0) { total, item in
            switch item {
            case .event(_, _, let b), .control(let b): total + b.readableBytes
            case .close: total
            }
        }
        s.outbox.append(.control(Frames.control(ServerMessage.Resync(topic: topic, seq: held))))
        s.resyncPending = true
        return .overflowed
    }
}
