import HubServices
import Synchronization

/// Hands committed events to the commit observer in per-topic sequence order, without gaps.
///
/// Why it is needed: on PostgreSQL every change set is its own transaction on its own pooled
/// connection. A topic's next sequence number is taken with
/// `INSERT INTO topic_head … ON CONFLICT (topic) DO UPDATE SET seq = topic_head.seq + n RETURNING seq`,
/// which locks the topic's `topic_head` row until the transaction ends. So sequence numbers are
/// handed out in commit order *on the server*: transaction B can only get seq 6 of a topic after
/// transaction A, which holds seq 5, has committed (or rolled back, which also rolls back its
/// increment: no permanent gap). But the two `COMMIT` answers come back on different connections
/// and the two tasks resume in any order, so B's caller may learn of its commit before A's does.
/// The realtime hub must still see 5 before 6.
///
/// How: a transaction takes a ticket; right after `topic_head` answers, the seqs it holds are
/// *reserved* here (a slot in the topic's queue, kept in seq order). Because B cannot get its seq
/// before A has committed, and A reserved before it committed, A's slot is always queued before
/// B's. When a transaction ends, its slots are resolved (committed with events, or abandoned on
/// rollback) and every topic it touched is drained from the front: resolved slots are delivered
/// (committed) or dropped (abandoned) until the first slot that is still open. Later events wait
/// for the earlier transaction; nothing waits for anything but a transaction that is running.
///
/// Only this process's own transactions are queued. Sequence numbers taken by other instances
/// on the same database never appear here, so they never hold anything up; the cross-instance
/// backplane fills such gaps from the log (Docs/decisions/0003-event-model.md).
///
/// `commit` returns once the transaction's own events have been delivered, so, as with the
/// SQLite adapter, a caller is resumed only after the observer has been told about its events.
/// The observer is called while the internal lock is held (that is what keeps deliveries of
/// different drains in order); `CommitObserver.didCommit` must not block, as its contract says.
final class CommitSequencer: Sendable {
    struct Ticket: Hashable, Sendable {
        fileprivate let id: UInt64
    }

    private struct Slot {
        let ticket: UInt64
        /// The first seq the ticket holds in this topic (the queue is sorted by it).
        let first: Int64
        var resolution: Resolution = .open
    }

    private enum Resolution {
        case open
        case committed([Numbered])
        case abandoned
    }

    /// An event with its position in its change set.
    private struct Numbered {
        let index: Int
        let event: StoredEvent
    }

    private struct State {
        var nextTicket: UInt64 = 1
        /// Reserved seqs per topic, oldest first.
        var queues: [String: [Slot]] = [:]
        /// Per ticket: its topics in the order of first reservation, and how many of its slots
        /// are still queued.
        var topics: [UInt64: [String]] = [:]
        var undelivered: [UInt64: Int] = [:]
        var waiting: [UInt64: CheckedContinuation<Void, Never>] = [:]
    }

    private let state = Mutex(State())
    private let observer: any CommitObserver

    init(observer: any CommitObserver) {
        self.observer = observer
    }

    func begin() -> Ticket {
        state.withLock { state in
            defer { state.nextTicket += 1 }
            return Ticket(id: state.nextTicket)
        }
    }

    /// Records that `ticket`'s open transaction holds `topic` from seq `first` on (and the row lock).
    func reserve(_ ticket: Ticket, topic: String, first: Int64) {
        state.withLock { state in
            var queue = state.queues[topic, default: []]
            // Normally the newest reservation is the highest; insert in order all the same.
            let index = queue.lastIndex(where: { $0.first < first }).map { $0 + 1 } ?? 0
            queue.insert(Slot(ticket: ticket.id, first: first), at: index)
            state.queues[topic] = queue
            state.topics[ticket.id, default: []].append(topic)
            state.undelivered[ticket.id, default: 0] += 1
        }
    }

    /// The transaction committed: deliver what is now in order and wait until `events` (the
    /// ticket's own) have been delivered, which needs only earlier transactions to finish.
    func commit(_ ticket: Ticket, events: [StoredEvent]) async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let done = state.withLock { state -> Bool in
                guard let topics = state.topics[ticket.id] else { return true }
                var byTopic: [String: [Numbered]] = [:]
                for (index, event) in events.enumerated() { byTopic[event.topic, default: []].append(Numbered(index: index, event: event)) }
                for topic in topics {
                    Self.resolve(ticket.id, in: topic, as: .committed(byTopic[topic] ?? []), &state)
                }
                let resume = drain(topics, &state)
                resume.forEach { $0.resume() }
                guard state.undelivered[ticket.id] != nil else { return true }
                state.waiting[ticket.id] = continuation
                return false
            }
            if done { continuation.resume() }
        }
    }

    /// The transaction rolled back (or its outcome is unknown): its seqs were never committed,
    /// so later ones no longer wait for them.
    func abandon(_ ticket: Ticket) {
        state.withLock { state in
            guard let topics = state.topics[ticket.id] else { return }
            for topic in topics { Self.resolve(ticket.id, in: topic, as: .abandoned, &state) }
            let resume = drain(topics, &state)
            resume.forEach { $0.resume() }
        }
    }

    private static func resolve(_ ticket: UInt64, in topic: String, as resolution: Resolution, _ state: inout State) {
        guard let index = state.queues[topic]?.firstIndex(where: { $0.ticket == ticket }) else { return }
        state.queues[topic]![index].resolution = resolution
    }

    /// Pops resolved slots from the front of each topic's queue; calls the observer once with
    /// everything that became deliverable. Returns the callers whose events are all delivered.
    private func drain(_ topics: [String], _ state: inout State) -> [CheckedContinuation<Void, Never>] {
        // What each topic delivers, in its queue (= seq) order.
        var popped: [(ticket: UInt64, events: [Numbered])] = []
        var finished: [CheckedContinuation<Void, Never>] = []
        for topic in topics {
            guard var queue = state.queues[topic] else { continue }
            while let head = queue.first {
                if case .open = head.resolution { break }
                if case .committed(let events) = head.resolution, !events.isEmpty { popped.append((head.ticket, events)) }
                queue.removeFirst()
                let left = (state.undelivered[head.ticket] ?? 1) - 1
                if left > 0 {
                    state.undelivered[head.ticket] = left
                } else {
                    state.undelivered[head.ticket] = nil
                    state.topics[head.ticket] = nil
                    if let continuation = state.waiting.removeValue(forKey: head.ticket) { finished.append(continuation) }
                }
            }
            state.queues[topic] = queue.isEmpty ? nil : queue
        }
        if !popped.isEmpty { observer.didCommit(Self.order(popped)) }
        return finished
    }

    /// The delivery order: each transaction's events together and in the order of its change
    /// set (as the SQLite adapter publishes them), transactions in the order they were popped.
    /// That keeps every topic in seq order because transactions meet in the same order in every
    /// topic they share (the later one took its seqs after the earlier one committed). Should
    /// that ever not hold, the per-topic order wins: each topic's events are given as popped.
    private static func order(_ popped: [(ticket: UInt64, events: [Numbered])]) -> [StoredEvent] {
        var tickets: [UInt64] = []
        var byTicket: [UInt64: [Numbered]] = [:]
        for (ticket, events) in popped {
            if byTicket[ticket] == nil { tickets.append(ticket) }
            byTicket[ticket, default: []].append(contentsOf: events)
        }
        let grouped = tickets.flatMap { byTicket[$0]!.sorted { $0.index < $1.index }.map(\.event) }
        var last: [String: Int64] = [:]
        for event in grouped {
            if let previous = last[event.topic], previous >= event.seq {
                return popped.flatMap { $0.events.map(\.event) }
            }
            last[event.topic] = event.seq
        }
        return grouped
    }
}
