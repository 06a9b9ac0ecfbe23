import Foundation
import HubCore
import Testing

@Suite("Feedback panels: lifecycle, settings and permissions")
struct FeedbackPanelLifecycleTests {
    typealias F = PanelFixture

    func create(_ draft: PanelDraft = F.draft(), subject: PanelSubject = .recommendation(F.recommendationID), by actor: Principal = F.coordinator,
                workspace: Workspace = F.workspace(), recommendation: Recommendation? = F.recommendation()) throws(DomainError) -> FeedbackPanel {
        try PanelRules.create(draft, subject: subject, id: F.panelID, in: workspace, recommendation: recommendation, by: actor, now: F.now).0
    }

    // MARK: Permissions

    @Test("Who may set up a panel", arguments: [
        (F.admin, nil as String?), (F.coordinator, nil), (F.member, "forbidden"), (F.observer, "forbidden"), (F.outsider, "forbidden"),
        (F.foreignCoordinator, "forbidden"), (F.anonymous, "auth.required"),
    ])
    func createPermission(actor: Principal, refusal: String?) {
        #expect(F.failure { try create(by: actor) } == refusal)
    }

    @Test("Who may open, close and archive", arguments: [
        (F.admin, true), (F.coordinator, true), (F.member, false), (F.observer, false), (F.outsider, false), (F.foreignCoordinator, false),
        (F.anonymous, false),
    ])
    func lifecyclePermission(actor: Principal, allowed: Bool) {
        let draft = F.panel(.draft)
        #expect((F.failure { try PanelRules.open(draft, expectedVersion: 3, in: F.workspace(), recommendation: F.recommendation(), by: actor, now: F.now) } == nil) == allowed)
        #expect((F.failure { try PanelRules.close(F.panel(.open), expectedVersion: 3, in: F.workspace(), by: actor, now: F.now) } == nil) == allowed)
        let closed = F.panel(.closed, closedOn: F.day("2026-05-02"))
        #expect((F.failure { try PanelRules.archive(closed, expectedVersion: 3, in: F.workspace(), by: actor, now: F.now) } == nil) == allowed)
    }

    /// The permission table by role: manage, moderate, respond, read internally (results,
    /// visible items), read hidden content, see a draft's page.
    @Test("Permission table by role", arguments: [
        // actor, manage, moderate, respond, readInternal, seeHidden, seeDraftPage
        (F.admin, [true, true, true, true, true, true]),
        (F.coordinator, [true, true, true, true, true, true]),
        (F.member, [false, false, false, true, false, true]),
        (F.observer, [false, false, false, true, false, true]),
        (F.outsider, [false, false, false, false, false, false]),
        (F.foreignCoordinator, [false, false, false, false, false, false]),
        (F.anonymous, [false, false, false, false, false, false]),
    ])
    func permissionTable(actor: Principal, expected: [Bool]) {
        let hidden = F.item(.hidden, content: SubmissionContent())
        let actual = [
            PanelPermissions.canManage(actor, F.wsID), PanelPermissions.canModerate(actor, F.wsID), PanelPermissions.canRespond(actor, F.wsID),
            PanelPermissions.canReadResults(actor, F.wsID), PanelPermissions.canSeeContent(of: hidden, in: F.panel(), by: actor),
            PanelPermissions.canViewPage(F.panel(.draft), by: actor, invite: nil, holdsReceipt: false),
        ]
        #expect(actual == expected)
    }

    @Test("The public page: a public link for everyone; an invite-only panel for invite or receipt holders")
    func pageAccess() {
        let invite = PanelInvite(id: PanelInviteID(UUID()), panelID: F.panelID, digest: F.code(5).digest(.invite, using: F.hash), label: "Jugendrat",
                                 maxUses: 1, uses: 1, createdBy: F.coordinator.userID!, createdAt: F.now)
        var revoked = invite
        revoked.revokedAt = F.now
        let closedPanel = F.panel(access: .inviteOnly)
        #expect(PanelPermissions.canViewPage(F.panel(), by: F.anonymous, invite: nil, holdsReceipt: false))
        #expect(!PanelPermissions.canViewPage(closedPanel, by: F.anonymous, invite: nil, holdsReceipt: false))
        #expect(PanelPermissions.canViewPage(closedPanel, by: F.anonymous, invite: invite, holdsReceipt: false), "a used-up code still shows the page")
        #expect(!PanelPermissions.canViewPage(closedPanel, by: F.anonymous, invite: revoked, holdsReceipt: false))
        #expect(PanelPermissions.canViewPage(closedPanel, by: F.anonymous, invite: nil, holdsReceipt: true))
        #expect(PanelPermissions.canViewPage(closedPanel, by: F.observer, invite: nil, holdsReceipt: false))
    }

    // MARK: Lifecycle

    @Test("Draft → open → closed → archived, each a new version with its event")
    func happyPath() throws {
        let (panel, created) = try PanelRules.create(F.draft(), subject: .recommendation(F.recommendationID), id: F.panelID, in: F.workspace(),
                                                     recommendation: F.recommendation(), by: F.coordinator, now: F.now)
        #expect(panel.status == .draft && panel.version == 1 && created == [.panelCreated(panel)] && panel.createdBy == F.coordinator.userID)
        let (opened, openEvents) = try PanelRules.open(panel, expectedVersion: 1, in: F.workspace(), recommendation: F.recommendation(), by: F.coordinator, now: F.now)
        #expect(opened.status == .open && opened.version == 2 && openEvents == [.panelOpened(opened)])
        #expect(opened.phase(at: F.now) == .open)
        let (closed, closeEvents) = try PanelRules.close(opened, expectedVersion: 2, in: F.workspace(), by: F.coordinator, now: F.now)
        #expect(closed.status == .closed && closed.closedOn == F.day("2026-05-04") && closeEvents == [.panelClosed(closed)])
        let (archived, archiveEvents) = try PanelRules.archive(closed, expectedVersion: 3, in: F.workspace(), by: F.coordinator, now: F.now)
        #expect(archived.status == .archived && archived.version == 4 && archiveEvents == [.panelArchived(archived)])
    }

    @Test("Refused transitions", arguments: [
        ("open an open panel", "panel.notDraft"), ("close a draft", "panel.notOpen"), ("archive a panel still taking answers", "panel.notClosed"),
        ("change an archived panel", "panel.archived"), ("open with a stale version", "version.conflict"),
        ("open in an archived workspace", "workspace.archived"), ("close a closed panel", "panel.notOpen"),
    ])
    func refused(name: String, code: String) {
        let ws = F.workspace()
        let result: String? = switch name {
        case "open an open panel": F.failure { try PanelRules.open(F.panel(.open), expectedVersion: 3, in: ws, recommendation: F.recommendation(), by: F.coordinator, now: F.now) }
        case "close a draft": F.failure { try PanelRules.close(F.panel(.draft), expectedVersion: 3, in: ws, by: F.coordinator, now: F.now) }
        case "archive a panel still taking answers": F.failure { try PanelRules.archive(F.panel(.open), expectedVersion: 3, in: ws, by: F.coordinator, now: F.now) }
        case "change an archived panel": F.failure { try PanelRules.update(F.panel(.archived), with: F.draft(), expectedVersion: 3, in: ws, by: F.coordinator, now: F.now) }
        case "open with a stale version": F.failure { try PanelRules.open(F.panel(.draft), expectedVersion: 2, in: ws, recommendation: F.recommendation(), by: F.coordinator, now: F.now) }
        case "open in an archived workspace": F.failure { try PanelRules.open(F.panel(.draft), expectedVersion: 3, in: F.workspace(archived: true), recommendation: F.recommendation(), by: F.coordinator, now: F.now) }
        default: F.failure { try PanelRules.close(F.panel(.closed), expectedVersion: 3, in: ws, by: F.coordinator, now: F.now) }
        }
        #expect(result == code)
    }

    @Test("Phase by status and Berlin day", arguments: [
        (PanelStatus.draft, "2026-05-10", PanelPhase.draft), (.open, "2026-04-30", .upcoming), (.open, "2026-05-01", .open),
        (.open, "2026-05-31", .open), (.open, "2026-06-01", .closed), (.closed, "2026-05-10", .closed), (.archived, "2026-05-10", .archived),
    ])
    func phases(status: PanelStatus, day: String, phase: PanelPhase) {
        #expect(F.panel(status).phase(on: F.day(day)) == phase)
    }

    @Test("The last day ends at midnight in Berlin, not in UTC")
    func berlinMidnight() {
        let panel = F.panel(.open)
        #expect(panel.phase(at: F.date("2026-05-31T21:59:59Z")) == .open)
        #expect(panel.phase(at: F.date("2026-05-31T22:00:00Z")) == .closed)
        #expect(panel.phase(at: F.date("2026-04-30T22:00:00Z")) == .open, "00:00 on the first day in Berlin")
    }

    @Test("The sweep records panels past their last day as closed on that day; nothing else changes")
    func sweep() {
        let due = F.panel(.open)
        var current = F.panel(.open, id: PanelID(UUID()))
        current.closesOn = F.day("2026-06-30")
        let swept = PanelRules.closeDue([due, current, F.panel(.draft), F.panel(.closed)], now: F.date("2026-06-01T08:00:00Z"))
        #expect(swept.count == 1)
        #expect(swept[0].0.status == .closed && swept[0].0.closedOn == F.day("2026-05-31") && swept[0].0.version == 4)
        #expect(swept[0].1 == [.panelClosed(swept[0].0)])
    }

    @Test("Archiving a panel past its last day records the close on that day")
    func archivePastLastDay() throws {
        let (archived, _) = try PanelRules.archive(F.panel(.open), expectedVersion: 3, in: F.workspace(), by: F.coordinator, now: F.date("2026-06-03T08:00:00Z"))
        #expect(archived.status == .archived && archived.closedOn == F.day("2026-05-31") && archived.version == 4)
    }

    @Test("Opening needs something to answer, a last day not passed, and a recommendation still in draft")
    func openReadiness() {
        var empty = F.panel(.draft)
        empty.questions = []
        empty.sections = []
        #expect(F.failure { try PanelRules.open(empty, expectedVersion: 3, in: F.workspace(), recommendation: F.recommendation(), by: F.coordinator, now: F.now) } == "validation.failed")
        #expect(F.failure { try PanelRules.open(F.panel(.draft), expectedVersion: 3, in: F.workspace(), recommendation: F.recommendation(),
                                                by: F.coordinator, now: F.date("2026-06-02T08:00:00Z")) } == "validation.failed")
        #expect(F.failure { try PanelRules.open(F.panel(.draft), expectedVersion: 3, in: F.workspace(), recommendation: F.recommendation(status: .finished),
                                                by: F.coordinator, now: F.now) } == "panel.recommendationFinished")
        #expect(F.failure { try PanelRules.open(F.panel(.draft), expectedVersion: 3, in: F.workspace(), recommendation: F.recommendation(workspace: F.otherWS),
                                                by: F.coordinator, now: F.now) } == "recommendation.notFound")
        #expect(F.failure { try PanelRules.open(F.panel(.draft), expectedVersion: 3, in: F.workspace(), recommendation: nil, by: F.coordinator, now: F.now) }
            == "recommendation.notFound")
    }

    // MARK: Settings

    @Test("While open, what submitters agreed to is fixed; texts, the last day and limits may change")
    func fixedWhileOpen() throws {
        let panel = F.panel(.open)
        var draft = PanelDraft(panel)
        draft.questions.removeLast()
        draft.moderation = .post
        draft.retentionDays = 365
        do throws(DomainError) {
            _ = try PanelRules.update(panel, with: draft, expectedVersion: 3, in: F.workspace(), by: F.coordinator, now: F.now)
            Issue.record("expected a refusal")
        } catch {
            #expect(error.code == "panel.settingFixed")
            #expect(error.fields.map(\.field) == ["questions", "moderation", "retentionDays"])
        }
        var allowed = PanelDraft(panel)
        allowed.title.de = "Ämterlotsen: Ihre Meinung zählt"
        allowed.closesOn = F.day("2026-06-15")
        allowed.limits = SubmissionLimits(perHour: 60, perDay: 200)
        let (next, events) = try PanelRules.update(panel, with: allowed, expectedVersion: 3, in: F.workspace(), by: F.coordinator, now: F.now)
        #expect(next.closesOn == F.day("2026-06-15") && next.limits.perHour == 60 && next.version == 4 && events == [.panelUpdated(next)])
        var past = PanelDraft(panel)
        past.closesOn = F.day("2026-05-03")
        #expect(F.failure { try PanelRules.update(panel, with: past, expectedVersion: 3, in: F.workspace(), by: F.coordinator, now: F.now) } == "validation.failed")
    }

    @Test("Once closed only texts and public responses change; an unchanged draft is no change")
    func fixedWhenClosed() throws {
        let panel = F.panel(.closed, closedOn: F.day("2026-05-04"))
        var draft = PanelDraft(panel)
        draft.closesOn = F.day("2026-06-30")
        #expect(F.failure { try PanelRules.update(panel, with: draft, expectedVersion: 3, in: F.workspace(), by: F.coordinator, now: F.now) } == "panel.settingFixed")
        var texts = PanelDraft(panel)
        texts.publicResponses = false
        #expect(try PanelRules.update(panel, with: texts, expectedVersion: 3, in: F.workspace(), by: F.coordinator, now: F.now).0.publicResponses == false)
        let (same, events) = try PanelRules.update(panel, with: PanelDraft(panel), expectedVersion: 3, in: F.workspace(), by: F.coordinator, now: F.now)
        #expect(same == panel && events.isEmpty)
    }

    @Test("Texts are trimmed and sections put in profile order without repeats")
    func normalization() throws {
        var draft = F.draft(sections: [.timeline, .goals, .goals, .situation])
        draft.title = PanelText(de: "  Ämterlotsen   Umfrage ", en: " Guides ")
        draft.easyReadSummary = PanelText(de: "  ", en: nil)
        let panel = try create(draft)
        #expect(panel.sections == [.situation, .goals, .timeline])
        #expect(panel.title == PanelText(de: "Ämterlotsen Umfrage", en: "Guides") && panel.easyReadSummary == nil)
    }

    @Test("Settings validation names the field", arguments: [
        "title.de", "title.en", "closesOn", "sections", "retentionDays", "consentVersion", "limits.perDay", "questions[0].labels",
        "questions[1].options[1].key", "questions[2].max", "questions[3].maxLength", "questions", "audience.de", "questions[0].prompt.en",
    ])
    func settingsValidation(field: String) {
        var d = F.draft()
        var subject = PanelSubject.recommendation(F.recommendationID)
        switch field {
        case "title.de": d.title.de = "ab"
        case "title.en": d.title.en = nil
        case "closesOn": d.closesOn = F.day("2026-04-01")
        case "sections": subject = .meetingTopic("meeting:1/topic:2")
        case "retentionDays": d.retentionDays = 10
        case "consentVersion": d.consentVersion = "v 1"
        case "limits.perDay": d.limits = SubmissionLimits(perHour: 20, perDay: 10)
        case "questions[0].labels": d.questions[0].kind = .scale(labels: Array(F.scaleLabels.prefix(4)))
        case "questions[1].options[1].key": d.questions[1].kind = .singleChoice(options: F.options("bus", "bus", "fuss"))
        case "questions[2].max": d.questions[2].kind = .multipleChoice(options: F.options("ar", "tr"), min: 2, max: 3)
        case "questions[3].maxLength": d.questions[3].kind = .freeText(maxLength: 0)
        case "questions": d.questions = (0...30).map { _ in PanelQuestion(id: QuestionID(UUID()), prompt: PanelText(de: "F", en: "Q"), kind: .freeText(maxLength: 10)) }
        case "audience.de": d.audience.de = "Familien\u{0007}"
        default: d.questions[0].prompt.en = nil
        }
        let recommendation = subject.recommendationID == nil ? nil : F.recommendation()
        do throws(DomainError) {
            _ = try create(d, subject: subject, recommendation: recommendation)
            Issue.record("expected \(field) to be refused")
        } catch {
            #expect(error.fields.map(\.field).contains(field), "\(error.fields)")
        }
    }

    @Test("Without English on offer, English texts are optional; the valid draft passes")
    func germanOnly() throws {
        var d = F.draft(offersEnglish: false)
        d.title.en = nil
        d.questions[0].prompt.en = nil
        #expect(try create(d).languages == [.de])
        #expect(try create().languages == [.de, .en])
    }

    @Test("A meeting topic panel: the reference is checked, sections are not allowed, no recommendation needed")
    func meetingTopic() throws {
        let panel = try create(F.draft(sections: []), subject: .meetingTopic("meeting:42/topic:7"), recommendation: nil)
        #expect(panel.subject.recommendationID == nil && panel.subject.description == "meetingTopic:meeting:42/topic:7")
        #expect(F.failure { try create(F.draft(sections: []), subject: .meetingTopic("has space"), recommendation: nil) } == "validation.failed")
        #expect(PanelSubject("recommendation:\(F.recommendationID)") == .recommendation(F.recommendationID))
        #expect(PanelSubject("meetingTopic:") == nil && PanelSubject("nonsense") == nil)
    }

    @Test("Panels round-trip through JSON, the subject as one string")
    func codable() throws {
        let panel = F.panel()
        let data = try JSONEncoder().encode(panel)
        #expect(try JSONDecoder().decode(FeedbackPanel.self, from: data) == panel)
        #expect(String(decoding: data, as: UTF8.self).contains("\"recommendation:\(F.recommendationID)\""))
    }
}
