import Foundation

/// The minutes as one Markdown text: the canonical form whose SHA-256 is recorded at
/// approval, the Markdown export, and (with `publicOnly`) the published part.
///
/// Everything printed comes from frozen records (the meeting after it was held, its agenda,
/// the minutes with names as recorded), never from live account data, so the text, and with
/// it the hash, can be recomputed years later and compared.
public enum MinutesDocument {
    struct Labels {
        let title, date, place, online, present, excused, absent, others, item, votes, owner, due, objections, answer, accepted, rejected: String
        let voteWords: (String, String, String)
    }

    static let labels: [MeetingLanguage: Labels] = [
        .de: Labels(title: "Protokoll", date: "Datum", place: "Ort", online: "Online", present: "anwesend", excused: "entschuldigt",
                    absent: "abwesend", others: "weitere Personen ohne Einwilligung zur Veröffentlichung", item: "TOP", votes: "Abstimmung",
                    owner: "verantwortlich", due: "fällig", objections: "Einwände", answer: "Antwort", accepted: "angenommen", rejected: "abgelehnt",
                    voteWords: ("dafür", "dagegen", "Enthaltungen")),
        .en: Labels(title: "Minutes", date: "Date", place: "Place", online: "Online", present: "present", excused: "excused", absent: "absent",
                    others: "more people who did not consent to publication", item: "Item", votes: "Vote", owner: "owner", due: "due",
                    objections: "Objections", answer: "Answer", accepted: "accepted", rejected: "rejected",
                    voteWords: ("in favour", "against", "abstentions")),
    ]

    /// The text the approval hash is computed over: German labels, everything included.
    public static func canonicalText(_ minutes: Minutes, meeting: Meeting, agenda: Agenda) -> String {
        render(minutes, meeting: meeting, agenda: agenda, language: .de, publicOnly: false)
    }

    /// SHA-256 (hex) of the canonical text.
    public static func contentHash(_ minutes: Minutes, meeting: Meeting, agenda: Agenda) -> String {
        ContentHash.sha256Hex(canonicalText(minutes, meeting: meeting, agenda: agenda))
    }

    /// Renders the minutes. `publicOnly` leaves out non-public agenda items (with their
    /// notes, decisions and action items), the names of people who did not consent to
    /// publication (they are counted), and the objections.
    public static func render(_ minutes: Minutes, meeting: Meeting, agenda: Agenda, language: MeetingLanguage, publicOnly: Bool) -> String {
        let l = labels[language]!
        let rows = agenda.schedule(from: meeting.start)
        let visible = Set(rows.filter { !publicOnly || $0.isPublic }.map(\.item.id))
        func shown(_ id: AgendaItemID?) -> Bool { id.map(visible.contains) ?? true }
        func number(_ id: AgendaItemID?) -> String { id.flatMap { id in rows.first { $0.item.id == id }?.number }.map { " [\(l.item) \($0)]" } ?? "" }
        let consented = Set(minutes.attendance.filter(\.value.publicationConsent).map(\.value.person))
        var out: [String] = []
        out.append("# \(l.title): \(oneLine(meeting.title))")
        out.append("")
        out.append("\(l.date): \(MeetingText.longDate(meeting.start.date, language)), \(meeting.start.timeText)–\(meeting.end.timeText)")
        if let place = meeting.place { out.append("\(l.place): \(oneLine(place))") }
        if meeting.onlineURL != nil { out.append("\(l.online)") }

        out += ["", "## \(oneLine(minutes.heading(.attendance)))", ""]
        let order: [AttendanceStatus] = [.present, .excused, .absent]
        // Present, excused, absent; by name within each: the text must not depend on who was recorded first.
        let people = minutes.attendance.map(\.value).sorted {
            (order.firstIndex(of: $0.status)!, $0.name, $0.person) < (order.firstIndex(of: $1.status)!, $1.name, $1.person)
        }
        var hidden = 0
        for p in people {
            if publicOnly && !p.publicationConsent { hidden += 1; continue }
            let status = p.status == .present ? l.present : p.status == .excused ? l.excused : l.absent
            out.append("- \(oneLine(p.name))\(p.organization.map { " (\(oneLine($0)))" } ?? ""): \(status)")
        }
        if hidden > 0 { out.append("- \(hidden) \(l.others)") }

        out += ["", "## \(oneLine(minutes.heading(.itemNotes)))"]
        for row in rows where visible.contains(row.item.id) {
            out += ["", "### \(row.number) \(oneLine(row.item.title))"]
            if let text = minutes.notes[row.item.id]?.value, !text.isEmpty { out += ["", text] }
        }

        out += ["", "## \(oneLine(minutes.heading(.decisions)))", ""]
        for d in minutes.decisions.map(\.value) where shown(d.agendaItemID) {
            var line = "- \(oneLine(d.text))\(number(d.agendaItemID))"
            if let v = d.votes { line += " (\(l.votes): \(v.inFavour) \(l.voteWords.0), \(v.against) \(l.voteWords.1), \(v.abstentions) \(l.voteWords.2))" }
            out.append(line)
        }

        out += ["", "## \(oneLine(minutes.heading(.actionItems)))", ""]
        for a in minutes.actionItems.map(\.value) where shown(a.agendaItemID) {
            let ownerShown = !publicOnly || a.owner.userID.map { consented.contains(.member($0)) } ?? true
            var line = "- \(oneLine(a.text))\(number(a.agendaItemID))"
            if ownerShown { line += " – \(l.owner): \(oneLine(a.owner.name))" }
            if let due = a.due { line += ", \(l.due): \(MeetingText.shortDate(due, language))" }
            out.append(line)
        }

        out += ["", "## \(oneLine(minutes.heading(.openPoints)))", ""]
        if !minutes.openPoints.value.isEmpty { out.append(minutes.openPoints.value) }

        let objections = minutes.objections.filter { $0.state != .withdrawn }
        if !publicOnly && !objections.isEmpty {
            out += ["", "## \(l.objections)", ""]
            for o in objections.sorted(by: { ($0.raisedAt, $0.id.description) < ($1.raisedAt, $1.id.description) }) {
                let who = minutes.attendance.first { $0.value.person == o.by }?.value.name ?? o.by.description
                out.append("- \(oneLine(who)): \(oneLine(o.text))")
                if let answer = o.answer {
                    out.append("  \(l.answer) (\(answer.resolution == .accepted ? l.accepted : l.rejected)): \(oneLine(answer.text))")
                }
            }
        }
        return out.joined(separator: "\n") + "\n"
    }

    /// A single-line form for headings and list entries (line breaks would break the structure).
    static func oneLine(_ text: String) -> String { MeetingRules.collapsed(text) }
}
