import Foundation
import HubCore
import Testing

/// Shared fixtures of the Lean Coffee tests: people, a board, and a small in-memory world that
/// applies outcomes the way a store would.
enum LeanCoffeeFixtures {
    static let t0 = Date(timeIntervalSince1970: 1_790_000_000)
    static let today = LocalDate(year: 2026, month: 9, day: 21)!
    static let wsID = WorkspaceID(uuid(9001))
    static let boardID = LeanCoffeeBoardID(uuid(9002))

    static let facilitatorUser = Principal(userID: UserID(uuid(1)), displayName: "F", isAdmin: false, memberships: [wsID: .member])
    static let coordinatorUser = Principal(userID: UserID(uuid(2)), displayName: "C", isAdmin: false, memberships: [wsID: .coordinator])
    static let memberUser = Principal(userID: UserID(uuid(3)), displayName: "M", isAdmin: false, memberships: [wsID: .member])
    static let member2User = Principal(userID: UserID(uuid(4)), displayName: "N", isAdmin: false, memberships: [wsID: .member])
    static let observerUser = Principal(userID: UserID(uuid(5)), displayName: "O", isAdmin: false, memberships: [wsID: .observer])
    static let outsiderUser = Principal(userID: UserID(uuid(6)), displayName: "X", isAdmin: false, memberships: [:])
    static let adminUser = Principal(userID: UserID(uuid(7)), displayName: "A", isAdmin: true, memberships: [:])
    static let guestID = GuestID(uuid(8))

    static let facilitator = BoardActor.user(facilitatorUser)
    static let coordinator = BoardActor.user(coordinatorUser)
    static let member = BoardActor.user(memberUser)
    static let member2 = BoardActor.user(member2User)
    static let observer = BoardActor.user(observerUser)
    static let outsider = BoardActor.user(outsiderUser)
    static let admin = BoardActor.user(adminUser)
    static let anonymous = BoardActor.user(.anonymous)
    static let guest = BoardActor.guest(GuestPass(guestID: guestID, scope: boardID.uuid))
    static let foreignGuest = BoardActor.guest(GuestPass(guestID: GuestID(uuid(10)), scope: uuid(9999)))

    /// A readable, sortable UUID: `00000000-0000-0000-0000-000000000042`.
    static func uuid(_ n: Int) -> UUID { UUID(uuidString: String(format: "00000000-0000-0000-0000-%012d", n))! }

    static func key(_ text: String) -> IdempotencyKey { IdempotencyKey("key-\(text)-0000")! }

    static func minutes(_ m: Double) -> Date { t0.addingTimeInterval(m * 60) }

    static func board(_ phase: LeanCoffeePhase = .collect, settings: LeanCoffeeSettings = LeanCoffeeSettings(), standalone: Bool = false,
                      votingOpened: Bool? = nil) -> LeanCoffeeBoard {
        LeanCoffeeBoard(id: boardID, workspaceID: standalone ? nil : wsID, title: "Lean Coffee Inklusion", facilitators: [facilitatorUser.userID!],
                        settings: settings, phase: phase, votingOpened: votingOpened ?? (phase != .collect), votesRevealed: false,
                        discussion: nil, createdBy: facilitatorUser.userID!, createdAt: t0, updatedAt: t0, closedAt: nil, version: 1)
    }

    static func topic(_ n: Int, by author: ParticipantRef = .user(UserID(uuid(3))), at minute: Double = 0, title: String? = nil,
                      status: LeanCoffeeTopicStatus = .open, anonymous: Bool = false) -> LeanCoffeeTopic {
        LeanCoffeeTopic(id: LeanCoffeeTopicID(uuid(100 + n)), boardID: boardID, title: title ?? "Thema \(n)", description: "", author: author,
                        anonymous: anonymous, status: status, createdAt: minutes(minute), updatedAt: minutes(minute))
    }

    static func topicID(_ n: Int) -> LeanCoffeeTopicID { LeanCoffeeTopicID(uuid(100 + n)) }

    static func workspace(archived: Bool = false) -> Workspace {
        Workspace(id: wsID, kind: .focusGroup, name: "Inklusion", description: "", policyFieldIDs: [], endsOn: nil, archived: archived,
                  createdAt: t0, updatedAt: t0, version: 1)
    }
}

/// A board with its records, applying outcomes like a store; ids are handed out in sequence.
struct LeanCoffeeWorld {
    var board: LeanCoffeeBoard
    var content: LeanCoffeeContent
    var events: [LeanCoffeeEvent] = []
    var nextID = 5000

    init(_ board: LeanCoffeeBoard, topics: [LeanCoffeeTopic] = []) {
        self.board = board
        self.content = LeanCoffeeContent(topics: topics)
    }

    mutating func fresh() -> UUID {
        nextID += 1
        return LeanCoffeeFixtures.uuid(nextID)
    }

    @discardableResult
    mutating func apply(_ outcome: LeanCoffeeOutcome) -> LeanCoffeeOutcome {
        board = outcome.board
        content = content.applying(outcome.changes)
        events += outcome.events
        return outcome
    }

    @discardableResult
    mutating func dot(_ topic: Int, by actor: BoardActor, key: String, at minute: Double = 1) throws(DomainError) -> LeanCoffeeOutcome {
        let id = LeanCoffeeDotID(fresh())
        return apply(try LeanCoffeeVoteRules.placeDot(on: LeanCoffeeFixtures.topicID(topic), key: LeanCoffeeFixtures.key(key), id: id,
                                                      board: board, content: content, by: actor, now: LeanCoffeeFixtures.minutes(minute)))
    }

    @discardableResult
    mutating func undot(_ topic: Int, by actor: BoardActor, key: String, at minute: Double = 2) throws(DomainError) -> LeanCoffeeOutcome {
        apply(try LeanCoffeeVoteRules.removeDot(from: LeanCoffeeFixtures.topicID(topic), key: LeanCoffeeFixtures.key(key), board: board,
                                                content: content, by: actor, now: LeanCoffeeFixtures.minutes(minute)))
    }

    @discardableResult
    mutating func phase(_ target: LeanCoffeePhase, at minute: Double = 0, by actor: BoardActor = LeanCoffeeFixtures.facilitator)
        throws(DomainError) -> LeanCoffeeOutcome {
        apply(try LeanCoffeeBoardRules.changePhase(board, to: target, content: content, by: actor, now: LeanCoffeeFixtures.minutes(minute)))
    }

    func dots(_ topic: Int) -> Int { LeanCoffeeVoteRules.count(content, topic: LeanCoffeeFixtures.topicID(topic)) }
}

/// Runs a throwing rule and returns its error code, or "ok".
func boardRuleCode<T>(_ body: () throws(DomainError) -> T) -> String {
    do {
        _ = try body()
        return "ok"
    } catch {
        return error.code
    }
}

@Suite("Boards: who takes part and how")
struct LeanCoffeeParticipationTests {
    typealias F = LeanCoffeeFixtures

    @Test("Roles on a workspace board and on a standalone board", arguments: [
        (F.admin, BoardRole.lead, BoardRole.lead),
        (F.coordinator, .lead, .participant),
        (F.facilitator, .lead, .lead),
        (F.member, .participant, .participant),
        (F.observer, .viewer, .participant),
    ])
    func roles(actor: BoardActor, inWorkspace: BoardRole, standalone: BoardRole) {
        #expect(F.board().access.role(of: actor) == inWorkspace)
        #expect(F.board(standalone: true).access.role(of: actor) == standalone)
    }

    @Test("Outsiders, anonymous visitors and guests")
    func outsidersAndGuests() {
        let closedToGuests = F.board()
        let openToGuests = F.board(settings: LeanCoffeeSettings(guestsAllowed: true))
        #expect(closedToGuests.access.role(of: F.outsider) == nil)
        #expect(F.board(standalone: true).access.role(of: F.outsider) == .participant)
        #expect(closedToGuests.access.role(of: F.anonymous) == nil)
        #expect(closedToGuests.access.role(of: F.guest) == nil)
        #expect(openToGuests.access.role(of: F.guest) == .guest)
        #expect(openToGuests.access.role(of: F.foreignGuest) == nil, "a guest pass is good for one board only")
        #expect(!closedToGuests.access.canView(F.outsider) && openToGuests.access.canView(F.guest))
    }

    @Test("A listed facilitator who left the workspace loses the board")
    func leftWorkspace() {
        let former = Principal(userID: F.facilitatorUser.userID, displayName: "F", isAdmin: false, memberships: [:])
        #expect(F.board().access.role(of: .user(former)) == nil)
    }

    @Test("Refusals name why", arguments: [
        (F.anonymous, BoardRole.guest, "auth.required"),
        (F.outsider, .guest, "leanCoffee.notFound"),
        (F.foreignGuest, .guest, "leanCoffee.notFound"),
        (F.guest, .guest, "leanCoffee.guestsNotAllowed"),
        (F.observer, .guest, "leanCoffee.readOnly"),
        (F.member, .lead, "leanCoffee.facilitatorOnly"),
        (F.observer, .lead, "leanCoffee.facilitatorOnly"),
        (F.member, .participant, "ok"),
        (F.coordinator, .lead, "ok"),
    ])
    func refusals(actor: BoardActor, minimum: BoardRole, code: String) {
        #expect(boardRuleCode { () throws(DomainError) in try F.board().access.require(minimum, actor) } == code)
    }

    @Test("Guests cannot do what needs an account")
    func guestNeedsAccount() {
        let board = F.board(settings: LeanCoffeeSettings(guestsAllowed: true))
        #expect(boardRuleCode { () throws(DomainError) in try board.access.require(.participant, F.guest) } == "leanCoffee.accountRequired")
    }

    @Test("One-line texts: whitespace collapsed, control and bidi characters refused", arguments: [
        ("  Kita   Plätze \t jetzt ", "Kita Plätze jetzt", [String]()),
        ("ab", "ab", ["title:tooShort"]),
        ("", "", ["title:required"]),
        (String(repeating: "x", count: 121), String(repeating: "x", count: 121), ["title:tooLong"]),
        ("Glocke\u{0007}", "Glocke\u{0007}", ["title:invalidCharacters"]),
        ("abc\u{202E}fed", "abc\u{202E}fed", ["title:invalidCharacters"]),
        ("Zeile\neins", "Zeile eins", []),
    ])
    func lineTexts(raw: String, normalized: String, issues: [String]) {
        var found: [FieldIssue] = []
        #expect(BoardText.line(raw, field: "title", length: 3...120, issues: &found) == normalized)
        #expect(found.map { "\($0.field):\($0.code)" } == issues)
    }

    @Test("Multi-line texts keep line breaks and tabs, refuse other control characters", arguments: [
        ("  - eins\r\n- zwei\t(2)  ", "- eins\n- zwei\t(2)", [String]()),
        ("Ende\u{0000}", "Ende\u{0000}", ["text:invalidCharacters"]),
        ("   ", "", ["text:required"]),
    ])
    func multiLineTexts(raw: String, normalized: String, issues: [String]) {
        var found: [FieldIssue] = []
        #expect(BoardText.text(raw, field: "text", length: 1...100, issues: &found) == normalized)
        #expect(found.map { "\($0.field):\($0.code)" } == issues)
    }

    @Test("Idempotency keys: 8 to 100 safe ASCII characters", arguments: [
        ("0f8c2a4e-1b7d-4c1e-9a3f-2d6e8b0c4a11", true), ("abcdefgh", true), ("a:b.c_d-e", true), ("short", false),
        (String(repeating: "k", count: 101), false), ("with space", false), ("umläute-key", false), ("key\u{0000}zero", false),
    ])
    func idempotencyKeys(raw: String, valid: Bool) {
        #expect((IdempotencyKey(raw) != nil) == valid)
        #expect(boardRuleCode { () throws(DomainError) in try IdempotencyKey.parse(raw) } == (valid ? "ok" : "validation.failed"))
    }

    @Test("Guests join by link with a display name, only where allowed; joining again renames")
    func guestJoin() throws {
        let closed = F.board()
        #expect(boardRuleCode { () throws(DomainError) in
            try LeanCoffeeBoardRules.joinAsGuest(closed, guestID: F.guestID, displayName: "Anna", existing: nil, now: F.t0)
        } == "leanCoffee.guestsNotAllowed")
        let open = F.board(settings: LeanCoffeeSettings(guestsAllowed: true))
        let joined = try LeanCoffeeBoardRules.joinAsGuest(open, guestID: F.guestID, displayName: "  Anna  B. ", existing: nil, now: F.t0)
        let guest = BoardGuest(id: F.guestID, scope: F.boardID.uuid, displayName: "Anna B.", joinedAt: F.t0)
        #expect(joined.changes == [.guest(guest)] && joined.events == [.guestJoined(guest, board: F.boardID)])
        let again = try LeanCoffeeBoardRules.joinAsGuest(open, guestID: F.guestID, displayName: "Anna B.", existing: guest, now: F.minutes(5))
        #expect(again.replayed && again.changes.isEmpty && again.events.isEmpty)
        let renamed = try LeanCoffeeBoardRules.joinAsGuest(open, guestID: F.guestID, displayName: "Anna", existing: guest, now: F.minutes(5))
        #expect(renamed.changes == [.guest(BoardGuest(id: F.guestID, scope: F.boardID.uuid, displayName: "Anna", joinedAt: F.t0))])
        #expect(boardRuleCode { () throws(DomainError) in
            try LeanCoffeeBoardRules.joinAsGuest(open, guestID: F.guestID, displayName: "\u{202E}nimda", existing: nil, now: F.t0)
        } == "validation.failed")
    }

    @Test("Participant references sort and print stably")
    func participantRefs() {
        let user = ParticipantRef.user(UserID(F.uuid(1)))
        let guest = ParticipantRef.guest(GuestID(F.uuid(1)))
        #expect(user.description == "user:00000000-0000-0000-0000-000000000001")
        #expect(guest < user)
        #expect(F.guest.participant == .guest(F.guestID) && F.anonymous.participant == nil && F.member.userID == F.memberUser.userID)
    }
}
