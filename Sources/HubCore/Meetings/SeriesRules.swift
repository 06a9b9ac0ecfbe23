import Foundation

/// Recurring meetings as pure functions. Every change after the invitation is sent as one
/// REQUEST for the whole series (master with RRULE and EXDATE plus the moved occurrences),
/// which every calendar client understands, rather than as per-occurrence messages.
public enum SeriesRules {
    /// Plans a series. The first meeting must be an occurrence of the rule.
    public static func create(_ draft: MeetingDraft, rule: RecurrenceRule, id: MeetingSeriesID, template: MeetingTemplate, in workspace: Workspace,
                              by actor: Principal, now: Date, today: LocalDate) throws(DomainError) -> (MeetingSeries, [MeetingEvent]) {
        try WorkspaceRules.requireEditable(workspace, by: actor, today: today, permission: MeetingPermissions.canManage)
        guard let organizer = actor.userID else { throw .unauthenticated }
        let (d, detailIssues) = MeetingRules.normalizedDetails(draft)
        let issues = detailIssues + rule.issues(start: d.start)
        guard issues.isEmpty else { throw .validation(issues) }
        let series = MeetingSeries(id: id, workspaceID: workspace.id, template: template.ref, title: d.title, description: d.description,
                                   start: d.start, end: d.end, rule: rule, place: d.place, onlineURL: d.onlineURL, organizerID: organizer,
                                   invitees: d.invitees, status: .planned, sequence: 0, createdAt: now, updatedAt: now, version: 1)
        return (series, [.seriesCreated(series)])
    }

    /// Edits the series' details and, optionally, its rule. Exceptions follow by date: an
    /// occurrence cancelled or moved on 14 April stays so when the series moves from 17:00 to
    /// 18:00; exceptions on dates the new rule no longer has are dropped.
    public static func update(_ series: MeetingSeries, with patch: MeetingPatch, rule newRule: RecurrenceRule? = nil, expectedVersion: Int,
                              in workspace: Workspace, by actor: Principal, now: Date, today: LocalDate) throws(DomainError)
        -> (MeetingSeries, [MeetingEvent])? {
        try WorkspaceRules.requireEditable(workspace, by: actor, today: today, permission: MeetingPermissions.canManage)
        guard series.status != .cancelled else { throw MeetingRules.transition("series.cancelled", "The series is cancelled.") }
        guard expectedVersion == series.version else { throw .versionConflict }
        let requested = MeetingDraft(title: patch.title ?? series.title, description: patch.description ?? series.description,
                                     start: patch.start ?? series.start, end: patch.end ?? series.end, place: patch.place ?? series.place,
                                     onlineURL: patch.onlineURL ?? series.onlineURL, invitees: patch.invitees ?? series.invitees)
        let (d, detailIssues) = MeetingRules.normalizedDetails(requested)
        let rule = newRule ?? series.rule
        let issues = detailIssues + rule.issues(start: d.start)
        guard issues.isEmpty else { throw .validation(issues) }
        var next = series
        (next.title, next.description, next.start, next.end, next.place, next.onlineURL, next.invitees, next.rule) =
            (d.title, d.description, d.start, d.end, d.place, d.onlineURL, d.invitees, rule)
        if next.start != series.start || next.rule != series.rule {
            let nominal = Set(RecurrenceExpansion.nominalStarts(rule, from: next.start, through: nil))
            next.cancelledOccurrences = series.cancelledOccurrences.map { next.start.on($0.date) }
                .filter(nominal.contains).sorted()
            next.moves = series.moves.map { OccurrenceMove(recurrenceID: next.start.on($0.recurrenceID.date), start: $0.start, end: $0.end) }
                .filter { nominal.contains($0.recurrenceID) }
        }
        let removed = series.invitees.map(\.key).filter { key in !next.invitees.contains { $0.key == key } }
        let added = next.invitees.map(\.key).filter { key in !series.invitees.contains { $0.key == key } }
        var changes: [MeetingChange] = []
        if next.start != series.start || next.end != series.end { changes.append(.rescheduled) }
        if next.place != series.place || next.onlineURL != series.onlineURL { changes.append(.relocated) }
        if next.title != series.title { changes.append(.retitled) }
        if next.description != series.description { changes.append(.described) }
        if next.invitees != series.invitees { changes.append(.inviteesChanged) }
        if next.rule != series.rule { changes.append(.recurrenceChanged) }
        guard !changes.isEmpty else { return nil }
        let invited = series.status == .invited
        if invited && (changes.contains(where: \.bumpsSequence) || !removed.isEmpty) { next.sequence += 1 }
        let reset = invited && (changes.contains(.rescheduled) || changes.contains(.recurrenceChanged))
        if reset { next.scheduleSequence = next.sequence }
        next.version += 1
        next.updatedAt = now
        var events: [MeetingEvent] = [.seriesUpdated(next, changes: changes)]
        if invited {
            if changes.contains(where: \.bumpsSequence) {
                events.append(dispatch(next, .request, next.invitees.map(\.key), .update))
            } else if !added.isEmpty {
                events.append(dispatch(next, .request, added, .added))
            }
            if !removed.isEmpty { events.append(dispatch(next, .cancel, removed, .removed)) }
            if reset { events.append(.responsesReset(.series(series.id), workspace: next.workspaceID)) }
        }
        return (next, events)
    }

    /// Sends the invitations for the whole series.
    public static func invite(_ series: MeetingSeries, expectedVersion: Int, in workspace: Workspace, by actor: Principal, now: Date,
                              today: LocalDate) throws(DomainError) -> (MeetingSeries, [MeetingEvent]) {
        try WorkspaceRules.requireEditable(workspace, by: actor, today: today, permission: MeetingPermissions.canManage)
        guard series.status == .planned else { throw MeetingRules.transition("series.notPlanned", "Invitations go out once, for a planned series.") }
        guard expectedVersion == series.version else { throw .versionConflict }
        var issues: [FieldIssue] = []
        if series.invitees.isEmpty { issues.append(FieldIssue(field: "invitees", code: "required", message: "Invite at least one person.")) }
        if series.place == nil && series.onlineURL == nil {
            issues.append(FieldIssue(field: "place", code: "required", message: "Give a place or an online link."))
        }
        if series.occurrences(from: now, limit: 1).isEmpty {
            issues.append(FieldIssue(field: "recurrence", code: "noFutureOccurrence", message: "The series has no meeting left in the future."))
        }
        guard issues.isEmpty else { throw .validation(issues) }
        var next = series
        next.status = .invited
        next.updatedAt = now
        next.version += 1
        return (next, [.seriesStatusChanged(next), dispatch(next, .request, next.invitees.map(\.key), .invitation)])
    }

    /// Calls off the whole series (future occurrences; past meetings keep their minutes).
    public static func cancel(_ series: MeetingSeries, expectedVersion: Int, in workspace: Workspace, by actor: Principal, now: Date,
                              today: LocalDate) throws(DomainError) -> (MeetingSeries, [MeetingEvent]) {
        try WorkspaceRules.requireEditable(workspace, by: actor, today: today, permission: MeetingPermissions.canManage)
        guard series.status != .cancelled else { throw MeetingRules.transition("series.cancelled", "The series is already cancelled.") }
        guard expectedVersion == series.version else { throw .versionConflict }
        var next = series
        let wasInvited = series.status == .invited
        next.status = .cancelled
        if wasInvited { next.sequence += 1 }
        next.updatedAt = now
        next.version += 1
        var events: [MeetingEvent] = [.seriesStatusChanged(next)]
        if wasInvited { events.append(dispatch(next, .cancel, next.invitees.map(\.key), .cancellation)) }
        return (next, events)
    }

    /// Cancels one occurrence (an EXDATE). Its meeting, if one was prepared, is cancelled too.
    public static func cancelOccurrence(_ recurrenceID: LocalDateTime, of series: MeetingSeries, meeting: Meeting?, expectedVersion: Int,
                                        in workspace: Workspace, by actor: Principal, now: Date, today: LocalDate) throws(DomainError)
        -> (MeetingSeries, Meeting?, [MeetingEvent]) {
        let next = try prepareOccurrenceChange(recurrenceID, of: series, meeting: meeting, expectedVersion: expectedVersion, in: workspace,
                                               by: actor, today: today)
        var changed = next
        changed.cancelledOccurrences = (next.cancelledOccurrences + [recurrenceID]).sorted()
        changed.moves.removeAll { $0.recurrenceID == recurrenceID }
        var cancelledMeeting = meeting
        if var m = meeting {
            m.status = .cancelled
            m.updatedAt = now
            m.version += 1
            cancelledMeeting = m
        }
        return finish(changed, from: series, change: .occurrenceCancelled, meeting: cancelledMeeting, now: now)
    }

    /// Moves one occurrence to another time (a RECURRENCE-ID override); moving it back to
    /// where the rule puts it removes the override.
    public static func moveOccurrence(_ recurrenceID: LocalDateTime, to start: LocalDateTime, end: LocalDateTime, of series: MeetingSeries,
                                      meeting: Meeting?, expectedVersion: Int, in workspace: Workspace, by actor: Principal, now: Date,
                                      today: LocalDate) throws(DomainError) -> (MeetingSeries, Meeting?, [MeetingEvent]) {
        let next = try prepareOccurrenceChange(recurrenceID, of: series, meeting: meeting, expectedVersion: expectedVersion, in: workspace,
                                               by: actor, today: today)
        let probe = MeetingDraft(title: series.title, start: start, end: end)
        let issues = MeetingRules.normalizedDetails(probe).1
        guard issues.isEmpty else { throw .validation(issues) }
        if series.status == .invited && BerlinTime.instant(start) <= now {
            throw .validation([FieldIssue(field: "start", code: "inPast", message: "An invited occurrence cannot move into the past.")])
        }
        var changed = next
        changed.moves.removeAll { $0.recurrenceID == recurrenceID }
        let duration = BerlinTime.instant(series.end).timeIntervalSince(BerlinTime.instant(series.start))
        let nominalEnd = BerlinTime.local(BerlinTime.instant(recurrenceID).addingTimeInterval(duration))
        if start != recurrenceID || end != nominalEnd {
            changed.moves = (changed.moves + [OccurrenceMove(recurrenceID: recurrenceID, start: start, end: end)]).sorted { $0.recurrenceID < $1.recurrenceID }
        }
        guard changed.moves != series.moves else { return (series, meeting, []) }
        var movedMeeting = meeting
        if var m = meeting {
            (m.start, m.end) = (start, end)
            m.updatedAt = now
            m.version += 1
            movedMeeting = m
        }
        return finish(changed, from: series, change: .occurrenceMoved, meeting: movedMeeting, now: now)
    }

    /// Creates the meeting for one occurrence, so it can have its own agenda and minutes.
    /// It is invited when the series is, and shares the series' calendar entry.
    public static func occurrenceMeeting(_ recurrenceID: LocalDateTime, of series: MeetingSeries, id: MeetingID, template: MeetingTemplate,
                                         by actor: Principal, newID: () -> UUID, now: Date) throws(DomainError) -> (Meeting, Agenda, [MeetingEvent]) {
        guard MeetingPermissions.canManage(actor, series.workspaceID) else { throw MeetingPermissions.refusal(actor, series.workspaceID) }
        guard series.status != .cancelled else { throw MeetingRules.transition("series.cancelled", "The series is cancelled.") }
        guard template.ref == series.template else {
            throw DomainError(.conflict, code: "series.templateMismatch", message: "Use the template version the series was created from.")
        }
        guard let occurrence = series.occurrence(recurrenceID) else { throw .notFound("occurrence") }
        let meeting = Meeting(id: id, workspaceID: series.workspaceID, template: series.template, title: series.title, description: series.description,
                              start: occurrence.start, end: occurrence.end, place: series.place, onlineURL: series.onlineURL,
                              organizerID: series.organizerID, invitees: series.invitees, status: series.status == .invited ? .invited : .planned,
                              sequence: series.sequence, scheduleSequence: series.scheduleSequence,
                              series: SeriesLink(seriesID: series.id, recurrenceID: recurrenceID), createdAt: now, updatedAt: now,
                              invitedAt: series.status == .invited ? now : nil, version: 1)
        let agenda = Agenda.fromTemplate(template, meetingID: id, workspaceID: series.workspaceID, newID: newID, now: now)
        return (meeting, agenda, [.meetingCreated(meeting), .agendaChanged(agenda)])
    }

    /// Brings a prepared occurrence's meeting in line with its series after the series
    /// changed (time, place, title, invitees, rule). The occurrence is found by its date, so
    /// it follows the series from 17:00 to 18:00; if the date is gone or the series is
    /// cancelled, the meeting is cancelled. Nil when nothing changes or the meeting is over.
    public static func sync(_ meeting: Meeting, with series: MeetingSeries, now: Date) -> (Meeting, [MeetingEvent])? {
        guard let link = meeting.series, link.seriesID == series.id, meeting.status == .planned || meeting.status == .invited else { return nil }
        var next = meeting
        let occurrence = series.occurrence(series.start.on(link.recurrenceID.date))
        if series.status == .cancelled || occurrence == nil {
            next.status = .cancelled
        } else if let occurrence {
            next.series = SeriesLink(seriesID: series.id, recurrenceID: occurrence.recurrenceID)
            (next.title, next.description, next.start, next.end) = (series.title, series.description, occurrence.start, occurrence.end)
            (next.place, next.onlineURL, next.invitees, next.organizerID) = (series.place, series.onlineURL, series.invitees, series.organizerID)
            if series.status == .invited && next.status == .planned {
                next.status = .invited
                next.invitedAt = now
            }
        }
        (next.sequence, next.scheduleSequence) = (series.sequence, series.scheduleSequence)
        guard next != meeting else { return nil }
        next.version += 1
        next.updatedAt = now
        let event: MeetingEvent = next.status == meeting.status ? .meetingUpdated(next, changes: changes(from: meeting, to: next)) : .meetingStatusChanged(next)
        return (next, [event])
    }

    static func changes(from a: Meeting, to b: Meeting) -> [MeetingChange] {
        var changes: [MeetingChange] = []
        if a.start != b.start || a.end != b.end { changes.append(.rescheduled) }
        if a.place != b.place || a.onlineURL != b.onlineURL { changes.append(.relocated) }
        if a.title != b.title { changes.append(.retitled) }
        if a.description != b.description { changes.append(.described) }
        if a.invitees != b.invitees { changes.append(.inviteesChanged) }
        return changes
    }

    /// Records an answer for the whole series.
    public static func respond(_ response: RSVPResponse, to series: MeetingSeries, as invitee: InviteeKey, authority: RSVPAuthority,
                               responses: [RSVP], now: Date) throws(DomainError) -> (RSVP, [MeetingEvent]) {
        try MeetingRules.authorize(authority, target: .series(series.id), invitee: invitee, scheduleSequence: series.scheduleSequence)
        guard series.invitee(invitee) != nil else { throw .notFound("invitation") }
        guard series.status == .invited else { throw MeetingRules.transition("rsvp.closed", "Answers are taken while the invitation is open.") }
        let rsvp = RSVP(target: .series(series.id), invitee: invitee, response: response, at: now)
        let tally = RSVPTally(invitees: series.invitees, responses: responses.filter { $0.invitee != invitee } + [rsvp])
        return (rsvp, [.rsvpRecorded(rsvp, workspace: series.workspaceID, tally: tally)])
    }

    static func prepareOccurrenceChange(_ recurrenceID: LocalDateTime, of series: MeetingSeries, meeting: Meeting?, expectedVersion: Int,
                                        in workspace: Workspace, by actor: Principal, today: LocalDate) throws(DomainError) -> MeetingSeries {
        try WorkspaceRules.requireEditable(workspace, by: actor, today: today, permission: MeetingPermissions.canManage)
        guard series.status != .cancelled else { throw MeetingRules.transition("series.cancelled", "The series is cancelled.") }
        guard expectedVersion == series.version else { throw .versionConflict }
        guard series.isOccurrence(recurrenceID), !series.cancelledOccurrences.contains(recurrenceID) else { throw .notFound("occurrence") }
        if let meeting {
            guard meeting.series == SeriesLink(seriesID: series.id, recurrenceID: recurrenceID) else { throw .notFound("occurrence") }
            guard meeting.status == .planned || meeting.status == .invited else {
                throw MeetingRules.transition("meeting.notEditable", "The meeting has taken place; it no longer moves or cancels.")
            }
        }
        return series
    }

    static func finish(_ changed: MeetingSeries, from series: MeetingSeries, change: MeetingChange, meeting: Meeting?, now: Date)
        -> (MeetingSeries, Meeting?, [MeetingEvent]) {
        var next = changed
        let invited = series.status == .invited
        if invited {
            next.sequence += 1
            if change == .occurrenceMoved { next.scheduleSequence = next.sequence }
        }
        next.version += 1
        next.updatedAt = now
        var synced = meeting
        if var m = meeting {
            m.sequence = next.sequence
            m.scheduleSequence = next.scheduleSequence
            synced = m
        }
        var events: [MeetingEvent] = [.seriesUpdated(next, changes: [change])]
        if let synced {
            events.append(change == .occurrenceCancelled ? .meetingStatusChanged(synced) : .meetingUpdated(synced, changes: [.rescheduled]))
        }
        if invited { events.append(dispatch(next, .request, next.invitees.map(\.key), .update)) }
        return (next, synced, events)
    }

    static func dispatch(_ series: MeetingSeries, _ method: CalendarDispatch.Method, _ recipients: [InviteeKey], _ reason: CalendarDispatch.Reason)
        -> MeetingEvent {
        .calendarMessage(CalendarDispatch(target: .series(series.id), method: method, recipients: recipients, sequence: series.sequence, reason: reason),
                         workspace: series.workspaceID)
    }
}
