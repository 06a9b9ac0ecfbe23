import Foundation
import HubCore
import HubRealtime
import HubServices
import Logging
import Synchronization
import Testing

/// The hub hands each topic to subscribers strictly in seq order. On PostgreSQL another
/// instance may commit seq n while this one commits n+1 and learns of n only later (through
/// the backplane): n+1 is held back until the gap is read from the log. Found by the chaos
/// test (scripts/system/test_chaos.py) with 100 clients and an instance killed.
@Suite("Topic hub: in-order delivery across instances")
struct TopicHubOrderTests {
    func event(_ seq: Int64, topic: String = "directory") -> StoredEvent {
        StoredEvent(topic: topic, seq: seq, name: "workspace.updated", payload: "{\"n\":\(seq)}", atMillis: 0)
    }

    func delivered(_ connection: LiveConnection) -> [Int64] {
        connection.take().compactMap { if case .event(_, let seq, _) = $0 { seq } else { nil } }
    }

    @Test("An event beyond a gap waits for the gap to be filled from the log, then both go out in order")
    func gapIsFilledInOrder() async throws {
        let hub = TopicHub(logger: Logger(label: "test"))
        let asked = Mutex<[(Int64, Int64)]>([])
        // The "log": the missing event is there (it was committed on the other instance).
        hub.setGapFiller { [hub] topic, after, upTo in
            asked.withLock { $0.append((after, upTo)) }
            hub.didCommit((after + 1...upTo).map { self.event($0, topic: topic) })
        }
        let connection = LiveConnection(id: 1, principal: .anonymous, sessionHash: nil)
        hub.benchSubscribe(connection, to: "directory")
        hub.didCommit([event(1)])
        #expect(delivered(connection) == [1])

        hub.didCommit([event(4)])  // 2 and 3 were committed elsewhere and are not here yet
        #expect(delivered(connection) == [])
        for _ in 0..<2000 where connection.queuedCount < 3 { try await Task.sleep(for: .milliseconds(5)) }
        #expect(asked.withLock { $0.map { [$0.0, $0.1] } } == [[1, 3]])
        #expect(delivered(connection) == [2, 3, 4])
        #expect(hub.publishedHead("directory") == 4)

        // The backplane's own notification for 2 and 3 arrives late: dropped, not sent twice.
        hub.didCommit([event(2), event(3), event(5)])
        #expect(delivered(connection) == [5])
    }

    @Test("If the gap cannot be filled, the held events still go out in order and the subscriber is told to resync")
    func unfilledGapIsNotSwallowed() async throws {
        let hub = TopicHub(logger: Logger(label: "test"))
        hub.setGapFiller { _, _, _ in }  // the log does not have it (say, pruned)
        let connection = LiveConnection(id: 1, principal: .anonymous, sessionHash: nil)
        hub.benchSubscribe(connection, to: "directory")
        hub.didCommit([event(1)])
        #expect(delivered(connection) == [1])
        hub.didCommit([event(3)])
        for _ in 0..<2000 where connection.queuedCount == 0 { try await Task.sleep(for: .milliseconds(5)) }
        // The connection never skips silently: it gets `resync` from its last event.
        let items = connection.take()
        let controls = items.compactMap { item -> String? in
            if case .control(let bytes) = item { String(buffer: bytes) } else { nil }
        }
        #expect(controls.contains { $0.contains("\"resync\"") && $0.contains("\"seq\":1") })
        #expect(!items.contains { if case .event(_, 3, _) = $0 { true } else { false } })
    }
}
