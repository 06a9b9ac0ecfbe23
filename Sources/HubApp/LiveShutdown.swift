import Foundation
import HubRealtime
import Logging
import ServiceLifecycle

/// On SIGTERM/SIGINT, before the HTTP server stops: tells every WebSocket client that the
/// server is going away (close code 1001), so clients reconnect (behind a load balancer, to
/// another instance) and resume with their cursor, instead of the server waiting for them.
/// Peers that have not answered the close after `grace` are dropped.
///
/// It must be shut down before the server, which waits for open connections: it runs in the
/// same service group, after the application (a group shuts down in reverse order).
struct LiveShutdown: Service {
    let hub: TopicHub
    let grace: Duration
    let logger: Logger

    func run() async throws {
        // Returns on graceful shutdown; throws CancellationError if the group is cancelled.
        try? await gracefulShutdown()
        let open = hub.connectionCount
        guard open > 0 else { return }
        logger.info("closing live connections for shutdown", metadata: ["connections": "\(open)"])
        hub.closeAll(code: 1001, reason: "server shutting down")
        let deadline = ContinuousClock.now + grace
        while hub.connectionCount > 0, ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(50))
        }
        if hub.connectionCount > 0 { hub.forceCloseAll() }
    }
}
