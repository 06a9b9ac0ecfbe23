import Foundation
import HubCore
import Testing

/// The meeting lifecycle: who plans, which changes raise SEQUENCE and whom they notify, and
/// the answers invitees give.
@Suite("Meetings: lifecycle, invitations and answers")
struct MeetingRulesTests {
    typealias F = MeetingFixtures

    static func with(_ status: MeetingStatus) -> Meeting {
        var m = F.planned().0
        m.status = status
        return m
    }

    /// "REQUEST update seq1 → 3" for each calendar message among the events.
    static func dispatches(_ events: [MeetingEvent]) -> [String] {
        events.compactMap {
            guard case .calendarMessage(let d, _) = $0 else { return nil }
            return "\(d.method.rawValue) \(d.reason.rawValue) seq\(d.sequence) → \(d.recipients.count)"
        }
    }

    @Test("Who may plan a meeting", arguments: [
        (F.admin, nil), (F.coordinator, nil), (F.member, "forbidden"), (F.observer, "forbidden"), (F.outsider, "forbidden"),
        (Principal.anonymous, "auth.required"),
    ] as [(Principal, String?)])
    func createPermission(actor: Principal, code: String?) {
        #expect(F.code {
            try MeetingRules.create(F.draft, id: MeetingID(F.uuid(100)), template: F.template, in: F.workspace, by: actor, newID: F.ids(), now: F.now,
                                    today: F.today)
        } == code)
    }

    @Test("A new meeting is planned, records its template version, starts its agenda from the skeleton and normalizes invitees")
    func create() throws {
        var draft = F.draft
        draft.invitees.append(Invitee(key: .guest(" ERIKA.beispiel@traeger.example "), name: "Doppelt"))
        let (meeting, agenda, events) = try MeetingRules.create(draft, id: MeetingID(F.uuid(100)), template: F.template, in: F.workspace,
                                                                by: F.coordinator, newID: F.ids(), now: F.now, today: F.today)
        #expect(meeting.status == .planned && meeting.sequence == 0 && meeting.version == 1)
        #expect(meeting.template == TemplateRef(id: F.template.id, version: 1))
        #expect(meeting.organizerID == F.coordinatorID)
        #expect(meeting.invitees.map(\.key) == [.member(F.coordinatorID), .member(F.memberID), F.guestKey], "lower-cased, listed once")
        #expect(agenda.items.map(\.standard) == [.welcome, .approvalOfMinutes, .reports, .topics, .anyOtherBusiness])
        #expect(agenda.items.map(\.id.uuid) == (1001...1005).map(F.uuid), "ids come from the injected generator")
        #expect(events == [.meetingCreated(meeting), .agendaChanged(agenda)])
        #expect(events.map(\.workspaceID) == [F.wsID, F.wsID])
    }

    @Test("Validation names every field", arguments: [
        (MeetingPatch(title: "ab"), ["title:length"]),
        (MeetingPatch(start: F.local(2026, 4, 14, 19, 0), end: F.local(2026, 4, 14, 17, 0)), ["end:beforeStart"]),
        (MeetingPatch(start: F.local(2026, 3, 29, 2, 30), end: F.local(2026, 3, 29, 4, 0)), ["start:nonexistentTime"]),
        (MeetingPatch(end: F.local(2026, 4, 15, 6, 1)), ["end:tooLong"]),
        (MeetingPatch(start: F.local(2101, 4, 14, 17, 0), end: F.local(2101, 4, 14, 19, 0)), ["start:outOfRange"]),
        (MeetingPatch(onlineURL: .some("http://video.kreis.example/raum")), ["onlineUrl:invalid"]),
        (MeetingPatch(onlineURL: .some("javascript:alert(1)")), ["onlineUrl:invalid"]),
        (MeetingPatch(place: .some("Raum\u{0007}1")), ["place:invalid"]),
        (MeetingPatch(invitees: [Invitee(key: .guest("keine-adresse"))]), ["invitees[0]:invalidEmail"]),
        (MeetingPatch(invitees: [Invitee(key: .guest("a;b@traeger.example"))]), ["invitees[0]:invalidEmail"]),
        (MeetingPatch(title: "  Sitzung\t 3/2026 ", place: .some(nil), onlineURL: .some(nil)), []),
    ])
    func validation(patch: MeetingPatch, expected: [String]) {
        let (meeting, _) = F.planned()
        do {
            let update = try MeetingRules.update(meeting, with: patch, expectedVersion: 1, in: F.workspace, by: F.coordinator, now: F.now, today: F.today)
            #expect(expected.isEmpty)
            if let update, patch.title != nil { #expect(update.meeting.title == "Sitzung 3/2026") }
        } catch {
            #expect(error.fields.map { "\($0.field):\($0.code)" } == expected)
        }
    }

    @Test("Lifecycle: which step is possible from which status", arguments: MeetingStatus.allCases)
    func lifecycle(status: MeetingStatus) {
        let meeting = Self.with(status)
        let started = F.at(2026, 4, 14, 17, 0)
        let invite = F.code { try MeetingRules.invite(meeting, expectedVersion: 1, in: F.workspace, by: F.coordinator, now: F.now, today: F.today) }
        let cancel = F.code { try MeetingRules.cancel(meeting, reason: "", expectedVersion: 1, in: F.workspace, by: F.coordinator, now: F.now, today: F.today) }
        let held = F.code { try MeetingRules.markHeld(meeting, by: F.coordinator, now: started) }
        let publish = F.code { try MeetingRules.publish(meeting, by: F.coordinator, now: started) }
        let edit = F.code { try MeetingRules.update(meeting, with: MeetingPatch(title: "Neuer Titel"), expectedVersion: 1, in: F.workspace,
                                                    by: F.coordinator, now: F.now, today: F.today) }
        let expected: [MeetingStatus: [String?]] = [
            .planned: [nil, nil, nil, "meeting.minutesNotApproved", nil],
            .invited: ["meeting.notPlanned", nil, nil, "meeting.minutesNotApproved", nil],
            .held: ["meeting.notPlanned", "meeting.cannotCancel", "meeting.cannotHold", "meeting.minutesNotApproved", "meeting.notEditable"],
            .minutesApproved: ["meeting.notPlanned", "meeting.cannotCancel", "meeting.cannotHold", nil, "meeting.notEditable"],
            .published: ["meeting.notPlanned", "meeting.cannotCancel", "meeting.cannotHold", "meeting.minutesNotApproved", "meeting.notEditable"],
            .cancelled: ["meeting.notPlanned", "meeting.cannotCancel", "meeting.cannotHold", "meeting.minutesNotApproved", "meeting.notEditable"],
        ]
        #expect([invite, cancel, held, publish, edit] == expected[status]!)
    }

    @Test("Inviting needs invitees, a place or link, and a future start; it sends SEQUENCE 0 to everyone")
    func invite() throws {
        var empty = F.draft
        (empty.invitees, empty.place, empty.onlineURL) = ([], nil, nil)
        let (bare, _) = F.planned(empty)
        let refused = F.code { try MeetingRules.invite(bare, expectedVersion: 1, in: F.workspace, by: F.coordinator, now: F.at(2026, 4, 14, 17, 0), today: F.today) }
        #expect(refused == "validation.failed")
        do {
            _ = try MeetingRules.invite(bare, expectedVersion: 1, in: F.workspace, by: F.coordinator, now: F.at(2026, 4, 14, 17, 0), today: F.today)
        } catch {
            #expect(error.fields.map { "\($0.field):\($0.code)" } == ["invitees:required", "place:required", "start:inPast"])
        }
        let (meeting, events) = try MeetingRules.invite(F.planned().0, expectedVersion: 1, in: F.workspace, by: F.coordinator, now: F.now, today: F.today)
        #expect(meeting.status == .invited && meeting.invitedAt == F.now && meeting.sequence == 0 && meeting.version == 2)
        #expect(Self.dispatches(events) == ["REQUEST invitation seq0 → 3"])
        #expect(F.code { try MeetingRules.invite(F.planned().0, expectedVersion: 7, in: F.workspace, by: F.coordinator, now: F.now, today: F.today) }
                == "version.conflict")
    }

    @Test("After the invitation, changes that matter raise SEQUENCE and notify; the rest do not", arguments: [
        (MeetingPatch(title: "Fachbeirat Sucht: Sondersitzung"), 1, [MeetingChange.retitled], ["REQUEST update seq1 → 3"], false),
        (MeetingPatch(start: F.local(2026, 4, 14, 18, 0), end: F.local(2026, 4, 14, 20, 0)), 1, [.rescheduled], ["REQUEST update seq1 → 3"], true),
        (MeetingPatch(place: .some("Rathaus Musterstadt")), 1, [.relocated], ["REQUEST update seq1 → 3"], false),
        (MeetingPatch(onlineURL: .some(nil)), 1, [.relocated], ["REQUEST update seq1 → 3"], false),
        (MeetingPatch(description: "Bitte Unterlagen lesen."), 0, [.described], [], false),
        (MeetingPatch(invitees: F.draft.invitees + [Invitee(key: .member(F.secondMemberID))]), 0, [.inviteesChanged], ["REQUEST added seq0 → 1"], false),
        (MeetingPatch(invitees: Array(F.draft.invitees.prefix(2))), 1, [.inviteesChanged], ["CANCEL removed seq1 → 1"], false),
        (MeetingPatch(title: "Neu", invitees: Array(F.draft.invitees.prefix(2))), 1, [.retitled, .inviteesChanged],
         ["REQUEST update seq1 → 2", "CANCEL removed seq1 → 1"], false),
    ])
    func sequence(patch: MeetingPatch, sequence: Int, changes: [MeetingChange], messages: [String], reset: Bool) throws {
        let meeting = F.invited()
        let update = try #require(try MeetingRules.update(meeting, with: patch, expectedVersion: meeting.version, in: F.workspace, by: F.coordinator,
                                                          now: F.now, today: F.today))
        #expect(update.meeting.sequence == sequence)
        #expect(update.changes == changes)
        #expect(Self.dispatches(update.events) == messages)
        #expect(update.resetResponses == reset)
        #expect(update.events.contains(.responsesReset(.meeting(meeting.id), workspace: F.wsID)) == reset)
        #expect(update.meeting.scheduleSequence == (reset ? 1 : 0))
    }

    @Test("Before the invitation nothing is sent and SEQUENCE stays 0; an unchanged patch is no change at all")
    func plannedChanges() throws {
        let (meeting, _) = F.planned()
        let update = try #require(try MeetingRules.update(meeting, with: MeetingPatch(start: F.local(2026, 4, 15, 17, 0), end: F.local(2026, 4, 15, 19, 0)),
                                                          expectedVersion: 1, in: F.workspace, by: F.coordinator, now: F.now, today: F.today))
        #expect(update.meeting.sequence == 0 && Self.dispatches(update.events).isEmpty && !update.resetResponses && update.meeting.version == 2)
        #expect(try MeetingRules.update(meeting, with: MeetingPatch(title: " Fachbeirat Sucht: Sitzung 2/2026 "), expectedVersion: 1, in: F.workspace,
                                        by: F.coordinator, now: F.now, today: F.today) == nil)
    }

    @Test("An invited meeting cannot move into the past or lose both place and link")
    func invitedGuards() {
        let meeting = F.invited()
        #expect(F.code { try MeetingRules.update(meeting, with: MeetingPatch(start: F.local(2026, 3, 19, 17, 0), end: F.local(2026, 3, 19, 19, 0)),
                                                 expectedVersion: 2, in: F.workspace, by: F.coordinator, now: F.now, today: F.today) } == "validation.failed")
        #expect(F.code { try MeetingRules.update(meeting, with: MeetingPatch(place: .some(nil), onlineURL: .some(nil)), expectedVersion: 2, in: F.workspace,
                                                 by: F.coordinator, now: F.now, today: F.today) } == "validation.failed")
    }

    @Test("Cancelling: an invited meeting sends CANCEL with SEQUENCE + 1 to all; a planned one sends nothing")
    func cancel() throws {
        let (invited, events) = try MeetingRules.cancel(F.invited(), reason: "  Krankheit  ", expectedVersion: 2, in: F.workspace, by: F.coordinator,
                                                        now: F.now, today: F.today)
        #expect(invited.status == .cancelled && invited.sequence == 1 && invited.cancellationReason == "Krankheit")
        #expect(Self.dispatches(events) == ["CANCEL cancellation seq1 → 3"])
        let (planned, quiet) = try MeetingRules.cancel(F.planned().0, reason: "", expectedVersion: 1, in: F.workspace, by: F.coordinator,
                                                       now: F.now, today: F.today)
        #expect(planned.sequence == 0 && planned.cancellationReason == nil && Self.dispatches(quiet).isEmpty)
    }

    @Test("Marking held is possible from an hour before the start; publishing needs approved minutes")
    func heldAndPublished() throws {
        let meeting = F.invited()
        #expect(F.code { try MeetingRules.markHeld(meeting, by: F.coordinator, now: F.at(2026, 4, 14, 15, 59)) } == "meeting.tooEarly")
        let (held, _) = try MeetingRules.markHeld(meeting, by: F.coordinator, now: F.at(2026, 4, 14, 16, 0))
        #expect(held.status == .held && held.heldAt == F.at(2026, 4, 14, 16, 0))
        #expect(F.code { try MeetingRules.markHeld(meeting, by: F.member, now: F.at(2026, 4, 14, 17, 0)) } == "forbidden")
        #expect(F.code { try MeetingRules.markHeld(meeting, by: F.outsider, now: F.at(2026, 4, 14, 17, 0)) } == "meeting.notFound")
        var approved = held
        approved.status = .minutesApproved
        let (published, events) = try MeetingRules.publish(approved, by: F.coordinator, now: F.at(2026, 5, 10, 9, 0))
        #expect(published.status == .published && published.publishedAt == F.at(2026, 5, 10, 9, 0) && events == [.meetingStatusChanged(published)])
    }

    @Test("Archived workspaces take no new meetings")
    func archived() {
        var archived = F.workspace
        archived.archived = true
        #expect(F.code { try MeetingRules.create(F.draft, id: MeetingID(F.uuid(100)), template: F.template, in: archived, by: F.coordinator,
                                                 newID: F.ids(), now: F.now, today: F.today) } == "workspace.archived")
    }

    // MARK: Answers

    @Test("Answers: members for themselves when signed in, anyone invited with their link", arguments: [
        (InviteeKey.member(F.memberID), RSVPAuthority.principal(F.member), nil),
        (.member(F.memberID), .principal(F.secondMember), "forbidden"),
        (.member(F.memberID), .principal(.anonymous), "auth.required"),
        (F.guestKey, .principal(F.coordinator), "forbidden"),
        (F.guestKey, .token(RSVPTokenClaims(target: .meeting(MeetingID(F.uuid(100))), invitee: F.guestKey, sequence: 0)), nil),
        (F.guestKey, .token(RSVPTokenClaims(target: .meeting(MeetingID(F.uuid(999))), invitee: F.guestKey, sequence: 0)), "forbidden"),
        (F.guestKey, .token(RSVPTokenClaims(target: .meeting(MeetingID(F.uuid(100))), invitee: .member(F.memberID), sequence: 0)), "forbidden"),
        (.member(F.outsiderID), .principal(F.outsider), "invitation.notFound"),
    ] as [(InviteeKey, RSVPAuthority, String?)])
    func answerAuthority(invitee: InviteeKey, authority: RSVPAuthority, code: String?) {
        #expect(F.code { try MeetingRules.respond(.accepted, to: F.invited(), as: invitee, authority: authority, responses: [], now: F.now) } == code)
    }

    @Test("The tally counts each invitee's latest answer; changing one's mind replaces it")
    func tally() throws {
        let meeting = F.invited()
        let (first, _) = try MeetingRules.respond(.accepted, to: meeting, as: .member(F.memberID), authority: .principal(F.member), responses: [], now: F.now)
        let (guest, _) = try MeetingRules.respond(.declined, to: meeting, as: F.guestKey,
                                                  authority: .token(RSVPTokenClaims(target: .meeting(meeting.id), invitee: F.guestKey, sequence: 0)),
                                                  responses: [first], now: F.now)
        let (again, events) = try MeetingRules.respond(.tentative, to: meeting, as: .member(F.memberID), authority: .principal(F.member),
                                                       responses: [first, guest], now: F.now.addingTimeInterval(60))
        guard case .rsvpRecorded(let rsvp, let workspace, let tally) = events.first else { Issue.record("no event"); return }
        #expect(rsvp == again && workspace == F.wsID)
        #expect(tally == RSVPTally(invitees: meeting.invitees, responses: [guest, again]))
        #expect((tally.accepted, tally.tentative, tally.declined, tally.pending) == (0, 1, 1, 1))
    }

    @Test("A link from before the last change of time is outdated; after other changes it still works")
    func outdatedLinks() throws {
        var meeting = F.invited()
        let token = { (seq: Int) in RSVPAuthority.token(RSVPTokenClaims(target: .meeting(meeting.id), invitee: F.guestKey, sequence: seq)) }
        meeting = try #require(try MeetingRules.update(meeting, with: MeetingPatch(title: "Neuer Titel"), expectedVersion: meeting.version, in: F.workspace,
                                                       by: F.coordinator, now: F.now, today: F.today)).meeting
        #expect(F.code { try MeetingRules.respond(.accepted, to: meeting, as: F.guestKey, authority: token(0), responses: [], now: F.now) } == nil)
        meeting = try #require(try MeetingRules.update(meeting, with: MeetingPatch(start: F.local(2026, 4, 14, 18, 0), end: F.local(2026, 4, 14, 20, 0)),
                                                       expectedVersion: meeting.version, in: F.workspace, by: F.coordinator, now: F.now, today: F.today)).meeting
        #expect(meeting.sequence == 2 && meeting.scheduleSequence == 2)
        #expect(F.code { try MeetingRules.respond(.accepted, to: meeting, as: F.guestKey, authority: token(1), responses: [], now: F.now) } == "rsvp.outdated")
        #expect(F.code { try MeetingRules.respond(.accepted, to: meeting, as: F.guestKey, authority: token(2), responses: [], now: F.now) } == nil)
    }

    @Test("Answers are taken only while the invitation is open", arguments: [
        (MeetingStatus.planned, F.now, "rsvp.closed"), (.invited, F.now, nil), (.invited, F.at(2026, 4, 14, 19, 0), "rsvp.closed"),
        (.cancelled, F.now, "rsvp.closed"), (.held, F.now, "rsvp.closed"),
    ] as [(MeetingStatus, Date, String?)])
    func answersWindow(status: MeetingStatus, now: Date, code: String?) {
        #expect(F.code { try MeetingRules.respond(.accepted, to: Self.with(status), as: .member(F.memberID), authority: .principal(F.member),
                                                  responses: [], now: now) } == code)
    }
}
