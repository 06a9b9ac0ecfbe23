import Foundation
import HubRealtime
import HubServices
import Logging
import ServiceLifecycle

/// Prunes the event log past its retention and removes expired sessions, and sends the
/// reminders for implementation reports that fall due, hourly.
struct MaintenanceService: Service {
    let store: any HubStore
    let clock: any HubServices.Clock
    let retentionDays: Int
    let logger: Logger
    let reminders: ReportReminders
    /// Feedback panels: close due panels, erase personal data, expire limiter state, rotate day secrets.
    var panels: PanelMaintenance? = nil
    /// Meetings: deemed approval of minutes at the deadline, and the mail outbox.
    var meetings: (@Sendable () async throws -> Int)? = nil
    /// Board guests: names erased a retention period after the board ended.
    var boardGuests: BoardGuestMaintenance? = nil
    /// Identity records: settled invitations and password resets, and the audit log's retention.
    var auditRetentionDays: Int = 365
    /// Days after which accepted or expired invitations and used or expired resets go.
    static let settledRecordDays = 30

    func run() async throws {
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            let now = clock.now()
            do {
                let removed = try await store.prune(eventsBefore: now.addingTimeInterval(-Double(retentionDays) * 86_400), now: now)
                if removed > 0 { logger.info("pruned event log", metadata: ["events": "\(removed)"]) }
                let purged = try await store.purgeIdentityRecords(
                    settledBefore: now.addingTimeInterval(-Double(Self.settledRecordDays) * 86_400),
                    auditBefore: now.addingTimeInterval(-Double(auditRetentionDays) * 86_400))
                if purged != IdentityPurge() {
                    logger.info("purged identity records", metadata: ["invitations": "\(purged.invitations)",
                                                                      "passwordResets": "\(purged.passwordResets)", "audit": "\(purged.auditEntries)"])
                }
                let reminded = try await reminders.run()
                if reminded > 0 { logger.info("sent report reminders", metadata: ["entries": "\(reminded)"]) }
                if let report = try await panels?.run(), report != PanelMaintenance.Report() {
                    logger.info("panel maintenance", metadata: ["closed": "\(report.closed)", "erased": "\(report.erased)",
                                                                 "secretsDeleted": "\(report.secretsDeleted)"])
                }
                if let erased = try await boardGuests?.run(), erased > 0 {
                    logger.info("erased board guests' names", metadata: ["boards": "\(erased)"])
                }
                if let meetings {
                    let settled = try await meetings()
                    if settled > 0 { logger.info("settled minutes", metadata: ["minutes": "\(settled)"]) }
                }
            } catch {
                logger.error("maintenance failed", metadata: ["error": "\(error)"])
            }
            _ = await (try? cancelWhenGracefulShutdown { try await Task.sleep(for: .seconds(3600)) })
        }
    }
}

/// Closes WebSockets whose session has expired or ended elsewhere (idle timeout, revoked,
/// password changed), within 15 seconds.
struct SessionExpiryService: Service {
    let hub: TopicHub
    let store: any HubStore
    let policy: SecurityPolicy
    let clock: any HubServices.Clock

    func run() async throws {
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            let now = clock.now()
            hub.closeExpired(now: now)
            for hash in hub.sessionHashes {
                let session = try? await store.session(tokenHash: hash)
                let idle = session.map { $0.kind == .browser && now.timeIntervalSince($0.lastSeenAt) > policy.idleTimeout } ?? false
                if session == nil || idle { hub.closeSession(hash) }
            }
            _ = await (try? cancelWhenGracefulShutdown { try await Task.sleep(for: .seconds(15)) })
        }
    }
}
