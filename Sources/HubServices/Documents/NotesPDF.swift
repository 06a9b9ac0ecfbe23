import Foundation
import HubCore

/// A plain document of notes: a title, groups with a heading, and entries with a heading, an
/// optional lead line and Markdown text. The Barcamp documentation is one; any other collection
/// of notes can use it. Rendered by `NotesPDF` with the same writer as the dossier.
public struct NotesDocument: Sendable, Hashable {
    public struct Entry: Sendable, Hashable {
        public var heading: String
        public var lead: String?
        /// Markdown; nil or empty shows `NotesDocument.emptyText`.
        public var markdown: String?

        public init(heading: String, lead: String? = nil, markdown: String?) {
            self.heading = heading
            self.lead = lead
            self.markdown = markdown
        }
    }

    public struct Group: Sendable, Hashable {
        public var heading: String
        public var entries: [Entry]

        public init(heading: String, entries: [Entry]) {
            self.heading = heading
            self.entries = entries
        }
    }

    /// What kind of document this is, above the title ("Dokumentation").
    public var kicker: String
    public var title: String
    public var groups: [Group]
    public var emptyText: String
    public var english: Bool
    /// Creation date for the document information (`D:20261122000000Z`), chosen by the caller
    /// from the data so the same data gives the same bytes.
    public var date: String

    public init(kicker: String, title: String, groups: [Group], emptyText: String, english: Bool, date: String) {
        self.kicker = kicker
        self.title = title
        self.groups = groups
        self.emptyText = emptyText
        self.english = english
        self.date = date
    }

    /// The Barcamp's documentation as a notes document.
    public init(_ documentation: BarcampDocumentation, date: Date) {
        self.init(kicker: documentation.english ? "Barcamp documentation" : "Barcamp-Dokumentation", title: documentation.title,
                  groups: documentation.groups.map { group in
                      Group(heading: group.heading, entries: group.entries.map { entry in
                          Entry(heading: documentation.heading(entry), lead: entry.description.isEmpty ? nil : entry.description, markdown: entry.notes)
                      })
                  },
                  emptyText: documentation.noNotes, english: documentation.english, date: NotesPDF.pdfDate(date))
    }
}

/// Lays out a `NotesDocument` on A4 pages: title block, group headings (in the outline),
/// entries kept with their first lines, page numbers in the footer. A pure function of the
/// document.
public enum NotesPDF {
    static let body = PDFTextStyle(font: .helvetica, size: 10, leading: 13.2)
    static let lead = PDFTextStyle(font: .helvetica, size: 10, leading: 13.2, color: .muted)
    static let small = PDFTextStyle(font: .helvetica, size: 8.5, leading: 11.5, color: .muted)
    static let kicker = PDFTextStyle(font: .helvetica, size: 11, leading: 15, color: .muted)
    static let title = PDFTextStyle(font: .helveticaBold, size: 22, leading: 27, color: .black)
    static let h2 = PDFTextStyle(font: .helveticaBold, size: 15, leading: 19, color: .accent)
    static let h3 = PDFTextStyle(font: .helveticaBold, size: 11.5, leading: 15)

    public static func render(_ document: NotesDocument) -> [UInt8] {
        let t = PDFTypesetter()
        var outline: [PDFOutlineItem] = []
        t.newPage()
        t.titleBlock(kicker: document.kicker, title: document.title, kickerStyle: kicker, titleStyle: title)
        if document.groups.isEmpty {
            t.paragraph(document.emptyText, style: lead)
        }
        for group in document.groups {
            t.heading(group.heading, style: h2, spaceBefore: 14, spaceAfter: 4, keep: 50)
            var children: [PDFOutlineItem] = []
            let groupStart = PDFDestination(page: t.pageIndex, top: min(t.y + h2.leading + 18, PDFWriter.pageHeight))
            for entry in group.entries {
                t.heading(entry.heading, style: h3, spaceBefore: 8, spaceAfter: 3, keep: 30)
                children.append(PDFOutlineItem(title: entry.heading, destination: PDFDestination(page: t.pageIndex, top: min(t.y + h3.leading + 12, PDFWriter.pageHeight))))
                if let text = entry.lead { t.paragraph(text, style: lead, spaceAfter: 4) }
                if !t.markdown(entry.markdown ?? "", style: body) { t.paragraph(document.emptyText, style: lead) }
            }
            outline.append(PDFOutlineItem(title: group.heading, destination: groupStart, children: children))
        }
        t.pageFooters(title: document.title, english: document.english, style: small)
        let metadata = PDFMetadata(title: document.title, subject: document.kicker, author: "Roundtable", date: document.date,
                                   language: document.english ? "en-GB" : "de-DE")
        return PDFWriter.document(pages: t.pages.map { PDFPage(content: $0.content, links: $0.links) }, outline: outline, metadata: metadata)
    }

    /// A PDF date (UTC) for the document information.
    public static func pdfDate(_ date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        func two(_ n: Int?) -> String { String(format: "%02d", n ?? 0) }
        return "D:\(String(format: "%04d", c.year ?? 1970))\(two(c.month))\(two(c.day))\(two(c.hour))\(two(c.minute))\(two(c.second))Z"
    }
}
