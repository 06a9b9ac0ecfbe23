import Foundation
import HubCore
import Testing

@Suite("Feedback panels: retention")
struct FeedbackPanelRetentionTests {
    typealias F = PanelFixture

    static let content = SubmissionContent(answers: [PanelAnswer(questionID: F.qScale, value: .scale(4))])

    static func item(_ status: SubmissionStatus = .visible, panel: PanelID = F.panelID) -> PanelSubmission {
        F.item(status, panel: panel, content: status == .withdrawn ? SubmissionContent() : content, pseudonym: "Mira", email: "m@example.org",
               receipt: F.code(21))
    }

    @Test("The erasure day: the panel's last day plus the retention days (Berlin days)", arguments: [
        (PanelStatus.draft, nil as String?, "2026-12-01", nil as String?),
        (.open, nil, "2026-05-20", nil),
        (.open, nil, "2026-06-01", "2026-11-27"),
        (.closed, "2026-05-31", "2026-06-01", "2026-11-27"),
        (.closed, "2026-05-20", "2026-05-21", "2026-11-16"),
        (.archived, "2026-05-31", "2027-01-01", "2026-11-27"),
    ])
    func erasureDay(status: PanelStatus, closedOn: String?, today: String, expected: String?) {
        let panel = F.panel(status, closedOn: closedOn.map(F.day))
        #expect(panel.erasureDay(on: F.day(today)) == expected.map(F.day))
    }

    @Test("Retention ends at midnight in Berlin on the erasure day, not a minute earlier")
    func boundary() {
        let panel = F.panel(.closed, closedOn: F.day("2026-05-31"))
        let items = [Self.item()]
        // 26 November, 23:59 in Berlin (CET, UTC+1): only the fingerprint, whose window passed long ago.
        let before = PanelRetention.due(panels: [panel], submissions: items, now: F.date("2026-11-26T22:59:00Z"))
        #expect(before.map(\.reason) == [.duplicateWindowPassed] && before[0].fields == [.fingerprint])
        let on = PanelRetention.due(panels: [panel], submissions: items, now: F.date("2026-11-26T23:00:00Z"))
        #expect(on.map(\.reason) == [.retentionEnded] && on[0].fields == [.pseudonym, .email, .receiptDigest, .fingerprint])
    }

    @Test("Erasure keeps the content, anonymous; the receipt stops working")
    func erase() throws {
        let panel = F.panel(.closed, closedOn: F.day("2026-05-31"))
        let item = Self.item()
        try SubmissionRules.verifyReceipt(F.code(21).formatted, for: item, hash: F.hash)
        let at = F.date("2026-11-27T08:00:00Z")
        let order = try #require(PanelRetention.due(panels: [panel], submissions: [item], now: at).first)
        let erased = PanelRetention.erase(item, order, now: at)
        #expect(erased.content == item.content && erased.status == .visible && erased.version == item.version && erased.consent == item.consent)
        #expect(!erased.holdsPersonalData && erased.personalDataErasedAt == at)
        #expect(F.failure { try SubmissionRules.verifyReceipt(F.code(21).formatted, for: erased, hash: F.hash) } == "submission.notFound")
        #expect(PanelRetention.due(panels: [panel], submissions: [erased], now: at).isEmpty, "nothing left to erase")
        #expect(PanelRetention.erase(Self.item(), order, now: at).holdsPersonalData, "an order applies only to its own submission")
    }

    @Test("A withdrawn item's receipt works until the erasure day, then goes too")
    func withdrawn() throws {
        let panel = F.panel(.closed, closedOn: F.day("2026-05-31"))
        var item = Self.item(.withdrawn)
        item.pseudonym = nil
        item.email = nil
        item.fingerprint = nil
        #expect(PanelRetention.due(panels: [panel], submissions: [item], now: F.date("2026-09-01T08:00:00Z")).isEmpty)
        let orders = PanelRetention.due(panels: [panel], submissions: [item], now: F.date("2026-11-27T08:00:00Z"))
        #expect(orders.map(\.fields) == [[.receiptDigest]])
    }

    @Test("While a panel is open only fingerprints go, once their ten minutes have passed")
    func whileOpen() {
        let panel = F.panel(.open)
        let fresh = F.item(.pending, content: Self.content, at: F.now)
        let old = F.item(.pending, content: Self.content, at: F.now.addingTimeInterval(-600))
        let orders = PanelRetention.due(panels: [panel], submissions: [fresh, old], now: F.now)
        #expect(orders.map(\.submissionID) == [old.id] && orders[0].fields == [.fingerprint])
        #expect(PanelRetention.erase(old, orders[0], now: F.now).pseudonym == "P", "personal data stays while the panel runs")
    }

    @Test("A run erases across panels, announces one event per panel, and leaves unknown panels alone")
    func run() {
        let a = F.panel(.closed, id: PanelID(UUID()), closedOn: F.day("2026-05-31"))
        let b = F.panel(.archived, id: PanelID(UUID()), closedOn: F.day("2026-05-10"))
        var running = F.panel(.open, id: PanelID(UUID()))
        running.closesOn = F.day("2026-12-31")
        let items = [Self.item(panel: a.id), Self.item(panel: a.id), Self.item(panel: b.id), Self.item(panel: running.id), Self.item(panel: PanelID(UUID()))]
        let at = F.date("2026-12-01T08:00:00Z")
        let (erased, events) = PanelRetention.run(panels: [a, b, running], submissions: items, now: at)
        #expect(erased.count == 4)
        #expect(erased.filter { $0.panelID != running.id }.allSatisfy { !$0.holdsPersonalData })
        #expect(erased.first { $0.panelID == running.id }?.pseudonym == "Mira")
        let expected: [PanelEvent] = [a, b].sorted { $0.id.description < $1.id.description }.map {
            .personalDataErased(panel: $0.id, workspace: F.wsID, count: $0.id == a.id ? 2 : 1)
        }
        #expect(events == expected)
    }
}
