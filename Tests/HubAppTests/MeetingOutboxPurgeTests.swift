import Foundation
import HTTPTypes
import HubApp
import HubCore
import HubServices
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

/// The hourly maintenance deletes sent meeting mail (addresses, answer links) after the
/// retention period (30 days by default).
@Suite("Meetings: purging the mail outbox")
struct MeetingOutboxPurgeTests {
    @Test("Sent invitations are deleted 30 days after sending by the periodic job; unsent ones stay")
    func purge() async throws {
        let clock = ManualClock()
        let hub = try await TestHub(clock: clock)
        try await hub.application().test(.router) { client in
            _ = try await MeetingAPITests.meeting(hub, client, clock: clock, invite: true)
            let queued = try await hub.graph.store.pendingMail(limit: 100)
            #expect(queued.count == 2)
            let sent = try #require(queued.first), unsent = try #require(queued.last)
            _ = try await hub.graph.store.commit(ChangeSet(changes: [.meeting(.markMailSent(sent.id, at: clock.now()))]))
            let services = try await hub.graph.meetingServices()
            #expect(services.meetings.settings.mailRetentionDays == 30)
            clock.advance(29 * 86_400)
            try await services.runPeriodic()
            #expect(try await hub.graph.store.outboxMail(sent.id) != nil, "within the retention period")
            clock.advance(2 * 86_400)
            try await services.runPeriodic()
            #expect(try await hub.graph.store.outboxMail(sent.id) == nil, "31 days after sending")
            #expect(try await hub.graph.store.outboxMail(unsent.id) != nil, "never sent and not given up on: still queued")
        }
    }
}
