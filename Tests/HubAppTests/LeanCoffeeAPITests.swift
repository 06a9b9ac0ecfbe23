import Foundation
import HTTPTypes
import HubApp
import HubCore
import HubServices
import Hummingbird
import HummingbirdTesting
import HummingbirdWSTesting
import Synchronization
import Testing

@Suite("Lean Coffee API")
struct LeanCoffeeAPITests {
    static let key = HTTPField.Name("Idempotency-Key")!
    static let guest = HTTPField.Name("X-Guest-Token")!

    /// A fresh board in `workspace` (guests allowed) with one topic by the administrator; with
    /// `discussing`, moved into the discussion with one takeaway by the administrator.
    static func matrixBoard(_ client: some TestClientProtocol, admin: String?, workspace: WorkspaceID,
                            discussing: Bool) async throws -> (board: String, topic: String, takeaway: String) {
        var settings = LeanCoffeeSettings()
        settings.guestsAllowed = true
        let settingsJSON = try JSONSerialization.jsonObject(with: JSONEncoder().encode(settings))
        let created = JSON.object(try await client.call(.post, "/api/v1/lean-coffee", token: admin,
                                                        json: ["title": "Matrix-Board", "workspaceId": workspace.description, "settings": settingsJSON]).body)
        let board = (created["board"] as? [String: Any])?["id"] as? String ?? "none"
        let added = JSON.object(try await client.call(.post, "/api/v1/lean-coffee/\(board)/topics", token: admin, json: ["title": "Matrix-Thema"]).body)
        let topic = (added["topics"] as? [[String: Any]])?.first?["id"] as? String ?? "none"
        var takeaway = "none"
        if discussing {
            _ = try await client.call(.post, "/api/v1/lean-coffee/\(board)/phase", token: admin, json: ["phase": "vote"])
            _ = try await client.call(.post, "/api/v1/lean-coffee/\(board)/phase", token: admin, json: ["phase": "discuss"])
            let after = JSON.object(try await client.call(.post, "/api/v1/lean-coffee/\(board)/topics/\(topic)/takeaways", token: admin,
                                                          json: ["text": "Matrix-Erkenntnis"]).body)
            takeaway = (after["takeaways"] as? [[String: Any]])?.first?["id"] as? String ?? "none"
        }
        return (board, topic, takeaway)
    }

    static func topics(_ body: [String: Any]) -> [[String: Any]] { body["topics"] as? [[String: Any]] ?? [] }

    @Test("A whole Lean Coffee: topics, dots with idempotency keys, discussion, takeaway, a real draft, exports")
    func wholeFlow() async throws {
        let hub = try await TestHub()
        try await hub.application().test(.router) { client in
            let coordinator = try await client.token(.coordinator)
            let member = try await client.token(.member)
            let observer = try await client.token(.observer)
            var settings = LeanCoffeeSettings()
            settings.dotsPerParticipant = 2
            let settingsJSON = try JSONSerialization.jsonObject(with: JSONEncoder().encode(settings))
            let created = try await client.call(.post, "/api/v1/lean-coffee", token: coordinator,
                                                json: ["title": "Lean Coffee Integration", "workspaceId": hub.integration.description, "settings": settingsJSON])
            #expect(created.status == .created)
            let board = try #require((JSON.object(created.body)["board"] as? [String: Any])?["id"] as? String)
            let first = JSON.object(try await client.call(.post, "/api/v1/lean-coffee/\(board)/topics", token: member,
                                                          json: ["title": "Sprachförderung <b>früher</b>", "description": "Warum erst mit 4?"]).body)
            let topicA = try #require(Self.topics(first).first?["id"] as? String)
            #expect((Self.topics(first).first?["author"] as? [String: Any])?["name"] as? String == "Mitglied (Demo)" ||
                    (Self.topics(first).first?["author"] as? [String: Any])?["kind"] as? String == "user")
            let second = JSON.object(try await client.call(.post, "/api/v1/lean-coffee/\(board)/topics", token: coordinator,
                                                           json: ["title": "Ämterlotsen", "anonymous": true]).body)
            let topicB = try #require(Self.topics(second).first { $0["id"] as? String != topicA }?["id"] as? String)
            #expect(Self.topics(second).first { $0["id"] as? String == topicB }?["author"] == nil, "an anonymous topic shows no author")
            // Observers read but do not take part.
            #expect(try await client.call(.post, "/api/v1/lean-coffee/\(board)/topics", token: observer, json: ["title": "Beobachtet"]).status == .forbidden)
            // Dots only in the vote phase, and only facilitators move the phase.
            #expect(try await client.call(.post, "/api/v1/lean-coffee/\(board)/phase", token: member, json: ["phase": "vote"]).status == .forbidden)
            #expect(try await client.call(.post, "/api/v1/lean-coffee/\(board)/topics/\(topicA)/dots", token: member,
                                          headers: [Self.key: "early-key-1"]).status == .conflict)
            #expect(try await client.call(.post, "/api/v1/lean-coffee/\(board)/phase", token: coordinator, json: ["phase": "vote"]).status == .ok)
            // No key: refused before anything counts.
            #expect(try await client.call(.post, "/api/v1/lean-coffee/\(board)/topics/\(topicA)/dots", token: member).status.code == 428)
            let placed = try await client.call(.post, "/api/v1/lean-coffee/\(board)/topics/\(topicA)/dots", token: member, headers: [Self.key: "click-000001"])
            #expect(placed.status == .ok)
            let replay = try await client.call(.post, "/api/v1/lean-coffee/\(board)/topics/\(topicA)/dots", token: member, headers: [Self.key: "click-000001"])
            #expect(replay.status == .ok)
            #expect(String(buffer: replay.body) == String(buffer: placed.body), "a replay answers exactly like the first time")
            #expect((JSON.object(replay.body)["me"] as? [String: Any])?["dotsLeft"] as? Int == 1)
            let reused = try await client.call(.post, "/api/v1/lean-coffee/\(board)/topics/\(topicB)/dots", token: member, headers: [Self.key: "click-000001"])
            #expect(reused.status == .conflict)
            #expect(JSON.object(reused.body)["current"] != nil, "a 409 carries the current board")
            #expect(try await client.call(.post, "/api/v1/lean-coffee/\(board)/topics/\(topicA)/dots", token: member,
                                          headers: [Self.key: "click-000002"]).status == .ok)
            let over = try await client.call(.post, "/api/v1/lean-coffee/\(board)/topics/\(topicB)/dots", token: member, headers: [Self.key: "click-000003"])
            #expect(over.status == .conflict)
            #expect((JSON.object(over.body)["error"] as? [String: Any])?["code"] as? String == "leanCoffee.noDotsLeft")
            _ = try await client.call(.post, "/api/v1/lean-coffee/\(board)/topics/\(topicB)/dots", token: coordinator, headers: [Self.key: "coord-click-1"])
            // Discussion: topic A (2 dots) first.
            let discuss = JSON.object(try await client.call(.post, "/api/v1/lean-coffee/\(board)/phase", token: coordinator, json: ["phase": "discuss"]).body)
            let discussion = try #require((discuss["board"] as? [String: Any])?["discussion"] as? [String: Any])
            #expect(discussion["current"] as? String == topicA)
            #expect(discussion["endsAt"] is String)
            #expect(Self.topics(discuss).first { $0["id"] as? String == topicA }?["dots"] as? Int == 2)
            // The continue vote waits for the timebox to end.
            let early = try await client.call(.post, "/api/v1/lean-coffee/\(board)/continue", token: member,
                                              json: ["topicId": topicA, "timebox": 0, "vote": "up"])
            #expect((JSON.object(early.body)["error"] as? [String: Any])?["code"] as? String == "leanCoffee.timeboxRunning")
            #expect(try await client.call(.post, "/api/v1/lean-coffee/\(board)/topics/\(topicA)/takeaways", token: member,
                                          json: ["text": "Kitas melden Bedarf bis März"]).status == .created)
            // A topic starts a real draft recommendation in the same transaction.
            let drafted = try await client.call(.post, "/api/v1/lean-coffee/\(board)/topics/\(topicA)/draft", token: member)
            #expect(drafted.status == .created)
            let recommendation = try #require(JSON.object(drafted.body)["recommendationId"] as? String)
            let draft = JSON.object(try await client.call(.get, "/api/v1/recommendations/\(recommendation)", token: member).body)
            let profile = ((draft["recommendation"] as? [String: Any])?["profile"] as? [String: Any])
            #expect(profile?["title"] as? String == "Sprachförderung <b>früher</b>")
            #expect((profile?["situation"] as? String)?.contains("Kitas melden Bedarf bis März") == true)
            #expect(try await client.call(.post, "/api/v1/lean-coffee/\(board)/topics/\(topicA)/draft", token: member).status == .conflict)
            // Exports: never who voted, anonymous topics without author, formulas defused.
            let csv = String(buffer: try await client.call(.get, "/api/v1/lean-coffee/\(board)/export?format=csv", token: observer).body)
            #expect(csv.contains("Sprachförderung <b>früher</b>") && csv.contains("Kitas melden Bedarf bis März"))
            let markdown = String(buffer: try await client.call(.get, "/api/v1/lean-coffee/\(board)/export?format=markdown", token: observer).body)
            #expect(markdown.contains("# Lean Coffee Integration"))
            let json = JSON.object(try await client.call(.get, "/api/v1/lean-coffee/\(board)/export?format=json", token: observer).body)
            #expect(json["totalDots"] as? Int == 3 && json["voters"] as? Int == 2)
            // Closing publishes the summary; a closed board refuses changes.
            #expect(try await client.call(.post, "/api/v1/lean-coffee/\(board)/phase", token: coordinator, json: ["phase": "closed"]).status == .ok)
            let late = try await client.call(.post, "/api/v1/lean-coffee/\(board)/topics/\(topicA)/takeaways", token: member, json: ["text": "Zu spät"])
            #expect((JSON.object(late.body)["error"] as? [String: Any])?["code"] as? String == "leanCoffee.phaseClosed")
        }
    }

    @Test("Guests join by link with a display name; their token is good for that board only")
    func guests() async throws {
        let hub = try await TestHub()
        try await hub.application().test(.router) { client in
            let coordinator = try await client.token(.coordinator)
            let (board, _, _) = try await Self.matrixBoard(client, admin: coordinator, workspace: hub.integration, discussing: false)
            let (other, _, _) = try await Self.matrixBoard(client, admin: coordinator, workspace: hub.integration, discussing: false)
            let invitation = JSON.object(try await client.call(.get, "/api/v1/lean-coffee/\(board)/invitation", token: nil).body)
            #expect(invitation["title"] as? String == "Matrix-Board" && invitation["guestsAllowed"] as? Bool == true)
            let bad = try await client.call(.post, "/api/v1/lean-coffee/\(board)/guests", token: nil, json: ["displayName": "  "])
            #expect(bad.status == .unprocessableContent)
            let joined = try await client.call(.post, "/api/v1/lean-coffee/\(board)/guests", token: nil, json: ["displayName": "Gast <script>"])
            #expect(joined.status == .created)
            let token = try #require(JSON.object(joined.body)["token"] as? String)
            let added = try await client.call(.post, "/api/v1/lean-coffee/\(board)/topics", token: nil, json: ["title": "Busanbindung"],
                                              headers: [Self.guest: token])
            #expect(added.status == .created)
            let mine = Self.topics(JSON.object(added.body)).first { $0["title"] as? String == "Busanbindung" }
            #expect((mine?["author"] as? [String: Any])?["name"] as? String == "Gast <script>")
            #expect((mine?["author"] as? [String: Any])?["kind"] as? String == "guest")
            // Not on another board, not with a made-up token, and guests cannot start drafts.
            #expect(try await client.call(.get, "/api/v1/lean-coffee/\(other)", token: nil, headers: [Self.guest: token]).status == .notFound)
            #expect(try await client.call(.get, "/api/v1/lean-coffee/\(board)", token: nil, headers: [Self.guest: "erfunden"]).status == .unauthorized)
            let topic = try #require(mine?["id"] as? String)
            #expect(try await client.call(.post, "/api/v1/lean-coffee/\(board)/topics/\(topic)/draft", token: nil,
                                          headers: [Self.guest: token]).status == .forbidden)
            // When the facilitator stops allowing guests, the pass stops working.
            let current = JSON.object(try await client.call(.get, "/api/v1/lean-coffee/\(board)", token: coordinator).body)
            let version = try #require((current["board"] as? [String: Any])?["version"] as? Int)
            let noGuests = try JSONSerialization.jsonObject(with: JSONEncoder().encode(LeanCoffeeSettings()))
            #expect(try await client.call(.patch, "/api/v1/lean-coffee/\(board)", token: coordinator, json: ["settings": noGuests],
                                          headers: [.ifMatch: "\"v\(version)\""]).status == .ok)
            let refused = try await client.call(.get, "/api/v1/lean-coffee/\(board)", token: nil, headers: [Self.guest: token])
            #expect((JSON.object(refused.body)["error"] as? [String: Any])?["code"] as? String == "leanCoffee.guestsNotAllowed")
            // A stale If-Match is a 409 with the current board.
            let stale = try await client.call(.patch, "/api/v1/lean-coffee/\(board)", token: coordinator, json: ["title": "Alt"],
                                              headers: [.ifMatch: "\"v\(version)\""])
            #expect(stale.status == .conflict && JSON.object(stale.body)["current"] != nil)
        }
    }

    @Test("The short answer to a vote (Prefer: return=minimal): counts after the vote, replays, refusals, hidden votes, who may")
    func shortVoteAnswer() async throws {
        let hub = try await TestHub()
        try await hub.application().test(.router) { client in
            let coordinator = try await client.token(.coordinator)
            let member = try await client.token(.member)
            let outsider = try await client.token(.outsider)
            let observer = try await client.token(.observer)
            let (board, topic, _) = try await Self.matrixBoard(client, admin: coordinator, workspace: hub.integration, discussing: false)
            _ = try await client.call(.post, "/api/v1/lean-coffee/\(board)/phase", token: coordinator, json: ["phase": "vote"])
            let prefer = HTTPField.Name("Prefer")!
            let path = "/api/v1/lean-coffee/\(board)/topics/\(topic)/dots"
            func vote(_ token: String?, _ key: String, method: HTTPRequest.Method = .post, guest: String? = nil) async throws -> (HTTPResponse.Status, [String: Any], HTTPFields) {
                var headers: HTTPFields = [Self.key: key, prefer: "respond-async, return=minimal"]
                if let guest { headers[Self.guest] = guest }
                let response = try await client.call(method, path, token: token, headers: headers)
                return (response.status, JSON.object(response.body), response.headers)
            }
            let (status, first, headers) = try await vote(member, "short-answer-1")
            #expect(status == .ok && headers[HTTPField.Name("Preference-Applied")!] == "return=minimal")
            #expect(first["dots"] as? Int == 1 && first["totalDots"] as? Int == 1 && first["voters"] as? Int == 1)
            #expect(first["dotsLeft"] as? Int == 2 && first["myDots"] as? Int == 1 && first["replayed"] as? Bool == false)
            #expect(first["topics"] == nil, "not the board")
            let cursor = try #require(first["cursor"] as? [String: Any])
            #expect(cursor["topic"] as? String == "leanCoffee:\(board)" && (cursor["seq"] as? Int ?? 0) > 0)
            // The same key again counts nothing and says so; the counts are the same.
            let (_, replay, _) = try await vote(member, "short-answer-1")
            #expect(replay["replayed"] as? Bool == true && replay["dots"] as? Int == 1 && replay["cursor"] == nil)
            // A guest votes with their token; the board's count includes both.
            let joined = JSON.object(try await client.call(.post, "/api/v1/lean-coffee/\(board)/guests", token: nil, json: ["displayName": "Gast"]).body)
            let guestToken = try #require(joined["token"] as? String)
            let (guestStatus, guestVote, _) = try await vote(nil, "guest-short-1", guest: guestToken)
            #expect(guestStatus == .ok && guestVote["dots"] as? Int == 2 && guestVote["voters"] as? Int == 2 && guestVote["myDots"] as? Int == 1)
            // Taking back: the count falls; the voter has no dot left on it.
            let (_, back, _) = try await vote(member, "short-answer-back", method: .delete)
            #expect(back["dots"] as? Int == 1 && back["myDots"] as? Int == 0 && back["dotsLeft"] as? Int == 3 && back["voters"] as? Int == 1)
            // Refusals keep their envelope.
            for i in 0..<3 { #expect(try await vote(member, "fill-up-key-\(i)").0 == .ok) }
            let (full, refused, _) = try await vote(member, "one-too-many")
            #expect(full == .conflict && (refused["error"] as? [String: Any])?["code"] as? String == "leanCoffee.noDotsLeft")
            #expect(try await vote(nil, "anonymous").0 == .unauthorized)
            #expect(try await vote(outsider, "outsider").0 == .notFound)
            #expect(try await vote(observer, "observer").0 == .forbidden)
            #expect(try await client.call(.post, path, token: member, headers: [prefer: "return=minimal"]).status == .preconditionRequired)
            // The board as everyone reads it agrees with the short answers.
            let read = JSON.object(try await client.call(.get, "/api/v1/lean-coffee/\(board)", token: coordinator).body)
            #expect(read["totalDots"] as? Int == 4 && Self.topics(read).first?["dots"] as? Int == 4)

            // Hidden votes: no per-topic count in the short answer either.
            var hidden = LeanCoffeeSettings()
            hidden.votesHidden = true
            let settingsJSON = try JSONSerialization.jsonObject(with: JSONEncoder().encode(hidden))
            let created = JSON.object(try await client.call(.post, "/api/v1/lean-coffee", token: coordinator,
                                                            json: ["title": "Verdeckt", "workspaceId": hub.integration.description, "settings": settingsJSON]).body)
            let secret = try #require((created["board"] as? [String: Any])?["id"] as? String)
            let added = JSON.object(try await client.call(.post, "/api/v1/lean-coffee/\(secret)/topics", token: coordinator, json: ["title": "Thema"]).body)
            let secretTopic = try #require(Self.topics(added).first?["id"] as? String)
            _ = try await client.call(.post, "/api/v1/lean-coffee/\(secret)/phase", token: coordinator, json: ["phase": "vote"])
            let hiddenVote = JSON.object(try await client.call(.post, "/api/v1/lean-coffee/\(secret)/topics/\(secretTopic)/dots", token: member,
                                                               headers: [Self.key: "hidden-1", prefer: "return=minimal"]).body)
            #expect(hiddenVote["dots"] == nil && hiddenVote["totalDots"] as? Int == 1 && hiddenVote["myDots"] as? Int == 1)
        }
    }

    @Test("Timeboxes as end times: continue votes after expiry, the majority extends, a tie moves on; closing summarizes; deleting removes guests")
    func discussion() async throws {
        let clock = ManualClock()
        let hub = try await TestHub(clock: clock)
        try await hub.application().test(.live) { client in
            let coordinator = try await client.token(.coordinator)
            let member = try await client.token(.member)
            let (board, first, _) = try await Self.matrixBoard(client, admin: coordinator, workspace: hub.integration, discussing: false)
            let second = try #require(Self.topics(JSON.object(try await client.call(.post, "/api/v1/lean-coffee/\(board)/topics", token: member,
                                                                                 json: ["title": "Zweites Thema"]).body))
                .first { $0["title"] as? String == "Zweites Thema" }?["id"] as? String)
            let joined = JSON.object(try await client.call(.post, "/api/v1/lean-coffee/\(board)/guests", token: nil, json: ["displayName": "Gast"]).body)
            let guest = try #require(joined["token"] as? String)
            _ = try await client.call(.post, "/api/v1/lean-coffee/\(board)/phase", token: coordinator, json: ["phase": "vote"])
            _ = try await client.call(.post, "/api/v1/lean-coffee/\(board)/topics/\(first)/dots", token: member, headers: [Self.key: "first-dot-1"])
            let started = JSON.object(try await client.call(.post, "/api/v1/lean-coffee/\(board)/phase", token: coordinator, json: ["phase": "discuss"]).body)
            let discussion = try #require((started["board"] as? [String: Any])?["discussion"] as? [String: Any])
            let endsAt = try #require(WireJSON.parseInstant(discussion["endsAt"] as? String ?? ""))
            #expect(Int(endsAt.timeIntervalSince(clock.now()).rounded()) == 8 * 60, "the first timebox of 8 minutes, stored as its end")
            // Before the end: no continue vote, and concluding by the rule is refused.
            let early = try await client.call(.post, "/api/v1/lean-coffee/\(board)/conclude", token: coordinator, json: ["topicId": first, "timebox": 0])
            #expect((JSON.object(early.body)["error"] as? [String: Any])?["code"] as? String == "leanCoffee.timeboxRunning")
            clock.advance(8 * 60)
            // At the end: two up (member, guest), one down (coordinator): the majority extends by the next timebox (4 minutes).
            for (token, guestToken, vote) in [(member, nil, "up"), (nil, guest, "up"), (coordinator, nil, "down")] as [(String?, String?, String)] {
                let headers: HTTPFields = guestToken.map { [Self.guest: $0] } ?? [:]
                let r = try await client.call(.post, "/api/v1/lean-coffee/\(board)/continue", token: token,
                                              json: ["topicId": first, "timebox": 0, "vote": vote], headers: headers)
                #expect(r.status == .ok)
            }
            // Voting again replaces the vote (still one ballot per person).
            _ = try await client.call(.post, "/api/v1/lean-coffee/\(board)/continue", token: member, json: ["topicId": first, "timebox": 0, "vote": "up"])
            let tally = JSON.object(try await client.call(.get, "/api/v1/lean-coffee/\(board)", token: member).body)["continueTally"] as? [String: Any]
            #expect(tally?["up"] as? Int == 2 && tally?["down"] as? Int == 1)
            let extended = JSON.object(try await client.call(.post, "/api/v1/lean-coffee/\(board)/conclude", token: coordinator,
                                                             json: ["topicId": first, "timebox": 0]).body)
            let after = try #require((extended["board"] as? [String: Any])?["discussion"] as? [String: Any])
            #expect(after["timebox"] as? Int == 1 && after["current"] as? String == first)
            #expect(Int((WireJSON.parseInstant(after["endsAt"] as? String ?? "")?.timeIntervalSince(clock.now()) ?? 0).rounded()) == 4 * 60)
            // A second click on the same conclusion changes nothing.
            let again = JSON.object(try await client.call(.post, "/api/v1/lean-coffee/\(board)/conclude", token: coordinator,
                                                          json: ["topicId": first, "timebox": 0]).body)
            #expect(((again["board"] as? [String: Any])?["version"] as? Int) == ((extended["board"] as? [String: Any])?["version"] as? Int))
            // After the extension: no votes, a tie, so the board moves on to the next topic.
            clock.advance(4 * 60)
            let moved = JSON.object(try await client.call(.post, "/api/v1/lean-coffee/\(board)/conclude", token: coordinator,
                                                          json: ["topicId": first, "timebox": 1]).body)
            #expect(((moved["board"] as? [String: Any])?["discussion"] as? [String: Any])?["current"] as? String == second)
            #expect(Self.topics(moved).first { $0["id"] as? String == first }?["status"] as? String == "discussed")
            _ = try await client.call(.post, "/api/v1/lean-coffee/\(board)/topics/\(first)/takeaways", token: member, json: ["text": "Rufbus prüfen"])
            // The minutes hook is published with the Markdown block.
            let meeting = UUID().uuidString.lowercased()
            #expect(try await client.call(.post, "/api/v1/lean-coffee/\(board)/minutes", token: coordinator, json: ["meetingId": meeting]).status == .ok)
            let events = try await hub.graph.store.events(topic: .leanCoffee(try #require(LeanCoffeeBoardID(board))), after: 0, limit: 100).events
            let handoff = try #require(events.last { $0.name == "leanCoffee.takeawaysSentToMinutes" })
            #expect(handoff.payload.contains(meeting) && handoff.payload.contains("Rufbus prüfen"))
            #expect(!events.contains { $0.payload.contains("\"participant\"") }, "no event names who voted")
            // Closing summarizes.
            let closed = try await client.call(.post, "/api/v1/lean-coffee/\(board)/phase", token: coordinator, json: ["phase": "closed"])
            #expect(closed.status == .ok)
            let summary = try await hub.graph.store.events(topic: .leanCoffee(try #require(LeanCoffeeBoardID(board))), after: 0, limit: 100).events
                .last { $0.name == "leanCoffee.boardClosed" }
            #expect(summary?.payload.contains("Rufbus prüfen") == true)
            // Deleting the board removes the guests' names with it; the guest's token stops working.
            #expect(try await client.call(.delete, "/api/v1/lean-coffee/\(board)", token: member).status == .forbidden)
            #expect(try await client.call(.delete, "/api/v1/lean-coffee/\(board)", token: coordinator).status == .noContent)
            #expect(try await client.call(.get, "/api/v1/lean-coffee/\(board)", token: nil, headers: [Self.guest: guest]).status == .unauthorized)
        }
    }

    @Test("Retention: a closed board's guests keep their names for the period, then are shown as „Gast“ and their token ends")
    func guestRetention() async throws {
        let clock = ManualClock()
        let hub = try await TestHub(clock: clock)
        try await hub.application().test(.router) { client in
            var coordinator = try await client.token(.coordinator)
            let (board, _, _) = try await Self.matrixBoard(client, admin: coordinator, workspace: hub.integration, discussing: false)
            let joined = JSON.object(try await client.call(.post, "/api/v1/lean-coffee/\(board)/guests", token: nil, json: ["displayName": "Erika M."]).body)
            let token = try #require(joined["token"] as? String)
            #expect(try await client.call(.post, "/api/v1/lean-coffee/\(board)/topics", token: nil,
                                          json: ["title": "Busanbindung"], headers: [Self.guest: token]).status == .created)
            let maintenance = BoardGuestMaintenance(deps: hub.graph.deps, days: 90)
            func guestAuthor() async throws -> String? {
                let body = JSON.object(try await client.call(.get, "/api/v1/lean-coffee/\(board)", token: coordinator).body)
                return (Self.topics(body).first { $0["title"] as? String == "Busanbindung" }?["author"] as? [String: Any])?["name"] as? String
            }
            // While the board runs nothing is erased, however long it runs.
            clock.advance(200 * 86_400)
            coordinator = try await client.token(.coordinator)  // sessions last hours, not months
            #expect(try await maintenance.run() == 0)
            #expect(try await guestAuthor() == "Erika M.")
            // Closed: the names stay for the period, then go; the topic stays.
            #expect(try await client.call(.post, "/api/v1/lean-coffee/\(board)/phase", token: coordinator, json: ["phase": "vote"]).status == .ok)
            #expect(try await client.call(.post, "/api/v1/lean-coffee/\(board)/phase", token: coordinator, json: ["phase": "closed"]).status == .ok)
            clock.advance(89 * 86_400)
            coordinator = try await client.token(.coordinator)
            #expect(try await maintenance.run() == 0)
            #expect(try await guestAuthor() == "Erika M.")
            #expect(try await client.call(.get, "/api/v1/lean-coffee/\(board)", token: nil, headers: [Self.guest: token]).status == .ok)
            clock.advance(1 * 86_400)
            coordinator = try await client.token(.coordinator)
            #expect(try await maintenance.run() == 1)
            #expect(try await guestAuthor() == "Gast")
            #expect(try await client.call(.get, "/api/v1/lean-coffee/\(board)", token: nil, headers: [Self.guest: token]).status == .unauthorized)
            #expect(try await maintenance.run() == 0, "nothing left to erase")
            let export = String(buffer: try await client.call(.get, "/api/v1/lean-coffee/\(board)/export?format=json", token: coordinator).body)
            #expect(export.contains("Busanbindung") && !export.contains("Erika"))
        }
    }

    @Test("50 participants vote concurrently over HTTP; every WebSocket client ends with exactly the server's counts")
    func fiftyVoters() async throws {
        let hub = try await TestHub()
        try await hub.application().test(.live) { client in
            let coordinator = try await client.token(.coordinator)
            let (board, firstTopic, _) = try await Self.matrixBoard(client, admin: coordinator, workspace: hub.integration, discussing: false)
            var topics = [firstTopic]
            for title in ["Wohnen im Alter", "Pflege daheim", "Schulwege", "Ehrenamt"] {
                let body = JSON.object(try await client.call(.post, "/api/v1/lean-coffee/\(board)/topics", token: coordinator, json: ["title": title]).body)
                topics = Self.topics(body).compactMap { $0["id"] as? String }
            }
            #expect(topics.count == 5)
            var tokens: [String] = []
            for i in 0..<50 {
                let joined = JSON.object(try await client.call(.post, "/api/v1/lean-coffee/\(board)/guests", token: nil,
                                                               json: ["displayName": "Person \(i)"]).body)
                tokens.append(try #require(joined["token"] as? String))
            }
            #expect(try await client.call(.post, "/api/v1/lean-coffee/\(board)/phase", token: coordinator, json: ["phase": "vote"]).status == .ok)
            let progress = VoteProgress()
            let allTopics = topics
            try await withThrowingTaskGroup(of: Void.self) { group in
                for (i, token) in tokens.enumerated() {
                    group.addTask {
                        try await client.live { out, inbox in
                            try await out.send(["type": "subscribe", "topic": "leanCoffee:\(board)", "guest": token, "id": "s"])
                            let answer = try await inbox.next(type: "subscribed", timeout: .seconds(30))
                            #expect(answer["topic"] as? String == "leanCoffee:\(board)")
                            progress.subscribed.withLock { $0 += 1 }
                            while progress.subscribed.withLock({ $0 }) < 50 { try await Task.sleep(for: .milliseconds(50)) }
                            // Three dots each (the default), every request sent twice with the same key (a retry).
                            for d in 0..<3 {
                                let topic = allTopics[(i + d * 2) % allTopics.count]
                                let key = "p\(i)-dot\(d)-\(UUID().uuidString.prefix(8))"
                                for _ in 0..<2 {
                                    let r = try await client.call(.post, "/api/v1/lean-coffee/\(board)/topics/\(topic)/dots", token: nil,
                                                                  headers: [Self.key: key, Self.guest: token])
                                    #expect(r.status == .ok)
                                }
                            }
                            progress.voted.withLock { $0 += 1 }
                            while progress.voted.withLock({ $0 }) < 50 { try await Task.sleep(for: .milliseconds(50)) }
                            // Wait (checking every 50 ms, not busily) until this client holds the topic's head, then apply every
                            // tally event in order (values, not increments).
                            let head = try #require((JSON.object(try await client.call(.get, "/api/v1/lean-coffee/\(board)", token: coordinator).body)["cursor"]
                                as? [String: Any])?["seq"] as? Int)
                            func flatten(_ messages: [String]) -> [[String: Any]] {
                                messages.map { JSON.object($0) }.flatMap { message -> [[String: Any]] in
                                    switch message["type"] as? String {
                                    case "event": [message]
                                    case "batch": message["events"] as? [[String: Any]] ?? []
                                    default: []
                                    }
                                }
                            }
                            // Parse each message once, as it arrives.
                            var events: [[String: Any]] = []
                            var parsed = 0
                            let deadline = ContinuousClock.now + .seconds(30)
                            while ContinuousClock.now < deadline {
                                let all = inbox.all
                                events += flatten(Array(all[parsed...]))
                                parsed = all.count
                                if (events.last?["seq"] as? Int ?? 0) >= head { break }
                                try await Task.sleep(for: .milliseconds(50))
                            }
                            var counts: [String: Int] = [:]
                            var lastSeq = 0
                            for event in events {
                                let seq = event["seq"] as? Int ?? 0
                                // A conflated tally says with `prev` which event it follows (the ones between were older counts).
                                #expect(lastSeq == 0 || (seq > lastSeq && (event["prev"] as? Int ?? seq - 1) <= lastSeq), "no gap, no duplicate")
                                lastSeq = seq
                                guard event["name"] as? String == "leanCoffee.tallyChanged", let data = event["data"] as? [String: Any] else { continue }
                                #expect(data.keys.sorted() == ["boardId", "dots", "topicId"], "a tally never says who voted")
                                counts[data["topicId"] as? String ?? ""] = data["dots"] as? Int
                            }
                            #expect(lastSeq >= head, "client \(i) received every event up to the head")
                            let server = JSON.object(try await client.call(.get, "/api/v1/lean-coffee/\(board)", token: coordinator).body)
                            for topic in Self.topics(server) {
                                let id = topic["id"] as? String ?? ""
                                if counts[id] ?? 0 != topic["dots"] as? Int ?? -1 {
                                    progress.mismatches.withLock { $0.append("client \(i): \(id) \(counts[id] ?? 0) vs \(topic["dots"] ?? "nil")") }
                                }
                            }
                        }
                    }
                }
                try await group.waitForAll()
            }
            #expect(progress.mismatches.withLock { $0 }.isEmpty, "\(progress.mismatches.withLock { $0 }.prefix(5))")
            let final = JSON.object(try await client.call(.get, "/api/v1/lean-coffee/\(board)", token: coordinator).body)
            #expect(final["totalDots"] as? Int == 150, "50 people × 3 dots, each request retried once, counted once")
            #expect(final["voters"] as? Int == 50)
            #expect(Self.topics(final).reduce(0) { $0 + ($1["dots"] as? Int ?? 0) } == 150)
        }
    }
}

/// Shared by the simulated participants of `fiftyVoters`.
final class VoteProgress: Sendable {
    let subscribed = Mutex(0)
    let voted = Mutex(0)
    let mismatches = Mutex<[String]>([])
}
