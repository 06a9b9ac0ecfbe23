import Foundation
import HubCore

/// An event as committed to the log: its topic, its place in the topic's sequence and the
/// JSON payload clients receive verbatim.
public struct StoredEvent: Sendable, Hashable {
    public let topic: String
    public let seq: Int64
    public let name: String
    /// JSON text of the payload (the same representation the HTTP API returns).
    public let payload: String
    /// Commit time, milliseconds since 1970.
    public let atMillis: Int64

    public init(topic: String, seq: Int64, name: String, payload: String, atMillis: Int64) {
        self.topic = topic
        self.seq = seq
        self.name = name
        self.payload = payload
        self.atMillis = atMillis
    }
}

/// An event waiting to be committed; the store assigns `seq`.
public struct NewEvent: Sendable, Hashable {
    public let topic: Topic
    public let name: String
    public let payload: String

    public init(topic: Topic, name: String, payload: String) {
        self.topic = topic
        self.name = name
        self.payload = payload
    }
}

/// The position of a client in a topic: "I hold everything up to `seq` of `epoch`".
public struct Cursor: Sendable, Hashable, Codable {
    public let topic: String
    public let epoch: String
    public let seq: Int64

    public init(topic: String, epoch: String, seq: Int64) {
        self.topic = topic
        self.epoch = epoch
        self.seq = seq
    }
}

/// A read model together with the cursor of the topic it was read from, taken in the same
/// read transaction, so a client can subscribe from exactly there.
public struct Snapshot<Value: Sendable>: Sendable {
    public let value: Value
    public let cursor: Cursor

    public init(value: Value, cursor: Cursor) {
        self.value = value
        self.cursor = cursor
    }
}

/// What the log holds of one topic after a given sequence number.
public struct EventRange: Sendable {
    /// The newest sequence number of the topic (0 when it has no events).
    public let head: Int64
    /// True when every event after the requested `seq` is in `events` (the log still holds
    /// them and there were no more than the limit).
    public let complete: Bool
    public let events: [StoredEvent]

    public init(head: Int64, complete: Bool, events: [StoredEvent]) {
        self.head = head
        self.complete = complete
        self.events = events
    }
}

/// Reading the change log. Both store adapters implement it.
public protocol EventLog: Sendable {
    /// Identifies the history: a restore or reset gives a new epoch.
    var epoch: String { get }
    /// Events of `topic` with a sequence number above `seq`, oldest first, at most `limit`.
    func events(topic: Topic, after seq: Int64, limit: Int) async throws -> EventRange
}

/// Told about every commit, in commit order, right after it is durable. The realtime hub
/// (and, across instances, the backplane) implements it. Must not block.
public protocol CommitObserver: Sendable {
    func didCommit(_ events: [StoredEvent])
}

extension EventLog {
    /// The topic's current position. Read it before the data it goes with: an event that
    /// lands in between is then delivered once more, never missed (events carry whole state).
    public func cursor(topic: Topic) async throws -> Cursor {
        let range = try await events(topic: topic, after: 0, limit: 0)
        return Cursor(topic: topic.description, epoch: epoch, seq: range.head)
    }
}
