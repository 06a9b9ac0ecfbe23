import Foundation
import HubCore
import Testing

/// Approving minutes: circulation with an objection deadline, objections and answers, approval
/// by the coordinator or by the deadline passing quietly, the frozen text and its hash.
@Suite("Meetings: approving minutes")
struct MeetingApprovalTests {
    typealias F = MeetingFixtures
    typealias M = MeetingMinutesTests

    /// Circulated on Wednesday 15 April 2026, 10:00; the default deadline is 29 April.
    static let circulatedAt = F.at(2026, 4, 15, 10, 0)
    static let deadline = LocalDate(year: 2026, month: 4, day: 29)!

    /// Minutes with attendance (coordinator and member present, the guest present with link,
    /// the second member excused), notes on a public and a non-public item, a decision and an
    /// action item.
    static func draft() throws -> (Meeting, Agenda, Minutes) {
        var context = try M.held()
        context.1.items[3].children[1].isPublic = false
        var minutes = context.2
        let edits: [MinutesEdit] = [
            .attendance(AttendanceEntry(person: .member(F.coordinatorID), name: "Jana Koordinatorin", organization: "Kreis", status: .present,
                                        publicationConsent: true)),
            .attendance(AttendanceEntry(person: .member(F.memberID), name: "Jörg Müller", organization: "Gemeinde Musterdorf", status: .present)),
            .attendance(AttendanceEntry(person: F.guestKey, name: "Erika Beispiel", organization: "Caritas", status: .present, publicationConsent: true)),
            .attendance(AttendanceEntry(person: .member(F.secondMemberID), name: "Aylin Demir", status: .excused)),
            .notes(M.a, "Die Fachstelle berichtet über Angebote an Schulen."),
            .notes(M.b, "Personalfrage vertraulich besprochen."),
            .decision(MeetingDecision(id: MeetingDecisionID(F.uuid(800)), agendaItemID: M.a, text: "Ein Konzept wird erarbeitet.",
                                      votes: Votes(inFavour: 7, against: 0, abstentions: 1))),
            .decision(MeetingDecision(id: MeetingDecisionID(F.uuid(801)), agendaItemID: M.b, text: "Stelle wird ausgeschrieben.")),
            .actionItem(ActionItem(id: ActionItemID(F.uuid(810)), agendaItemID: M.a, text: "Konzeptentwurf vorlegen",
                                   owner: ActionOwner(userID: F.memberID, name: "Jörg Müller"), due: LocalDate(year: 2026, month: 6, day: 30))),
            .openPoints("Finanzierung ab 2027"),
        ]
        for edit in edits { minutes = try M.save(edit, base: 0, to: minutes, by: F.coordinator, context: context) }
        return (context.0, context.1, minutes)
    }

    static func circulated() throws -> (Meeting, Agenda, Minutes) {
        let (meeting, agenda, minutes) = try draft()
        let (next, _) = try MinutesApprovalRules.circulate(minutes, of: meeting, by: F.coordinator, now: circulatedAt)
        return (meeting, agenda, next)
    }

    static func object(_ text: String, in minutes: Minutes, as authority: ObjectorAuthority, id: Int = 900, at now: Date = F.at(2026, 4, 20, 9, 0))
        throws -> Minutes {
        try MinutesApprovalRules.object(text, to: .notes(M.a), in: minutes, id: ObjectionID(F.uuid(id)), authority: authority, now: now).0
    }

    @Test("Circulating: the coordinator sends the draft with a deadline 14 days ahead to invitees and everyone recorded")
    func circulate() throws {
        let (meeting, _, minutes) = try Self.draft()
        let (next, events) = try MinutesApprovalRules.circulate(minutes, of: meeting, by: F.coordinator, now: Self.circulatedAt)
        #expect(next.approval.stage == .circulated && next.approval.deadline == Self.deadline && next.approval.round == 1)
        #expect(next.approval.circulatedBy == F.coordinatorID)
        #expect(events == [.minutesCirculated(next, recipients: [.member(F.coordinatorID), .member(F.memberID), F.guestKey, .member(F.secondMemberID)])])
        #expect(F.code { try MinutesApprovalRules.circulate(minutes, of: meeting, deadline: LocalDate("2026-04-16"), by: F.coordinator,
                                                            now: Self.circulatedAt) } == "validation.failed", "at least three days")
        #expect(F.code { try MinutesApprovalRules.circulate(next, of: meeting, by: F.coordinator, now: Self.circulatedAt) } == "minutes.notDraft")
        let (_, _, empty) = try M.held()
        #expect(F.code { try MinutesApprovalRules.circulate(empty, of: meeting, by: F.coordinator, now: Self.circulatedAt) } == "validation.failed",
                "nobody recorded as present")
    }

    @Test("Who may circulate, answer and approve", arguments: [
        (F.coordinator, nil), (F.admin, nil), (F.member, "forbidden"), (F.observer, "forbidden"), (F.outsider, "minutes.notFound"),
        (Principal.anonymous, "auth.required"),
    ] as [(Principal, String?)])
    func managers(actor: Principal, code: String?) throws {
        let (meeting, agenda, minutes) = try Self.draft()
        #expect(F.code { try MinutesApprovalRules.circulate(minutes, of: meeting, by: actor, now: Self.circulatedAt) } == code)
        let (_, _, circulated) = try Self.circulated()
        let objected = try Self.object("Bitte präzisieren.", in: circulated, as: .principal(F.member))
        #expect(F.code { try MinutesApprovalRules.answer(ObjectionID(F.uuid(900)), in: objected, text: "Präzisiert.", resolution: .accepted, by: actor,
                                                         now: F.at(2026, 4, 21, 9, 0)) } == code)
        let after = F.at(2026, 4, 30, 9, 0)
        #expect(F.code { try MinutesApprovalRules.approve(circulated, of: meeting, agenda: agenda, by: actor, now: after) } == code)
    }

    @Test("Who may object: people recorded as present, members signed in or guests with their link", arguments: [
        (ObjectorAuthority.principal(F.member), nil),
        (.principal(F.coordinator), nil),
        (.link(meetingID: MeetingID(F.uuid(100)), person: F.guestKey), nil),
        (.principal(F.secondMember), "minutes.notAttendee"),
        (.principal(F.outsider), "minutes.notAttendee"),
        (.link(meetingID: MeetingID(F.uuid(999)), person: F.guestKey), "forbidden"),
        (.principal(.anonymous), "auth.required"),
    ] as [(ObjectorAuthority, String?)])
    func objectors(authority: ObjectorAuthority, code: String?) throws {
        let (_, _, minutes) = try Self.circulated()
        #expect(F.code { try Self.object("Das war anders.", in: minutes, as: authority) } == code)
    }

    @Test("Objections are taken until the end of the deadline day, Berlin time")
    func objectionDeadline() throws {
        let (_, _, minutes) = try Self.circulated()
        #expect(F.code { try Self.object("Knapp.", in: minutes, as: .principal(F.member), at: F.at(2026, 4, 29, 23, 59)) } == nil)
        #expect(F.code { try Self.object("Zu spät.", in: minutes, as: .principal(F.member), at: F.at(2026, 4, 30, 0, 0)) } == "minutes.deadlinePassed")
        #expect(F.code { try Self.object(" ", in: minutes, as: .principal(F.member)) } == "validation.failed")
        let (_, _, draft) = try Self.draft()
        #expect(F.code { try Self.object("Zu früh.", in: draft, as: .principal(F.member)) } == "minutes.notCirculated")
    }

    @Test("Approval by the coordinator: not before the deadline, not with open objections; then frozen with a hash")
    func approve() throws {
        let (meeting, agenda, circulated) = try Self.circulated()
        var minutes = try Self.object("Die Zahl der Angebote war 12, nicht 21.", in: circulated, as: .principal(F.member))
        #expect(F.code { try MinutesApprovalRules.approve(minutes, of: meeting, agenda: agenda, by: F.coordinator, now: F.at(2026, 4, 29, 18, 0)) }
                == "minutes.deadlineNotReached")
        #expect(F.code { try MinutesApprovalRules.approve(minutes, of: meeting, agenda: agenda, by: F.coordinator, now: F.at(2026, 4, 30, 9, 0)) }
                == "minutes.openObjections")
        // The coordinator corrects the text (allowed while circulating) and answers.
        minutes = try M.save(.notes(M.a, "Die Fachstelle berichtet über 12 Angebote an Schulen."), base: 1, to: minutes, by: F.coordinator,
                             context: (meeting, agenda, minutes))
        #expect(F.code { try M.save(.openPoints("Noch etwas"), base: 1, to: minutes, by: F.member, context: (meeting, agenda, minutes)) }
                == "minutes.circulated", "members object instead of editing")
        let (answered, events) = try MinutesApprovalRules.answer(ObjectionID(F.uuid(900)), in: minutes, text: "Korrigiert.", resolution: .accepted,
                                                                 by: F.coordinator, now: F.at(2026, 4, 21, 9, 0))
        #expect(answered.objections[0].state == .answered && events.count == 1)
        let approvedAt = F.at(2026, 4, 30, 9, 0)
        let (approved, approvedMeeting, approvalEvents) = try MinutesApprovalRules.approve(answered, of: meeting, agenda: agenda, by: F.coordinator,
                                                                                           now: approvedAt)
        #expect(approved.approval.stage == .approved && approved.approval.approvedBy == F.coordinatorID && !approved.approval.deemedApproved)
        #expect(approved.approval.approvedAt == approvedAt && approvedMeeting.status == .minutesApproved)
        #expect(approved.approval.contentHash == ContentHash.sha256Hex(MinutesDocument.canonicalText(answered, meeting: meeting, agenda: agenda)))
        #expect(approvalEvents == [.minutesApproved(approved, deemed: false), .meetingStatusChanged(approvedMeeting)])
        #expect(MinutesApprovalRules.verify(approved, meeting: approvedMeeting, agenda: agenda))
        // Frozen: no more text, but action items are still tracked.
        #expect(F.code { try M.save(.openPoints("Nachtrag"), base: 1, to: approved, by: F.coordinator, context: (approvedMeeting, agenda, approved)) }
                == "minutes.frozen")
        let done = try #require(try MinutesRules.setStatus(.done, of: ActionItemID(F.uuid(810)), in: approved, by: F.member, now: approvedAt))
        #expect(MinutesApprovalRules.verify(done.0, meeting: approvedMeeting, agenda: agenda), "the status is not part of the approved text")
        var tampered = approved
        tampered.openPoints.value = "Geändert"
        #expect(!MinutesApprovalRules.verify(tampered, meeting: approvedMeeting, agenda: agenda))
        let (published, _) = try MeetingRules.publish(approvedMeeting, by: F.coordinator, now: approvedAt)
        #expect(published.status == .published)
    }

    @Test("At the deadline without open objections the minutes are deemed approved, as of the end of the deadline day")
    func deemedApproval() throws {
        let (meeting, agenda, circulated) = try Self.circulated()
        let withdrawn = try MinutesApprovalRules.withdraw(ObjectionID(F.uuid(900)),
                                                          in: try Self.object("Doch nicht.", in: circulated, as: .principal(F.member)),
                                                          authority: .principal(F.member), now: F.at(2026, 4, 21, 9, 0)).0
        for minutes in [circulated, withdrawn] {
            #expect(MinutesApprovalRules.settle(minutes, of: meeting, agenda: agenda, now: F.at(2026, 4, 29, 23, 59)) == nil, "not yet")
            // The job may run late; the approval still dates from the deadline.
            let (approved, approvedMeeting, events) = try #require(MinutesApprovalRules.settle(minutes, of: meeting, agenda: agenda,
                                                                                               now: F.at(2026, 5, 3, 4, 0)))
            #expect(approved.approval.stage == .approved && approved.approval.deemedApproved && approved.approval.approvedBy == nil)
            #expect(approved.approval.approvedAt == F.at(2026, 4, 30, 0, 0))
            #expect(approvedMeeting.status == .minutesApproved && events == [.minutesApproved(approved, deemed: true), .meetingStatusChanged(approvedMeeting)])
            #expect(MinutesApprovalRules.settle(approved, of: approvedMeeting, agenda: agenda, now: F.at(2026, 5, 4, 4, 0)) == nil, "idempotent")
        }
    }

    @Test("At the deadline with an open objection nothing is approved: the coordinator is told once, decides, then approves")
    func openObjectionAtDeadline() throws {
        let (meeting, agenda, circulated) = try Self.circulated()
        let objected = try Self.object("Mein Beitrag fehlt.", in: circulated, as: .link(meetingID: meeting.id, person: F.guestKey))
        let (flagged, same, events) = try #require(MinutesApprovalRules.settle(objected, of: meeting, agenda: agenda, now: F.at(2026, 4, 30, 4, 0)))
        #expect(flagged.approval.stage == .circulated && flagged.approval.decisionRequired && same == meeting)
        #expect(events == [.objectionsOpenAtDeadline(flagged)])
        #expect(MinutesApprovalRules.settle(flagged, of: meeting, agenda: agenda, now: F.at(2026, 5, 1, 4, 0)) == nil, "told once")
        #expect(F.code { try Self.object("Noch einer.", in: flagged, as: .principal(F.member), id: 901, at: F.at(2026, 4, 30, 8, 0)) }
                == "minutes.deadlinePassed")
        let (answered, _) = try MinutesApprovalRules.answer(ObjectionID(F.uuid(900)), in: flagged, text: "Der Beitrag betraf TOP 4.2 (vertraulich).",
                                                            resolution: .rejected, by: F.coordinator, now: F.at(2026, 5, 2, 9, 0))
        #expect(F.code { try MinutesApprovalRules.answer(ObjectionID(F.uuid(900)), in: answered, text: "Nochmal", resolution: .accepted,
                                                         by: F.coordinator, now: F.at(2026, 5, 2, 9, 0)) } == "objection.notOpen")
        let (approved, _, _) = try MinutesApprovalRules.approve(answered, of: meeting, agenda: agenda, by: F.coordinator, now: F.at(2026, 5, 2, 10, 0))
        #expect(approved.approval.approvedAt == F.at(2026, 5, 2, 10, 0) && approved.approval.approvedBy == F.coordinatorID)
        #expect(MinutesDocument.canonicalText(approved, meeting: meeting, agenda: agenda).contains(
            "- Erika Beispiel: Mein Beitrag fehlt.\n  Antwort (abgelehnt): Der Beitrag betraf TOP 4.2 (vertraulich)."), "objections stay on record")
    }

    @Test("Only the objector withdraws, only while open; recirculating starts a new deadline and keeps the objections")
    func withdrawAndRecirculate() throws {
        let (meeting, _, circulated) = try Self.circulated()
        let objected = try Self.object("Bitte ergänzen.", in: circulated, as: .principal(F.member))
        #expect(F.code { try MinutesApprovalRules.withdraw(ObjectionID(F.uuid(900)), in: objected, authority: .principal(F.coordinator), now: F.now) }
                == "forbidden")
        let (again, events) = try MinutesApprovalRules.recirculate(objected, of: meeting, by: F.coordinator, now: F.at(2026, 4, 22, 10, 0))
        #expect(again.approval.round == 2 && again.approval.deadline == LocalDate("2026-05-06") && again.objections.count == 1)
        #expect(events.count == 1)
        #expect(F.code { try MinutesApprovalRules.recirculate(try Self.draft().2, of: meeting, by: F.coordinator, now: F.now) } == "minutes.notCirculated")
    }

    @Test("The canonical text is the Markdown of the whole minutes")
    func canonicalText() throws {
        let (meeting, agenda, minutes) = try Self.draft()
        let expected = """
        # Protokoll: Fachbeirat Sucht: Sitzung 2/2026

        Datum: Dienstag, 14. April 2026, 17:00–19:00
        Ort: Kreishaus, Raum 204; Musterstraße 1, 12345 Musterstadt
        Online

        ## Anwesenheit

        - Erika Beispiel (Caritas): anwesend
        - Jana Koordinatorin (Kreis): anwesend
        - Jörg Müller (Gemeinde Musterdorf): anwesend
        - Aylin Demir: entschuldigt

        ## Verlauf nach Tagesordnungspunkten

        ### 1 Begrüßung

        ### 2 Genehmigung des Protokolls der letzten Sitzung

        ### 3 Berichte

        ### 4 Themen

        ### 4.1 A

        Die Fachstelle berichtet über Angebote an Schulen.

        ### 4.2 B

        Personalfrage vertraulich besprochen.

        ### 4.3 C

        ### 5 Verschiedenes

        ## Beschlüsse

        - Ein Konzept wird erarbeitet. [TOP 4.1] (Abstimmung: 7 dafür, 0 dagegen, 1 Enthaltungen)
        - Stelle wird ausgeschrieben. [TOP 4.2]

        ## Aufgaben

        - Konzeptentwurf vorlegen [TOP 4.1] – verantwortlich: Jörg Müller, fällig: 30.06.2026

        ## Offene Punkte

        Finanzierung ab 2027

        """
        #expect(MinutesDocument.canonicalText(minutes, meeting: meeting, agenda: agenda) == expected)
    }

    @Test("The published part leaves out non-public items, names without consent (counted) and the objections")
    func publicText() throws {
        let (meeting, agenda, circulated) = try Self.circulated()
        let minutes = try Self.object("Einwand", in: circulated, as: .principal(F.member))
        let text = MinutesDocument.render(minutes, meeting: meeting, agenda: agenda, language: .en, publicOnly: true)
        #expect(text.contains("# Minutes: Fachbeirat Sucht: Sitzung 2/2026"))
        #expect(text.contains("- Erika Beispiel (Caritas): present") && text.contains("- Jana Koordinatorin (Kreis): present"))
        #expect(!text.contains("Jörg Müller") && !text.contains("Aylin Demir") && text.contains("- 2 more people who did not consent to publication"))
        #expect(text.contains("### 4.1 A") && !text.contains("### 4.2") && !text.contains("Personalfrage") && !text.contains("ausgeschrieben"))
        #expect(text.contains("- Konzeptentwurf vorlegen [Item 4.1], due: 30/06/2026"), "the owner did not consent and is left out")
        #expect(!text.contains("Einwand") && !text.contains("Objections"))
        #expect(text.contains("### 4.3 C"), "items keep their numbers, so 4.2 is visibly left out")
    }

    @Test("SHA-256 matches the FIPS 180-4 test vectors", arguments: [
        ("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
        ("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
        ("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"),
        ("abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu",
         "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1"),
    ])
    func sha256(input: String, digest: String) {
        #expect(ContentHash.sha256Hex(input) == digest)
    }

    @Test("SHA-256 of a million 'a' (multi-block input)")
    func sha256Long() {
        #expect(ContentHash.sha256Hex(Array(repeating: UInt8(ascii: "a"), count: 1_000_000))
                == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }
}
