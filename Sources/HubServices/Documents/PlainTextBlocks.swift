import Foundation
import HubCore

/// The blocks of a user text for a page layout without HTML: `Markdown.plainText` first (so
/// links, emphasis and escapes are resolved exactly as on the web), then its block shape
/// read back: paragraphs, list items with their nesting, quotes and rules.
enum PlainTextBlock: Sendable, Hashable {
    case paragraph(String)
    /// A list item (or a further paragraph inside one, with an empty marker) at a nesting level.
    case item(level: Int, marker: String, text: String)
    case quote(String)
    case rule

    static func parse(markdown: String) -> [PlainTextBlock] {
        parse(plain: Markdown.plainText(markdown))
    }

    static func parse(plain: String) -> [PlainTextBlock] {
        var blocks: [PlainTextBlock] = []
        /// The content columns of the open list items, innermost last.
        var open: [Int] = []
        var continuing = false
        func append(to text: String, _ more: String) -> String { text.isEmpty ? more : text + " " + more }
        for raw in plain.split(separator: "\n", omittingEmptySubsequences: false) {
            let line = String(raw)
            let trimmed = line.drop { $0 == " " }
            let indent = line.count - trimmed.count
            if trimmed.allSatisfy(\.isWhitespace) {
                continuing = false
                continue
            }
            let rest = String(trimmed)
            // Items whose content starts right of this line are closed.
            while let last = open.last, last > indent { open.removeLast() }
            if let (marker, body) = listMarker(rest) {
                let level = open.count
                open.append(indent + marker.count + 1)
                blocks.append(.item(level: level, marker: marker == "-" ? "\u{2022}" : marker, text: body))
                continuing = true
                continue
            }
            if rest.hasPrefix(">") {
                var text = Substring(rest)
                while text.hasPrefix(">") { text = text.dropFirst().drop { $0 == " " } }
                if continuing, case .quote(let previous)? = blocks.last {
                    blocks[blocks.count - 1] = .quote(append(to: previous, String(text)))
                } else {
                    blocks.append(.quote(String(text)))
                }
                continuing = true
                continue
            }
            if rest == "----" && open.isEmpty {
                blocks.append(.rule)
                continuing = false
                continue
            }
            if continuing, let last = blocks.last {
                switch last {
                case .paragraph(let text):
                    blocks[blocks.count - 1] = .paragraph(append(to: text, rest))
                    continue
                case .item(let level, let marker, let text) where !open.isEmpty:
                    blocks[blocks.count - 1] = .item(level: level, marker: marker, text: append(to: text, rest))
                    continue
                default: break
                }
            }
            if !open.isEmpty {
                // A further paragraph of the innermost open item.
                blocks.append(.item(level: open.count - 1, marker: "", text: rest))
            } else {
                blocks.append(.paragraph(rest))
            }
            continuing = true
        }
        return blocks
    }

    /// `- text` or `12. text`: the marker and the text after it.
    static func listMarker(_ line: String) -> (String, String)? {
        if line.hasPrefix("- ") { return ("-", String(line.dropFirst(2))) }
        let digits = line.prefix { $0.isASCII && $0.isNumber }
        guard !digits.isEmpty, digits.count <= 9 else { return nil }
        let after = line.dropFirst(digits.count)
        guard after.hasPrefix(". ") else { return nil }
        return (digits + ".", String(after.dropFirst(2)))
    }
}
