import Foundation
import HubCore
import Testing

/// The agenda: derived numbering, keyboard-friendly reordering, the standard skeleton, and
/// the live agenda during the meeting.
@Suite("Meetings: agenda and live agenda")
struct MeetingAgendaTests {
    typealias F = MeetingFixtures

    // The template's items get ids 1001…1005 from the fixture generator.
    static let welcome = AgendaItemID(F.uuid(1001)), reports = AgendaItemID(F.uuid(1003)), topics = AgendaItemID(F.uuid(1004))
    static let a = AgendaItemID(F.uuid(501)), b = AgendaItemID(F.uuid(502)), c = AgendaItemID(F.uuid(503))

    /// The planned meeting with three topics A, B, C under "Themen".
    static func withTopics() throws -> (Meeting, Agenda) {
        var (meeting, agenda) = F.planned()
        meeting.status = .invited
        var after: AgendaItemID?
        for (id, title, minutes) in [(a, "A", 20), (b, "B", 15), (c, "C", 10)] {
            agenda = try AgendaRules.apply(.add(AgendaItemDraft(title: title, durationMinutes: minutes), id: id, parent: topics, after: after), to: agenda,
                                           of: meeting, expectedVersion: agenda.version, by: F.coordinator, knownRecommendations: [], now: F.now).0
            after = id
        }
        return (meeting, agenda)
    }

    static func outline(_ agenda: Agenda) -> [String] { agenda.numbered.map { "\($0.number) \($0.item.title)" } }

    static func apply(_ edits: [AgendaEdit], to start: (Meeting, Agenda)) -> Result<Agenda, DomainError> {
        var agenda = start.1
        for edit in edits {
            do {
                agenda = try AgendaRules.apply(edit, to: agenda, of: start.0, expectedVersion: agenda.version, by: F.coordinator,
                                               knownRecommendations: [], now: F.now).0
            } catch {
                return .failure(error)
            }
        }
        return .success(agenda)
    }

    @Test("Numbers are derived from the position")
    func numbering() throws {
        let (_, agenda) = try Self.withTopics()
        #expect(Self.outline(agenda) == ["1 Begrüßung", "2 Genehmigung des Protokolls der letzten Sitzung", "3 Berichte", "4 Themen", "4.1 A", "4.2 B",
                                         "4.3 C", "5 Verschiedenes"])
        #expect(agenda.number(of: Self.b) == "4.2" && agenda.version == 4)
        #expect(agenda.item(Self.topics)?.plannedMinutes == 45, "an item with sub-items takes their sum")
        #expect(agenda.plannedMinutes == 5 + 5 + 15 + 45 + 10)
    }

    @Test("Keyboard moves: up, down, into the item above, out of the parent, and drag-and-drop to a position", arguments: [
        ([AgendaEdit.moveUp(b)], ["4.1 B", "4.2 A", "4.3 C"]),
        ([.moveDown(a)], ["4.1 B", "4.2 A", "4.3 C"]),
        ([.moveDown(a), .moveDown(a)], ["4.1 B", "4.2 C", "4.3 A"]),
        ([.indent(b)], ["4.1 A", "4.1.1 B", "4.2 C"]),
        ([.indent(b), .indent(c), .outdent(b)], ["4.1 A", "4.1.1 C", "4.2 B"]),
        ([.outdent(a)], ["4.1 B", "4.2 C", "5 A", "6 Verschiedenes"]),
        ([.move(c, parent: nil, index: 0)], ["1 C", "2 Begrüßung", "5 Themen", "5.1 A", "5.2 B"]),
        ([.move(a, parent: c, index: 0)], ["4.1 B", "4.2 C", "4.2.1 A"]),
        ([.moveUp(a)], ["agenda.cannotMove"]),
        ([.moveDown(c)], ["agenda.cannotMove"]),
        ([.indent(a)], ["agenda.cannotMove"]),
        ([.outdent(Self.topics)], ["agenda.standardItemFixed"]),
        ([.indent(b), .indent(c)], ["4.1 A", "4.1.1 B", "4.1.2 C"]),
        ([.indent(b), .move(a, parent: b, index: 0)], ["agenda.cannotMove"]),
        ([.move(Self.welcome, parent: Self.topics, index: 0)], ["agenda.standardItemFixed"]),
        ([.move(a, parent: a, index: 0)], ["agenda.cannotMove"]),
        ([.move(a, parent: Self.topics, index: 4)], ["agenda.cannotMove"]),
    ] as [([AgendaEdit], [String])])
    func moves(edits: [AgendaEdit], expected: [String]) throws {
        switch Self.apply(edits, to: try Self.withTopics()) {
        case .success(let agenda):
            let outline = Self.outline(agenda)
            for line in expected { #expect(outline.contains(line), "\(outline)") }
            #expect(outline.count == 8, "nothing lost or duplicated")
        case .failure(let error):
            #expect([error.code] == expected)
        }
    }

    @Test("Items nest at most three levels (4.1.2)")
    func depth() throws {
        let (b, c) = (Self.b, Self.c)
        let start = try Self.withTopics()
        #expect(Self.outline(try Self.apply([.indent(b), .indent(c)], to: start).get()).contains("4.1.2 C"))
        let attempts: [[AgendaEdit]] = [
            [.indent(b), .indent(c), .indent(c)],
            [.indent(b), .move(c, parent: b, index: 0)],
            [.indent(b), .add(AgendaItemDraft(title: "D", durationMinutes: 5), id: AgendaItemID(F.uuid(504)), parent: b, after: nil)],
        ]
        for edits in attempts {
            guard case .failure(let error) = Self.apply(edits, to: start) else { Issue.record("accepted \(edits)"); continue }
            #expect(error.code == "agenda.tooDeep")
        }
    }

    @Test("Standard items stay: not removed, not moved, their titles fixed; their duration and presenter may change")
    func standardItems() throws {
        let start = try Self.withTopics()
        let cases: [(AgendaEdit, String?)] = [
            (.remove(Self.welcome), "agenda.standardItemFixed"),
            (.moveUp(Self.reports), "agenda.standardItemFixed"),
            (.indent(Self.reports), "agenda.standardItemFixed"),
            (.update(Self.welcome, AgendaItemDraft(title: "Hallo", durationMinutes: 5)), "agenda.standardItemFixed"),
            (.update(Self.welcome, AgendaItemDraft(title: "Begrüßung", durationMinutes: 10, presenter: "Vorsitz")), nil),
            (.remove(Self.a), nil),
        ]
        for (edit, code) in cases {
            switch Self.apply([edit], to: start) {
            case .success: #expect(code == nil, "\(edit)")
            case .failure(let error): #expect(error.code == code, "\(edit)")
            }
        }
        let removedParent = Self.apply([.indent(Self.b), .remove(Self.a)], to: start)
        #expect(Self.outline(try removedParent.get()).filter { $0.hasPrefix("4") } == ["4 Themen", "4.1 C"], "a removed item takes its sub-items along")
    }

    @Test("Non-public items hide their sub-items too; links to recommendations and documents are checked")
    func publicFlagAndLinks() throws {
        var (meeting, agenda) = try Self.withTopics()
        meeting.status = .planned
        let known = RecommendationID(F.uuid(700))
        let draft = AgendaItemDraft(title: "Personalangelegenheit", durationMinutes: 10, isPublic: false)
        agenda = try AgendaRules.apply(.update(Self.b, draft), to: agenda, of: meeting, expectedVersion: agenda.version, by: F.coordinator,
                                       knownRecommendations: [], now: F.now).0
        agenda = try AgendaRules.apply(.indent(Self.c), to: agenda, of: meeting, expectedVersion: agenda.version, by: F.coordinator,
                                       knownRecommendations: [], now: F.now).0
        #expect(agenda.numbered.filter { !$0.isPublic }.map(\.number) == ["4.2", "4.2.1"])
        let linked = AgendaItemDraft(title: "A", durationMinutes: 20, recommendationIDs: [known, known],
                                     documents: [DocumentLink(title: "Konzept", url: "https://kreis.example/konzept.pdf")])
        agenda = try AgendaRules.apply(.update(Self.a, linked), to: agenda, of: meeting, expectedVersion: agenda.version, by: F.coordinator,
                                       knownRecommendations: [known], now: F.now).0
        #expect(agenda.item(Self.a)?.recommendationIDs == [known])
        let bad = AgendaItemDraft(title: " ", durationMinutes: 999, recommendationIDs: [RecommendationID(F.uuid(701))],
                                  documents: [DocumentLink(title: "x", url: "javascript:alert(1)")])
        do {
            _ = try AgendaRules.apply(.update(Self.a, bad), to: agenda, of: meeting, expectedVersion: agenda.version, by: F.coordinator,
                                      knownRecommendations: [known], now: F.now)
            Issue.record("accepted")
        } catch {
            #expect(error.fields.map(\.field) == ["item.title", "item.durationMinutes", "item.recommendationIds[0]", "item.documents[0]"])
        }
    }

    @Test("Who edits the agenda, on which version, and until when", arguments: [
        (F.coordinator, MeetingStatus.invited, 4, nil), (F.admin, .planned, 4, nil), (F.member, .invited, 4, "forbidden"),
        (F.outsider, .invited, 4, "meeting.notFound"), (F.coordinator, .invited, 3, "version.conflict"),
        (F.coordinator, .held, 4, "agenda.frozen"), (F.coordinator, .cancelled, 4, "agenda.frozen"),
    ] as [(Principal, MeetingStatus, Int, String?)])
    func editRules(actor: Principal, status: MeetingStatus, version: Int, code: String?) throws {
        var (meeting, agenda) = try Self.withTopics()
        meeting.status = status
        #expect(F.code { try AgendaRules.apply(.moveDown(Self.a), to: agenda, of: meeting, expectedVersion: version, by: actor,
                                               knownRecommendations: [], now: F.now) } == code)
    }

    @Test("The plan is compared with the meeting's length")
    func overrun() throws {
        var (meeting, agenda) = try Self.withTopics()
        #expect(!agenda.overruns(meeting))
        agenda = try AgendaRules.apply(.update(Self.a, AgendaItemDraft(title: "A", durationMinutes: 65)), to: agenda, of: meeting,
                                       expectedVersion: agenda.version, by: F.coordinator, knownRecommendations: [], now: F.now).0
        #expect(agenda.plannedMinutes == 125 && agenda.overruns(meeting))
        meeting.end = F.local(2026, 4, 14, 19, 30)
        #expect(!agenda.overruns(meeting))
    }

    // MARK: Live

    static let startTime = F.at(2026, 4, 14, 16, 58)

    static func live() throws -> (Meeting, Agenda) {
        let (meeting, agenda) = try Self.withTopics()
        let (held, running, _) = try LiveAgendaRules.start(agenda, of: meeting, by: F.coordinator, now: startTime)
        return (held, running)
    }

    @Test("Starting makes the meeting held and the first item current, with its end as an absolute time")
    func start() throws {
        let (meeting, agenda) = try Self.withTopics()
        #expect(F.code { try LiveAgendaRules.start(agenda, of: meeting, by: F.coordinator, now: F.at(2026, 4, 14, 15, 59)) } == "meeting.tooEarly")
        #expect(F.code { try LiveAgendaRules.start(agenda, of: meeting, by: F.member, now: Self.startTime) } == "forbidden")
        let (held, live, events) = try LiveAgendaRules.start(agenda, of: meeting, by: F.coordinator, now: Self.startTime)
        #expect(held.status == .held && held.heldAt == Self.startTime)
        #expect(live.live?.currentItemID == Self.welcome && live.live?.endsAt == Self.startTime.addingTimeInterval(300))
        #expect(events == [.meetingStatusChanged(held), .liveAgendaChanged(live)])
        #expect(F.code { try LiveAgendaRules.start(live, of: held, by: F.coordinator, now: Self.startTime) } == "meeting.cannotStart")
    }

    @Test("Advancing walks the items without sub-items in reading order and records how long each took")
    func advance() throws {
        var (meeting, agenda) = try Self.live()
        var t = Self.startTime
        var visited: [String] = []
        while let current = agenda.live?.currentItemID {
            visited.append(agenda.number(of: current)!)
            t = t.addingTimeInterval(600)
            agenda = try LiveAgendaRules.advance(agenda, from: current, of: meeting, by: F.coordinator, now: t).0
        }
        #expect(visited == ["1", "2", "3", "4.1", "4.2", "4.3", "5"])
        #expect(agenda.live?.timings.count == 7 && agenda.live?.timings.first?.deviation == 300, "ten minutes for a five-minute item")
        #expect(agenda.live?.endsAt == nil && agenda.live?.isRunning == true)
        meeting.status = .held
        agenda = try LiveAgendaRules.finish(agenda, of: meeting, by: F.coordinator, now: t).0
        #expect(agenda.live?.finishedAt == t && agenda.live?.isRunning == false)
        #expect(F.code { try LiveAgendaRules.advance(agenda, from: nil, of: meeting, by: F.coordinator, now: t) } == "agenda.notLive")
        #expect(F.code { try AgendaRules.apply(.moveDown(Self.a), to: agenda, of: meeting, expectedVersion: agenda.version, by: F.coordinator,
                                               knownRecommendations: [], now: t) } == "agenda.frozen", "the agenda is the record now")
    }

    @Test("A second click on 'next' by someone who saw the old item is a conflict, not a second step")
    func advanceTwice() throws {
        let (meeting, agenda) = try Self.live()
        let (once, _) = try LiveAgendaRules.advance(agenda, from: Self.welcome, of: meeting, by: F.coordinator, now: Self.startTime.addingTimeInterval(60))
        #expect(F.code { try LiveAgendaRules.advance(once, from: Self.welcome, of: meeting, by: F.admin, now: Self.startTime.addingTimeInterval(61)) }
                == "agenda.liveMoved")
    }

    @Test("Overrun is computed from endsAt; extending an overrun item counts from now")
    func overrunAndExtend() throws {
        let (meeting, agenda) = try Self.live()
        let live = try #require(agenda.live)
        #expect(live.overrun(at: Self.startTime.addingTimeInterval(299)) == 0)
        #expect(live.overrun(at: Self.startTime.addingTimeInterval(390)) == 90)
        let early = try LiveAgendaRules.extend(agenda, byMinutes: 5, of: meeting, by: F.coordinator, now: Self.startTime.addingTimeInterval(60)).0
        #expect(early.live?.endsAt == Self.startTime.addingTimeInterval(600))
        let late = try LiveAgendaRules.extend(agenda, byMinutes: 5, of: meeting, by: F.coordinator, now: Self.startTime.addingTimeInterval(390)).0
        #expect(late.live?.endsAt == Self.startTime.addingTimeInterval(690))
        #expect(F.code { try LiveAgendaRules.extend(agenda, byMinutes: 0, of: meeting, by: F.coordinator, now: Self.startTime) } == "validation.failed")
    }

    @Test("Jumping to an item with sub-items lands on its first one; the current item cannot be removed; new items can be added live")
    func jumpAndEditLive() throws {
        let (meeting, agenda) = try Self.live()
        let (jumped, _) = try LiveAgendaRules.goTo(Self.topics, in: agenda, of: meeting, by: F.coordinator, now: Self.startTime.addingTimeInterval(120))
        #expect(jumped.live?.currentItemID == Self.a && jumped.live?.endsAt == Self.startTime.addingTimeInterval(120 + 1200))
        #expect(jumped.live?.timings.map(\.itemID) == [Self.welcome])
        #expect(F.code { try AgendaRules.apply(.remove(Self.a), to: jumped, of: meeting, expectedVersion: jumped.version, by: F.coordinator,
                                               knownRecommendations: [], now: F.now) } == "agenda.itemIsCurrent")
        let added = try AgendaRules.apply(.add(AgendaItemDraft(title: "Spontaner Punkt", durationMinutes: 5), id: AgendaItemID(F.uuid(509)),
                                               parent: Self.topics, after: Self.c), to: jumped, of: meeting, expectedVersion: jumped.version,
                                          by: F.coordinator, knownRecommendations: [], now: F.now).0
        #expect(added.number(of: AgendaItemID(F.uuid(509))) == "4.4" && added.live?.currentItemID == Self.a)
    }
}
