import Foundation

/// Session notes: one shared Markdown text per session, saved with optimistic concurrency.
/// Anyone taking part may write (documentation is everyone's job at a barcamp); a save names
/// the version it was based on, and a stale save is refused with `barcamp.notesConflict`, so
/// nobody's text is silently overwritten. The services attach the current notes to that
/// refusal so the client can merge.
public enum BarcampNotesRules {
    /// Allowed length of a session's notes.
    public static let textLength = 0...50_000

    /// Saves the notes of a session. `existing` is the stored notes (`nil` before the first
    /// save, which must be based on version 0).
    public static func save(_ text: String, for sessionID: BarcampSessionID, baseVersion: Int, existing: SessionNotes?, barcamp: Barcamp,
                            sessions: [BarcampSession], by actor: BoardActor, now: Date) throws(DomainError) -> BarcampOutcome {
        try barcamp.access.require(.guest, actor)
        guard let me = actor.participant else { throw .unauthenticated }
        try BarcampRules.requireOpen(barcamp)
        guard let session = sessions.first(where: { $0.id == sessionID }) else { throw BarcampErrors.sessionNotFound }
        guard session.status == .proposed else { throw BarcampErrors.sessionWithdrawn }
        var issues: [FieldIssue] = []
        let text = BoardText.text(text, field: "text", length: textLength, issues: &issues)
        guard issues.isEmpty else { throw .validation(issues) }
        let current = existing ?? SessionNotes(barcampID: barcamp.id, sessionID: sessionID, text: "", authors: [], version: 0, updatedAt: now)
        guard baseVersion == current.version else {
            // A retry of the save that produced the current version is not a conflict.
            if baseVersion == current.version - 1 && current.text == text && current.authors.contains(me) { return BarcampOutcome(barcamp: barcamp) }
            throw BarcampErrors.notesConflict
        }
        guard text != current.text else { return BarcampOutcome(barcamp: barcamp) }
        var next = current
        next.text = text
        if !next.authors.contains(me) { next.authors.append(me) }
        next.version += 1
        next.updatedAt = now
        return BarcampOutcome(barcamp: barcamp, changes: [.notes(next)], events: [.notesSaved(next)])
    }
}

/// One line of a personal agenda.
public enum AgendaEntry: Sendable, Hashable {
    /// A common block everyone attends (opening, break, plenary, closing).
    case common(BarcampSlot)
    /// A session the person hosts or marked. `slot` and `room` are set once the schedule is
    /// published; `clashes` lists the other agenda sessions in the same slot.
    case session(BarcampSession, reasons: [AgendaReason], slot: BarcampSlot?, room: BarcampRoom?, clashes: [BarcampSessionID])
}

/// Why a session is on someone's agenda.
public enum AgendaReason: String, Sendable, Hashable, Codable, CaseIterable {
    case host, coHost, marked
}

/// "My sessions" and the event documentation, as pure functions of the records.
public enum BarcampAgenda {
    /// The personal agenda of `participant`: the common blocks and the sessions they host,
    /// co-host or marked, in time order (by slot start, then room order); sessions not yet in
    /// the published schedule come last, by title. Before publication the grid is a draft and
    /// no session shows a place.
    public static func personal(for participant: ParticipantRef, barcamp: Barcamp, sessions: [BarcampSession],
                                marks: [InterestMark]) -> [AgendaEntry] {
        let marked = Set(marks.filter { $0.participant == participant }.map(\.sessionID))
        let published = barcamp.status != .planning
        let roomOrder = Dictionary(barcamp.rooms.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { a, _ in a })
        struct Line { let start: Date?; let room: Int; let title: String; let entry: AgendaEntry }
        var lines: [Line] = barcamp.slots.filter(\.kind.isCommon).map { Line(start: $0.startsAt, room: -1, title: $0.title, entry: .common($0)) }
        let mine = sessions.filter { $0.status == .proposed }.compactMap { session -> (BarcampSession, [AgendaReason])? in
            var reasons: [AgendaReason] = []
            if session.host == participant { reasons.append(.host) }
            if session.coHosts.contains(participant) { reasons.append(.coHost) }
            if marked.contains(session.id) { reasons.append(.marked) }
            return reasons.isEmpty ? nil : (session, reasons)
        }
        let placements = Dictionary(mine.compactMap { session, _ -> (BarcampSessionID, BarcampAssignment)? in
            guard published, let assignment = barcamp.assignment(of: session.id) else { return nil }
            return (session.id, assignment)
        }, uniquingKeysWith: { a, _ in a })
        for (session, reasons) in mine {
            let assignment = placements[session.id]
            let slot = assignment.flatMap { barcamp.slot($0.cell.slotID) }
            let room = assignment.flatMap { barcamp.room($0.cell.roomID) }
            let clashes = placements.filter { $0.key != session.id && $0.value.cell.slotID == assignment?.cell.slotID }.map(\.key)
                .sorted { $0.description < $1.description }
            lines.append(Line(start: slot?.startsAt, room: room.flatMap { roomOrder[$0.id] } ?? 0, title: session.title,
                              entry: .session(session, reasons: reasons, slot: slot, room: room, clashes: clashes)))
        }
        return lines.sorted { a, b in
            switch (a.start, b.start) {
            case let (x?, y?) where x != y: return x < y
            case (nil, _?): return false
            case (_?, nil): return true
            default: return (a.room, a.title) < (b.room, b.title)
            }
        }.map(\.entry)
    }

    /// The event documentation: every placed session in schedule order (grouped by slot) with
    /// its notes, then unplaced proposals that have notes. German unless `english`.
    public static func documentationModel(barcamp: Barcamp, sessions: [BarcampSession], notes: [SessionNotes],
                                          english: Bool = false) -> BarcampDocumentation {
        let notesBySession = Dictionary(notes.map { ($0.sessionID, $0) }, uniquingKeysWith: { a, b in a.version >= b.version ? a : b })
        let sessionByID = Dictionary(sessions.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        func entry(_ session: BarcampSession, room: String?) -> BarcampDocumentation.Entry {
            let text = notesBySession[session.id]?.text ?? ""
            return .init(title: session.title, room: room, description: session.description, notes: text.isEmpty ? nil : text)
        }
        var groups: [BarcampDocumentation.Group] = []
        var written = Set<BarcampSessionID>()
        for slot in barcamp.slots where !slot.kind.isCommon {
            let placed = barcamp.rooms.compactMap { room in barcamp.occupant(of: BarcampCell(roomID: room.id, slotID: slot.id)).map { (room, $0) } }
            var entries: [BarcampDocumentation.Entry] = []
            for (room, assignment) in placed {
                guard let session = sessionByID[assignment.sessionID] else { continue }
                written.insert(session.id)
                entries.append(entry(session, room: room.name))
            }
            guard !entries.isEmpty else { continue }
            groups.append(.init(heading: slot.title.isEmpty ? "Slot" : slot.title, entries: entries))
        }
        let rest = sessions.filter { !written.contains($0.id) && $0.status == .proposed && !(notesBySession[$0.id]?.text.isEmpty ?? true) }
            .sorted { ($0.title, $0.id.description) < ($1.title, $1.id.description) }
        if !rest.isEmpty {
            groups.append(.init(heading: english ? "Further sessions" : "Weitere Sessions", entries: rest.map { entry($0, room: nil) }))
        }
        return BarcampDocumentation(title: barcamp.title, groups: groups, english: english)
    }

    /// The event documentation in Markdown (see `documentationModel`). Notes are inserted as
    /// written (Markdown); titles and descriptions are user text and rendered by the caller's
    /// escaping Markdown renderer.
    public static func documentation(barcamp: Barcamp, sessions: [BarcampSession], notes: [SessionNotes], english: Bool = false) -> String {
        documentationModel(barcamp: barcamp, sessions: sessions, notes: notes, english: english).markdown
    }
}

/// The documentation of a Barcamp as structure, so that Markdown, HTML and PDF say the same.
public struct BarcampDocumentation: Sendable, Hashable {
    public struct Entry: Sendable, Hashable {
        public let title: String
        /// The room it took place in; nil for sessions that were not placed.
        public let room: String?
        public let description: String
        /// The notes as written (Markdown); nil when there are none.
        public let notes: String?
    }

    public struct Group: Sendable, Hashable {
        /// The slot's title, or "Weitere Sessions" for unplaced sessions with notes.
        public let heading: String
        public let entries: [Entry]
    }

    public let title: String
    public let groups: [Group]
    public let english: Bool

    /// What stands where a session has no notes.
    public var noNotes: String { english ? "No notes." : "Keine Notizen." }

    public func heading(_ entry: Entry) -> String { entry.title + (entry.room.map { " (\($0))" } ?? "") }

    public var markdown: String {
        var lines = ["# \(title)", ""]
        for group in groups {
            lines += ["## \(group.heading)", ""]
            for entry in group.entries {
                lines += ["### \(heading(entry))", ""]
                if !entry.description.isEmpty { lines += ["_\(entry.description.replacingOccurrences(of: "\n", with: " "))_", ""] }
                lines += [entry.notes ?? noNotes, ""]
            }
        }
        return lines.joined(separator: "\n")
    }
}
