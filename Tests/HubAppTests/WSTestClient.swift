import Foundation
import HubServices
import HTTPTypes
import HummingbirdTesting
import HummingbirdWSClient
import HummingbirdWSTesting
import HummingbirdWebSocket
import Synchronization
import Testing

/// Collects a WebSocket's text messages so a test can wait for them with a deadline
/// (a lost message fails the test instead of hanging the run).
final class Inbox: Sendable {
    private let messages = Mutex<[String]>([])
    private let position = Mutex(0)

    func append(_ text: String) { messages.withLock { $0.append(text) } }
    var all: [String] { messages.withLock { $0 } }

    /// The next message not yet consumed, parsed as JSON.
    func next(timeout: Duration = .seconds(5)) async throws -> [String: Any] {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            let text = messages.withLock { list in position.withLock { p -> String? in
                guard p < list.count else { return nil }
                p += 1
                return list[p - 1]
            } }
            if let text { return JSON.object(text) }
            try await Task.sleep(for: .milliseconds(5))
        }
        throw WSTestError.timeout
    }

    /// Skips messages until one of `type` arrives (presence and the like are skipped).
    func next(type: String, timeout: Duration = .seconds(5)) async throws -> [String: Any] {
        let deadline = ContinuousClock.now + timeout
        while true {
            let remaining = deadline - ContinuousClock.now
            guard remaining > .zero else { throw WSTestError.timeout }
            let message = try await next(timeout: remaining)
            if message["type"] as? String == type { return message }
        }
    }

    /// Events (single and batched) until `count` have arrived, ignoring control messages.
    func events(_ count: Int, timeout: Duration = .seconds(5)) async throws -> [[String: Any]] {
        var events: [[String: Any]] = []
        let deadline = ContinuousClock.now + timeout
        while events.count < count {
            let remaining = deadline - ContinuousClock.now
            guard remaining > .zero else { throw WSTestError.timeout }
            let message = try await next(timeout: remaining)
            switch message["type"] as? String {
            case "event": events.append(message)
            case "batch": events.append(contentsOf: message["events"] as? [[String: Any]] ?? [])
            default: continue
            }
        }
        return events
    }

    /// True when nothing of `type` arrives within the wait.
    func quiet(of type: String, for wait: Duration = .milliseconds(300)) async -> Bool {
        (try? await next(type: type, timeout: wait)) == nil
    }
}

enum WSTestError: Error { case timeout }

extension TestClientProtocol {
    /// Opens `/ws`, collects messages in an `Inbox`, runs `body`, then closes cleanly.
    @discardableResult
    func live(token: String? = nil, headers: HTTPFields = [:], maxFrameSize: Int = 1 << 20,
              _ body: @escaping @Sendable (WebSocketOutboundWriter, Inbox) async throws -> Void) async throws -> WebSocketCloseFrame? {
        var additional = headers
        if let token { additional[.authorization] = "Bearer \(token)" }
        return try await ws("/ws", configuration: .init(maxFrameSize: maxFrameSize, additionalHeaders: additional)) { inbound, outbound, _ in
            let inbox = Inbox()
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask {
                    for try await message in inbound.messages(maxSize: 1 << 24) {
                        if case .text(let text) = message { inbox.append(text) }
                    }
                }
                try await body(outbound, inbox)
                try? await outbound.close(.normalClosure, reason: nil)
                try await group.waitForAll()
            }
        }
    }
}

extension WebSocketOutboundWriter {
    func send(_ object: [String: Any]) async throws {
        let data = try JSONSerialization.data(withJSONObject: object)
        try await write(.text(String(decoding: data, as: UTF8.self)))
    }
}
