import Foundation

/// A colour as PDF fill components (0…1).
public struct PDFColor: Sendable, Hashable {
    public let r: Double, g: Double, b: Double
    public init(_ r: Double, _ g: Double, _ b: Double) {
        self.r = r
        self.g = g
        self.b = b
    }

    public static let black = PDFColor(0, 0, 0)
    public static let ink = PDFColor(0.1, 0.1, 0.1)
    public static let muted = PDFColor(0.33, 0.33, 0.33)
    public static let accent = PDFColor(0.11, 0.31, 0.57)
    public static let tint = PDFColor(0.93, 0.95, 0.98)
    public static let line = PDFColor(0.7, 0.7, 0.7)
    public static let headerFill = PDFColor(0.9, 0.93, 0.97)

    var fill: String { "\(PDFWriter.num(r)) \(PDFWriter.num(g)) \(PDFWriter.num(b)) rg" }
    var stroke: String { "\(PDFWriter.num(r)) \(PDFWriter.num(g)) \(PDFWriter.num(b)) RG" }
}

/// How a run of text looks.
public struct PDFTextStyle: Sendable, Hashable {
    public var font: StandardFont
    public var size: Double
    /// Distance between baselines.
    public var leading: Double
    public var color: PDFColor

    public init(font: StandardFont, size: Double, leading: Double? = nil, color: PDFColor = .ink) {
        self.font = font
        self.size = size
        self.leading = leading ?? (size * 1.35).rounded()
        self.color = color
    }

    public func with(font: StandardFont? = nil, size: Double? = nil, color: PDFColor? = nil) -> PDFTextStyle {
        var s = self
        if let font { s.font = font }
        if let size {
            s.size = size
            s.leading = (size * 1.35).rounded()
        }
        if let color { s.color = color }
        return s
    }
}

/// Lays out text top to bottom on A4 pages: word wrapping by the fonts' real widths, page
/// breaks, lists, boxes and simple tables. `y` is the top of the next line, in PDF
/// coordinates (points from the bottom edge).
final class PDFTypesetter {
    struct Page {
        var content = ""
        var links: [PDFLink] = []
    }

    let left: Double
    let right: Double
    let top: Double
    let bottom: Double
    private(set) var pages: [Page] = []
    var y: Double = 0

    init(left: Double = 62, right: Double = PDFWriter.pageWidth - 56, top: Double = PDFWriter.pageHeight - 52, bottom: Double = 66) {
        self.left = left
        self.right = right
        self.top = top
        self.bottom = bottom
    }

    var width: Double { right - left }
    var pageIndex: Int { pages.count - 1 }
    var onFreshPage: Bool { y >= top - 0.01 }
    /// Where a reader should land for what is laid out next.
    var here: PDFDestination { PDFDestination(page: max(pageIndex, 0), top: min(y + 14, PDFWriter.pageHeight)) }

    func newPage() {
        pages.append(Page())
        y = top
    }

    /// Starts a new page unless `height` still fits on this one (or the page is empty).
    @discardableResult
    func ensure(_ height: Double) -> Bool {
        if pages.isEmpty || (y - height < bottom && !onFreshPage) {
            newPage()
            return true
        }
        return false
    }

    func space(_ height: Double) {
        guard !onFreshPage else { return }
        y -= height
    }

    // MARK: Drawing primitives

    func emit(_ op: String, page: Int? = nil) {
        if pages.isEmpty { newPage() }
        let index = page ?? pageIndex
        pages[index].content += op
        pages[index].content += "\n"
    }

    /// One line of text with its baseline at `baseline`.
    func draw(_ bytes: [UInt8], x: Double, baseline: Double, style: PDFTextStyle, page: Int? = nil) {
        guard !bytes.isEmpty else { return }
        emit("BT /\(style.font.resourceName) \(PDFWriter.num(style.size)) Tf \(style.color.fill) \(PDFWriter.num(x)) \(PDFWriter.num(baseline)) Td ("
             + PDFWriter.escapeLiteral(bytes) + ") Tj ET", page: page)
    }

    func fill(_ rect: PDFRect, _ color: PDFColor, page: Int? = nil) {
        emit("\(color.fill) \(PDFWriter.num(rect.x)) \(PDFWriter.num(rect.y)) \(PDFWriter.num(rect.width)) \(PDFWriter.num(rect.height)) re f", page: page)
    }

    func strokeRect(_ rect: PDFRect, _ color: PDFColor, lineWidth: Double = 0.5) {
        emit("\(color.stroke) \(PDFWriter.num(lineWidth)) w \(PDFWriter.num(rect.x)) \(PDFWriter.num(rect.y)) \(PDFWriter.num(rect.width)) \(PDFWriter.num(rect.height)) re S")
    }

    func line(from x1: Double, _ y1: Double, to x2: Double, _ y2: Double, _ color: PDFColor, lineWidth: Double = 0.5, page: Int? = nil) {
        emit("\(color.stroke) \(PDFWriter.num(lineWidth)) w \(PDFWriter.num(x1)) \(PDFWriter.num(y1)) m \(PDFWriter.num(x2)) \(PDFWriter.num(y2)) l S", page: page)
    }

    func link(_ rect: PDFRect, to destination: PDFDestination, page: Int? = nil) {
        if pages.isEmpty { newPage() }
        pages[page ?? pageIndex].links.append(PDFLink(rect: rect, destination: destination))
    }

    /// The baseline of a line whose box starts at `top`.
    static func baseline(top: Double, style: PDFTextStyle) -> Double {
        top - (style.leading - style.size) / 2 - style.size * 0.78
    }

    // MARK: Wrapping

    /// Greedy word wrap at spaces; a word wider than the line is broken between characters.
    static func wrap(_ bytes: [UInt8], font: StandardFont, size: Double, width: Double) -> [[UInt8]] {
        let words = bytes.split(separator: 0x20, omittingEmptySubsequences: true).map(Array.init)
        guard !words.isEmpty else { return [] }
        let space = font.width([0x20], size: size)
        var lines: [[UInt8]] = []
        var current: [UInt8] = []
        var currentWidth = 0.0
        for var word in words {
            var w = font.width(word, size: size)
            if !current.isEmpty && currentWidth + space + w <= width + 0.001 {
                current.append(0x20)
                current += word
                currentWidth += space + w
                continue
            }
            if !current.isEmpty { lines.append(current) }
            current = []
            currentWidth = 0
            // Break an over-long word into pieces that fit.
            while w > width + 0.001 && word.count > 1 {
                var cut = 1
                var pieceWidth = font.width(word[0..<1], size: size)
                while cut < word.count {
                    let next = pieceWidth + font.width(word[cut..<(cut + 1)], size: size)
                    if next > width + 0.001 { break }
                    pieceWidth = next
                    cut += 1
                }
                lines.append(Array(word[0..<cut]))
                word = Array(word[cut...])
                w = font.width(word, size: size)
            }
            current = word
            currentWidth = w
        }
        if !current.isEmpty { lines.append(current) }
        return lines
    }

    // MARK: Blocks

    /// A wrapped paragraph. `marker` (a bullet or number) hangs in the indent before the first
    /// line; `keepTogether` moves the whole paragraph to the next page rather than splitting it.
    func paragraph(_ text: String, style: PDFTextStyle, indent: Double = 0, marker: String? = nil, markerWidth: Double = 0,
                   spaceAfter: Double = 0, keepTogether: Bool = false) {
        let x = left + indent + markerWidth
        let lines = Self.wrap(WinAnsi.encode(text), font: style.font, size: style.size, width: right - x)
        if keepTogether { ensure(min(Double(lines.count) * style.leading, top - bottom)) }
        for (i, line) in lines.enumerated() {
            ensure(style.leading)
            let baseline = Self.baseline(top: y, style: style)
            if i == 0, let marker { draw(WinAnsi.encode(marker), x: left + indent, baseline: baseline, style: style) }
            draw(line, x: x, baseline: baseline, style: style)
            y -= style.leading
        }
        if !lines.isEmpty { y -= spaceAfter }
    }

    /// User Markdown as plain blocks: paragraphs, bullet and numbered lists, quotes, rules
    /// (links, emphasis and raw HTML become plain text). False when there was nothing to show.
    @discardableResult
    func markdown(_ source: String, style: PDFTextStyle) -> Bool {
        let blocks = PlainTextBlock.parse(markdown: source)
        guard !blocks.isEmpty else { return false }
        for (i, block) in blocks.enumerated() {
            if i > 0 {
                if case .item = block, case .item = blocks[i - 1] { y -= 1 } else { y -= 5 }
            }
            switch block {
            case .paragraph(let text):
                paragraph(text, style: style)
            case .item(let level, let marker, let text):
                let indent = 4 + Double(min(level, 6)) * 14
                paragraph(text, style: style, indent: indent, marker: marker.isEmpty ? nil : marker, markerWidth: marker.count > 2 ? 22 : 14)
            case .quote(let text):
                let top = y
                paragraph(text, style: style.with(color: .muted), indent: 12)
                if y < top { line(from: left + 3, top - 2, to: left + 3, y + 2, .line, lineWidth: 2) }
            case .rule:
                ensure(8)
                line(from: left, y - 4, to: right, y - 4, .line)
                y -= 8
            }
        }
        return true
    }

    /// A document's title block on the current page: a muted kicker line, the title, an accent bar.
    func titleBlock(kicker: String, title: String, kickerStyle: PDFTextStyle, titleStyle: PDFTextStyle) {
        paragraph(kicker, style: kickerStyle, spaceAfter: 4)
        paragraph(title, style: titleStyle, spaceAfter: 8)
        fill(PDFRect(x: left, y: y - 3, width: 90, height: 3), .accent)
        y -= 18
    }

    /// The footer on every page from `first` on: a rule, the document's title on the left,
    /// "Seite n von m" / "Page n of m" on the right.
    func pageFooters(title: String, english: Bool, style: PDFTextStyle, from first: Int = 0) {
        let total = pages.count
        guard first < total else { return }
        for page in first..<total {
            let baseline = 40.0
            line(from: left, baseline + 14, to: right, baseline + 14, .line, page: page)
            draw(WinAnsi.encode(title), x: left, baseline: baseline, style: style, page: page)
            let number = WinAnsi.encode(english ? "Page \(page + 1) of \(total)" : "Seite \(page + 1) von \(total)")
            draw(number, x: right - style.font.width(number, size: style.size), baseline: baseline, style: style, page: page)
        }
    }

    /// A heading kept on the page with at least `keep` points of what follows.
    func heading(_ text: String, style: PDFTextStyle, spaceBefore: Double, spaceAfter: Double, keep: Double = 40) {
        let lines = Self.wrap(WinAnsi.encode(text), font: style.font, size: style.size, width: width)
        let height = Double(lines.count) * style.leading
        if !ensure(spaceBefore + height + spaceAfter + keep) { space(spaceBefore) }
        for line in lines {
            draw(line, x: left, baseline: Self.baseline(top: y, style: style), style: style)
            y -= style.leading
        }
        y -= spaceAfter
    }

    /// Label–value pairs in two columns; a pair stays on one page unless it is taller than a page.
    func definitions(_ pairs: [(String, String)], labelStyle: PDFTextStyle, valueStyle: PDFTextStyle, labelWidth: Double, gap: Double = 1.5) {
        for (label, value) in pairs {
            let labelLines = Self.wrap(WinAnsi.encode(label), font: labelStyle.font, size: labelStyle.size, width: labelWidth - 8)
            let valueLines = Self.wrap(WinAnsi.encode(value), font: valueStyle.font, size: valueStyle.size, width: width - labelWidth)
            // One line grid for both columns, so label and value share their baselines.
            let leading = max(labelStyle.leading, valueStyle.leading)
            var grid = valueStyle
            grid.leading = leading
            let count = max(labelLines.count, valueLines.count, 1)
            ensure(min(Double(count) * leading, top - bottom))
            for i in 0..<count {
                ensure(leading)
                let baseline = Self.baseline(top: y, style: grid)
                if i < labelLines.count { draw(labelLines[i], x: left, baseline: baseline, style: labelStyle) }
                if i < valueLines.count { draw(valueLines[i], x: left + labelWidth, baseline: baseline, style: valueStyle) }
                y -= leading
            }
            y -= gap
        }
    }

    /// A tinted box with an accent bar: a bold first line and wrapped text below; kept on one page.
    func box(title: String, titleStyle: PDFTextStyle, body: String, bodyStyle: PDFTextStyle, padding: Double = 8, label: String? = nil,
             labelStyle: PDFTextStyle? = nil) {
        let inner = width - 2 * padding - 3
        let labelLines = label.map { Self.wrap(WinAnsi.encode($0), font: labelStyle!.font, size: labelStyle!.size, width: inner) } ?? []
        let titleLines = Self.wrap(WinAnsi.encode(title), font: titleStyle.font, size: titleStyle.size, width: inner)
        let bodyLines = body.split(separator: "\n", omittingEmptySubsequences: false).flatMap {
            let lines = Self.wrap(WinAnsi.encode(String($0)), font: bodyStyle.font, size: bodyStyle.size, width: inner)
            return lines.isEmpty ? [[UInt8]()] : lines
        }
        let height = 2 * padding + Double(labelLines.count) * (labelStyle?.leading ?? 0) + Double(titleLines.count) * titleStyle.leading
            + Double(bodyLines.count) * bodyStyle.leading + (bodyLines.isEmpty ? 0 : 2)
        guard height <= top - bottom else {
            // Taller than a page: no box, the text flows over pages behind an accent rule.
            ensure(40)
            fill(PDFRect(x: left, y: y - 3, width: width, height: 3), .accent)
            y -= 3 + padding
            if let label, let labelStyle { paragraph(label, style: labelStyle) }
            paragraph(title, style: titleStyle, spaceAfter: 2)
            for part in body.split(separator: "\n", omittingEmptySubsequences: false) { paragraph(String(part), style: bodyStyle) }
            y -= padding
            return
        }
        ensure(height)
        let boxTop = y
        fill(PDFRect(x: left, y: boxTop - height, width: width, height: height), .tint)
        fill(PDFRect(x: left, y: boxTop - height, width: 3, height: height), .accent)
        var cursor = boxTop - padding
        let x = left + 3 + padding
        for line in labelLines {
            draw(line, x: x, baseline: Self.baseline(top: cursor, style: labelStyle!), style: labelStyle!)
            cursor -= labelStyle!.leading
        }
        for line in titleLines {
            draw(line, x: x, baseline: Self.baseline(top: cursor, style: titleStyle), style: titleStyle)
            cursor -= titleStyle.leading
        }
        cursor -= 2
        for line in bodyLines {
            draw(line, x: x, baseline: Self.baseline(top: cursor, style: bodyStyle), style: bodyStyle)
            cursor -= bodyStyle.leading
        }
        y = boxTop - height
    }

    /// A table with a header row (repeated after a page break). `widths` are fractions of the
    /// line width. A row stays on one page; a row taller than a page is cut with "…".
    func table(header: [String], rows: [[String]], widths: [Double], headerStyle: PDFTextStyle, cellStyle: PDFTextStyle,
               rowHeaderStyle: PDFTextStyle? = nil, padding: Double = 4) {
        let columns = widths.map { $0 * width }
        func layout(_ cells: [String], styles: [PDFTextStyle]) -> (lines: [[[UInt8]]], height: Double) {
            var lines: [[[UInt8]]] = []
            var height = 0.0
            for (i, cell) in cells.enumerated() where i < columns.count {
                let style = styles[i]
                let wrapped = Self.wrap(WinAnsi.encode(cell), font: style.font, size: style.size, width: columns[i] - 2 * padding)
                lines.append(wrapped)
                height = max(height, Double(max(wrapped.count, 1)) * style.leading)
            }
            return (lines, height + 2 * padding)
        }
        let headerStyles = Array(repeating: headerStyle, count: columns.count)
        let head = layout(header, styles: headerStyles)
        func drawRow(_ row: (lines: [[[UInt8]]], height: Double), styles: [PDFTextStyle], fillColor: PDFColor?) {
            let maxHeight = top - bottom - head.height
            var lines = row.lines
            var height = row.height
            if height > maxHeight {
                // Cut every cell to what fits on an empty page.
                height = maxHeight
                for i in lines.indices {
                    let fit = max(1, Int((maxHeight - 2 * padding) / styles[i].leading))
                    if lines[i].count > fit {
                        lines[i] = Array(lines[i].prefix(fit))
                        lines[i][fit - 1] += WinAnsi.encode("…")
                    }
                }
            }
            var x = left
            if let fillColor { fill(PDFRect(x: left, y: y - height, width: width, height: height), fillColor) }
            for (i, cellLines) in lines.enumerated() {
                strokeRect(PDFRect(x: x, y: y - height, width: columns[i], height: height), .line)
                for (k, line) in cellLines.enumerated() {
                    let top = y - padding - Double(k) * styles[i].leading
                    draw(line, x: x + padding, baseline: Self.baseline(top: top, style: styles[i]), style: styles[i])
                }
                x += columns[i]
            }
            y -= height
        }
        ensure(head.height + (rows.first.map { layout($0, styles: Array(repeating: cellStyle, count: columns.count)).height } ?? 0))
        drawRow(head, styles: headerStyles, fillColor: .headerFill)
        for row in rows {
            var styles = Array(repeating: cellStyle, count: columns.count)
            if let rowHeaderStyle { styles[0] = rowHeaderStyle }
            let laid = layout(row, styles: styles)
            if ensure(min(laid.height, top - bottom - head.height)) { drawRow(head, styles: headerStyles, fillColor: .headerFill) }
            drawRow(laid, styles: styles, fillColor: nil)
        }
    }
}
