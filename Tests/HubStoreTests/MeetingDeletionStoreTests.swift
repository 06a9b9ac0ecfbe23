import Foundation
import HubCore
import HubServices
import Testing

/// Deleting meetings (and, below, purging the mail outbox) in the store contract, on every backend.
@Suite("Store contract: deleting meetings", .cleansUpStores)
struct MeetingDeletionStoreTests {
    typealias Fixture = MeetingStoreTests.Fixture

    @Test("Deleting a meeting removes it with agenda, minutes and answers; conditional on the version; a tombstone stays when given",
          arguments: StoreBackend.all)
    func deletion(backend: StoreBackend) async throws {
        let f = try await Fixture(backend)
        let target = CalendarTarget.meeting(f.meeting.id)
        let minutes = Minutes(meeting: f.meeting, template: f.template, now: f.h.clock.now())
        _ = try await f.h.store.commit(ChangeSet(changes: [
            .meeting(.insertMinutes(minutes)),
            .meeting(.putRSVP(RSVP(target: target, invitee: .guest("erika@traeger.example"), response: .accepted, at: f.h.clock.now()))),
        ]))
        f.h.clock.advance(3600)
        let tombstone = MeetingTombstone(meetingID: f.meeting.id, workspaceID: f.workspace.id, start: f.meeting.start, createdAt: f.meeting.createdAt,
                                         deletedAt: f.h.clock.now(), agendaItemIDs: f.agenda.items.prefix(2).map(\.id))
        // A stale version deletes nothing.
        await #expect(throws: StoreError.conflict) {
            try await f.h.store.commit(ChangeSet(changes: [.meeting(.deleteMeeting(f.meeting.id, expectedVersion: 2, tombstone: tombstone))]))
        }
        #expect(try await f.h.store.meeting(f.meeting.id) == f.meeting)
        #expect(try await f.h.store.meetingTombstones().isEmpty)
        _ = try await f.h.store.commit(ChangeSet(changes: [.meeting(.deleteMeeting(f.meeting.id, expectedVersion: 1, tombstone: tombstone))]))
        #expect(try await f.h.store.meeting(f.meeting.id) == nil)
        #expect(try await f.h.store.agenda(of: f.meeting.id) == nil)
        #expect(try await f.h.store.minutes(of: f.meeting.id) == nil)
        #expect(try await f.h.store.rsvps(target).isEmpty)
        #expect(try await f.h.store.meetings(in: f.workspace.id).isEmpty)
        #expect(try await f.h.store.meetingTombstones() == [tombstone])
        #expect(try await f.h.store.meetingTombstone(f.meeting.id) == tombstone)
        // Deleting it again: nothing to delete.
        await #expect(throws: StoreError.conflict) {
            try await f.h.store.commit(ChangeSet(changes: [.meeting(.deleteMeeting(f.meeting.id, expectedVersion: 1, tombstone: nil))]))
        }
    }

    @Test("A meeting never listed is deleted without a trace", arguments: StoreBackend.all)
    func deletionWithoutTombstone(backend: StoreBackend) async throws {
        let f = try await Fixture(backend)
        _ = try await f.h.store.commit(ChangeSet(changes: [.meeting(.deleteMeeting(f.meeting.id, expectedVersion: 1, tombstone: nil))]))
        #expect(try await f.h.store.meeting(f.meeting.id) == nil)
        #expect(try await f.h.store.meetingTombstone(f.meeting.id) == nil)
        #expect(try await f.h.store.meetingTombstones().isEmpty)
    }

    @Test("Purging the outbox: sent mail and mail given up on go after the retention period, the rest stays", arguments: StoreBackend.all)
    func purgeMail(backend: StoreBackend) async throws {
        let f = try await Fixture(backend)
        func mail(_ id: String) -> QueuedMail {
            QueuedMail(id: id, createdAt: f.h.clock.now(), recipient: "\(id)@traeger.example", subject: "Einladung", text: "Link: https://x/#/rsvp/abc")
        }
        _ = try await f.h.store.commit(ChangeSet(changes: ["oldSent", "oldFailed", "oldTrying", "newSent", "newFailed", "pending"]
            .map { .meeting(.enqueueMail(mail($0))) }))
        let start = f.h.clock.now()
        // Day 0: two sent, one given up on after 3 tries, one failed once (still to be retried).
        _ = try await f.h.store.commit(ChangeSet(changes: [.meeting(.markMailSent("oldSent", at: start))]))
        for _ in 0..<3 { _ = try await f.h.store.commit(ChangeSet(changes: [.meeting(.markMailFailed("oldFailed", error: "refused", at: start))])) }
        _ = try await f.h.store.commit(ChangeSet(changes: [.meeting(.markMailFailed("oldTrying", error: "refused", at: start))]))
        // Day 20: the newer ones.
        f.h.clock.advance(20 * 86_400)
        let later = f.h.clock.now()
        _ = try await f.h.store.commit(ChangeSet(changes: [.meeting(.markMailSent("newSent", at: later))]))
        for _ in 0..<3 { _ = try await f.h.store.commit(ChangeSet(changes: [.meeting(.markMailFailed("newFailed", error: "refused", at: later))])) }
        // Purge everything older than day 10, giving up after 3 tries.
        _ = try await f.h.store.commit(ChangeSet(changes: [.meeting(.purgeMail(before: start.addingTimeInterval(10 * 86_400), maxAttempts: 3))]))
        #expect(try await f.h.store.outboxMail("oldSent") == nil)
        #expect(try await f.h.store.outboxMail("oldFailed") == nil)
        #expect(try await f.h.store.outboxMail("oldTrying")?.attempts == 1, "still being retried: kept")
        #expect(try await f.h.store.outboxMail("newSent")?.sentAt != nil)
        #expect(try await f.h.store.outboxMail("newFailed")?.attempts == 3)
        #expect(try await f.h.store.outboxMail("pending") != nil)
        // Once the retention has passed for them too, only unsent mail still being retried remains.
        _ = try await f.h.store.commit(ChangeSet(changes: [.meeting(.purgeMail(before: later.addingTimeInterval(1), maxAttempts: 3))]))
        #expect(try await f.h.store.outboxMail("newSent") == nil)
        #expect(try await f.h.store.outboxMail("newFailed") == nil)
        #expect(try await f.h.store.pendingMail(limit: 10).map(\.id).sorted() == ["oldTrying", "pending"])
    }
}
