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
}
