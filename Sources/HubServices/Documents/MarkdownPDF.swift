import Foundation
import HubCore

/// A Markdown document (invitation, agenda, minutes) as an A4 PDF through the hub's own
/// writer: the first `#` heading is the title, `##` and `###` headings become headings and
/// entries of the outline, everything between them goes through `PlainTextBlock` (paragraphs,
/// lists, quotes; emphasis, links and raw HTML become plain text). Page numbers in the footer.
/// A pure function of its input: the same text gives the same bytes.
public enum MarkdownPDF {
    static let kickerStyle = PDFTextStyle(font: .helvetica, size: 11, leading: 15, color: .muted)
    static let title = PDFTextStyle(font: .helveticaBold, size: 20, leading: 25, color: .black)
    static let h2 = PDFTextStyle(font: .helveticaBold, size: 14, leading: 18, color: .accent)
    static let h3 = PDFTextStyle(font: .helveticaBold, size: 11.5, leading: 15)
    static let body = PDFTextStyle(font: .helvetica, size: 10, leading: 13.2)
    static let small = PDFTextStyle(font: .helvetica, size: 8.5, leading: 11.5, color: .muted)

    /// One piece of the document: a heading of a level (1–3) or a run of body text.
    enum Part: Equatable {
        case heading(Int, String)
        case text(String)
    }

    /// Splits Markdown at ATX headings (`#`, `##`, `###`; deeper ones stay text), outside fenced code.
    static func parts(_ markdown: String) -> [Part] {
        var parts: [Part] = []
        var buffer: [Substring] = []
        var fenced = false
        func flush() {
            let text = buffer.joined(separator: "\n")
            if !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { parts.append(.text(text)) }
            buffer = []
        }
        for line in markdown.replacingOccurrences(of: "\r\n", with: "\n").split(separator: "\n", omittingEmptySubsequences: false) {
            let trimmed = line.drop { $0 == " " }
            if trimmed.hasPrefix("```") || trimmed.hasPrefix("~~~") { fenced.toggle() }
            let hashes = trimmed.prefix { $0 == "#" }.count
            if !fenced, line.count - trimmed.count < 4, (1...3).contains(hashes), trimmed.dropFirst(hashes).first == " " {
                flush()
                var text = String(trimmed.dropFirst(hashes)).trimmingCharacters(in: .whitespaces)
                // A closing sequence of #s is not part of the heading.
                while text.hasSuffix("#") { text.removeLast() }
                parts.append(.heading(hashes, Markdown.plainText(text.trimmingCharacters(in: .whitespaces))))
            } else {
                buffer.append(line)
            }
        }
        flush()
        return parts
    }

    /// Renders the document. `kicker` stands above the title ("Protokoll", "Minutes");
    /// `date` is the document information's date (`D:…Z`), chosen from the data.
    public static func render(_ markdown: String, kicker: String, english: Bool, date: String) -> [UInt8] {
        let t = PDFTypesetter()
        var outline: [PDFOutlineItem] = []
        var documentTitle = kicker
        t.newPage()
        var sawTitle = false
        for part in parts(markdown) {
            switch part {
            case .heading(1, let text) where !sawTitle:
                sawTitle = true
                documentTitle = text
                t.titleBlock(kicker: kicker, title: text, kickerStyle: kickerStyle, titleStyle: title)
            case .heading(let level, let text):
                let style = level <= 2 ? h2 : h3
                t.heading(text, style: style, spaceBefore: level <= 2 ? 14 : 8, spaceAfter: 4, keep: 30)
                let destination = PDFDestination(page: t.pageIndex, top: min(t.y + style.leading + 16, PDFWriter.pageHeight))
                if level <= 2 || outline.isEmpty {
                    outline.append(PDFOutlineItem(title: text, destination: destination))
                } else {
                    outline[outline.count - 1].children.append(PDFOutlineItem(title: text, destination: destination))
                }
            case .text(let text):
                if !t.markdown(text, style: body) { continue }
                t.y -= 4
            }
        }
        t.pageFooters(title: documentTitle, english: english, style: small)
        let metadata = PDFMetadata(title: documentTitle, subject: kicker, author: "Roundtable", date: date, language: english ? "en-GB" : "de-DE")
        return PDFWriter.document(pages: t.pages.map { PDFPage(content: $0.content, links: $0.links) }, outline: outline, metadata: metadata)
    }
}
