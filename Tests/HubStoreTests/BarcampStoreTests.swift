import Foundation
import HubCore
import HubServices
import Testing

/// The barcamp component's part of the store contract, on every backend.
@Suite("Store contract: barcamps", .cleansUpStores)
struct BarcampStoreTests {
    @Test("A barcamp, sessions, marks (a set) and notes round-trip; the barcamp is written on its version only", arguments: StoreBackend.all)
    func roundTrip(backend: StoreBackend) async throws {
        let h = try await StoreHarness(backend)
        let user = h.user()
        let now = h.clock.now()
        let room = BarcampRoom(id: BarcampRoomID(UUID()), name: "Saal", capacity: 80)
        let slot = BarcampSlot(id: BarcampSlotID(UUID()), kind: .sessions, title: "Runde 1", startsAt: now, endsAt: now.addingTimeInterval(2700))
        let barcamp = Barcamp(id: BarcampID(UUID()), workspaceID: nil, title: "Planungskonferenz", moderators: [user.id], rooms: [room], slots: [slot],
                              settings: BarcampSettings(), status: .planning, grid: [], createdBy: user.id, createdAt: now, updatedAt: now,
                              publishedAt: nil, version: 1)
        let host = ParticipantRef.user(user.id)
        let session = BarcampSession(id: BarcampSessionID(UUID()), barcampID: barcamp.id, title: "Wohnen im Alter", description: "Wie?", host: host,
                                     coHosts: [.guest(GuestID(UUID()))], format: .workshop, expectedSize: 25, status: .proposed, createdAt: now,
                                     updatedAt: now, version: 1)
        let mark = InterestMark(barcampID: barcamp.id, sessionID: session.id, participant: .guest(GuestID(UUID())), at: now)
        let notes = SessionNotes(barcampID: barcamp.id, sessionID: session.id, text: "## Ergebnis", authors: [host], version: 1, updatedAt: now)
        _ = try await h.store.commit(ChangeSet(changes: [
            .insertUser(user, passwordHash: "x"), .barcamp(.insertBarcamp(barcamp)), .barcamp(.record(.session(session))),
            .barcamp(.record(.markAdded(mark))), .barcamp(.record(.markAdded(mark))), .barcamp(.record(.notes(notes))),
        ], events: [h.event(.barcamp(barcamp.id), "barcamp.created")]))
        let snapshot = try #require(try await h.store.barcampSnapshot(barcamp.id))
        #expect(snapshot.value.barcamp == barcamp)
        #expect(snapshot.value.sessions == [session])
        #expect(snapshot.value.marks == [mark], "a mark twice is stored once")
        #expect(snapshot.value.notes == [notes])
        #expect(snapshot.cursor.seq == 1 && snapshot.cursor.topic == "barcamp:\(barcamp.id)")
        #expect(try await h.store.barcamps(workspace: nil).map(\.id) == [barcamp.id])

        var next = barcamp
        next.grid = [BarcampAssignment(sessionID: session.id, cell: BarcampCell(roomID: room.id, slotID: slot.id), pinned: true)]
        next.version = 2
        _ = try await h.store.commit(ChangeSet(changes: [.barcamp(.updateBarcamp(next)), .barcamp(.record(.markRemoved(mark)))]))
        await #expect(throws: StoreError.conflict) {
            _ = try await h.store.commit(ChangeSet(changes: [.barcamp(.updateBarcamp(next))]))
        }
        let after = try #require(try await h.store.barcampSnapshot(barcamp.id)).value
        #expect(after.barcamp.grid == next.grid)
        #expect(after.marks.isEmpty)

        // Deleting the barcamp deletes its sessions, marks, notes and guests; a second delete is refused.
        let guest = BoardGuest(id: GuestID(UUID()), scope: barcamp.id.uuid, displayName: "Gast Ida", joinedAt: now)
        _ = try await h.store.commit(ChangeSet(changes: [.barcamp(.insertGuest(guest, tokenHash: "bc-guest-token")),
                                                        .barcamp(.record(.markAdded(mark)))]))
        #expect(try await h.store.boardGuest(tokenHash: "bc-guest-token") == guest)
        _ = try await h.store.commit(ChangeSet(changes: [.barcamp(.deleteBarcamp(barcamp.id))]))
        #expect(try await h.store.barcampSnapshot(barcamp.id) == nil)
        #expect(try await h.store.barcamps(workspace: nil).isEmpty)
        #expect(try await h.store.boardGuest(tokenHash: "bc-guest-token") == nil)
        await #expect(throws: StoreError.missingReference("barcamp")) {
            _ = try await h.store.commit(ChangeSet(changes: [.barcamp(.deleteBarcamp(barcamp.id))]))
        }
    }
}
