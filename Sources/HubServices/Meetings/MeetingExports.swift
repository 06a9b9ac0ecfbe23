import Foundation
import HubCore

/// Invitation, agenda and minutes as Markdown and as a standalone HTML page (through the one
/// safe Markdown renderer: user text is never trusted).
public enum MeetingExports {
    static func escape(_ text: String) -> String {
        // Markdown control characters at the start of user text must not become structure.
        var out = ""
        for ch in text.replacingOccurrences(of: "\r", with: "").replacingOccurrences(of: "\n", with: " ") {
            if "\\`*_{}[]()#+-!|<>".contains(ch) { out.append("\\") }
            out.append(ch)
        }
        return out
    }

    static func when(_ m: MeetingView, _ language: MeetingLanguage) -> String {
        "\(MeetingText.longDate(m.start.date, language)), \(m.start.timeText)–\(m.end.timeText)"
    }

    public static func agendaMarkdown(_ d: MeetingDetailView, language: MeetingLanguage) -> String {
        let de = language == .de
        var out = ["# \(de ? "Tagesordnung" : "Agenda"): \(escape(d.meeting.title))", "", when(d.meeting, language)]
        if let place = d.meeting.place { out.append("\(de ? "Ort" : "Place"): \(escape(place))") }
        out.append("")
        for item in d.agenda?.items ?? [] {
            let indent = String(repeating: "  ", count: item.depth)
            var line = "\(indent)- **\(item.number)** \(escape(item.title)) (\(item.plannedMinutes) Min., \(item.start.timeText))"
            if let p = item.presenter, !p.isEmpty { line += " – \(escape(p))" }
            if !item.isPublic { line += de ? " *(nicht öffentlich)*" : " *(not public)*" }
            out.append(line)
        }
        return out.joined(separator: "\n") + "\n"
    }

    public static func invitationMarkdown(_ d: MeetingDetailView, language: MeetingLanguage) -> String {
        let de = language == .de
        var out = ["# \(de ? "Einladung" : "Invitation"): \(escape(d.meeting.title))", "", when(d.meeting, language)]
        if let place = d.meeting.place { out.append("\(de ? "Ort" : "Place"): \(escape(place))") }
        if let link = d.meeting.onlineUrl { out.append("Online: <\(link)>") }
        if !d.meeting.description.isEmpty { out += ["", escape(d.meeting.description)] }
        out += ["", "## \(de ? "Eingeladen" : "Invited")", ""]
        out += d.invitees.map { "- \(escape($0.name.isEmpty ? $0.key : $0.name))" }
        out += ["", "## \(de ? "Tagesordnung" : "Agenda")", ""]
        out += (d.agenda?.items ?? []).map { "\(String(repeating: "  ", count: $0.depth))- **\($0.number)** \(escape($0.title)) (\($0.plannedMinutes) Min.)" }
        return out.joined(separator: "\n") + "\n"
    }

    /// A printable page: the rendered Markdown with a minimal print style.
    public static func html(title: String, markdown: String, language: MeetingLanguage) -> String {
        """
        <!doctype html>
        <html lang="\(language.rawValue)"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
        <title>\(Markdown.escapeHTML(title))</title>
        <style>body{font:16px/1.5 system-ui,sans-serif;max-width:48rem;margin:1rem auto;padding:0 1rem;color:#1a1a1a}h1{font-size:1.6rem}h2{font-size:1.25rem;margin-top:1.5rem}@media print{body{margin:0}}</style>
        </head><body><main>
        \(Markdown.html(markdown))
        </main></body></html>
        """
    }
}
