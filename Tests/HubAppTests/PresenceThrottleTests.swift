import Foundation
import HubCore
import Logging
import Testing
@testable import HubRealtime

/// Presence is throttled per topic: n people joining must not cost n² frames (every join
/// sending the whole list to everyone). The first change goes out at once; changes within the
/// interval are merged into one send at its end, with the state at that moment.
@Suite("Presence throttle")
struct PresenceThrottleTests {
    func presenceFrames(_ connection: LiveConnection) -> [[String: Any]] {
        connection.take().compactMap { item -> [String: Any]? in
            guard case .control(let bytes) = item,
                  let object = try? JSONSerialization.jsonObject(with: Data(String(buffer: bytes).utf8)) as? [String: Any],
                  object["type"] as? String == "presence" else { return nil }
            return object
        }
    }

    @Test("150 joins in a burst: the first member gets two presence frames, the last lists 100 people and counts 150")
    func burstIsMerged() async throws {
        let hub = TopicHub(logger: Logger(label: "test"), presenceInterval: .milliseconds(150))
        let connections = (1...150).map { n in
            LiveConnection(id: UInt64(n), principal: Principal(userID: UserID(UUID()), displayName: String(format: "Person %03d", n),
                                                                 isAdmin: false, memberships: [:]),
                           sessionHash: nil, capacity: 1000)
        }
        for connection in connections {
            hub.add(connection, to: "directory")
            hub.broadcastPresence("directory")
        }
        var frames = presenceFrames(connections[0])
        #expect(frames.count == 1, "the first join goes out at once; the other 149 wait for the interval")
        for _ in 0..<400 where frames.count < 2 {
            try await Task.sleep(for: .milliseconds(5))
            frames += presenceFrames(connections[0])
        }
        #expect(frames.count == 2)
        let last = try #require(frames.last)
        #expect(last["count"] as? Int == 150)
        #expect((last["users"] as? [Any])?.count == TopicHub.presenceListLimit)
        // Nothing more is pending: a later single change goes out at once again.
        try await Task.sleep(for: .milliseconds(200))
        _ = presenceFrames(connections[0])
        hub.remove(connections[149], from: "directory")
        let after = presenceFrames(connections[0])
        #expect(after.count == 1 && after.first?["count"] as? Int == 149)
    }
}
