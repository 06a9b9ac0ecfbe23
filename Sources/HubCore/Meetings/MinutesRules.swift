import Foundation

/// One save of one section of the minutes.
public enum MinutesEdit: Hashable, Sendable {
    case attendance(AttendanceEntry)
    case notes(AgendaItemID, String)
    /// Adds (base version 0) or changes a decision.
    case decision(MeetingDecision)
    /// Adds (base version 0) or changes an action item; its status is kept as it is.
    case actionItem(ActionItem)
    case openPoints(String)
    /// Deletes an attendance entry, decision or action item.
    case remove(MinutesSection)

    /// The section the edit saves (its unit of concurrency).
    public var section: MinutesSection {
        switch self {
        case .attendance(let entry): .attendance(entry.person)
        case .notes(let id, _): .notes(id)
        case .decision(let decision): .decision(decision.id)
        case .actionItem(let item): .actionItem(item.id)
        case .openPoints: .openPoints
        case .remove(let section): section
        }
    }
}

/// Writing the minutes together, as pure functions. Every save names the section and the
/// version its author started from; see `save`.
public enum MinutesRules {
    public static let maxTextLength = 20_000

    /// Opens the minutes of a meeting that is taking or took place, with the section headings
    /// of the meeting's template version.
    public static func open(for meeting: Meeting, template: MeetingTemplate, by actor: Principal, now: Date) throws(DomainError) -> Minutes {
        guard MeetingPermissions.canWriteMinutes(actor, meeting.workspaceID) else { throw MeetingPermissions.refusal(actor, meeting.workspaceID) }
        guard meeting.status == .held else {
            throw MeetingRules.transition("minutes.meetingNotHeld", "Minutes are written once the meeting has begun.")
        }
        guard template.ref == meeting.template else {
            throw DomainError(.conflict, code: "minutes.templateMismatch", message: "Use the template version the meeting was created from.")
        }
        return Minutes(meeting: meeting, template: template, now: now)
    }

    /// Saves one section. `baseVersion` is the section's version when its author started
    /// (0 for something new). If someone saved the section since, the save is refused as a
    /// conflict naming the section (the author keeps their text and merges); a stale save
    /// identical to the current text is a no-op. Nil when nothing changes.
    public static func save(_ edit: MinutesEdit, baseVersion: Int, to minutes: Minutes, of meeting: Meeting, agenda: Agenda, by actor: Principal,
                            knownRecommendations: Set<RecommendationID> = [], now: Date) throws(DomainError) -> (Minutes, [MeetingEvent])? {
        guard MeetingPermissions.canWriteMinutes(actor, meeting.workspaceID) else { throw MeetingPermissions.refusal(actor, meeting.workspaceID) }
        try requireWritable(minutes, meeting: meeting, by: actor)
        let section = edit.section
        switch edit {
        case .remove(.notes), .remove(.openPoints):
            throw .validation([FieldIssue(field: section.description, code: "notRemovable", message: "Save an empty text instead.")])
        default: break
        }
        let current = minutes.version(of: section)
        let edit = normalized(edit)
        if isUnchanged(edit, in: minutes) { return nil }
        guard current == baseVersion else {
            throw DomainError(.conflict, code: "minutes.editConflict",
                              message: "Someone else saved this part of the minutes in the meantime. Your text is kept: merge it with theirs and save again.",
                              fields: [FieldIssue(field: section.description, code: "conflict", message: "Changed by someone else since you opened it.")])
        }
        try validate(edit, agenda: agenda, known: knownRecommendations)
        var next = minutes
        let stamp = { (v: Int) in (v + 1, actor.userID, now) }
        switch edit {
        case .attendance(let entry):
            let (v, by, at) = stamp(current)
            let value = Versioned(value: entry, version: v, updatedBy: by, updatedAt: at)
            if let i = next.attendance.firstIndex(where: { $0.value.person == entry.person }) {
                next.attendance[i] = value
            } else {
                next.attendance.append(value)
            }
        case .notes(let id, let text):
            let (v, by, at) = stamp(current)
            next.notes[id] = Versioned(value: text, version: v, updatedBy: by, updatedAt: at)
        case .decision(let decision):
            let (v, by, at) = stamp(current)
            let value = Versioned(value: decision, version: v, updatedBy: by, updatedAt: at)
            if let i = next.decisions.firstIndex(where: { $0.value.id == decision.id }) {
                next.decisions[i] = value
            } else {
                next.decisions.append(value)
            }
        case .actionItem(var item):
            let (v, by, at) = stamp(current)
            item.status = minutes.actionItems.first { $0.value.id == item.id }?.value.status ?? .open
            let value = Versioned(value: item, version: v, updatedBy: by, updatedAt: at)
            if let i = next.actionItems.firstIndex(where: { $0.value.id == item.id }) {
                next.actionItems[i] = value
            } else {
                next.actionItems.append(value)
            }
        case .openPoints(let text):
            let (v, by, at) = stamp(current)
            next.openPoints = Versioned(value: text, version: v, updatedBy: by, updatedAt: at)
        case .remove(let section):
            switch section {
            case .attendance(let key): next.attendance.removeAll { $0.value.person == key }
            case .decision(let id): next.decisions.removeAll { $0.value.id == id }
            case .actionItem(let id): next.actionItems.removeAll { $0.value.id == id }
            case .notes, .openPoints: break  // refused above
            }
        }
        next.updatedAt = now
        return (next, [.minutesSaved(next, section: section)])
    }

    /// Marks an action item done, dropped or open again: its owner or a coordinator, at any
    /// stage (also after approval: the status is tracked, not part of the approved text).
    public static func setStatus(_ status: ActionStatus, of id: ActionItemID, in minutes: Minutes, by actor: Principal, now: Date)
        throws(DomainError) -> (Minutes, [MeetingEvent])? {
        guard let index = minutes.actionItems.firstIndex(where: { $0.value.id == id }) else { throw .notFound("actionItem") }
        let item = minutes.actionItems[index].value
        let isOwner = item.owner.userID != nil && item.owner.userID == actor.userID && MeetingPermissions.canRead(actor, minutes.workspaceID)
        guard isOwner || MeetingPermissions.canManage(actor, minutes.workspaceID) else { throw MeetingPermissions.refusal(actor, minutes.workspaceID) }
        guard item.status != status else { return nil }
        var next = minutes
        next.actionItems[index].value.status = status
        next.updatedAt = now
        return (next, [.actionItemChanged(next, next.actionItems[index].value)])
    }

    static func requireWritable(_ minutes: Minutes, meeting: Meeting, by actor: Principal) throws(DomainError) {
        guard meeting.id == minutes.meetingID else { throw .notFound("minutes") }
        switch minutes.approval.stage {
        case .approved:
            throw MeetingRules.transition("minutes.frozen", "The minutes are approved and can no longer be changed.")
        case .circulated where !MeetingPermissions.canManage(actor, meeting.workspaceID):
            throw MeetingRules.transition("minutes.circulated", "The minutes are out for approval: raise an objection instead; the coordinator corrects.")
        default:
            guard meeting.status == .held else {
                throw MeetingRules.transition("minutes.meetingNotHeld", "Minutes are written once the meeting has begun.")
            }
        }
    }

    /// Whether saving `edit` would change nothing (an action item's status does not count;
    /// removing something already gone is nothing).
    static func isUnchanged(_ edit: MinutesEdit, in minutes: Minutes) -> Bool {
        switch edit {
        case .attendance(let entry): return minutes.attendance.first { $0.value.person == entry.person }?.value == entry
        case .notes(let id, let text): return (minutes.notes[id]?.value ?? "") == text
        case .decision(let decision): return minutes.decisions.first { $0.value.id == decision.id }?.value == decision
        case .actionItem(var item):
            guard let current = minutes.actionItems.first(where: { $0.value.id == item.id })?.value else { return false }
            item.status = current.status
            return current == item
        case .openPoints(let text): return minutes.openPoints.value == text
        case .remove(let section): return minutes.version(of: section) == 0
        }
    }

    static func normalized(_ edit: MinutesEdit) -> MinutesEdit {
        func text(_ s: String) -> String { s.trimmingCharacters(in: .whitespacesAndNewlines) }
        switch edit {
        case .attendance(var e):
            e.name = MeetingRules.collapsed(e.name)
            e.organization = e.organization.map(MeetingRules.collapsed).flatMap { $0.isEmpty ? nil : $0 }
            return .attendance(e)
        case .notes(let id, let s): return .notes(id, text(s))
        case .decision(var d): d.text = text(d.text); return .decision(d)
        case .actionItem(var a):
            a.text = text(a.text)
            a.owner = ActionOwner(userID: a.owner.userID, name: MeetingRules.collapsed(a.owner.name))
            return .actionItem(a)
        case .openPoints(let s): return .openPoints(text(s))
        case .remove: return edit
        }
    }

    static func validate(_ edit: MinutesEdit, agenda: Agenda, known: Set<RecommendationID>) throws(DomainError) {
        var issues: [FieldIssue] = []
        let field = edit.section.description
        func add(_ suffix: String, _ code: String, _ message: String) {
            issues.append(FieldIssue(field: suffix.isEmpty ? field : "\(field).\(suffix)", code: code, message: message))
        }
        func checkText(_ s: String, _ suffix: String, _ range: ClosedRange<Int>) {
            if !range.contains(s.count) { add(suffix, "length", "\(range.lowerBound) to \(range.upperBound) characters.") }
            if s.unicodeScalars.contains(where: { $0.properties.generalCategory == .control && $0 != "\n" && $0 != "\t" && $0 != "\r" }) {
                add(suffix, "invalidCharacters", "Contains control characters.")
            }
        }
        func checkItem(_ id: AgendaItemID?) { if let id, agenda.item(id) == nil { add("agendaItemId", "unknown", "There is no such agenda item.") } }
        switch edit {
        case .attendance(let e):
            checkText(e.name, "name", 1...120)
            if let org = e.organization { checkText(org, "organization", 1...200) }
        case .notes(let id, let s):
            if agenda.item(id) == nil { add("", "unknown", "There is no such agenda item.") }
            checkText(s, "", 0...maxTextLength)
        case .decision(let d):
            checkText(d.text, "text", 1...4_000)
            checkItem(d.agendaItemID)
            if let v = d.votes, [v.inFavour, v.against, v.abstentions].contains(where: { !(0...10_000).contains($0) }) {
                add("votes", "outOfRange", "Vote counts from 0 to 10,000.")
            }
            for (i, id) in d.recommendationIDs.enumerated() where !known.contains(id) {
                add("recommendationIds[\(i)]", "unknown", "There is no such recommendation.")
            }
        case .actionItem(let a):
            checkText(a.text, "text", 1...1_000)
            checkText(a.owner.name, "owner", 1...120)
            checkItem(a.agendaItemID)
        case .openPoints(let s):
            checkText(s, "", 0...maxTextLength)
        case .remove:
            break
        }
        guard issues.isEmpty else { throw .validation(issues) }
    }
}
