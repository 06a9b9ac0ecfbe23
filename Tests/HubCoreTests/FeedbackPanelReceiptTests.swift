import Foundation
import HubCore
import Testing

@Suite("Feedback panels: the receipt (view, change, withdraw)")
struct FeedbackPanelReceiptTests {
    typealias F = PanelFixture

    static let receipt = F.code(3)
    static let typed = receipt.formatted

    func stored(_ panel: FeedbackPanel = F.panel(), status: SubmissionStatus? = nil) throws -> PanelSubmission {
        var s = try F.accepted(to: panel, receipt: Self.receipt).submission
        if let status { s.status = status }
        return s
    }

    /// The anonymous submitter's permissions: with the right receipt, a wrong one, none, or one
    /// whose hash retention erased.
    @Test("Anonymous submitter: what a receipt allows", arguments: [
        ("right receipt", nil), ("right receipt, typed loosely", nil), ("wrong receipt", "submission.notFound"),
        ("no receipt", "submission.notFound"), ("not a code", "submission.notFound"), ("erased receipt", "submission.notFound"),
    ] as [(String, String?)])
    func receiptTable(name: String, refusal: String?) throws {
        var s = try stored()
        var code = Self.typed
        switch name {
        case "right receipt, typed loosely": code = Self.receipt.value.lowercased().replacingOccurrences(of: "0", with: "o")
        case "wrong receipt": code = F.code(4).formatted
        case "no receipt": code = ""
        case "not a code": code = "' OR 1=1 --"
        case "erased receipt": s.receiptDigest = nil
        default: break
        }
        let panel = F.panel()
        #expect(F.failure { try SubmissionRules.view(s, of: panel, response: nil, receipt: code, now: F.now, hash: F.hash) } == refusal)
        #expect(F.failure { try SubmissionRules.change(s, of: panel, to: F.content(scale: 1), receipt: code, expectedVersion: 1, now: F.now, hash: F.hash) } == refusal)
        #expect(F.failure { try SubmissionRules.withdraw(s, of: panel, receipt: code, now: F.now, hash: F.hash) } == refusal)
    }

    @Test("The view shows the feedback, a masked address, and what may still be done")
    func view() throws {
        let v = try SubmissionRules.view(try stored(), of: F.panel(), response: nil, receipt: Self.typed, now: F.now, hash: F.hash)
        #expect(v.status == .pending && v.pseudonym == "Mira" && v.maskedEmail == "m•••@example.org" && v.canChange && v.canWithdraw)
        #expect(v.content.answer(to: F.qScale) == .scale(4) && v.response == nil && v.hiddenReason == nil)
        let closed = try SubmissionRules.view(try stored(), of: F.panel(.closed), response: nil, receipt: Self.typed, now: F.now, hash: F.hash)
        #expect(!closed.canChange && closed.canWithdraw)
    }

    @Test("Changes while open; what goes back to moderation", arguments: [
        // moderation, status before, change, status after, awaiting event, results changed
        (ModerationMode.pre, SubmissionStatus.pending, "content", SubmissionStatus.pending, true, false),
        (.pre, .visible, "content", .pending, true, true),
        (.pre, .visible, "pseudonym", .pending, true, true),
        (.pre, .visible, "email", .visible, false, false),
        (.post, .visible, "content", .visible, false, true),
        (.post, .hidden, "content", .pending, true, false),
        (.post, .hidden, "email", .pending, true, false),
    ])
    func change(moderation: ModerationMode, before: SubmissionStatus, what: String, after: SubmissionStatus, awaiting: Bool, results: Bool) throws {
        let panel = F.panel(moderation: moderation)
        let s = try stored(panel, status: before)
        var input = F.content()
        switch what {
        case "content": input = F.content(scale: 1, text: "Anders")
        case "pseudonym": input.pseudonym = "Mira K."
        default: input.email = "neu@example.org"
        }
        let (next, events) = try SubmissionRules.change(s, of: panel, to: input, receipt: Self.typed, expectedVersion: 1, now: F.now, hash: F.hash)
        #expect(next.status == after && next.version == 2)
        #expect(events.first == .submissionChanged(SubmissionNotice(next, in: panel)))
        #expect(events.contains(.awaitingModeration(SubmissionNotice(next, in: panel))) == awaiting)
        #expect(events.contains(.resultsChanged(panel: panel.id, workspace: F.wsID)) == results)
        #expect(next.receiptDigest == s.receiptDigest && next.receivedAt == s.receivedAt && next.consent == s.consent)
    }

    @Test("Changing: the same input is no change; a stale version, a closed panel, invalid answers are refused")
    func changeRefusals() throws {
        let s = try stored()
        let (same, events) = try SubmissionRules.change(s, of: F.panel(), to: F.content(), receipt: Self.typed, expectedVersion: 1, now: F.now, hash: F.hash)
        #expect(same == s && events.isEmpty)
        #expect(F.failure { try SubmissionRules.change(s, of: F.panel(), to: F.content(scale: 2), receipt: Self.typed, expectedVersion: 0, now: F.now, hash: F.hash) }
            == "version.conflict")
        #expect(F.failure { try SubmissionRules.change(s, of: F.panel(.closed), to: F.content(scale: 2), receipt: Self.typed, expectedVersion: 1, now: F.now, hash: F.hash) }
            == "panel.closed")
        #expect(F.failure { try SubmissionRules.change(s, of: F.panel(), to: F.content(scale: 8), receipt: Self.typed, expectedVersion: 1, now: F.now, hash: F.hash) }
            == "validation.failed")
    }

    @Test("Withdrawing erases content and personal data at once; the receipt then shows 'withdrawn'")
    func withdraw() throws {
        let panel = F.panel(moderation: .post)
        let s = try stored(panel)
        let (gone, events) = try SubmissionRules.withdraw(s, of: panel, receipt: Self.typed, now: F.now, hash: F.hash)
        #expect(gone.status == .withdrawn && gone.content.isEmpty && gone.pseudonym == nil && gone.email == nil && gone.fingerprint == nil)
        #expect(gone.receiptDigest == s.receiptDigest, "the receipt keeps working until retention ends")
        #expect(events == [.submissionWithdrawn(SubmissionNotice(gone, in: panel)), .resultsChanged(panel: panel.id, workspace: F.wsID)])
        let view = try SubmissionRules.view(gone, of: panel, response: nil, receipt: Self.typed, now: F.now, hash: F.hash)
        #expect(view.status == .withdrawn && !view.canChange && !view.canWithdraw && view.content.isEmpty)
        #expect(try SubmissionRules.withdraw(gone, of: panel, receipt: Self.typed, now: F.now, hash: F.hash).1.isEmpty, "repeating is a no-op")
        #expect(F.failure { try SubmissionRules.change(gone, of: panel, to: F.content(), receipt: Self.typed, expectedVersion: 2, now: F.now, hash: F.hash) }
            == "submission.withdrawn")
    }

    @Test("Withdrawal works in every phase: consent can be withdrawn at any time", arguments: [PanelStatus.open, .closed, .archived])
    func withdrawAnyPhase(status: PanelStatus) throws {
        let (gone, _) = try SubmissionRules.withdraw(try stored(), of: F.panel(status), receipt: Self.typed, now: F.now, hash: F.hash)
        #expect(gone.status == .withdrawn)
    }

    @Test("The digest to look a submission up by comes from the code as typed")
    func lookup() throws {
        let s = try stored()
        #expect(SubmissionRules.receiptDigest(Self.receipt.value.lowercased(), hash: F.hash) == s.receiptDigest)
        #expect(SubmissionRules.receiptDigest("nope", hash: F.hash) == nil)
    }
}
