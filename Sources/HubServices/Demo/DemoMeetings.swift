import Foundation
import HubCore

/// Demo meetings: two district templates (a focus group's and the steering group's, with the
/// agenda the 2023 steering-group minutes follow), an upcoming meeting of "Integration" with
/// an agenda, and a held one whose minutes were deemed approved. No personal names.
enum DemoMeetings {
    static let steeringTemplate = MeetingTemplateDraft(
        name: "Sitzung der Steuerungsgruppe Sozialplanung",
        invitationSubject: "Einladung: {{meeting.title}} am {{meeting.date}}",
        invitationBody: """
        Guten Tag {{recipient.name}},

        zur Sitzung der Steuerungsgruppe Sozialplanung „{{meeting.title}}“ lade ich Sie herzlich ein.

        Termin: {{meeting.date}}, {{meeting.startTime}} bis {{meeting.endTime}} Uhr
        {{#meeting.place}}Ort: {{meeting.place}}
        {{/meeting.place}}
        Tagesordnung:
        {{#agenda}}{{number}} {{title}}
        {{/agenda}}
        {{#rsvp}}Zusage: {{rsvp.acceptURL}}
        Absage: {{rsvp.declineURL}}
        {{/rsvp}}
        Mit freundlichen Grüßen
        {{organizer.name}}
        """,
        agenda: [
            AgendaSkeletonItem(standard: .welcome, title: "Begrüßung", durationMinutes: 5),
            AgendaSkeletonItem(standard: .approvalOfMinutes, title: "Genehmigung des Protokolls der letzten Sitzung", durationMinutes: 5),
            AgendaSkeletonItem(standard: .reports, title: "Bericht der Stabsstelle Sozialplanung", durationMinutes: 15),
            AgendaSkeletonItem(standard: .topics, title: "Sozialpolitische Zielvorschläge und Einschätzung der Handlungsempfehlungen", durationMinutes: 90),
            AgendaSkeletonItem(standard: .anyOtherBusiness, title: "Verschiedenes", durationMinutes: 10),
        ],
        minutesSections: MeetingTemplateDraft.standardGerman.minutesSections
    )

    static func changes(deps: ServiceDependencies, integration: Workspace, admin: UserID, coordinator: UserID, member: UserID) -> [Change] {
        let now = deps.clock.now()
        let ids = deps.ids
        let focus = MeetingTemplate(id: MeetingTemplateID(ids.uuid()), version: 1, content: .standardGerman, createdBy: admin, createdAt: now)
        let steering = MeetingTemplate(id: MeetingTemplateID(ids.uuid()), version: 1, content: steeringTemplate, createdBy: admin, createdAt: now)
        var changes: [Change] = [.meeting(.insertTemplate(focus)), .meeting(.insertTemplate(steering))]
        let today = BerlinTime.date(now)
        let invitees = [Invitee(key: .member(coordinator), role: .chair), Invitee(key: .member(member))]

        // Upcoming: in three weeks, 17:00–19:00, with the group's topics under "Themen".
        let upcomingDay = today.adding(days: 21)
        let upcoming = Meeting(id: MeetingID(ids.uuid()), workspaceID: integration.id, template: focus.ref, title: "Fokusgruppe Integration: Sitzung 3",
                               description: "Schwerpunkt: Sprachförderung und Lotsendienste.", start: LocalDateTime(date: upcomingDay, hour: 17, minute: 0)!,
                               end: LocalDateTime(date: upcomingDay, hour: 19, minute: 0)!, place: "Kreishaus, Sitzungsraum 2", onlineURL: nil,
                               organizerID: coordinator, invitees: invitees, status: .planned, sequence: 0, series: nil, createdAt: now, updatedAt: now,
                               version: 1)
        var agenda = Agenda.fromTemplate(focus, meetingID: upcoming.id, workspaceID: integration.id, newID: { ids.uuid() }, now: now)
        if let topics = agenda.items.firstIndex(where: { $0.standard == .topics }) {
            agenda.items[topics].children = [
                AgendaItem(id: AgendaItemID(ids.uuid()), title: "Sprachstandserhebung von Kindern in Kindertageseinrichtungen: Stand der Umsetzung",
                           durationMinutes: 25, presenter: "Jugendamt"),
                AgendaItem(id: AgendaItemID(ids.uuid()), title: "Ämterlotsinnen und Ämterlotsen: Erfahrungen aus den Gemeinden", durationMinutes: 20,
                           presenter: "Freier Träger"),
                AgendaItem(id: AgendaItemID(ids.uuid()), title: "Personalangelegenheiten der Beratungsstelle", durationMinutes: 15, isPublic: false),
            ]
        }
        changes += [.meeting(.insertMeeting(upcoming)), .meeting(.insertAgenda(agenda))]

        // Held six weeks ago; circulated with a 14-day deadline that passed without objections.
        let heldDay = today.adding(days: -42)
        var held = Meeting(id: MeetingID(ids.uuid()), workspaceID: integration.id, template: focus.ref, title: "Fokusgruppe Integration: Sitzung 2",
                           description: "", start: LocalDateTime(date: heldDay, hour: 17, minute: 0)!, end: LocalDateTime(date: heldDay, hour: 19, minute: 0)!,
                           place: "Kreishaus, Sitzungsraum 2", onlineURL: nil, organizerID: coordinator, invitees: invitees, status: .held, sequence: 0,
                           series: nil, createdAt: now, updatedAt: now, version: 1)
        held.heldAt = BerlinTime.instant(held.start)
        var heldAgenda = Agenda.fromTemplate(focus, meetingID: held.id, workspaceID: integration.id, newID: { ids.uuid() }, now: now)
        let rucksack = AgendaItem(id: AgendaItemID(ids.uuid()), title: "Ausweitung des Modellprojekts Rucksack Kita", durationMinutes: 30,
                                  presenter: "Kita-Fachberatung")
        if let topics = heldAgenda.items.firstIndex(where: { $0.standard == .topics }) { heldAgenda.items[topics].children = [rucksack] }
        var minutes = Minutes(meeting: held, template: focus, now: now)
        let stamp = { (value: String) in Versioned(value: value, version: 1, updatedBy: coordinator, updatedAt: now) }
        minutes.attendance = [
            Versioned(value: AttendanceEntry(person: .member(coordinator), name: "Koordination Fokusgruppe", organization: "Kreisverwaltung",
                                             status: .present, publicationConsent: true), version: 1, updatedBy: coordinator, updatedAt: now),
            Versioned(value: AttendanceEntry(person: .member(member), name: "Mitglied Fokusgruppe", organization: "Freier Träger der Wohlfahrtspflege",
                                             status: .present), version: 1, updatedBy: coordinator, updatedAt: now),
        ]
        minutes.notes = [rucksack.id: stamp("Die Gruppe berichtet über die ersten Standorte. Eltern nehmen das Angebot gut an; "
                                            + "ein weiterer Standort im Kreis wird empfohlen.")]
        minutes.decisions = [Versioned(value: MeetingDecision(id: MeetingDecisionID(ids.uuid()), agendaItemID: rucksack.id,
                                                              text: "Die Fokusgruppe empfiehlt die Ausweitung auf mindestens einen weiteren Standort.",
                                                              votes: Votes(inFavour: 9, against: 0, abstentions: 1)),
                                       version: 1, updatedBy: coordinator, updatedAt: now)]
        minutes.actionItems = [Versioned(value: ActionItem(id: ActionItemID(ids.uuid()), agendaItemID: rucksack.id,
                                                           text: "Kosten je Standort für den Entwurf der Empfehlung ermitteln",
                                                           owner: ActionOwner(userID: member, name: "Mitglied Fokusgruppe"), due: today.adding(days: -7)),
                                         version: 1, updatedBy: coordinator, updatedAt: now)]
        minutes.openPoints = stamp("Termin für die nächste Sitzung abstimmen.")
        minutes.approval.stage = .circulated
        minutes.approval.round = 1
        minutes.approval.circulatedAt = BerlinTime.endOfDay(heldDay.adding(days: 2))
        minutes.approval.circulatedBy = coordinator
        minutes.approval.deadline = heldDay.adding(days: 16)
        heldAgenda.live = nil
        if let (approved, approvedMeeting, _) = MinutesApprovalRules.settle(minutes, of: held, agenda: heldAgenda, now: now) {
            minutes = approved
            held = approvedMeeting
        }
        changes += [.meeting(.insertMeeting(held)), .meeting(.insertAgenda(heldAgenda)), .meeting(.insertMinutes(minutes))]
        return changes
    }
}
