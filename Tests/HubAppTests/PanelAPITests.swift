import Foundation
import HTTPTypes
import HubApp
import HubCore
import HubHTTP
import HubServices
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import Synchronization
import Testing

/// Feedback panels over HTTP: the coordinators' API and the public pages without JavaScript.
@Suite("Feedback panels")
struct PanelAPITests {
    /// A draft recommendation in Integration and a panel on it (as the coordinator), opened unless asked not to.
    static func panel(_ client: some TestClientProtocol, _ hub: TestHub, moderation: String = "pre", access: String = "publicLink",
                      limits: [String: Int]? = nil, open: Bool = true) async throws -> (id: String, questions: [String], version: Int) {
        let coordinator = try await client.token(.coordinator)
        let rec = JSON.object(try await client.call(.post, "/api/v1/workspaces/\(hub.integration)/recommendations", token: coordinator,
                                                    json: ["title": "Ämterlotsinnen und Ämterlotsen"]).body)
        _ = try await client.call(.patch, "/api/v1/recommendations/\(rec["id"] as? String ?? "")", token: coordinator,
                                  json: ["goals": "Menschen finden **schneller** den Weg durch die Ämter."], headers: [.ifMatch: "\"v1\""])
        let today = LocalDate.berlin(Date())
        var body: [String: Any] = [
            "recommendationId": rec["id"] as? String ?? "",
            "title": ["de": "Ihre Meinung zu den Ämterlotsen", "en": "Your view on the office guides"],
            "audience": ["de": "Menschen, die Hilfe bei Anträgen brauchen", "en": "People who need help with applications"],
            "summary": ["de": "Lotsen begleiten Sie zu Ämtern.", "en": "Guides go with you to offices."],
            "easyReadSummary": ["de": "Ein Lotse hilft Ihnen beim Amt."],
            "offersEnglish": true,
            "opensOn": today.description, "closesOn": today.adding(days: 20).description,
            "questions": [
                ["prompt": ["de": "Wie hilfreich wäre das?", "en": "How helpful would it be?"], "kind": "scale", "required": true,
                 "labels": (1...5).map { ["de": "Stufe \($0)", "en": "Level \($0)"] }],
                ["prompt": ["de": "Was sollen wir wissen?", "en": "What should we know?"], "kind": "freeText", "maxLength": 500],
            ],
            "sections": ["goals"], "access": access, "moderation": moderation, "consentVersion": "2026-1",
        ]
        if let limits { body["limits"] = limits }
        let created = try await client.call(.post, "/api/v1/workspaces/\(hub.integration)/panels", token: coordinator, json: body)
        #expect(created.status == .created, "\(String(buffer: created.body))")
        let view = JSON.object(created.body)
        let id = try #require(view["id"] as? String)
        let questions = (view["questions"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String }
        guard open else { return (id, questions, 1) }
        let opened = try await client.call(.post, "/api/v1/panels/\(id)/open", token: coordinator, headers: [.ifMatch: "\"v1\""])
        #expect(opened.status == .ok, "\(String(buffer: opened.body))")
        return (id, questions, 2)
    }

    static func form(_ fields: [(String, String)]) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return fields.map { "\($0.0.addingPercentEncoding(withAllowedCharacters: allowed)!)=\($0.1.addingPercentEncoding(withAllowedCharacters: allowed)!)" }
            .joined(separator: "&")
    }

    static func post(_ client: some TestClientProtocol, _ path: String, _ fields: [(String, String)], headers extra: HTTPFields = [:]) async throws -> TestResponse {
        var headers = extra
        headers[.contentType] = "application/x-www-form-urlencoded"
        return try await client.execute(uri: path, method: .post, headers: headers, body: ByteBuffer(string: form(fields)))
    }

    static func answer(_ p: (id: String, questions: [String], version: Int), scale: String = "4", text: String = "Bitte auch samstags.",
                       extra: [(String, String)] = []) -> [(String, String)] {
        [("q.\(p.questions[0])", scale), ("q.\(p.questions[1])", text), ("s.goals.rating", "5"), ("s.goals.comment", "Gute Ziele."),
         ("pseudonym", "Mira"), ("email", "mira@example.org"), ("consent", "2026-1"), ("website", "")] + extra
    }

    /// The receipt code on a thanks page.
    static func code(_ html: String) -> String? {
        guard let start = html.range(of: "<p class=\"code\" lang=\"en\" translate=\"no\"><strong>"), let end = html.range(of: "</strong>", range: start.upperBound..<html.endIndex) else { return nil }
        return String(html[start.upperBound..<end.lowerBound])
    }

    @Test("The whole loop without JavaScript: form, 422 with summary, receipt, moderation, response, change, withdraw, public page")
    func loop() async throws {
        let hub = try await TestHub()
        try await hub.application().test(.router) { client in
            let p = try await Self.panel(client, hub)
            let page = try await client.execute(uri: "/p/\(p.id)", method: .get)
            let html = String(buffer: page.body)
            #expect(page.status == .ok && page.headers[.cacheControl] == "no-store")
            #expect(html.contains("Ihre Meinung zu den Ämterlotsen") && html.contains("<html lang=\"de\">") && html.contains("name=\"website\""))
            #expect(html.contains("In Leichter Sprache") && html.contains("<strong>schneller</strong>"))
            let english = String(buffer: try await client.execute(uri: "/p/\(p.id)?lang=en", method: .get).body)
            #expect(english.contains("<html lang=\"en\">") && english.contains("Your view on the office guides"))

            // Missing consent and the required question: 422, refilled, a summary linking to each field.
            var fields = Self.answer(p).filter { $0.0 != "consent" && $0.0 != "q.\(p.questions[0])" }
            let refused = try await Self.post(client, "/p/\(p.id)", fields)
            let refusedHTML = String(buffer: refused.body)
            #expect(refused.status == .unprocessableContent)
            #expect(refusedHTML.contains("class=\"error-summary\"") && refusedHTML.contains("href=\"#consent\"") && refusedHTML.contains("href=\"#q-\(p.questions[0])-0\""))
            #expect(refusedHTML.contains("Bitte auch samstags.") && refusedHTML.contains("value=\"Mira\""))

            fields = Self.answer(p)
            let accepted = try await Self.post(client, "/p/\(p.id)", fields)
            let thanks = String(buffer: accepted.body)
            #expect(accepted.status == .ok && accepted.headers[.location] == nil)
            let code = try #require(Self.code(thanks))
            #expect(code.count == 23)

            // Reloading re-posts: the duplicate page, no second item.
            let again = try await Self.post(client, "/p/\(p.id)", fields)
            #expect(String(buffer: again.body).contains("schon angekommen"))

            let coordinator = try await client.token(.coordinator), member = try await client.token(.member)
            let queue = JSON.object(try await client.call(.get, "/api/v1/panels/\(p.id)/queue", token: coordinator).body)["items"] as? [[String: Any]] ?? []
            #expect(queue.count == 1)
            let item = try #require(queue.first?["id"] as? String)
            #expect(queue.first?["email"] == nil && (queue.first?["pseudonym"] as? String) == "Mira")
            // Members do not see pending items.
            let memberItems = JSON.object(try await client.call(.get, "/api/v1/panels/\(p.id)/items", token: member).body)["items"] as? [[String: Any]]
            #expect(memberItems?.isEmpty == true)
            #expect(try await client.call(.post, "/api/v1/panels/\(p.id)/items/\(item)/approve", token: member, json: [:], headers: [.ifMatch: "\"v1\""]).status == .forbidden)
            let approved = try await client.call(.post, "/api/v1/panels/\(p.id)/items/\(item)/approve", token: coordinator, json: [:], headers: [.ifMatch: "\"v1\""])
            #expect(approved.status == .ok)
            #expect(try await client.call(.post, "/api/v1/panels/\(p.id)/items/\(item)/hide", token: coordinator, json: ["reason": "Test"],
                                          headers: [.ifMatch: "\"v1\""]).status == .conflict)
            let results = JSON.object(try await client.call(.get, "/api/v1/panels/\(p.id)/results", token: member).body)
            #expect(results["visibleCount"] as? Int == 1)
            let responded = try await client.call(.put, "/api/v1/panels/\(p.id)/items/\(item)/response", token: coordinator,
                                                  json: ["text": "Wir prüfen Sprechzeiten am Samstag.", "changedRevision": 2])
            #expect(responded.status == .ok, "\(String(buffer: responded.body))")

            // The receipt: typed sloppily, in lower case without hyphens.
            let sloppy = code.replacingOccurrences(of: "-", with: "").lowercased()
            let receipt = String(buffer: try await Self.post(client, "/p/\(p.id)/receipt", [("action", "view"), ("code", sloppy)]).body)
            #expect(receipt.contains("Wir prüfen Sprechzeiten am Samstag.") && receipt.contains("Fassung 2"))
            #expect(receipt.contains("m•••@example.org") && !receipt.contains("mira@example.org"))
            let wrong = try await Self.post(client, "/p/\(p.id)/receipt", [("action", "view"), ("code", "AAAAA-AAAAA-AAAAA-AAAAA")])
            #expect(wrong.status == .notFound && String(buffer: wrong.body).contains("keine Rückmeldung gefunden"))

            // Change (pre-moderation: back to pending), then the public page.
            let changed = try await Self.post(client, "/p/\(p.id)/receipt", [("action", "change"), ("code", code), ("version", "2")]
                                              + Self.answer(p, text: "Und sonntags."))
            #expect(changed.status == .ok && String(buffer: changed.body).contains("Ihre Änderungen sind gespeichert."))
            let stale = try await Self.post(client, "/p/\(p.id)/receipt", [("action", "change"), ("code", code), ("version", "2")] + Self.answer(p))
            #expect(stale.status == .conflict)
            _ = try await client.call(.post, "/api/v1/panels/\(p.id)/items/\(item)/approve", token: coordinator, json: [:], headers: [.ifMatch: "\"v3\""])
            let publicPage = String(buffer: try await client.execute(uri: "/p/\(p.id)/responses", method: .get).body)
            #expect(publicPage.contains("Und sonntags.") && publicPage.contains("Wir prüfen Sprechzeiten am Samstag.") && !publicPage.contains("Mira"))

            // Withdrawing asks first: without the ticked box nothing is deleted (422, the box named).
            let unconfirmed = try await Self.post(client, "/p/\(p.id)/receipt", [("action", "withdraw"), ("code", code)])
            #expect(unconfirmed.status == .unprocessableContent)
            #expect(String(buffer: unconfirmed.body).contains("href=\"#withdraw-confirm\"") && String(buffer: unconfirmed.body).contains("aria-invalid=\"true\""))
            #expect(try #require(try await hub.graph.store.submissions(of: PanelID(p.id)!).first).status != .withdrawn)
            let withdrawn = try await Self.post(client, "/p/\(p.id)/receipt", [("action", "withdraw"), ("code", code), ("confirm", "yes")])
            #expect(String(buffer: withdrawn.body).contains("zurückgezogen"))
            let stored = try #require(try await hub.graph.store.submissions(of: PanelID(p.id)!).first)
            #expect(stored.status == .withdrawn && stored.content.isEmpty && stored.pseudonym == nil && stored.email == nil)

            // Exports: CSV with the defused formula, JSON with the same rows.
            let csv = try await client.call(.get, "/api/v1/panels/\(p.id)/export.csv?kind=results", token: member)
            #expect(csv.status == .ok && String(buffer: csv.body).hasPrefix("\u{FEFF}scope,subject"))
            let png = try await client.call(.get, "/api/v1/panels/\(p.id)/qr.png", token: coordinator)
            #expect(png.status == .ok && Array(png.body.readableBytesView.prefix(4)) == [0x89, 0x50, 0x4E, 0x47])
            let svg = String(buffer: try await client.call(.get, "/api/v1/panels/\(p.id)/qr.svg", token: coordinator).body)
            #expect(svg.hasPrefix("<svg") && svg.contains("/p/\(p.id)"))
        }
    }

    @Test("Live: moderators see new items at once, results views are told to refetch, the public topic gets public responses only")
    func live() async throws {
        let hub = try await TestHub()
        try await hub.application().test(.live) { client in
            let p = try await Self.panel(client, hub)
            let coordinator = try await client.token(.coordinator)
            try await client.live(token: coordinator) { out, inbox in
                _ = try await inbox.next(type: "hello")
                try await out.send(["type": "subscribe", "topic": "workspace:\(hub.integration)", "id": "w"])
                _ = try await inbox.next(type: "subscribed")
                try await client.live { publicOut, publicInbox in
                    _ = try await publicInbox.next(type: "hello")
                    try await publicOut.send(["type": "subscribe", "topic": "panel:\(p.id)", "id": "p"])
                    let subscribed = try await publicInbox.next(type: "subscribed")
                    #expect(subscribed["topic"] as? String == "panel:\(p.id)")

                    let thanks = try await Self.post(client, "/p/\(p.id)", Self.answer(p))
                    #expect(thanks.status == .ok)
                    let waiting = try await inbox.events(1)[0]
                    #expect(waiting["name"] as? String == "panel.awaitingModeration")
                    let data = waiting["data"] as? [String: Any] ?? [:]
                    #expect(data["status"] as? String == "pending" && data["panelId"] as? String == p.id)
                    // No content, no personal data in events.
                    let raw = String(describing: waiting)
                    #expect(!raw.contains("Mira") && !raw.contains("samstags") && !raw.contains("example.org"))
                    let item = try #require(data["submissionId"] as? String)

                    _ = try await client.call(.post, "/api/v1/panels/\(p.id)/items/\(item)/approve", token: coordinator, json: [:], headers: [.ifMatch: "\"v1\""])
                    let moderated = try await inbox.events(2)
                    #expect(moderated.map { $0["name"] as? String } == ["panel.submissionModerated", "panel.resultsChanged"])
                    _ = try await client.call(.put, "/api/v1/panels/\(p.id)/items/\(item)/response", token: coordinator, json: ["text": "Danke!"])
                    #expect(try await inbox.events(1)[0]["name"] as? String == "panel.responseSet")
                    let publicEvents = try await publicInbox.events(1)
                    #expect(publicEvents[0]["name"] as? String == "panel.responseSet" && publicEvents[0]["topic"] as? String == "panel:\(p.id)")
                    // Submissions themselves never reach the public topic.
                    #expect(await publicInbox.quiet(of: "event"))
                }
            }
        }
    }

    @Test("Demo data: an open panel on a draft with answers, one waiting for moderation, and a public response")
    func demo() async throws {
        let hub = try await TestHub()
        try await hub.application().test(.router) { client in
            let member = try await client.token(.member)
            let panels = JSON.object(try await client.call(.get, "/api/v1/workspaces/\(hub.integration)/panels", token: member).body)["items"] as? [[String: Any]] ?? []
            #expect(panels.count == 1 && panels.first?["phase"] as? String == "open")
            let id = try #require(panels.first?["id"] as? String)
            let results = JSON.object(try await client.call(.get, "/api/v1/panels/\(id)/results", token: member).body)
            #expect(results["visibleCount"] as? Int == 3 && results["pendingCount"] as? Int == 1)
            let page = String(buffer: try await client.execute(uri: "/p/\(id)/responses", method: .get).body)
            #expect(page.contains("Elternabende mit Dolmetschung") && !page.contains("Elternbeirat"))
        }
    }

    @Test("Invite-only: the page asks for the code, a wrong one is refused, a used-up one is refused, the code admits")
    func invites() async throws {
        let hub = try await TestHub()
        try await hub.application().test(.router) { client in
            let p = try await Self.panel(client, hub, moderation: "post", access: "inviteOnly")
            let coordinator = try await client.token(.coordinator)
            let created = try await client.call(.post, "/api/v1/panels/\(p.id)/invites", token: coordinator, json: ["label": "Jugendrat", "maxUses": 1])
            #expect(created.status == .created)
            let code = try #require(JSON.object(created.body)["code"] as? String)
            let listed = JSON.object(try await client.call(.get, "/api/v1/panels/\(p.id)/invites", token: coordinator).body)["items"] as? [[String: Any]]
            #expect(listed?.first?["code"] == nil, "the code is shown once")
            let prompt = String(buffer: try await client.execute(uri: "/p/\(p.id)", method: .get).body)
            #expect(prompt.contains("name=\"invite\"") && !prompt.contains("method=\"post\""))
            #expect(try await client.execute(uri: "/p/\(p.id)?invite=AAAAA-AAAAA-AAAAA-AAAAA", method: .get).status == .unprocessableContent)
            let form = String(buffer: try await client.execute(uri: "/p/\(p.id)?invite=\(code)", method: .get).body)
            #expect(form.contains("method=\"post\"") && form.contains("value=\"\(code)\""))
            #expect(try await Self.post(client, "/p/\(p.id)", Self.answer(p, extra: [("invite", "AAAAA-AAAAA-AAAAA-AAAAA")])).status == .forbidden)
            let ok = try await Self.post(client, "/p/\(p.id)", Self.answer(p, extra: [("invite", code)]))
            #expect(ok.status == .ok && Self.code(String(buffer: ok.body)) != nil)
            let usedUp = try await Self.post(client, "/p/\(p.id)", Self.answer(p, scale: "1", extra: [("invite", code)]))
            #expect(usedUp.status == .forbidden && String(buffer: usedUp.body).contains("so oft verwendet"))
            #expect(try await hub.graph.store.invites(of: PanelID(p.id)!).first?.uses == 1)
        }
    }

    @Test("Honeypot: the bot gets the normal receipt page and nothing is stored, counted or published")
    func honeypot() async throws {
        let hub = try await TestHub()
        try await hub.application().test(.router) { client in
            let p = try await Self.panel(client, hub, limits: ["perHour": 1, "perDay": 1])
            let bot = try await Self.post(client, "/p/\(p.id)", Self.answer(p).filter { $0.0 != "website" } + [("website", "http://spam.example")])
            #expect(bot.status == .ok && Self.code(String(buffer: bot.body)) != nil)
            #expect(try await hub.graph.store.submissions(of: PanelID(p.id)!).isEmpty)
            // The one allowed submission is still available: the bot consumed nothing.
            #expect(Self.code(String(buffer: try await Self.post(client, "/p/\(p.id)", Self.answer(p)).body)) != nil)
        }
    }

    @Test("Limits per client key: 429 with Retry-After; duplicates and a refused submission store nothing more")
    func limits() async throws {
        let hub = try await TestHub()
        try await hub.application().test(.router) { client in
            let p = try await Self.panel(client, hub, moderation: "post", limits: ["perHour": 2, "perDay": 5])
            #expect(try await Self.post(client, "/p/\(p.id)", Self.answer(p, scale: "1")).status == .ok)
            #expect(try await Self.post(client, "/p/\(p.id)", Self.answer(p, scale: "2")).status == .ok)
            let third = try await Self.post(client, "/p/\(p.id)", Self.answer(p, scale: "3"))
            #expect(third.status == .tooManyRequests && Int(third.headers[.retryAfter] ?? "") ?? 0 > 0)
            #expect(String(buffer: third.body).contains("viele Antworten"))
            // A duplicate of an accepted one is recognized, not limited.
            #expect(String(buffer: try await Self.post(client, "/p/\(p.id)", Self.answer(p, scale: "2")).body).contains("schon angekommen"))
            #expect(try await hub.graph.store.submissions(of: PanelID(p.id)!).count == 2)
            // Receipt look-ups have a budget of their own (30 an hour per client key).
            for _ in 0..<PanelSubmissions.receiptLimits.perHour {
                #expect(try await Self.post(client, "/p/\(p.id)/receipt", [("action", "view"), ("code", "AAAAA-AAAAA-AAAAA-AAAAA")]).status == .notFound)
            }
            let limited = try await Self.post(client, "/p/\(p.id)/receipt", [("action", "view"), ("code", "AAAAA-AAAAA-AAAAA-AAAAA")])
            #expect(limited.status == .tooManyRequests && limited.headers[.retryAfter] != nil)
        }
    }

    @Test("No raw client address or user agent is stored or logged")
    func noAddressStored() async throws {
        let lines = LogLines()
        var logger = Logger(label: "capture") { _ in lines }
        logger.logLevel = .trace
        let hub = try await TestHub(logger: logger) { $0.trustForwardedFor = true }
        let address = "198.51.100.231", agent = "PanelProbe/9.87 (UniqueAgentMarker)"
        try await hub.application().test(.router) { client in
            let p = try await Self.panel(client, hub)
            let headers: HTTPFields = [HTTPField.Name("X-Forwarded-For")!: address, .userAgent: agent]
            let response = try await Self.post(client, "/p/\(p.id)", Self.answer(p), headers: headers)
            let code = try #require(Self.code(String(buffer: response.body)))
            _ = try await Self.post(client, "/p/\(p.id)/receipt", [("action", "view"), ("code", code)], headers: headers)
            #expect(try await hub.graph.store.submissions(of: PanelID(p.id)!).count == 1)
            #expect(try await hub.graph.store.clientKeySecrets().count == 1)
            // Checkpoint, then read the database file and its WAL byte by byte.
            _ = try await hub.graph.store.prune(eventsBefore: Date(timeIntervalSince1970: 0), now: Date())
            let directory = hub.directory
            var bytes = Data()
            for name in (try FileManager.default.contentsOfDirectory(atPath: directory.path)) where name.hasPrefix("roundtable.sqlite") {
                bytes += (try? Data(contentsOf: directory.appendingPathComponent(name))) ?? Data()
            }
            #expect(bytes.count > 10_000)
            for needle in [address, agent, "UniqueAgentMarker", code, code.replacingOccurrences(of: "-", with: "")] {
                #expect(bytes.range(of: Data(needle.utf8)) == nil, "\(needle) found in the database")
            }
            let logged = lines.all.joined(separator: "\n")
            #expect(logged.contains("/p/\(p.id)"), "the request log is captured")
            for needle in [address, agent, "UniqueAgentMarker", code] {
                #expect(!logged.contains(needle), "\(needle) found in the log")
            }
        }
    }

    @Test("Retention: personal data goes after the retention period, content stays; due panels close")
    func retention() async throws {
        let clock = ManualClock()
        let hub = try await TestHub(clock: clock)
        try await hub.application().test(.router) { client in
            let p = try await Self.panel(client, hub, moderation: "post")
            #expect(try await Self.post(client, "/p/\(p.id)", Self.answer(p)).status == .ok)
            let id = try #require(PanelID(p.id))
            clock.advance(21 * 86_400)
            let maintenance = PanelMaintenance(deps: hub.graph.deps, crypto: SwiftCryptoPanelCrypto())
            let first = try await maintenance.run()
            #expect(first.closed == 1)
            #expect(try await hub.graph.store.panel(id)?.status == .closed)
            var stored = try #require(try await hub.graph.store.submissions(of: id).first)
            #expect(stored.pseudonym == "Mira" && stored.fingerprint == nil && stored.receiptDigest != nil)
            clock.advance(181 * 86_400)
            let second = try await maintenance.run()
            #expect(second.erased >= 1 && second.secretsDeleted >= 1)
            stored = try #require(try await hub.graph.store.submissions(of: id).first)
            #expect(stored.pseudonym == nil && stored.email == nil && stored.receiptDigest == nil && !stored.content.isEmpty)
        }
    }
}

/// Collects log lines (message and metadata) for the privacy test.
final class LogLines: LogHandler, @unchecked Sendable {
    private let lines = Mutex<[String]>([])
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .trace
    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }
    func log(level: Logger.Level, message: Logger.Message, metadata extra: Logger.Metadata?, source: String, file: String, function: String, line: UInt) {
        let all = metadata.merging(extra ?? [:]) { _, b in b }
        lines.withLock { $0.append("\(message) \(all)") }
    }
    var all: [String] { lines.withLock { $0 } }
}
