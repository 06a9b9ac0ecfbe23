import Foundation

/// Turns meetings and series into iCalendar text: invitations (REQUEST), cancellations
/// (CANCEL), the downloadable `.ics`, and a workspace's subscribable feed (PUBLISH).
///
/// `people` maps member accounts to name and address (looked up by the services when the
/// message is written); guests bring their own. `recipients` chooses the ATTENDEE lines: the
/// services should send each recipient a message listing only the recipient, so invitees
/// do not learn each other's addresses (data minimisation); nil lists every invitee.
public enum MeetingCalendar {
    /// The stable UID of a meeting or series: the same in every message and in the feed.
    public static func uid(_ target: CalendarTarget, settings: CalendarSettings) -> String {
        switch target {
        case .meeting(let id): "meeting-\(id)@\(settings.uidDomain)"
        case .series(let id): "series-\(id)@\(settings.uidDomain)"
        }
    }

    /// The message for a dispatch of a single meeting.
    public static func message(_ method: CalendarDispatch.Method, for meeting: Meeting, recipients: [InviteeKey]?, description: String,
                               people: [UserID: CalendarPerson], responses: [RSVP] = [], settings: CalendarSettings) -> String {
        var event = self.event(meeting, description: description, people: people, settings: settings)
        event.attendees = attendees(meeting.invitees, recipients: recipients, people: people, responses: responses)
        if method == .cancel { event.status = .cancelled }
        return ICalendarWriter.document(method: method == .request ? .request : .cancel, events: [event], settings: settings)
    }

    /// The message for a dispatch of a series: the master with RRULE and EXDATE, followed by
    /// one VEVENT per moved occurrence. A CANCEL of the series carries the master only.
    public static func message(_ method: CalendarDispatch.Method, for series: MeetingSeries, recipients: [InviteeKey]?, description: String,
                               people: [UserID: CalendarPerson], responses: [RSVP] = [], settings: CalendarSettings) -> String {
        var events = self.events(series, description: description, people: people, settings: settings)
        let list = attendees(series.invitees, recipients: recipients, people: people, responses: responses)
        for i in events.indices { events[i].attendees = list }
        if method == .cancel {
            events = [events[0]]
            events[0].status = .cancelled
        }
        return ICalendarWriter.document(method: method == .request ? .request : .cancel, events: events, settings: settings)
    }

    /// A workspace's calendar feed (METHOD:PUBLISH, no attendees): its meetings that are not
    /// cancelled (planned ones as TENTATIVE) and its series with their exceptions. Meetings
    /// that stand for an occurrence of a series are covered by the series. A feed URL gets
    /// forwarded, so it names no personal address: the organizer is the installation's.
    public static func feed(name: String, meetings: [Meeting], series: [MeetingSeries], descriptions: [CalendarTarget: String] = [:],
                            people: [UserID: CalendarPerson], settings: CalendarSettings) -> String {
        // One group per calendar entry (a series' master is followed by its overrides),
        // ordered by first start, then UID: the same data always gives the same bytes.
        var groups: [[CalendarEvent]] = []
        for m in meetings where m.series == nil && m.status != .cancelled {
            var e = event(m, description: descriptions[.meeting(m.id)] ?? m.description, people: people, settings: settings)
            if m.status == .planned { e.status = .tentative }
            e.organizer = settings.fallbackOrganizer
            groups.append([e])
        }
        for s in series where s.status != .cancelled {
            var group = self.events(s, description: descriptions[.series(s.id)] ?? s.description, people: people, settings: settings)
            for i in group.indices {
                if s.status == .planned { group[i].status = .tentative }
                group[i].organizer = settings.fallbackOrganizer
            }
            groups.append(group)
        }
        groups.sort { ($0[0].start, $0[0].uid) < ($1[0].start, $1[0].uid) }
        let events = groups.flatMap { $0 }
        return ICalendarWriter.document(method: .publish, events: events, settings: settings, calendarName: name)
    }

    /// A downloadable `.ics` of one meeting (no method, no attendees).
    public static func download(_ meeting: Meeting, description: String, people: [UserID: CalendarPerson], settings: CalendarSettings) -> String {
        var e = event(meeting, description: description, people: people, settings: settings)
        if meeting.status == .cancelled { e.status = .cancelled }
        return ICalendarWriter.document(method: nil, events: [e], settings: settings)
    }

    /// A downloadable `.ics` of a series (no method, no attendees): the master with RRULE and
    /// EXDATE and one VEVENT per moved occurrence; a cancelled series is the master only.
    public static func download(_ series: MeetingSeries, description: String, people: [UserID: CalendarPerson], settings: CalendarSettings) -> String {
        var events = events(series, description: description, people: people, settings: settings)
        if series.status == .cancelled { events = [events[0]] }
        return ICalendarWriter.document(method: nil, events: events, settings: settings)
    }

    static func event(_ m: Meeting, description: String, people: [UserID: CalendarPerson], settings: CalendarSettings) -> CalendarEvent {
        CalendarEvent(uid: uid(.meeting(m.id), settings: settings), sequence: m.sequence, stamp: m.updatedAt, recurrenceID: nil, start: m.start,
                      end: m.end, rule: nil, exceptions: [], summary: m.title, description: description, location: m.place ?? m.onlineURL,
                      url: m.onlineURL, status: m.status == .cancelled ? .cancelled : .confirmed,
                      organizer: people[m.organizerID] ?? settings.fallbackOrganizer, attendees: [])
    }

    static func events(_ s: MeetingSeries, description: String, people: [UserID: CalendarPerson], settings: CalendarSettings) -> [CalendarEvent] {
        let master = CalendarEvent(uid: uid(.series(s.id), settings: settings), sequence: s.sequence, stamp: s.updatedAt, recurrenceID: nil,
                                   start: s.start, end: s.end, rule: s.rule, exceptions: s.cancelledOccurrences, summary: s.title,
                                   description: description, location: s.place ?? s.onlineURL, url: s.onlineURL,
                                   status: s.status == .cancelled ? .cancelled : .confirmed,
                                   organizer: people[s.organizerID] ?? settings.fallbackOrganizer, attendees: [])
        return [master] + s.moves.map { move in
            var e = master
            e.recurrenceID = move.recurrenceID
            e.start = move.start
            e.end = move.end
            e.rule = nil
            e.exceptions = []
            return e
        }
    }

    /// ATTENDEE entries in the invitees' order; recipients no longer invited (removed ones
    /// getting their CANCEL) are appended. Members without a known address are left out.
    static func attendees(_ invitees: [Invitee], recipients: [InviteeKey]?, people: [UserID: CalendarPerson], responses: [RSVP]) -> [CalendarAttendee] {
        let latest = Dictionary(responses.map { ($0.invitee, $0) }, uniquingKeysWith: { a, b in a.at >= b.at ? a : b })
        var list = invitees
        for key in recipients ?? [] where !invitees.contains(where: { $0.key == key }) { list.append(Invitee(key: key)) }
        let wanted = recipients.map(Set.init)
        return list.compactMap { invitee in
            guard wanted?.contains(invitee.key) ?? true else { return nil }
            let person: CalendarPerson?
            switch invitee.key {
            case .member(let id): person = people[id]
            case .guest(let email): person = CalendarPerson(name: invitee.name ?? email, email: email)
            }
            return person.map { CalendarAttendee(person: $0, role: invitee.role, response: latest[invitee.key]?.response) }
        }
    }
}
