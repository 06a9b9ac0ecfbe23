import Foundation
import HubServices
@testable import HubStorePostgres
import Synchronization
import Testing

/// The PostgreSQL adapter's reorder buffer, without a database: commits that finish out of
/// order are published in seq order, a rolled-back reservation releases what waited for it.
@Suite("Commit sequencer")
struct CommitSequencerTests {
    func event(_ topic: String, _ seq: Int64) -> StoredEvent {
        StoredEvent(topic: topic, seq: seq, name: "test", payload: "{}", atMillis: 0)
    }

    /// Gives a task that should be waiting time to (wrongly) get ahead.
    func settle() async throws { try await Task.sleep(for: .milliseconds(50)) }

    @Test("A later commit waits for an earlier one; both are published in seq order")
    func outOfOrder() async throws {
        let observer = RecordingObserver()
        let sequencer = CommitSequencer(observer: observer)
        let a = sequencer.begin(), b = sequencer.begin()
        sequencer.reserve(a, topic: "directory", first: 5)
        sequencer.reserve(b, topic: "directory", first: 6)
        let bReturned = Mutex(false)
        let later = Task {
            await sequencer.commit(b, events: [event("directory", 6)])
            bReturned.withLock { $0 = true }
        }
        try await settle()
        #expect(observer.all.isEmpty, "6 is held while 5 is open")
        #expect(!bReturned.withLock { $0 }, "the caller of 6 is resumed only after 6 is published")
        await sequencer.commit(a, events: [event("directory", 5)])
        await later.value
        #expect(observer.all.map(\.seq) == [5, 6])
    }

    @Test("A rolled-back reservation releases the commits behind it")
    func abandoned() async throws {
        let observer = RecordingObserver()
        let sequencer = CommitSequencer(observer: observer)
        let a = sequencer.begin(), b = sequencer.begin()
        sequencer.reserve(a, topic: "directory", first: 5)
        sequencer.reserve(b, topic: "directory", first: 5 + 1)
        let later = Task { await sequencer.commit(b, events: [event("directory", 6)]) }
        try await settle()
        #expect(observer.all.isEmpty)
        sequencer.abandon(a)
        await later.value
        #expect(observer.all.map(\.seq) == [6])
    }

    @Test("Topics do not wait for each other; a change set's events keep their order")
    func topicsIndependent() async throws {
        let observer = RecordingObserver()
        let sequencer = CommitSequencer(observer: observer)
        let a = sequencer.begin(), b = sequencer.begin()
        sequencer.reserve(a, topic: "directory", first: 1)
        sequencer.reserve(b, topic: "directory", first: 2)
        sequencer.reserve(b, topic: "workspace:w", first: 1)
        let later = Task { await sequencer.commit(b, events: [event("workspace:w", 1), event("directory", 2)]) }
        try await settle()
        #expect(observer.all.map(\.topic) == ["workspace:w"], "the other topic is not held up")
        await sequencer.commit(a, events: [event("directory", 1)])
        await later.value
        #expect(observer.all.map { "\($0.topic)#\($0.seq)" } == ["workspace:w#1", "directory#1", "directory#2"])

        let c = sequencer.begin()
        sequencer.reserve(c, topic: "directory", first: 3)
        sequencer.reserve(c, topic: "workspace:w", first: 2)
        await sequencer.commit(c, events: [event("directory", 3), event("workspace:w", 2), event("directory", 4)])
        #expect(observer.all.suffix(3).map { "\($0.topic)#\($0.seq)" } == ["directory#3", "workspace:w#2", "directory#4"])
    }

    @Test("A commit without events returns at once")
    func noEvents() async {
        let observer = RecordingObserver()
        let sequencer = CommitSequencer(observer: observer)
        await sequencer.commit(sequencer.begin(), events: [])
        #expect(observer.all.isEmpty)
    }
}
