// Fan-out micro-benchmark: the cost of handing one committed event to N subscribers.
//
// Compares, in the same run and on the same events:
//   shared  – Roundtable's path: TopicHub encodes each event once into a ByteBuffer and
//             queues the same buffer in every subscriber's outbox; writers drain outboxes.
//   naive   – the peer: what a handler does with `outbound.write(.text(String))` per
//             recipient: encode the event per recipient with JSONEncoder and build a
//             new buffer from the string for every write.
// No sockets: this isolates the server's per-delivery CPU work before the kernel send.
// The socket-level benchmarks (S1–S7) belong to the proof issue.
//
// Run: swift run -c release roundtable-fanout-bench [subscribers] [events]
import Foundation
import HubCore
import HubRealtime
import HubServices
import Logging
import NIOCore

struct Payload: Codable {
    let id: String
    let kind: String
    let name: String
    let description: String
    let version: Int
}

let subscriberCount = CommandLine.arguments.count > 1 ? Int(CommandLine.arguments[1]) ?? 1000 : 1000
let eventCount = CommandLine.arguments.count > 2 ? Int(CommandLine.arguments[2]) ?? 200 : 200
let payload = Payload(id: UUID().uuidString.lowercased(), kind: "focusGroup", name: "Fokusgruppe Integration",
                      description: String(repeating: "Sprachförderung und Ämterlotsen. ", count: 8), version: 3)
let payloadJSON = WireJSON.string(payload)

func cpuSeconds() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return Double(usage.ru_utime.tv_sec) + Double(usage.ru_utime.tv_usec) / 1e6
        + Double(usage.ru_stime.tv_sec) + Double(usage.ru_stime.tv_usec) / 1e6
}

func measure(_ name: String, _ body: () -> Int) -> (String, Double, Double, Int) {
    let wall = ContinuousClock.now
    let cpu = cpuSeconds()
    let deliveries = body()
    let cpuUsed = cpuSeconds() - cpu
    let elapsed = ContinuousClock.now - wall
    let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    return (name, cpuUsed * 1e6 / Double(deliveries), Double(deliveries) / seconds, deliveries)
}

// Roundtable's path.
func sharedPath() -> Int {
    let hub = TopicHub(epoch: "bench", logger: Logger(label: "bench"))
    let gateway = (0..<subscriberCount).map { i in
        LiveConnection(id: UInt64(i), principal: .anonymous, sessionHash: nil, capacity: eventCount + 8)
    }
    for connection in gateway {
        hub.connect(connection)
        hub.benchSubscribe(connection, to: "directory")
    }
    var delivered = 0
    for seq in 1...eventCount {
        hub.didCommit([StoredEvent(topic: "directory", seq: Int64(seq), name: "workspace.updated", payload: payloadJSON, atMillis: 0)])
        // Writers drain (here inline): count the bytes a writer would hand to the socket.
        for connection in gateway {
            for case .event(_, _, let bytes) in connection.take() { delivered += bytes.readableBytes > 0 ? 1 : 0 }
        }
    }
    return delivered
}

// The peer: per-recipient encoding and a new buffer per write.
func naivePath() -> Int {
    let encoder = JSONEncoder()
    var delivered = 0
    for seq in 1...eventCount {
        struct Frame: Encodable {
            let type = "event"
            let topic = "directory"
            let seq: Int
            let name = "workspace.updated"
            let data: Payload
        }
        for _ in 0..<subscriberCount {
            let data = try! encoder.encode(Frame(seq: seq, data: payload))
            let text = String(decoding: data, as: UTF8.self)
            let buffer = ByteBuffer(string: text)
            delivered += buffer.readableBytes > 0 ? 1 : 0
        }
    }
    return delivered
}

print("fan-out: \(subscriberCount) subscribers × \(eventCount) events, payload \(payloadJSON.utf8.count) bytes")
print("path      µs CPU/delivery   deliveries/s   deliveries")
for (name, perDelivery, rate, count) in [measure("shared", sharedPath), measure("naive", naivePath)] {
    print(String(format: "%-8@  %16.3f  %13.0f  %11d", name as NSString, perDelivery, rate, count))
}
