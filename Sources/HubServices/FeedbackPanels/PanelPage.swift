import Foundation
import HubCore

/// The posted fields of a panel form (`application/x-www-form-urlencoded`), multi-valued.
public struct PanelForm: Sendable, Hashable {
    public var fields: [String: [String]]

    public init(_ fields: [String: [String]] = [:]) { self.fields = fields }

    /// Parses a urlencoded body: `+` is a space, percent escapes are UTF-8; malformed escapes are kept as typed.
    public init(urlencoded body: String) {
        var fields: [String: [String]] = [:]
        for pair in body.split(separator: "&", omittingEmptySubsequences: true) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            func decode(_ s: Substring) -> String {
                let spaced = s.replacingOccurrences(of: "+", with: " ")
                return spaced.removingPercentEncoding ?? spaced
            }
            let name = decode(parts[0])
            fields[name, default: []].append(parts.count > 1 ? decode(parts[1]) : "")
        }
        self.fields = fields
    }

    public func value(_ name: String) -> String? { fields[name]?.first }
    public func values(_ name: String) -> [String] { fields[name] ?? [] }

    /// A non-blank value, trimmed.
    public func text(_ name: String) -> String? {
        guard let v = value(name)?.trimmingCharacters(in: .whitespacesAndNewlines), !v.isEmpty else { return nil }
        return v
    }

    /// The answers and section feedback as typed values, by the panel's question kinds.
    public func input(for panel: FeedbackPanel) -> SubmissionInput {
        var answers: [PanelAnswer] = []
        for q in panel.questions {
            let name = "q.\(q.id)"
            switch q.kind {
            case .scale:
                if let v = text(name) { answers.append(PanelAnswer(questionID: q.id, value: .scale(Int(v) ?? 0))) }
            case .singleChoice:
                if let v = text(name) { answers.append(PanelAnswer(questionID: q.id, value: .choice(v))) }
            case .multipleChoice:
                let chosen = values(name).filter { !$0.isEmpty }
                if !chosen.isEmpty { answers.append(PanelAnswer(questionID: q.id, value: .choices(chosen))) }
            case .freeText:
                if let v = value(name), !v.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
                    answers.append(PanelAnswer(questionID: q.id, value: .text(v)))
                }
            }
        }
        var sections: [SectionFeedback] = []
        for section in panel.sections {
            let rating = text("s.\(section.rawValue).rating").map { Int($0) ?? 0 }
            let comment = value("s.\(section.rawValue).comment").flatMap { $0.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty ? nil : $0 }
            if rating != nil || comment != nil { sections.append(SectionFeedback(section: section, rating: rating, comment: comment)) }
        }
        return SubmissionInput(answers: answers, sections: sections, pseudonym: text("pseudonym"), email: text("email"))
    }

    /// The form fields that show a submission (to prefill the change form).
    public static func values(of content: SubmissionContent, pseudonym: String?) -> PanelForm {
        var fields: [String: [String]] = [:]
        for answer in content.answers {
            let name = "q.\(answer.questionID)"
            switch answer.value {
            case .scale(let p): fields[name] = [String(p)]
            case .choice(let k): fields[name] = [k]
            case .choices(let ks): fields[name] = ks
            case .text(let t): fields[name] = [t]
            }
        }
        for f in content.sections {
            if let r = f.rating { fields["s.\(f.section.rawValue).rating"] = [String(r)] }
            if let c = f.comment { fields["s.\(f.section.rawValue).comment"] = [c] }
        }
        if let pseudonym { fields["pseudonym"] = [pseudonym] }
        return PanelForm(fields)
    }
}

/// The public panel pages as server-rendered HTML that works without JavaScript: the form,
/// the receipt, the receipt's view/change/withdraw forms and the public responses. German
/// first, English with `lang=en` when the panel offers it. Every text from people goes
/// through `Markdown.escapeHTML` (or `Markdown.html` for the draft's Markdown sections).
public enum PanelPage {
    static func e(_ text: String) -> String { Markdown.escapeHTML(text) }

    /// UI strings, German and English.
    public static func t(_ key: String, _ l: PanelLanguage) -> String {
        let de: [String: String] = [
            "skip": "Zum Inhalt springen", "lang.switch": "English", "lang.name": "Sprache",
            "audience": "Wen wir fragen", "summary": "Worum es geht", "easy": "In Leichter Sprache",
            "phase.upcoming": "Die Befragung beginnt am %@.", "phase.open": "Antworten sind bis einschließlich %@ möglich.",
            "phase.closed": "Die Befragung ist beendet. Vielen Dank an alle, die geantwortet haben.",
            "phase.archived": "Die Befragung ist beendet und archiviert.", "phase.draft": "Entwurf: nur für die Arbeitsgruppe sichtbar.",
            "form.title": "Ihre Rückmeldung", "form.optional": "Alle Fragen sind freiwillig, außer sie sind als Pflicht markiert.",
            "required": "Pflicht", "section.rating": "Wie sehr stimmen Sie zu?", "section.comment": "Ihr Kommentar (freiwillig)",
            "section.draft": "Was im Entwurf steht", "about.you": "Über Sie (freiwillig)",
            "pseudonym": "Wie sollen wir Sie nennen? (Name oder Spitzname, freiwillig)",
            "pseudonym.hint": "Wird nie öffentlich gezeigt.",
            "email": "E-Mail-Adresse (freiwillig)", "email.hint": "Nur damit wir Ihnen Bescheid geben können, wenn es eine Antwort gibt. Niemand sonst sieht sie.",
            "consent.title": "Einwilligung", "consent.agree": "Ich habe das gelesen und bin einverstanden.",
            "honeypot": "Dieses Feld bitte leer lassen", "submit": "Rückmeldung absenden",
            "invite": "Einladungs-Code", "invite.hint": "Diese Befragung ist nur mit einem Einladungs-Code möglich. Sie finden ihn auf Ihrer Einladung.",
            "invite.submit": "Weiter",
            "errors.title": "Bitte prüfen Sie Ihre Angaben", "errors.intro": "Es gibt %@ Hinweis(e):",
            "thanks.title": "Vielen Dank für Ihre Rückmeldung!", "thanks.pending": "Die Arbeitsgruppe schaut sich Ihre Rückmeldung an, bevor sie sichtbar wird.",
            "thanks.visible": "Ihre Rückmeldung ist bei der Arbeitsgruppe angekommen.",
            "code.title": "Ihr Beleg-Code", "code.keep": "Schreiben Sie diesen Code auf oder machen Sie ein Foto davon. Wir zeigen ihn nur dieses eine Mal.",
            "code.use": "Mit dem Code können Sie Ihre Rückmeldung später ansehen, ändern oder zurückziehen und die Antwort der Arbeitsgruppe lesen.",
            "code.print": "Diese Seite drucken", "receipt.link": "Beleg öffnen",
            "duplicate.title": "Ihre Rückmeldung ist schon angekommen", "duplicate.text": "Wir haben dieselbe Rückmeldung am %@ erhalten. Sie müssen sie nicht noch einmal senden. Ihren Beleg-Code haben Sie beim ersten Absenden bekommen.",
            "receipt.title": "Beleg öffnen", "receipt.intro": "Geben Sie Ihren Beleg-Code ein. Groß- und Kleinschreibung und Bindestriche sind egal.",
            "receipt.code": "Beleg-Code", "receipt.open": "Öffnen", "receipt.notFound": "Zu diesem Code haben wir keine Rückmeldung gefunden. Bitte prüfen Sie ihn auf Tippfehler.",
            "mine.title": "Ihre Rückmeldung", "mine.status": "Stand", "status.pending": "wird geprüft", "status.visible": "sichtbar für die Arbeitsgruppe",
            "status.hidden": "ausgeblendet", "status.withdrawn": "zurückgezogen", "mine.hidden": "Grund für das Ausblenden",
            "mine.response": "Antwort der Arbeitsgruppe", "mine.noResponse": "Noch keine Antwort.", "mine.revision": "Übernommen in Fassung %@ des Entwurfs.",
            "mine.received": "Eingegangen am", "mine.email": "E-Mail für Benachrichtigung",
            "change.title": "Rückmeldung ändern", "change.submit": "Änderungen speichern", "changed": "Ihre Änderungen sind gespeichert.",
            "withdraw.title": "Rückmeldung zurückziehen", "withdraw.text": "Ihre Antworten, Ihr Name und Ihre E-Mail-Adresse werden sofort gelöscht. Das kann man nicht rückgängig machen.",
            "withdraw.submit": "Rückmeldung zurückziehen", "withdrawn": "Ihre Rückmeldung ist zurückgezogen und gelöscht.",
            "withdraw.confirm": "Ja, ich möchte meine Rückmeldung endgültig zurückziehen.",
            "responses.title": "Was aus den Rückmeldungen wurde", "responses.none": "Es gibt noch keine veröffentlichten Antworten.",
            "responses.said": "Rückmeldung", "responses.did": "Antwort", "responses.link": "Antworten der Arbeitsgruppe lesen",
            "back": "Zurück zur Befragung", "none": "(keine Angabe)", "error.title": "Das hat nicht geklappt",
            "conflict": "Die Rückmeldung wurde inzwischen geändert. Bitte öffnen Sie den Beleg neu.",
        ]
        let en: [String: String] = [
            "skip": "Skip to content", "lang.switch": "Deutsch", "lang.name": "Language",
            "audience": "Who we ask", "summary": "What it is about", "easy": "In easy-to-read German (Leichte Sprache)",
            "phase.upcoming": "The panel opens on %@.", "phase.open": "You can answer until and including %@.",
            "phase.closed": "The panel has ended. Thank you to everyone who answered.",
            "phase.archived": "The panel has ended and is archived.", "phase.draft": "Draft: visible to the working group only.",
            "form.title": "Your feedback", "form.optional": "All questions are optional unless marked as required.",
            "required": "required", "section.rating": "How much do you agree?", "section.comment": "Your comment (optional)",
            "section.draft": "What the draft says", "about.you": "About you (optional)",
            "pseudonym": "What should we call you? (name or nickname, optional)", "pseudonym.hint": "Never shown publicly.",
            "email": "E-mail address (optional)", "email.hint": "Only so we can tell you when there is a response. Nobody else sees it.",
            "consent.title": "Consent", "consent.agree": "I have read this and agree.",
            "honeypot": "Leave this field empty", "submit": "Send feedback",
            "invite": "Invite code", "invite.hint": "This panel is answered with an invite code. You find it on your invitation.",
            "invite.submit": "Continue",
            "errors.title": "Please check your answers", "errors.intro": "There are %@ problem(s):",
            "thanks.title": "Thank you for your feedback!", "thanks.pending": "The working group looks at your feedback before it becomes visible.",
            "thanks.visible": "Your feedback has reached the working group.",
            "code.title": "Your receipt code", "code.keep": "Write this code down or take a photo of it. We show it only this once.",
            "code.use": "With the code you can later view, change or withdraw your feedback and read the working group's response.",
            "code.print": "Print this page", "receipt.link": "Open a receipt",
            "duplicate.title": "Your feedback has already arrived", "duplicate.text": "We received the same feedback on %@. You do not need to send it again. You got your receipt code the first time.",
            "receipt.title": "Open a receipt", "receipt.intro": "Enter your receipt code. Upper or lower case and hyphens do not matter.",
            "receipt.code": "Receipt code", "receipt.open": "Open", "receipt.notFound": "We found no feedback for this code. Please check it for typing errors.",
            "mine.title": "Your feedback", "mine.status": "Status", "status.pending": "being reviewed", "status.visible": "visible to the working group",
            "status.hidden": "hidden", "status.withdrawn": "withdrawn", "mine.hidden": "Why it was hidden",
            "mine.response": "The working group's response", "mine.noResponse": "No response yet.", "mine.revision": "Taken up in revision %@ of the draft.",
            "mine.received": "Received on", "mine.email": "E-mail for notices",
            "change.title": "Change your feedback", "change.submit": "Save changes", "changed": "Your changes are saved.",
            "withdraw.title": "Withdraw your feedback", "withdraw.text": "Your answers, your name and your e-mail address are deleted at once. This cannot be undone.",
            "withdraw.submit": "Withdraw feedback", "withdrawn": "Your feedback is withdrawn and deleted.",
            "withdraw.confirm": "Yes, I want to withdraw my feedback for good.",
            "responses.title": "What became of the feedback", "responses.none": "No responses have been published yet.",
            "responses.said": "Feedback", "responses.did": "Response", "responses.link": "Read the working group's responses",
            "back": "Back to the panel", "none": "(no answer)", "error.title": "That did not work",
            "conflict": "The feedback was changed meanwhile. Please open the receipt again.",
        ]
        return (l == .de ? de : en)[key] ?? key
    }

    static func t(_ key: String, _ l: PanelLanguage, _ arg: String) -> String {
        t(key, l).replacingOccurrences(of: "%@", with: arg)
    }

    /// A day as people write it: `31. Mai 2026` / `31 May 2026`.
    static func day(_ d: LocalDate, _ l: PanelLanguage) -> String {
        let de = ["Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September", "Oktober", "November", "Dezember"]
        let en = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"]
        return l == .de ? "\(d.day). \(de[d.month - 1]) \(d.year)" : "\(d.day) \(en[d.month - 1]) \(d.year)"
    }

    static func query(_ l: PanelLanguage) -> String { l == .en ? "?lang=en" : "" }

    /// The document frame. `robots: noindex` because panels are for the people asked, not for search engines.
    static func document(_ title: String, _ l: PanelLanguage, panel: FeedbackPanel?, path: String, _ body: String) -> String {
        var switcher = ""
        if let panel, panel.offersEnglish {
            let other: PanelLanguage = l == .de ? .en : .de
            switcher = "<nav aria-label=\"\(t("lang.name", l))\"><a href=\"\(e(path + query(other)))\" lang=\"\(other.rawValue)\" hreflang=\"\(other.rawValue)\">\(t("lang.switch", l))</a></nav>"
        }
        return """
            <!doctype html>
            <html lang="\(l.rawValue)">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <meta name="robots" content="noindex">
            <title>\(e(title))</title>
            <link rel="stylesheet" href="/styles/panel.css">
            </head>
            <body class="panel-page">
            <a class="skip" href="#main">\(t("skip", l))</a>
            <header class="panel-header"><span class="brand">Roundtable · Sozialplanung</span>\(switcher)</header>
            <main id="main" tabindex="-1">
            \(body)
            </main>
            </body>
            </html>
            """
    }

    static func paragraphs(_ text: String) -> String {
        text.components(separatedBy: "\n\n").map { "<p>" + e($0).replacingOccurrences(of: "\n", with: "<br>") + "</p>" }.joined()
    }

    static func intro(_ panel: FeedbackPanel, _ phase: PanelPhase, _ l: PanelLanguage) -> String {
        var html = "<h1>\(e(panel.title.text(in: l)))</h1>"
        let phaseText: String = switch phase {
        case .upcoming: t("phase.upcoming", l, day(panel.opensOn, l))
        case .open: t("phase.open", l, day(panel.closesOn, l))
        case .closed: t("phase.closed", l)
        case .archived: t("phase.archived", l)
        case .draft: t("phase.draft", l)
        }
        html += "<p class=\"phase phase-\(phase.rawValue)\">\(e(phaseText))</p>"
        html += "<section aria-labelledby=\"summary-h\"><h2 id=\"summary-h\">\(t("summary", l))</h2>\(paragraphs(panel.summary.text(in: l)))"
        html += "<p><strong>\(t("audience", l)):</strong> \(e(panel.audience.text(in: l)))</p>"
        if let easy = panel.easyReadSummary {
            html += "<details class=\"easy\" lang=\"de\"><summary>\(t("easy", l))</summary>\(paragraphs(easy.de))</details>"
        }
        html += "</section>"
        return html
    }

    /// The anchor of the form control an issue is about.
    public static func anchor(for field: String, panel: FeedbackPanel) -> String {
        if field.hasPrefix("answers["), let end = field.firstIndex(of: "]") {
            let id = field[field.index(field.startIndex, offsetBy: 8)..<end]
            return "q-\(id)-0"
        }
        if field == "answers", let first = panel.questions.first { return "q-\(first.id)-0" }
        if field.hasPrefix("sections["), let end = field.firstIndex(of: "]") {
            let section = field[field.index(field.startIndex, offsetBy: 9)..<end]
            return field.hasSuffix(".comment") ? "s-\(section)-comment" : "s-\(section)-rating-0"
        }
        if field == "confirmWithdrawal" { return "withdraw-confirm" }
        return ["consent", "pseudonym", "email", "invite", "code"].contains(field) ? field : "form-h"
    }

    /// Messages in the page's language for the codes the core uses.
    static func message(_ issue: FieldIssue, _ l: PanelLanguage, panel: FeedbackPanel) -> String {
        let subject: String = {
            if issue.field.hasPrefix("answers["), let q = panel.questions.first(where: { issue.field == "answers[\($0.id)]" }) {
                return q.prompt.text(in: l)
            }
            if issue.field.hasPrefix("sections["), let s = panel.sections.first(where: { issue.field.hasPrefix("sections[\($0.rawValue)]") }) {
                return PanelExport.sectionLabel(s).text(in: l)
            }
            switch issue.field {
            case "consent": return t("consent.title", l)
            case "confirmWithdrawal": return t("withdraw.title", l)
            case "pseudonym": return l == .de ? "Name" : "Name"
            case "email": return l == .de ? "E-Mail-Adresse" : "E-mail address"
            default: return l == .de ? "Angaben" : "Answers"
            }
        }()
        let text: String = switch (issue.code, l) {
        case ("required", .de) where issue.field == "consent": "Bitte stimmen Sie zu, wie Ihre Antworten verwendet werden."
        case ("required", .en) where issue.field == "consent": "Please agree to how your answers are used."
        case ("required", .de) where issue.field == "confirmWithdrawal": "Bitte bestätigen Sie mit dem Häkchen, dass Sie die Rückmeldung löschen möchten."
        case ("required", .en) where issue.field == "confirmWithdrawal": "Please tick the box to confirm that your feedback is to be deleted."
        case ("outdated", .de): "Der Einwilligungstext hat sich geändert. Bitte lesen Sie ihn noch einmal."
        case ("outdated", .en): "The consent text has changed; please read it again."
        case ("required", .de): "Bitte beantworten Sie diese Frage."
        case ("required", .en): "Please answer this question."
        case ("empty", .de): "Bitte beantworten Sie mindestens eine Frage."
        case ("empty", .en): "Please answer at least one question."
        case ("tooLong", .de): "Der Text ist zu lang."
        case ("tooLong", .en): "The text is too long."
        case ("invalidCharacters", .de): "Der Text enthält Zeichen, die nicht erlaubt sind."
        case ("invalidCharacters", .en): "The text contains characters that are not allowed."
        case ("tooFew", .de), ("tooMany", .de): "Bitte wählen Sie eine passende Anzahl aus. " + issue.message
        case (_, .de): "Bitte prüfen Sie diese Angabe."
        case (_, .en): issue.message
        }
        return "\(subject): \(text)"
    }

    static func errorSummary(_ issues: [FieldIssue], _ l: PanelLanguage, panel: FeedbackPanel) -> String {
        guard !issues.isEmpty else { return "" }
        let items = issues.map { "<li><a href=\"#\(e(anchor(for: $0.field, panel: panel)))\">\(e(message($0, l, panel: panel)))</a></li>" }.joined()
        return """
            <div class="error-summary" role="alert" aria-labelledby="errors-h" tabindex="-1" id="errors">
            <h2 id="errors-h">\(t("errors.title", l))</h2><p>\(t("errors.intro", l, String(issues.count)))</p><ul>\(items)</ul></div>
            """
    }

    static func issueText(_ issues: [FieldIssue], _ anchor: String, _ l: PanelLanguage, panel: FeedbackPanel) -> (String, String) {
        let mine = issues.filter { Self.anchor(for: $0.field, panel: panel) == anchor }
        guard !mine.isEmpty else { return ("", "") }
        let id = "\(anchor)-error"
        return ("<p class=\"field-error\" id=\"\(id)\">\(mine.map { e(message($0, l, panel: panel)) }.joined(separator: " "))</p>", id)
    }

    /// The questions and sections (shared by the new-feedback and the change forms).
    static func fields(_ panel: FeedbackPanel, sectionTexts: [ProfileSection: String], _ l: PanelLanguage, _ v: PanelForm, _ issues: [FieldIssue]) -> String {
        var html = ""
        for (index, q) in panel.questions.enumerated() {
            let name = "q.\(q.id)"
            let base = "q-\(q.id)"
            let (err, errID) = issueText(issues, "\(base)-0", l, panel: panel)
            let described = [q.help != nil ? "\(base)-help" : nil, errID.isEmpty ? nil : errID].compactMap { $0 }.joined(separator: " ")
            let aria = described.isEmpty ? "" : " aria-describedby=\"\(described)\""
            let req = q.required ? " <span class=\"req\">(\(t("required", l)))</span>" : ""
            let help = q.help.map { "<p class=\"help\" id=\"\(base)-help\">\(e($0.text(in: l)))</p>" } ?? ""
            let invalid = errID.isEmpty ? "" : " aria-invalid=\"true\""
            switch q.kind {
            case .freeText(let max):
                html += """
                    <div class="question\(err.isEmpty ? "" : " has-error")"><label for="\(base)-0">\(index + 1). \(e(q.prompt.text(in: l)))\(req)</label>\(help)\(err)
                    <textarea id="\(base)-0" name="\(e(name))" rows="4" maxlength="\(max)"\(aria)\(invalid)>\(e(v.value(name) ?? ""))</textarea></div>
                    """
            case .scale(let labels):
                let chosen = v.value(name)
                let options = labels.enumerated().map { i, label in
                    let value = String(i + 1)
                    return "<div class=\"choice\"><input type=\"radio\" id=\"\(base)-\(i)\" name=\"\(e(name))\" value=\"\(value)\"\(chosen == value ? " checked" : "")\(i == 0 ? aria : "")><label for=\"\(base)-\(i)\">\(value) – \(e(label.text(in: l)))</label></div>"
                }.joined()
                html += "<fieldset class=\"question scale\(err.isEmpty ? "" : " has-error")\"\(aria)><legend>\(index + 1). \(e(q.prompt.text(in: l)))\(req)</legend>\(help)\(err)\(options)</fieldset>"
            case .singleChoice(let options), .multipleChoice(let options, _, _):
                let multiple: Bool = if case .multipleChoice = q.kind { true } else { false }
                let chosen = Set(v.values(name))
                let inputs = options.enumerated().map { i, option in
                    "<div class=\"choice\"><input type=\"\(multiple ? "checkbox" : "radio")\" id=\"\(base)-\(i)\" name=\"\(e(name))\" value=\"\(e(option.key))\"\(chosen.contains(option.key) ? " checked" : "")><label for=\"\(base)-\(i)\">\(e(option.label.text(in: l)))</label></div>"
                }.joined()
                html += "<fieldset class=\"question\(err.isEmpty ? "" : " has-error")\"\(aria)><legend>\(index + 1). \(e(q.prompt.text(in: l)))\(req)</legend>\(help)\(err)\(inputs)</fieldset>"
            }
        }
        for section in panel.sections {
            let label = PanelExport.sectionLabel(section).text(in: l)
            let base = "s-\(section.rawValue)"
            let ratingName = "s.\(section.rawValue).rating", commentName = "s.\(section.rawValue).comment"
            let (ratingErr, ratingErrID) = issueText(issues, "\(base)-rating-0", l, panel: panel)
            let (commentErr, commentErrID) = issueText(issues, "\(base)-comment", l, panel: panel)
            let chosen = v.value(ratingName)
            let draft = sectionTexts[section].map { text in
                text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty ? "" : "<details class=\"draft-text\"><summary>\(t("section.draft", l))</summary><div lang=\"de\">\(Markdown.html(text))</div></details>"
            } ?? ""
            let radios = SectionRating.labels.enumerated().map { i, rl in
                let value = String(i + 1)
                return "<div class=\"choice\"><input type=\"radio\" id=\"\(base)-rating-\(i)\" name=\"\(ratingName)\" value=\"\(value)\"\(chosen == value ? " checked" : "")><label for=\"\(base)-rating-\(i)\">\(value) – \(e(rl.text(in: l)))</label></div>"
            }.joined()
            html += """
                <fieldset class="section-feedback"><legend>\(e(label))</legend>\(draft)
                <fieldset class="scale\(ratingErr.isEmpty ? "" : " has-error")"\(ratingErrID.isEmpty ? "" : " aria-describedby=\"\(ratingErrID)\"")><legend>\(t("section.rating", l))</legend>\(ratingErr)\(radios)</fieldset>
                <div class="question\(commentErr.isEmpty ? "" : " has-error")"><label for="\(base)-comment">\(t("section.comment", l))</label>\(commentErr)
                <textarea id="\(base)-comment" name="\(commentName)" rows="3" maxlength="\(SubmissionValidation.sectionCommentMaxLength)"\(commentErrID.isEmpty ? "" : " aria-describedby=\"\(commentErrID)\" aria-invalid=\"true\"")>\(e(v.value(commentName) ?? ""))</textarea></div>
                </fieldset>
                """
        }
        return html
    }

    static func aboutYou(_ l: PanelLanguage, _ v: PanelForm, _ issues: [FieldIssue], panel: FeedbackPanel) -> String {
        let (pErr, pErrID) = issueText(issues, "pseudonym", l, panel: panel)
        let (mErr, mErrID) = issueText(issues, "email", l, panel: panel)
        return """
            <fieldset class="about"><legend>\(t("about.you", l))</legend>
            <div class="question\(pErr.isEmpty ? "" : " has-error")"><label for="pseudonym">\(t("pseudonym", l))</label><p class="help" id="pseudonym-help">\(t("pseudonym.hint", l))</p>\(pErr)
            <input type="text" id="pseudonym" name="pseudonym" maxlength="\(SubmissionValidation.pseudonymMaxLength)" autocomplete="nickname" aria-describedby="pseudonym-help\(pErrID.isEmpty ? "" : " " + pErrID)" value="\(e(v.value("pseudonym") ?? ""))"></div>
            <div class="question\(mErr.isEmpty ? "" : " has-error")"><label for="email">\(t("email", l))</label><p class="help" id="email-help">\(t("email.hint", l))</p>\(mErr)
            <input type="email" id="email" name="email" maxlength="\(SubmissionValidation.emailMaxLength)" autocomplete="email" aria-describedby="email-help\(mErrID.isEmpty ? "" : " " + mErrID)" value="\(e(v.value("email") ?? ""))"></div>
            </fieldset>
            """
    }

    /// The consent text, rendered from the panel's settings (purpose, retention, contact,
    /// whether responses and quotes are public); its version is posted back.
    public static func consentText(_ panel: FeedbackPanel, _ l: PanelLanguage) -> String {
        let erase = day(panel.closesOn.adding(days: panel.retentionDays), l)
        switch l {
        case .de:
            var text = "Ihre Antworten helfen der Arbeitsgruppe, den Entwurf „\(panel.title.de)“ zu verbessern. Die Arbeitsgruppe und die Sozialplanung des Kreises lesen sie. "
            text += "Name und E-Mail-Adresse sind freiwillig. Sie, Ihr Beleg-Code und alle Angaben, die auf Sie hindeuten könnten, werden \(panel.retentionDays) Tage nach dem Ende der Befragung gelöscht (spätestens am \(erase)); die Antworten bleiben danach ohne Bezug zu Ihnen erhalten. "
            text += "Wir speichern keine IP-Adresse. "
            if panel.publicResponses && panel.access == .publicLink {
                text += "Antworten der Arbeitsgruppe werden mit Ihren freien Texten (ohne Namen) auf der öffentlichen Seite der Befragung gezeigt. "
            }
            text += "Sie können Ihre Einwilligung jederzeit mit Ihrem Beleg-Code widerrufen. Kontakt: Stabsstelle Sozialplanung und Steuerung des Kreises. (Fassung \(panel.consentVersion))"
            return text
        case .en:
            var text = "Your answers help the working group improve the draft \"\(panel.title.text(in: .en))\". The working group and the district's social planning staff read them. "
            text += "Name and e-mail address are optional. They, your receipt code and anything that could point to you are deleted \(panel.retentionDays) days after the panel ends (at the latest on \(erase)); the answers are kept afterwards without any link to you. "
            text += "We store no IP address. "
            if panel.publicResponses && panel.access == .publicLink {
                text += "The working group's responses are shown with your free texts (without names) on the panel's public page. "
            }
            text += "You can withdraw your consent at any time with your receipt code. Contact: the district's social planning and steering unit. (Version \(panel.consentVersion))"
            return text
        }
    }

    /// The public page with the form (or the phase notice when it takes no answers).
    public static func form(_ page: PanelSubmissions.Page, _ l: PanelLanguage, values: PanelForm = PanelForm(), issues: [FieldIssue] = [],
                            inviteCode: String? = nil) -> String {
        let panel = page.panel
        let path = "/p/\(panel.id)"
        var body = errorSummary(issues, l, panel: panel) + intro(panel, page.phase, l)
        if page.needsInvite {
            let (err, errID) = issueText(issues, "invite", l, panel: panel)
            body += """
                <form method="get" action="\(path)" class="invite-form"><input type="hidden" name="lang" value="\(l.rawValue)">
                <div class="question\(err.isEmpty ? "" : " has-error")"><label for="invite">\(t("invite", l))</label><p class="help" id="invite-help">\(t("invite.hint", l))</p>\(err)
                <input type="text" id="invite" name="invite" autocomplete="off" autocapitalize="characters" spellcheck="false" aria-describedby="invite-help\(errID.isEmpty ? "" : " " + errID)"></div>
                <button type="submit">\(t("invite.submit", l))</button></form>
                """
        } else if page.phase == .open || page.phase == .draft {
            let (cErr, cErrID) = issueText(issues, "consent", l, panel: panel)
            let inviteField = panel.access == .inviteOnly ? "<input type=\"hidden\" name=\"invite\" value=\"\(e(inviteCode ?? values.value("invite") ?? ""))\">" : ""
            body += """
                <section aria-labelledby="form-h"><h2 id="form-h" tabindex="-1">\(t("form.title", l))</h2><p>\(t("form.optional", l))</p>
                <form method="post" action="\(path)\(query(l))" novalidate>
                <input type="hidden" name="lang" value="\(l.rawValue)">\(inviteField)
                \(fields(panel, sectionTexts: page.sectionTexts, l, values, issues))
                \(aboutYou(l, values, issues, panel: panel))
                <fieldset class="consent\(cErr.isEmpty ? "" : " has-error")"><legend>\(t("consent.title", l))</legend><p id="consent-text">\(e(consentText(panel, l)))</p>\(cErr)
                <div class="choice"><input type="checkbox" id="consent" name="consent" value="\(e(panel.consentVersion))" aria-describedby="consent-text\(cErrID.isEmpty ? "" : " " + cErrID)"\(values.value("consent") == panel.consentVersion ? " checked" : "")><label for="consent">\(t("consent.agree", l))</label></div></fieldset>
                <div class="hp" aria-hidden="true"><label for="website">\(t("honeypot", l))</label><input type="text" id="website" name="website" tabindex="-1" autocomplete="off"></div>
                <button type="submit">\(t("submit", l))</button>
                </form></section>
                """
        }
        body += links(panel, l, responses: !page.needsInvite && panel.publicResponses && panel.access == .publicLink && panel.status != .draft)
        return document(panel.title.text(in: l), l, panel: panel, path: path, body)
    }

    static func links(_ panel: FeedbackPanel, _ l: PanelLanguage, responses: Bool, back: Bool = false) -> String {
        var items: [String] = []
        if back { items.append("<li><a href=\"/p/\(panel.id)\(query(l))\">\(t("back", l))</a></li>") }
        items.append("<li><a href=\"/p/\(panel.id)/receipt\(query(l))\">\(t("receipt.link", l))</a></li>")
        if responses { items.append("<li><a href=\"/p/\(panel.id)/responses\(query(l))\">\(t("responses.link", l))</a></li>") }
        return "<nav class=\"panel-links\" aria-label=\"\(l == .de ? "Weitere Seiten" : "More pages")\"><ul>\(items.joined())</ul></nav>"
    }

    /// The answer to an accepted (or honeypot-discarded) submission: the code, shown once.
    public static func thanks(_ panel: FeedbackPanel, _ l: PanelLanguage, receipt: PanelCode, pending: Bool) -> String {
        let body = """
            <h1>\(t("thanks.title", l))</h1>
            <p>\(t(pending ? "thanks.pending" : "thanks.visible", l))</p>
            <section class="receipt-code" aria-labelledby="code-h"><h2 id="code-h">\(t("code.title", l))</h2>
            <p class="code" lang="en" translate="no"><strong>\(e(receipt.formatted))</strong></p>
            <p>\(t("code.keep", l))</p><p>\(t("code.use", l))</p></section>
            \(links(panel, l, responses: false, back: true))
            """
        return document(t("thanks.title", l), l, panel: panel, path: "/p/\(panel.id)", body)
    }

    public static func duplicate(_ panel: FeedbackPanel, _ l: PanelLanguage, receivedAt: Date) -> String {
        let when = day(LocalDate.berlin(receivedAt), l) + " " + clock(receivedAt)
        let body = "<h1>\(t("duplicate.title", l))</h1><p>\(e(t("duplicate.text", l, when)))</p>" + links(panel, l, responses: false, back: true)
        return document(t("duplicate.title", l), l, panel: panel, path: "/p/\(panel.id)", body)
    }

    static func clock(_ date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "Europe/Berlin") ?? .gmt
        let c = calendar.dateComponents([.hour, .minute], from: date)
        return String(format: "%02d:%02d", c.hour ?? 0, c.minute ?? 0)
    }

    /// The form to enter a receipt code (POST, so the code never appears in a URL or a log).
    public static func receiptEntry(_ panel: FeedbackPanel, _ l: PanelLanguage, notFound: Bool = false) -> String {
        let err = notFound ? "<p class=\"field-error\" id=\"code-error\">\(t("receipt.notFound", l))</p>" : ""
        let summary = notFound ? """
            <div class="error-summary" role="alert" aria-labelledby="errors-h" tabindex="-1" id="errors"><h2 id="errors-h">\(t("errors.title", l))</h2>
            <ul><li><a href="#code">\(t("receipt.notFound", l))</a></li></ul></div>
            """ : ""
        let body = """
            \(summary)<h1>\(t("receipt.title", l))</h1><p class="panel-name">\(e(panel.title.text(in: l)))</p>
            <form method="post" action="/p/\(panel.id)/receipt\(query(l))"><input type="hidden" name="action" value="view"><input type="hidden" name="lang" value="\(l.rawValue)">
            <div class="question\(notFound ? " has-error" : "")"><label for="code">\(t("receipt.code", l))</label><p class="help" id="code-help">\(t("receipt.intro", l))</p>\(err)
            <input type="text" id="code" name="code" autocomplete="off" autocapitalize="characters" spellcheck="false" aria-describedby="code-help\(notFound ? " code-error" : "")"\(notFound ? " aria-invalid=\"true\"" : "")></div>
            <button type="submit">\(t("receipt.open", l))</button></form>
            \(links(panel, l, responses: false, back: true))
            """
        return document(t("receipt.title", l), l, panel: panel, path: "/p/\(panel.id)/receipt", body)
    }

    /// What the receipt opens: the person's feedback, its status, the hidden reason, the
    /// response, and the change and withdraw forms (carrying the code in the POST body).
    public static func receipt(_ r: PanelSubmissions.Receipt, code: String, _ l: PanelLanguage, notice: String? = nil,
                               sectionTexts: [ProfileSection: String] = [:], values: PanelForm? = nil, issues: [FieldIssue] = []) -> String {
        let panel = r.panel, v = r.view
        let path = "/p/\(panel.id)/receipt\(query(l))"
        var body = errorSummary(issues, l, panel: panel)
        if let notice { body += "<p class=\"notice\" role=\"status\">\(e(notice))</p>" }
        body += "<h1>\(t("mine.title", l))</h1><p class=\"panel-name\">\(e(panel.title.text(in: l)))</p><dl class=\"facts\">"
        body += "<dt>\(t("mine.status", l))</dt><dd>\(t("status.\(v.status.rawValue)", l))</dd>"
        body += "<dt>\(t("mine.received", l))</dt><dd>\(day(LocalDate.berlin(v.receivedAt), l))</dd>"
        if let masked = v.maskedEmail { body += "<dt>\(t("mine.email", l))</dt><dd>\(e(masked))</dd>" }
        body += "</dl>"
        if let reason = v.hiddenReason { body += "<section aria-labelledby=\"hidden-h\"><h2 id=\"hidden-h\">\(t("mine.hidden", l))</h2>\(paragraphs(reason))</section>" }
        body += "<section aria-labelledby=\"response-h\"><h2 id=\"response-h\">\(t("mine.response", l))</h2>"
        if let response = v.response {
            body += paragraphs(response)
            if let rev = v.changedRevision { body += "<p>\(t("mine.revision", l, String(rev)))</p>" }
        } else {
            body += "<p>\(t("mine.noResponse", l))</p>"
        }
        body += "</section>"
        if v.status != .withdrawn {
            body += "<section aria-labelledby=\"answers-h\"><h2 id=\"answers-h\">\(l == .de ? "Ihre Antworten" : "Your answers")</h2>\(answers(panel, v.content, l))</section>"
        }
        let hidden = "<input type=\"hidden\" name=\"code\" value=\"\(e(code))\"><input type=\"hidden\" name=\"lang\" value=\"\(l.rawValue)\"><input type=\"hidden\" name=\"version\" value=\"\(v.version)\">"
        if v.canChange {
            let current = values ?? PanelForm.values(of: v.content, pseudonym: v.pseudonym)
            body += """
                <section aria-labelledby="change-h"><h2 id="change-h">\(t("change.title", l))</h2>
                <form method="post" action="\(path)" novalidate><input type="hidden" name="action" value="change">\(hidden)
                \(fields(panel, sectionTexts: sectionTexts, l, current, issues))
                \(aboutYou(l, current, issues, panel: panel))
                <button type="submit">\(t("change.submit", l))</button></form></section>
                """
        }
        if v.canWithdraw {
            body += """
                <section aria-labelledby="withdraw-h"><h2 id="withdraw-h">\(t("withdraw.title", l))</h2><p>\(t("withdraw.text", l))</p>
                <form method="post" action="\(path)"><input type="hidden" name="action" value="withdraw">\(hidden)
                \(withdrawConfirmation(l, issues, panel: panel))
                <button type="submit" class="danger">\(t("withdraw.submit", l))</button></form></section>
                """
        }
        body += links(panel, l, responses: panel.publicResponses && panel.access == .publicLink, back: true)
        return document(t("mine.title", l), l, panel: panel, path: "/p/\(panel.id)/receipt", body)
    }

    /// The box a person ticks before their feedback is deleted (checked by the server too, so
    /// the step asks first also without JavaScript or with a browser that ignores `required`).
    static func withdrawConfirmation(_ l: PanelLanguage, _ issues: [FieldIssue], panel: FeedbackPanel) -> String {
        let (error, errorID) = issueText(issues, "withdraw-confirm", l, panel: panel)
        let described = errorID.isEmpty ? "" : " aria-describedby=\"\(errorID)\" aria-invalid=\"true\""
        return """
            \(error)<div class="choice"><input type="checkbox" id="withdraw-confirm" name="confirm" value="yes" required\(described)>
            <label for="withdraw-confirm">\(t("withdraw.confirm", l))</label></div>
            """
    }

    /// A read-only list of what someone answered.
    static func answers(_ panel: FeedbackPanel, _ content: SubmissionContent, _ l: PanelLanguage) -> String {
        var rows = ""
        for q in panel.questions {
            let text: String = switch content.answer(to: q.id) {
            case .scale(let p): q.kind.scaleLabel(p).map { "\(p) – \($0.text(in: l))" } ?? String(p)
            case .choice(let k): q.kind.options.first { $0.key == k }?.label.text(in: l) ?? k
            case .choices(let ks): ks.map { k in q.kind.options.first { $0.key == k }?.label.text(in: l) ?? k }.joined(separator: ", ")
            case .text(let s): s
            case nil: t("none", l)
            }
            rows += "<dt>\(e(q.prompt.text(in: l)))</dt><dd>\(e(text))</dd>"
        }
        for section in panel.sections {
            let f = content.feedback(on: section)
            var parts: [String] = []
            if let r = f?.rating { parts.append("\(r) – \(SectionRating.labels[r - 1].text(in: l))") }
            if let c = f?.comment { parts.append(c) }
            rows += "<dt>\(e(PanelExport.sectionLabel(section).text(in: l)))</dt><dd>\(e(parts.isEmpty ? t("none", l) : parts.joined(separator: " · ")))</dd>"
        }
        return "<dl class=\"answers\">\(rows)</dl>"
    }

    /// The public responses page: what was said (free texts, never names) and what became of it.
    public static func responses(_ page: PanelSubmissions.Page, _ l: PanelLanguage) -> String {
        let panel = page.panel
        var body = "<h1>\(t("responses.title", l))</h1><p class=\"panel-name\">\(e(panel.title.text(in: l)))</p>"
        if page.responses.isEmpty {
            body += "<p>\(t("responses.none", l))</p>"
        } else {
            body += "<ol class=\"responses\">"
            for entry in page.responses {
                let quotes = entry.quotes.map { q -> String in
                    let about: String = switch q.source {
                    case .question(let id): panel.questions.first { $0.id == id }?.prompt.text(in: l) ?? ""
                    case .section(let s): PanelExport.sectionLabel(s).text(in: l)
                    }
                    return "<blockquote><p class=\"about\">\(e(about))</p>\(paragraphs(q.text))</blockquote>"
                }.joined()
                var item = "<li><article><h2 class=\"said\">\(t("responses.said", l))</h2>\(quotes.isEmpty ? "<p>\(t("none", l))</p>" : quotes)"
                item += "<h3 class=\"did\">\(t("responses.did", l))</h3>\(paragraphs(entry.response))"
                if let rev = entry.changedRevision { item += "<p>\(t("mine.revision", l, String(rev)))</p>" }
                body += item + "</article></li>"
            }
            body += "</ol>"
        }
        body += links(panel, l, responses: false, back: true)
        return document(t("responses.title", l), l, panel: panel, path: "/p/\(panel.id)/responses", body)
    }

    public static func error(_ l: PanelLanguage, message: String, panel: FeedbackPanel? = nil) -> String {
        var body = "<h1>\(t("error.title", l))</h1><p>\(e(message))</p>"
        if let panel { body += links(panel, l, responses: false, back: true) }
        return document(t("error.title", l), l, panel: panel, path: panel.map { "/p/\($0.id)" } ?? "/", body)
    }

    /// Messages for refusals in the page's language.
    public static func message(for error: DomainError, _ l: PanelLanguage) -> String {
        switch (error.code, l) {
        case ("panel.notFound", .de): "Diese Befragung gibt es nicht (oder noch nicht)."
        case ("panel.notFound", .en): "This panel does not exist (or not yet)."
        case ("panel.closed", .de): "Die Befragung ist beendet; es werden keine Antworten mehr angenommen."
        case ("panel.notYetOpen", .de): "Die Befragung hat noch nicht begonnen."
        case ("panel.rateLimited", .de): "Von Ihrer Verbindung kamen gerade viele Antworten. Bitte versuchen Sie es später noch einmal."
        case ("panel.inviteRequired", .de): "Diese Befragung ist nur mit einem Einladungs-Code möglich."
        case ("panel.inviteInvalid", .de): "Dieser Einladungs-Code gilt nicht für diese Befragung. Bitte prüfen Sie ihn auf Tippfehler."
        case ("panel.inviteUsedUp", .de): "Dieser Einladungs-Code wurde schon so oft verwendet, wie er darf."
        case ("submission.withdrawn", .de): "Diese Rückmeldung wurde zurückgezogen."
        case ("version.conflict", _): t("conflict", l)
        case ("csrf.crossSite", .de): "Diese Anfrage kam von einer anderen Seite und wurde abgelehnt."
        case (_, .de): "Das hat leider nicht geklappt. Bitte versuchen Sie es noch einmal."
        case (_, .en): error.message
        }
    }
}

extension QuestionKind {
    /// The label of a scale point.
    func scaleLabel(_ point: Int) -> PanelText? {
        if case .scale(let labels) = self, labels.indices.contains(point - 1) { return labels[point - 1] }
        return nil
    }
}
