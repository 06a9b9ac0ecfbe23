import Foundation
import HubCore

/// The annual dossier as a PDF 1.4 document (A4): title page, table of contents with page
/// numbers and links, an introduction, one profile sheet per recommendation grouped by
/// policy field, the appendix, page numbers in the footer and an outline for the viewer's
/// sidebar. A pure function of the plan: the same plan gives the same bytes.
public enum DossierPDF {
    public static func render(year: Int, entries: [CatalogueEntry], policyFields: [PolicyField]) -> [UInt8] {
        render(Dossier.plan(year: year, entries: entries, policyFields: policyFields))
    }

    public static func render(_ plan: DossierPlan) -> [UInt8] {
        var layout = Layout(plan: plan)
        layout.run()
        return PDFWriter.document(pages: layout.t.pages.map { PDFPage(content: $0.content, links: $0.links) }, outline: layout.outline,
                                  metadata: metadata(plan))
    }

    /// The document information: fixed dates from the year (31 July, when the dossier is due).
    static func metadata(_ plan: DossierPlan) -> PDFMetadata {
        PDFMetadata(title: plan.title, subject: "Planungsdossier der integrierten Sozialplanung \(plan.year)", author: DossierText.publisher,
                    date: "D:\(plan.year)0731000000Z")
    }

    /// The file name for downloads.
    public static func fileName(year: Int) -> String { "sozialplanung-fokus-\(year).pdf" }

    // Styles.
    static let body = PDFTextStyle(font: .helvetica, size: 10, leading: 13.2)
    static let bold = body.with(font: .helveticaBold)
    static let small = PDFTextStyle(font: .helvetica, size: 8.5, leading: 11.5, color: .muted)
    static let smallBold = PDFTextStyle(font: .helveticaBold, size: 8.5, leading: 11.5, color: .ink)
    static let cell = PDFTextStyle(font: .helvetica, size: 8.5, leading: 11)
    static let cellBold = PDFTextStyle(font: .helveticaBold, size: 8.5, leading: 11)
    static let h1 = PDFTextStyle(font: .helveticaBold, size: 20, leading: 25)
    static let sheetTitle = PDFTextStyle(font: .helveticaBold, size: 15, leading: 19)
    static let h3 = PDFTextStyle(font: .helveticaBold, size: 12.5, leading: 16)
    static let section = PDFTextStyle(font: .helveticaBold, size: 10.5, leading: 14, color: .accent)
    static let kicker = PDFTextStyle(font: .helvetica, size: 9.5, leading: 13, color: .muted)

    /// Where an entry of the table of contents was drawn, to add its page number and link
    /// once every page is known.
    struct TOCLine {
        let page: Int
        let top: Double
        let height: Double
        let baseline: Double
        let target: Target
    }

    enum Target: Hashable {
        case introduction, group(Int), sheet(CatalogueReference), appendix
    }

    struct Layout {
        let plan: DossierPlan
        let t = PDFTypesetter()
        var destinations: [Target: PDFDestination] = [:]
        var tocLines: [TOCLine] = []
        var outline: [PDFOutlineItem] = []

        init(plan: DossierPlan) { self.plan = plan }

        mutating func run() {
            titlePage()
            contents()
            introduction()
            for (g, group) in plan.groups.enumerated() { self.group(group, index: g) }
            appendix()
            finish()
        }

        // MARK: Title page

        func titlePage() {
            t.newPage()
            t.y = t.top - 150
            t.paragraph("Planungsdossier der integrierten Sozialplanung", style: PDFTextStyle(font: .helvetica, size: 13, leading: 18, color: .muted))
            t.y -= 6
            t.paragraph(plan.title, style: PDFTextStyle(font: .helveticaBold, size: 32, leading: 38, color: .black))
            t.y -= 10
            t.fill(PDFRect(x: t.left, y: t.y - 3, width: 120, height: 3), .accent)
            t.y -= 24
            t.paragraph("Handlungsempfehlungen der Fokusgruppen, Task Forces und Planungsteams mit der Bewertung der Steuerungsgruppe Sozialplanung",
                        style: PDFTextStyle(font: .helvetica, size: 13, leading: 18), spaceAfter: 18)
            for line in DossierText.figures(plan) {
                t.paragraph(line, style: body.with(size: 11), indent: 0, marker: "\u{2022}", markerWidth: 12, spaceAfter: 3)
            }
            t.y = t.bottom + 60
            t.paragraph(DossierText.publisher, style: body.with(color: .muted))
            if let date = plan.ratedUntil {
                t.paragraph("Stand der Bewertung: \(DossierText.longDate(date))", style: body.with(color: .muted))
            }
        }

        // MARK: Contents

        mutating func contents() {
            t.newPage()
            t.heading("Inhalt", style: h1, spaceBefore: 0, spaceAfter: 10)
            tocEntry("Zu diesem Dossier", target: .introduction, style: bold, indent: 0)
            for (g, group) in plan.groups.enumerated() {
                t.space(4)
                let badge = group.prioritised ? " (Schwerpunkt \(plan.year))" : ""
                tocEntry("Handlungsfeld \(group.name)\(badge)", target: .group(g), style: bold, indent: 0)
                for entry in group.sheets {
                    tocEntry("\(entry.reference)  \(entry.profile.title)", target: .sheet(entry.reference), style: body, indent: 14)
                }
                for ref in group.crossReferences {
                    tocEntry("siehe \(ref.entry.reference) \(ref.entry.profile.title) (unter \(ref.homeFieldName))", target: .sheet(ref.entry.reference),
                             style: small, indent: 14)
                }
            }
            if !plan.notTakenIn.isEmpty || !plan.unrated.isEmpty {
                t.space(4)
                tocEntry("Anhang", target: .appendix, style: bold, indent: 0)
            }
        }

        /// One line (or a few) of the table of contents; the page number is added in `finish`.
        mutating func tocEntry(_ text: String, target: Target, style: PDFTextStyle, indent: Double) {
            let numberWidth = 36.0
            let lines = PDFTypesetter.wrap(WinAnsi.encode(text), font: style.font, size: style.size, width: t.width - indent - numberWidth)
            t.ensure(Double(lines.count) * style.leading)
            let top = t.y
            var baseline = 0.0
            for line in lines {
                baseline = PDFTypesetter.baseline(top: t.y, style: style)
                t.draw(line, x: t.left + indent, baseline: baseline, style: style)
                t.y -= style.leading
            }
            tocLines.append(TOCLine(page: t.pageIndex, top: top, height: top - t.y, baseline: baseline, target: target))
            t.y -= 2
        }

        // MARK: Introduction

        mutating func introduction() {
            t.space(18)
            t.ensure(h1.leading + 8 + 60)
            destinations[.introduction] = t.here
            t.heading("Zu diesem Dossier", style: h1, spaceBefore: 0, spaceAfter: 8, keep: 60)
            for paragraph in DossierText.introduction(plan) { t.paragraph(paragraph, style: body, spaceAfter: 6) }
            t.heading("Die Bewertungsstufen der Steuerungsgruppe", style: h3, spaceBefore: 6, spaceAfter: 4)
            for level in RatingLevel.allCases {
                t.paragraph("\(DossierText.rating(level)): \(DossierText.ratingMeaning(level))", style: body, marker: "\u{2022}", markerWidth: 12,
                            spaceAfter: 2)
            }
        }

        // MARK: Policy fields and sheets

        mutating func group(_ group: DossierPlan.Group, index: Int) {
            t.newPage()
            destinations[.group(index)] = t.here
            var children: [PDFOutlineItem] = []
            t.paragraph(group.prioritised ? "Handlungsfeld · Schwerpunkt \(plan.year)" : "Handlungsfeld", style: kicker)
            t.heading(group.name, style: h1, spaceBefore: 0, spaceAfter: 6)
            t.line(from: t.left, t.y + 2, to: t.right, t.y + 2, .accent, lineWidth: 1.2)
            t.y -= 12
            for (k, entry) in group.sheets.enumerated() {
                if k > 0 { t.newPage() }
                destinations[.sheet(entry.reference)] = t.here
                children.append(PDFOutlineItem(title: "\(entry.reference) \(entry.profile.title)", destination: t.here))
                sheet(entry)
            }
            if !group.crossReferences.isEmpty {
                t.heading("Weitere Handlungsempfehlungen zu diesem Handlungsfeld", style: h3, spaceBefore: group.sheets.isEmpty ? 0 : 18,
                          spaceAfter: 4)
                for ref in group.crossReferences {
                    let text = "\(ref.entry.reference) \(ref.entry.profile.title) – Steckbrief unter dem Handlungsfeld \(ref.homeFieldName)"
                    let height = Double(PDFTypesetter.wrap(WinAnsi.encode(text), font: body.font, size: body.size, width: t.width - 12).count) * body.leading
                    t.ensure(height)
                    let top = t.y
                    t.paragraph(text, style: body, marker: "\u{2022}", markerWidth: 12)
                    crossLinks.append((t.pageIndex, top, t.y, ref.entry.reference))
                    t.y -= 2
                }
            }
            outline.append(PDFOutlineItem(title: group.name, destination: destinations[.group(index)]!, children: children))
        }

        /// Links from cross-references to sheets, resolved in `finish` (a sheet may come later).
        var crossLinks: [(page: Int, top: Double, bottom: Double, reference: CatalogueReference)] = []

        func sheet(_ entry: CatalogueEntry) {
            let p = entry.profile
            t.paragraph("Handlungsempfehlung \(entry.reference)", style: kicker.with(font: .helveticaBold), spaceAfter: 2)
            t.heading(p.title, style: sheetTitle, spaceBefore: 0, spaceAfter: 8, keep: 80)
            if let consensus = entry.consensus {
                t.box(title: DossierText.rating(consensus.level), titleStyle: bold.with(size: 11), body: consensus.justification, bodyStyle: body,
                      padding: 7, label: "Bewertung der Steuerungsgruppe", labelStyle: small)
                t.y -= 8
            }
            t.definitions(DossierText.facts(entry, plan: plan), labelStyle: smallBold.with(size: 9), valueStyle: body.with(size: 9.5),
                          labelWidth: 118)
            for (label, text) in DossierText.textSections(p) {
                sectionHeading(label)
                markdown(text)
                if label == DossierText.responsibleLabel {
                    sectionHeading("Kosten und Ressourcen")
                    t.definitions(DossierText.resources(p.resources), labelStyle: smallBold.with(size: 9), valueStyle: body.with(size: 9.5),
                                  labelWidth: 118)
                    if !p.resources.note.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { markdown(p.resources.note) }
                    sectionHeading("Indikatoren", keep: p.indicators.isEmpty ? 28 : 64)
                    if p.indicators.isEmpty {
                        t.paragraph(DossierText.none, style: body.with(color: .muted))
                    } else {
                        t.table(header: DossierText.indicatorColumns, rows: p.indicators.map(DossierText.indicatorRow),
                                widths: [0.25, 0.1, 0.15, 0.11, 0.13, 0.26], headerStyle: cellBold, cellStyle: cell, rowHeaderStyle: cellBold)
                    }
                }
            }
        }

        /// A section heading, kept with `keep` points of its content (a line, or a table's
        /// header and first row).
        func sectionHeading(_ label: String, keep: Double = 28) {
            t.heading(label, style: section, spaceBefore: 8, spaceAfter: 2, keep: keep)
        }

        /// User Markdown as plain blocks: paragraphs, bullet and numbered lists, quotes.
        func markdown(_ source: String) {
            if !t.markdown(source, style: body) {
                t.paragraph(DossierText.none, style: body.with(color: .muted))
            }
        }

        // MARK: Appendix

        mutating func appendix() {
            guard !plan.notTakenIn.isEmpty || !plan.unrated.isEmpty else { return }
            t.newPage()
            destinations[.appendix] = t.here
            var children: [PDFOutlineItem] = []
            t.heading("Anhang", style: h1, spaceBefore: 0, spaceAfter: 10)
            if !plan.notTakenIn.isEmpty {
                children.append(PDFOutlineItem(title: "Nicht aufgenommene Handlungsempfehlungen", destination: t.here))
                t.heading("Nicht in das Dossier aufgenommene Handlungsempfehlungen", style: h3, spaceBefore: 0, spaceAfter: 4)
                t.paragraph(DossierText.notTakenInNote, style: body, spaceAfter: 8)
                t.table(header: ["Referenz", "Titel", "Erarbeitet von", "Begründung der Steuerungsgruppe"],
                        rows: plan.notTakenIn.map { [$0.reference.description, $0.profile.title, $0.workspaceName, $0.consensus?.justification ?? ""] },
                        widths: [0.15, 0.33, 0.18, 0.34], headerStyle: cellBold, cellStyle: cell, rowHeaderStyle: cellBold)
            }
            if !plan.unrated.isEmpty {
                children.append(PDFOutlineItem(title: "Noch nicht bewertete Handlungsempfehlungen", destination: t.here))
                t.heading("Noch nicht bewertete Handlungsempfehlungen", style: h3, spaceBefore: 16, spaceAfter: 4)
                t.paragraph(DossierText.unratedNote, style: body, spaceAfter: 8)
                t.table(header: ["Referenz", "Titel", "Erarbeitet von"],
                        rows: plan.unrated.map { [$0.reference.description, $0.profile.title, $0.workspaceName] },
                        widths: [0.15, 0.55, 0.3], headerStyle: cellBold, cellStyle: cell, rowHeaderStyle: cellBold)
            }
            outline.append(PDFOutlineItem(title: "Anhang", destination: destinations[.appendix]!, children: children))
        }

        // MARK: Page numbers, links, footer

        mutating func finish() {
            for line in tocLines {
                guard let destination = destinations[line.target] else { continue }
                let style: PDFTextStyle
                switch line.target {
                case .sheet: style = body
                case .introduction, .group, .appendix: style = bold
                }
                let number = WinAnsi.encode(String(destination.page + 1))
                t.draw(number, x: t.right - style.font.width(number, size: style.size), baseline: line.baseline, style: style, page: line.page)
                t.link(PDFRect(x: t.left, y: line.top - line.height, width: t.width, height: line.height), to: destination, page: line.page)
            }
            for link in crossLinks {
                guard let destination = destinations[.sheet(link.reference)] else { continue }
                t.link(PDFRect(x: t.left, y: link.bottom, width: t.width, height: link.top - link.bottom), to: destination, page: link.page)
            }
            if let intro = destinations[.introduction] {
                outline.insert(PDFOutlineItem(title: "Zu diesem Dossier", destination: intro), at: 0)
            }
            outline.insert(PDFOutlineItem(title: "Inhalt", destination: PDFDestination(page: 1, top: t.top + 14)), at: 0)
            // The title page has no footer.
            t.pageFooters(title: plan.title, english: false, style: small, from: 1)
        }
    }
}
