// Safe Markdown for user-written texts (recommendations, comments, feedback).
//
// This file and Web/lib/markdown.js are the same renderer written twice; both are checked
// against Tests/Fixtures/markdown-cases.json, so the server's documents (the annual dossier)
// and the web client show the same HTML for the same text. Change them together.
//
// Supported (a CommonMark-flavoured subset, described for users in Docs/markdown.md):
//   blocks   paragraphs; ATX headings `#` … `######`, shifted by two levels (`#` → <h3>,
//            `##` → <h4>, `###` → <h5>, deeper → <h6>) because the page owns <h1>/<h2>;
//            thematic breaks (`---`, `***`, `___`); fenced code (``` or ~~~, the info
//            string is ignored) and indented code (4 spaces); block quotes (`>`, with lazy
//            continuation lines); bullet lists (`-`, `+`, `*`) and ordered lists (`1.` or
//            `1)`, the first number becomes `start`), nested by indentation, tight or loose.
//   inlines  *em* and _em_, **strong** and __strong__ (CommonMark's delimiter rules, with
//            ASCII character classes); `code spans`; [links](url "title"); autolinks
//            <https://…>, <mailto:…>, <name@example.org> and bare http(s):// addresses;
//            hard line breaks (two spaces or a backslash at the end of a line); backslash
//            escapes of ASCII punctuation. ![alt](url) becomes a link to the image: images are
//            never embedded.
//   not supported, shown as text: raw HTML (always escaped, never passed through), HTML
//            entities (`&amp;` shows as written), setext headings (`===` under a line; a
//            `---` line is always a thematic break), reference links ([a][b], [b]: url),
//            tables, strikethrough, task lists, footnotes.
//
// Safety, by construction: every run of user text is escaped (& < > " '), and the only tags
// produced are p, br, h3–h6, em, strong, code, pre, blockquote, ul, ol, li, a and hr, with
// the attributes href, title, rel and start. A link's URL must be relative (path, query or
// fragment) or use http, https or mailto; anything else (javascript:, data:, vbscript:,
// file:, control characters, `&` before the first `/?#`) drops the link and keeps its
// text. Links get rel="nofollow noopener noreferrer" and no target. Nesting is capped
// (`maxNesting` containers, `maxOpenBrackets` open `[`, `maxLinkParens` parentheses in a
// URL); beyond a cap the markers are plain text. Every step is linear in the input.
//
// The renderer works on UTF-8 bytes and decides only on ASCII characters, so it treats
// every non-ASCII character exactly as the JavaScript version treats it (as "other").

/// Renders user-written Markdown to HTML that is safe to embed, or to plain text.
public enum Markdown {
    /// Markdown source → HTML (every text run escaped; see the list of tags above).
    public static func html(_ source: String) -> String {
        var writer = MarkdownWriter(plain: false)
        writer.blocks(parseBlocks(normalizedLines(source), depth: 0))
        return String(decoding: writer.out, as: UTF8.self)
    }

    /// Plain text → HTML text or double-quoted attribute value: `& < > " '` escaped, NUL
    /// replaced by U+FFFD. The one HTML escaping of the server's documents (dossier, charts).
    public static func escapeHTML(_ text: String) -> String {
        var out: Bytes = []
        out.reserveCapacity(text.utf8.count)
        appendEscaped(Array(text.replacingNUL.utf8), to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// Markdown source → plain text, for search indexes and the text part of e-mails.
    /// Markup characters that took effect are removed; links keep their text and add an
    /// absolute URL in parentheses; list items get "- " or "1. "; quotes get "> "; blocks
    /// are separated by a blank line. Not HTML: escape it if it ever goes into markup.
    public static func plainText(_ source: String) -> String {
        String(decoding: plainBlocks(parseBlocks(normalizedLines(source), depth: 0)), as: UTF8.self)
    }
}

private typealias Bytes = [UInt8]

private let maxNesting = 8
private let maxOpenBrackets = 32
private let maxLinkParens = 32

private enum Ch {
    static let tab: UInt8 = 9
    static let nl: UInt8 = 10
    static let cr: UInt8 = 13
    static let space: UInt8 = 32
    static let bang: UInt8 = 33
    static let dquote: UInt8 = 34
    static let hash: UInt8 = 35
    static let amp: UInt8 = 38
    static let squote: UInt8 = 39
    static let lparen: UInt8 = 40
    static let rparen: UInt8 = 41
    static let star: UInt8 = 42
    static let plus: UInt8 = 43
    static let dash: UInt8 = 45
    static let dot: UInt8 = 46
    static let slash: UInt8 = 47
    static let colon: UInt8 = 58
    static let lt: UInt8 = 60
    static let gt: UInt8 = 62
    static let question: UInt8 = 63
    static let at: UInt8 = 64
    static let lbracket: UInt8 = 91
    static let backslash: UInt8 = 92
    static let rbracket: UInt8 = 93
    static let underscore: UInt8 = 95
    static let backtick: UInt8 = 96
    static let tilde: UInt8 = 126
    static let del: UInt8 = 127
    static let upperH: UInt8 = 72
    static let lowerH: UInt8 = 104
}

// MARK: - Characters

private func isAsciiPunct(_ c: UInt8) -> Bool {
    (c >= 33 && c <= 47) || (c >= 58 && c <= 64) || (c >= 91 && c <= 96) || (c >= 123 && c <= 126)
}

private func isDigit(_ c: UInt8) -> Bool { c >= 48 && c <= 57 }

private func isAlnum(_ c: UInt8) -> Bool { isDigit(c) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) }

private func isSpaceOrTab(_ c: UInt8) -> Bool { c == Ch.space || c == Ch.tab }

/// Whitespace for the emphasis rules: ASCII only (start and end of text count as whitespace).
private func isWhitespace(_ c: UInt8) -> Bool { c == Ch.space || c == Ch.tab || (c >= 10 && c <= 13) }

private func lowerAscii(_ c: UInt8) -> UInt8 { c >= 65 && c <= 90 ? c + 32 : c }

private func startsWithAsciiCI(_ s: Bytes, _ at: Int, _ lit: String) -> Bool {
    var k = at
    for l in lit.utf8 {
        if k >= s.count || lowerAscii(s[k]) != l { return false }
        k += 1
    }
    return true
}

private func appendEscaped(_ s: Bytes, to out: inout Bytes) {
    for c in s {
        switch c {
        case Ch.amp: out.append(contentsOf: "&amp;".utf8)
        case Ch.lt: out.append(contentsOf: "&lt;".utf8)
        case Ch.gt: out.append(contentsOf: "&gt;".utf8)
        case Ch.dquote: out.append(contentsOf: "&quot;".utf8)
        case Ch.squote: out.append(contentsOf: "&#39;".utf8)
        default: out.append(c)
        }
    }
}

private func trimEndSpaces(_ s: Bytes) -> Bytes {
    var e = s.count
    while e > 0 && isSpaceOrTab(s[e - 1]) { e -= 1 }
    return e == s.count ? s : Array(s[..<e])
}

private func trimSpaces(_ s: Bytes) -> Bytes {
    var b = 0
    while b < s.count && isSpaceOrTab(s[b]) { b += 1 }
    return trimEndSpaces(Array(s[b...]))
}

/// Backslash escapes of ASCII punctuation → the character.
private func unescapePunct(_ s: ArraySlice<UInt8>) -> Bytes {
    var out = Bytes()
    out.reserveCapacity(s.count)
    var k = s.startIndex
    while k < s.endIndex {
        if s[k] == Ch.backslash && k + 1 < s.endIndex && isAsciiPunct(s[k + 1]) {
            out.append(s[k + 1])
            k += 2
        } else {
            out.append(s[k])
            k += 1
        }
    }
    return out
}

/// The URL policy: relative URLs (path, query, fragment) and http, https and mailto.
/// Returns nil for anything else; the caller then renders the link text only.
private func safeHref(_ url: Bytes) -> Bytes? {
    var head = url.count
    var colon = -1
    var ampersand = -1
    for (k, c) in url.enumerated() {
        if c < Ch.space || c == Ch.del { return nil }
        if head == url.count {
            if c == Ch.slash || c == Ch.question || c == Ch.hash { head = k }
            else if c == Ch.colon && colon < 0 { colon = k }
            else if c == Ch.amp && ampersand < 0 { ampersand = k }
        }
    }
    if colon >= 0 {
        let allowed = startsWithAsciiCI(url, 0, "http:") || startsWithAsciiCI(url, 0, "https:") || startsWithAsciiCI(url, 0, "mailto:")
        return allowed ? url : nil
    }
    // An ampersand before the first "/?#" looks like an entity-obfuscated scheme.
    if ampersand >= 0 { return nil }
    return url
}

// MARK: - Blocks

private indirect enum Block {
    case paragraph(Bytes)
    case heading(level: Int, text: Bytes)
    case rule
    case code(Bytes)
    case quote([BlockNode])
    case list(ordered: Bool, start: Int, tight: Bool, items: [[BlockNode]])
}

private struct BlockNode {
    var block: Block
    var blankBefore: Bool
}

/// CR LF and CR become LF, NUL becomes U+FFFD; then the lines.
private func normalizedLines(_ source: String) -> [Bytes] {
    var lines: [Bytes] = []
    var line = Bytes()
    var previousCR = false
    for c in source.utf8 {
        if c == Ch.nl && previousCR {
            previousCR = false
            continue
        }
        previousCR = c == Ch.cr
        if c == Ch.nl || c == Ch.cr {
            lines.append(line)
            line = Bytes()
        } else if c == 0 {
            line.append(contentsOf: [0xEF, 0xBF, 0xBD])
        } else {
            line.append(c)
        }
    }
    lines.append(line)
    return lines
}

/// Tabs in the leading run of spaces and tabs become spaces (tab stops every 4 columns).
private func expandIndent(_ line: Bytes) -> Bytes {
    var end = 0
    var hasTab = false
    while end < line.count && isSpaceOrTab(line[end]) {
        if line[end] == Ch.tab { hasTab = true }
        end += 1
    }
    return hasTab ? expandRun(line, from: 0, to: end) : line
}

/// Expands tabs in line[from..<to] (spaces and tabs only; column = index before `from`).
private func expandRun(_ line: Bytes, from: Int, to: Int) -> Bytes {
    var out = Array(line[..<from])
    var col = from
    for k in from..<to {
        if line[k] == Ch.tab {
            let w = 4 - col % 4
            out.append(contentsOf: repeatElement(Ch.space, count: w))
            col += w
        } else {
            out.append(Ch.space)
            col += 1
        }
    }
    out.append(contentsOf: line[to...])
    return out
}

private func indentOf(_ line: Bytes) -> Int {
    var k = 0
    while k < line.count && line[k] == Ch.space { k += 1 }
    return k
}

private func isBlank(_ line: Bytes) -> Bool {
    line.allSatisfy(isSpaceOrTab)
}

private func stripIndent(_ line: Bytes, _ max: Int) -> ArraySlice<UInt8> {
    var k = 0
    while k < max && k < line.count && line[k] == Ch.space { k += 1 }
    return line[k...]
}

private struct Fence {
    var ch: UInt8
    var length: Int
    var indent: Int
}

private func fenceStart(_ line: Bytes, _ ind: Int) -> Fence? {
    guard ind < line.count else { return nil }
    let c = line[ind]
    guard c == Ch.backtick || c == Ch.tilde else { return nil }
    var j = ind
    while j < line.count && line[j] == c { j += 1 }
    guard j - ind >= 3 else { return nil }
    if c == Ch.backtick && line[j...].contains(Ch.backtick) { return nil }
    return Fence(ch: c, length: j - ind, indent: ind)
}

private func isFenceClose(_ line: Bytes, _ fence: Fence) -> Bool {
    let ind = indentOf(line)
    guard ind <= 3 else { return false }
    var j = ind
    while j < line.count && line[j] == fence.ch { j += 1 }
    guard j - ind >= fence.length else { return false }
    return line[j...].allSatisfy(isSpaceOrTab)
}

private func atxHeading(_ line: Bytes, _ ind: Int) -> (level: Int, text: Bytes)? {
    var j = ind
    while j < line.count && j - ind < 7 && line[j] == Ch.hash { j += 1 }
    let level = j - ind
    guard level >= 1 && level <= 6 else { return nil }
    if j < line.count && !isSpaceOrTab(line[j]) { return nil }
    var text = trimSpaces(Array(line[j...]))
    var e = text.count
    while e > 0 && text[e - 1] == Ch.hash { e -= 1 }
    if e < text.count {
        if e == 0 {
            text = []
        } else if isSpaceOrTab(text[e - 1]) {
            text = trimEndSpaces(Array(text[..<e]))
        }
    }
    return (level, text)
}

private func isThematicBreak(_ line: Bytes, _ ind: Int) -> Bool {
    guard ind < line.count else { return false }
    let c = line[ind]
    guard c == Ch.dash || c == Ch.star || c == Ch.underscore else { return false }
    var count = 0
    for k in ind..<line.count {
        let d = line[k]
        if d == c { count += 1 } else if !isSpaceOrTab(d) { return false }
    }
    return count >= 3
}

/// A list item's first line. `width` is the column where the item's content starts; later
/// lines indented at least that far belong to the item.
private struct ListMarker {
    var ordered: Bool
    var delimiter: UInt8
    var start: Int
    var width: Int
    var content: Bytes
    var empty: Bool
}

private func listMarker(_ input: Bytes) -> ListMarker? {
    var line = input
    let ind = indentOf(line)
    guard ind <= 3 && ind < line.count else { return nil }
    let c = line[ind]
    var p: Int
    var ordered = false
    var start = 0
    let delimiter: UInt8
    if c == Ch.dash || c == Ch.plus || c == Ch.star {
        delimiter = c
        p = ind + 1
    } else if isDigit(c) {
        var q = ind
        while q < line.count && q - ind < 10 && isDigit(line[q]) { q += 1 }
        guard q - ind <= 9 && q < line.count else { return nil }
        let d = line[q]
        guard d == Ch.dot || d == Ch.rparen else { return nil }
        ordered = true
        for k in ind..<q { start = start * 10 + Int(line[k] - 48) }
        delimiter = d
        p = q + 1
    } else {
        return nil
    }
    if p < line.count && !isSpaceOrTab(line[p]) { return nil }
    var e = p
    var hasTab = false
    while e < line.count && isSpaceOrTab(line[e]) {
        if line[e] == Ch.tab { hasTab = true }
        e += 1
    }
    if hasTab {
        let rest = line.count - e
        line = expandRun(line, from: p, to: e)
        e = line.count - rest
    }
    if e >= line.count {
        return ListMarker(ordered: ordered, delimiter: delimiter, start: start, width: p + 1, content: [], empty: true)
    }
    let width = e - p > 4 ? p + 1 : e
    return ListMarker(ordered: ordered, delimiter: delimiter, start: start, width: width, content: Array(line[width...]), empty: false)
}

/// Whether a line ends a paragraph (and is not a lazy continuation line).
private func interrupts(_ line: Bytes, _ depth: Int) -> Bool {
    let ind = indentOf(line)
    guard ind <= 3 && ind < line.count else { return false }
    if fenceStart(line, ind) != nil || atxHeading(line, ind) != nil || isThematicBreak(line, ind) { return true }
    if depth < maxNesting {
        if line[ind] == Ch.gt { return true }
        if let m = listMarker(line), !m.empty, !m.ordered || m.start == 1 { return true }
    }
    return false
}

private func parseBlocks(_ input: [Bytes], depth: Int) -> [BlockNode] {
    let lines = input.map(expandIndent)
    let n = lines.count
    var blocks: [BlockNode] = []
    var blank = false
    func add(_ block: Block) {
        blocks.append(BlockNode(block: block, blankBefore: blank))
        blank = false
    }
    var i = 0
    while i < n {
        let line = lines[i]
        if isBlank(line) {
            blank = true
            i += 1
            continue
        }
        let ind = indentOf(line)

        if ind >= 4 {
            var j = i
            var last = i
            while j < n && (isBlank(lines[j]) || indentOf(lines[j]) >= 4) {
                if !isBlank(lines[j]) { last = j }
                j += 1
            }
            var text = Bytes()
            for k in i...last {
                text.append(contentsOf: stripIndent(lines[k], 4))
                text.append(Ch.nl)
            }
            add(.code(text))
            i = last + 1
            continue
        }

        if let fence = fenceStart(line, ind) {
            var text = Bytes()
            var j = i + 1
            while j < n && !isFenceClose(lines[j], fence) {
                text.append(contentsOf: stripIndent(lines[j], fence.indent))
                text.append(Ch.nl)
                j += 1
            }
            add(.code(text))
            i = j < n ? j + 1 : n
            continue
        }

        if let heading = atxHeading(line, ind) {
            add(.heading(level: heading.level, text: heading.text))
            i += 1
            continue
        }

        if isThematicBreak(line, ind) {
            add(.rule)
            i += 1
            continue
        }

        if depth < maxNesting && line[ind] == Ch.gt {
            var inner: [Bytes] = []
            var j = i
            while j < n {
                let l = lines[j]
                let k = indentOf(l)
                if k <= 3 && k < l.count && l[k] == Ch.gt {
                    var s = k + 1
                    if s < l.count && isSpaceOrTab(l[s]) { s += 1 }
                    inner.append(Array(l[s...]))
                    j += 1
                } else if !isBlank(l) && !isBlank(inner[inner.count - 1]) && !interrupts(l, depth) {
                    inner.append(l)
                    j += 1
                } else {
                    break
                }
            }
            add(.quote(parseBlocks(inner, depth: depth + 1)))
            i = j
            continue
        }

        if depth < maxNesting, let first = listMarker(line) {
            var items: [[BlockNode]] = []
            var tight = true
            var m = first
            var j = i
            var trailing = 0
            while true {
                var item: [Bytes] = [m.content]
                var lastBlank = m.empty
                j += 1
                while j < n {
                    let l = lines[j]
                    if isBlank(l) {
                        if m.empty && item.count == 1 { break } // an item starts with at most one blank line
                        item.append([])
                        lastBlank = true
                        j += 1
                    } else if indentOf(l) >= m.width {
                        item.append(Array(l[m.width...]))
                        lastBlank = false
                        j += 1
                    } else if !lastBlank && !interrupts(l, depth) && listMarker(l) == nil {
                        item.append(l)
                        j += 1
                    } else {
                        break
                    }
                }
                trailing = 0
                while item.count > 1 && item[item.count - 1].isEmpty {
                    item.removeLast()
                    trailing += 1
                }
                let children = parseBlocks(item, depth: depth + 1)
                if children.dropFirst().contains(where: \.blankBefore) { tight = false }
                items.append(children)
                if j >= n { break }
                let next = lines[j]
                let nextInd = indentOf(next)
                if nextInd <= 3 && !isThematicBreak(next, nextInd), let nm = listMarker(next),
                   nm.ordered == m.ordered && nm.delimiter == m.delimiter {
                    if trailing > 0 { tight = false }
                    m = nm
                    continue
                }
                break
            }
            add(.list(ordered: first.ordered, start: first.start, tight: tight, items: items))
            blank = trailing > 0
            i = j
            continue
        }

        var text = Array(line[ind...])
        var j = i + 1
        while j < n && !isBlank(lines[j]) && !interrupts(lines[j], depth) {
            text.append(Ch.nl)
            text.append(contentsOf: lines[j][indentOf(lines[j])...])
            j += 1
        }
        add(.paragraph(trimEndSpaces(text)))
        i = j
    }
    return blocks
}

// MARK: - HTML

private struct MarkdownWriter {
    var out = Bytes()
    let plain: Bool

    init(plain: Bool) {
        self.plain = plain
    }

    mutating func put(_ s: String) {
        out.append(contentsOf: s.utf8)
    }

    mutating func blocks(_ blocks: [BlockNode]) {
        for b in blocks {
            block(b.block)
            out.append(Ch.nl)
        }
    }

    mutating func block(_ b: Block) {
        switch b {
        case .paragraph(let text):
            put("<p>")
            inline(text)
            put("</p>")
        case .heading(let level, let text):
            let tag = "h\(min(level + 2, 6))"
            put("<\(tag)>")
            inline(text)
            put("</\(tag)>")
        case .rule:
            put("<hr>")
        case .code(let text):
            put("<pre><code>")
            appendEscaped(text, to: &out)
            put("</code></pre>")
        case .quote(let children):
            put("<blockquote>\n")
            blocks(children)
            put("</blockquote>")
        case .list(let ordered, let start, let tight, let items):
            let tag = ordered ? "ol" : "ul"
            put(ordered && start != 1 ? "<ol start=\"\(start)\">\n" : "<\(tag)>\n")
            for item in items {
                put("<li>")
                for child in item {
                    if tight, case .paragraph(let text) = child.block {
                        inline(text)
                    } else {
                        if out.last != Ch.nl { out.append(Ch.nl) }
                        block(child.block)
                        out.append(Ch.nl)
                    }
                }
                put("</li>\n")
            }
            put("</\(tag)>")
        }
    }

    mutating func inline(_ text: Bytes) {
        var parser = InlineParser(text)
        let nodes = parser.run()
        var linkTextStart = 0
        for node in nodes {
            switch node.kind {
            case .text:
                plain ? out.append(contentsOf: node.text) : appendEscaped(node.text, to: &out)
            case .delimiter:
                if !plain { out.append(contentsOf: node.closes) }
                out.append(contentsOf: repeatElement(node.text[0], count: node.count))
                if !plain { out.append(contentsOf: node.opens) }
            case .code:
                if plain {
                    out.append(contentsOf: node.text)
                } else {
                    put("<code>")
                    appendEscaped(node.text, to: &out)
                    put("</code>")
                }
            case .hardBreak:
                put(plain ? "\n" : "<br>\n")
            case .softBreak:
                out.append(Ch.nl)
            case .autolink:
                if plain {
                    out.append(contentsOf: node.text)
                } else {
                    put("<a href=\"")
                    appendEscaped(node.href, to: &out)
                    put("\" rel=\"nofollow noopener noreferrer\">")
                    appendEscaped(node.text, to: &out)
                    put("</a>")
                }
            case .linkOpen:
                if plain {
                    linkTextStart = out.count
                } else {
                    put("<a href=\"")
                    appendEscaped(node.href, to: &out)
                    put("\"")
                    if let title = node.title, !title.isEmpty {
                        put(" title=\"")
                        appendEscaped(title, to: &out)
                        put("\"")
                    }
                    put(" rel=\"nofollow noopener noreferrer\">")
                }
            case .linkClose:
                if plain {
                    let absolute = startsWithAsciiCI(node.href, 0, "http:") || startsWithAsciiCI(node.href, 0, "https:")
                        || startsWithAsciiCI(node.href, 0, "mailto:")
                    if absolute && !out[linkTextStart...].elementsEqual(node.href) {
                        put(" (")
                        out.append(contentsOf: node.href)
                        put(")")
                    }
                } else {
                    put("</a>")
                }
            }
        }
    }
}

// MARK: - Plain text

private func plainBlocks(_ blocks: [BlockNode]) -> Bytes {
    var out = Bytes()
    for (k, b) in blocks.enumerated() {
        if k > 0 { out.append(contentsOf: [Ch.nl, Ch.nl]) }
        out.append(contentsOf: plainBlock(b.block))
    }
    return out
}

/// Puts `first` before the first line and `rest` before every other (empty lines get the
/// prefix without its trailing spaces).
private func prefixLines(_ text: Bytes, first: Bytes, rest: Bytes) -> Bytes {
    var out = Bytes()
    for (k, line) in text.split(separator: Ch.nl, omittingEmptySubsequences: false).enumerated() {
        if k > 0 { out.append(Ch.nl) }
        let prefix = k == 0 ? first : rest
        if line.isEmpty {
            out.append(contentsOf: trimEndSpaces(prefix))
        } else {
            out.append(contentsOf: prefix)
            out.append(contentsOf: line)
        }
    }
    return out
}

private func plainBlock(_ b: Block) -> Bytes {
    switch b {
    case .paragraph(let text), .heading(_, let text):
        var writer = MarkdownWriter(plain: true)
        writer.inline(text)
        return writer.out
    case .rule:
        return Array("----".utf8)
    case .code(let text):
        return text.last == Ch.nl ? Array(text.dropLast()) : text
    case .quote(let children):
        return prefixLines(plainBlocks(children), first: Array("> ".utf8), rest: Array("> ".utf8))
    case .list(let ordered, let start, let tight, let items):
        var out = Bytes()
        for (k, item) in items.enumerated() {
            if k > 0 { out.append(contentsOf: tight ? [Ch.nl] : [Ch.nl, Ch.nl]) }
            var body = Bytes()
            for (c, child) in item.enumerated() {
                if c > 0 { body.append(contentsOf: tight ? [Ch.nl] : [Ch.nl, Ch.nl]) }
                body.append(contentsOf: plainBlock(child.block))
            }
            let marker = Array((ordered ? "\(start + k). " : "- ").utf8)
            out.append(contentsOf: prefixLines(body, first: marker, rest: Array(repeating: Ch.space, count: marker.count)))
        }
        return out
    }
}

// MARK: - Inlines

/// One element of the flat inline list. Emphasis is not a tree: a delimiter run records the
/// tags it closes (before its leftover characters) and opens (after them), so rendering
/// needs no recursion however deep the nesting.
private struct InlineNode {
    enum Kind {
        case text, delimiter, code, hardBreak, softBreak, autolink, linkOpen, linkClose
    }

    var kind: Kind
    /// Text, code content, an autolink's visible text, or a delimiter's character.
    var text = Bytes()
    var href = Bytes()
    var title: Bytes?
    /// An autolink's source, shown as text when it ends up inside a link's text.
    var source = Bytes()
    /// A delimiter run's characters that are still literal.
    var count = 0
    var opens = Bytes()
    var closes = Bytes()
}

private struct InlineParser {
    let s: Bytes
    var nodes: [InlineNode] = []
    var acc = Bytes()

    // The delimiter stack as a doubly linked list over arrays; a delimiter's index is its
    // position in the text order, which processEmphasis uses as openers_bottom.
    var dNode: [Int] = []
    var dChar: [UInt8] = []
    var dOrig: [Int] = []
    var dCount: [Int] = []
    var dOpen: [Bool] = []
    var dClose: [Bool] = []
    var dPrev: [Int] = []
    var dNext: [Int] = []
    var tail = -1

    var brackets: [(node: Int, bottom: Int)] = []
    /// Brackets below this index are inside a link's reach: inactive.
    var activeFrom = 0

    /// Code-span closers: every backtick run, indexed once by length.
    var backtickRuns: [Int: [Int]]?
    var backtickNext: [Int: Int] = [:]

    init(_ s: Bytes) {
        self.s = s
    }

    mutating func flush() {
        if !acc.isEmpty {
            nodes.append(InlineNode(kind: .text, text: acc))
            acc = []
        }
    }

    mutating func unlink(_ d: Int) {
        let p = dPrev[d]
        let q = dNext[d]
        if p >= 0 { dNext[p] = q }
        if q >= 0 { dPrev[q] = p } else { tail = p }
    }

    mutating func processEmphasis(_ bottom: Int) {
        var first = -1
        var d = tail
        while d > bottom {
            first = d
            d = dPrev[d]
        }
        let keep = first >= 0 ? dPrev[first] : tail // the last delimiter at or below bottom
        var openersBottom = [Int](repeating: bottom, count: 12)
        var c = first
        while c >= 0 {
            if !dClose[c] {
                c = dNext[c]
                continue
            }
            let ch = dChar[c]
            let key = (ch == Ch.star ? 0 : 6) + (dOrig[c] % 3) * 2 + (dOpen[c] ? 1 : 0)
            var o = dPrev[c]
            var found = false
            while o > bottom && o > openersBottom[key] {
                if dChar[o] == ch && dOpen[o] {
                    let oddMatch = (dClose[o] || dOpen[c]) && (dOrig[o] + dOrig[c]) % 3 == 0
                        && !(dOrig[o] % 3 == 0 && dOrig[c] % 3 == 0)
                    if !oddMatch {
                        found = true
                        break
                    }
                }
                o = dPrev[o]
            }
            if found {
                let use = dCount[o] >= 2 && dCount[c] >= 2 ? 2 : 1
                let tag = use == 2 ? "strong" : "em"
                dCount[o] -= use
                dCount[c] -= use
                nodes[dNode[o]].count -= use
                nodes[dNode[o]].opens = Array("<\(tag)>".utf8) + nodes[dNode[o]].opens
                nodes[dNode[c]].count -= use
                nodes[dNode[c]].closes.append(contentsOf: "</\(tag)>".utf8)
                // Delimiters between opener and closer become plain text.
                dNext[o] = c
                dPrev[c] = o
                if dCount[o] == 0 { unlink(o) }
                if dCount[c] == 0 {
                    let next = dNext[c]
                    unlink(c)
                    c = next
                }
            } else {
                openersBottom[key] = dPrev[c]
                let next = dNext[c]
                if !dOpen[c] { unlink(c) }
                c = next
            }
        }
        // Everything above bottom is done.
        if first >= 0 {
            tail = keep
            if keep >= 0 { dNext[keep] = -1 }
        }
    }

    mutating func findCodeCloser(_ length: Int, from: Int) -> Int {
        if backtickRuns == nil {
            var runs: [Int: [Int]] = [:]
            var k = 0
            while k < s.count {
                if s[k] == Ch.backtick {
                    let b = k
                    while k < s.count && s[k] == Ch.backtick { k += 1 }
                    runs[k - b, default: []].append(b)
                } else {
                    k += 1
                }
            }
            backtickRuns = runs
        }
        guard let positions = backtickRuns?[length] else { return -1 }
        var next = backtickNext[length] ?? 0
        while next < positions.count && positions[next] < from { next += 1 }
        backtickNext[length] = next
        return next < positions.count ? positions[next] : -1
    }

    mutating func run() -> [InlineNode] {
        let n = s.count
        var i = 0
        while i < n {
            let c = s[i]
            switch c {
            case Ch.backslash:
                if i + 1 < n && s[i + 1] == Ch.nl {
                    flush()
                    nodes.append(InlineNode(kind: .hardBreak))
                    i += 2
                } else if i + 1 < n && isAsciiPunct(s[i + 1]) {
                    acc.append(s[i + 1])
                    i += 2
                } else {
                    acc.append(Ch.backslash)
                    i += 1
                }

            case Ch.backtick:
                var j = i
                while j < n && s[j] == Ch.backtick { j += 1 }
                let length = j - i
                let close = findCodeCloser(length, from: j)
                if close < 0 {
                    acc.append(contentsOf: s[i..<j])
                    i = j
                    continue
                }
                var code = s[j..<close].map { $0 == Ch.nl ? Ch.space : $0 }
                if code.count >= 2 && code[0] == Ch.space && code[code.count - 1] == Ch.space && !code.allSatisfy({ $0 == Ch.space }) {
                    code = Array(code[1..<(code.count - 1)])
                }
                flush()
                nodes.append(InlineNode(kind: .code, text: code))
                i = close + length

            case Ch.star, Ch.underscore:
                var j = i
                while j < n && s[j] == c { j += 1 }
                let before = i == 0 ? Ch.nl : s[i - 1]
                let after = j >= n ? Ch.nl : s[j]
                let leftFlanking = !isWhitespace(after) && (!isAsciiPunct(after) || isWhitespace(before) || isAsciiPunct(before))
                let rightFlanking = !isWhitespace(before) && (!isAsciiPunct(before) || isWhitespace(after) || isAsciiPunct(after))
                let canOpen: Bool
                let canClose: Bool
                if c == Ch.star {
                    canOpen = leftFlanking
                    canClose = rightFlanking
                } else {
                    canOpen = leftFlanking && (!rightFlanking || isAsciiPunct(before))
                    canClose = rightFlanking && (!leftFlanking || isAsciiPunct(after))
                }
                flush()
                if canOpen || canClose {
                    let d = dNode.count
                    dNode.append(nodes.count)
                    dChar.append(c)
                    dOrig.append(j - i)
                    dCount.append(j - i)
                    dOpen.append(canOpen)
                    dClose.append(canClose)
                    dPrev.append(tail)
                    dNext.append(-1)
                    if tail >= 0 { dNext[tail] = d }
                    tail = d
                }
                nodes.append(InlineNode(kind: .delimiter, text: [c], count: j - i))
                i = j

            case Ch.bang, Ch.lbracket:
                let image = c == Ch.bang
                if image && !(i + 1 < n && s[i + 1] == Ch.lbracket) {
                    acc.append(Ch.bang)
                    i += 1
                    continue
                }
                let width = image ? 2 : 1
                if brackets.count >= maxOpenBrackets {
                    acc.append(contentsOf: s[i..<(i + width)])
                    i += width
                    continue
                }
                flush()
                brackets.append((node: nodes.count, bottom: dNode.count - 1))
                nodes.append(InlineNode(kind: .text, text: Array(s[i..<(i + width)])))
                i += width

            case Ch.rbracket:
                guard let opener = brackets.popLast() else {
                    acc.append(Ch.rbracket)
                    i += 1
                    continue
                }
                let wasActive = brackets.count >= activeFrom
                if activeFrom > brackets.count { activeFrom = brackets.count }
                guard wasActive, let link = parseLinkTail(s, i + 1) else {
                    acc.append(Ch.rbracket)
                    i += 1
                    continue
                }
                flush()
                processEmphasis(opener.bottom)
                for k in (opener.node + 1)..<nodes.count where nodes[k].kind == .autolink {
                    nodes[k] = InlineNode(kind: .text, text: nodes[k].source)
                }
                if let href = safeHref(link.dest) {
                    nodes[opener.node] = InlineNode(kind: .linkOpen, href: href, title: link.title)
                    nodes.append(InlineNode(kind: .linkClose, href: href))
                } else {
                    nodes[opener.node] = InlineNode(kind: .text)
                }
                activeFrom = brackets.count // no links inside links
                i = link.end

            case Ch.lt:
                if let auto = parseAutolink(s, i) {
                    flush()
                    nodes.append(auto.node)
                    i = auto.end
                } else {
                    acc.append(Ch.lt)
                    i += 1
                }

            case Ch.nl:
                var k = acc.count
                while k > 0 && acc[k - 1] == Ch.space { k -= 1 }
                let spaces = acc.count - k
                acc.removeLast(spaces)
                flush()
                nodes.append(InlineNode(kind: spaces >= 2 ? .hardBreak : .softBreak))
                i += 1

            case Ch.lowerH, Ch.upperH:
                if i == 0 || !isAlnum(s[i - 1]), let url = parseBareUrl(s, i) {
                    flush()
                    nodes.append(url.node)
                    i = url.end
                    continue
                }
                acc.append(c)
                i += 1

            default:
                var j = i + 1
                while j < n && !isSpecial(s[j]) { j += 1 }
                acc.append(contentsOf: s[i..<j])
                i = j
            }
        }
        flush()
        processEmphasis(-1)
        return nodes
    }
}

private func isSpecial(_ c: UInt8) -> Bool {
    switch c {
    case Ch.backslash, Ch.backtick, Ch.star, Ch.underscore, Ch.lbracket, Ch.rbracket, Ch.bang, Ch.lt, Ch.nl, Ch.lowerH, Ch.upperH:
        true
    default:
        false
    }
}

/// `(dest "title")` right after `]`.
private func parseLinkTail(_ s: Bytes, _ p: Int) -> (dest: Bytes, title: Bytes?, end: Int)? {
    let n = s.count
    guard p < n && s[p] == Ch.lparen else { return nil }
    func skip(_ start: Int) -> Int {
        var k = start
        while k < n && (isSpaceOrTab(s[k]) || s[k] == Ch.nl) { k += 1 }
        return k
    }
    var q = skip(p + 1)
    var dest: Bytes
    if q < n && s[q] == Ch.lt {
        var k = q + 1
        while k < n {
            let c = s[k]
            if c == Ch.gt { break }
            if c == Ch.lt || c == Ch.nl { return nil }
            k += c == Ch.backslash && k + 1 < n && isAsciiPunct(s[k + 1]) ? 2 : 1
        }
        guard k < n else { return nil }
        dest = []
        for c in unescapePunct(s[(q + 1)..<k]) {
            if c == Ch.space { dest.append(contentsOf: "%20".utf8) } else { dest.append(c) }
        }
        q = k + 1
    } else {
        var k = q
        var depth = 0
        while k < n {
            let c = s[k]
            if c <= Ch.space || c == Ch.del { break }
            if c == Ch.backslash && k + 1 < n && isAsciiPunct(s[k + 1]) {
                k += 2
                continue
            }
            if c == Ch.lparen {
                depth += 1
                if depth > maxLinkParens { return nil }
            } else if c == Ch.rparen {
                if depth == 0 { break }
                depth -= 1
            }
            k += 1
        }
        guard depth == 0 else { return nil }
        dest = unescapePunct(s[q..<k])
        q = k
    }
    var w = skip(q)
    var title: Bytes?
    if w > q && w < n {
        let open = s[w]
        if open == Ch.dquote || open == Ch.squote || open == Ch.lparen {
            let close = open == Ch.lparen ? Ch.rparen : open
            var k = w + 1
            while k < n {
                let c = s[k]
                if c == Ch.backslash && k + 1 < n && isAsciiPunct(s[k + 1]) {
                    k += 2
                    continue
                }
                if c == close { break }
                if open == Ch.lparen && c == Ch.lparen { return nil }
                k += 1
            }
            guard k < n else { return nil }
            title = unescapePunct(s[(w + 1)..<k])
            w = skip(k + 1)
        }
    }
    guard w < n && s[w] == Ch.rparen else { return nil }
    return (dest, title, w + 1)
}

private func isEmail(_ s: ArraySlice<UInt8>) -> Bool {
    guard let at = s.firstIndex(of: Ch.at), at > s.startIndex else { return false }
    let localSpecials = Array(".!#$%&'*+/=?^_`{|}~-".utf8)
    for c in s[..<at] where !isAlnum(c) && !localSpecials.contains(c) { return false }
    for label in s[(at + 1)...].split(separator: Ch.dot, omittingEmptySubsequences: false) {
        if label.isEmpty || label.count > 63 { return false }
        if label.first == Ch.dash || label.last == Ch.dash { return false }
        if !label.allSatisfy({ isAlnum($0) || $0 == Ch.dash }) { return false }
    }
    return true
}

/// `<https://…>`, `<mailto:…>` or `<name@host>` at s[i].
private func parseAutolink(_ s: Bytes, _ i: Int) -> (node: InlineNode, end: Int)? {
    let n = s.count
    var j = i + 1
    while j < n {
        let c = s[j]
        if c == Ch.gt { break }
        if c == Ch.lt || c <= Ch.space || c == Ch.del { return nil }
        j += 1
    }
    guard j < n else { return nil }
    let body = Array(s[(i + 1)..<j])
    let href: Bytes
    if (startsWithAsciiCI(body, 0, "http://") && body.count > 7)
        || (startsWithAsciiCI(body, 0, "https://") && body.count > 8)
        || (startsWithAsciiCI(body, 0, "mailto:") && body.count > 7) {
        href = body
    } else if isEmail(body[...]) {
        href = Array("mailto:".utf8) + body
    } else {
        return nil
    }
    return (InlineNode(kind: .autolink, text: body, href: href, source: Array(s[i...j])), j + 1)
}

private func isBareUrlStop(_ c: UInt8) -> Bool {
    c <= Ch.space || c == Ch.del || c == Ch.lt || c == Ch.gt || c == Ch.dquote || c == Ch.backtick || c == Ch.lbracket || c == Ch.rbracket
}

/// The length of trailing punctuation that ends s[..<end], or 0: ? ! . , : ; * _ ~ ' and the
/// quotation marks “ ” ‘ ’ « ».
private func trailingPunctLength(_ s: Bytes, _ end: Int, _ start: Int) -> Int {
    let c = s[end - 1]
    switch c {
    case 63, 33, 46, 44, 58, 59, 42, 95, 126, 39:
        return 1
    case 0xAB, 0xBB:
        return end - 2 >= start && s[end - 2] == 0xC2 ? 2 : 0
    case 0x9C, 0x9D, 0x98, 0x99:
        return end - 3 >= start && s[end - 3] == 0xE2 && s[end - 2] == 0x80 ? 3 : 0
    default:
        return 0
    }
}

/// A bare http:// or https:// address at s[i] (GFM-style trailing punctuation rules).
private func parseBareUrl(_ s: Bytes, _ i: Int) -> (node: InlineNode, end: Int)? {
    let p: Int
    if startsWithAsciiCI(s, i, "https://") {
        p = i + 8
    } else if startsWithAsciiCI(s, i, "http://") {
        p = i + 7
    } else {
        return nil
    }
    let n = s.count
    var j = p
    var opens = 0
    var closes = 0
    while j < n && !isBareUrlStop(s[j]) {
        if s[j] == Ch.lparen { opens += 1 } else if s[j] == Ch.rparen { closes += 1 }
        j += 1
    }
    while j > p {
        let trim = trailingPunctLength(s, j, p)
        if trim > 0 {
            j -= trim
        } else if s[j - 1] == Ch.rparen && closes > opens {
            closes -= 1
            j -= 1
        } else {
            break
        }
    }
    guard j > p else { return nil }
    let url = Array(s[i..<j])
    return (InlineNode(kind: .autolink, text: url, href: url, source: url), j)
}

private extension String {
    /// NUL is not allowed in HTML text; it shows as the replacement character.
    var replacingNUL: String { contains("\u{0}") ? String(unicodeScalars.map { $0 == "\u{0}" ? "\u{FFFD}" : $0 }.map(Character.init)) : self }
}
