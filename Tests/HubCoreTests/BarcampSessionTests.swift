import Foundation
import HubCore
import Testing

@Suite("Barcamp: proposals, interest marks, notes, personal agenda")
struct BarcampSessionTests {
    typealias B = BarcampFixtures

    @discardableResult
    static func propose(_ world: inout BarcampWorld, _ title: String, n: Int = 50, by actor: BoardActor = B.member,
                        coHosts: [ParticipantRef] = []) throws(DomainError) -> BarcampOutcome {
        world.apply(try BarcampSessionRules.propose(BarcampProposal(title: title, description: "Worum es geht", format: .workshop, expectedSize: 20,
                                                                    coHosts: coHosts),
                                                    id: B.sessionID(n), barcamp: world.barcamp, sessions: world.sessions, by: actor, now: B.t0))
    }

    @Test("Who proposes sessions", arguments: [
        (B.moderator, "ok"), (B.member, "ok"), (B.admin, "ok"), (B.guest, "ok"), (B.observer, "barcamp.readOnly"),
        (B.outsider, "barcamp.notFound"), (B.anonymous, "auth.required"),
    ])
    func whoProposes(actor: BoardActor, expected: String) {
        var world = BarcampWorld(B.barcamp(settings: BarcampSettings(guestsAllowed: true)))
        #expect(boardRuleCode { () throws(DomainError) in try Self.propose(&world, "Pflegeassistenz: Fahrtkosten", by: actor) } == expected)
    }

    @Test("A proposal: the proposer hosts, co-hosts are deduplicated, the event carries it")
    func proposal() throws {
        var world = BarcampWorld(B.barcamp())
        let outcome = try Self.propose(&world, "  Zweckverband   Soziales ", coHosts: [B.other, B.other, B.me])
        let session = world.sessions[0]
        #expect(session.title == "Zweckverband Soziales" && session.host == B.me && session.coHosts == [B.other])
        #expect(session.hosts == [B.me, B.other] && session.version == 1 && session.format == .workshop && session.expectedSize == 20)
        #expect(outcome.events == [.sessionProposed(session)])
    }

    @Test("Proposals: closed call, per-person limit, double-sent form, validation")
    func proposalLimits() throws {
        var closed = BarcampWorld(B.barcamp(settings: BarcampSettings(proposalsOpen: false)))
        #expect(boardRuleCode { () throws(DomainError) in try Self.propose(&closed, "Neu") } == "barcamp.proposalsClosed")
        var world = BarcampWorld(B.barcamp(settings: BarcampSettings(proposalsPerParticipant: 2)))
        _ = try Self.propose(&world, "Eins", n: 51)
        #expect(try Self.propose(&world, " eins ", n: 52).isNoOp && world.sessions.count == 1)
        _ = try Self.propose(&world, "Zwei", n: 53)
        #expect(boardRuleCode { () throws(DomainError) in try Self.propose(&world, "Drei", n: 54) } == "barcamp.proposalLimit")
        #expect(boardRuleCode { () throws(DomainError) in try Self.propose(&world, "Drei", n: 54, by: B.member2) } == "ok")
        #expect(boardRuleCode { () throws(DomainError) in try Self.propose(&world, "ab", n: 55, by: B.member2) } == "validation.failed")
        let six = (1...6).map { ParticipantRef.user(UserID(B.uuid(700 + $0))) }
        #expect(boardRuleCode { () throws(DomainError) in try Self.propose(&world, "Viele", n: 56, by: B.moderator, coHosts: six) } == "validation.failed")
        #expect(boardRuleCode { () throws(DomainError) in
            try BarcampSessionRules.propose(BarcampProposal(title: "Groß", expectedSize: 0), id: B.sessionID(57), barcamp: world.barcamp,
                                            sessions: world.sessions, by: B.moderator, now: B.t0)
        } == "validation.failed")
    }

    @Test("Editing: hosts, co-hosts and moderators, on the current version", arguments: [
        (B.member, 1, "ok"), (B.member2, 1, "ok"), (B.moderator, 1, "ok"), (B.admin, 1, "ok"),
        (BoardActor.user(Principal(userID: UserID(B.uuid(99)), displayName: nil, isAdmin: false, memberships: [B.wsID: .member])), 1, "barcamp.notHost"),
        (B.member, 2, "version.conflict"),
    ])
    func edit(actor: BoardActor, version: Int, expected: String) throws {
        let world = BarcampWorld(B.barcamp(), sessions: [B.session(1, host: B.me, coHosts: [B.other])])
        #expect(boardRuleCode { () throws(DomainError) in
            try BarcampSessionRules.edit(B.sessionID(1), with: BarcampProposalPatch(title: "Genauer", expectedSize: .some(nil)), expectedVersion: version,
                                         barcamp: world.barcamp, sessions: world.sessions, by: actor, now: B.at(1))
        } == expected)
    }

    @Test("A new co-host must be free in the session's slot; a withdrawn session cannot be edited")
    func editRefusals() throws {
        let sessions = [B.session(1, host: B.me), B.session(2, host: B.other)]
        let barcamp = B.barcamp(grid: [B.placed(1, B.big, B.round1), B.placed(2, B.mid, B.round1)])
        #expect(boardRuleCode { () throws(DomainError) in
            try BarcampSessionRules.edit(B.sessionID(1), with: BarcampProposalPatch(coHosts: [B.other]), expectedVersion: 1, barcamp: barcamp,
                                         sessions: sessions, by: B.member, now: B.t0)
        } == "barcamp.hostConflict")
        let edited = try BarcampSessionRules.edit(B.sessionID(1), with: BarcampProposalPatch(format: .talk), expectedVersion: 1, barcamp: barcamp,
                                                  sessions: sessions, by: B.member, now: B.at(1))
        #expect(edited.changes.count == 1 && edited.events.first?.name == "barcamp.sessionEdited")
        #expect(try BarcampSessionRules.edit(B.sessionID(1), with: BarcampProposalPatch(format: .discussion), expectedVersion: 1, barcamp: barcamp,
                                             sessions: sessions, by: B.member, now: B.at(1)).isNoOp)
        #expect(boardRuleCode { () throws(DomainError) in
            try BarcampSessionRules.edit(B.sessionID(3), with: BarcampProposalPatch(format: .talk), expectedVersion: 1, barcamp: barcamp,
                                         sessions: [B.session(3, status: .withdrawn)], by: B.member, now: B.t0)
        } == "barcamp.sessionWithdrawn")
    }

    @Test("Withdrawing: host or moderator; a placed session leaves the grid, announced once published", arguments: [
        (BarcampStatus.planning, 1), (.published, 2),
    ])
    func withdraw(status: BarcampStatus, eventCount: Int) throws {
        var world = BarcampWorld(B.barcamp(status, grid: [B.placed(1, B.big, B.round1)]), sessions: [B.session(1, host: B.me, coHosts: [B.other])])
        #expect(boardRuleCode { () throws(DomainError) in
            try BarcampSessionRules.withdraw(B.sessionID(1), barcamp: world.barcamp, sessions: world.sessions, by: B.member2, now: B.t0)
        } == "barcamp.notHost")
        let outcome = world.apply(try BarcampSessionRules.withdraw(B.sessionID(1), barcamp: world.barcamp, sessions: world.sessions, by: B.member, now: B.t0))
        #expect(world.sessions[0].status == .withdrawn && world.barcamp.grid.isEmpty && world.barcamp.version == 2)
        let change = ScheduleChange(sessionID: B.sessionID(1), from: B.cell(B.big, B.round1), to: nil)
        #expect(outcome.events.dropFirst().first == .gridChanged(barcamp: B.barcampID, version: 2, grid: [], changes: [change]))
        #expect(outcome.events.count == 1 + eventCount)
        if status == .published { #expect(outcome.events.last == .scheduleChangeAnnounced(barcamp: B.barcampID, change)) }
        #expect(try BarcampSessionRules.withdraw(B.sessionID(1), barcamp: world.barcamp, sessions: world.sessions, by: B.moderator, now: B.t0).isNoOp)
    }

    // MARK: Interest

    @Test("Marking interest is a set: twice is once; unmarking what is not marked changes nothing")
    func idempotentMarks() throws {
        var world = BarcampWorld(B.barcamp(), sessions: [B.session(1), B.session(2)])
        let first = try world.mark(1, by: B.member)
        #expect(first.events == [.interestChanged(barcamp: B.barcampID, session: B.sessionID(1), interest: 1)])
        #expect(try world.mark(1, by: B.member).isNoOp && world.interest(B.sessionID(1)) == 1)
        try world.mark(1, by: B.member2)
        #expect(world.events.last == .interestChanged(barcamp: B.barcampID, session: B.sessionID(1), interest: 2))
        let removed = try world.unmark(1, by: B.member)
        #expect(removed.events == [.interestChanged(barcamp: B.barcampID, session: B.sessionID(1), interest: 1)])
        #expect(try world.unmark(1, by: B.member).isNoOp)
        #expect(try world.unmark(2, by: B.member).isNoOp)
        #expect(world.marks.map(\.participant) == [B.other])
    }

    /// (limit, sessions already marked, of which withdrawn) → marking one more.
    @Test("The interest limit", arguments: [
        (3, 2, 0, "ok"), (3, 3, 0, "barcamp.interestLimit"), (3, 3, 1, "ok"), (1, 0, 0, "ok"), (1, 1, 0, "barcamp.interestLimit"),
    ])
    func interestLimit(limit: Int, marked: Int, withdrawn: Int, expected: String) throws {
        let sessions = (1...6).map { B.session($0, status: $0 <= withdrawn ? .withdrawn : .proposed) }
        var world = BarcampWorld(B.barcamp(settings: BarcampSettings(interestLimit: limit)), sessions: sessions)
        world.marks = (1...max(1, marked)).prefix(marked).map {
            InterestMark(barcampID: B.barcampID, sessionID: B.sessionID($0), participant: B.me, at: B.t0)
        }
        #expect(boardRuleCode { () throws(DomainError) in try world.mark(6, by: B.member) } == expected)
    }

    @Test("Who marks interest; withdrawn and unknown sessions cannot be marked", arguments: [
        (B.member, 1, "ok"), (B.guest, 1, "ok"), (B.moderator, 1, "ok"), (B.observer, 1, "barcamp.readOnly"), (B.outsider, 1, "barcamp.notFound"),
        (B.member, 2, "barcamp.sessionWithdrawn"), (B.member, 7, "barcamp.sessionNotFound"),
    ])
    func whoMarks(actor: BoardActor, session: Int, expected: String) {
        var world = BarcampWorld(B.barcamp(.published, settings: BarcampSettings(guestsAllowed: true)),
                                 sessions: [B.session(1), B.session(2, status: .withdrawn)])
        #expect(boardRuleCode { () throws(DomainError) in try world.mark(session, by: actor) } == expected)
    }

    // MARK: Notes

    @discardableResult
    static func save(_ world: inout BarcampWorld, _ text: String, base: Int, by actor: BoardActor = B.member, session: Int = 1)
        throws(DomainError) -> BarcampOutcome {
        world.apply(try BarcampNotesRules.save(text, for: B.sessionID(session), baseVersion: base,
                                               existing: world.notes.first { $0.sessionID == B.sessionID(session) }, barcamp: world.barcamp,
                                               sessions: world.sessions, by: actor, now: B.at(2)))
    }

    @Test("Session notes: versions, several authors, conflicts never overwrite")
    func notes() throws {
        var world = BarcampWorld(B.barcamp(settings: BarcampSettings(guestsAllowed: true)), sessions: [B.session(1), B.session(2, status: .withdrawn)])
        #expect(boardRuleCode { () throws(DomainError) in try Self.save(&world, "# Notizen", base: 1) } == "barcamp.notesConflict")
        let first = try Self.save(&world, "# Notizen\r\n- Punkt eins  ", base: 0)
        #expect(world.notes[0].text == "# Notizen\n- Punkt eins" && world.notes[0].version == 1 && world.notes[0].authors == [B.me])
        #expect(first.events == [.notesSaved(world.notes[0])])
        #expect(try Self.save(&world, "# Notizen\n- Punkt eins", base: 0).isNoOp, "a retry of the save that made version 1")
        #expect(boardRuleCode { () throws(DomainError) in try Self.save(&world, "Etwas anderes", base: 0, by: B.member2) } == "barcamp.notesConflict")
        try Self.save(&world, "# Notizen\n- Punkt eins\n- Punkt zwei", base: 1, by: B.guest)
        try Self.save(&world, "# Notizen\n- Punkt eins\n- Punkt zwei\n- drei", base: 2, by: B.member)
        #expect(world.notes[0].version == 3 && world.notes[0].authors == [B.me, .guest(B.guestID)])
        #expect(try Self.save(&world, "# Notizen\n- Punkt eins\n- Punkt zwei\n- drei", base: 3).isNoOp)
        #expect(boardRuleCode { () throws(DomainError) in try Self.save(&world, "Bell\u{0007}", base: 3) } == "validation.failed")
        #expect(boardRuleCode { () throws(DomainError) in try Self.save(&world, "x", base: 0, session: 2) } == "barcamp.sessionWithdrawn")
        #expect(boardRuleCode { () throws(DomainError) in try Self.save(&world, "x", base: 3, by: B.observer) } == "barcamp.readOnly")
    }

    // MARK: Agenda and documentation

    @Test("My sessions: hosted, co-hosted and marked, with the common blocks, in time order once published")
    func agenda() throws {
        let sessions = [B.session(1, host: B.me, title: "Meine"), B.session(2, host: B.other, coHosts: [B.me], title: "Mit mir"),
                        B.session(3, host: B.other, title: "Gemerkt"), B.session(4, host: B.other, title: "Fremd"),
                        B.session(5, host: B.other, title: "Gemerkt, ungeplant"), B.session(6, host: B.other, title: "Zurückgezogen", status: .withdrawn)]
        let marks = [3, 5, 6, 4].map { InterestMark(barcampID: B.barcampID, sessionID: B.sessionID($0), participant: $0 == 4 ? B.other : B.me, at: B.t0) }
        let grid = [B.placed(1, B.mid, B.round2), B.placed(2, B.big, B.round1), B.placed(3, B.small, B.round2), B.placed(4, B.big, B.round2)]
        let published = BarcampAgenda.personal(for: B.me, barcamp: B.barcamp(.published, grid: grid), sessions: sessions, marks: marks)
        let lines = published.map { entry -> String in
            switch entry {
            case .common(let slot): return "common:\(slot.title)"
            case .session(let s, let reasons, let slot, let room, let clashes):
                return "\(s.title)|\(reasons.map(\.rawValue).joined(separator: ","))|\(slot?.title ?? "-")|\(room?.name ?? "-")|\(clashes.count)"
            }
        }
        #expect(lines == ["common:Begrüßung", "Mit mir|coHost|Runde 1|Plenarsaal|0", "Meine|host|Runde 2|Raum 2|1", "Gemerkt|marked|Runde 2|Raum 3|1",
                          "common:Mittag", "Gemerkt, ungeplant|marked|-|-|0"])
        let draft = BarcampAgenda.personal(for: B.me, barcamp: B.barcamp(.planning, grid: grid), sessions: sessions, marks: marks)
        #expect(draft.count == 6)
        #expect(draft.allSatisfy { if case .session(_, _, let slot, _, _) = $0 { slot == nil } else { true } }, "a draft grid shows no places")
    }

    @Test("The documentation lists placed sessions in schedule order with their notes")
    func documentation() {
        let sessions = [B.session(1, title: "Sprachstand Kita"), B.session(2, title: "Ämterlotsen"), B.session(3, title: "Ohne Platz")]
        let notes = [SessionNotes(barcampID: B.barcampID, sessionID: B.sessionID(2), text: "- Lotsen in drei Städten", authors: [B.me], version: 2,
                                  updatedAt: B.t0),
                     SessionNotes(barcampID: B.barcampID, sessionID: B.sessionID(3), text: "Nachgereicht", authors: [B.me], version: 1, updatedAt: B.t0)]
        let barcamp = B.barcamp(.published, grid: [B.placed(1, B.small, B.round2), B.placed(2, B.big, B.round1)])
        let text = BarcampAgenda.documentation(barcamp: barcamp, sessions: sessions, notes: notes)
        #expect(text == """
            # Sozialplanungskonferenz

            ## Runde 1

            ### Ämterlotsen (Plenarsaal)

            - Lotsen in drei Städten

            ## Runde 2

            ### Sprachstand Kita (Raum 3)

            Keine Notizen.

            ## Weitere Sessions

            ### Ohne Platz

            Nachgereicht

            """)
    }
}
