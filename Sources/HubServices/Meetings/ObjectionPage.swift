import Foundation
import HubCore

/// The public page where a guest objects to circulated minutes by the signed link in their
/// mail (`/objection/<token>`): plain HTML, no JavaScript, German with English (`?lang=en`),
/// the panels' stylesheet. All user text is escaped.
public enum ObjectionPage {
    static func e(_ text: String) -> String { Markdown.escapeHTML(text) }

    static func t(_ key: String, _ l: PanelLanguage) -> String {
        let de: [String: String] = [
            "title": "Einwand gegen das Protokoll", "meeting": "Sitzung", "deadline": "Frist für Einwände", "deadline.until": "bis {date}, 24 Uhr",
            "intro": "Sie waren bei dieser Sitzung anwesend. Wenn etwas im Protokollentwurf nicht stimmt, schreiben Sie es hier; die Koordination beantwortet jeden Einwand. Den Entwurf finden Sie in der E-Mail.",
            "section": "Worauf bezieht sich Ihr Einwand?", "text": "Ihr Einwand", "text.hint": "Was ist falsch oder fehlt? Höchstens 4.000 Zeichen.",
            "submit": "Einwand senden", "own": "Ihre Einwände", "none": "Sie haben noch keinen Einwand erhoben.",
            "state.open": "offen", "state.answered": "beantwortet", "state.withdrawn": "zurückgezogen", "answer": "Antwort",
            "closed": "Die Frist für Einwände ist abgelaufen oder das Protokoll ist nicht mehr im Umlauf; Einwände werden nicht mehr angenommen.",
            "saved": "Ihr Einwand ist eingegangen. Die Koordination beantwortet ihn.",
            "errors.title": "Bitte prüfen Sie Ihre Eingabe", "error.required": "Bitte schreiben Sie Ihren Einwand.",
            "error.length": "Bitte schreiben Sie Ihren Einwand (höchstens 4.000 Zeichen).", "error.section": "Bitte wählen Sie einen Abschnitt aus der Liste.",
            "error.title": "Das hat nicht geklappt", "lang.switch": "English", "lang.name": "Sprache",
            "invalid": "Dieser Link ist nicht (mehr) gültig. Einwände werden bis zum Ende des Fristtags angenommen; bitte verwenden Sie den Link aus der neuesten E-Mail.",
            "notAttendee": "Einwände können nur Personen erheben, die als anwesend eingetragen sind.",
            "deadlinePassed": "Die Frist für Einwände ist abgelaufen.",
            "withdraw": "Einwand zurückziehen", "withdrawn": "Ihr Einwand ist zurückgezogen.",
        ]
        let en: [String: String] = [
            "title": "Objection to the minutes", "meeting": "Meeting", "deadline": "Deadline for objections", "deadline.until": "until the end of {date}",
            "intro": "You attended this meeting. If something in the draft minutes is wrong, write it here; the coordination answers every objection. The draft is in the e-mail.",
            "section": "What does your objection concern?", "text": "Your objection", "text.hint": "What is wrong or missing? At most 4,000 characters.",
            "submit": "Send objection", "own": "Your objections", "none": "You have not raised an objection yet.",
            "state.open": "open", "state.answered": "answered", "state.withdrawn": "withdrawn", "answer": "Answer",
            "closed": "The deadline for objections has passed or the minutes are no longer circulating; objections are no longer taken.",
            "saved": "Your objection has been received. The coordination will answer it.",
            "errors.title": "Please check your entry", "error.required": "Please write your objection.",
            "error.length": "Please write your objection (at most 4,000 characters).", "error.section": "Please choose a section from the list.",
            "error.title": "That did not work", "lang.switch": "Deutsch", "lang.name": "Language",
            "invalid": "This link is not valid (any more). Objections are taken until the end of the deadline day; please use the link in the newest e-mail.",
            "notAttendee": "Only people recorded as present can object.",
            "deadlinePassed": "The deadline for objections has passed.",
            "withdraw": "Withdraw the objection", "withdrawn": "Your objection is withdrawn.",
        ]
        return (l == .de ? de : en)[key] ?? key
    }

    static func switcher(_ path: String, _ l: PanelLanguage) -> String {
        let other: PanelLanguage = l == .de ? .en : .de
        let href = other == .en ? path + "?lang=en" : path
        return "<nav aria-label=\"\(t("lang.name", l))\"><p><a href=\"\(e(href))\" lang=\"\(other.rawValue)\" hreflang=\"\(other.rawValue)\">\(t("lang.switch", l))</a></p></nav>"
    }

    static func message(_ issue: FieldIssue, _ l: PanelLanguage) -> String {
        switch (issue.field, issue.code) {
        case ("section", _): t("error.section", l)
        case ("text", "length"): issue.message.isEmpty ? t("error.required", l) : t("error.length", l)
        default: t("error.required", l)
        }
    }

    /// The form (while objections are taken), the guest's own objections and their answers.
    public static func page(_ p: ObjectionLinkPage, token: String, _ l: PanelLanguage, text: String = "", section: String = "",
                            issues: [FieldIssue] = [], saved: Bool = false, withdrawn: Bool = false) -> String {
        let path = "/objection/\(token)"
        let meeting = p.meeting
        let language: MeetingLanguage = l == .de ? .de : .en
        let when = "\(MeetingText.longDate(meeting.start.date, language)), \(meeting.start.timeText)"
        var body = switcher(path, l) + "<h1>\(t("title", l))</h1>"
        if !issues.isEmpty {
            let items = issues.map { "<li><a href=\"#\($0.field == "section" ? "section" : "text")\">\(e(message($0, l)))</a></li>" }.joined()
            body += """
                <div class="error-summary" role="alert" aria-labelledby="errors-h" tabindex="-1" id="errors"><h2 id="errors-h">\(t("errors.title", l))</h2><ul>\(items)</ul></div>
                """
        }
        if saved { body += "<p class=\"notice\" role=\"status\">\(t("saved", l))</p>" }
        if withdrawn { body += "<p class=\"notice\" role=\"status\">\(t("withdrawn", l))</p>" }
        body += "<dl><dt>\(t("meeting", l))</dt><dd>\(e(meeting.title)) · \(e(when))</dd>"
        if let deadline = p.minutes.approval.deadline {
            let until = t("deadline.until", l).replacingOccurrences(of: "{date}", with: MeetingText.longDate(deadline, language))
            body += "<dt>\(t("deadline", l))</dt><dd>\(e(until))</dd>"
        }
        body += "</dl>"
        if p.isOpen {
            let textIssue = issues.first { $0.field == "text" }
            let sectionIssue = issues.first { $0.field == "section" }
            let options = p.sections.map { s in
                "<option value=\"\(e(s.value))\"\(s.value == section ? " selected" : "")>\(e(s.label))</option>"
            }.joined()
            body += """
                <p>\(t("intro", l))</p>
                <form method="post" action="\(e(path))\(l == .en ? "?lang=en" : "")" novalidate>
                <input type="hidden" name="lang" value="\(l.rawValue)">
                <div class="question\(sectionIssue == nil ? "" : " has-error")"><label for="section">\(t("section", l))</label>\(sectionIssue.map { "<p class=\"field-error\" id=\"section-error\">\(e(message($0, l)))</p>" } ?? "")
                <select id="section" name="section"\(sectionIssue == nil ? "" : " aria-describedby=\"section-error\" aria-invalid=\"true\"")>\(options)</select></div>
                <div class="question\(textIssue == nil ? "" : " has-error")"><label for="text">\(t("text", l))</label><p class="help" id="text-help">\(t("text.hint", l))</p>\(textIssue.map { "<p class=\"field-error\" id=\"text-error\">\(e(message($0, l)))</p>" } ?? "")
                <textarea id="text" name="text" rows="6" maxlength="4000" aria-describedby="text-help\(textIssue == nil ? "" : " text-error")"\(textIssue == nil ? "" : " aria-invalid=\"true\"")>\(e(text))</textarea></div>
                <button type="submit">\(t("submit", l))</button>
                </form>
                """
        } else {
            body += "<p class=\"notice\">\(t("closed", l))</p>"
        }
        body += "<section aria-labelledby=\"own-h\"><h2 id=\"own-h\">\(t("own", l))</h2>"
        if p.own.isEmpty {
            body += "<p>\(t("none", l))</p>"
        } else {
            body += "<ul class=\"objections\">" + p.own.map { o in
                var item = "<li><p><strong>\(e(p.label(o.section) ?? o.section?.description ?? ""))</strong> (\(t("state.\(o.state.rawValue)", l)))</p>"
                item += "<p>\(e(o.text).replacingOccurrences(of: "\n", with: "<br>"))</p>"
                if let answer = o.answer { item += "<p>\(t("answer", l)): \(e(answer.text).replacingOccurrences(of: "\n", with: "<br>"))</p>" }
                if p.isOpen, o.state == .open {
                    item += """
                        <form method="post" action="\(e(path))/withdraw\(l == .en ? "?lang=en" : "")"><input type="hidden" name="lang" value="\(l.rawValue)">\
                        <input type="hidden" name="objection" value="\(e(o.id.description))"><button type="submit">\(t("withdraw", l))</button></form>
                        """
                }
                return item + "</li>"
            }.joined() + "</ul>"
        }
        body += "</section>"
        return PanelPage.document(t("title", l), l, panel: nil, path: path, body)
    }

    /// A refusal as a page (invalid or expired link, not present, deadline passed, …).
    public static func error(_ error: DomainError, _ l: PanelLanguage) -> String {
        let message: String = switch error.code {
        case "objection.invalidLink": t("invalid", l)
        case "minutes.notAttendee": t("notAttendee", l)
        case "minutes.deadlinePassed", "minutes.notCirculated": t("deadlinePassed", l)
        default: l == .de ? "Das hat leider nicht geklappt. Bitte versuchen Sie es noch einmal." : error.message
        }
        return PanelPage.document(t("error.title", l), l, panel: nil, path: "/", "<h1>\(t("error.title", l))</h1><p>\(e(message))</p>")
    }
}
