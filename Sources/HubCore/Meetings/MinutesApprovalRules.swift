import Foundation

/// Who objects: a signed-in member, or a guest holding a signed link from the circulation
/// mail (verified by the services) for this meeting.
public enum ObjectorAuthority: Hashable, Sendable {
    case principal(Principal)
    case link(meetingID: MeetingID, person: InviteeKey)
}

/// Approving minutes: draft → circulated (with an objection deadline) → objections raised
/// and answered → approved (frozen, hashed).
///
/// At the deadline: without open objections the minutes are deemed approved (the usual
/// "gilt als genehmigt" of German rules of procedure) as of the end of the deadline day, by
/// `settle`, which a periodic job calls. With objections still unanswered they are *not*
/// approved: the coordinator is told once, answers each one (accepting and correcting, or
/// rejecting with reasons), and then approves explicitly, or recirculates for a new deadline.
/// No objection is taken after the deadline, and nobody approves before it: everyone who
/// was present keeps their full time to object.
public enum MinutesApprovalRules {
    public static let defaultObjectionDays = 14
    public static let objectionDaysRange = 3...60
    public static let textLength = 1...4_000

    /// Sends the draft to the participants with a deadline (default: 14 days after today).
    public static func circulate(_ minutes: Minutes, of meeting: Meeting, deadline: LocalDate? = nil, by actor: Principal, now: Date)
        throws(DomainError) -> (Minutes, [MeetingEvent]) {
        try requireManager(actor, minutes)
        guard minutes.approval.stage == .draft, meeting.status == .held, meeting.id == minutes.meetingID else {
            throw MeetingRules.transition("minutes.notDraft", "Only a draft of a held meeting can be circulated.")
        }
        guard !minutes.presentPeople.isEmpty else {
            throw .validation([FieldIssue(field: "attendance", code: "required", message: "Record who was present before circulating.")])
        }
        return try start(minutes, meeting: meeting, deadline: deadline, by: actor, now: now)
    }

    /// Circulates corrected minutes again with a new deadline; objections stay on record.
    public static func recirculate(_ minutes: Minutes, of meeting: Meeting, deadline: LocalDate? = nil, by actor: Principal, now: Date)
        throws(DomainError) -> (Minutes, [MeetingEvent]) {
        try requireManager(actor, minutes)
        guard minutes.approval.stage == .circulated else {
            throw MeetingRules.transition("minutes.notCirculated", "Only circulating minutes can be circulated again.")
        }
        return try start(minutes, meeting: meeting, deadline: deadline, by: actor, now: now)
    }

    /// Records an objection by someone who was present, until the end of the deadline day.
    public static func object(_ text: String, to section: MinutesSection?, in minutes: Minutes, id: ObjectionID, authority: ObjectorAuthority,
                              now: Date) throws(DomainError) -> (Minutes, [MeetingEvent]) {
        let person = try objector(authority, minutes)
        guard minutes.approval.stage == .circulated else {
            throw MeetingRules.transition("minutes.notCirculated", "Objections are taken while the minutes circulate.")
        }
        guard !minutes.approval.deadlinePassed(today: BerlinTime.date(now)) else {
            throw MeetingRules.transition("minutes.deadlinePassed", "The deadline for objections has passed.")
        }
        guard minutes.presentPeople.contains(person) else {
            throw DomainError(.forbidden, code: "minutes.notAttendee", message: "Only people who were present can object to the minutes.")
        }
        let body = try checked(text, field: "text")
        let objection = Objection(id: id, by: person, section: section, text: body, raisedAt: now, round: minutes.approval.round)
        var next = minutes
        next.objections.append(objection)
        next.updatedAt = now
        return (next, [.objectionRaised(next, objection)])
    }

    /// The objector takes their objection back while the minutes circulate.
    public static func withdraw(_ id: ObjectionID, in minutes: Minutes, authority: ObjectorAuthority, now: Date)
        throws(DomainError) -> (Minutes, [MeetingEvent]) {
        let person = try objector(authority, minutes)
        guard let index = minutes.objections.firstIndex(where: { $0.id == id }) else { throw .notFound("objection") }
        guard minutes.objections[index].by == person else { throw .forbidden }
        guard minutes.approval.stage == .circulated, minutes.objections[index].state == .open else {
            throw MeetingRules.transition("objection.notOpen", "Only an open objection can be withdrawn.")
        }
        var next = minutes
        next.objections[index].withdrawnAt = now
        next.updatedAt = now
        return (next, [.objectionWithdrawn(next, next.objections[index])])
    }

    /// The coordinator answers an objection: accepted (and the text corrected with a normal
    /// save) or rejected with reasons. Possible after the deadline too: that is when open
    /// objections must be decided.
    public static func answer(_ id: ObjectionID, in minutes: Minutes, text: String, resolution: ObjectionResolution, by actor: Principal, now: Date)
        throws(DomainError) -> (Minutes, [MeetingEvent]) {
        try requireManager(actor, minutes)
        guard let userID = actor.userID else { throw .unauthenticated }
        guard let index = minutes.objections.firstIndex(where: { $0.id == id }) else { throw .notFound("objection") }
        guard minutes.approval.stage == .circulated, minutes.objections[index].state == .open else {
            throw MeetingRules.transition("objection.notOpen", "Only an open objection can be answered.")
        }
        let body = try checked(text, field: "text")
        var next = minutes
        next.objections[index].answer = ObjectionAnswer(text: body, resolution: resolution, by: userID, at: now)
        next.updatedAt = now
        return (next, [.objectionAnswered(next, next.objections[index])])
    }

    /// The coordinator approves after the deadline, once every objection is answered or
    /// withdrawn. The minutes freeze with the hash of their text; the meeting moves to
    /// `minutesApproved`.
    public static func approve(_ minutes: Minutes, of meeting: Meeting, agenda: Agenda, by actor: Principal, now: Date)
        throws(DomainError) -> (Minutes, Meeting, [MeetingEvent]) {
        try requireManager(actor, minutes)
        try requireApprovable(minutes, meeting: meeting, today: BerlinTime.date(now))
        guard minutes.openObjections.isEmpty else {
            throw DomainError(.invalidTransition, code: "minutes.openObjections", message: "Answer every open objection first.",
                              fields: minutes.openObjections.map { FieldIssue(field: "objections.\($0.id)", code: "open", message: "Not answered yet.") })
        }
        return approved(minutes, meeting: meeting, agenda: agenda, by: actor.userID, at: now, deemed: false)
    }

    /// What happens when time passes (called by a periodic job, idempotent): once the
    /// deadline day is over, minutes without open objections are deemed approved as of the
    /// end of that day; with open objections the coordinator is told, once. Nil when there is
    /// nothing to do.
    public static func settle(_ minutes: Minutes, of meeting: Meeting, agenda: Agenda, now: Date) -> (Minutes, Meeting, [MeetingEvent])? {
        guard minutes.approval.stage == .circulated, let deadline = minutes.approval.deadline,
              minutes.approval.deadlinePassed(today: BerlinTime.date(now)), meeting.status == .held else { return nil }
        if minutes.openObjections.isEmpty {
            return approved(minutes, meeting: meeting, agenda: agenda, by: nil, at: BerlinTime.endOfDay(deadline), deemed: true)
        }
        guard !minutes.approval.decisionRequired else { return nil }
        var next = minutes
        next.approval.decisionRequired = true
        return (next, meeting, [.objectionsOpenAtDeadline(next)])
    }

    /// Recomputes the hash of approved minutes and compares it with the recorded one.
    public static func verify(_ minutes: Minutes, meeting: Meeting, agenda: Agenda) -> Bool {
        minutes.approval.stage == .approved && minutes.approval.contentHash == MinutesDocument.contentHash(minutes, meeting: meeting, agenda: agenda)
    }

    // MARK: Helpers

    static func start(_ minutes: Minutes, meeting: Meeting, deadline: LocalDate?, by actor: Principal, now: Date)
        throws(DomainError) -> (Minutes, [MeetingEvent]) {
        let today = BerlinTime.date(now)
        let last = deadline ?? today.adding(days: defaultObjectionDays)
        let days = last.dayNumber - today.dayNumber
        guard objectionDaysRange.contains(days) else {
            throw .validation([FieldIssue(field: "deadline", code: "outOfRange",
                                          message: "The deadline lies \(objectionDaysRange.lowerBound) to \(objectionDaysRange.upperBound) days ahead.")])
        }
        var next = minutes
        next.approval.stage = .circulated
        next.approval.circulatedAt = now
        next.approval.circulatedBy = actor.userID
        next.approval.deadline = last
        next.approval.round += 1
        next.approval.decisionRequired = false
        next.updatedAt = now
        // Everyone invited and everyone recorded in the attendance gets the minutes.
        var recipients: [InviteeKey] = meeting.invitees.map(\.key)
        for entry in minutes.attendance.map(\.value.person) where !recipients.contains(entry) { recipients.append(entry) }
        return (next, [.minutesCirculated(next, recipients: recipients)])
    }

    static func approved(_ minutes: Minutes, meeting: Meeting, agenda: Agenda, by userID: UserID?, at: Date, deemed: Bool)
        -> (Minutes, Meeting, [MeetingEvent]) {
        var next = minutes
        next.approval.stage = .approved
        next.approval.approvedAt = at
        next.approval.approvedBy = userID
        next.approval.deemedApproved = deemed
        next.approval.contentHash = MinutesDocument.contentHash(minutes, meeting: meeting, agenda: agenda)
        next.updatedAt = at
        var m = meeting
        m.status = .minutesApproved
        m.updatedAt = at
        m.version += 1
        return (next, m, [.minutesApproved(next, deemed: deemed), .meetingStatusChanged(m)])
    }

    static func requireApprovable(_ minutes: Minutes, meeting: Meeting, today: LocalDate) throws(DomainError) {
        guard minutes.approval.stage == .circulated, meeting.status == .held, meeting.id == minutes.meetingID else {
            throw MeetingRules.transition("minutes.notCirculated", "Only circulated minutes of a held meeting can be approved.")
        }
        guard minutes.approval.deadlinePassed(today: today) else {
            throw MeetingRules.transition("minutes.deadlineNotReached", "Participants may object until the deadline; approve after it.")
        }
    }

    static func objector(_ authority: ObjectorAuthority, _ minutes: Minutes) throws(DomainError) -> InviteeKey {
        switch authority {
        case .principal(let actor):
            guard let userID = actor.userID else { throw .unauthenticated }
            return .member(userID)
        case .link(let meetingID, let person):
            guard meetingID == minutes.meetingID else { throw .forbidden }
            return person
        }
    }

    static func requireManager(_ actor: Principal, _ minutes: Minutes) throws(DomainError) {
        guard MeetingPermissions.canManage(actor, minutes.workspaceID) else { throw MeetingPermissions.refusal(actor, minutes.workspaceID, what: "minutes") }
    }

    static func checked(_ text: String, field: String) throws(DomainError) -> String {
        let body = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard textLength.contains(body.count) else {
            throw .validation([FieldIssue(field: field, code: "length", message: "1 to 4,000 characters.")])
        }
        return body
    }
}
