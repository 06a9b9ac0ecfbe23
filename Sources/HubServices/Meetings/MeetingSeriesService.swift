import Foundation
import HubCore

/// Recurring meetings (issue 4): plan a series from a template, list its occurrences,
/// change its rule or details, cancel or move one occurrence, cancel it all, and open one
/// occurrence as a `Meeting` of its own for agenda and minutes. Every change after the
/// invitation goes out as one REQUEST for the whole series (master with RRULE and EXDATE,
/// plus the moved occurrences), rendered into the outbox in the same transaction.
public struct MeetingSeriesService: Sendable {
    let meetings: Meetings

    public init(meetings: Meetings) { self.meetings = meetings }

    var deps: ServiceDependencies { meetings.deps }
    var store: any HubStore { meetings.store }
    public var settings: MeetingSettings { meetings.settings }

    /// At most this many occurrences per listing.
    public static let maxListed = 100

    // MARK: Reads

    public func list(in workspaceID: WorkspaceID, by actor: Principal) async throws -> [MeetingSeries] {
        guard MeetingPermissions.canRead(actor, workspaceID), try await store.workspace(workspaceID) != nil else {
            throw actor.isSignedIn ? DomainError.notFound("workspace") : DomainError.unauthenticated
        }
        return try await store.meetingSeries(in: workspaceID).sorted { ($0.start, $0.id.description) < ($1.start, $1.id.description) }
    }

    /// A series the actor may read; one they may not read does not exist for them.
    func load(_ id: MeetingSeriesID, by actor: Principal) async throws -> (MeetingSeries, Workspace) {
        guard let series = try await store.meetingSeries(id), MeetingPermissions.canRead(actor, series.workspaceID),
              let workspace = try await store.workspace(series.workspaceID) else {
            throw actor.isSignedIn ? DomainError.notFound("meetingSeries") : DomainError.unauthenticated
        }
        return (series, workspace)
    }

    /// The series with its occurrences from `from` (default: now) on, at most `limit`.
    public func detail(_ id: MeetingSeriesID, from: LocalDate? = nil, limit: Int = 20, by actor: Principal) async throws -> MeetingSeriesDetailView {
        let (series, _) = try await load(id, by: actor)
        return try await detailView(series, from: from, limit: limit, actor: actor)
    }

    func detailView(_ series: MeetingSeries, from: LocalDate?, limit: Int, actor: Principal) async throws -> MeetingSeriesDetailView {
        let bounded = max(1, min(limit, Self.maxListed))
        let start = from.map { BerlinTime.instant(LocalDateTime(wallMinutes: $0.dayNumber * 1440)) } ?? deps.clock.now()
        let list = series.occurrences(from: start, limit: bounded + 1)
        let prepared = try await preparedMeetings(series)
        let occurrences = list.prefix(bounded).map { o in
            MeetingOccurrenceView(o, meetingId: prepared[o.recurrenceID]?.id.description)
        }
        let manage = MeetingPermissions.canManage(actor, series.workspaceID)
        let names = try await meetings.displayNames(series.invitees.compactMap(\.key.userID))
        let responses = try await store.rsvps(.series(series.id))
        let latest = Dictionary(responses.map { ($0.invitee, $0.response) }, uniquingKeysWith: { _, b in b })
        return MeetingSeriesDetailView(series: MeetingSeriesView(series, language: settings.language), occurrences: Array(occurrences),
                                       hasMore: list.count > bounded,
                                       invitees: Meetings.inviteeViews(series.invitees, names: names, responses: latest, manage: manage),
                                       tally: RSVPTally(invitees: series.invitees, responses: responses),
                                       myResponse: actor.userID.flatMap { latest[.member($0)] }, mayManage: manage)
    }

    /// The meetings already opened for occurrences of the series, by recurrence id.
    func preparedMeetings(_ series: MeetingSeries) async throws -> [LocalDateTime: Meeting] {
        var out: [LocalDateTime: Meeting] = [:]
        for m in try await store.meetings(in: series.workspaceID) {
            if let link = m.series, link.seriesID == series.id { out[link.recurrenceID] = m }
        }
        return out
    }

    /// The plain `.ics` of the series (no METHOD, no attendees): master with RRULE and EXDATE
    /// plus the moved occurrences.
    public func ics(_ id: MeetingSeriesID, by actor: Principal) async throws -> String {
        let (series, _) = try await load(id, by: actor)
        return MeetingCalendar.download(series, description: description(series), people: try await meetings.people([series.organizerID]),
                                        settings: settings.calendar)
    }

    func description(_ s: MeetingSeries) -> String {
        [s.description, "\(settings.publicOrigin)/#/meeting-series/\(s.id)"].filter { !$0.isEmpty }.joined(separator: "\n\n")
    }

    /// A signed-in invitee answers for the whole series (the answer holds until its time or
    /// rule changes, which resets the answers).
    public func respond(_ id: MeetingSeriesID, _ response: RSVPResponse, by actor: Principal) async throws -> RSVPTally {
        let (series, _) = try await load(id, by: actor)
        guard let user = actor.userID else { throw DomainError.unauthenticated }
        let responses = try await store.rsvps(.series(id))
        let (rsvp, events) = try SeriesRules.respond(response, to: series, as: .member(user), authority: .principal(actor), responses: responses,
                                                     now: deps.clock.now())
        try await deps.commit(ChangeSet(changes: [.meeting(.putRSVP(rsvp))], events: MeetingEventEncoding.newEvents(events, meeting: nil)))
        return RSVPTally(invitees: series.invitees, responses: responses.filter { $0.invitee != rsvp.invitee } + [rsvp])
    }

    /// What the holder of a series answer link sees: the series, the invitee, their answer.
    public func linkInfo(_ token: String) async throws -> (MeetingSeries, InviteeKey, RSVPResponse?) {
        let (link, series) = try await resolve(token)
        let current = try await store.rsvps(.series(series.id)).last { $0.invitee == link.claims.invitee }
        return (series, link.claims.invitee, current?.response)
    }

    /// An answer for the whole series from a signed link, without an account (guests too).
    public func respond(token: String, _ response: RSVPResponse) async throws -> RSVPTally {
        let (link, series) = try await resolve(token)
        let responses = try await store.rsvps(.series(series.id))
        let (rsvp, events) = try SeriesRules.respond(response, to: series, as: link.claims.invitee, authority: .token(link.claims),
                                                     responses: responses, now: deps.clock.now())
        try await deps.commit(ChangeSet(changes: [.meeting(.putRSVP(rsvp))], events: MeetingEventEncoding.newEvents(events, meeting: nil)))
        return RSVPTally(invitees: series.invitees, responses: responses.filter { $0.invitee != rsvp.invitee } + [rsvp])
    }

    func resolve(_ token: String) async throws -> (RSVPLink, MeetingSeries) {
        guard let link = RSVPLink.verify(token, signer: meetings.signer, now: deps.clock.now()), case .series(let id) = link.claims.target,
              let series = try await store.meetingSeries(id) else {
            throw DomainError(.notFound, code: "rsvp.invalidLink", message: "This link is not valid (any more). Please use the link in the newest invitation.")
        }
        return (link, series)
    }

    /// Accept, tentative and decline links for one invitee of a series: they carry the SEQUENCE
    /// of the invitation (a new time, rule or moved date outdates them) and expire with the last
    /// date (a series without end: after a year; the next change brings new links).
    func links(_ series: MeetingSeries, invitee: InviteeKey, now: Date) -> InvitationContext.RSVPLinks {
        let expiry: Date
        if case .never = series.rule.end {
            expiry = now.addingTimeInterval(366 * 86_400)
        } else {
            expiry = series.occurrences(from: now).last?.endInstant ?? now
        }
        let token = RSVPLink(claims: RSVPTokenClaims(target: .series(series.id), invitee: invitee, sequence: series.sequence), expiresAt: expiry)
            .token(meetings.signer)
        let base = "\(settings.publicOrigin)/#/series-rsvp/\(token)"
        return InvitationContext.RSVPLinks(acceptURL: base + "/accepted", tentativeURL: base + "/tentative", declineURL: base + "/declined")
    }

    // MARK: Changes

    /// Plans a series from the latest version of a template (the version is recorded).
    public func create(_ draft: MeetingDraft, rule: RecurrenceRule, template templateID: MeetingTemplateID, in workspaceID: WorkspaceID,
                       by actor: Principal) async throws -> MeetingSeries {
        guard MeetingPermissions.canRead(actor, workspaceID), let workspace = try await store.workspace(workspaceID) else {
            throw actor.isSignedIn ? DomainError.notFound("workspace") : DomainError.unauthenticated
        }
        guard let template = try await store.meetingTemplate(templateID, version: nil) else {
            throw DomainError.validation([FieldIssue(field: "templateId", code: "unknown", message: "No such template.")])
        }
        let (series, events) = try SeriesRules.create(draft, rule: rule, id: MeetingSeriesID(deps.ids.uuid()), template: template, in: workspace,
                                                      by: actor, now: deps.clock.now(), today: deps.today)
        try await commit([.meeting(.insertSeries(series))], events: events, series: series, workspace: workspace)
        return series
    }

    /// Details and/or the rule; prepared occurrence meetings follow.
    public func update(_ id: MeetingSeriesID, with patch: MeetingPatch, rule: RecurrenceRule?, expectedVersion: Int, by actor: Principal)
        async throws -> MeetingSeries {
        let (series, workspace) = try await load(id, by: actor)
        guard let (next, events) = try SeriesRules.update(series, with: patch, rule: rule, expectedVersion: expectedVersion, in: workspace,
                                                          by: actor, now: deps.clock.now(), today: deps.today) else { return series }
        var changes: [Change] = [.meeting(.updateSeries(next, expectedVersion: series.version))]
        if events.contains(where: { if case .responsesReset = $0 { true } else { false } }) { changes.append(.meeting(.deleteRSVPs(.series(id)))) }
        let (synced, syncEvents) = try await sync(next)
        try await commit(changes + synced, events: events + syncEvents, series: next, workspace: workspace)
        return next
    }

    public func invite(_ id: MeetingSeriesID, expectedVersion: Int, by actor: Principal) async throws -> MeetingSeries {
        let (series, workspace) = try await load(id, by: actor)
        let (next, events) = try SeriesRules.invite(series, expectedVersion: expectedVersion, in: workspace, by: actor, now: deps.clock.now(),
                                                    today: deps.today)
        let (synced, syncEvents) = try await sync(next)
        try await commit([.meeting(.updateSeries(next, expectedVersion: series.version))] + synced, events: events + syncEvents, series: next,
                         workspace: workspace)
        return next
    }

    /// Calls off the whole series; prepared occurrences still ahead are cancelled with it.
    public func cancel(_ id: MeetingSeriesID, expectedVersion: Int, by actor: Principal) async throws -> MeetingSeries {
        let (series, workspace) = try await load(id, by: actor)
        let (next, events) = try SeriesRules.cancel(series, expectedVersion: expectedVersion, in: workspace, by: actor, now: deps.clock.now(),
                                                    today: deps.today)
        let (synced, syncEvents) = try await sync(next)
        try await commit([.meeting(.updateSeries(next, expectedVersion: series.version))] + synced, events: events + syncEvents, series: next,
                         workspace: workspace)
        return next
    }

    /// One occurrence called off (EXDATE); its meeting, if opened, is cancelled too.
    public func cancelOccurrence(_ id: MeetingSeriesID, _ recurrenceID: LocalDateTime, expectedVersion: Int, by actor: Principal)
        async throws -> MeetingSeries {
        let (series, workspace) = try await load(id, by: actor)
        let meeting = try await preparedMeetings(series)[recurrenceID]
        let (next, changedMeeting, events) = try SeriesRules.cancelOccurrence(recurrenceID, of: series, meeting: meeting, expectedVersion: expectedVersion,
                                                                             in: workspace, by: actor, now: deps.clock.now(), today: deps.today)
        var changes: [Change] = [.meeting(.updateSeries(next, expectedVersion: series.version))]
        if let m = changedMeeting, let before = meeting, m != before { changes.append(.meeting(.updateMeeting(m, expectedVersion: before.version))) }
        try await commit(changes, events: events, series: next, workspace: workspace)
        return next
    }

    /// One occurrence at another time (RECURRENCE-ID override); its meeting follows.
    public func moveOccurrence(_ id: MeetingSeriesID, _ recurrenceID: LocalDateTime, start: LocalDateTime, end: LocalDateTime, expectedVersion: Int,
                               by actor: Principal) async throws -> MeetingSeries {
        let (series, workspace) = try await load(id, by: actor)
        let meeting = try await preparedMeetings(series)[recurrenceID]
        let (next, changedMeeting, events) = try SeriesRules.moveOccurrence(recurrenceID, to: start, end: end, of: series, meeting: meeting,
                                                                           expectedVersion: expectedVersion, in: workspace, by: actor,
                                                                           now: deps.clock.now(), today: deps.today)
        guard next != series else { return series }
        var changes: [Change] = [.meeting(.updateSeries(next, expectedVersion: series.version))]
        if let m = changedMeeting, let before = meeting, m != before { changes.append(.meeting(.updateMeeting(m, expectedVersion: before.version))) }
        if series.status == .invited { changes.append(.meeting(.deleteRSVPs(.series(id)))) }
        try await commit(changes, events: events, series: next, workspace: workspace)
        return next
    }

    /// The meeting of one occurrence, for its agenda and minutes: the one opened before, or a
    /// new one from the series' template version (`created` tells which).
    public func openOccurrence(_ id: MeetingSeriesID, _ recurrenceID: LocalDateTime, by actor: Principal) async throws -> (meeting: Meeting, created: Bool) {
        let (series, workspace) = try await load(id, by: actor)
        guard MeetingPermissions.canManage(actor, series.workspaceID) else { throw DomainError.forbidden }
        if let existing = try await preparedMeetings(series)[recurrenceID] { return (existing, false) }
        guard let template = try await store.meetingTemplate(series.template.id, version: series.template.version) else {
            throw DomainError.notFound("meetingTemplate")
        }
        let ids = deps.ids
        let (meeting, agenda, events) = try SeriesRules.occurrenceMeeting(recurrenceID, of: series, id: MeetingID(ids.uuid()), template: template,
                                                                         by: actor, newID: { ids.uuid() }, now: deps.clock.now())
        _ = workspace
        try await deps.commit(ChangeSet(changes: [.meeting(.insertMeeting(meeting)), .meeting(.insertAgenda(agenda))],
                                        events: MeetingEventEncoding.newEvents(events, meeting: meeting)))
        return (meeting, true)
    }

    /// Prepared occurrence meetings brought in line with the series (`SeriesRules.sync`).
    func sync(_ series: MeetingSeries) async throws -> ([Change], [MeetingEvent]) {
        var changes: [Change] = []
        var events: [MeetingEvent] = []
        for (_, meeting) in try await preparedMeetings(series).sorted(by: { $0.key < $1.key }) {
            guard let (next, e) = SeriesRules.sync(meeting, with: series, now: deps.clock.now()) else { continue }
            changes.append(.meeting(.updateMeeting(next, expectedVersion: meeting.version)))
            events += e
        }
        return (changes, events)
    }

    // MARK: Mail

    /// Commits changes and events with the mail for every calendar work order (the outbox).
    func commit(_ changes: [Change], events: [MeetingEvent], series: MeetingSeries, workspace: Workspace) async throws {
        var all = changes
        for case .calendarMessage(let dispatch, _) in events {
            for mail in try await render(dispatch, series: series, workspace: workspace) { all.append(.meeting(.enqueueMail(mail))) }
        }
        var log: [NewEvent] = []
        for event in events {
            // Events about an occurrence's meeting go on its topic too.
            var meeting: Meeting? = nil
            switch event {
            case .meetingCreated(let m), .meetingStatusChanged(let m), .meetingUpdated(let m, _): meeting = m
            default: break
            }
            log += MeetingEventEncoding.newEvents([event], meeting: meeting)
        }
        try await deps.commit(ChangeSet(changes: all, events: log))
    }

    /// One mail per recipient, each listing only its recipient as ATTENDEE. The series has its
    /// own text (the template's Mustache context is about one meeting and its agenda): what,
    /// how often, where, the next dates, and what changed.
    func render(_ dispatch: CalendarDispatch, series: MeetingSeries, workspace: Workspace) async throws -> [QueuedMail] {
        var ids: [UserID] = [series.organizerID]
        ids += series.invitees.compactMap(\.key.userID)
        ids += dispatch.recipients.compactMap(\.userID)
        let people = try await meetings.people(ids)
        let organizerName = people[series.organizerID]?.name ?? ""
        let responses = try await store.rsvps(.series(series.id))
        let now = deps.clock.now()
        let language = settings.language
        var mails: [QueuedMail] = []
        for recipient in dispatch.recipients {
            let address: String, name: String
            switch recipient {
            case .member(let id):
                guard let p = people[id] else { continue }
                (address, name) = (p.email, p.name)
            case .guest(let email):
                (address, name) = (email, series.invitee(recipient)?.name ?? email)
            }
            let rsvp = dispatch.method == .request ? links(series, invitee: recipient, now: now) : nil
            let (subject, text) = SeriesMailText.compose(series, reason: dispatch.reason, recipientName: name, organizerName: organizerName,
                                                         workspaceName: workspace.name, url: "\(settings.publicOrigin)/#/meeting-series/\(series.id)",
                                                         rsvp: rsvp, now: now, language: language)
            let calendar = MeetingCalendar.message(dispatch.method, for: series, recipients: [recipient], description: description(series),
                                                   people: people, responses: responses, settings: settings.calendar)
            mails.append(QueuedMail(id: deps.ids.uuid().uuidString.lowercased(), createdAt: now, recipient: address,
                                    subject: String(subject.prefix(250)), text: text, calendar: calendar, calendarMethod: dispatch.method.rawValue))
        }
        return mails
    }
}

/// The text of series mails and the rule in words ("alle 2 Wochen am Dienstag").
public enum SeriesMailText {
    static let ordinalsDE = [1: "ersten", 2: "zweiten", 3: "dritten", 4: "vierten", 5: "fünften", -1: "letzten", -2: "vorletzten"]
    static let ordinalsEN = [1: "first", 2: "second", 3: "third", 4: "fourth", 5: "fifth", -1: "last", -2: "second to last"]
    static let daysDE = ["Montag", "Dienstag", "Mittwoch", "Donnerstag", "Freitag", "Samstag", "Sonntag"]
    static let daysEN = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]

    /// The rule in words, for a series starting at `start`.
    public static func describe(_ rule: RecurrenceRule, start: LocalDateTime, language: MeetingLanguage) -> String {
        let de = language == .de
        let days = de ? daysDE : daysEN
        let weekdays = rule.byDay.isEmpty ? [RecurrenceRule.WeekdayNum(RecurrenceRule.Weekday(rawValue: start.date.isoWeekday)!)] : rule.byDay
        func list(_ parts: [String]) -> String {
            guard parts.count > 1 else { return parts.first ?? "" }
            return parts.dropLast().joined(separator: ", ") + (de ? " und " : " and ") + parts.last!
        }
        var text: String
        switch rule.frequency {
        case .weekly:
            let every = rule.interval == 1 ? (de ? "wöchentlich" : "weekly") : (de ? "alle \(rule.interval) Wochen" : "every \(rule.interval) weeks")
            text = every + (de ? " am " : " on ") + list(weekdays.map { days[$0.weekday.rawValue - 1] })
        case .monthly:
            let every = rule.interval == 1 ? (de ? "monatlich" : "monthly") : (de ? "alle \(rule.interval) Monate" : "every \(rule.interval) months")
            if !rule.byMonthDay.isEmpty {
                let dayNames = rule.byMonthDay.map { d in d == -1 ? (de ? "letzten Tag" : "last day") : (de ? "\(d)." : "day \(d)") }
                text = every + (de ? " am " : " on ") + list(dayNames)
            } else if rule.byDay.contains(where: { $0.ordinal != nil }) || !rule.bySetPos.isEmpty {
                let names = weekdays.map { w -> String in
                    let n = w.ordinal ?? rule.bySetPos.first ?? 1
                    let ord = (de ? ordinalsDE : ordinalsEN)[n] ?? "\(n)."
                    return "\(ord) \(days[w.weekday.rawValue - 1])"
                }
                text = every + (de ? " am " : " on the ") + list(names)
            } else {
                text = every + (de ? " am \(start.date.day)." : " on day \(start.date.day)")
            }
        }
        switch rule.end {
        case .never: break
        case .count(let n): text += de ? ", \(n) Termine" : ", \(n) meetings"
        case .until(let t): text += de ? ", bis \(MeetingText.shortDate(t.date, .de))" : ", until \(MeetingText.shortDate(t.date, .en))"
        }
        return text
    }

    static func compose(_ s: MeetingSeries, reason: CalendarDispatch.Reason, recipientName: String, organizerName: String, workspaceName: String,
                        url: String, rsvp: InvitationContext.RSVPLinks? = nil, now: Date, language: MeetingLanguage) -> (String, String) {
        let de = language == .de
        let rule = describe(s.rule, start: s.start, language: language)
        let time = "\(s.start.timeText)–\(s.end.timeText)" + (de ? " Uhr" : "")
        let subject: String
        var lines: [String] = [de ? "Guten Tag \(recipientName)," : "Dear \(recipientName),", ""]
        switch reason {
        case .invitation, .added:
            subject = (de ? "Einladung zur Sitzungsreihe: " : "Invitation to the meeting series: ") + s.title
            lines.append(de ? "Sie sind zur regelmäßigen Sitzung „\(s.title)“ (\(workspaceName)) eingeladen: \(rule), \(time)."
                         : "You are invited to the recurring meeting “\(s.title)” (\(workspaceName)): \(rule), \(time).")
        case .update:
            subject = (de ? "Aktualisiert: Sitzungsreihe " : "Updated: meeting series ") + s.title
            lines.append(de ? "die regelmäßige Sitzung „\(s.title)“ wurde geändert: \(rule), \(time)."
                         : "the recurring meeting “\(s.title)” has changed: \(rule), \(time).")
        case .cancellation, .removed:
            subject = (de ? "Abgesagt: Sitzungsreihe " : "Cancelled: meeting series ") + s.title
            lines.append(reason == .removed
                         ? (de ? "die regelmäßige Sitzung „\(s.title)“ findet für Sie nicht mehr statt; Sie wurden aus der Einladung entfernt."
                               : "the recurring meeting “\(s.title)” no longer includes you; you were removed from the invitation.")
                         : (de ? "die regelmäßige Sitzung „\(s.title)“ wurde abgesagt; alle weiteren Termine entfallen."
                               : "the recurring meeting “\(s.title)” has been cancelled; all further meetings are off."))
            lines += ["", de ? "Mit freundlichen Grüßen" : "Kind regards", organizerName]
            return (subject, lines.joined(separator: "\n"))
        }
        if let place = s.place { lines += ["", (de ? "Ort: " : "Place: ") + place] }
        if let link = s.onlineURL { lines.append((de ? "Online: " : "Online: ") + link) }
        let next = s.occurrences(from: now, limit: 5)
        if !next.isEmpty {
            lines += ["", de ? "Die nächsten Termine:" : "The next meetings:"]
            for o in next {
                var line = "– \(MeetingText.longDate(o.start.date, language)), \(o.start.timeText)"
                if o.isMoved { line += de ? " (verschoben)" : " (moved)" }
                lines.append(line)
            }
        }
        let upcomingCancelled = s.cancelledOccurrences.filter { BerlinTime.instant($0) > now }
        if !upcomingCancelled.isEmpty {
            lines += ["", de ? "Entfällt:" : "Cancelled:"]
            for c in upcomingCancelled.prefix(10) { lines.append("– \(MeetingText.longDate(c.date, language))") }
        }
        if !s.description.isEmpty { lines += ["", s.description] }
        if let rsvp {
            lines += ["", de ? "Bitte antworten Sie für alle Termine der Reihe:" : "Please answer for every date of the series:",
                      (de ? "Zusagen: " : "Accept: ") + rsvp.acceptURL, (de ? "Vielleicht: " : "Tentative: ") + rsvp.tentativeURL,
                      (de ? "Absagen: " : "Decline: ") + rsvp.declineURL]
        }
        lines += ["", (de ? "Alle Termine: " : "All meetings: ") + url, "", de ? "Mit freundlichen Grüßen" : "Kind regards", organizerName]
        return (subject, lines.joined(separator: "\n"))
    }
}

extension MeetingEventEncoding {
    struct SeriesPayload: Encodable { let series: MeetingSeriesView; let changes: [MeetingChange]? }

    /// `meetingSeries.created` / `.updated` / `.statusChanged` on `workspace:<id>`.
    static func seriesPayload(_ s: MeetingSeries, _ changes: [MeetingChange]?) -> String {
        WireJSON.string(SeriesPayload(series: MeetingSeriesView(s), changes: changes))
    }
}
