import Foundation

/// A secret for one rotation epoch (a day by default), drawn at random by the services. Keys
/// derived with it can be linked to an address only by someone who holds the secret, so a
/// secret is deleted when its epoch's keys stop matching (see `ClientKeyRotation`).
public struct ClientKeySecret: Sendable, Hashable, CustomStringConvertible {
    /// The rotation epoch the secret belongs to (see `ClientKeyRotation.epoch(at:)`).
    public let epoch: Int
    /// Random bytes, at least 32, from the system's secure source.
    public let bytes: Data

    public init(epoch: Int, bytes: Data) {
        self.epoch = epoch
        self.bytes = bytes
    }

    public var description: String { "ClientKeySecret(epoch: \(epoch), redacted)" }
}

/// When client-key secrets are made and destroyed.
///
/// Epoch `e` covers `[e·period, (e+1)·period)` since 1970 (UTC, so no daylight-saving jumps).
/// New keys are derived with the current epoch's secret. The previous secret still matches
/// for `overlap` after its epoch ends, so that the daily limit is not reset at midnight; after
/// that it is deleted and yesterday's keys match nobody, not even their owner.
public struct ClientKeyRotation: Sendable, Hashable {
    /// The length of an epoch: a day.
    public var period: TimeInterval
    /// How long a secret keeps matching after its epoch ended. At least the longest limit
    /// window (a day), so that a client's budget carries over the rotation.
    public var overlap: TimeInterval

    public init(period: TimeInterval = 86_400, overlap: TimeInterval = 86_400) {
        self.period = period
        self.overlap = overlap
    }

    /// Daily secrets, each matching for one more day.
    public static let standard = ClientKeyRotation()

    /// The epoch `now` falls in.
    public func epoch(at now: Date) -> Int { Int((now.timeIntervalSince1970 / period).rounded(.down)) }

    /// The instant the epoch begins.
    public func start(of epoch: Int) -> Date { Date(timeIntervalSince1970: Double(epoch) * period) }

    /// The instant from which the epoch's secret matches nothing and must be deleted.
    public func expiry(of epoch: Int) -> Date { start(of: epoch + 1).addingTimeInterval(overlap) }

    /// The epochs whose secrets match at `now`, the current one first.
    public func liveEpochs(at now: Date) -> [Int] {
        let current = epoch(at: now)
        var epochs = [current]
        var earlier = current - 1
        while expiry(of: earlier) > now {
            epochs.append(earlier)
            earlier -= 1
        }
        return epochs
    }

    /// What the key store must do at `now`, given the epochs it holds secrets for: create the
    /// current epoch's secret (from `fresh` random bytes), delete the expired ones.
    public func plan(held: [Int], now: Date, fresh: Data) -> (create: ClientKeySecret?, delete: [Int]) {
        let live = Set(liveEpochs(at: now))
        let current = epoch(at: now)
        let create = held.contains(current) ? nil : ClientKeySecret(epoch: current, bytes: fresh)
        return (create, held.filter { !live.contains($0) && $0 < current }.sorted())
    }
}

/// A pseudonymous, panel-specific and daily-changing stand-in for a client address: the keyed
/// hash of the address, the panel id and the day's secret. Different panels see unrelated keys
/// for the same person, and once the day's secret is deleted the key cannot be tied to an
/// address any more (an IPv4 address could otherwise be recovered by trying all 2³² of them).
public struct ClientKey: Sendable, Hashable, Codable, CustomStringConvertible {
    /// The epoch of the secret the key was derived with.
    public let epoch: Int
    /// 128 bits in lower-case hex.
    public let value: String

    public init(epoch: Int, value: String) {
        self.epoch = epoch
        self.value = value
    }

    public var description: String { "\(epoch):\(value)" }
}

/// The keys of one client for one panel under every live secret, the current one first.
public struct ClientKeyring: Sendable, Hashable {
    /// Under the current epoch's secret: the key new state is stored under.
    public let current: ClientKey
    /// Under earlier secrets that still match: looked up, never written.
    public let earlier: [ClientKey]

    /// Every key to look state up by.
    public var all: [ClientKey] { [current] + earlier }

    /// Derives the keys. This is the only function that reads a client address, and the
    /// address leaves it only inside the hashed message.
    ///
    /// - Parameters:
    ///   - address: the TCP peer, or the trusted proxy's forwarded address. IPv6 addresses
    ///     count by their /64 prefix, because a device picks new interface ids at will.
    ///   - secrets: the secrets the key store holds; expired and future ones are ignored.
    ///   - keyedHash: HMAC-SHA-256 in production, `(key, message) -> digest`.
    /// - Returns: `nil` when the current epoch has no secret yet (the caller must rotate first).
    public static func derive(address: String, panel: PanelID, secrets: [ClientKeySecret], rotation: ClientKeyRotation = .standard,
                              now: Date, keyedHash: (_ key: Data, _ message: Data) -> Data) -> ClientKeyring? {
        let message = Data("roundtable.panel-client.v1\0\(panel)\0".utf8) + Data(ClientAddress.canonical(address).utf8)
        let keys = rotation.liveEpochs(at: now).compactMap { epoch -> ClientKey? in
            guard let secret = secrets.first(where: { $0.epoch == epoch }) else { return nil }
            return ClientKey(epoch: epoch, value: Hex.encode(keyedHash(secret.bytes, message).prefix(16)))
        }
        guard let first = keys.first, first.epoch == rotation.epoch(at: now) else { return nil }
        return ClientKeyring(current: first, earlier: Array(keys.dropFirst()))
    }
}

/// Canonical forms of client addresses. File-private: the address must not travel beyond
/// `ClientKeyring.derive`.
fileprivate enum ClientAddress {
    /// `v4:a.b.c.d`, `v6:xxxx:xxxx:xxxx:xxxx/64` (IPv4-mapped IPv6 counts as IPv4), or the
    /// trimmed lower-cased text for anything else (for example a Unix socket peer).
    static func canonical(_ raw: String) -> String {
        var text = raw.trimmingCharacters(in: .whitespaces).lowercased()
        if text.hasPrefix("["), let end = text.firstIndex(of: "]") { text = String(text[text.index(after: text.startIndex)..<end]) }
        if let zone = text.firstIndex(of: "%") { text = String(text[..<zone]) }
        if let v4 = ipv4(text) { return "v4:" + v4.map(String.init).joined(separator: ".") }
        if let groups = ipv6(text) {
            if groups[0..<5].allSatisfy({ $0 == 0 }) && groups[5] == 0xffff {
                let octets = [groups[6] >> 8, groups[6] & 0xff, groups[7] >> 8, groups[7] & 0xff]
                return "v4:" + octets.map { String($0) }.joined(separator: ".")
            }
            return "v6:" + groups[0..<4].map { String($0, radix: 16) }.joined(separator: ":") + "/64"
        }
        return "other:" + text
    }

    static func ipv4(_ text: String) -> [Int]? {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4 else { return nil }
        var octets: [Int] = []
        for part in parts {
            guard (1...3).contains(part.count), part.allSatisfy({ $0.isASCII && $0.isNumber }), let value = Int(part), value <= 255 else { return nil }
            octets.append(value)
        }
        return octets
    }

    /// The eight 16-bit groups of an IPv6 address (with `::` and a trailing dotted IPv4 part).
    static func ipv6(_ text: String) -> [Int]? {
        guard text.contains(":") else { return nil }
        let halves = text.components(separatedBy: "::")
        guard halves.count <= 2 else { return nil }
        func groups(_ part: String) -> [Int]? {
            if part.isEmpty { return [] }
            var result: [Int] = []
            let pieces = part.split(separator: ":", omittingEmptySubsequences: false)
            for (index, piece) in pieces.enumerated() {
                if index == pieces.count - 1, piece.contains("."), let v4 = ipv4(String(piece)) {
                    result += [v4[0] << 8 | v4[1], v4[2] << 8 | v4[3]]
                } else {
                    guard (1...4).contains(piece.count), piece.allSatisfy(\.isHexDigit), let value = Int(piece, radix: 16) else { return nil }
                    result.append(value)
                }
            }
            return result
        }
        guard let head = groups(halves[0]) else { return nil }
        if halves.count == 1 { return head.count == 8 ? head : nil }
        guard let tail = groups(halves[1]), head.count + tail.count < 8 else { return nil }
        return head + Array(repeating: 0, count: 8 - head.count - tail.count) + tail
    }
}
