import Foundation
import HTTPTypes
import HubApp
import HubCore
import HubServices
import Hummingbird
import HummingbirdTesting
import Testing

@Suite("Barcamp API")
struct BarcampAPITests {
    static let guest = HTTPField.Name("X-Guest-Token")!

    static func iso(_ date: Date) -> String { WireJSON.formatInstant(date) }

    /// Rooms and slots as JSON: `rooms` rooms of capacity 30, `slots` session slots of 45 minutes
    /// from 10:00 with a pause after the first.
    static func layout(rooms: Int, slots: Int, start: Date = Date(timeIntervalSince1970: 1_800_000_000)) -> ([[String: Any]], [[String: Any]]) {
        let roomList = (0..<rooms).map { ["id": UUID().uuidString.lowercased(), "name": "Raum \($0 + 1)", "capacity": 30] as [String: Any] }
        var slotList: [[String: Any]] = []
        var t = start
        for i in 0..<slots {
            slotList.append(["id": UUID().uuidString.lowercased(), "kind": "sessions", "title": "Runde \(i + 1)", "startsAt": iso(t),
                             "endsAt": iso(t.addingTimeInterval(45 * 60))])
            t = t.addingTimeInterval(45 * 60)
            if i == 0 {
                slotList.append(["id": UUID().uuidString.lowercased(), "kind": "pause", "title": "Kaffee", "startsAt": iso(t),
                                 "endsAt": iso(t.addingTimeInterval(15 * 60))])
                t = t.addingTimeInterval(15 * 60)
            }
        }
        return (roomList, slotList)
    }

    /// A fresh barcamp in `workspace` (guests allowed) with one room, a session slot, a pause and one session by `admin`.
    static func matrixBarcamp(_ client: some TestClientProtocol, admin: String?, workspace: WorkspaceID) async throws
        -> (barcamp: String, session: String, room: String, slot: String) {
        let (rooms, slots) = layout(rooms: 1, slots: 1)
        let created = JSON.object(try await client.call(.post, "/api/v1/barcamps", token: admin, json: [
            "title": "Matrix-Barcamp", "workspaceId": workspace.description, "rooms": rooms, "slots": slots,
            "settings": ["interestLimit": 8, "proposalsPerParticipant": 3, "proposalsOpen": true, "guestsAllowed": true],
        ]).body)
        let id = (created["barcamp"] as? [String: Any])?["id"] as? String ?? "none"
        let proposed = JSON.object(try await client.call(.post, "/api/v1/barcamps/\(id)/sessions", token: admin, json: ["title": "Matrix-Session"]).body)
        let session = (proposed["sessions"] as? [[String: Any]])?.first?["id"] as? String ?? "none"
        #expect(session != "none", "barcamp fixture: \(created) / \(proposed)")
        return (id, session, rooms[0]["id"] as? String ?? "", slots[0]["id"] as? String ?? "")
    }

    static func sessions(_ body: [String: Any]) -> [[String: Any]] { body["sessions"] as? [[String: Any]] ?? [] }
    static func version(_ body: [String: Any]) -> Int { (body["barcamp"] as? [String: Any])?["version"] as? Int ?? -1 }

    @Test("Rooms, slots with a common block, proposals, interest with a limit, the grid on If-Match, publish, my agenda as iCalendar, notes, documentation")
    func wholeFlow() async throws {
        let hub = try await TestHub()
        try await hub.application().test(.router) { client in
            let coordinator = try await client.token(.coordinator)
            let member = try await client.token(.member)
            let (rooms, slots) = Self.layout(rooms: 2, slots: 2)
            let created = try await client.call(.post, "/api/v1/barcamps", token: coordinator, json: [
                "title": "Sozialplanungskonferenz", "workspaceId": hub.integration.description, "rooms": rooms, "slots": slots,
                "settings": ["interestLimit": 2, "proposalsPerParticipant": 3, "proposalsOpen": true, "guestsAllowed": true],
            ])
            #expect(created.status == .created)
            var body = JSON.object(created.body)
            let id = try #require((body["barcamp"] as? [String: Any])?["id"] as? String)
            let admin = try await client.token(.admin)
            for (title, host) in [("Wohnen im Alter", member), ("Mobilität auf dem Land", coordinator), ("Pflege daheim", admin)] {
                body = JSON.object(try await client.call(.post, "/api/v1/barcamps/\(id)/sessions", token: host, json: ["title": title]).body)
            }
            let ids = Dictionary(uniqueKeysWithValues: Self.sessions(body).map { ($0["title"] as? String ?? "", $0["id"] as? String ?? "") })
            #expect(ids.count == 3)
            // Interest: a set with a limit of two; counts, never who.
            let wohnen = try #require(ids["Wohnen im Alter"])
            for _ in 0..<2 { body = JSON.object(try await client.call(.put, "/api/v1/barcamps/\(id)/sessions/\(wohnen)/interest", token: coordinator).body) }
            #expect(Self.sessions(body).first { $0["id"] as? String == wohnen }?["interest"] as? Int == 1, "marking twice counts once")
            _ = try await client.call(.put, "/api/v1/barcamps/\(id)/sessions/\(ids["Pflege daheim"]!)/interest", token: coordinator)
            let over = try await client.call(.put, "/api/v1/barcamps/\(id)/sessions/\(ids["Mobilität auf dem Land"]!)/interest", token: coordinator)
            #expect((JSON.object(over.body)["error"] as? [String: Any])?["code"] as? String == "barcamp.interestLimit")
            // The grid: If-Match on the barcamp's version; a common block refuses sessions; a stale version is a 409 with `current`.
            let current = JSON.object(try await client.call(.get, "/api/v1/barcamps/\(id)", token: coordinator).body)
            let v = Self.version(current)
            let pause = try #require(slots.first { $0["kind"] as? String == "pause" }?["id"] as? String)
            let blocked = try await client.call(.post, "/api/v1/barcamps/\(id)/grid?action=assign", token: coordinator,
                                                json: ["sessionId": wohnen, "roomId": rooms[0]["id"]!, "slotId": pause], headers: [.ifMatch: "\"v\(v)\""])
            #expect((JSON.object(blocked.body)["error"] as? [String: Any])?["code"] as? String == "barcamp.commonBlock")
            let assigned = try await client.call(.post, "/api/v1/barcamps/\(id)/grid?action=assign", token: coordinator,
                                                 json: ["sessionId": wohnen, "roomId": rooms[0]["id"]!, "slotId": slots[0]["id"]!],
                                                 headers: [.ifMatch: "\"v\(v)\""])
            #expect(assigned.status == .ok)
            let stale = try await client.call(.post, "/api/v1/barcamps/\(id)/grid?action=unassign", token: coordinator, json: ["sessionId": wohnen],
                                              headers: [.ifMatch: "\"v\(v)\""])
            #expect(stale.status == .conflict && JSON.object(stale.body)["current"] != nil)
            #expect(try await client.call(.post, "/api/v1/barcamps/\(id)/grid?action=assign", token: member,
                                          json: ["sessionId": wohnen, "roomId": rooms[0]["id"]!, "slotId": slots[0]["id"]!],
                                          headers: [.ifMatch: "\"v\(v + 1)\""]).status == .forbidden)
            // The scheduler proposes (changes nothing), then applies on the current version; the pinned session stays.
            let proposal = JSON.object(try await client.call(.post, "/api/v1/barcamps/\(id)/schedule/proposal", token: coordinator).body)
            #expect(proposal["placedSessions"] as? Int == 3 && proposal["basedOnVersion"] as? Int == v + 1)
            let applied = JSON.object(try await client.call(.post, "/api/v1/barcamps/\(id)/schedule/apply", token: coordinator,
                                                            headers: [.ifMatch: "\"v\(v + 1)\""]).body)
            let grid = (applied["barcamp"] as? [String: Any])?["grid"] as? [[String: Any]] ?? []
            #expect(grid.count == 3)
            #expect(grid.contains { $0["sessionId"] as? String == wohnen && $0["slotId"] as? String == slots[0]["id"] as? String && $0["pinned"] as? Bool == true })
            // Publish; then my agenda (host of all three, marked two) and its iCalendar feed.
            let published = try await client.call(.post, "/api/v1/barcamps/\(id)/publish", token: coordinator,
                                                  headers: [.ifMatch: "\"v\(Self.version(applied))\""])
            #expect(published.status == .ok)
            let agenda = JSON.object(try await client.call(.get, "/api/v1/barcamps/\(id)/agenda", token: coordinator).body)["items"] as? [[String: Any]] ?? []
            #expect(agenda.filter { $0["kind"] as? String == "session" }.count == 3, "two marked, one hosted")
            #expect(agenda.contains { $0["kind"] as? String == "pause" })
            let ics = String(buffer: try await client.call(.get, "/api/v1/barcamps/\(id)/agenda.ics", token: coordinator).body)
            #expect(ics.hasPrefix("BEGIN:VCALENDAR\r\n") && ics.contains("SUMMARY:Wohnen im Alter") && ics.contains("SUMMARY:Kaffee"))
            #expect(ics.components(separatedBy: "BEGIN:VEVENT").count - 1 == 4, "three sessions and the pause")
            // Notes with versions: a stale save is a 409; documentation escapes hostile HTML.
            let saved = try await client.call(.put, "/api/v1/barcamps/\(id)/sessions/\(wohnen)/notes", token: member,
                                              json: ["text": "**Ergebnis:** Quartiersbüros <script>alert(1)</script>", "baseVersion": 0])
            #expect(saved.status == .ok)
            let conflict = try await client.call(.put, "/api/v1/barcamps/\(id)/sessions/\(wohnen)/notes", token: coordinator,
                                                 json: ["text": "Überschrieben?", "baseVersion": 0])
            #expect(conflict.status == .conflict)
            let html = String(buffer: try await client.call(.get, "/api/v1/barcamps/\(id)/documentation?format=html", token: member).body)
            #expect(html.contains("<strong>Ergebnis:</strong>") && !html.contains("<script>"))
            let markdown = String(buffer: try await client.call(.get, "/api/v1/barcamps/\(id)/documentation", token: member).body)
            #expect(markdown.contains("Quartiersbüros"))
            #expect(markdown.hasPrefix("# ") && markdown.components(separatedBy: "\n# ").count == 1, "the title once")
            // The same documentation as PDF (German unless lang=en), a structurally valid file.
            let pdfResponse = try await client.call(.get, "/api/v1/barcamps/\(id)/documentation?format=pdf", token: member)
            #expect(pdfResponse.status == .ok && pdfResponse.headers[.contentType] == "application/pdf")
            let pdf = Array(buffer: pdfResponse.body)
            #expect(pdf.starts(with: Array("%PDF-1.4".utf8)))
            DossierTests.checkStructure(pdf)
            let pdfText = DossierTests.latin1(pdf)
            #expect(pdfText.contains("(Barcamp-Dokumentation) Tj") && pdfText.contains("Quartiersb\\374ros"), "German labels, the notes' text in WinAnsi")
            let english = DossierTests.latin1(Array(buffer: try await client.call(.get, "/api/v1/barcamps/\(id)/documentation?format=pdf&lang=en",
                                                                                 token: member).body))
            #expect(english.contains("(Barcamp documentation) Tj") && english.contains("Page 1 of"))
            let unknown = try await client.call(.get, "/api/v1/barcamps/\(id)/documentation?format=docx", token: member)
            #expect(unknown.status == .unprocessableContent && String(buffer: unknown.body).contains("barcamp.formatUnknown"))

            // Deleting: a guest joins; members may not delete, the moderator may; then the barcamp, its
            // notes and the guest's name are gone and the guest's token no longer opens anything.
            let joined = JSON.object(try await client.call(.post, "/api/v1/barcamps/\(id)/guests", token: nil, json: ["displayName": "Gast Ida"]).body)
            let token = try #require(joined["token"] as? String)
            #expect(try await client.call(.get, "/api/v1/barcamps/\(id)", token: nil, headers: [Self.guest: token]).status == .ok)
            #expect(try await client.call(.delete, "/api/v1/barcamps/\(id)", token: nil, headers: [Self.guest: token]).status == .forbidden)
            #expect(try await client.call(.delete, "/api/v1/barcamps/\(id)", token: member).status == .forbidden)
            #expect(try await client.call(.delete, "/api/v1/barcamps/\(id)", token: coordinator).status == .noContent)
            #expect(try await client.call(.get, "/api/v1/barcamps/\(id)", token: coordinator).status == .notFound)
            #expect(try await client.call(.get, "/api/v1/barcamps/\(id)", token: nil, headers: [Self.guest: token]).status == .unauthorized)
            #expect(try await client.call(.delete, "/api/v1/barcamps/\(id)", token: coordinator).status == .notFound)
            let barcampID = try #require(BarcampID(id))
            #expect(try await hub.graph.store.barcampSnapshot(barcampID) == nil)
            #expect(try await hub.graph.store.barcamps(workspace: hub.integration).allSatisfy { $0.id != barcampID })
        }
    }

    @Test("500 participants' marks: the scheduler endpoint answers and the applied grid keeps every invariant")
    func fiveHundred() async throws {
        let hub = try await TestHub()
        try await hub.application().test(.router) { client in
            let coordinator = try await client.token(.coordinator)
            let (rooms, slots) = Self.layout(rooms: 6, slots: 6)
            let created = JSON.object(try await client.call(.post, "/api/v1/barcamps", token: coordinator, json: [
                "title": "Konferenz 500", "rooms": rooms, "slots": slots,
                "settings": ["interestLimit": 10, "proposalsPerParticipant": 3, "proposalsOpen": true, "guestsAllowed": true],
            ]).body)
            let id = try #require(BarcampID((created["barcamp"] as? [String: Any])?["id"] as? String ?? ""))
            // 500 participants (guests), 60 sessions hosted by the first 60 of them, up to 10 marks each: written through the
            // store like 500 people would, seeded so the run is repeatable.
            let now = hub.graph.deps.clock.now()
            let people = (0..<500).map { _ in ParticipantRef.guest(GuestID(UUID())) }
            var changes: [Change] = []
            var sessionIDs: [BarcampSessionID] = []
            for i in 0..<60 {
                let session = BarcampSession(id: BarcampSessionID(UUID()), barcampID: id, title: "Session \(i)", description: "", host: people[i],
                                             coHosts: i % 7 == 0 ? [people[(i + 1) % 60]] : [], format: .discussion, expectedSize: 20,
                                             status: .proposed, createdAt: now, updatedAt: now, version: 1)
                sessionIDs.append(session.id)
                changes.append(.barcamp(.record(.session(session))))
            }
            var generator = SplitMix(seed: 42)
            for person in people {
                var mine = Set<Int>()
                let count = Int(generator.next() % 10) + 1
                while mine.count < count { mine.insert(Int(generator.next() % 60)) }
                for index in mine.sorted() {
                    changes.append(.barcamp(.record(.markAdded(InterestMark(barcampID: id, sessionID: sessionIDs[index], participant: person, at: now)))))
                }
            }
            try await hub.graph.deps.commit(ChangeSet(changes: changes))
            let marks = try #require(try await hub.graph.store.barcampSnapshot(id)).value.marks.count
            #expect(marks >= 500)

            let started = ContinuousClock.now
            let proposal = try await client.call(.post, "/api/v1/barcamps/\(id)/schedule/proposal", token: coordinator)
            let elapsed = ContinuousClock.now - started
            #expect(proposal.status == .ok)
            let body = JSON.object(proposal.body)
            #expect(body["placedSessions"] as? Int == 36, "6 rooms × 6 session slots, all filled from 60 proposals")
            #expect((body["satisfiedInterest"] as? Int ?? 0) > 0)
            print("barcamp scheduler endpoint, 500 participants / \(marks) marks / 60 sessions / 6×6: \(elapsed)")

            let version = Self.version(JSON.object(try await client.call(.get, "/api/v1/barcamps/\(id)", token: coordinator).body))
            let applied = try await client.call(.post, "/api/v1/barcamps/\(id)/schedule/apply", token: coordinator, headers: [.ifMatch: "\"v\(version)\""])
            #expect(applied.status == .ok)
            let state = try #require(try await hub.graph.store.barcampSnapshot(id)).value
            #expect(state.barcamp.grid.count == 36)
            #expect(BarcampGridRules.violations(state.barcamp, sessions: state.sessions).isEmpty)
            // The invariants, checked here independently of the core: one session per cell, no session twice, no common
            // block used, no host or co-host in two sessions of one slot.
            let cells = state.barcamp.grid.map { "\($0.cell.roomID)/\($0.cell.slotID)" }
            #expect(Set(cells).count == cells.count)
            #expect(Set(state.barcamp.grid.map(\.sessionID)).count == state.barcamp.grid.count)
            let common = Set(state.barcamp.slots.filter { $0.kind != .sessions }.map(\.id))
            #expect(!state.barcamp.grid.contains { common.contains($0.cell.slotID) })
            let byID = Dictionary(uniqueKeysWithValues: state.sessions.map { ($0.id, $0) })
            for slot in Set(state.barcamp.grid.map(\.cell.slotID)) {
                let hosts = state.barcamp.grid.filter { $0.cell.slotID == slot }.flatMap { byID[$0.sessionID]?.hosts ?? [] }
                #expect(Set(hosts).count == hosts.count, "a host twice in one slot")
            }
        }
    }
}

/// A small seeded generator (SplitMix64) so the 500-participant data is the same every run.
struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
