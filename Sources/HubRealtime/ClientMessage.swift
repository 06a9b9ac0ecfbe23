import Foundation

/// A message from a client, parsed strictly: unknown types and malformed fields are errors.
public enum ClientMessage: Sendable, Equatable {
    case auth(token: String)
    /// `guest`: the guest token of a board's guest (board topics only).
    case subscribe(id: String?, topic: String, epoch: String?, seq: Int64?, guest: String? = nil)
    case unsubscribe(id: String?, topic: String)
    case ping(id: String?)
    /// Where the client works within a subscribed topic (nil: nowhere in particular).
    case focus(topic: String, focus: String?)

    struct Wire: Decodable {
        let type: String
        let id: String?
        let token: String?
        let topic: String?
        let epoch: String?
        let seq: Int64?
        let focus: String?
        let section: String?
        let guest: String?
    }

    /// Parses one text frame. Throws `ParseError` with a message safe to send back.
    public static func parse(_ text: String) throws(ParseError) -> ClientMessage {
        guard let data = text.data(using: .utf8), let wire = try? JSONDecoder().decode(Wire.self, from: data) else {
            throw ParseError(message: "Not a JSON object with a string field \"type\".")
        }
        if let id = wire.id, id.count > 64 { throw ParseError(message: "\"id\" is longer than 64 characters.") }
        switch wire.type {
        case "auth":
            guard let token = wire.token else { throw ParseError(message: "\"auth\" needs \"token\".") }
            return .auth(token: token)
        case "subscribe":
            guard let topic = wire.topic else { throw ParseError(message: "\"subscribe\" needs \"topic\".") }
            if let seq = wire.seq, seq < 0 { throw ParseError(message: "\"seq\" must not be negative.") }
            return .subscribe(id: wire.id, topic: topic, epoch: wire.epoch, seq: wire.seq, guest: wire.guest)
        case "unsubscribe":
            guard let topic = wire.topic else { throw ParseError(message: "\"unsubscribe\" needs \"topic\".") }
            return .unsubscribe(id: wire.id, topic: topic)
        case "ping":
            return .ping(id: wire.id)
        case "focus":
            guard let topic = wire.topic else { throw ParseError(message: "\"focus\" needs \"topic\".") }
            // `section` is accepted as an older name of `focus`.
            let focus = wire.focus ?? wire.section
            if let focus, focus.isEmpty || focus.count > 100
                || !focus.unicodeScalars.allSatisfy({ $0.isASCII && (CharacterSet.alphanumerics.contains($0) || ":-_.".unicodeScalars.contains($0)) }) {
                throw ParseError(message: "\"focus\" is 1 to 100 letters, digits or : - _ .")
            }
            return .focus(topic: topic, focus: focus)
        default:
            throw ParseError(message: "Unknown message type.")
        }
    }

    public struct ParseError: Error, Sendable {
        public let message: String
    }
}

/// A token bucket: `rate` messages per second with bursts up to `burst`.
public struct TokenBucket: Sendable {
    public let rate: Double
    public let burst: Double
    private var tokens: Double
    private var last: ContinuousClock.Instant

    public init(rate: Double, burst: Double, now: ContinuousClock.Instant = .now) {
        self.rate = rate
        self.burst = burst
        self.tokens = burst
        self.last = now
    }

    /// Takes one token if there is one.
    public mutating func take(now: ContinuousClock.Instant = .now) -> Bool {
        let elapsed = now - last
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        tokens = min(burst, tokens + seconds * rate)
        last = now
        guard tokens >= 1 else { return false }
        tokens -= 1
        return true
    }
}
