import Foundation
import HubCore
import Testing

/// District-wide templates: versions that never change past meetings, a recognisable
/// skeleton, placeholders checked against the data the renderer gets.
@Suite("Meetings: templates and placeholders")
struct MeetingTemplateTests {
    typealias F = MeetingFixtures

    static let adminWithout2FA = Principal(userID: F.adminID, displayName: "A", isAdmin: false, memberships: [:], adminNeedsSecondFactor: true)

    @Test("Only administrators keep templates", arguments: [
        (F.admin, nil), (adminWithout2FA, "auth.secondFactorRequired"), (F.coordinator, "forbidden"), (Principal.anonymous, "auth.required"),
    ] as [(Principal, String?)])
    func permission(actor: Principal, code: String?) {
        #expect(F.code { try TemplateRules.create(.standardGerman, id: MeetingTemplateID(F.uuid(2)), by: actor, now: F.now) } == code)
    }

    @Test("Revising writes version 2; meetings created from version 1 keep it, new meetings get version 2's skeleton")
    func versions() throws {
        let (v1, created) = try TemplateRules.create(.standardGerman, id: MeetingTemplateID(F.uuid(2)), by: F.admin, now: F.now)
        #expect(v1.version == 1 && created == [.templateCreated(v1)] && created[0].workspaceID == nil)
        let (old, _, _) = try MeetingRules.create(F.draft, id: MeetingID(F.uuid(100)), template: v1, in: F.workspace, by: F.coordinator,
                                                  newID: F.ids(), now: F.now, today: F.today)
        var content = v1.content
        content.agenda.insert(AgendaSkeletonItem(standard: nil, title: "Bericht aus der Steuerungsgruppe", durationMinutes: 10), at: 3)
        let (v2, revised) = try #require(try TemplateRules.revise(v1, with: content, expectedVersion: 1, by: F.admin, now: F.now.addingTimeInterval(60)))
        #expect(v2.id == v1.id && v2.version == 2 && revised == [.templateRevised(v2)])
        #expect(v1.content == .standardGerman, "the old version is a value; nothing rewrites it")
        #expect(old.template == TemplateRef(id: v1.id, version: 1))
        let (_, agenda, _) = try MeetingRules.create(F.draft, id: MeetingID(F.uuid(101)), template: v2, in: F.workspace, by: F.coordinator,
                                                     newID: F.ids(), now: F.now, today: F.today)
        #expect(agenda.items.map(\.title)[3] == "Bericht aus der Steuerungsgruppe")
        #expect(F.code { try TemplateRules.revise(v2, with: content, expectedVersion: 1, by: F.admin, now: F.now) } == "version.conflict")
        #expect(try TemplateRules.revise(v2, with: content, expectedVersion: 2, by: F.admin, now: F.now) == nil, "no change, no version")
    }

    /// Ways to spoil the standard template, each with the issues it must raise.
    enum Flaw: CaseIterable, Sendable {
        case noTopics, twoWelcomes, missingSection, longItem, blankName, unknownPlaceholder

        func apply(_ d: inout MeetingTemplateDraft) -> [String] {
            switch self {
            case .noTopics: d.agenda.removeAll { $0.standard == .topics }; return ["agenda:topicsRequired"]
            case .twoWelcomes: d.agenda.append(d.agenda[0]); return ["agenda:duplicateStandardItem"]
            case .missingSection: d.minutesSections.removeLast(); return ["minutesSections:incomplete"]
            case .longItem: d.agenda[0].durationMinutes = 481; return ["agenda[0].durationMinutes:outOfRange"]
            case .blankName: d.name = "  "; return ["name:length"]
            case .unknownPlaceholder: d.invitationSubject = "Einladung {{meeting.titel}}"; return ["invitationSubject:unknown"]
            }
        }
    }

    @Test("The skeleton stays recognisable and the minutes keep every section", arguments: Flaw.allCases)
    func validation(flaw: Flaw) {
        var draft = MeetingTemplateDraft.standardGerman
        let expected = flaw.apply(&draft)
        do {
            _ = try TemplateRules.create(draft, id: MeetingTemplateID(F.uuid(2)), by: F.admin, now: F.now)
            Issue.record("accepted")
        } catch {
            #expect(error.fields.map { "\($0.field):\($0.code)" } == expected)
        }
    }

    @Test("Placeholders are checked against the allow-list", arguments: [
        ("Hallo {{recipient.name}}, am {{meeting.date}} um {{ meeting.startTime }}", [String]()),
        ("{{#agenda}}{{number}} {{title}} ({{minutes}} Min.){{#presenter}}, {{presenter}}{{/presenter}}\n{{/agenda}}", []),
        ("{{#meeting.place}}Ort: {{.}}{{/meeting.place}}{{^meeting.onlineLink}}nur vor Ort{{/meeting.onlineLink}}", []),
        ("{{! ein Kommentar }}{{#rsvp}}{{acceptURL}} {{declineURL}}{{/rsvp}}", []),
        ("{{#meeting}}{{title}}{{/meeting}} {{title}}", ["unknown"]),
        ("{{#rsvp}}{{rsvp.acceptURL}}{{/rsvp}}", []),
        ("{{meeting.titel}}", ["unknown"]),
        ("{{number}}", ["unknown"]),
        ("{{{meeting.title}}}", ["unescaped"]),
        ("{{& meeting.title}}", ["unescaped"]),
        ("{{> footer}}", ["partial"]),
        ("{{=<% %>=}}", ["delimiters"]),
        ("{{#agenda}}{{title}}", ["unbalanced"]),
        ("{{/agenda}}", ["unbalanced"]),
        ("{{#agenda}}{{/meeting.place}}{{/agenda}}", ["unbalanced"]),
        ("{{meeting.title", ["unclosed"]),
        ("{{}}", ["empty"]),
        ("{{.}}", ["unknown"]),
    ])
    func placeholders(text: String, codes: [String]) {
        #expect(TemplatePlaceholders.invitation.issues(in: text, field: "body").map(\.code) == codes)
    }

    @Test("The allow-list is exactly the data the renderer gets: every property path of InvitationContext")
    func allowListMatchesContext() {
        let (meeting, agenda) = F.planned()
        let context = InvitationContext(meeting: meeting, agenda: agenda, workspaceName: "Fachbeirat Sucht", organizerName: "Jana Koordinatorin",
                                        recipientName: "Erika Beispiel",
                                        rsvp: InvitationContext.RSVPLinks(acceptURL: "https://r.example/a", tentativeURL: "https://r.example/t",
                                                                          declineURL: "https://r.example/d"),
                                        meetingURL: "https://roundtable.kreis.example/meetings/1", language: .de)
        var values = Set<String>()
        var lists: [String: Set<String>] = [:]
        func walk(_ value: Any, _ path: String) {
            let mirror = Mirror(reflecting: value)
            if mirror.displayStyle == .optional {
                if let child = mirror.children.first { walk(child.value, path) }
                return
            }
            if mirror.displayStyle == .collection {
                lists[path] = Set(mirror.children.flatMap { Mirror(reflecting: $0.value).children.compactMap(\.label) })
                return
            }
            for child in mirror.children {
                guard let label = child.label else { continue }
                let name = path.isEmpty ? label : "\(path).\(label)"
                if Mirror(reflecting: child.value).displayStyle != .collection { values.insert(name) }
                walk(child.value, name)
            }
        }
        walk(context, "")
        #expect(values == TemplatePlaceholders.invitation.values)
        #expect(lists == TemplatePlaceholders.invitation.lists)
        #expect(TemplateRules.validate(.standardGerman).isEmpty)
    }

    @Test("The context carries formatted text: German date, times, numbered agenda with planned start times")
    func context() throws {
        var (meeting, agenda) = F.planned()
        let topics = agenda.items[3].id
        agenda = try AgendaRules.apply(.add(AgendaItemDraft(title: "Suchtprävention an Schulen", durationMinutes: 30, presenter: "Fachstelle Sucht"),
                                            id: AgendaItemID(F.uuid(500)), parent: topics, after: nil),
                                       to: agenda, of: meeting, expectedVersion: 1, by: F.coordinator, knownRecommendations: [], now: F.now).0
        meeting.description = ""
        let context = InvitationContext(meeting: meeting, agenda: agenda, workspaceName: "Fachbeirat Sucht", organizerName: "Jana Koordinatorin",
                                        recipientName: "Erika Beispiel", rsvp: nil, meetingURL: "https://roundtable.kreis.example/m/1", language: .de)
        #expect(context.meeting.date == "Dienstag, 14. April 2026" && context.meeting.startTime == "17:00" && context.meeting.endTime == "19:00")
        #expect(context.meeting.note == nil && context.rsvp == nil)
        #expect(context.agenda.map { "\($0.number) \($0.startTime) \($0.minutes)" } == [
            "1 17:00 5", "2 17:05 5", "3 17:10 15", "4 17:25 30", "4.1 17:25 30", "5 17:55 10",
        ])
        #expect(context.agenda[4].presenter == "Fachstelle Sucht")
        #expect(TemplatePlaceholders.names(in: MeetingTemplateDraft.standardGerman.invitationSubject) == ["meeting.title", "meeting.date"])
    }
}
