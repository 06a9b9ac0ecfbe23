import Foundation
import HubCore
import Testing

/// Shared, deterministic data for the meetings tests: fixed ids, fixed times, the district's
/// standard template, a focus group with its people.
enum MeetingFixtures {
    static func uuid(_ n: Int) -> UUID {
        let hex = String(n, radix: 16)
        return UUID(uuidString: "00000000-0000-4000-8000-" + String(repeating: "0", count: 12 - hex.count) + hex)!
    }

    /// An id generator that counts up from `start`: injected ids keep the rules deterministic.
    static func ids(from start: Int = 1000) -> () -> UUID {
        final class Counter { var next = 0 }
        let counter = Counter()
        counter.next = start
        return {
            counter.next += 1
            return uuid(counter.next)
        }
    }

    static func at(_ y: Int, _ mo: Int, _ d: Int, _ h: Int, _ mi: Int) -> Date { BerlinTime.instant(LocalDateTime(y, mo, d, h, mi)!) }
    static func local(_ y: Int, _ mo: Int, _ d: Int, _ h: Int, _ mi: Int) -> LocalDateTime { LocalDateTime(y, mo, d, h, mi)! }

    /// Friday 20 March 2026, 10:00 in Berlin.
    static let now = at(2026, 3, 20, 10, 0)
    static let today = LocalDate(year: 2026, month: 3, day: 20)!

    static let wsID = WorkspaceID(uuid(1))
    static let adminID = UserID(uuid(11)), coordinatorID = UserID(uuid(12)), memberID = UserID(uuid(13))
    static let observerID = UserID(uuid(14)), outsiderID = UserID(uuid(15)), secondMemberID = UserID(uuid(16))
    static let admin = Principal(userID: adminID, displayName: "Stabsstelle", isAdmin: true, memberships: [:])
    static let coordinator = Principal(userID: coordinatorID, displayName: "Koordination", isAdmin: false, memberships: [wsID: .coordinator])
    static let member = Principal(userID: memberID, displayName: "Mitglied", isAdmin: false, memberships: [wsID: .member])
    static let secondMember = Principal(userID: secondMemberID, displayName: "Mitglied 2", isAdmin: false, memberships: [wsID: .member])
    static let observer = Principal(userID: observerID, displayName: "Beobachtung", isAdmin: false, memberships: [wsID: .observer])
    static let outsider = Principal(userID: outsiderID, displayName: "Außen", isAdmin: false, memberships: [:])

    static let workspace = Workspace(id: wsID, kind: .focusGroup, name: "Fachbeirat Sucht", description: "", policyFieldIDs: [], endsOn: nil,
                                     archived: false, createdAt: now, updatedAt: now, version: 1)

    static let template = MeetingTemplate(id: MeetingTemplateID(uuid(2)), version: 1, content: .standardGerman, createdBy: adminID, createdAt: now)

    static let guestKey = InviteeKey.guest("erika.beispiel@traeger.example")

    static let people: [UserID: CalendarPerson] = [
        coordinatorID: CalendarPerson(name: "Jana Koordinatorin", email: "koordination@kreis.example"),
        memberID: CalendarPerson(name: "Müller, Jörg", email: "joerg.mueller@gemeinde.example"),
        secondMemberID: CalendarPerson(name: "Aylin Demir", email: "aylin.demir@caritas.example"),
    ]

    static let settings = CalendarSettings(productID: "-//Landkreis Musterkreis//Roundtable//DE", uidDomain: "roundtable.kreis.example",
                                           fallbackOrganizer: CalendarPerson(name: "Sozialplanung", email: "sozialplanung@kreis.example"))

    static let draft = MeetingDraft(
        title: "Fachbeirat Sucht: Sitzung 2/2026", description: "Schwerpunkt: Suchtprävention an Schulen.",
        start: local(2026, 4, 14, 17, 0), end: local(2026, 4, 14, 19, 0),
        place: "Kreishaus, Raum 204; Musterstraße 1, 12345 Musterstadt", onlineURL: "https://video.kreis.example/b/fachbeirat-sucht",
        invitees: [
            Invitee(key: .member(coordinatorID), role: .chair),
            Invitee(key: .member(memberID)),
            Invitee(key: .guest("Erika.Beispiel@Traeger.example"), name: "Erika Beispiel", role: .optional),
        ])

    /// A planned meeting with its agenda, created by the coordinator.
    static func planned(_ d: MeetingDraft = draft) -> (Meeting, Agenda) {
        let (meeting, agenda, _) = try! MeetingRules.create(d, id: MeetingID(uuid(100)), template: template, in: workspace, by: coordinator,
                                                            newID: ids(), now: now, today: today)
        return (meeting, agenda)
    }

    /// The same meeting after the invitations went out.
    static func invited(_ d: MeetingDraft = draft) -> Meeting {
        let (meeting, _) = planned(d)
        return try! MeetingRules.invite(meeting, expectedVersion: meeting.version, in: workspace, by: coordinator, now: now, today: today).0
    }

    /// Evaluates a throwing rule and returns its error code, or nil when it succeeded.
    static func code<T>(_ body: () throws -> T) -> String? {
        do {
            _ = try body()
            return nil
        } catch let error as DomainError {
            return error.code
        } catch {
            return "unexpected: \(error)"
        }
    }
}

@Suite("Meetings: fixtures")
struct MeetingFixturesTests {
    @Test("The fixtures are what the other suites assume")
    func fixtures() {
        #expect(MeetingFixtures.today == BerlinTime.date(MeetingFixtures.now))
        #expect(MeetingFixtures.draft.start.date.isoWeekday == 2, "14 April 2026 is a Tuesday")
        #expect(TemplateRules.validate(MeetingFixtures.template.content).isEmpty)
        let (meeting, agenda) = MeetingFixtures.planned()
        #expect(meeting.invitees.map(\.key).contains(MeetingFixtures.guestKey))
        #expect(agenda.items.count == 5)
    }
}
