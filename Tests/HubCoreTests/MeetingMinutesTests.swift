import Foundation
import HubCore
import Testing

/// Writing minutes together: sections with their own versions, conflicts that name the
/// section and never lose text, action items tracked beyond the minutes.
@Suite("Meetings: writing minutes")
struct MeetingMinutesTests {
    typealias F = MeetingFixtures
    static let a = MeetingAgendaTests.a, b = MeetingAgendaTests.b, c = MeetingAgendaTests.c

    /// The meeting (held since 17:00 on 14 April), its agenda with topics A, B, C, and empty minutes.
    static func held() throws -> (Meeting, Agenda, Minutes) {
        let (meeting, agenda) = try MeetingAgendaTests.withTopics()
        let (held, _) = try MeetingRules.markHeld(meeting, by: F.coordinator, now: F.at(2026, 4, 14, 17, 0))
        let minutes = try MinutesRules.open(for: held, template: F.template, by: F.member, now: F.at(2026, 4, 14, 17, 0))
        return (held, agenda, minutes)
    }

    static let noon = F.at(2026, 4, 14, 18, 0)

    static func save(_ edit: MinutesEdit, base: Int, to minutes: Minutes, by actor: Principal = F.member,
                     context: (Meeting, Agenda, Minutes)) throws -> Minutes {
        try #require(try MinutesRules.save(edit, baseVersion: base, to: minutes, of: context.0, agenda: context.1, by: actor, now: noon)).0
    }

    @Test("Minutes open once the meeting is held, with the headings of its template version")
    func open() throws {
        let (meeting, _) = F.planned()
        #expect(F.code { try MinutesRules.open(for: meeting, template: F.template, by: F.member, now: F.now) } == "minutes.meetingNotHeld")
        let (held, _, minutes) = try Self.held()
        #expect(minutes.heading(.attendance) == "Anwesenheit" && minutes.template == held.template && minutes.approval.stage == .draft)
        let other = MeetingTemplate(id: F.template.id, version: 2, content: F.template.content, createdBy: F.adminID, createdAt: F.now)
        #expect(F.code { try MinutesRules.open(for: held, template: other, by: F.member, now: F.now) } == "minutes.templateMismatch")
        #expect(F.code { try MinutesRules.open(for: held, template: F.template, by: F.observer, now: F.now) } == "forbidden")
    }

    @Test("Who writes the minutes", arguments: [
        (F.coordinator, nil), (F.member, nil), (F.admin, nil), (F.observer, "forbidden"), (F.outsider, "meeting.notFound"),
        (Principal.anonymous, "auth.required"),
    ] as [(Principal, String?)])
    func writers(actor: Principal, code: String?) throws {
        let context = try Self.held()
        #expect(F.code { try MinutesRules.save(.openPoints("Finanzierung klären"), baseVersion: 0, to: context.2, of: context.0, agenda: context.1,
                                               by: actor, now: Self.noon) } == code)
    }

    @Test("Five people writing different sections at once: every save lands, nothing is lost")
    func fiveWriters() throws {
        let context = try Self.held()
        // Each client read the minutes at version 0 of its section and saves in turn on the current state.
        let edits: [(Principal, MinutesEdit)] = [
            (F.coordinator, .notes(Self.a, "A: Bericht der Fachstelle.")),
            (F.member, .notes(Self.b, "B: Diskussion über Schulen.")),
            (F.secondMember, .decision(MeetingDecision(id: MeetingDecisionID(F.uuid(800)), agendaItemID: Self.b, text: "Konzept wird erarbeitet."))),
            (F.admin, .attendance(AttendanceEntry(person: .member(F.memberID), name: "Jörg Müller", status: .present, publicationConsent: true))),
            (F.member, .openPoints("Finanzierung offen.")),
        ]
        var minutes = context.2
        var sections: [MinutesSection] = []
        for (actor, edit) in edits {
            let (next, events) = try #require(try MinutesRules.save(edit, baseVersion: 0, to: minutes, of: context.0, agenda: context.1, by: actor, now: Self.noon))
            guard case .minutesSaved(_, let section) = events.first else { Issue.record("no event"); continue }
            sections.append(section)
            minutes = next
        }
        #expect(sections.map(\.description) == ["notes:\(Self.a)", "notes:\(Self.b)", "decision:\(F.uuid(800).uuidString.lowercased())",
                                                 "attendance:member:\(F.memberID)", "openPoints"])
        #expect(minutes.notes[Self.a]?.value == "A: Bericht der Fachstelle." && minutes.notes[Self.b]?.value == "B: Diskussion über Schulen.")
        #expect(minutes.decisions.count == 1 && minutes.attendance.count == 1 && minutes.openPoints.value == "Finanzierung offen.")
        #expect(minutes.notes[Self.a]?.updatedBy == F.coordinatorID && minutes.notes[Self.a]?.version == 1)
    }

    @Test("A stale save of the same section is a conflict naming it; the writer merges and saves again; no text is lost")
    func conflict() throws {
        let context = try Self.held()
        let first = try Self.save(.notes(Self.a, "Die Fachstelle berichtet."), base: 0, to: context.2, by: F.coordinator, context: context)
        do {
            _ = try MinutesRules.save(.notes(Self.a, "Frau Demir ergänzt."), baseVersion: 0, to: first, of: context.0, agenda: context.1,
                                      by: F.secondMember, now: Self.noon)
            Issue.record("a stale save overwrote text")
        } catch {
            #expect(error.kind == .conflict && error.code == "minutes.editConflict")
            #expect(error.fields == [FieldIssue(field: "notes:\(Self.a)", code: "conflict", message: "Changed by someone else since you opened it.")])
        }
        #expect(first.notes[Self.a]?.value == "Die Fachstelle berichtet.")
        let merged = try Self.save(.notes(Self.a, "Die Fachstelle berichtet.\nFrau Demir ergänzt."), base: 1, to: first, by: F.secondMember, context: context)
        #expect(merged.notes[Self.a]?.value == "Die Fachstelle berichtet.\nFrau Demir ergänzt." && merged.notes[Self.a]?.version == 2)
        #expect(try MinutesRules.save(.notes(Self.a, "Die Fachstelle berichtet.\nFrau Demir ergänzt.  "), baseVersion: 1, to: merged, of: context.0,
                                      agenda: context.1, by: F.member, now: Self.noon) == nil, "a stale save of the very same text is no conflict")
    }

    @Test("Decisions and action items: added at version 0, changed on their version, removed deliberately")
    func entries() throws {
        let context = try Self.held()
        let id = MeetingDecisionID(F.uuid(800))
        var minutes = try Self.save(.decision(MeetingDecision(id: id, agendaItemID: Self.a, text: "Zustimmung", votes: Votes(inFavour: 7, against: 1, abstentions: 2))),
                                    base: 0, to: context.2, context: context)
        #expect(F.code { try MinutesRules.save(.decision(MeetingDecision(id: id, text: "Doppelt")), baseVersion: 0, to: minutes, of: context.0,
                                               agenda: context.1, by: F.member, now: Self.noon) } == "minutes.editConflict", "the same id twice")
        minutes = try Self.save(.decision(MeetingDecision(id: id, agendaItemID: Self.a, text: "Einstimmige Zustimmung")), base: 1, to: minutes, context: context)
        #expect(F.code { try MinutesRules.save(.remove(.decision(id)), baseVersion: 1, to: minutes, of: context.0, agenda: context.1, by: F.member,
                                               now: Self.noon) } == "minutes.editConflict", "removing what one has not seen")
        minutes = try Self.save(.remove(.decision(id)), base: 2, to: minutes, context: context)
        #expect(minutes.decisions.isEmpty)
        #expect(try MinutesRules.save(.remove(.decision(id)), baseVersion: 2, to: minutes, of: context.0, agenda: context.1, by: F.member,
                                      now: Self.noon) == nil, "already gone")
        #expect(F.code { try MinutesRules.save(.remove(.openPoints), baseVersion: 0, to: minutes, of: context.0, agenda: context.1, by: F.member,
                                               now: Self.noon) } == "validation.failed")
    }

    @Test("Validation of entries", arguments: [
        (MinutesEdit.notes(AgendaItemID(F.uuid(999)), "x"), "notes:\(F.uuid(999).uuidString.lowercased())"),
        (.decision(MeetingDecision(id: MeetingDecisionID(F.uuid(801)), text: "  ")), "decision:\(F.uuid(801).uuidString.lowercased()).text"),
        (.decision(MeetingDecision(id: MeetingDecisionID(F.uuid(802)), text: "ok", votes: Votes(inFavour: -1, against: 0, abstentions: 0))),
         "decision:\(F.uuid(802).uuidString.lowercased()).votes"),
        (.actionItem(ActionItem(id: ActionItemID(F.uuid(803)), agendaItemID: AgendaItemID(F.uuid(998)), text: "Tun", owner: ActionOwner(name: "Träger"))),
         "actionItem:\(F.uuid(803).uuidString.lowercased()).agendaItemId"),
        (.attendance(AttendanceEntry(person: F.guestKey, name: "", status: .present)), "attendance:\(F.guestKey).name"),
    ] as [(MinutesEdit, String)])
    func validation(edit: MinutesEdit, field: String) throws {
        let context = try Self.held()
        do {
            _ = try MinutesRules.save(edit, baseVersion: 0, to: context.2, of: context.0, agenda: context.1, by: F.member, now: Self.noon)
            Issue.record("accepted")
        } catch {
            #expect(error.fields.map(\.field) == [field])
        }
    }

    @Test("An action item's status is tracked apart from its text: owners and coordinators set it, a text edit keeps it")
    func actionStatus() throws {
        let context = try Self.held()
        let id = ActionItemID(F.uuid(810))
        let item = ActionItem(id: id, agendaItemID: Self.b, text: "Konzept entwerfen", owner: ActionOwner(userID: F.memberID, name: "Jörg Müller"),
                              due: LocalDate(year: 2026, month: 5, day: 31))
        var minutes = try Self.save(.actionItem(item), base: 0, to: context.2, context: context)
        #expect(F.code { try MinutesRules.setStatus(.done, of: id, in: minutes, by: F.secondMember, now: Self.noon) } == "forbidden")
        minutes = try #require(try MinutesRules.setStatus(.done, of: id, in: minutes, by: F.member, now: Self.noon)).0
        #expect(minutes.actionItems[0].value.status == .done && minutes.actionItems[0].version == 1, "a status change is not a text change")
        var edited = item
        edited.text = "Konzept entwerfen und abstimmen"
        edited.status = .open
        minutes = try Self.save(.actionItem(edited), base: 1, to: minutes, by: F.coordinator, context: context)
        #expect(minutes.actionItems[0].value.status == .done && minutes.actionItems[0].value.text == "Konzept entwerfen und abstimmen")
        #expect(try MinutesRules.setStatus(.done, of: id, in: minutes, by: F.coordinator, now: Self.noon) == nil)
    }

    @Test("The workspace's action list: overdue first, then by due date; done ones only on request")
    func actionList() throws {
        let context = try Self.held()
        var minutes = context.2
        let items: [(Int, String, LocalDate?)] = [(820, "Ohne Datum", nil), (821, "Bald", LocalDate("2026-06-30")), (822, "Überfällig", LocalDate("2026-05-01")),
                                                  (823, "Lange überfällig", LocalDate("2026-04-20")), (824, "Erledigt", LocalDate("2026-04-01"))]
        for (n, text, due) in items {
            minutes = try Self.save(.actionItem(ActionItem(id: ActionItemID(F.uuid(n)), text: text, owner: ActionOwner(name: "Fachdienst"), due: due)),
                                    base: 0, to: minutes, context: context)
        }
        minutes = try #require(try MinutesRules.setStatus(.done, of: ActionItemID(F.uuid(824)), in: minutes, by: F.coordinator, now: Self.noon)).0
        let today = LocalDate("2026-05-15")!
        let list = ActionList.build([(meeting: context.0, minutes: minutes)], today: today)
        #expect(list.map(\.item.text) == ["Lange überfällig", "Überfällig", "Bald", "Ohne Datum"])
        #expect(list.map(\.isOverdue) == [true, true, false, false])
        #expect(ActionList.build([(meeting: context.0, minutes: minutes)], today: today, includeClosed: true).last?.item.text == "Erledigt")
        #expect(!ActionItem(id: ActionItemID(F.uuid(1)), text: "x", owner: ActionOwner(name: "y"), due: today).isOverdue(today: today), "due today is not overdue")
    }
}
