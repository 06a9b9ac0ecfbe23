import Foundation

/// What the organizer enters for a new meeting.
public struct MeetingDraft: Hashable, Sendable {
    public var title: String
    public var description: String
    public var start: LocalDateTime
    public var end: LocalDateTime
    public var place: String?
    public var onlineURL: String?
    public var invitees: [Invitee]

    public init(title: String, description: String = "", start: LocalDateTime, end: LocalDateTime, place: String? = nil,
                onlineURL: String? = nil, invitees: [Invitee] = []) {
        self.title = title
        self.description = description
        self.start = start
        self.end = end
        self.place = place
        self.onlineURL = onlineURL
        self.invitees = invitees
    }
}

/// A partial change; nil leaves a property as it is, `.some(nil)` clears an optional one.
public struct MeetingPatch: Hashable, Sendable {
    public var title: String?
    public var description: String?
    public var start: LocalDateTime?
    public var end: LocalDateTime?
    public var place: String??
    public var onlineURL: String??
    public var invitees: [Invitee]?

    public init(title: String? = nil, description: String? = nil, start: LocalDateTime? = nil, end: LocalDateTime? = nil,
                place: String?? = nil, onlineURL: String?? = nil, invitees: [Invitee]? = nil) {
        self.title = title
        self.description = description
        self.start = start
        self.end = end
        self.place = place
        self.onlineURL = onlineURL
        self.invitees = invitees
    }
}

/// The outcome of an edit: the meeting, what changed, and the events (including the mail
/// work orders for those whose calendars must follow).
public struct MeetingUpdate: Hashable, Sendable {
    public let meeting: Meeting
    public let changes: [MeetingChange]
    /// The time moved after invitations went out: delete the recorded answers.
    public let resetResponses: Bool
    public let events: [MeetingEvent]
}

/// The meeting lifecycle as pure functions: state, actor, input and time in; new state and
/// events out, or a `DomainError`.
public enum MeetingRules {
    public static let titleLength = 3...200
    public static let descriptionMaxLength = 4_000
    public static let maxDurationMinutes = 12 * 60
    public static let maxInvitees = 300
    public static let yearRange = 2000...2100
    /// Marking a meeting held is possible from this long before its start.
    public static let heldGrace: TimeInterval = 3600

    /// Plans a meeting from a template version; its agenda starts as the template's skeleton.
    public static func create(_ draft: MeetingDraft, id: MeetingID, template: MeetingTemplate, in workspace: Workspace, by actor: Principal,
                              newID: () -> UUID, now: Date, today: LocalDate) throws(DomainError) -> (Meeting, Agenda, [MeetingEvent]) {
        try WorkspaceRules.requireEditable(workspace, by: actor, today: today, permission: MeetingPermissions.canManage)
        guard let organizer = actor.userID else { throw .unauthenticated }
        let (details, issues) = normalizedDetails(draft)
        guard issues.isEmpty else { throw .validation(issues) }
        let meeting = Meeting(id: id, workspaceID: workspace.id, template: template.ref, title: details.title, description: details.description,
                              start: details.start, end: details.end, place: details.place, onlineURL: details.onlineURL, organizerID: organizer,
                              invitees: details.invitees, status: .planned, sequence: 0, series: nil, createdAt: now, updatedAt: now, version: 1)
        let agenda = Agenda.fromTemplate(template, meetingID: id, workspaceID: workspace.id, newID: newID, now: now)
        return (meeting, agenda, [.meetingCreated(meeting), .agendaChanged(agenda)])
    }

    /// Edits a planned or invited meeting. Once invitations are out, every change that
    /// matters to attendees raises SEQUENCE and sends a REQUEST to all invitees; new invitees
    /// get the current version, removed ones a CANCEL; a new time resets the answers.
    public static func update(_ meeting: Meeting, with patch: MeetingPatch, expectedVersion: Int, in workspace: Workspace, by actor: Principal,
                              now: Date, today: LocalDate) throws(DomainError) -> MeetingUpdate? {
        try WorkspaceRules.requireEditable(workspace, by: actor, today: today, permission: MeetingPermissions.canManage)
        guard meeting.status == .planned || meeting.status == .invited else {
            throw DomainError(.invalidTransition, code: "meeting.notEditable", message: "Only planned or invited meetings can be changed.")
        }
        guard expectedVersion == meeting.version else { throw .versionConflict }
        let requested = MeetingDraft(title: patch.title ?? meeting.title, description: patch.description ?? meeting.description,
                                     start: patch.start ?? meeting.start, end: patch.end ?? meeting.end, place: patch.place ?? meeting.place,
                                     onlineURL: patch.onlineURL ?? meeting.onlineURL, invitees: patch.invitees ?? meeting.invitees)
        let (d, issues) = normalizedDetails(requested)
        guard issues.isEmpty else { throw .validation(issues) }
        var next = meeting
        (next.title, next.description, next.start, next.end, next.place, next.onlineURL, next.invitees) =
            (d.title, d.description, d.start, d.end, d.place, d.onlineURL, d.invitees)
        let before = Set(meeting.invitees.map(\.key)), after = Set(next.invitees.map(\.key))
        let added = next.invitees.map(\.key).filter { !before.contains($0) }
        let removed = meeting.invitees.map(\.key).filter { !after.contains($0) }
        var changes: [MeetingChange] = []
        if next.start != meeting.start || next.end != meeting.end { changes.append(.rescheduled) }
        if next.place != meeting.place || next.onlineURL != meeting.onlineURL { changes.append(.relocated) }
        if next.title != meeting.title { changes.append(.retitled) }
        if next.description != meeting.description { changes.append(.described) }
        if next.invitees != meeting.invitees { changes.append(.inviteesChanged) }
        guard !changes.isEmpty else { return nil }
        if meeting.series != nil && changes.contains(where: { $0 != .described }) {
            throw DomainError(.invalidTransition, code: "meeting.partOfSeries",
                              message: "This meeting belongs to a series: change its time, place or invitees in the series.")
        }
        let invited = meeting.status == .invited
        if invited && changes.contains(.rescheduled) && next.startInstant <= now {
            throw .validation([FieldIssue(field: "start", code: "inPast", message: "An invited meeting cannot move into the past.")])
        }
        if invited && changes.contains(.relocated) && next.place == nil && next.onlineURL == nil {
            throw .validation([FieldIssue(field: "place", code: "required", message: "An invited meeting needs a place or an online link.")])
        }
        // Removing someone must outrank their copy, so their CANCEL carries a higher SEQUENCE.
        let bump = invited && (changes.contains(where: \.bumpsSequence) || !removed.isEmpty)
        if bump { next.sequence += 1 }
        let reset = invited && changes.contains(.rescheduled)
        if reset { next.scheduleSequence = next.sequence }
        next.version += 1
        next.updatedAt = now
        var events: [MeetingEvent] = [.meetingUpdated(next, changes: changes)]
        if invited {
            let target = CalendarTarget.meeting(next.id)
            if changes.contains(where: \.bumpsSequence) {
                events.append(.calendarMessage(CalendarDispatch(target: target, method: .request, recipients: next.invitees.map(\.key),
                                                                sequence: next.sequence, reason: .update), workspace: next.workspaceID))
            } else if !added.isEmpty {
                events.append(.calendarMessage(CalendarDispatch(target: target, method: .request, recipients: added, sequence: next.sequence,
                                                                reason: .added), workspace: next.workspaceID))
            }
            if !removed.isEmpty {
                events.append(.calendarMessage(CalendarDispatch(target: target, method: .cancel, recipients: removed, sequence: next.sequence,
                                                                reason: .removed), workspace: next.workspaceID))
            }
            if reset { events.append(.responsesReset(.meeting(next.id), workspace: next.workspaceID)) }
        }
        return MeetingUpdate(meeting: next, changes: changes, resetResponses: reset, events: events)
    }

    /// Sends the invitations: planned → invited, SEQUENCE 0, a REQUEST to every invitee.
    public static func invite(_ meeting: Meeting, expectedVersion: Int, in workspace: Workspace, by actor: Principal, now: Date, today: LocalDate)
        throws(DomainError) -> (Meeting, [MeetingEvent]) {
        try WorkspaceRules.requireEditable(workspace, by: actor, today: today, permission: MeetingPermissions.canManage)
        guard meeting.status == .planned else { throw transition("meeting.notPlanned", "Invitations go out once, for a planned meeting.") }
        guard meeting.series == nil else { throw partOfSeries() }
        guard expectedVersion == meeting.version else { throw .versionConflict }
        var issues: [FieldIssue] = []
        if meeting.invitees.isEmpty { issues.append(FieldIssue(field: "invitees", code: "required", message: "Invite at least one person.")) }
        if meeting.place == nil && meeting.onlineURL == nil {
            issues.append(FieldIssue(field: "place", code: "required", message: "Give a place or an online link."))
        }
        if meeting.startInstant <= now { issues.append(FieldIssue(field: "start", code: "inPast", message: "The meeting has already begun.")) }
        guard issues.isEmpty else { throw .validation(issues) }
        var next = meeting
        next.status = .invited
        next.invitedAt = now
        next.updatedAt = now
        next.version += 1
        let dispatch = CalendarDispatch(target: .meeting(next.id), method: .request, recipients: next.invitees.map(\.key), sequence: next.sequence,
                                        reason: .invitation)
        return (next, [.meetingStatusChanged(next), .calendarMessage(dispatch, workspace: next.workspaceID)])
    }

    /// Calls a planned or invited meeting off. Invitees who had the invitation get a CANCEL
    /// with a higher SEQUENCE; for a planned meeting nobody needs to hear anything.
    public static func cancel(_ meeting: Meeting, reason: String, expectedVersion: Int, in workspace: Workspace, by actor: Principal, now: Date,
                              today: LocalDate) throws(DomainError) -> (Meeting, [MeetingEvent]) {
        try WorkspaceRules.requireEditable(workspace, by: actor, today: today, permission: MeetingPermissions.canManage)
        guard meeting.status == .planned || meeting.status == .invited else {
            throw transition("meeting.cannotCancel", "Only a planned or invited meeting can be cancelled.")
        }
        guard meeting.series == nil else { throw partOfSeries() }
        guard expectedVersion == meeting.version else { throw .versionConflict }
        let why = reason.trimmingCharacters(in: .whitespacesAndNewlines)
        guard why.count <= 1000 else { throw .validation([FieldIssue(field: "reason", code: "tooLong", message: "At most 1,000 characters.")]) }
        var next = meeting
        let wasInvited = meeting.status == .invited
        next.status = .cancelled
        next.cancellationReason = why.isEmpty ? nil : why
        if wasInvited { next.sequence += 1 }
        next.updatedAt = now
        next.version += 1
        var events: [MeetingEvent] = [.meetingStatusChanged(next)]
        if wasInvited {
            events.append(.calendarMessage(CalendarDispatch(target: .meeting(next.id), method: .cancel, recipients: next.invitees.map(\.key),
                                                            sequence: next.sequence, reason: .cancellation), workspace: next.workspaceID))
        }
        return (next, events)
    }

    /// Records that a meeting took place without the live agenda (held elsewhere, minutes
    /// written afterwards). A planned meeting may skip the invitation: not every group sends
    /// its invitations through the hub.
    public static func markHeld(_ meeting: Meeting, by actor: Principal, now: Date) throws(DomainError) -> (Meeting, [MeetingEvent]) {
        guard MeetingPermissions.canManage(actor, meeting.workspaceID) else { throw MeetingPermissions.refusal(actor, meeting.workspaceID) }
        guard meeting.status == .planned || meeting.status == .invited else {
            throw transition("meeting.cannotHold", "Only a planned or invited meeting can be marked as held.")
        }
        guard now >= meeting.startInstant.addingTimeInterval(-heldGrace) else {
            throw transition("meeting.tooEarly", "The meeting has not begun yet.")
        }
        var next = meeting
        next.status = .held
        next.heldAt = now
        next.updatedAt = now
        next.version += 1
        return (next, [.meetingStatusChanged(next)])
    }

    /// Publishes the public part of approved minutes (for the public and OParl).
    public static func publish(_ meeting: Meeting, by actor: Principal, now: Date) throws(DomainError) -> (Meeting, [MeetingEvent]) {
        guard MeetingPermissions.canManage(actor, meeting.workspaceID) else { throw MeetingPermissions.refusal(actor, meeting.workspaceID) }
        guard meeting.status == .minutesApproved else {
            throw transition("meeting.minutesNotApproved", "Only approved minutes can be published.")
        }
        var next = meeting
        next.status = .published
        next.publishedAt = now
        next.updatedAt = now
        next.version += 1
        return (next, [.meetingStatusChanged(next)])
    }

    // MARK: Validation

    /// Trims and validates what the organizer entered. Guest addresses are normalized;
    /// the same person listed twice is kept once.
    static func normalizedDetails(_ draft: MeetingDraft) -> (MeetingDraft, [FieldIssue]) {
        var d = draft
        var issues: [FieldIssue] = []
        func add(_ field: String, _ code: String, _ message: String) { issues.append(FieldIssue(field: field, code: code, message: message)) }
        d.title = collapsed(d.title)
        d.description = d.description.trimmingCharacters(in: .whitespacesAndNewlines)
        d.place = d.place.map(collapsed).flatMap { $0.isEmpty ? nil : $0 }
        d.onlineURL = d.onlineURL.map { $0.trimmingCharacters(in: .whitespaces) }.flatMap { $0.isEmpty ? nil : $0 }
        if !titleLength.contains(d.title.count) { add("title", "length", "A title of 3 to 200 characters.") }
        if hasControlCharacters(d.title) { add("title", "invalidCharacters", "The title contains control characters.") }
        if d.description.count > descriptionMaxLength { add("description", "tooLong", "At most 4,000 characters.") }
        if BerlinTime.resolution(d.start) == .skipped { add("start", "nonexistentTime", "This time does not exist: the clocks go forward that night.") }
        if BerlinTime.resolution(d.end) == .skipped { add("end", "nonexistentTime", "This time does not exist: the clocks go forward that night.") }
        // Bounded years keep date arithmetic (and recurrence expansion) far from LocalDate's limits.
        if !yearRange.contains(d.start.date.year) { add("start", "outOfRange", "A date between \(yearRange.lowerBound) and \(yearRange.upperBound).") }
        if d.end <= d.start { add("end", "beforeStart", "The end must come after the start.") }
        if d.end.wallMinutes - d.start.wallMinutes > maxDurationMinutes { add("end", "tooLong", "A meeting lasts at most 12 hours.") }
        if let place = d.place, place.count > 300 || hasControlCharacters(place) { add("place", "invalid", "A place of at most 300 characters.") }
        if let url = d.onlineURL, !isWebURL(url, httpsOnly: true) { add("onlineUrl", "invalid", "An https:// address of at most 2,000 characters.") }
        var seen = Set<InviteeKey>()
        var invitees: [Invitee] = []
        for (i, invitee) in d.invitees.enumerated() {
            var key = invitee.key
            if case .guest(let raw) = invitee.key {
                guard let email = calendarEmail(raw) else {
                    add("invitees[\(i)]", "invalidEmail", "An e-mail address such as name@traeger.example.")
                    continue
                }
                key = .guest(email)
            }
            let name = invitee.name.map(collapsed).flatMap { $0.isEmpty ? nil : $0 }
            if let name, name.count > 120 || hasControlCharacters(name) { add("invitees[\(i)].name", "invalid", "A name of at most 120 characters.") }
            if seen.insert(key).inserted { invitees.append(Invitee(key: key, name: name, role: invitee.role)) }
        }
        if invitees.count > maxInvitees { add("invitees", "tooMany", "At most \(maxInvitees) invitees.") }
        d.invitees = invitees
        return (d, issues)
    }

    /// A normalized address that is also safe inside a `mailto:` calendar address.
    static func calendarEmail(_ raw: String) -> String? {
        guard let email = try? InvitationRules.normalizedEmail(raw), !email.contains(where: { ",;:/\\".contains($0) }),
              !hasControlCharacters(email) else { return nil }
        return email
    }

    /// An absolute http(s) URL without spaces or control characters.
    static func isWebURL(_ text: String, httpsOnly: Bool = false) -> Bool {
        guard text.count <= 2000, !text.contains(where: { $0.isWhitespace || $0 == "\"" || $0 == "<" || $0 == ">" }),
              !hasControlCharacters(text), let url = URL(string: text), let scheme = url.scheme?.lowercased(),
              httpsOnly ? scheme == "https" : (scheme == "https" || scheme == "http"),
              let host = url.host, !host.isEmpty else { return false }
        return true
    }

    static func hasControlCharacters(_ text: String) -> Bool {
        text.unicodeScalars.contains { $0.properties.generalCategory == .control }
    }

    static func collapsed(_ text: String) -> String {
        text.split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
    }

    static func transition(_ code: String, _ message: String) -> DomainError { DomainError(.invalidTransition, code: code, message: message) }

    static func partOfSeries() -> DomainError {
        transition("meeting.partOfSeries", "This meeting belongs to a series: invite to or cancel it in the series.")
    }
}
