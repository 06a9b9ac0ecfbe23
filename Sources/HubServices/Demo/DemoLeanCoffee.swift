import Foundation
import HubCore

/// The demo Lean Coffee: a board in the Integration focus group, in the vote, with topics and
/// dots by the demo accounts (decided by the core rules, as a real board would be). Stored
/// without events: a page reads it as a snapshot and follows its topic from there.
enum DemoLeanCoffee {
    static func changes(deps: ServiceDependencies, workspace: Workspace?, coordinator: UserID, member: UserID, admin: UserID) throws -> [Change] {
        guard let workspace else { return [] }
        let now = deps.clock.now()
        let lead = BoardActor.user(Principal(userID: coordinator, displayName: "Koordination Fokusgruppe (Demo)", isAdmin: false,
                                             memberships: [workspace.id: .coordinator]))
        let participant = BoardActor.user(Principal(userID: member, displayName: "Mitglied Fokusgruppe (Demo)", isAdmin: false,
                                                    memberships: [workspace.id: .member]))
        let administrator = BoardActor.user(Principal(userID: admin, displayName: "Administration", isAdmin: true, memberships: [:]))
        guard case .user(let leadPrincipal) = lead else { return [] }
        var settings = LeanCoffeeSettings()
        settings.guestsAllowed = true
        var board = try LeanCoffeeBoardRules.create(
            LeanCoffeeDraft(title: "Lean Coffee: Sprachförderung und Ankommen", workspaceID: workspace.id, settings: settings),
            id: LeanCoffeeBoardID(deps.ids.uuid()), workspace: workspace, by: leadPrincipal, now: now, today: LocalDate.berlin(now)).board
        var content = LeanCoffeeContent()
        func take(_ outcome: LeanCoffeeOutcome) {
            board = outcome.board
            content = content.applying(outcome.changes)
        }
        let topics: [(String, String, BoardActor, Bool)] = [
            ("Wartezeiten bei der Sprachstandserhebung", "Viele Kitas warten Monate auf Termine. Wie lässt sich das bündeln?", participant, false),
            ("Ämterlotsen: Sprechzeiten in den Gemeinden", "Feste Sprechzeiten vor Ort statt nur im Kreishaus?", lead, false),
            ("Rucksack Kita auf weitere Kitas ausweiten", "Welche Kitas stehen als nächste bereit, und was kostet es?", administrator, false),
            ("Ehrenamtliche Sprachmittlung gewinnen", "", participant, true),
        ]
        var ids: [LeanCoffeeTopicID] = []
        for (title, description, author, anonymous) in topics {
            let id = LeanCoffeeTopicID(deps.ids.uuid())
            ids.append(id)
            take(try LeanCoffeeTopicRules.add(LeanCoffeeTopicDraft(title: title, description: description, anonymous: anonymous), id: id,
                                              board: board, content: content, by: author, now: now))
        }
        take(try LeanCoffeeBoardRules.changePhase(board, to: .vote, content: content, by: lead, now: now))
        let votes: [(BoardActor, Int)] = [(participant, 0), (participant, 0), (participant, 3), (lead, 1), (lead, 0), (administrator, 2), (administrator, 1)]
        for (index, (voter, topic)) in votes.enumerated() {
            take(try LeanCoffeeVoteRules.placeDot(on: ids[topic], key: IdempotencyKey("demo-dot-\(index)")!, id: LeanCoffeeDotID(deps.ids.uuid()),
                                                  board: board, content: content, by: voter, now: now))
        }
        return [.leanCoffee(.insertBoard(board))]
            + content.topics.map { .leanCoffee(.record(.topic($0))) }
            + content.dots.map { .leanCoffee(.record(.dot($0))) }
    }
}
