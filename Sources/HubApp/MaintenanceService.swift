import Foundation
import HubRealtime
import HubServices
import Logging
import ServiceLifecycle

/// Prunes the event log past its retention and removes expired sessions, hourly.
struct MaintenanceService: Service {
    let store: any HubStore
    let clock: any HubServices.Clock
    let retentionDays: Int
    let logger: Logger

    func run() async throws {
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            let now = clock.now()
            do {
                let removed = try await store.prune(eventsBefore: now.addingTimeInterval(-Double(retentionDays) * 86_400), now: now)
                if removed > 0 { logger.info("pruned event log", metadata: ["events": "\(removed)"]) }
            } catch {
                logger.error("maintenance failed", metadata: ["error": "\(error)"])
            }
            _ = await (try? cancelWhenGracefulShutdown { try await Task.sleep(for: .seconds(3600)) })
        }
    }
}

/// Closes WebSockets whose session has expired, within 15 seconds of expiry.
struct SessionExpiryService: Service {
    let hub: TopicHub
    let clock: any HubServices.Clock

    func run() async throws {
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            hub.closeExpired(now: clock.now())
            _ = await (try? cancelWhenGracefulShutdown { try await Task.sleep(for: .seconds(15)) })
        }
    }
}
