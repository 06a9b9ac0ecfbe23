import Foundation
import HubCore

// The annual planning dossier "Sozialplanung Fokus <year>" (Planungsdossier): the
// recommendations of a year that the steering group rated "in hohem Maße steuerungsrelevant"
// or "steuerungsrelevant", grouped by policy field, one profile sheet each, with the less
// relevant ones listed in an appendix. It goes to the council and is published.
//
// Determinism: the dossier is a pure function of the catalogue entries, the policy fields
// and the year. Entries are ordered by reference, policy fields in the order given (the
// district's order as the store keeps it); no current time, no dictionary iteration, no
// random ids, no locale-dependent formatting. The same inputs give byte-identical HTML and
// PDF (`DossierPDF`).

/// What goes into the dossier and where: computed once, rendered as HTML and as PDF.
public struct DossierPlan: Sendable {
    /// A cross-reference: an entry whose sheet stands under another policy field.
    public struct CrossReference: Sendable, Hashable {
        public let entry: CatalogueEntry
        /// The name of the policy field whose group carries the sheet.
        public let homeFieldName: String
        /// The position of that group in `groups`.
        public let homeGroupIndex: Int
    }

    /// One policy field's part: its sheets (entries whose first known field it is) and
    /// references to sheets elsewhere that also concern it.
    public struct Group: Sendable, Hashable {
        /// nil for the group of entries that name no known policy field.
        public let fieldID: PolicyFieldID?
        public let name: String
        /// The steering group prioritised this field for the dossier's year.
        public let prioritised: Bool
        public let sheets: [CatalogueEntry]
        public internal(set) var crossReferences: [CrossReference]
    }

    public let year: Int
    public let groups: [Group]
    /// Rated "weniger steuerungsrelevant": not taken in, listed in the appendix.
    public let notTakenIn: [CatalogueEntry]
    /// Finished in the year but not (yet) rated: named in the appendix, not taken in.
    public let unrated: [CatalogueEntry]
    /// German names of the known policy fields.
    public let fieldNames: [PolicyFieldID: String]
    /// The latest consensus among the year's entries (the state of the rating), if any.
    public let ratedUntil: LocalDate?

    public var title: String { "Sozialplanung Fokus \(year)" }
    public var sheets: [CatalogueEntry] { groups.flatMap(\.sheets) }
    /// Whether the year has any catalogue entry at all.
    public var isEmpty: Bool { groups.isEmpty && notTakenIn.isEmpty && unrated.isEmpty }

    /// The German names of an entry's policy fields (unknown ids are left out), in the entry's order.
    public func fieldNames(of entry: CatalogueEntry) -> [String] {
        var seen = Set<PolicyFieldID>()
        return entry.profile.policyFieldIDs.compactMap { id in
            guard seen.insert(id).inserted else { return nil }
            return fieldNames[id]
        }
    }
}

/// Builds and renders the annual dossier.
public enum Dossier {
    /// Sorts the year's entries into the dossier's parts. `policyFields` in the district's
    /// order; entries of other years are ignored; the order of `entries` does not matter.
    public static func plan(year: Int, entries: [CatalogueEntry], policyFields: [PolicyField]) -> DossierPlan {
        // One entry per reference, in reference order (ties broken by stable ids, so the input order never shows).
        var byReference: [CatalogueReference: CatalogueEntry] = [:]
        for entry in entries where entry.year == year {
            if let other = byReference[entry.reference], tieKey(other) <= tieKey(entry) { continue }
            byReference[entry.reference] = entry
        }
        let ordered = byReference.keys.sorted().compactMap { byReference[$0] }

        // Known fields, first occurrence of an id wins.
        var fields: [PolicyField] = []
        for field in policyFields where !fields.contains(where: { $0.id == field.id }) { fields.append(field) }
        let position = Dictionary(uniqueKeysWithValues: fields.enumerated().map { ($1.id, $0) })

        var sheetsByField = Array(repeating: [CatalogueEntry](), count: fields.count)
        var seeAlsoByField = Array(repeating: [CatalogueEntry](), count: fields.count)
        var homeless: [CatalogueEntry] = []
        var notTakenIn: [CatalogueEntry] = []
        var unrated: [CatalogueEntry] = []
        var homeOf: [CatalogueReference: Int] = [:]
        for entry in ordered {
            guard let consensus = entry.consensus else { unrated.append(entry); continue }
            guard consensus.level.entersDossier else { notTakenIn.append(entry); continue }
            var known: [Int] = []
            for id in entry.profile.policyFieldIDs {
                if let p = position[id], !known.contains(p) { known.append(p) }
            }
            guard let home = known.first else { homeless.append(entry); continue }
            sheetsByField[home].append(entry)
            homeOf[entry.reference] = home
            for other in known.dropFirst() { seeAlsoByField[other].append(entry) }
        }

        // Groups in the fields' order; a field with neither sheets nor references is left out.
        var groups: [DossierPlan.Group] = []
        var groupIndexOfField: [Int: Int] = [:]
        for (index, field) in fields.enumerated() where !sheetsByField[index].isEmpty || !seeAlsoByField[index].isEmpty {
            groupIndexOfField[index] = groups.count
            groups.append(DossierPlan.Group(fieldID: field.id, name: field.nameDe, prioritised: field.prioritisedYears.contains(year),
                                            sheets: sheetsByField[index], crossReferences: []))
        }
        if !homeless.isEmpty {
            groups.append(DossierPlan.Group(fieldID: nil, name: "Ohne zugeordnetes Handlungsfeld", prioritised: false, sheets: homeless,
                                            crossReferences: []))
        }
        for (index, _) in fields.enumerated() {
            guard let g = groupIndexOfField[index] else { continue }
            groups[g].crossReferences = seeAlsoByField[index].compactMap { entry in
                guard let home = homeOf[entry.reference], let homeGroup = groupIndexOfField[home] else { return nil }
                return DossierPlan.CrossReference(entry: entry, homeFieldName: fields[home].nameDe, homeGroupIndex: homeGroup)
            }
        }
        let ratedUntil = ordered.compactMap { $0.consensus?.at }.max().map(LocalDate.berlin)
        return DossierPlan(year: year, groups: groups, notTakenIn: notTakenIn, unrated: unrated,
                           fieldNames: Dictionary(uniqueKeysWithValues: fields.map { ($0.id, $0.nameDe) }), ratedUntil: ratedUntil)
    }

    private static func tieKey(_ e: CatalogueEntry) -> String { "\(e.recommendationID) \(e.revision)" }

    /// The dossier as one self-contained HTML document.
    public static func html(year: Int, entries: [CatalogueEntry], policyFields: [PolicyField]) -> String {
        html(plan(year: year, entries: entries, policyFields: policyFields))
    }

    /// The dossier as one self-contained HTML document (UTF-8, `lang="de"`, inline print CSS).
    public static func html(_ plan: DossierPlan) -> String {
        var h = HTMLBuilder()
        let title = escape(plan.title)
        h.line("<!DOCTYPE html>")
        h.line("<html lang=\"de\">")
        h.line("<head>")
        h.line("<meta charset=\"utf-8\">")
        h.line("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
        h.line("<title>\(title)</title>")
        h.line("<style>\(stylesheet)</style>")
        h.line("</head>")
        h.line("<body>")

        // Title page.
        h.line("<header class=\"title-page\">")
        h.line("<p class=\"kicker\">Planungsdossier der integrierten Sozialplanung</p>")
        h.line("<h1>\(title)</h1>")
        h.line("<p class=\"subtitle\">Handlungsempfehlungen der Fokusgruppen, Task Forces und Planungsteams mit der Bewertung der Steuerungsgruppe Sozialplanung</p>")
        h.line("<ul class=\"figures\">")
        for line in DossierText.figures(plan) { h.line("<li>\(escape(line))</li>") }
        h.line("</ul>")
        h.line("<p class=\"publisher\">\(escape(DossierText.publisher))</p>")
        if let date = plan.ratedUntil { h.line("<p class=\"state\">Stand der Bewertung: \(escape(DossierText.longDate(date)))</p>") }
        h.line("</header>")

        // Table of contents.
        h.line("<nav class=\"toc\" aria-labelledby=\"inhalt\">")
        h.line("<h2 id=\"inhalt\">Inhalt</h2>")
        h.line("<ol>")
        h.line("<li><a href=\"#einleitung\">Zu diesem Dossier</a></li>")
        for (g, group) in plan.groups.enumerated() {
            h.line("<li><a href=\"#\(groupID(g))\">\(escape(group.name))</a>\(group.prioritised ? " <span class=\"badge\">\(escape(DossierText.prioritised(plan.year)))</span>" : "")")
            if !group.sheets.isEmpty || !group.crossReferences.isEmpty {
                h.line("<ol>")
                for entry in group.sheets {
                    h.line("<li><a href=\"#\(sheetID(entry))\"><span class=\"ref\">\(escape(entry.reference.description))</span> \(escape(entry.profile.title))</a></li>")
                }
                for ref in group.crossReferences {
                    h.line("<li class=\"see-also\">siehe <a href=\"#\(sheetID(ref.entry))\"><span class=\"ref\">\(escape(ref.entry.reference.description))</span> \(escape(ref.entry.profile.title))</a> (unter \(escape(ref.homeFieldName)))</li>")
                }
                h.line("</ol>")
            }
            h.line("</li>")
        }
        if !plan.notTakenIn.isEmpty || !plan.unrated.isEmpty { h.line("<li><a href=\"#anhang\">Anhang</a></li>") }
        h.line("</ol>")
        h.line("</nav>")

        h.line("<main>")
        h.line("<section class=\"intro\" aria-labelledby=\"einleitung\">")
        h.line("<h2 id=\"einleitung\">Zu diesem Dossier</h2>")
        for paragraph in DossierText.introduction(plan) { h.line("<p>\(escape(paragraph))</p>") }
        h.line("<dl class=\"scale\">")
        for level in RatingLevel.allCases {
            h.line("<dt>\(escape(DossierText.rating(level)))</dt><dd>\(escape(DossierText.ratingMeaning(level)))</dd>")
        }
        h.line("</dl>")
        h.line("</section>")

        for (g, group) in plan.groups.enumerated() {
            h.line("<section class=\"field\" aria-labelledby=\"\(groupID(g))\">")
            h.line("<h2 id=\"\(groupID(g))\"><span class=\"field-label\">Handlungsfeld</span> \(escape(group.name))\(group.prioritised ? " <span class=\"badge\">\(escape(DossierText.prioritised(plan.year)))</span>" : "")</h2>")
            for entry in group.sheets { sheet(entry, plan: plan, into: &h) }
            if !group.crossReferences.isEmpty {
                h.line("<aside class=\"see-also\" aria-labelledby=\"\(groupID(g))-siehe\">")
                h.line("<h3 id=\"\(groupID(g))-siehe\">Weitere Handlungsempfehlungen zu diesem Handlungsfeld</h3>")
                h.line("<ul>")
                for ref in group.crossReferences {
                    h.line("<li><a href=\"#\(sheetID(ref.entry))\"><span class=\"ref\">\(escape(ref.entry.reference.description))</span> \(escape(ref.entry.profile.title))</a> – Steckbrief unter dem Handlungsfeld \(escape(ref.homeFieldName))</li>")
                }
                h.line("</ul>")
                h.line("</aside>")
            }
            h.line("</section>")
        }

        if !plan.notTakenIn.isEmpty || !plan.unrated.isEmpty {
            h.line("<section class=\"appendix\" aria-labelledby=\"anhang\">")
            h.line("<h2 id=\"anhang\">Anhang</h2>")
            if !plan.notTakenIn.isEmpty {
                h.line("<h3 id=\"nicht-aufgenommen\">Nicht in das Dossier aufgenommene Handlungsempfehlungen</h3>")
                h.line("<p>\(escape(DossierText.notTakenInNote))</p>")
                h.line("<table>")
                h.line("<caption>Als „weniger steuerungsrelevant“ bewertet</caption>")
                h.line("<thead><tr><th scope=\"col\">Referenz</th><th scope=\"col\">Titel</th><th scope=\"col\">Erarbeitet von</th><th scope=\"col\">Begründung der Steuerungsgruppe</th></tr></thead>")
                h.line("<tbody>")
                for entry in plan.notTakenIn {
                    h.line("<tr><th scope=\"row\">\(escape(entry.reference.description))</th><td>\(escape(entry.profile.title))</td><td>\(escape(entry.workspaceName))</td><td>\(escape(entry.consensus?.justification ?? ""))</td></tr>")
                }
                h.line("</tbody>")
                h.line("</table>")
            }
            if !plan.unrated.isEmpty {
                h.line("<h3 id=\"nicht-bewertet\">Noch nicht bewertete Handlungsempfehlungen</h3>")
                h.line("<p>\(escape(DossierText.unratedNote))</p>")
                h.line("<table>")
                h.line("<caption>Ohne Bewertung der Steuerungsgruppe</caption>")
                h.line("<thead><tr><th scope=\"col\">Referenz</th><th scope=\"col\">Titel</th><th scope=\"col\">Erarbeitet von</th></tr></thead>")
                h.line("<tbody>")
                for entry in plan.unrated {
                    h.line("<tr><th scope=\"row\">\(escape(entry.reference.description))</th><td>\(escape(entry.profile.title))</td><td>\(escape(entry.workspaceName))</td></tr>")
                }
                h.line("</tbody>")
                h.line("</table>")
            }
            h.line("</section>")
        }
        h.line("</main>")
        h.line("<footer class=\"colophon\"><p>\(title) · \(escape(DossierText.publisher))</p></footer>")
        h.line("</body>")
        h.line("</html>")
        return h.text
    }

    private static func sheet(_ entry: CatalogueEntry, plan: DossierPlan, into h: inout HTMLBuilder) {
        let id = sheetID(entry)
        let p = entry.profile
        h.line("<article class=\"sheet\" id=\"\(id)\" aria-labelledby=\"\(id)-titel\">")
        h.line("<header>")
        h.line("<p class=\"reference\">Handlungsempfehlung <span class=\"ref\">\(escape(entry.reference.description))</span></p>")
        h.line("<h3 id=\"\(id)-titel\">\(escape(p.title))</h3>")
        h.line("</header>")
        if let consensus = entry.consensus {
            h.line("<section class=\"rating rating-\(consensus.level.rawValue)\">")
            h.line("<h4 id=\"\(id)-bewertung\">Bewertung der Steuerungsgruppe</h4>")
            h.line("<p class=\"level\">\(escape(DossierText.rating(consensus.level)))</p>")
            h.line("<p class=\"justification\">\(escapeMultiline(consensus.justification))</p>")
            h.line("</section>")
        }
        h.line("<dl class=\"facts\">")
        for (label, value) in DossierText.facts(entry, plan: plan) {
            h.line("<dt>\(escape(label))</dt><dd>\(escape(value))</dd>")
        }
        h.line("</dl>")
        for (label, text) in DossierText.textSections(p) {
            let slug = DossierText.slug(label)
            h.line("<section class=\"part\">")
            h.line("<h4 id=\"\(id)-\(slug)\">\(escape(label))</h4>")
            h.line(markdown(text))
            h.line("</section>")
            if label == DossierText.responsibleLabel {
                // Resources, budget and indicators follow the responsible body, as in the profile.
                resources(p, id: id, into: &h)
                indicators(entry, id: id, into: &h)
            }
        }
        h.line("</article>")
    }

    private static func resources(_ p: RecommendationProfile, id: String, into h: inout HTMLBuilder) {
        h.line("<section class=\"part\">")
        h.line("<h4 id=\"\(id)-ressourcen\">Kosten und Ressourcen</h4>")
        h.line("<dl class=\"resources\">")
        for (label, value) in DossierText.resources(p.resources) {
            h.line("<dt>\(escape(label))</dt><dd>\(escape(value))</dd>")
        }
        h.line("</dl>")
        if !p.resources.note.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { h.line(markdown(p.resources.note)) }
        h.line("</section>")
    }

    private static func indicators(_ entry: CatalogueEntry, id: String, into h: inout HTMLBuilder) {
        let p = entry.profile
        h.line("<section class=\"part\">")
        h.line("<h4 id=\"\(id)-indikatoren\">Indikatoren</h4>")
        if p.indicators.isEmpty {
            h.line("<p class=\"empty\">\(DossierText.none)</p>")
        } else {
            // Focusable, so a keyboard can scroll a table wider than a phone's screen.
            h.line("<div class=\"table-wrap\" tabindex=\"0\" role=\"region\" aria-labelledby=\"\(id)-indikatoren\">")
            h.line("<table class=\"indicators\">")
            h.line("<caption>Indikatoren zu \(escape(entry.reference.description)): woran der Erfolg gemessen wird</caption>")
            h.line("<thead><tr>" + DossierText.indicatorColumns.map { "<th scope=\"col\">\(escape($0))</th>" }.joined() + "</tr></thead>")
            h.line("<tbody>")
            for indicator in p.indicators {
                let cells = DossierText.indicatorRow(indicator)
                h.line("<tr><th scope=\"row\">\(escape(cells[0]))</th>" + cells.dropFirst().map { "<td>\(escape($0))</td>" }.joined() + "</tr>")
            }
            h.line("</tbody>")
            h.line("</table>")
            h.line("</div>")
        }
        h.line("</section>")
    }

    /// User Markdown through the safe renderer, its headings moved below the sheet's own
    /// (`h3`/`h4` → `h5`/`h6`). The renderer escapes every character of user text, so a
    /// literal `<h3>` in its output is always its own tag.
    static func markdown(_ source: String) -> String {
        guard !source.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else { return "<p class=\"empty\">\(DossierText.none)</p>" }
        var html = Markdown.html(source)
        for (from, to) in [("h5", "h6"), ("h4", "h6"), ("h3", "h5")] {
            html = html.replacingOccurrences(of: "<\(from)>", with: "<\(to)>").replacingOccurrences(of: "</\(from)>", with: "</\(to)>")
        }
        return "<div class=\"text\">" + html.trimmingCharacters(in: .newlines) + "</div>"
    }

    static func sheetID(_ entry: CatalogueEntry) -> String { entry.reference.description.lowercased() }

    static func groupID(_ index: Int) -> String { "handlungsfeld-\(index + 1)" }

    /// Escapes text for HTML element content and double-quoted attribute values.
    public static func escape(_ text: String) -> String { Markdown.escapeHTML(text) }

    /// Escaped text whose line breaks are kept (`<br>`).
    static func escapeMultiline(_ text: String) -> String {
        text.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n")
            .split(separator: "\n", omittingEmptySubsequences: false).map { escape(String($0)) }.joined(separator: "<br>")
    }

    /// The inline stylesheet (screen and print). Exposed so the HTTP layer can allow exactly
    /// this style with a hash in its Content-Security-Policy.
    public static let stylesheet = """
    :root{color-scheme:light;--ink:#1a1a1a;--muted:#555;--line:#c8c8c8;--accent:#1d4f91;--tint:#eef3f9}
    *{box-sizing:border-box}
    body{margin:0 auto;max-width:52rem;padding:1.5rem;font:1rem/1.5 system-ui,-apple-system,"Segoe UI",Helvetica,Arial,sans-serif;color:var(--ink);background:#fff}
    h1,h2,h3,h4,h5,h6{line-height:1.25;margin:1.4em 0 .5em}
    h1{font-size:2.2rem;margin-top:0}
    h2{font-size:1.6rem;border-bottom:2px solid var(--accent);padding-bottom:.2em}
    h3{font-size:1.3rem}
    h4{font-size:1.05rem;color:var(--accent)}
    h5,h6{font-size:1rem}
    a{color:var(--accent)}
    .title-page{padding:3rem 0 2rem;border-bottom:1px solid var(--line)}
    .kicker,.reference,.field-label{color:var(--muted);font-size:.9rem;font-weight:normal;margin:0}
    .field-label{display:block}
    .subtitle{font-size:1.2rem}
    .figures{padding-left:1.2rem}
    .publisher,.state{color:var(--muted)}
    .badge{display:inline-block;font-size:.75rem;font-weight:600;border:1px solid var(--accent);color:var(--accent);border-radius:.3rem;padding:0 .35rem;vertical-align:middle}
    .toc ol{padding-left:1.4rem}
    .toc li{margin:.2rem 0}
    .ref{font-variant-numeric:tabular-nums;white-space:nowrap;font-weight:600}
    .see-also{color:var(--muted)}
    .sheet{border-top:1px solid var(--line);margin-top:2rem;padding-top:.5rem}
    .sheet>header h3{margin-top:.2rem}
    .rating{background:var(--tint);border-left:4px solid var(--accent);padding:.6rem 1rem;margin:1rem 0}
    .rating h4{margin:0 0 .3rem;color:var(--ink);font-size:.95rem}
    .rating .level{font-weight:700;margin:0 0 .3rem}
    .rating .justification{margin:0}
    .rating-lessRelevant{border-left-color:var(--muted)}
    dl{display:grid;grid-template-columns:minmax(9rem,max-content) 1fr;gap:.25rem 1rem;margin:.5rem 0}
    dt{font-weight:600}
    dd{margin:0}
    .text>:first-child{margin-top:0}
    .empty{color:var(--muted);font-style:italic}
    .table-wrap{overflow-x:auto}
    table{border-collapse:collapse;width:100%;margin:.5rem 0 1rem;font-size:.95rem}
    caption{text-align:left;font-weight:600;padding:.3rem 0}
    th,td{border:1px solid var(--line);padding:.35rem .5rem;text-align:left;vertical-align:top}
    thead th{background:var(--tint)}
    tbody th{font-weight:600}
    .colophon{margin-top:3rem;border-top:1px solid var(--line);color:var(--muted);font-size:.85rem}
    @page{size:A4;margin:20mm 18mm 22mm}
    @media print{
    body{max-width:none;padding:0;font-size:10.5pt;line-height:1.4}
    a{color:inherit;text-decoration:none}
    .title-page{min-height:230mm;border:0;display:flex;flex-direction:column;justify-content:center;break-after:page;page-break-after:always}
    .toc{break-after:page;page-break-after:always}
    .field{break-before:page;page-break-before:always}
    .sheet{border:0;margin-top:0}
    .sheet+.sheet{break-before:page;page-break-before:always}
    .appendix{break-before:page;page-break-before:always}
    h2,h3,h4{break-after:avoid;page-break-after:avoid}
    .rating,tr,dl{break-inside:avoid;page-break-inside:avoid}
    thead{display:table-header-group}
    .table-wrap{overflow:visible}
    .colophon{display:none}
    }
    """
}

/// Accumulates the document line by line (LF line ends).
struct HTMLBuilder {
    private(set) var text = ""
    mutating func line(_ s: String) {
        text += s
        text += "\n"
    }
}

/// The dossier's German wording and number formats, shared by the HTML and the PDF. Numbers
/// are formatted by hand (decimal comma, thousands dot), independent of the server's locale.
public enum DossierText {
    public static let publisher = "Stabsstelle Sozialplanung und Steuerung (SoziUS)"
    public static let none = "Keine Angabe."
    static let responsibleLabel = "Verantwortlich"
    public static let notTakenInNote = "Die Steuerungsgruppe Sozialplanung hat diese Handlungsempfehlungen als „weniger steuerungsrelevant“ bewertet. Sie bleiben im gemeinsamen Katalog der Handlungsempfehlungen, werden aber nicht in das Planungsdossier aufgenommen."
    public static let unratedNote = "Diese Handlungsempfehlungen wurden im Jahr fertiggestellt, sind aber noch nicht bewertet. Sie werden nach ihrer Bewertung berücksichtigt."

    /// The steering group's scale, verbatim from its minutes.
    public static func rating(_ level: RatingLevel) -> String {
        switch level {
        case .highlyRelevant: "in hohem Maße steuerungsrelevant"
        case .relevant: "steuerungsrelevant"
        case .lessRelevant: "weniger steuerungsrelevant"
        }
    }

    static func ratingMeaning(_ level: RatingLevel) -> String {
        switch level {
        case .highlyRelevant: "in das Dossier aufgenommen; besonders bedeutsam für die Steuerung des Kreises"
        case .relevant: "in das Dossier aufgenommen"
        case .lessRelevant: "nicht in das Dossier aufgenommen; im Anhang genannt und weiter im Katalog"
        }
    }

    public static func impact(_ kind: ImpactKind) -> String {
        switch kind {
        case .financial: "finanziell"
        case .structural: "strukturell"
        case .ideational: "ideell"
        }
    }

    public static func direction(_ d: IndicatorDirection) -> String {
        switch d {
        case .increase: "soll steigen"
        case .decrease: "soll sinken"
        }
    }

    static func prioritised(_ year: Int) -> String { "Schwerpunkt \(year)" }

    static func figures(_ plan: DossierPlan) -> [String] {
        let sheets = plan.sheets.count
        let fields = plan.groups.filter { !$0.sheets.isEmpty && $0.fieldID != nil }.count
        var lines = ["\(count(sheets, "Handlungsempfehlung", "Handlungsempfehlungen")) in \(count(fields, "Handlungsfeld", "Handlungsfeldern"))"]
        if !plan.notTakenIn.isEmpty {
            lines.append("\(count(plan.notTakenIn.count, "Handlungsempfehlung", "Handlungsempfehlungen")) nicht aufgenommen (im Anhang genannt)")
        }
        if !plan.unrated.isEmpty {
            lines.append("\(count(plan.unrated.count, "Handlungsempfehlung", "Handlungsempfehlungen")) noch nicht bewertet")
        }
        return lines
    }

    static func introduction(_ plan: DossierPlan) -> [String] {
        [
            "Die Fokusgruppen, Task Forces und Planungsteams der integrierten Sozialplanung haben im Jahr \(plan.year) Handlungsempfehlungen erarbeitet. Jede Empfehlung folgt einem festen Steckbrief: Ausgangslage und Datengrundlage, Ziele, Maßnahmen, Zielgruppen, Verantwortliche, Kosten und Ressourcen, Haushaltsjahr, Art der Wirkung, Indikatoren und Zeitplan.",
            "Die Steuerungsgruppe Sozialplanung hat jede fertiggestellte Empfehlung bewertet. In dieses Dossier aufgenommen sind die Empfehlungen, die sie als „in hohem Maße steuerungsrelevant“ oder „steuerungsrelevant“ bewertet hat. Sie sind nach Handlungsfeldern geordnet; eine Empfehlung, die mehrere Handlungsfelder betrifft, steht unter ihrem ersten Handlungsfeld und wird bei den anderen genannt.",
            "Empfehlungen, die als „weniger steuerungsrelevant“ bewertet wurden, sind im Anhang mit der Begründung der Steuerungsgruppe aufgeführt. Alle Empfehlungen bleiben im öffentlichen Katalog der Handlungsempfehlungen einsehbar.",
        ]
    }

    /// The short facts at the top of a sheet.
    static func facts(_ entry: CatalogueEntry, plan: DossierPlan) -> [(String, String)] {
        let p = entry.profile
        let fields = plan.fieldNames(of: entry)
        var impacts: [String] = []
        for kind in ImpactKind.allCases where p.impactKinds.contains(kind) { impacts.append(impact(kind)) }
        let years = Array(Set(p.budgetYears)).sorted()
        return [
            ("Referenz", entry.reference.description),
            ("Erarbeitet von", entry.workspaceName),
            (fields.count == 1 ? "Handlungsfeld" : "Handlungsfelder", fields.isEmpty ? none : fields.joined(separator: ", ")),
            ("Fertiggestellt am", shortDate(LocalDate.berlin(entry.finishedAt))),
            (years.count == 1 ? "Haushaltsjahr" : "Haushaltsjahre", budget(years)),
            ("Art der Wirkung", impacts.isEmpty ? none : impacts.joined(separator: ", ")),
        ]
    }

    /// The Markdown sections in the order of the profile; resources and indicators follow
    /// "Verantwortlich".
    static func textSections(_ p: RecommendationProfile) -> [(String, String)] {
        [("Ausgangslage", p.situation), ("Datengrundlage", p.dataBasis), ("Ziele", p.goals), ("Maßnahmen", p.measures),
         ("Zielgruppen", p.targetGroups), (responsibleLabel, p.responsibleBody), ("Zeitplan", p.timeline)]
    }

    static func resources(_ r: Resources) -> [(String, String)] {
        [
            ("Personal", r.personnelFTE.map { "\(number($0)) \($0 == 1 ? "Vollzeitäquivalent" : "Vollzeitäquivalente") (VZÄ)" } ?? none),
            ("Zeit", r.durationMonths.map { "\(number(Double($0))) \($0 == 1 ? "Monat" : "Monate") bis zur Umsetzung" } ?? none),
            ("Finanzmittel", r.moneyEuroPerYear.map { "\(number(Double($0))) € pro Jahr" } ?? none),
        ]
    }

    static let indicatorColumns = ["Indikator", "Einheit", "Ausgangswert", "Zielwert", "Richtung", "Quelle"]

    static func indicatorRow(_ i: IndicatorSpec) -> [String] {
        [i.name, i.unit.isEmpty ? "–" : i.unit, i.baseline.map(number) ?? "–", i.target.map(number) ?? "–", direction(i.direction),
         i.source.isEmpty ? "–" : i.source]
    }

    static func budget(_ years: [Int]) -> String {
        switch years.count {
        case 0: none
        case 2 where years[1] == years[0] + 1: "\(years[0])/\(years[1]) (Doppelhaushalt)"
        default: years.map(String.init).joined(separator: ", ")
        }
    }

    static func count(_ n: Int, _ one: String, _ many: String) -> String { n == 1 ? "1 \(one)" : "\(number(Double(n))) \(many)" }

    /// German number: decimal comma, at most two decimals, thousands separated by a dot.
    public static func number(_ value: Double) -> String {
        guard value.isFinite else { return "–" }
        let hundredths = (abs(value) * 100).rounded()
        guard hundredths < 9e17 else { return value < 0 ? "-" + String(abs(value)) : String(value) }
        let cents = Int64(hundredths)
        let whole = cents / 100
        let fraction = cents % 100
        var digits = String(whole)
        var grouped = ""
        while digits.count > 3 {
            grouped = "." + digits.suffix(3) + grouped
            digits.removeLast(3)
        }
        grouped = digits + grouped
        var text = (value < 0 && cents > 0 ? "-" : "") + grouped
        if fraction != 0 {
            text += "," + (fraction % 10 == 0 ? String(fraction / 10) : (fraction < 10 ? "0" : "") + String(fraction))
        }
        return text
    }

    static let months = ["Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September", "Oktober", "November", "Dezember"]

    static func shortDate(_ d: LocalDate) -> String {
        (d.day < 10 ? "0" : "") + "\(d.day)." + (d.month < 10 ? "0" : "") + "\(d.month).\(d.year)"
    }

    static func longDate(_ d: LocalDate) -> String { "\(d.day). \(months[d.month - 1]) \(d.year)" }

    /// An ASCII id fragment for a German label.
    static func slug(_ label: String) -> String {
        var out = ""
        for scalar in label.lowercased().unicodeScalars {
            switch scalar {
            case "ä": out += "ae"
            case "ö": out += "oe"
            case "ü": out += "ue"
            case "ß": out += "ss"
            case "a"..."z", "0"..."9": out.unicodeScalars.append(scalar)
            default: if !out.hasSuffix("-") { out += "-" }
            }
        }
        return out
    }
}
