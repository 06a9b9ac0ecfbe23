import Foundation
import HubCore
import HubHTTP
import HubServices
import Logging
import NIOCore
import Synchronization
import Testing
@testable import HubRealtime

/// An event loop that runs its tasks only when asked, and counts them: shows how many loop
/// tasks a commit costs.
final class ManualLoop: EventLoop, @unchecked Sendable {
    private let tasks = Mutex<[@Sendable () -> Void]>([])
    private let running = Mutex(false)
    let executed = Atomic<Int>(0)

    var inEventLoop: Bool { running.withLock { $0 } }
    var pending: Int { tasks.withLock { $0.count } }

    func execute(_ task: @escaping @Sendable () -> Void) {
        executed.add(1, ordering: .relaxed)
        tasks.withLock { $0.append(task) }
    }

    func scheduleTask<T>(deadline: NIODeadline, _ task: @escaping @Sendable () throws -> T) -> Scheduled<T> {
        let promise: EventLoopPromise<T> = makePromise()
        execute { promise.completeWith(Result { try task() }) }
        return Scheduled(promise: promise, cancellationTask: {})
    }

    func scheduleTask<T>(in delay: TimeAmount, _ task: @escaping @Sendable () throws -> T) -> Scheduled<T> {
        scheduleTask(deadline: .now() + delay, task)
    }

    func shutdownGracefully(queue: DispatchQueue, _ callback: @escaping @Sendable ((any Error)?) -> Void) { callback(nil) }

    /// Runs the tasks queued so far (not those they queue).
    func run() {
        let now = tasks.withLock { t in defer { t.removeAll() }; return t }
        running.withLock { $0 = true }
        for task in now { task() }
        running.withLock { $0 = false }
    }
}

/// Records what each drain took; `writable: false` leaves the outbox alone (a full socket).
final class RecordingDrainer: LoopDrainer, @unchecked Sendable {
    let connection: LiveConnection
    let eventLoop: any EventLoop
    let writable: Bool
    private let log = Mutex<[[LiveConnection.Outgoing]]>([])

    init(_ connection: LiveConnection, on loop: any EventLoop, writable: Bool = true) {
        self.connection = connection
        self.eventLoop = loop
        self.writable = writable
    }

    func drain() {
        guard writable else { return }
        let items = connection.take()
        log.withLock { $0.append(items) }
    }

    var drains: [[LiveConnection.Outgoing]] { log.withLock { $0 } }
    func reset() { log.withLock { $0.removeAll() } }
    var eventSeqs: [Int64] {
        drains.flatMap { $0 }.compactMap { if case .event(_, let seq, _) = $0 { seq } else { nil } }
    }
}

/// Fan-out grouped per event loop (`ROUNDTABLE_WS_WRITER=loop`, the default): a commit costs
/// one task per event loop, each event is framed once and the same bytes go to everyone, a
/// connection's events are drained together, and the outbox stays bounded when a socket
/// does not drain.
@Suite("Fan-out per event loop")
struct LoopFanoutTests {
    func event(_ seq: Int64, topic: String = "directory") -> StoredEvent {
        StoredEvent(topic: topic, seq: seq, name: "workspace.updated", payload: "{\"n\":\(seq)}", atMillis: 0)
    }

    func setUp(_ count: Int, loops: [ManualLoop], capacity: Int = 256, writable: Bool = true) -> (TopicHub, [RecordingDrainer]) {
        let hub = TopicHub(logger: Logger(label: "test"))
        let drainers = (0..<count).map { n in
            let connection = LiveConnection(id: UInt64(n + 1), principal: .anonymous, sessionHash: nil, capacity: capacity)
            let drainer = RecordingDrainer(connection, on: loops[n % loops.count], writable: writable)
            connection.setLoopWriter(drainer)
            hub.benchSubscribe(connection, to: "directory")
            return drainer
        }
        // The subscribe answers went out with one task per connection; start counting after them.
        for loop in loops { loop.run(); loop.executed.store(0, ordering: .relaxed) }
        for drainer in drainers { drainer.reset() }
        return (hub, drainers)
    }

    @Test("A commit of 10 events to 300 subscribers on 2 loops costs 2 loop tasks; each connection gets all 10 in order in one drain")
    func oneTaskPerLoopPerCommit() {
        let loops = [ManualLoop(), ManualLoop()]
        let (hub, drainers) = setUp(300, loops: loops)
        hub.didCommit((1...10).map { event($0) })
        #expect(loops.map { $0.executed.load(ordering: .relaxed) } == [1, 1])
        #expect(drainers.allSatisfy { $0.drains.isEmpty }, "nothing is written before the loop runs")
        for loop in loops { loop.run() }
        for drainer in drainers {
            #expect(drainer.drains.count == 1)
            #expect(drainer.eventSeqs == Array(1...10))
        }
    }

    @Test("Each event is framed once: every subscriber gets the same storage, a valid WebSocket text frame")
    func framedOnceAndShared() throws {
        let loops = [ManualLoop(), ManualLoop()]
        let (hub, drainers) = setUp(50, loops: loops)
        hub.didCommit([event(1)])
        for loop in loops { loop.run() }
        let frames = drainers.compactMap { drainer -> ByteBuffer? in
            guard case .event(_, _, let bytes)? = drainer.drains.first?.first else { return nil }
            return bytes
        }
        #expect(frames.count == 50)
        let addresses = Set(frames.map { $0.withUnsafeReadableBytes { UInt(bitPattern: $0.baseAddress) } })
        #expect(addresses.count == 1, "one buffer shared by all recipients")
        let frame = try #require(frames.first)
        let payload = String(buffer: Frames.payload(ofFrame: frame))
        #expect(frame.getInteger(at: frame.readerIndex, as: UInt8.self) == 0x81)
        #expect(Frames.textFrame(payload) == frame, "header + payload, the header as the frame lengths test checks it")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(payload.utf8)) as? [String: Any])
        #expect(object["type"] as? String == "event")
        #expect(object["seq"] as? Int == 1)
    }

    @Test("Commits arriving before the loop runs ride along with the pending drain: no extra task, order kept")
    func pendingDrainCoalesces() {
        let loops = [ManualLoop()]
        let (hub, drainers) = setUp(20, loops: loops)
        for seq in Int64(1)...5 { hub.didCommit([event(seq)]) }
        #expect(loops[0].executed.load(ordering: .relaxed) == 1)
        loops[0].run()
        for drainer in drainers {
            #expect(drainer.drains.count == 1)
            #expect(drainer.eventSeqs == [1, 2, 3, 4, 5])
        }
        hub.didCommit([event(6)])
        loops[0].run()
        #expect(drainers.allSatisfy { $0.eventSeqs == [1, 2, 3, 4, 5, 6] })
    }

    @Test("A socket that does not drain: the outbox stays bounded, the topic gets resync, and no loop tasks pile up")
    func stalledSocketStaysBounded() {
        let loops = [ManualLoop()]
        let (hub, drainers) = setUp(3, loops: loops, capacity: 8, writable: false)
        // The subscribe answers are still queued (the drainer never takes): start from them.
        for seq in Int64(1)...50 {
            hub.didCommit([event(seq)])
            #expect(drainers.allSatisfy { $0.connection.queuedCount <= 9 })
        }
        #expect(hub.subscriberCount("directory") == 0, "the overflowing subscriptions ended")
        #expect(loops[0].pending <= 3, "at most one pending drain per connection")
        for drainer in drainers {
            let items = drainer.connection.take()
            let resyncs = items.compactMap { item -> String? in
                if case .control(let bytes) = item, String(buffer: bytes).contains("\"resync\"") { String(buffer: bytes) } else { nil }
            }
            #expect(resyncs.count == 1)
            #expect(resyncs.first?.contains("\"seq\":0") == true, "nothing was taken, so the client resumes from 0")
            #expect(!items.contains { if case .event = $0 { true } else { false } })
        }
    }

    @Test("Frames: the header carries the payload length in 7, 16 and 64 bits, and the payload comes back unchanged", arguments: [5, 125, 126, 65535, 70000])
    func frameLengths(size: Int) throws {
        let text = "{\"x\":\"" + String(repeating: "a", count: max(0, size - 8)) + "\"}"
        let frame = Frames.textFrame(text)
        #expect(frame.getInteger(at: 0, as: UInt8.self) == 0x81)
        let marker = try #require(frame.getInteger(at: 1, as: UInt8.self))
        let length = text.utf8.count
        switch length {
        case ..<126: #expect(Int(marker) == length)
        case ...65535:
            #expect(marker == 126)
            #expect(Int(frame.getInteger(at: 2, as: UInt16.self) ?? 0) == length)
        default:
            #expect(marker == 127)
            #expect(Int(frame.getInteger(at: 2, as: UInt64.self) ?? 0) == length)
        }
        #expect(String(buffer: Frames.payload(ofFrame: frame)) == text)
        #expect(Frames.textFrame(payload: ByteBuffer(string: text)) == frame)
    }
}

/// The token digest is looked up on every request; its hex encoding must stay exactly what
/// stored sessions were keyed with (lower-case SHA-256 hex).
@Suite("Token digest")
struct TokenDigestTests {
    @Test("SHA-256 of known inputs, lower-case hex, 64 characters")
    func knownVectors() {
        let digest = SHA256TokenDigest()
        #expect(digest.digest("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(digest.digest("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(Hex.lowercase([0x00, 0x0f, 0xf0, 0xff, 0xa5]) == "000ff0ffa5")
    }
}
