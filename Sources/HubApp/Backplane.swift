import HubCore
import HubRealtime
import HubServices
import HubStorePostgres
import Logging
import ServiceLifecycle

/// Cross-instance fan-out on PostgreSQL. Every commit NOTIFYs `topic seq`; this service
/// LISTENs, and for a topic this instance has not yet published up to `seq`, reads the
/// missing events from the log and hands them to the local hub. Events committed here are
/// published by the store itself; reading from the log fills any gap, and subscribers drop
/// what they already have, so an event reaches each subscriber once and in order, whichever
/// instance committed it.
struct PostgresBackplane: Service {
    let store: PostgresStore
    let hub: TopicHub
    let logger: Logger
    /// How far back to read for a topic this instance has not published yet.
    static let catchUpWindow: Int64 = 256

    func run() async throws {
        // An event beyond a gap is held back by the hub while the gap is read from the log.
        hub.setGapFiller { [store, hub, logger] topicText, after, upTo in
            guard let topic = Topic(topicText) else { return }
            do {
                let range = try await store.events(topic: topic, after: after, limit: Int(upTo - after))
                if !range.events.isEmpty { hub.didCommit(range.events) }
            } catch {
                logger.error("backplane could not fill a gap", metadata: ["topic": "\(topicText)", "error": "\(error)"])
            }
        }
        await cancelWhenGracefulShutdown {
            await store.listenForCommits { topicText, seq in
                await deliver(topicText, seq)
            }
        }
    }

    func deliver(_ topicText: String, _ seq: Int64) async {
        logger.debug("backplane notification", metadata: ["topic": "\(topicText)", "seq": "\(seq)"])
        guard let topic = Topic(topicText) else { return }
        let have = hub.publishedHead(topicText) ?? max(0, seq - Self.catchUpWindow)
        guard seq > have else { return }
        do {
            let range = try await store.events(topic: topic, after: have, limit: Int(seq - have))
            if !range.events.isEmpty { hub.didCommit(range.events) }
        } catch {
            logger.error("backplane could not read the log", metadata: ["topic": "\(topicText)", "error": "\(error)"])
        }
    }
}
