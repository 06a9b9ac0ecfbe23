import Foundation
import HubCore
import Testing

@Suite("Feedback panels: moderation and responses")
struct FeedbackPanelModerationTests {
    typealias F = PanelFixture

    static let content = SubmissionContent(
        answers: [PanelAnswer(questionID: F.qScale, value: .scale(2)), PanelAnswer(questionID: F.qText, value: .text("Die Busse fahren zu selten"))],
        sections: [SectionFeedback(section: .measures, rating: 2, comment: "Zu wenig Lotsen")])

    func approve(_ s: PanelSubmission, panel: FeedbackPanel = F.panel(), by actor: Principal = F.coordinator, version: Int? = nil) throws(DomainError)
        -> (PanelSubmission, [PanelEvent]) {
        try ModerationRules.approve(s, of: panel, in: F.workspace(), expectedVersion: version ?? s.version, by: actor, now: F.now)
    }

    func hide(_ s: PanelSubmission, reason: String = "Enthält einen Namen", panel: FeedbackPanel = F.panel(), by actor: Principal = F.coordinator)
        throws(DomainError) -> (PanelSubmission, [PanelEvent]) {
        try ModerationRules.hide(s, of: panel, in: F.workspace(), expectedVersion: s.version, reason: reason, by: actor, now: F.now)
    }

    @Test("Who moderates", arguments: [
        (F.admin, nil as String?), (F.coordinator, nil), (F.member, "forbidden"), (F.observer, "forbidden"), (F.outsider, "forbidden"),
        (F.foreignCoordinator, "forbidden"), (F.anonymous, "auth.required"),
    ])
    func moderators(actor: Principal, refusal: String?) {
        let pending = F.item(.pending, content: Self.content)
        #expect(F.failure { try approve(pending, by: actor) } == refusal)
        #expect(F.failure { try hide(pending, by: actor) } == refusal)
    }

    @Test("Pre-moderation: approve, hide with a reason, approve again; results change only when visibility does")
    func flow() throws {
        let panel = F.panel()
        let pending = F.item(.pending, content: Self.content)
        let (visible, approved) = try approve(pending)
        #expect(visible.status == .visible && visible.version == 2 && visible.moderation?.decision == .approved)
        #expect(visible.moderation?.moderatorID == F.coordinator.userID)
        #expect(approved == [.submissionModerated(SubmissionNotice(visible, in: panel)), .resultsChanged(panel: panel.id, workspace: F.wsID)])
        let (hidden, hiddenEvents) = try hide(visible)
        #expect(hidden.status == .hidden && hidden.moderation?.reason == "Enthält einen Namen" && hidden.content == Self.content)
        #expect(hiddenEvents.contains(.resultsChanged(panel: panel.id, workspace: F.wsID)))
        let (again, _) = try approve(hidden)
        #expect(again.status == .visible && again.version == 4)
        let (hiddenAtOnce, events) = try hide(pending)
        #expect(hiddenAtOnce.status == .hidden && events == [.submissionModerated(SubmissionNotice(hiddenAtOnce, in: panel))])
    }

    @Test("Refused moderation", arguments: [
        ("approve a visible item", "submission.alreadyVisible"), ("hide a hidden item", "submission.alreadyHidden"), ("hide without a reason", "validation.failed"),
        ("approve a stale version", "version.conflict"), ("moderate a withdrawn item", "submission.withdrawn"), ("moderate in an archived panel", "panel.archived"),
        ("an item of another panel", "submission.notFound"),
    ])
    func refused(name: String, code: String) {
        let result: String? = switch name {
        case "approve a visible item": F.failure { try approve(F.item(.visible, content: Self.content)) }
        case "hide a hidden item": F.failure { try hide(F.item(.hidden, content: Self.content)) }
        case "hide without a reason": F.failure { try hide(F.item(.visible, content: Self.content), reason: "  ") }
        case "approve a stale version": F.failure { try approve(F.item(.pending, content: Self.content, version: 3), version: 2) }
        case "moderate a withdrawn item": F.failure { try approve(F.item(.withdrawn, content: SubmissionContent())) }
        case "moderate in an archived panel": F.failure { try approve(F.item(.pending, content: Self.content), panel: F.panel(.archived)) }
        default: F.failure { try approve(F.item(.pending, panel: PanelID(UUID()), content: Self.content)) }
        }
        #expect(result == code)
    }

    @Test("Moderation goes on after the panel closed")
    func afterClose() throws {
        #expect(try approve(F.item(.pending, content: Self.content), panel: F.panel(.closed)).0.status == .visible)
    }

    @Test("Who reads an item's content", arguments: [
        // actor, pending, visible, hidden
        (F.coordinator, [true, true, true]), (F.admin, [true, true, true]), (F.member, [false, true, false]), (F.observer, [false, true, false]),
        (F.outsider, [false, false, false]), (F.anonymous, [false, false, false]),
    ])
    func contentVisibility(actor: Principal, expected: [Bool]) {
        let actual = [SubmissionStatus.pending, .visible, .hidden].map {
            PanelPermissions.canSeeContent(of: F.item($0, content: Self.content), in: F.panel(), by: actor)
        }
        #expect(actual == expected)
    }

    @Test("The queue: pending items, oldest first")
    func queue() {
        let late = F.item(.pending, content: Self.content, at: F.now.addingTimeInterval(60))
        let early = F.item(.pending, content: Self.content, at: F.now)
        #expect(ModerationRules.queue([late, F.item(.visible, content: Self.content), early]).map(\.id) == [early.id, late.id])
    }

    @Test("Events carry neither content nor personal data")
    func eventsAreBare() throws {
        let accepted = try F.accepted(to: F.panel(moderation: .post))
        let (hidden, hideEvents) = try hide(accepted.submission, panel: F.panel(moderation: .post))
        let text = String(describing: accepted.events + hideEvents)
        for secret in ["Mira", "mira@example.org", "Mehr Sprechzeiten", "Gute Ziele", "Enthält einen Namen"] { #expect(!text.contains(secret)) }
        #expect(hideEvents.first?.audiences == [.workspace(F.wsID)] && hidden.status == .hidden)
        #expect(accepted.events.map(\.name) == ["panel.submissionReceived", "panel.resultsChanged"])
    }

    // MARK: Responses

    func respond(to s: PanelSubmission, panel: FeedbackPanel = F.panel(), existing: PanelResponse? = nil, text: String = "Wir prüfen Abendtermine.",
                 revision: Int? = 3, by actor: Principal = F.coordinator, version: Int? = nil) throws(DomainError) -> (PanelResponse, [PanelEvent]) {
        try ResponseRules.respond(to: s, in: panel, workspace: F.workspace(), existing: existing, text: text, changedRevision: revision, currentRevision: 4,
                                  expectedVersion: version, by: actor, now: F.now)
    }

    @Test("Who responds", arguments: [
        (F.admin, nil as String?), (F.coordinator, nil), (F.member, "forbidden"), (F.observer, "forbidden"), (F.outsider, "forbidden"),
        (F.anonymous, "auth.required"),
    ])
    func responders(actor: Principal, refusal: String?) {
        #expect(F.failure { try respond(to: F.item(.visible, content: Self.content), by: actor) } == refusal)
    }

    @Test("A response to a visible item is public (if the panel says so) and notifies a submitter who left an address")
    func respondVisible() throws {
        let item = F.item(.visible, content: Self.content, email: "mira@example.org")
        let (response, events) = try respond(to: item)
        #expect(response.text == "Wir prüfen Abendtermine." && response.changedRevision == 3 && response.version == 1 && response.authorID == F.coordinator.userID)
        guard case .responseSet(let notice) = events.first else { Issue.record("expected responseSet"); return }
        #expect(notice.isPublic && notice.notifySubmitter && events.first?.audiences == [.workspace(F.wsID), .publicPanel(F.panelID)])
        var quiet = F.panel()
        quiet.publicResponses = false
        guard case .responseSet(let internalOnly) = try respond(to: F.item(.visible, content: Self.content), panel: quiet).1.first else { return }
        #expect(!internalOnly.isPublic && !internalOnly.notifySubmitter)
    }

    @Test("Responding: hidden items get a private answer; pending and withdrawn ones none; revisions are checked", arguments: [
        ("hidden", nil), ("pending", "submission.notModerated"), ("withdrawn", "submission.withdrawn"), ("revision 0", "validation.failed"),
        ("revision 5", "validation.failed"), ("empty text", "validation.failed"), ("meeting panel with revision", "validation.failed"),
        ("archived panel", "panel.archived"),
    ] as [(String, String?)])
    func respondCases(name: String, refusal: String?) {
        var panel = F.panel()
        var item = F.item(.visible, content: Self.content)
        var revision: Int? = 3
        var text = "Danke!"
        switch name {
        case "hidden": item.status = .hidden
        case "pending": item.status = .pending
        case "withdrawn": item.status = .withdrawn
        case "revision 0": revision = 0
        case "revision 5": revision = 5
        case "empty text": text = " \n "
        case "meeting panel with revision":
            panel = FeedbackPanel(id: F.panelID, workspaceID: F.wsID, subject: .meetingTopic("meeting:1/topic:1"), status: .open, title: panel.title,
                                  audience: panel.audience, summary: panel.summary, easyReadSummary: nil, offersEnglish: false, opensOn: panel.opensOn,
                                  closesOn: panel.closesOn, questions: panel.questions, sections: [], access: .publicLink, moderation: .pre,
                                  retentionDays: 180, publicResponses: true, consentVersion: panel.consentVersion, limits: .standard,
                                  createdBy: F.coordinator.userID!, createdAt: F.now, updatedAt: F.now, version: 1)
        default: panel = F.panel(.archived)
        }
        let result = F.failure { try respond(to: item, panel: panel, text: text, revision: revision) }
        #expect(result == refusal)
        if name == "hidden", case .responseSet(let notice)? = try? respond(to: item, panel: panel, text: text, revision: revision).1.first {
            #expect(!notice.isPublic)
        }
    }

    @Test("Revising a response needs its version; the same text is no change and sends no second notice")
    func revise() throws {
        let item = F.item(.visible, content: Self.content, email: "mira@example.org")
        let (first, _) = try respond(to: item)
        #expect(F.failure { try respond(to: item, existing: first, text: "Neu", version: nil) } == "version.conflict")
        let (second, events) = try respond(to: item, existing: first, text: "Abendtermine ab Juni.", version: 1)
        #expect(second.version == 2 && second.createdAt == first.createdAt && events.count == 1)
        let (same, none) = try respond(to: item, existing: second, text: "Abendtermine ab Juni.", version: 2)
        #expect(same == second && none.isEmpty)
        guard case .responseSet(let notice) = try respond(to: item, existing: second, text: "Abendtermine ab Juni.", revision: 4, version: 2).1.first else {
            Issue.record("a new revision link is a change"); return
        }
        #expect(!notice.notifySubmitter, "the text did not change")
    }

    @Test("The submitter reads the response and, if hidden, the reason")
    func receiptShowsResponse() throws {
        let panel = F.panel()
        var item = try F.accepted(to: panel, receipt: F.code(11)).submission
        item.status = .hidden
        item.moderation = ModerationNote(decision: .hidden, reason: "Bitte ohne Namen", moderatorID: F.coordinator.userID!, at: F.now)
        let (response, _) = try respond(to: item)
        let view = try SubmissionRules.view(item, of: panel, response: response, receipt: F.code(11).value, now: F.now, hash: F.hash)
        #expect(view.hiddenReason == "Bitte ohne Namen" && view.response == "Wir prüfen Abendtermine." && view.changedRevision == 3)
    }

    @Test("The public page lists responses to visible items in order, quoting texts and comments, never a pseudonym")
    func publicPage() throws {
        let first = F.item(.visible, content: Self.content, pseudonym: "Mira")
        let second = F.item(.visible, content: SubmissionContent(answers: [PanelAnswer(questionID: F.qScale, value: .scale(5))]))
        let hidden = F.item(.hidden, content: Self.content)
        let r1 = PanelResponse(submissionID: first.id, panelID: F.panelID, text: "Mehr Lotsen ab 2027.", changedRevision: 4, authorID: F.coordinator.userID!,
                               createdAt: F.now, updatedAt: F.now, version: 1)
        let r2 = PanelResponse(submissionID: second.id, panelID: F.panelID, text: "Danke!", changedRevision: nil, authorID: F.coordinator.userID!,
                               createdAt: F.now.addingTimeInterval(-60), updatedAt: F.now, version: 1)
        let r3 = PanelResponse(submissionID: hidden.id, panelID: F.panelID, text: "Privat", changedRevision: nil, authorID: F.coordinator.userID!,
                               createdAt: F.now, updatedAt: F.now, version: 1)
        let entries = ResponseRules.publicEntries(F.panel(), submissions: [first, second, hidden], responses: [r1, r2, r3])
        #expect(entries.map(\.submissionID) == [second.id, first.id])
        #expect(entries[1].quotes == [PanelQuote(source: .question(F.qText), text: "Die Busse fahren zu selten"),
                                      PanelQuote(source: .section(.measures), text: "Zu wenig Lotsen")])
        #expect(entries[0].quotes.isEmpty && entries[1].changedRevision == 4)
        #expect(!String(describing: entries).contains("Mira"))
        var quiet = F.panel()
        quiet.publicResponses = false
        #expect(ResponseRules.publicEntries(quiet, submissions: [first], responses: [r1]).isEmpty)
    }
}
