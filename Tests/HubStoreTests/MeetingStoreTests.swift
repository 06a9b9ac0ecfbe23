import Foundation
import HubCore
import HubServices
import Testing

/// The meetings component's part of the store contract, on every backend.
@Suite("Store contract: meetings", .cleansUpStores)
struct MeetingStoreTests {
    struct Fixture {
        let h: StoreHarness
        let organizer: User
        let workspace: Workspace
        let template: MeetingTemplate
        let meeting: Meeting
        let agenda: Agenda

        init(_ backend: StoreBackend) async throws {
            h = try await StoreHarness(backend)
            organizer = h.user()
            workspace = h.workspace()
            let now = h.clock.now()
            template = MeetingTemplate(id: MeetingTemplateID(UUID()), version: 1, content: .standardGerman, createdBy: organizer.id, createdAt: now)
            let start = LocalDateTime(2026, 4, 14, 17, 0)!, end = LocalDateTime(2026, 4, 14, 19, 0)!
            meeting = Meeting(id: MeetingID(UUID()), workspaceID: workspace.id, template: template.ref, title: "Sitzung „Inklusion“ 2/2026",
                              description: "Mit Umlauten äöü; Kommas, und \\ Backslash", start: start, end: end, place: "Kreishaus, Raum 3",
                              onlineURL: nil, organizerID: organizer.id,
                              invitees: [Invitee(key: .member(organizer.id), role: .chair), Invitee(key: .guest("erika@traeger.example"), name: "Erika")],
                              status: .planned, sequence: 0, series: nil, createdAt: now, updatedAt: now, version: 1)
            agenda = Agenda.fromTemplate(template, meetingID: meeting.id, workspaceID: workspace.id, newID: { UUID() }, now: now)
            _ = try await h.store.commit(ChangeSet(changes: [.insertUser(organizer, passwordHash: "x"), .insertWorkspace(workspace),
                                                             .meeting(.insertTemplate(template)), .meeting(.insertMeeting(meeting)),
                                                             .meeting(.insertAgenda(agenda))]))
        }
    }

    @Test("Templates: versions are immutable rows, the latest is listed, a racing revision is a conflict", arguments: StoreBackend.all)
    func templates(backend: StoreBackend) async throws {
        let f = try await Fixture(backend)
        var content = MeetingTemplateDraft.standardGerman
        content.name = "Sitzung einer Fokusgruppe (2027)"
        let second = MeetingTemplate(id: f.template.id, version: 2, content: content, createdBy: f.organizer.id, createdAt: f.h.clock.now())
        _ = try await f.h.store.commit(ChangeSet(changes: [.meeting(.insertTemplate(second))]))
        #expect(try await f.h.store.meetingTemplates() == [second])
        #expect(try await f.h.store.meetingTemplate(f.template.id, version: 1) == f.template)
        #expect(try await f.h.store.meetingTemplate(f.template.id, version: nil) == second)
        #expect(try await f.h.store.meetingTemplateVersions(f.template.id) == [f.template, second])
        await #expect(throws: StoreError.conflict) {
            try await f.h.store.commit(ChangeSet(changes: [.meeting(.insertTemplate(second))]))
        }
        let skipping = MeetingTemplate(id: f.template.id, version: 4, content: content, createdBy: f.organizer.id, createdAt: f.h.clock.now())
        await #expect(throws: StoreError.conflict) {
            try await f.h.store.commit(ChangeSet(changes: [.meeting(.insertTemplate(skipping))]))
        }
    }

    @Test("A meeting and its agenda round-trip; updates are conditional on the version", arguments: StoreBackend.all)
    func meetingRoundTrip(backend: StoreBackend) async throws {
        let f = try await Fixture(backend)
        #expect(try await f.h.store.meeting(f.meeting.id) == f.meeting)
        #expect(try await f.h.store.agenda(of: f.meeting.id) == f.agenda)
        #expect(try await f.h.store.meetings(in: f.workspace.id) == [f.meeting])
        var next = f.meeting
        next.status = .invited
        next.version = 2
        _ = try await f.h.store.commit(ChangeSet(changes: [.meeting(.updateMeeting(next, expectedVersion: 1))]))
        await #expect(throws: StoreError.conflict) {
            try await f.h.store.commit(ChangeSet(changes: [.meeting(.updateMeeting(next, expectedVersion: 1))]))
        }
        #expect(try await f.h.store.meetings(status: [.invited]) == [next])
        #expect(try await f.h.store.meetings(status: [.planned]).isEmpty)
        var agenda = f.agenda
        agenda.items[0].title = "Begrüßung und Vorstellungsrunde"
        agenda.version = 2
        _ = try await f.h.store.commit(ChangeSet(changes: [.meeting(.updateAgenda(agenda, expectedVersion: 1))]))
        await #expect(throws: StoreError.conflict) {
            try await f.h.store.commit(ChangeSet(changes: [.meeting(.updateAgenda(agenda, expectedVersion: 1))]))
        }
        #expect(try await f.h.store.agenda(of: f.meeting.id) == agenda)
    }

    @Test("Minutes: revisions are conditional; of racing saves exactly one wins", arguments: StoreBackend.all)
    func minutesRace(backend: StoreBackend) async throws {
        let f = try await Fixture(backend)
        let minutes = Minutes(meeting: f.meeting, template: f.template, now: f.h.clock.now())
        _ = try await f.h.store.commit(ChangeSet(changes: [.meeting(.insertMinutes(minutes))]))
        #expect(try await f.h.store.minutes(of: f.meeting.id) == StoredMinutes(minutes: minutes, revision: 1))
        let outcomes = await withTaskGroup(of: Bool.self) { group in
            for text in ["A", "B", "C", "D"] {
                group.addTask {
                    var next = minutes
                    next.openPoints = Versioned(value: text, version: 1, updatedBy: f.organizer.id, updatedAt: f.h.clock.now())
                    return (try? await f.h.store.commit(ChangeSet(changes: [.meeting(.updateMinutes(next, revision: 2))]))) != nil
                }
            }
            return await group.reduce(into: []) { $0.append($1) }
        }
        #expect(outcomes.filter { $0 }.count == 1)
        let stored = try #require(try await f.h.store.minutes(of: f.meeting.id))
        #expect(stored.revision == 2 && ["A", "B", "C", "D"].contains(stored.minutes.openPoints.value))
        #expect(try await f.h.store.minutes(in: f.workspace.id).count == 1)
        #expect(try await f.h.store.circulatedMinutes().isEmpty)
        var circulated = stored.minutes
        circulated.approval.stage = .circulated
        _ = try await f.h.store.commit(ChangeSet(changes: [.meeting(.updateMinutes(circulated, revision: 3))]))
        #expect(try await f.h.store.circulatedMinutes().map(\.minutes) == [circulated])
    }

    @Test("RSVP answers replace earlier ones and are deleted with the target", arguments: StoreBackend.all)
    func answers(backend: StoreBackend) async throws {
        let f = try await Fixture(backend)
        let target = CalendarTarget.meeting(f.meeting.id)
        let guest = InviteeKey.guest("erika@traeger.example")
        _ = try await f.h.store.commit(ChangeSet(changes: [.meeting(.putRSVP(RSVP(target: target, invitee: guest, response: .tentative, at: f.h.clock.now())))]))
        f.h.clock.advance(60)
        let final = RSVP(target: target, invitee: guest, response: .accepted, at: f.h.clock.now())
        _ = try await f.h.store.commit(ChangeSet(changes: [.meeting(.putRSVP(final))]))
        #expect(try await f.h.store.rsvps(target) == [final])
        _ = try await f.h.store.commit(ChangeSet(changes: [.meeting(.deleteRSVPs(target))]))
        #expect(try await f.h.store.rsvps(target).isEmpty)
    }

    @Test("Feed secrets are looked up by hash and rotate", arguments: StoreBackend.all)
    func feed(backend: StoreBackend) async throws {
        let f = try await Fixture(backend)
        #expect(try await f.h.store.hasFeedSecret(f.workspace.id) == false)
        _ = try await f.h.store.commit(ChangeSet(changes: [.meeting(.setFeedSecret(f.workspace.id, secretHash: "h1", at: f.h.clock.now()))]))
        #expect(try await f.h.store.feedWorkspace(secretHash: "h1") == f.workspace.id)
        _ = try await f.h.store.commit(ChangeSet(changes: [.meeting(.setFeedSecret(f.workspace.id, secretHash: "h2", at: f.h.clock.now()))]))
        #expect(try await f.h.store.feedWorkspace(secretHash: "h1") == nil)
        #expect(try await f.h.store.feedWorkspace(secretHash: "h2") == f.workspace.id)
        #expect(try await f.h.store.hasFeedSecret(f.workspace.id))
    }

    @Test("The mail outbox: queued in the transaction, sent once", arguments: StoreBackend.all)
    func outbox(backend: StoreBackend) async throws {
        let f = try await Fixture(backend)
        let mail = QueuedMail(id: "m1", createdAt: f.h.clock.now(), recipient: "erika@traeger.example", subject: "Einladung: Sitzung",
                              text: "Guten Tag", calendar: "BEGIN:VCALENDAR\r\nMETHOD:REQUEST\r\nEND:VCALENDAR\r\n", calendarMethod: "REQUEST")
        _ = try await f.h.store.commit(ChangeSet(changes: [.meeting(.enqueueMail(mail))]))
        #expect(try await f.h.store.pendingMail(limit: 10) == [mail])
        _ = try await f.h.store.commit(ChangeSet(changes: [.meeting(.markMailFailed("m1", error: "connection refused", at: f.h.clock.now()))]))
        let failed = try #require(try await f.h.store.pendingMail(limit: 10).first)
        #expect(failed.attempts == 1 && failed.lastError == "connection refused")
        _ = try await f.h.store.commit(ChangeSet(changes: [.meeting(.markMailSent("m1", at: f.h.clock.now()))]))
        #expect(try await f.h.store.pendingMail(limit: 10).isEmpty)
        await #expect(throws: StoreError.conflict) {
            try await f.h.store.commit(ChangeSet(changes: [.meeting(.markMailSent("m1", at: f.h.clock.now()))]))
        }
    }
}
