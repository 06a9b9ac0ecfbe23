import Foundation

/// The district-wide meeting templates as pure functions. Administrators (the planning
/// staff) create and revise them; every revision is a new immutable version.
public enum TemplateRules {
    public static let nameLength = 3...120
    public static let subjectMaxLength = 200
    public static let bodyMaxLength = 10_000
    public static let maxAgendaItems = 30
    public static let durationRange = 0...480

    /// Creates version 1.
    public static func create(_ draft: MeetingTemplateDraft, id: MeetingTemplateID, by actor: Principal, now: Date)
        throws(DomainError) -> (MeetingTemplate, [MeetingEvent]) {
        guard MeetingPermissions.canEditTemplates(actor), let userID = actor.userID else { throw actor.adminRefusal }
        let content = normalized(draft)
        let issues = validate(content)
        guard issues.isEmpty else { throw .validation(issues) }
        let template = MeetingTemplate(id: id, version: 1, content: content, createdBy: userID, createdAt: now)
        return (template, [.templateCreated(template)])
    }

    /// Writes the next version. `latest` is the newest version; a client that edited an
    /// older one gets a conflict rather than overwriting someone else's revision. Past
    /// meetings keep the version they were created from.
    public static func revise(_ latest: MeetingTemplate, with draft: MeetingTemplateDraft, expectedVersion: Int, by actor: Principal, now: Date)
        throws(DomainError) -> (MeetingTemplate, [MeetingEvent])? {
        guard MeetingPermissions.canEditTemplates(actor), let userID = actor.userID else { throw actor.adminRefusal }
        guard expectedVersion == latest.version else { throw .versionConflict }
        let content = normalized(draft)
        let issues = validate(content)
        guard issues.isEmpty else { throw .validation(issues) }
        guard content != latest.content else { return nil }
        let next = MeetingTemplate(id: latest.id, version: latest.version + 1, content: content, createdBy: userID, createdAt: now)
        return (next, [.templateRevised(next)])
    }

    static func normalized(_ draft: MeetingTemplateDraft) -> MeetingTemplateDraft {
        var d = draft
        d.name = MeetingRules.collapsed(d.name)
        d.invitationSubject = MeetingRules.collapsed(d.invitationSubject)
        d.invitationBody = d.invitationBody.trimmingCharacters(in: .whitespacesAndNewlines)
        for i in d.agenda.indices { d.agenda[i].title = MeetingRules.collapsed(d.agenda[i].title) }
        d.minutesSections = d.minutesSections.map { MinutesSectionHeading($0.kind, MeetingRules.collapsed($0.title)) }
        return d
    }

    /// Lengths, placeholders against the allow-list, a recognisable skeleton (each standard
    /// item at most once, the topics item always), every minutes section exactly once.
    public static func validate(_ d: MeetingTemplateDraft) -> [FieldIssue] {
        var issues: [FieldIssue] = []
        func add(_ field: String, _ code: String, _ message: String) { issues.append(FieldIssue(field: field, code: code, message: message)) }
        if !nameLength.contains(d.name.count) { add("name", "length", "A name of 3 to 120 characters.") }
        if d.invitationSubject.isEmpty || d.invitationSubject.count > subjectMaxLength {
            add("invitationSubject", "length", "A subject of 1 to \(subjectMaxLength) characters.")
        }
        if d.invitationBody.isEmpty || d.invitationBody.count > bodyMaxLength {
            add("invitationBody", "length", "A text of 1 to \(bodyMaxLength) characters.")
        }
        issues += TemplatePlaceholders.invitation.issues(in: d.invitationSubject, field: "invitationSubject")
        issues += TemplatePlaceholders.invitation.issues(in: d.invitationBody, field: "invitationBody")
        if d.agenda.isEmpty || d.agenda.count > maxAgendaItems { add("agenda", "count", "1 to \(maxAgendaItems) agenda items.") }
        for (i, item) in d.agenda.enumerated() {
            if !(1...200).contains(item.title.count) { add("agenda[\(i)].title", "length", "A title of 1 to 200 characters.") }
            if !durationRange.contains(item.durationMinutes) { add("agenda[\(i)].durationMinutes", "outOfRange", "0 to 480 minutes.") }
        }
        let standards = d.agenda.compactMap(\.standard)
        if Set(standards).count != standards.count { add("agenda", "duplicateStandardItem", "Each standard item appears at most once.") }
        if !standards.contains(.topics) { add("agenda", "topicsRequired", "The skeleton needs the topics item the workspace's topics go into.") }
        let kinds = d.minutesSections.map(\.kind)
        if kinds.count != MinutesSectionKind.allCases.count || Set(kinds) != Set(MinutesSectionKind.allCases) {
            add("minutesSections", "incomplete", "Every minutes section (attendance, notes, decisions, action items, open points) exactly once.")
        }
        for (i, heading) in d.minutesSections.enumerated() where !(1...120).contains(heading.title.count) {
            add("minutesSections[\(i)].title", "length", "A heading of 1 to 120 characters.")
        }
        return issues
    }
}
