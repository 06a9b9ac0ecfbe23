import Foundation
import HubCore
import Testing

/// One shared vector: Web/tests/markdown.test.js checks the same file, so the Swift and the
/// JavaScript renderer provably produce the same bytes.
struct MarkdownCase: Decodable, Sendable, CustomTestStringConvertible {
    let name: String
    let markdown: String
    let html: String

    var testDescription: String { name }

    static let fixture = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/markdown-cases.json")

    static func load() throws -> [MarkdownCase] {
        try JSONDecoder().decode([MarkdownCase].self, from: Data(contentsOf: fixture))
    }

    /// Empty when the file is missing or malformed; `vectorsLoad` then fails with the reason.
    static let all: [MarkdownCase] = (try? load()) ?? []
}

@Suite("Markdown")
struct MarkdownTests {
    @Test("The shared vectors load: at least 60, unique names")
    func vectorsLoad() throws {
        let cases = try MarkdownCase.load()
        #expect(cases.count >= 60)
        #expect(Set(cases.map(\.name)).count == cases.count)
    }

    @Test("Shared vector", arguments: MarkdownCase.all)
    func vector(_ testCase: MarkdownCase) {
        #expect(Markdown.html(testCase.markdown) == testCase.html)
    }

    @Test("Every expected output in the vectors passes the safety check")
    func vectorsAreSafe() {
        for testCase in MarkdownCase.all {
            #expect(SafetyCheck.problem(in: testCase.html) == nil, "\(testCase.name)")
        }
    }

    @Test("Random and adversarial documents render safe, well-nested markup, deterministically")
    func randomDocuments() {
        var random = XorShift32(seed: 20_261_122)
        for _ in 0..<3000 {
            var doc = ""
            for _ in 0..<random.next(80) { doc += Self.tokens[random.next(Self.tokens.count)] }
            let out = Markdown.html(doc)
            if let problem = SafetyCheck.problem(in: out) {
                Issue.record("\(problem)\ninput \(doc.debugDescription)\noutput \(out.debugDescription)")
                return
            }
            #expect(Markdown.html(doc) == out)
        }
    }

    @Test("Hostile link destinations never become an href")
    func hostileDestinations() {
        let hostile = [
            "javascript:alert(1)", "JAVASCRIPT:alert(1)", "jAvAsCrIpT:alert(1)", " javascript:alert(1)", "javascript&colon;alert(1)",
            "&#106;avascript:alert(1)", "&#x6A;avascript:alert(1)", "%6Aavascript:alert(1)", "<java\tscript:alert(1)>",
            "<java\nscript:alert(1)>", "<java\u{0000}script:alert(1)>", "vbscript:msgbox(1)", "data:text/html;base64,PHNjcmlwdD4=",
            "file:///etc/passwd", "\\javascript:alert(1)", "<javascript:alert(1)>", "java\u{00AD}script:alert(1)",
        ]
        for dest in hostile {
            for doc in ["[x](\(dest))", "![x](\(dest))", "<\(dest)>", "[x](\(dest) \"t\")"] {
                let out = Markdown.html(doc)
                #expect(SafetyCheck.problem(in: out) == nil, "\(doc.debugDescription) → \(out)")
                #expect(SafetyCheck.hrefs(in: out).allSatisfy { !$0.lowercased().contains("script") }, "\(doc.debugDescription) → \(out)")
                #expect(SafetyCheck.hrefs(in: out).allSatisfy { !$0.lowercased().hasPrefix("data:") && !$0.lowercased().hasPrefix("file:") })
            }
        }
    }

    // Completion is the real check: a quadratic step would take hours on 1 MB.
    @Test("1 MB of each pathological input renders", arguments: Self.pathological.map(\.name))
    func oneMegabyte(_ name: String) throws {
        let make = try #require(Self.pathological.first { $0.name == name }).make
        let input = make(1_000_000)
        #expect(input.utf8.count > 900_000)
        #expect(!Markdown.html(input).isEmpty)
    }

    // Not a timing test: a hundred times the input should take about a hundred times the CPU
    // time of this thread (caches make it up to a few hundred); a quadratic step makes it about
    // ten thousand. The bound sits far from both, and a miss is measured again.
    @Test("A hundred times the input takes about a hundred times as long, not ten thousand")
    func linear() {
        for (name, make) in Self.pathological {
            let small = make(1_000)
            let large = make(100_000)
            _ = Markdown.html(large) // warm up
            var ratio = Double.infinity
            var attempt = 0
            while attempt < 3 && ratio >= 2000 {
                ratio = Self.cpuTime { _ = Markdown.html(large) } / max(Self.cpuTime { _ = Markdown.html(small) }, 0.000_01)
                attempt += 1
            }
            #expect(ratio < 2000, "\(name): 100× the input took \(Int(ratio))× the CPU time")
        }
    }

    @Test("Deep nesting is capped, not recursed into")
    func deepNesting() {
        let quotes = Markdown.html(String(repeating: ">", count: 10_000) + " x")
        #expect(quotes.components(separatedBy: "<blockquote>").count - 1 == 8)
        let lists = Markdown.html(String(repeating: "- ", count: 10_000) + "x")
        #expect(lists.components(separatedBy: "<ul>").count - 1 == 8)
        let brackets = Markdown.html(String(repeating: "[", count: 10_000) + "a](/u)" + String(repeating: "]", count: 10_000))
        #expect(brackets.components(separatedBy: "<a ").count - 1 == 1)
        #expect(SafetyCheck.problem(in: brackets) == nil)
    }

    @Test("Plain text for search indexes and e-mails", arguments: [
        ("# Titel\n\nText mit **fett**, `code` und [Link](https://example.org).", "Titel\n\nText mit fett, code und Link (https://example.org)."),
        ("[https://example.org](https://example.org) [relativ](/pfad) <info@example.org>", "https://example.org relativ info@example.org"),
        ("- a\n- b\n\n1. x\n2. y", "- a\n- b\n\n1. x\n2. y"),
        ("- a\n\n  b\n- c", "- a\n\n  b\n\n- c"),
        ("3. drei\n   - innen\n4. vier", "3. drei\n   - innen\n4. vier"),
        ("> Zitat\n> zwei\n>\n> drei", "> Zitat\n> zwei\n>\n> drei"),
        ("```\ncode <b>\n```\n\n---\n\na  \nb", "code <b>\n\n----\n\na\nb"),
        ("*einzeln und <script>alert(1)</script>", "*einzeln und <script>alert(1)</script>"),
        ("[weg](javascript:alert(1)) & ![Bild](https://example.org/b.png)", "weg & Bild (https://example.org/b.png)"),
        ("", ""),
    ])
    func plainText(markdown: String, text: String) {
        #expect(Markdown.plainText(markdown) == text)
    }

    // MARK: - Inputs

    static let tokens = [
        "a", "Wort", "ä", "ß", "👋", "مرحبا", " ", "  ", "\t", "\n", "\n\n", "\r\n", "*", "**", "***", "_", "__", "`", "``", "```",
        "~~~", "[", "]", "(", ")", "![", "](", "](/x)", "](javascript:alert(1))", "](<java\tscript:x>)", "](JaVaScRiPt:x)",
        "](&#106;avascript:x)", "](data:text/html,x)", "](https://example.org \"t\")", "](/x 't\"<>&')", "](<a b> (t\"'))", " \"", "\"", "'", "<", ">", "</p>", "<script>",
        "<img src=x onerror=alert(1)>", "<!--", "-->", "&", "&amp;", "&#106;", "\\", "#", "# ", "### ", "- ", "* ", "+ ", "1. ",
        "2) ", "> ", ">", "    ", "---", "***", "javascript:", "vbscript:", "data:", "file:", "http://", "https://example.org",
        "mailto:a@b.de", "<https://example.org>", "<a@b.de>", "<javascript:x>", "onerror=", " onclick=\"x\"", ":", "/", "?", "\u{0000}",
    ]

    static let pathological: [(name: String, make: @Sendable (Int) -> String)] = [
        ("nested quotes", { String(repeating: ">", count: $0) }),
        ("open brackets", { String(repeating: "[", count: $0) }),
        ("brackets and parens", { String(repeating: "[a](", count: $0 / 4) }),
        ("unclosed links", { String(repeating: "[a](b ", count: $0 / 6) }),
        ("nested link parens", { String(repeating: "[a](x", count: $0 / 5) }),
        ("unclosed titles", { String(repeating: "[a](b \"", count: $0 / 7) }),
        ("emphasis openers", { String(repeating: "*a ", count: $0 / 3) }),
        ("mixed delimiters", { String(repeating: "*_**__", count: $0 / 6) }),
        ("backtick runs", { n in (0..<Int(Double(2 * n).squareRoot())).map { String(repeating: "`", count: $0 + 1) + "a" }.joined() }),
        ("unclosed autolinks", { String(repeating: "<http://a", count: $0 / 9) }),
        ("bare urls", { String(repeating: "https://a.de/(", count: $0 / 14) }),
        ("nested lists", { String(repeating: "- ", count: $0 / 2) }),
        ("list items", { String(repeating: "- a\n", count: $0 / 4) }),
        ("quote lines", { String(repeating: "> > > a\n", count: $0 / 8) }),
        ("images", { String(repeating: "![[", count: $0 / 3) }),
        ("closers", { String(repeating: "a*", count: $0 / 2) }),
        ("closers without openers", { String(repeating: "*a_ ", count: $0 / 4) }),
        ("links after open brackets", { String(repeating: "[", count: $0 / 2) + String(repeating: "[a](u)", count: $0 / 12) }),
    ]

    /// Seconds of CPU time of the current thread (other tests run in parallel), best of three.
    static func cpuTime(_ body: () -> Void) -> Double {
        func now() -> Double {
            var spec = timespec()
            clock_gettime(CLOCK_THREAD_CPUTIME_ID, &spec)
            return Double(spec.tv_sec) + Double(spec.tv_nsec) * 1e-9
        }
        var best = Double.infinity
        for _ in 0..<3 {
            let start = now()
            body()
            best = min(best, now() - start)
        }
        return best
    }
}

/// xorshift32: a small deterministic generator (the JavaScript tests use the same one).
struct XorShift32 {
    var state: UInt32

    init(seed: UInt32) {
        state = seed == 0 ? 1 : seed
    }

    mutating func next(_ bound: Int) -> Int {
        state ^= state << 13
        state ^= state >> 17
        state ^= state << 5
        return Int(state % UInt32(bound))
    }
}

/// Checks that HTML is markup the renderer may produce: only allow-listed tags, properly
/// nested, only href/title/rel on <a> and start on <ol>, hrefs relative or http(s)/mailto,
/// and every other character of text and attribute values escaped.
enum SafetyCheck {
    static let allowedTags: Set<String> = ["p", "br", "h3", "h4", "h5", "h6", "em", "strong", "code", "pre", "blockquote", "ul", "ol", "li", "a", "hr"]
    static let voidTags: Set<String> = ["br", "hr"]
    static let entities = ["&amp;": "&", "&lt;": "<", "&gt;": ">", "&quot;": "\"", "&#39;": "'"]

    struct Tag {
        var closing: Bool
        var name: String
        var attributes: [(key: String, value: String)]
    }

    /// The entity at b[i...], if it is one the renderer writes.
    static func entity(_ b: [UInt8], _ i: Int) -> String? {
        entities.keys.first { key in b[i...].starts(with: key.utf8) }
    }

    /// An attribute value's text; nil when it holds a character that should have been escaped.
    static func decode(_ raw: ArraySlice<UInt8>) -> String? {
        let b = Array(raw)
        var out: [UInt8] = []
        var k = 0
        while k < b.count {
            switch b[k] {
            case UInt8(ascii: "&"):
                guard let e = entity(b, k) else { return nil }
                out += entities[e]!.utf8
                k += e.utf8.count
            case UInt8(ascii: "<"), UInt8(ascii: ">"), UInt8(ascii: "'"):
                return nil
            default:
                out.append(b[k])
                k += 1
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Parses the tag at b[i] ("<"); returns it and the index after ">".
    static func tag(_ b: [UInt8], _ start: Int) -> (Tag, Int)? {
        func isLower(_ c: UInt8) -> Bool { c >= 97 && c <= 122 }
        var j = start + 1
        let closing = j < b.count && b[j] == UInt8(ascii: "/")
        if closing { j += 1 }
        let nameStart = j
        while j < b.count && (isLower(b[j]) || (b[j] >= 48 && b[j] <= 57)) { j += 1 }
        guard j > nameStart else { return nil }
        var result = Tag(closing: closing, name: String(decoding: b[nameStart..<j], as: UTF8.self), attributes: [])
        while true {
            guard j < b.count else { return nil }
            if b[j] == UInt8(ascii: ">") { return (result, j + 1) }
            guard b[j] == UInt8(ascii: " ") else { return nil }
            j += 1
            let keyStart = j
            while j < b.count && isLower(b[j]) { j += 1 }
            guard j > keyStart, j + 1 < b.count, b[j] == UInt8(ascii: "="), b[j + 1] == UInt8(ascii: "\"") else { return nil }
            let key = String(decoding: b[keyStart..<j], as: UTF8.self)
            j += 2
            let valueStart = j
            while j < b.count && b[j] != UInt8(ascii: "\"") { j += 1 }
            guard j < b.count, let value = decode(b[valueStart..<j]) else { return nil }
            result.attributes.append((key, value))
            j += 1
        }
    }

    /// What a browser would take for the scheme: control characters and spaces removed,
    /// then `[a-zA-Z][a-zA-Z0-9+.-]*:`.
    static func scheme(_ href: String) -> String? {
        var probe = String.UnicodeScalarView()
        probe.append(contentsOf: href.unicodeScalars.filter { !($0.value <= 0x20 || (0x7F...0x9F).contains($0.value)) })
        guard let colon = probe.firstIndex(of: ":") else { return nil }
        let name = probe[..<colon]
        func isLetter(_ c: Unicode.Scalar) -> Bool { ("a"..."z").contains(c) || ("A"..."Z").contains(c) }
        guard let first = name.first, isLetter(first),
              name.allSatisfy({ isLetter($0) || ("0"..."9").contains($0) || $0 == "+" || $0 == "." || $0 == "-" }) else { return nil }
        return String(String.UnicodeScalarView(name)).lowercased()
    }

    static func hrefs(in html: String) -> [String] {
        let b = Array(html.utf8)
        var out: [String] = []
        var i = 0
        while i < b.count {
            if b[i] == UInt8(ascii: "<"), let (tag, next) = tag(b, i) {
                out += tag.attributes.filter { $0.key == "href" }.map(\.value)
                i = next
            } else {
                i += 1
            }
        }
        return out
    }

    static func problem(in html: String) -> String? {
        if html.lowercased().contains("<script") { return "contains <script" }
        let b = Array(html.utf8)
        var stack: [String] = []
        var i = 0
        while i < b.count {
            let c = b[i]
            if c == UInt8(ascii: "<") {
                guard let (tag, next) = tag(b, i) else { return "malformed tag at \(i)" }
                guard allowedTags.contains(tag.name) else { return "tag <\(tag.name)> not allowed" }
                if let handler = tag.attributes.first(where: { $0.key.hasPrefix("on") }) { return "event handler attribute \(handler.key)" }
                let keys = tag.attributes.map(\.key)
                if tag.closing {
                    guard keys.isEmpty else { return "attributes on </\(tag.name)>" }
                    guard stack.popLast() == tag.name else { return "misnested </\(tag.name)>" }
                } else {
                    switch tag.name {
                    case "a":
                        guard !stack.contains("a") else { return "link inside a link" }
                        guard keys.filter({ $0 != "title" }) == ["href", "rel"] else { return "attributes of <a>: \(keys)" }
                        guard tag.attributes.last?.value == "nofollow noopener noreferrer" else { return "rel of <a>" }
                        let href = tag.attributes[0].value
                        // So no javascript:, data:, vbscript: or file: URL; "javascript:" as plain text stays text.
                        if let scheme = scheme(href), !["http", "https", "mailto"].contains(scheme) { return "href scheme \(scheme)" }
                    case "ol":
                        guard keys.isEmpty || (keys == ["start"] && !tag.attributes[0].value.isEmpty
                            && tag.attributes[0].value.allSatisfy(\.isASCII) && tag.attributes[0].value.allSatisfy(\.isNumber)) else {
                            return "attributes of <ol>"
                        }
                    default:
                        guard keys.isEmpty else { return "attributes on <\(tag.name)>" }
                    }
                    if !voidTags.contains(tag.name) { stack.append(tag.name) }
                }
                i = next
            } else if c == UInt8(ascii: "&") {
                guard entity(b, i) != nil else { return "unescaped & at \(i)" }
                i += 1
            } else {
                if c == UInt8(ascii: ">") || c == UInt8(ascii: "\"") || c == UInt8(ascii: "'") { return "unescaped \(UnicodeScalar(c)) at \(i)" }
                i += 1
            }
        }
        return stack.isEmpty ? nil : "unclosed \(stack)"
    }
}
