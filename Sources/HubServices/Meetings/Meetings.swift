import Foundation
import HubCore
import Logging

/// The meetings use cases: district templates, planning, invitations (mail through the
/// outbox), answers, calendar files and the workspace feed. Agenda and minutes live in
/// `MeetingAgendas` and `MeetingMinutesService`.
public struct Meetings: Sendable {
    let deps: ServiceDependencies
    let signer: any LinkSigner
    let digest: any TokenDigest
    public let settings: MeetingSettings

    public init(deps: ServiceDependencies, signer: any LinkSigner, digest: any TokenDigest, settings: MeetingSettings) {
        self.deps = deps
        self.signer = signer
        self.digest = digest
        self.settings = settings
    }

    var store: any HubStore { deps.store }

    // MARK: Templates

    public func templates(by actor: Principal) async throws -> [MeetingTemplate] {
        guard MeetingPermissions.canReadTemplates(actor) else { throw DomainError.unauthenticated }
        return try await store.meetingTemplates()
    }

    /// The latest version (or the one asked for) and the list of versions.
    public func template(_ id: MeetingTemplateID, version: Int?, by actor: Principal) async throws -> (MeetingTemplate, [Int]) {
        guard MeetingPermissions.canReadTemplates(actor) else { throw DomainError.unauthenticated }
        guard let template = try await store.meetingTemplate(id, version: version) else { throw DomainError.notFound("meetingTemplate") }
        return (template, try await store.meetingTemplateVersions(id).map(\.version))
    }

    public func createTemplate(_ draft: MeetingTemplateDraft, by actor: Principal) async throws -> MeetingTemplate {
        let (template, events) = try TemplateRules.create(draft, id: MeetingTemplateID(deps.ids.uuid()), by: actor, now: deps.clock.now())
        try await deps.commit(ChangeSet(changes: [.meeting(.insertTemplate(template))],
                                        events: MeetingEventEncoding.newEvents(events, meeting: nil)))
        return template
    }

    /// A new version; meetings created from older versions keep theirs.
    public func reviseTemplate(_ id: MeetingTemplateID, with draft: MeetingTemplateDraft, expectedVersion: Int, by actor: Principal)
        async throws -> MeetingTemplate {
        guard MeetingPermissions.canEditTemplates(actor) else { throw actor.adminRefusal }
        guard let latest = try await store.meetingTemplate(id, version: nil) else { throw DomainError.notFound("meetingTemplate") }
        guard let (next, events) = try TemplateRules.revise(latest, with: draft, expectedVersion: expectedVersion, by: actor, now: deps.clock.now())
        else { return latest }
        try await deps.commit(ChangeSet(changes: [.meeting(.insertTemplate(next))], events: MeetingEventEncoding.newEvents(events, meeting: nil)))
        return next
    }

    // MARK: Meetings

    public func list(in workspace: WorkspaceID, by actor: Principal) async throws -> [Meeting] {
        guard MeetingPermissions.canRead(actor, workspace), try await store.workspace(workspace) != nil else {
            throw actor.isSignedIn ? DomainError.notFound("workspace") : DomainError.unauthenticated
        }
        return try await store.meetings(in: workspace)
    }

    public func detail(_ id: MeetingID, by actor: Principal) async throws -> MeetingDetailView {
        let c = try await MeetingContext.load(id, by: actor, store: store)
        return try await detailView(c.meeting, actor: actor)
    }

    func detailView(_ meeting: Meeting, actor: Principal) async throws -> MeetingDetailView {
        let agenda = try await store.agenda(of: meeting.id)
        let responses = try await store.rsvps(.meeting(meeting.id))
        let latest = Dictionary(responses.map { ($0.invitee, $0.response) }, uniquingKeysWith: { _, b in b })
        let manage = MeetingPermissions.canManage(actor, meeting.workspaceID)
        let names = try await displayNames(meeting.invitees.compactMap(\.key.userID))
        let invitees = Self.inviteeViews(meeting.invitees, names: names, responses: latest, manage: manage)
        return MeetingDetailView(meeting: MeetingView(meeting), agenda: agenda.map { AgendaView($0, start: meeting.start) }, invitees: invitees,
                                 tally: RSVPTally(invitees: meeting.invitees, responses: responses),
                                 myResponse: actor.userID.flatMap { latest[.member($0)] }, mayManage: manage,
                                 mayWriteMinutes: MeetingPermissions.canWriteMinutes(actor, meeting.workspaceID))
    }

    func displayNames(_ ids: [UserID]) async throws -> [UserID: String] {
        var names: [UserID: String] = [:]
        for key in ids {
            if let user = try await store.user(key) { names[key] = user.displayName }
        }
        return names
    }

    /// Guests' addresses are for those who plan the meeting; others see the name only.
    static func inviteeViews(_ invitees: [Invitee], names: [UserID: String], responses: [InviteeKey: RSVPResponse], manage: Bool) -> [InviteeView] {
        var out: [InviteeView] = []
        for i in invitees {
            var name = i.name ?? ""
            if name.isEmpty, let id = i.key.userID, let known = names[id] { name = known }
            if name.isEmpty && !manage { name = "Gast" }
            let key = manage || i.key.userID != nil ? i.key.description : "guest"
            out.append(InviteeView(key: key, name: name, role: i.role, response: responses[i.key]))
        }
        return out
    }

    /// Plans a meeting from the latest version of a template (the version is recorded).
    public func create(_ draft: MeetingDraft, template templateID: MeetingTemplateID, in workspaceID: WorkspaceID, by actor: Principal)
        async throws -> Meeting {
        guard MeetingPermissions.canRead(actor, workspaceID), let workspace = try await store.workspace(workspaceID) else {
            throw actor.isSignedIn ? DomainError.notFound("workspace") : DomainError.unauthenticated
        }
        guard let template = try await store.meetingTemplate(templateID, version: nil) else {
            throw DomainError.validation([FieldIssue(field: "templateId", code: "unknown", message: "No such template.")])
        }
        let ids = deps.ids
        let (meeting, agenda, events) = try MeetingRules.create(draft, id: MeetingID(ids.uuid()), template: template, in: workspace, by: actor,
                                                                newID: { ids.uuid() }, now: deps.clock.now(), today: deps.today)
        try await deps.commit(ChangeSet(changes: [.meeting(.insertMeeting(meeting)), .meeting(.insertAgenda(agenda))],
                                        events: MeetingEventEncoding.newEvents(events, meeting: meeting)))
        return meeting
    }

    public func update(_ id: MeetingID, with patch: MeetingPatch, expectedVersion: Int, by actor: Principal) async throws -> Meeting {
        let c = try await MeetingContext.load(id, by: actor, store: store)
        guard let update = try MeetingRules.update(c.meeting, with: patch, expectedVersion: expectedVersion, in: c.workspace, by: actor,
                                                   now: deps.clock.now(), today: deps.today) else { return c.meeting }
        var changes: [Change] = [.meeting(.updateMeeting(update.meeting, expectedVersion: c.meeting.version))]
        if update.resetResponses { changes.append(.meeting(.deleteRSVPs(.meeting(id)))) }
        try await commitWithMail(changes, events: update.events, meeting: update.meeting, workspace: c.workspace)
        return update.meeting
    }

    public func invite(_ id: MeetingID, expectedVersion: Int, by actor: Principal) async throws -> Meeting {
        let c = try await MeetingContext.load(id, by: actor, store: store)
        let (next, events) = try MeetingRules.invite(c.meeting, expectedVersion: expectedVersion, in: c.workspace, by: actor,
                                                     now: deps.clock.now(), today: deps.today)
        try await commitWithMail([.meeting(.updateMeeting(next, expectedVersion: c.meeting.version))], events: events, meeting: next,
                                 workspace: c.workspace)
        return next
    }

    public func cancel(_ id: MeetingID, reason: String, expectedVersion: Int, by actor: Principal) async throws -> Meeting {
        let c = try await MeetingContext.load(id, by: actor, store: store)
        let (next, events) = try MeetingRules.cancel(c.meeting, reason: reason, expectedVersion: expectedVersion, in: c.workspace, by: actor,
                                                     now: deps.clock.now(), today: deps.today)
        try await commitWithMail([.meeting(.updateMeeting(next, expectedVersion: c.meeting.version))], events: events, meeting: next,
                                 workspace: c.workspace)
        return next
    }

    public func markHeld(_ id: MeetingID, by actor: Principal) async throws -> Meeting {
        let c = try await MeetingContext.load(id, by: actor, store: store)
        let (next, events) = try MeetingRules.markHeld(c.meeting, by: actor, now: deps.clock.now())
        try await deps.commit(ChangeSet(changes: [.meeting(.updateMeeting(next, expectedVersion: c.meeting.version))],
                                        events: MeetingEventEncoding.newEvents(events, meeting: next)))
        return next
    }

    public func publish(_ id: MeetingID, by actor: Principal) async throws -> Meeting {
        let c = try await MeetingContext.load(id, by: actor, store: store)
        let (next, events) = try MeetingRules.publish(c.meeting, by: actor, now: deps.clock.now())
        try await deps.commit(ChangeSet(changes: [.meeting(.updateMeeting(next, expectedVersion: c.meeting.version))],
                                        events: MeetingEventEncoding.newEvents(events, meeting: next)))
        return next
    }

    // MARK: Answers

    /// A signed-in invitee answers.
    public func respond(_ id: MeetingID, _ response: RSVPResponse, by actor: Principal) async throws -> RSVPTally {
        let c = try await MeetingContext.load(id, by: actor, store: store)
        guard let user = actor.userID else { throw DomainError.unauthenticated }
        return try await record(response, meeting: c.meeting, invitee: .member(user), authority: .principal(actor))
    }

    /// What the holder of a link sees before answering: the meeting's public facts.
    public func linkInfo(_ token: String) async throws -> (Meeting, InviteeKey, RSVPResponse?) {
        let (link, meeting) = try await resolve(token)
        let current = try await store.rsvps(.meeting(meeting.id)).last { $0.invitee == link.claims.invitee }
        return (meeting, link.claims.invitee, current?.response)
    }

    /// An answer from a signed link, without an account.
    public func respond(token: String, _ response: RSVPResponse) async throws -> RSVPTally {
        let (link, meeting) = try await resolve(token)
        return try await record(response, meeting: meeting, invitee: link.claims.invitee, authority: .token(link.claims))
    }

    func resolve(_ token: String) async throws -> (RSVPLink, Meeting) {
        guard let link = RSVPLink.verify(token, signer: signer, now: deps.clock.now()), case .meeting(let id) = link.claims.target,
              let meeting = try await store.meeting(id) else {
            throw DomainError(.notFound, code: "rsvp.invalidLink", message: "This link is not valid (any more). Please use the link in the newest invitation.")
        }
        return (link, meeting)
    }

    func record(_ response: RSVPResponse, meeting: Meeting, invitee: InviteeKey, authority: RSVPAuthority) async throws -> RSVPTally {
        let responses = try await store.rsvps(.meeting(meeting.id))
        let (rsvp, events) = try MeetingRules.respond(response, to: meeting, as: invitee, authority: authority, responses: responses,
                                                      now: deps.clock.now())
        try await deps.commit(ChangeSet(changes: [.meeting(.putRSVP(rsvp))], events: MeetingEventEncoding.newEvents(events, meeting: meeting)))
        return RSVPTally(invitees: meeting.invitees, responses: responses.filter { $0.invitee != invitee } + [rsvp])
    }

    // MARK: Calendar files

    /// A plain `.ics` of one meeting (no METHOD, no attendees).
    public func ics(_ id: MeetingID, by actor: Principal) async throws -> String {
        let c = try await MeetingContext.load(id, by: actor, store: store)
        return MeetingCalendar.download(c.meeting, description: description(c.meeting), people: try await people([c.meeting.organizerID]),
                                        settings: settings.calendar)
    }

    /// Creates or rotates the workspace's feed secret; the URL is shown once.
    public func rotateFeed(_ workspaceID: WorkspaceID, by actor: Principal) async throws -> String {
        guard MeetingPermissions.canRead(actor, workspaceID), try await store.workspace(workspaceID) != nil else {
            throw actor.isSignedIn ? DomainError.notFound("workspace") : DomainError.unauthenticated
        }
        guard MeetingPermissions.canManage(actor, workspaceID) else { throw DomainError.forbidden }
        let secret = digest.newToken()
        try await deps.commit(ChangeSet(changes: [.meeting(.setFeedSecret(workspaceID, secretHash: digest.digest(secret), at: deps.clock.now()))]))
        return "\(settings.publicOrigin)/calendar/\(workspaceID)/\(secret).ics"
    }

    /// The feed behind a secret URL (no account needed); nil when the secret is wrong.
    public func feed(_ workspaceID: WorkspaceID, secret: String) async throws -> String? {
        guard secret.count <= 200, try await store.feedWorkspace(secretHash: digest.digest(secret)) == workspaceID,
              let workspace = try await store.workspace(workspaceID) else { return nil }
        let meetings = try await store.meetings(in: workspaceID).filter { $0.series == nil }
        let series = try await store.meetingSeries(in: workspaceID)
        var descriptions: [CalendarTarget: String] = [:]
        for m in meetings { descriptions[.meeting(m.id)] = description(m) }
        return MeetingCalendar.feed(name: workspace.name, meetings: meetings, series: series, descriptions: descriptions,
                                    people: try await people(meetings.map(\.organizerID)), settings: settings.calendar)
    }

    func description(_ m: Meeting) -> String {
        [m.description, "\(settings.publicOrigin)/#/meetings/\(m.id)"].filter { !$0.isEmpty }.joined(separator: "\n\n")
    }

    func people(_ ids: some Sequence<UserID>) async throws -> [UserID: CalendarPerson] {
        var out: [UserID: CalendarPerson] = [:]
        for id in Set(ids) { if let u = try await store.user(id) { out[id] = CalendarPerson(name: u.displayName, email: u.email) } }
        return out
    }

    // MARK: Mail

    /// Commits the changes and events together with the rendered mail for every calendar
    /// work order among the events (the outbox), in one transaction.
    func commitWithMail(_ changes: [Change], events: [MeetingEvent], meeting: Meeting, workspace: Workspace) async throws {
        var all: [Change] = changes
        for case .calendarMessage(let dispatch, _) in events {
            for mail in try await render(dispatch, meeting: meeting, workspace: workspace) { all.append(.meeting(.enqueueMail(mail))) }
        }
        try await deps.commit(ChangeSet(changes: all, events: MeetingEventEncoding.newEvents(events, meeting: meeting)))
    }

    /// One mail per recipient; each lists only its recipient as ATTENDEE.
    func render(_ dispatch: CalendarDispatch, meeting: Meeting, workspace: Workspace) async throws -> [QueuedMail] {
        guard let template = try await store.meetingTemplate(meeting.template.id, version: meeting.template.version) else { return [] }
        let agenda = try await store.agenda(of: meeting.id) ?? Agenda(meetingID: meeting.id, workspaceID: meeting.workspaceID, items: [],
                                                                       version: 1, updatedAt: meeting.updatedAt)
        var ids: [UserID] = [meeting.organizerID]
        ids += meeting.invitees.compactMap(\.key.userID)
        ids += dispatch.recipients.compactMap(\.userID)
        let people = try await people(ids)
        let organizerName = people[meeting.organizerID]?.name ?? ""
        let responses = try await store.rsvps(.meeting(meeting.id))
        let now = deps.clock.now()
        var mails: [QueuedMail] = []
        for recipient in dispatch.recipients {
            let address: String, name: String
            switch recipient {
            case .member(let id):
                guard let p = people[id] else { continue }
                (address, name) = (p.email, p.name)
            case .guest(let email):
                (address, name) = (email, meeting.invitee(recipient)?.name ?? email)
            }
            let rsvp: InvitationContext.RSVPLinks? = dispatch.method == .request ? links(meeting: meeting, invitee: recipient) : nil
            let context = InvitationContext(meeting: meeting, agenda: agenda, workspaceName: workspace.name, organizerName: organizerName,
                                            recipientName: name, rsvp: rsvp, meetingURL: "\(settings.publicOrigin)/#/meetings/\(meeting.id)",
                                            language: settings.language)
            var subject = InvitationRenderer.render(template.content.invitationSubject, context)
            var text = InvitationRenderer.render(template.content.invitationBody, context)
            switch dispatch.reason {
            case .update: subject = "Aktualisiert: " + subject
            case .cancellation, .removed:
                subject = "Abgesagt: \(meeting.title)"
                let what: String = dispatch.reason == .removed
                    ? "findet für Sie nicht statt; Sie wurden aus der Einladung entfernt."
                    : "wurde abgesagt."
                var lines: [String] = ["Guten Tag \(name),", "", "die Sitzung „\(meeting.title)“ am \(context.meeting.date) um \(context.meeting.startTime) Uhr \(what)"]
                if let reason = meeting.cancellationReason, !reason.isEmpty { lines += ["", "Grund: \(reason)"] }
                lines += ["", "Mit freundlichen Grüßen", organizerName]
                text = lines.joined(separator: "\n")
            case .invitation, .added: break
            }
            let calendar = MeetingCalendar.message(dispatch.method, for: meeting, recipients: [recipient], description: description(meeting),
                                                   people: people, responses: responses, settings: settings.calendar)
            mails.append(QueuedMail(id: deps.ids.uuid().uuidString.lowercased(), createdAt: now, recipient: address,
                                    subject: String(subject.prefix(250)), text: text, calendar: calendar, calendarMethod: dispatch.method.rawValue))
        }
        return mails
    }

    /// Accept, tentative and decline links for one invitee, valid until the meeting ends and
    /// until its time changes (they carry the SEQUENCE of the invitation).
    func links(meeting: Meeting, invitee: InviteeKey) -> InvitationContext.RSVPLinks {
        let token = RSVPLink(claims: RSVPTokenClaims(target: .meeting(meeting.id), invitee: invitee, sequence: meeting.sequence),
                             expiresAt: meeting.endInstant).token(signer)
        let base = "\(settings.publicOrigin)/#/rsvp/\(token)"
        return InvitationContext.RSVPLinks(acceptURL: base + "/accepted", tentativeURL: base + "/tentative", declineURL: base + "/declined")
    }
}

/// Sends the mail outbox. Called after each commit that queued mail and by the maintenance job;
/// a failed mail stays queued (attempts and the last error are recorded) and is retried. One
/// flush at a time per process (a request arriving meanwhile makes the running flush go again).
public actor MeetingMailOutbox {
    let deps: ServiceDependencies
    let mailer: any Mailer
    public static let maxAttempts = 8
    private var running = false
    private var again = false

    public init(deps: ServiceDependencies, mailer: any Mailer) {
        self.deps = deps
        self.mailer = mailer
    }

    @discardableResult
    public func flush() async -> Int {
        guard mailer.isConfigured else { return 0 }
        if running { again = true; return 0 }
        running = true
        defer { running = false }
        var total = 0
        repeat {
            again = false
            total += await flushOnce()
        } while again
        return total
    }

    private func flushOnce() async -> Int {
        guard let pending = try? await deps.store.pendingMail(limit: 200) else { return 0 }
        var sent = 0
        for mail in pending where mail.attempts < Self.maxAttempts {
            do {
                if let calendar = mail.calendar, let method = mail.calendarMethod, let calendarMailer = mailer as? any CalendarMailer {
                    try await calendarMailer.sendCalendar(to: mail.recipient, subject: mail.subject, text: mail.text,
                                                          calendar: CalendarAttachment(method: method, body: calendar))
                } else {
                    try await mailer.send(to: mail.recipient, subject: mail.subject, text: mail.text)
                }
                _ = try? await deps.store.commit(ChangeSet(changes: [.meeting(.markMailSent(mail.id, at: deps.clock.now()))]))
                sent += 1
            } catch {
                deps.logger.warning("meeting mail not sent", metadata: ["mail": "\(mail.id)", "error": "\(error)"])
                _ = try? await deps.store.commit(ChangeSet(changes: [.meeting(.markMailFailed(mail.id, error: "\(error)", at: deps.clock.now()))]))
            }
        }
        return sent
    }
}

/// The meetings services as the transport and the maintenance job use them.
public struct MeetingServices: Sendable {
    public let meetings: Meetings
    public let work: MeetingWork
    public let outbox: MeetingMailOutbox

    public init(deps: ServiceDependencies, signer: any LinkSigner, digest: any TokenDigest, settings: MeetingSettings, outbox: MeetingMailOutbox) {
        meetings = Meetings(deps: deps, signer: signer, digest: digest, settings: settings)
        work = MeetingWork(deps: deps, meetings: meetings)
        self.outbox = outbox
    }

    /// The periodic part: deemed approvals at the deadline, then the outbox. Returns how many
    /// minutes changed.
    @discardableResult
    public func runPeriodic() async throws -> Int {
        let settled = try await work.settleDue()
        await outbox.flush()
        try await meetings.purgeMail()
        return settled
    }
}
