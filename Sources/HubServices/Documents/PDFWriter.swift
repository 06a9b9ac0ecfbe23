import Foundation

// A small PDF 1.4 writer without dependencies: pages with uncompressed content streams,
// the standard fonts Helvetica and Helvetica-Bold in WinAnsiEncoding (not embedded),
// internal links, a document outline (bookmarks) and the document information. Output is a
// pure function of the input: object numbers follow the input order, numbers are written
// with at most two decimals, and the file identifier is a hash of the file's own bytes.

/// A point on a page to jump to: the page (0-based) and the height of the view's top edge.
public struct PDFDestination: Sendable, Hashable {
    public var page: Int
    public var top: Double

    public init(page: Int, top: Double) {
        self.page = page
        self.top = top
    }
}

/// A rectangle in page coordinates (points, origin bottom left).
public struct PDFRect: Sendable, Hashable {
    public var x: Double
    public var y: Double
    public var width: Double
    public var height: Double

    public init(x: Double, y: Double, width: Double, height: Double) {
        self.x = x
        self.y = y
        self.width = width
        self.height = height
    }
}

/// A clickable area that jumps to a destination in the same document.
public struct PDFLink: Sendable, Hashable {
    public var rect: PDFRect
    public var destination: PDFDestination

    public init(rect: PDFRect, destination: PDFDestination) {
        self.rect = rect
        self.destination = destination
    }
}

/// One page: its content stream (PDF operators; ASCII) and its links.
public struct PDFPage: Sendable, Hashable {
    public var content: String
    public var links: [PDFLink]

    public init(content: String, links: [PDFLink] = []) {
        self.content = content
        self.links = links
    }
}

/// A bookmark in the viewer's outline.
public struct PDFOutlineItem: Sendable, Hashable {
    public var title: String
    public var destination: PDFDestination
    public var children: [PDFOutlineItem]

    public init(title: String, destination: PDFDestination, children: [PDFOutlineItem] = []) {
        self.title = title
        self.destination = destination
        self.children = children
    }
}

/// The document information dictionary and the catalog's language.
public struct PDFMetadata: Sendable, Hashable {
    public var title: String
    public var subject: String
    public var author: String
    public var creator: String
    public var producer: String
    /// Creation and modification date as a PDF date (`D:20230731000000Z`); fixed by the
    /// caller, never the current time.
    public var date: String
    /// The document's natural language (`de-DE`).
    public var language: String

    public init(title: String, subject: String = "", author: String = "", creator: String = "Roundtable",
                producer: String = "Roundtable PDFWriter", date: String, language: String = "de-DE") {
        self.title = title
        self.subject = subject
        self.author = author
        self.creator = creator
        self.producer = producer
        self.date = date
        self.language = language
    }
}

public enum PDFWriter {
    /// A4 in points.
    public static let pageWidth = 595.28
    public static let pageHeight = 841.89

    /// Writes the document. Object 1 is the catalog, 2 the information dictionary, 3 the
    /// page tree, 4 and 5 the fonts; then each page, its content and its links; then the outline.
    public static func document(pages: [PDFPage], outline: [PDFOutlineItem] = [], metadata: PDFMetadata) -> [UInt8] {
        let pages = pages.isEmpty ? [PDFPage(content: "")] : pages
        // Object numbers.
        let catalogRef = 1, infoRef = 2, pagesRef = 3
        let fontRefs: [StandardFont: Int] = [.helvetica: 4, .helveticaBold: 5]
        var next = 6
        var pageRefs: [Int] = []
        var contentRefs: [Int] = []
        var linkRefs: [[Int]] = []
        for page in pages {
            pageRefs.append(next)
            contentRefs.append(next + 1)
            next += 2
            linkRefs.append(page.links.indices.map { next + $0 })
            next += page.links.count
        }
        let outlineRootRef: Int? = outline.isEmpty ? nil : next
        if outlineRootRef != nil { next += 1 }
        // Outline items in depth-first order.
        var flat: [(item: PDFOutlineItem, ref: Int, parent: Int, prev: Int?, next: Int?, first: Int?, last: Int?, count: Int)] = []
        func number(_ items: [PDFOutlineItem], parent: Int) -> [Int] {
            let refs = items.indices.map { _ -> Int in
                defer { next += 1 }
                return next
            }
            var childRefs: [[Int]] = []
            for (i, item) in items.enumerated() { childRefs.append(number(item.children, parent: refs[i])) }
            for (i, item) in items.enumerated() {
                flat.append((item, refs[i], parent, i > 0 ? refs[i - 1] : nil, i + 1 < refs.count ? refs[i + 1] : nil,
                             childRefs[i].first, childRefs[i].last, visibleCount(item.children)))
            }
            return refs
        }
        var topRefs: [Int] = []
        if let root = outlineRootRef { topRefs = number(outline, parent: root) }
        flat.sort { $0.ref < $1.ref }

        func dest(_ d: PDFDestination) -> String {
            let page = pageRefs[min(max(d.page, 0), pageRefs.count - 1)]
            return "[\(page) 0 R /XYZ null \(num(d.top)) null]"
        }

        var body = Body()
        body.raw("%PDF-1.4\n%\u{E2}\u{E3}\u{CF}\u{D3}\n", latin1: true)
        var catalog = "<< /Type /Catalog /Pages \(pagesRef) 0 R /Lang \(textString(metadata.language)) /ViewerPreferences << /DisplayDocTitle true >>"
        if let root = outlineRootRef { catalog += " /Outlines \(root) 0 R /PageMode /UseOutlines" }
        body.object(catalogRef, catalog + " >>")
        body.object(infoRef, "<< /Title \(textString(metadata.title)) /Subject \(textString(metadata.subject)) /Author \(textString(metadata.author))"
                    + " /Creator \(textString(metadata.creator)) /Producer \(textString(metadata.producer))"
                    + " /CreationDate \(textString(metadata.date)) /ModDate \(textString(metadata.date)) >>")
        body.object(pagesRef, "<< /Type /Pages /Kids [\(pageRefs.map { "\($0) 0 R" }.joined(separator: " "))] /Count \(pageRefs.count) >>")
        for font in StandardFont.allCases {
            body.object(fontRefs[font]!, "<< /Type /Font /Subtype /Type1 /BaseFont /\(font.baseFont) /Encoding /WinAnsiEncoding"
                        + " /FirstChar 32 /LastChar 255 /Widths [\(font.widths.map(String.init).joined(separator: " "))] >>")
        }
        let resources = "<< /Font << " + StandardFont.allCases.map { "/\($0.resourceName) \(fontRefs[$0]!) 0 R" }.joined(separator: " ")
            + " >> /ProcSet [/PDF /Text] >>"
        for (i, page) in pages.enumerated() {
            var dict = "<< /Type /Page /Parent \(pagesRef) 0 R /MediaBox [0 0 \(num(pageWidth)) \(num(pageHeight))] /Resources \(resources)"
                + " /Contents \(contentRefs[i]) 0 R"
            if !page.links.isEmpty { dict += " /Annots [\(linkRefs[i].map { "\($0) 0 R" }.joined(separator: " "))]" }
            body.object(pageRefs[i], dict + " >>")
            let content = Array(page.content.utf8)
            body.object(contentRefs[i], "<< /Length \(content.count) >>\nstream\n", stream: content)
            for (k, link) in page.links.enumerated() {
                let r = link.rect
                body.object(linkRefs[i][k], "<< /Type /Annot /Subtype /Link /Rect [\(num(r.x)) \(num(r.y)) \(num(r.x + r.width)) \(num(r.y + r.height))]"
                            + " /Border [0 0 0] /Dest \(dest(link.destination)) >>")
            }
        }
        if let root = outlineRootRef {
            body.object(root, "<< /Type /Outlines /First \(topRefs.first!) 0 R /Last \(topRefs.last!) 0 R /Count \(visibleCount(outline)) >>")
            for o in flat {
                var dict = "<< /Title \(textString(o.item.title)) /Parent \(o.parent) 0 R /Dest \(dest(o.item.destination))"
                if let prev = o.prev { dict += " /Prev \(prev) 0 R" }
                if let nextRef = o.next { dict += " /Next \(nextRef) 0 R" }
                if let first = o.first, let last = o.last { dict += " /First \(first) 0 R /Last \(last) 0 R /Count \(o.count)" }
                body.object(o.ref, dict + " >>")
            }
        }

        // Cross-reference table: one 20-byte line per object, in object-number order.
        let size = next
        let xrefOffset = body.bytes.count
        var xref = "xref\n0 \(size)\n0000000000 65535 f \n"
        for ref in 1..<size {
            let offset = String(body.offsets[ref] ?? 0)
            xref += String(repeating: "0", count: 10 - offset.count) + offset + " 00000 n \n"
        }
        let id = fileIdentifier(body.bytes)
        xref += "trailer\n<< /Size \(size) /Root \(catalogRef) 0 R /Info \(infoRef) 0 R /ID [<\(id)> <\(id)>] >>\nstartxref\n\(xrefOffset)\n%%EOF\n"
        return body.bytes + Array(xref.utf8)
    }

    /// The number of open descendants, as the outline's /Count wants it (all items are open).
    static func visibleCount(_ items: [PDFOutlineItem]) -> Int {
        items.reduce(0) { $0 + 1 + visibleCount($1.children) }
    }

    /// Accumulates objects and remembers where each starts.
    struct Body {
        var bytes: [UInt8] = []
        var offsets: [Int: Int] = [:]

        mutating func raw(_ text: String, latin1: Bool = false) {
            if latin1 {
                bytes += text.unicodeScalars.map { UInt8(truncatingIfNeeded: $0.value) }
            } else {
                bytes += Array(text.utf8)
            }
        }

        mutating func object(_ ref: Int, _ dictionary: String, stream: [UInt8]? = nil) {
            offsets[ref] = bytes.count
            bytes += Array("\(ref) 0 obj\n".utf8)
            bytes += Array(dictionary.utf8)
            if let stream {
                bytes += stream
                bytes += Array("\nendstream".utf8)
            }
            bytes += Array("\nendobj\n".utf8)
        }
    }

    /// A number with at most two decimals and no exponent (`12`, `12.5`, `-0.25`).
    public static func num(_ value: Double) -> String {
        guard value.isFinite else { return "0" }
        let hundredths = Int64((value * 100).rounded())
        let sign = hundredths < 0 ? "-" : ""
        let a = abs(hundredths)
        let whole = a / 100, fraction = a % 100
        if fraction == 0 { return sign + String(whole) }
        if fraction % 10 == 0 { return sign + "\(whole).\(fraction / 10)" }
        return sign + "\(whole)." + (fraction < 10 ? "0" : "") + String(fraction)
    }

    /// A PDF text string: a literal for printable ASCII, otherwise UTF-16BE with a byte-order mark.
    public static func textString(_ text: String) -> String {
        if text.unicodeScalars.allSatisfy({ $0.value >= 0x20 && $0.value < 0x7F }) {
            return "(" + escapeLiteral(Array(text.utf8)) + ")"
        }
        var hex = "<FEFF"
        for unit in text.utf16 { hex += hex4(unit) }
        return hex + ">"
    }

    /// WinAnsi bytes as the inside of a literal string: `( ) \` escaped, bytes outside
    /// printable ASCII as three-digit octal, so content streams stay 7-bit.
    public static func escapeLiteral(_ bytes: [UInt8]) -> String {
        var out = ""
        out.reserveCapacity(bytes.count)
        for b in bytes {
            switch b {
            case 0x28: out += "\\("
            case 0x29: out += "\\)"
            case 0x5C: out += "\\\\"
            case 0x20...0x7E: out.unicodeScalars.append(Unicode.Scalar(b))
            default:
                let octal = String(b, radix: 8)
                out += "\\" + String(repeating: "0", count: 3 - octal.count) + octal
            }
        }
        return out
    }

    static func hex4(_ unit: UInt16) -> String {
        let digits = Array("0123456789ABCDEF")
        return String([digits[Int(unit >> 12)], digits[Int((unit >> 8) & 0xF)], digits[Int((unit >> 4) & 0xF)], digits[Int(unit & 0xF)]])
    }

    /// 16 bytes derived from the file's content (two FNV-1a 64-bit hashes), as hex: the same
    /// document always gets the same identifier, a different one almost surely another.
    static func fileIdentifier(_ bytes: [UInt8]) -> String {
        var a: UInt64 = 0xcbf2_9ce4_8422_2325
        var b: UInt64 = 0x8422_2325_cbf2_9ce4
        for byte in bytes {
            a = (a ^ UInt64(byte)) &* 0x0000_0100_0000_01B3
            b = (b ^ UInt64(byte ^ 0x5A)) &* 0x0000_0100_0000_01B3
        }
        func hex(_ v: UInt64) -> String {
            let s = String(v, radix: 16, uppercase: true)
            return String(repeating: "0", count: 16 - s.count) + s
        }
        return hex(a) + hex(b)
    }
}
