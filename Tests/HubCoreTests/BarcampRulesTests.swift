import Foundation
import HubCore
import Testing

/// Shared fixtures of the barcamp tests: people, three rooms, a day of five slots (two of them
/// common blocks), and an in-memory world that applies outcomes like a store.
enum BarcampFixtures {
    static let t0 = Date(timeIntervalSince1970: 1_790_000_000)
    static let today = LocalDate(year: 2026, month: 9, day: 21)!
    static let wsID = WorkspaceID(uuid(9101))
    static let barcampID = BarcampID(uuid(9102))

    static let moderatorUser = Principal(userID: UserID(uuid(11)), displayName: "Mo", isAdmin: false, memberships: [wsID: .member])
    static let coordinatorUser = Principal(userID: UserID(uuid(12)), displayName: "C", isAdmin: false, memberships: [wsID: .coordinator])
    static let memberUser = Principal(userID: UserID(uuid(13)), displayName: "M", isAdmin: false, memberships: [wsID: .member])
    static let member2User = Principal(userID: UserID(uuid(14)), displayName: "N", isAdmin: false, memberships: [wsID: .member])
    static let observerUser = Principal(userID: UserID(uuid(15)), displayName: "O", isAdmin: false, memberships: [wsID: .observer])
    static let outsiderUser = Principal(userID: UserID(uuid(16)), displayName: "X", isAdmin: false, memberships: [:])
    static let adminUser = Principal(userID: UserID(uuid(17)), displayName: "A", isAdmin: true, memberships: [:])
    static let guestID = GuestID(uuid(18))

    static let moderator = BoardActor.user(moderatorUser)
    static let coordinator = BoardActor.user(coordinatorUser)
    static let member = BoardActor.user(memberUser)
    static let member2 = BoardActor.user(member2User)
    static let observer = BoardActor.user(observerUser)
    static let outsider = BoardActor.user(outsiderUser)
    static let admin = BoardActor.user(adminUser)
    static let anonymous = BoardActor.user(.anonymous)
    static let guest = BoardActor.guest(GuestPass(guestID: guestID, scope: barcampID.uuid))

    static var me: ParticipantRef { .user(memberUser.userID!) }
    static var other: ParticipantRef { .user(member2User.userID!) }

    static func uuid(_ n: Int) -> UUID { LeanCoffeeFixtures.uuid(n) }
    static func at(_ hour: Double) -> Date { t0.addingTimeInterval(hour * 3600) }

    static let big = BarcampRoom(id: BarcampRoomID(uuid(201)), name: "Plenarsaal", capacity: 100)
    static let mid = BarcampRoom(id: BarcampRoomID(uuid(202)), name: "Raum 2", capacity: 40)
    static let small = BarcampRoom(id: BarcampRoomID(uuid(203)), name: "Raum 3", capacity: 15)
    static let opening = BarcampSlot(id: BarcampSlotID(uuid(211)), kind: .opening, title: "Begrüßung", startsAt: at(0), endsAt: at(0.5))
    static let round1 = BarcampSlot(id: BarcampSlotID(uuid(212)), kind: .sessions, title: "Runde 1", startsAt: at(0.5), endsAt: at(1.25))
    static let round2 = BarcampSlot(id: BarcampSlotID(uuid(213)), kind: .sessions, title: "Runde 2", startsAt: at(1.5), endsAt: at(2.25))
    static let lunch = BarcampSlot(id: BarcampSlotID(uuid(214)), kind: .pause, title: "Mittag", startsAt: at(2.25), endsAt: at(3))
    static let round3 = BarcampSlot(id: BarcampSlotID(uuid(215)), kind: .sessions, title: "Runde 3", startsAt: at(3), endsAt: at(3.75))

    static func cell(_ room: BarcampRoom, _ slot: BarcampSlot) -> BarcampCell { BarcampCell(roomID: room.id, slotID: slot.id) }

    static func barcamp(_ status: BarcampStatus = .planning, settings: BarcampSettings = BarcampSettings(), grid: [BarcampAssignment] = [],
                        standalone: Bool = false) -> Barcamp {
        Barcamp(id: barcampID, workspaceID: standalone ? nil : wsID, title: "Sozialplanungskonferenz", moderators: [moderatorUser.userID!],
                rooms: [big, mid, small], slots: [opening, round1, round2, lunch, round3], settings: settings, status: status, grid: grid,
                createdBy: moderatorUser.userID!, createdAt: t0, updatedAt: t0, publishedAt: status == .planning ? nil : t0, version: 1)
    }

    static func sessionID(_ n: Int) -> BarcampSessionID { BarcampSessionID(uuid(300 + n)) }

    static func session(_ n: Int, host: ParticipantRef = .user(UserID(uuid(13))), coHosts: [ParticipantRef] = [], title: String? = nil,
                        status: BarcampSessionStatus = .proposed) -> BarcampSession {
        BarcampSession(id: sessionID(n), barcampID: barcampID, title: title ?? "Session \(n)", description: "", host: host, coHosts: coHosts,
                       format: .discussion, expectedSize: nil, status: status, createdAt: t0, updatedAt: t0, version: 1)
    }

    static func placed(_ n: Int, _ room: BarcampRoom, _ slot: BarcampSlot, pinned: Bool = true) -> BarcampAssignment {
        BarcampAssignment(sessionID: sessionID(n), cell: cell(room, slot), pinned: pinned)
    }

    static func workspace(archived: Bool = false) -> Workspace {
        Workspace(id: wsID, kind: .focusGroup, name: "Integration", description: "", policyFieldIDs: [], endsOn: nil, archived: archived,
                  createdAt: t0, updatedAt: t0, version: 1)
    }
}

/// A barcamp with its records, applying outcomes like a store.
struct BarcampWorld {
    var barcamp: Barcamp
    var sessions: [BarcampSession]
    var marks: [InterestMark] = []
    var notes: [SessionNotes] = []
    var events: [BarcampEvent] = []

    init(_ barcamp: Barcamp, sessions: [BarcampSession] = []) {
        self.barcamp = barcamp
        self.sessions = sessions
    }

    @discardableResult
    mutating func apply(_ outcome: BarcampOutcome) -> BarcampOutcome {
        barcamp = outcome.barcamp
        for change in outcome.changes {
            switch change {
            case .session(let s):
                if let i = sessions.firstIndex(where: { $0.id == s.id }) { sessions[i] = s } else { sessions.append(s) }
            case .markAdded(let m): marks.append(m)
            case .markRemoved(let m): marks.removeAll { $0.sessionID == m.sessionID && $0.participant == m.participant }
            case .notes(let n):
                if let i = notes.firstIndex(where: { $0.sessionID == n.sessionID }) { notes[i] = n } else { notes.append(n) }
            case .guest: break
            }
        }
        events += outcome.events
        return outcome
    }

    func interest(_ session: BarcampSessionID) -> Int { marks.filter { $0.sessionID == session }.count }

    @discardableResult
    mutating func mark(_ n: Int, by actor: BoardActor) throws(DomainError) -> BarcampOutcome {
        let mine = marks.filter { $0.participant == actor.participant }
        return apply(try BarcampSessionRules.markInterest(in: BarcampFixtures.sessionID(n), barcamp: barcamp, sessions: sessions, myMarks: mine,
                                                          interest: interest(BarcampFixtures.sessionID(n)), by: actor, now: BarcampFixtures.t0))
    }

    @discardableResult
    mutating func unmark(_ n: Int, by actor: BoardActor) throws(DomainError) -> BarcampOutcome {
        let mine = marks.filter { $0.participant == actor.participant }
        return apply(try BarcampSessionRules.unmarkInterest(in: BarcampFixtures.sessionID(n), barcamp: barcamp, myMarks: mine,
                                                            interest: interest(BarcampFixtures.sessionID(n)), by: actor))
    }

    @discardableResult
    mutating func assign(_ n: Int, _ room: BarcampRoom, _ slot: BarcampSlot, by actor: BoardActor = BarcampFixtures.moderator)
        throws(DomainError) -> BarcampOutcome {
        apply(try BarcampGridRules.assign(BarcampFixtures.sessionID(n), to: BarcampFixtures.cell(room, slot), expectedVersion: barcamp.version,
                                          barcamp: barcamp, sessions: sessions, by: actor, now: BarcampFixtures.t0))
    }

    @discardableResult
    mutating func move(_ n: Int, _ room: BarcampRoom, _ slot: BarcampSlot, swap: Bool = false) throws(DomainError) -> BarcampOutcome {
        apply(try BarcampGridRules.move(BarcampFixtures.sessionID(n), to: BarcampFixtures.cell(room, slot), swap: swap, expectedVersion: barcamp.version,
                                        barcamp: barcamp, sessions: sessions, by: BarcampFixtures.moderator, now: BarcampFixtures.t0))
    }
}

@Suite("Barcamp: setting up, publishing, closing")
struct BarcampRulesTests {
    typealias B = BarcampFixtures

    static func draft(rooms: [BarcampRoom] = [B.big, B.mid], slots: [BarcampSlot] = [B.round2, B.opening, B.round1],
                      settings: BarcampSettings = BarcampSettings()) -> BarcampDraft {
        BarcampDraft(title: "Sozialplanungskonferenz 2026", workspaceID: B.wsID, rooms: rooms, slots: slots, settings: settings)
    }

    @Test("Who may create a barcamp in a workspace", arguments: [
        (B.adminUser, "ok"), (B.coordinatorUser, "ok"), (B.memberUser, "ok"), (B.observerUser, "forbidden"), (B.outsiderUser, "forbidden"),
        (Principal.anonymous, "auth.required"),
    ])
    func createPermission(actor: Principal, expected: String) {
        #expect(boardRuleCode { () throws(DomainError) in
            try BarcampRules.create(Self.draft(), id: B.barcampID, workspace: B.workspace(), by: actor, now: B.t0, today: B.today)
        } == expected)
    }

    @Test("A new barcamp: slots in time order, the creator moderates, planning status")
    func create() throws {
        let outcome = try BarcampRules.create(Self.draft(), id: B.barcampID, workspace: B.workspace(), by: B.memberUser, now: B.t0, today: B.today)
        let barcamp = outcome.barcamp
        #expect(barcamp.slots.map(\.id) == [B.opening.id, B.round1.id, B.round2.id])
        #expect(barcamp.moderators == [B.memberUser.userID!] && barcamp.status == .planning && barcamp.grid.isEmpty && barcamp.version == 1)
        #expect(outcome.events == [.barcampCreated(barcamp)] && outcome.events[0].name == "barcamp.created")
        let standalone = try BarcampRules.create(BarcampDraft(title: "Offenes Barcamp"), id: B.barcampID, workspace: nil, by: B.outsiderUser,
                                                 now: B.t0, today: B.today)
        #expect(standalone.barcamp.workspaceID == nil && standalone.barcamp.access.role(of: B.member) == .participant)
    }

    @Test("Rooms, slots and settings are validated", arguments: [
        (Self.draft(rooms: [BarcampRoom(id: BarcampRoomID(B.uuid(1)), name: "", capacity: 0)]), ["rooms[0].name:required", "rooms[0].capacity:outOfRange"]),
        (Self.draft(rooms: [B.big, B.big]), ["rooms[1].id:duplicate"]),
        (Self.draft(slots: [BarcampSlot(id: BarcampSlotID(B.uuid(1)), kind: .sessions, startsAt: B.at(2), endsAt: B.at(1))]), ["slots[0].endsAt:beforeStart"]),
        (Self.draft(slots: [B.round1, BarcampSlot(id: BarcampSlotID(B.uuid(1)), kind: .pause, startsAt: B.at(1), endsAt: B.at(1.5))]), ["slots[1].startsAt:overlaps"]),
        (Self.draft(slots: [B.round1, B.round1]), ["slots[1].id:duplicate", "slots[1].startsAt:overlaps"]),
        (Self.draft(slots: [BarcampSlot(id: BarcampSlotID(B.uuid(1)), kind: .pause, title: "Pause\u{0007}", startsAt: B.at(1), endsAt: B.at(2))]),
         ["slots[0].title:invalidCharacters"]),
        (Self.draft(settings: BarcampSettings(interestLimit: 0, proposalsPerParticipant: 21)), ["settings.interestLimit:outOfRange", "settings.proposalsPerParticipant:outOfRange"]),
    ])
    func validation(draft: BarcampDraft, fields: [String]) {
        do {
            _ = try BarcampRules.create(draft, id: B.barcampID, workspace: B.workspace(), by: B.memberUser, now: B.t0, today: B.today)
            Issue.record("accepted")
        } catch {
            #expect(error.fields.map { "\($0.field):\($0.code)" } == fields)
        }
    }

    @Test("Rooms and slots holding sessions stay until the sessions move")
    func inUse() throws {
        let barcamp = B.barcamp(grid: [B.placed(1, B.mid, B.round1)])
        func update(_ patch: BarcampPatch) -> String {
            boardRuleCode { () throws(DomainError) in try BarcampRules.update(barcamp, with: patch, expectedVersion: 1, by: B.moderator, now: B.t0) }
        }
        #expect(update(BarcampPatch(rooms: [B.big, B.small])) == "barcamp.roomInUse")
        #expect(update(BarcampPatch(slots: [B.opening, B.round2])) == "barcamp.slotInUse")
        var lunchNow = B.round1
        lunchNow.kind = .pause
        #expect(update(BarcampPatch(slots: [B.opening, lunchNow, B.round2])) == "barcamp.slotInUse")
        #expect(update(BarcampPatch(rooms: [B.mid])) == "ok")
        var bigger = B.mid
        bigger.capacity = 60
        let outcome = try BarcampRules.update(barcamp, with: BarcampPatch(rooms: [bigger, B.big]), expectedVersion: 1, by: B.moderator, now: B.at(1))
        #expect(outcome.barcamp.room(B.mid.id)?.capacity == 60 && outcome.barcamp.version == 2 && outcome.events == [.barcampUpdated(outcome.barcamp)])
    }

    @Test("Updating: moderators only, the current version, at least one moderator, no-op")
    func update() throws {
        let barcamp = B.barcamp()
        #expect(boardRuleCode { () throws(DomainError) in
            try BarcampRules.update(barcamp, with: BarcampPatch(title: "Neu"), expectedVersion: 1, by: B.member, now: B.t0)
        } == "barcamp.moderatorOnly")
        #expect(throws: DomainError.versionConflict) {
            try BarcampRules.update(barcamp, with: BarcampPatch(title: "Neu"), expectedVersion: 2, by: B.moderator, now: B.t0)
        }
        #expect(boardRuleCode { () throws(DomainError) in
            try BarcampRules.update(barcamp, with: BarcampPatch(moderators: []), expectedVersion: 1, by: B.coordinator, now: B.t0)
        } == "validation.failed")
        let same = try BarcampRules.update(barcamp, with: BarcampPatch(title: " Sozialplanungskonferenz "), expectedVersion: 1, by: B.moderator, now: B.t0)
        #expect(same.isNoOp)
        let closing = try BarcampRules.update(barcamp, with: BarcampPatch(settings: BarcampSettings(proposalsOpen: false)), expectedVersion: 1,
                                              by: B.admin, now: B.t0)
        #expect(!closing.barcamp.settings.proposalsOpen)
    }

    @Test("Publishing: a non-empty grid, once; then closing")
    func publishAndClose() throws {
        #expect(boardRuleCode { () throws(DomainError) in try BarcampRules.publish(B.barcamp(), expectedVersion: 1, by: B.moderator, now: B.t0) }
            == "barcamp.emptySchedule")
        let barcamp = B.barcamp(grid: [B.placed(1, B.big, B.round1)])
        #expect(boardRuleCode { () throws(DomainError) in try BarcampRules.publish(barcamp, expectedVersion: 1, by: B.member, now: B.t0) }
            == "barcamp.moderatorOnly")
        let published = try BarcampRules.publish(barcamp, expectedVersion: 1, by: B.moderator, now: B.at(5))
        #expect(published.barcamp.status == .published && published.barcamp.publishedAt == B.at(5) && published.barcamp.version == 2)
        #expect(published.events == [.schedulePublished(published.barcamp)])
        #expect(try BarcampRules.publish(published.barcamp, expectedVersion: 1, by: B.moderator, now: B.at(6)).isNoOp, "a double click")
        let closed = try BarcampRules.close(published.barcamp, by: B.moderator, now: B.at(9))
        #expect(closed.barcamp.status == .closed && closed.events == [.barcampClosed(closed.barcamp)])
        #expect(try BarcampRules.close(closed.barcamp, by: B.moderator, now: B.at(9)).isNoOp)
        #expect(boardRuleCode { () throws(DomainError) in try BarcampRules.publish(closed.barcamp, expectedVersion: 3, by: B.moderator, now: B.t0) }
            == "barcamp.closed")
    }

    @Test("A closed barcamp refuses every change with barcamp.closed")
    func closedIsReadOnly() {
        let sessions = [B.session(1), B.session(2)]
        let barcamp = B.barcamp(.closed, settings: BarcampSettings(guestsAllowed: true), grid: [B.placed(1, B.big, B.round1)])
        let codes = [
            boardRuleCode { () throws(DomainError) in try BarcampRules.update(barcamp, with: BarcampPatch(title: "Neu"), expectedVersion: 1, by: B.moderator, now: B.t0) },
            boardRuleCode { () throws(DomainError) in try BarcampRules.joinAsGuest(barcamp, guestID: B.guestID, displayName: "Gast", existing: nil, now: B.t0) },
            boardRuleCode { () throws(DomainError) in
                try BarcampSessionRules.propose(BarcampProposal(title: "Neu"), id: B.sessionID(9), barcamp: barcamp, sessions: sessions, by: B.member, now: B.t0)
            },
            boardRuleCode { () throws(DomainError) in
                try BarcampSessionRules.edit(B.sessionID(1), with: BarcampProposalPatch(title: "Neu"), expectedVersion: 1, barcamp: barcamp, sessions: sessions,
                                             by: B.member, now: B.t0)
            },
            boardRuleCode { () throws(DomainError) in try BarcampSessionRules.withdraw(B.sessionID(1), barcamp: barcamp, sessions: sessions, by: B.member, now: B.t0) },
            boardRuleCode { () throws(DomainError) in
                try BarcampSessionRules.markInterest(in: B.sessionID(2), barcamp: barcamp, sessions: sessions, myMarks: [], interest: 0, by: B.member, now: B.t0)
            },
            boardRuleCode { () throws(DomainError) in
                try BarcampSessionRules.unmarkInterest(in: B.sessionID(2), barcamp: barcamp, myMarks: [], interest: 0, by: B.member)
            },
            boardRuleCode { () throws(DomainError) in
                try BarcampGridRules.assign(B.sessionID(2), to: B.cell(B.mid, B.round1), expectedVersion: 1, barcamp: barcamp, sessions: sessions,
                                            by: B.moderator, now: B.t0)
            },
            boardRuleCode { () throws(DomainError) in
                try BarcampGridRules.move(B.sessionID(1), to: B.cell(B.mid, B.round1), expectedVersion: 1, barcamp: barcamp, sessions: sessions,
                                          by: B.moderator, now: B.t0)
            },
            boardRuleCode { () throws(DomainError) in try BarcampGridRules.unassign(B.sessionID(1), expectedVersion: 1, barcamp: barcamp, by: B.moderator, now: B.t0) },
            boardRuleCode { () throws(DomainError) in try BarcampGridRules.setPinned(false, B.sessionID(1), expectedVersion: 1, barcamp: barcamp, by: B.moderator, now: B.t0) },
            boardRuleCode { () throws(DomainError) in
                try BarcampNotesRules.save("Notizen", for: B.sessionID(1), baseVersion: 0, existing: nil, barcamp: barcamp, sessions: sessions, by: B.member, now: B.t0)
            },
        ]
        #expect(codes == Array(repeating: "barcamp.closed", count: codes.count))
    }

    @Test("Guests join where the moderators allow it")
    func guests() throws {
        #expect(boardRuleCode { () throws(DomainError) in
            try BarcampRules.joinAsGuest(B.barcamp(), guestID: B.guestID, displayName: "Gast", existing: nil, now: B.t0)
        } == "barcamp.guestsNotAllowed")
        let open = B.barcamp(settings: BarcampSettings(guestsAllowed: true))
        let joined = try BarcampRules.joinAsGuest(open, guestID: B.guestID, displayName: " Gast  Eins ", existing: nil, now: B.t0)
        let guest = BoardGuest(id: B.guestID, scope: B.barcampID.uuid, displayName: "Gast Eins", joinedAt: B.t0)
        #expect(joined.changes == [.guest(guest)] && joined.events == [.guestJoined(guest, barcamp: B.barcampID)])
        #expect(try BarcampRules.joinAsGuest(open, guestID: B.guestID, displayName: "Gast Eins", existing: guest, now: B.t0).isNoOp)
        #expect(open.access.role(of: B.guest) == .guest && B.barcamp().access.role(of: B.guest) == nil)
    }
}
