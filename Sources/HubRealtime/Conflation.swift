import HubServices

/// Which live events carry a *value* that a newer event of the same key replaces, so the hub
/// may send only the newest of them per interval (Docs/api/websocket.md, "Conflated events").
///
/// A Lean Coffee tally is the topic's count, not an increment: a viewer who missed 41 and 42
/// and gets 43 holds the right count. Every event is still logged with its gap-free `seq`;
/// only the live delivery skips superseded values and says so with `prev` in the next frame.
public enum Conflation {
    /// The key within a topic under which `name`'s events supersede each other, or nil when
    /// every event of that name must be delivered. Reads the payload as text (it is written by
    /// our own encoder, `LeanCoffeeViews.payload`: compact JSON with sorted keys), no parsing.
    public static func key(name: String, payload: String) -> String? {
        switch name {
        case "leanCoffee.tallyChanged":
            guard let topicID = stringValue(of: "topicId", in: payload) else { return nil }
            return "tally:" + topicID
        case "leanCoffee.voteProgress":
            return "progress"
        case "barcamp.interestChanged":
            // A session's interest is a count too (`{barcampId, sessionId, interest}`).
            guard let sessionID = stringValue(of: "sessionId", in: payload) else { return nil }
            return "interest:" + sessionID
        default:
            return nil
        }
    }

    /// A replay from the log with superseded values left out: within each run of consecutive
    /// conflatable events only the newest per key is kept (another event ends a run, so the
    /// order holds as live). Each kept event comes with `prev`, the seq of the one kept before
    /// it (`base`, what the client holds, for the first).
    public static func replay(_ events: [StoredEvent], after base: Int64) -> [(event: StoredEvent, prev: Int64)] {
        var kept: [(event: StoredEvent, prev: Int64)] = []
        kept.reserveCapacity(events.count)
        var run: [String: StoredEvent] = [:]
        var last = base
        func endRun() {
            guard !run.isEmpty else { return }
            for event in run.values.sorted(by: { $0.seq < $1.seq }) {
                kept.append((event, last))
                last = event.seq
            }
            run.removeAll(keepingCapacity: true)
        }
        for event in events {
            if let key = key(name: event.name, payload: event.payload) {
                run[key] = event
            } else {
                endRun()
                kept.append((event, last))
                last = event.seq
            }
        }
        endRun()
        return kept
    }

    /// The value of a top-level string field `"field":"…"` without escapes (ids), or nil.
    static func stringValue(of field: String, in payload: String) -> String? {
        let utf8 = payload.utf8
        let needle = Array("\"\(field)\":\"".utf8)
        guard needle.count < utf8.count else { return nil }
        var index = utf8.startIndex
        while index != utf8.endIndex {
            if utf8[index...].starts(with: needle) {
                let start = utf8.index(index, offsetBy: needle.count)
                var end = start
                while end != utf8.endIndex, utf8[end] != UInt8(ascii: "\"") {
                    if utf8[end] == UInt8(ascii: "\\") { return nil }  // ids never need escapes
                    end = utf8.index(after: end)
                }
                guard end != utf8.endIndex, end != start else { return nil }
                return String(payload.utf8[start..<end])
            }
            index = utf8.index(after: index)
        }
        return nil
    }
}
