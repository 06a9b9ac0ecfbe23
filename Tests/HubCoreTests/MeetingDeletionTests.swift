import Foundation
import HubCore
import Testing

@Suite("Meetings: deleting")
struct MeetingDeletionTests {
    typealias F = MeetingFixtures

    @Test("A planned meeting goes without a trace or mail; an invited one sends CANCEL (SEQUENCE + 1) and leaves a tombstone")
    func plannedAndInvited() throws {
        let (planned, agenda) = F.planned()
        let quiet = try MeetingRules.delete(planned, agenda: agenda, expectedVersion: 1, in: F.workspace, by: F.coordinator, now: F.now, today: F.today)
        #expect(quiet.tombstone == nil)
        #expect(MeetingRulesTests.dispatches(quiet.events).isEmpty)
        #expect(quiet.events.map(\.name) == ["meeting.deleted"])

        let invited = F.invited()
        let later = F.now.addingTimeInterval(600)
        let loud = try MeetingRules.delete(invited, agenda: agenda, expectedVersion: 2, in: F.workspace, by: F.admin, now: later, today: F.today)
        #expect(MeetingRulesTests.dispatches(loud.events) == ["CANCEL cancellation seq1 → 3"])
        #expect(loud.final.status == .cancelled && loud.final.sequence == invited.sequence + 1)
        let tombstone = try #require(loud.tombstone)
        #expect(tombstone.meetingID == invited.id && tombstone.deletedAt == later && tombstone.start == invited.start)
        let publicItems = agenda.schedule(from: invited.start).filter(\.isPublic).map(\.item.id)
        #expect(!publicItems.isEmpty && tombstone.agendaItemIDs == publicItems)
    }

    @Test("Who may delete, in which state, with which version")
    func guards() throws {
        let (planned, agenda) = F.planned()
        func code(_ m: Meeting, _ actor: Principal, version: Int) -> String? {
            F.code { try MeetingRules.delete(m, agenda: agenda, expectedVersion: version, in: F.workspace, by: actor, now: F.now, today: F.today) }
        }
        #expect(code(planned, F.member, version: 1) == "forbidden")
        #expect(code(planned, F.observer, version: 1) == "forbidden")
        #expect(code(planned, F.outsider, version: 1) != nil)
        #expect(code(planned, F.coordinator, version: 3) == "version.conflict")
        var held = planned
        held.status = .held
        #expect(code(held, F.coordinator, version: 1) == "meeting.cannotDelete")
        var published = planned
        published.status = .published
        #expect(code(published, F.admin, version: 1) == "meeting.cannotDelete")
        // Cancelled after the invitation: no second CANCEL, but OParl listed it.
        let (cancelled, _) = try MeetingRules.cancel(F.invited(), reason: "", expectedVersion: 2, in: F.workspace, by: F.coordinator, now: F.now, today: F.today)
        let d = try MeetingRules.delete(cancelled, agenda: agenda, expectedVersion: cancelled.version, in: F.workspace, by: F.coordinator, now: F.now,
                                        today: F.today)
        #expect(MeetingRulesTests.dispatches(d.events).isEmpty && d.tombstone != nil)
    }
}

@Suite("Meetings: minutes sections on the wire")
struct MinutesSectionCodingTests {
    @Test("A section is encoded as its key and read back; the older synthesized form is still read")
    func coding() throws {
        let item = AgendaItemID(MeetingFixtures.uuid(7))
        let sections: [MinutesSection] = [.notes(item), .openPoints, .attendance(.guest("erika@traeger.example")),
                                          .decision(MeetingDecisionID(MeetingFixtures.uuid(8))), .actionItem(ActionItemID(MeetingFixtures.uuid(9)))]
        for section in sections {
            let data = try JSONEncoder().encode([section])
            #expect(String(decoding: data, as: UTF8.self) == "[\"\(section.description)\"]")
            #expect(try JSONDecoder().decode([MinutesSection].self, from: data) == [section])
            #expect(MinutesSection(key: section.description) == section)
        }
        let legacy = Data("[{\"notes\":{\"_0\":\"\(item)\"}},{\"openPoints\":{}}]".utf8)
        #expect(try JSONDecoder().decode([MinutesSection].self, from: legacy) == [.notes(item), .openPoints])
        #expect(MinutesSection(key: "notes:kein-uuid") == nil && MinutesSection(key: "elsewhere") == nil)
        #expect(throws: DecodingError.self) { try JSONDecoder().decode([MinutesSection].self, from: Data("[\"bogus\"]".utf8)) }
    }
}
