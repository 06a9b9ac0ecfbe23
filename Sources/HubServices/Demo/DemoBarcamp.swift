import Foundation
import HubCore

/// The demo barcamp: the planning conference (standalone), three rooms, an opening, two session
/// rounds with a pause, four proposals and interest marks by the demo accounts; still in
/// planning, so the moderator (the demo coordinator) can try the scheduler. Stored without events.
enum DemoBarcamp {
    static func changes(deps: ServiceDependencies, coordinator: UserID, member: UserID, admin: UserID) throws -> [Change] {
        let now = deps.clock.now()
        let lead = Principal(userID: coordinator, displayName: "Koordination Fokusgruppe (Demo)", isAdmin: false, memberships: [:])
        let day = LocalDate.berlin(now).adding(days: 30)
        let start = BerlinTime.instant(LocalDateTime(date: day, hour: 9, minute: 0)!)
        func slot(_ kind: BarcampSlotKind, _ title: String, _ from: Int, _ minutes: Int) -> BarcampSlot {
            BarcampSlot(id: BarcampSlotID(deps.ids.uuid()), kind: kind, title: title, startsAt: start.addingTimeInterval(TimeInterval(from * 60)),
                        endsAt: start.addingTimeInterval(TimeInterval((from + minutes) * 60)))
        }
        let rooms = [("Großer Saal", 80), ("Raum Nordheim", 25), ("Raum Südtal", 25)].map {
            BarcampRoom(id: BarcampRoomID(deps.ids.uuid()), name: $0.0, capacity: $0.1)
        }
        let slots = [slot(.opening, "Begrüßung", 0, 30), slot(.sessions, "Runde 1", 30, 60), slot(.pause, "Kaffeepause", 90, 30),
                     slot(.sessions, "Runde 2", 120, 60)]
        var barcamp = try BarcampRules.create(BarcampDraft(title: "Sozialplanungskonferenz (Demo)", rooms: rooms, slots: slots),
                                              id: BarcampID(deps.ids.uuid()), workspace: nil, by: lead, now: now, today: LocalDate.berlin(now)).barcamp
        var sessions: [BarcampSession] = []
        var marks: [InterestMark] = []
        let people: [BoardActor] = [coordinator, member, admin].map {
            .user(Principal(userID: $0, displayName: nil, isAdmin: $0 == admin, memberships: [:]))
        }
        let proposals: [(String, String, Int)] = [
            ("Quartiersnahe Pflege: was Gemeinden leisten können", "Austausch über Pflegestützpunkte und Nachbarschaftshilfe.", 1),
            ("Mobilität auf dem Land: Rufbus und Bürgerbus", "Erfahrungen aus zwei Gemeinden.", 0),
            ("Kita-Sprachförderung: vom Modell in die Fläche", "Rucksack Kita und Sprachstandserhebung zusammendenken.", 1),
            ("Daten für die Sozialplanung: welche Indikatoren tragen?", "", 2),
        ]
        for (title, description, host) in proposals {
            let outcome = try BarcampSessionRules.propose(BarcampProposal(title: title, description: description), id: BarcampSessionID(deps.ids.uuid()),
                                                          barcamp: barcamp, sessions: sessions, by: people[host], now: now)
            barcamp = outcome.barcamp
            for case .session(let s) in outcome.changes { sessions.append(s) }
        }
        for (person, index) in [(0, 0), (0, 2), (1, 1), (1, 3), (2, 0), (2, 1), (2, 2)] {
            let interest = marks.filter { $0.sessionID == sessions[index].id }.count
            let outcome = try BarcampSessionRules.markInterest(in: sessions[index].id, barcamp: barcamp, sessions: sessions, myMarks: marks,
                                                               interest: interest, by: people[person], now: now)
            for case .markAdded(let m) in outcome.changes { marks.append(m) }
        }
        return [.barcamp(.insertBarcamp(barcamp))] + sessions.map { .barcamp(.record(.session($0))) } + marks.map { .barcamp(.record(.markAdded($0))) }
    }
}
