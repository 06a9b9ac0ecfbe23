import Foundation
import HTTPTypes
import HubApp
import HubCore
import HubServices
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

/// The annual dossier "Sozialplanung Fokus <year>": grouping, exclusion, determinism, safety
/// of user text in the HTML, and a PDF that is structurally valid and carries German text.
@Suite("Dossier")
struct DossierTests {
    // MARK: Fixtures

    /// The demo catalogue of 2023 and the store's policy fields, read through the test hub.
    static func demo2023() async throws -> (entries: [CatalogueEntry], fields: [PolicyField]) {
        let hub = try await TestHub()
        let entries = try await hub.graph.store.catalogue().value.filter { $0.year == 2023 }
        let fields = try await hub.graph.store.policyFields().value
        return (entries, fields)
    }

    static func uuid(_ n: Int) -> UUID {
        let digits = String(n)
        return UUID(uuidString: "00000000-0000-4000-8000-" + String(repeating: "0", count: 12 - digits.count) + digits)!
    }

    static func field(_ n: Int, _ name: String, key: String) -> PolicyField {
        PolicyField(id: PolicyFieldID(uuid(900 + n)), key: key, nameDe: name, nameEn: key, prioritisedYears: [2030], version: 1)
    }

    /// A complete entry whose every text field carries `text` (and the title `title`).
    static func entry(_ number: Int, title: String, text: String, level: RatingLevel?, fields: [PolicyFieldID], year: Int = 2030) -> CatalogueEntry {
        let profile = RecommendationProfile(
            title: title, policyFieldIDs: fields, situation: text, dataBasis: text, goals: text, measures: text, targetGroups: text,
            responsibleBody: text, resources: Resources(personnelFTE: 1.25, durationMonths: 12, moneyEuroPerYear: 1_234_567, note: text),
            budgetYears: [year + 1, year + 2], impactKinds: [.ideational, .financial],
            indicators: [IndicatorSpec(name: text, unit: text, baseline: 12.5, target: 40, direction: .increase, source: text)], timeline: text)
        let at = Date(timeIntervalSince1970: 1_900_000_000 + Double(number) * 86_400)
        return CatalogueEntry(reference: CatalogueReference(year: year, number: number), recommendationID: RecommendationID(uuid(number)),
                              workspaceID: WorkspaceID(uuid(500)), workspaceName: text, revision: 3, profile: profile, finishedAt: at,
                              consensus: level.map { ConsensusRating(level: $0, justification: text, at: at, by: UserID(uuid(700))) })
    }

    /// A seeded generator, so a failing shuffle can be replayed.
    struct SeededGenerator: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return state ^ (state >> 29)
        }
    }

    // MARK: Grouping and exclusion

    @Test("Demo 2023: six sheets grouped by first policy field, cross-referenced under the others; the less relevant one in the appendix")
    func demoGrouping() async throws {
        let (entries, fields) = try await Self.demo2023()
        #expect(entries.count == 7)
        let plan = Dossier.plan(year: 2023, entries: entries, policyFields: fields)
        #expect(plan.sheets.count == 6)
        #expect(plan.groups.map(\.name) == ["Armut", "Bildung", "Integration", "Soziale Infrastruktur"])
        func refs(_ items: [CatalogueEntry]) -> [String] { items.map(\.reference.description) }
        let byName = Dictionary(uniqueKeysWithValues: plan.groups.map { ($0.name, $0) })
        #expect(refs(byName["Armut"]!.sheets) == [])
        #expect(byName["Armut"]!.crossReferences.map(\.entry.reference.description) == ["HE-2023-007"])
        #expect(byName["Armut"]!.crossReferences.map(\.homeFieldName) == ["Integration"])
        #expect(refs(byName["Bildung"]!.sheets) == ["HE-2023-001", "HE-2023-002"])
        #expect(byName["Bildung"]!.prioritised, "education is prioritised in 2023 in the demo")
        #expect(refs(byName["Integration"]!.sheets) == ["HE-2023-007"])
        #expect(byName["Integration"]!.crossReferences.map(\.entry.reference.description) == ["HE-2023-001", "HE-2023-002"])
        #expect(refs(byName["Soziale Infrastruktur"]!.sheets) == ["HE-2023-003", "HE-2023-004", "HE-2023-005"])
        #expect(refs(plan.notTakenIn) == ["HE-2023-006"])
        #expect(plan.unrated.isEmpty)
        #expect(plan.ratedUntil == LocalDate("2023-05-12"))

        let html = Dossier.html(plan)
        #expect(html.hasPrefix("<!DOCTYPE html>\n<html lang=\"de\">"))
        #expect(html.contains("<title>Sozialplanung Fokus 2023</title>"))
        #expect(html.components(separatedBy: "<article class=\"sheet\"").count - 1 == 6)
        #expect(!html.contains("id=\"he-2023-006\""), "the less relevant recommendation gets no sheet")
        let excluded = "Übernahme der ÖPNV-Fahrtkosten für Auszubildende zur Pflegeassistenz"
        #expect(html.components(separatedBy: excluded).count - 1 == 1, "named once, in the appendix")
        let appendix = try #require(html.range(of: "id=\"anhang\""))
        #expect(html.range(of: excluded)!.lowerBound > appendix.lowerBound)
        #expect(html.contains("Wichtiges Anliegen, aber eine Einzelmaßnahme; nicht in das Dossier aufgenommen."))
        // German wording and formats.
        #expect(html.contains("<p class=\"level\">in hohem Maße steuerungsrelevant</p>"))
        #expect(html.contains("<dd>1,5 Vollzeitäquivalente (VZÄ)</dd>"))
        #expect(html.contains("<dd>95.000 € pro Jahr</dd>"))
        #expect(html.contains("<dd>2024/2025 (Doppelhaushalt)</dd>"))
        #expect(html.contains("<dd>finanziell, strukturell</dd>"))
        #expect(html.contains("<th scope=\"col\">Ausgangswert</th>"))
        #expect(html.contains("<th scope=\"row\">Kitas mit einheitlicher Sprachstandserhebung</th><td>%</td><td>15</td><td>90</td><td>soll steigen</td>"))
        // Markdown rendered: emphasis and the bullet list of measures.
        #expect(html.contains("<strong>Schuleingangsuntersuchung</strong>"))
        #expect(html.contains("<li>Schulung der Fachkräfte</li>"))
        // The order of the groups in the document follows the plan.
        let positions = plan.groups.map { g in html.range(of: ">Handlungsfeld</span> \(g.name)")?.lowerBound }
        #expect(positions.allSatisfy { $0 != nil })
        #expect(positions.compactMap { $0 } == positions.compactMap { $0 }.sorted())
    }

    @Test("Entries of other years, unrated entries and unknown policy fields")
    func edges() {
        let a = Self.field(1, "Arbeit", key: "work"), b = Self.field(2, "Bildung", key: "education")
        let unknown = PolicyFieldID(Self.uuid(999))
        let entries = [
            Self.entry(1, title: "Eins", text: "Text", level: .relevant, fields: [unknown, b.id, a.id, b.id]),
            Self.entry(2, title: "Zwei", text: "Text", level: .highlyRelevant, fields: [unknown]),
            Self.entry(3, title: "Drei", text: "Text", level: nil, fields: [a.id]),
            Self.entry(4, title: "Vier", text: "Text", level: .relevant, fields: [a.id], year: 2029),
        ]
        let plan = Dossier.plan(year: 2030, entries: entries, policyFields: [a, b])
        #expect(plan.groups.map(\.name) == ["Arbeit", "Bildung", "Ohne zugeordnetes Handlungsfeld"])
        #expect(plan.groups[0].sheets.isEmpty && plan.groups[0].crossReferences.map(\.entry.profile.title) == ["Eins"])
        #expect(plan.groups[1].sheets.map(\.profile.title) == ["Eins"] && plan.groups[1].crossReferences.isEmpty)
        #expect(plan.groups[2].sheets.map(\.profile.title) == ["Zwei"])
        #expect(plan.unrated.map(\.profile.title) == ["Drei"])
        #expect(plan.notTakenIn.isEmpty)
        #expect(!plan.sheets.contains { $0.profile.title == "Vier" })
        #expect(Dossier.plan(year: 2031, entries: entries, policyFields: [a, b]).isEmpty)
    }

    // MARK: Determinism

    @Test("Same inputs, same bytes: rendered twice and from shuffled input")
    func determinism() async throws {
        let (entries, fields) = try await Self.demo2023()
        let html = Dossier.html(year: 2023, entries: entries, policyFields: fields)
        let pdf = DossierPDF.render(year: 2023, entries: entries, policyFields: fields)
        #expect(Dossier.html(year: 2023, entries: entries, policyFields: fields) == html)
        #expect(DossierPDF.render(year: 2023, entries: entries, policyFields: fields) == pdf)
        for seed in [1, 2, 3, 42, 2023] as [UInt64] {
            var generator = SeededGenerator(state: seed)
            let shuffled = entries.shuffled(using: &generator)
            #expect(Dossier.html(year: 2023, entries: shuffled, policyFields: fields) == html, "seed \(seed)")
            #expect(DossierPDF.render(year: 2023, entries: shuffled, policyFields: fields) == pdf, "seed \(seed)")
        }
        // Entries of other years do not change the document.
        let hostile = Self.entry(1, title: "Anderes Jahr", text: "x", level: .highlyRelevant, fields: fields.map(\.id), year: 2024)
        #expect(Dossier.html(year: 2023, entries: entries + [hostile], policyFields: fields) == html)
        // Nothing time-dependent: no year but the dossier's in the PDF's dates.
        let text = Self.latin1(pdf)
        #expect(text.contains("/CreationDate (D:20230731000000Z)"))
    }

    // MARK: Safety of user text

    static let hostileText = """
        <script>alert(1)</script> [x](javascript:alert(1)) <img src=x onerror=alert(1)> "quoted' \
        [y](JaVaScRiPt:alert(2)) <a href="javascript:alert(3)">a</a> ]]> &lt;b&gt; <style>body{display:none}</style>

        # Überschrift

        - [z](data:text/html,<script>alert(4)</script>)
        - [ok](https://example.org/pfad?a=1&b=2)
        """

    @Test("Script injection in every text field is inert in the HTML")
    func injection() {
        let field = PolicyField(id: PolicyFieldID(Self.uuid(901)), key: "x", nameDe: "<script>alert('feld')</script>", nameEn: "x",
                                prioritisedYears: [], version: 1)
        let entries = [
            Self.entry(1, title: "<script>alert(1)</script>", text: Self.hostileText, level: .highlyRelevant, fields: [field.id]),
            Self.entry(2, title: "\"><img src=x onerror=alert(1)>", text: Self.hostileText, level: .lessRelevant, fields: [field.id]),
            Self.entry(3, title: "<svg onload=alert(1)>", text: Self.hostileText, level: nil, fields: [field.id]),
        ]
        let html = Dossier.html(year: 2030, entries: entries, policyFields: [field])
        let lower = html.lowercased()
        #expect(!lower.contains("<script"))
        #expect(!lower.contains("<img"))
        #expect(!lower.contains("<svg"))
        #expect(!lower.contains("<a href=\"javascript"))
        #expect(!lower.contains("href=\"data:"))
        #expect(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
        #expect(html.contains("<a href=\"https://example.org/pfad?a=1&amp;b=2\" rel=\"nofollow noopener noreferrer\">ok</a>"))
        // Markdown headings sit below the sheet's own headings.
        #expect(html.contains("<h5>Überschrift</h5>"))
        #expect(!html.contains("<h3>Überschrift</h3>"))

        // Every tag is one the dossier or the Markdown renderer writes; no event handler or
        // style attribute, every link local or http(s)/mailto.
        let allowed: Set<String> = ["!doctype", "html", "head", "meta", "title", "style", "body", "header", "p", "h1", "h2", "h3", "h4", "h5", "h6",
                                    "ul", "ol", "li", "a", "span", "nav", "main", "section", "dl", "dt", "dd", "article", "aside", "table",
                                    "caption", "thead", "tbody", "tr", "th", "td", "div", "footer", "em", "strong", "code", "pre", "blockquote",
                                    "br", "hr"]
        var tags = Set<String>()
        var index = html.startIndex
        while let open = html[index...].firstIndex(of: "<") {
            let close = html[open...].firstIndex(of: ">") ?? html.endIndex
            let tag = String(html[html.index(after: open)..<close])
            let name = tag.drop { $0 == "/" }.prefix { !$0.isWhitespace }.lowercased()
            tags.insert(name)
            if name == "style" {
                #expect(tag == "style" || tag == "/style", "only the dossier's own stylesheet")
            }
            for attribute in tag.split(separator: " ").dropFirst() {
                let key = attribute.prefix { $0 != "=" }.lowercased()
                #expect(!key.hasPrefix("on"), "event handler in <\(tag)>")
                #expect(key != "style" && key != "src", "\(key) in <\(tag)>")
                if key == "href" {
                    let value = attribute.dropFirst(6)
                    #expect(value.hasPrefix("#") || value.hasPrefix("https://") || value.hasPrefix("http://") || value.hasPrefix("mailto:"),
                            "href \(value)")
                }
            }
            index = close < html.endIndex ? html.index(after: close) : html.endIndex
        }
        #expect(tags.isSubset(of: allowed), "unexpected tags: \(tags.subtracting(allowed).sorted())")
        // The only <style> is the dossier's own, verbatim.
        #expect(html.components(separatedBy: "<style>").count == 2)
        #expect(html.contains("<style>\(Dossier.stylesheet)</style>"))

        // The PDF escapes the same text: it stays a structurally valid file.
        let pdf = DossierPDF.render(year: 2030, entries: entries + [
            Self.entry(4, title: "Klammer ) und \\ Backslash ( offen", text: "(((\\)))", level: .relevant, fields: [field.id]),
        ], policyFields: [field])
        Self.checkStructure(pdf)
        #expect(Self.latin1(pdf).contains("(Klammer \\) und \\\\ Backslash \\( offen)"))
    }

    @Test("Texts at the length limits flow over pages and stay valid, in reasonable time")
    func longTexts() throws {
        let field = Self.field(1, "Wohnen", key: "housing")
        let words = (0..<2_800).map { "Wort\($0 % 97)ä" }.joined(separator: " ")
        let longText = String(words.prefix(RecommendationRules.maxTextLength))
        let list = (1...400).map { "- Punkt \($0) mit etwas Text" }.joined(separator: "\n")
        let unbroken = String(repeating: "Sozialraumorientierung", count: 900)
        var entry = Self.entry(1, title: String(repeating: "Langer Titel ", count: 15), text: longText, level: .highlyRelevant, fields: [field.id])
        var profile = entry.profile
        profile.measures = list
        profile.goals = unbroken
        profile.indicators = (1...10).map {
            IndicatorSpec(name: "Indikator \($0) " + String(repeating: "x", count: 150), unit: "Anzahl", baseline: 1, target: 2, direction: .decrease,
                          source: String(repeating: "Quelle ", count: 70))
        }
        entry = CatalogueEntry(reference: entry.reference, recommendationID: entry.recommendationID, workspaceID: entry.workspaceID,
                               workspaceName: "Wohnen", revision: 1, profile: profile, finishedAt: entry.finishedAt, consensus: entry.consensus)
        let started = Date()
        let pdf = DossierPDF.render(year: 2030, entries: [entry], policyFields: [field])
        let html = Dossier.html(year: 2030, entries: [entry], policyFields: [field])
        #expect(Date().timeIntervalSince(started) < 20)
        #expect(Self.checkStructure(pdf) > 10)
        #expect(html.contains("<li>Punkt 400 mit etwas Text</li>"))
        // No text is drawn into the footer band or off the page.
        let text = Self.latin1(pdf)
        for line in text.split(separator: "\n") where line.hasPrefix("BT ") {
            guard let td = line.range(of: " Td (") else { continue }
            let numbers = line[..<td.lowerBound].split(separator: " ").suffix(2).compactMap { Double(String($0)) }
            guard numbers.count == 2 else { continue }
            #expect(numbers[0] >= 50 && numbers[0] <= 540, "x \(numbers[0])")
            #expect(numbers[1] == 40 || (numbers[1] >= 66 && numbers[1] <= 800), "y \(numbers[1])")
        }
    }

    // MARK: PDF

    @Test("PDF: header, a cross-reference table that points at its objects, several pages, WinAnsi-encoded German titles")
    func pdfStructure() async throws {
        let (entries, fields) = try await Self.demo2023()
        let pdf = DossierPDF.render(year: 2023, entries: entries, policyFields: fields)
        #expect(Array(pdf.prefix(9)) == Array("%PDF-1.4\n".utf8))
        let pages = Self.checkStructure(pdf)
        #expect(pages > 1)
        // Title page, contents, six sheets on their own pages (Armut shares none), appendix.
        #expect(pages >= 9)
        let text = Self.latin1(pdf)
        // WinAnsi: Ä = \304, Ü = \334, Ö = \326, ß = \337 (octal escapes in the content streams).
        #expect(text.contains("(\\304mterlotsinnen/\\304mterlotsen)"))
        #expect(text.contains("\\334bernahme der"))
        #expect(text.contains("\\326PNV-Fahrtkosten"))
        #expect(text.contains("(Ma\\337nahmen)"))
        #expect(text.contains("(Sozialplanung Fokus 2023)"))
        #expect(text.contains("/BaseFont /Helvetica /Encoding /WinAnsiEncoding"))
        #expect(text.contains("/BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding"))
        #expect(text.contains("/MediaBox [0 0 595.28 841.89]"))
        #expect(text.contains("(Seite 2 von \(pages))"))
        #expect(text.contains("/Lang (de-DE)"))
        #expect(!text.contains("(Handlungsempfehlung HE-2023-006)"), "no sheet for the less relevant one")
        #expect(text.contains("(HE-2023-006)"), "named in the appendix")
    }

    @Test("WinAnsi: German letters and typographic quotes map to their codes, anything else to '?'")
    func winAnsi() {
        #expect(WinAnsi.encode("Grüße: „Maß“ – 5 €") == [0x47, 0x72, 0xFC, 0xDF, 0x65, 0x3A, 0x20, 0x84, 0x4D, 0x61, 0xDF, 0x93, 0x20, 0x96, 0x20, 0x35, 0x20, 0x80])
        #expect(WinAnsi.encode("a\u{0308}") == [0xE4], "composed first")
        #expect(WinAnsi.encode("→ 😀 Ł") == [0x3F, 0x20, 0x3F, 0x20, 0x3F])
        #expect(WinAnsi.encode("Zeilen\numbruch\u{00AD}weich\u{200B}") == Array("Zeilen umbruchweich".utf8))
        // Widths from the AFM metrics: "Helvetica" at 1000 pt.
        #expect(StandardFont.helvetica.width(WinAnsi.encode("Helvetica"), size: 1000) == 722 + 556 + 222 + 500 + 556 + 278 + 222 + 500 + 556)
        #expect(StandardFont.helveticaBold.width(WinAnsi.encode("Äß"), size: 1000) == 722 + 611)
    }

    @Test("pdftotext reads the German text of the demo dossier",
          .enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/pdftotext"), "needs poppler-utils"))
    func pdftotext() async throws {
        let (entries, fields) = try await Self.demo2023()
        let pdf = DossierPDF.render(year: 2023, entries: entries, policyFields: fields)
        let text = try Self.extract(pdf)
        for expected in ["Sozialplanung Fokus 2023", "Ämterlotsinnen/Ämterlotsen", "Sprachstandserhebung von Kindern in Kindertageseinrichtungen",
                         "in hohem Maße steuerungsrelevant", "Maßnahmen", "Einheitliches Verfahren zur Sprachstandserhebung in allen Kitas",
                         "Übernahme der", "95.000 € pro Jahr", "Schwerpunkt 2023", "Seite 3 von", "Frühe Sprachförderung wirkt in viele Handlungsfelder"] {
            #expect(text.contains(expected), "missing: \(expected)")
        }
        // PDF string delimiters and backslashes in user text come out as typed.
        let field = Self.field(1, "Wohnen", key: "housing")
        let tricky = DossierPDF.render(year: 2030, entries: [
            Self.entry(1, title: "Klammer ) und \\ Backslash ( offen", text: "Grüße (((\\))) 😀 → „gut“", level: .relevant, fields: [field.id]),
        ], policyFields: [field])
        let trickyText = try Self.extract(tricky)
        #expect(trickyText.contains("Klammer ) und \\ Backslash ( offen"))
        #expect(trickyText.contains("Grüße (((\\))) ? ? „gut“"))
    }

    // MARK: HTTP

    @Test("Routes: public HTML and PDF, 404 dossier.notFound for a year without entries")
    func routes() async throws {
        let hub = try await TestHub()
        try await hub.application().test(.router) { client in
            let html = try await client.call(.get, "/api/v1/dossiers/2023/html", token: nil)
            #expect(html.status == .ok)
            #expect(html.headers[.contentType] == "text/html; charset=utf-8")
            let body = String(buffer: html.body)
            #expect(body.contains("<h1>Sozialplanung Fokus 2023</h1>"))
            let pdf = try await client.call(.get, "/api/v1/dossiers/2023/pdf", token: nil)
            #expect(pdf.status == .ok)
            #expect(pdf.headers[.contentType] == "application/pdf")
            #expect(pdf.headers[.contentDisposition] == "attachment; filename=\"sozialplanung-fokus-2023.pdf\"")
            let bytes = Array(pdf.body.readableBytesView)
            #expect(bytes == DossierPDF.render(year: 2023, entries: try await hub.graph.store.catalogue().value,
                                               policyFields: try await hub.graph.store.policyFields().value))
            let signedIn = try await client.call(.get, "/api/v1/dossiers/2023/pdf", token: try await client.token(.member))
            #expect(Array(signedIn.body.readableBytesView) == bytes, "the same document for everyone")
            for path in ["/api/v1/dossiers/2019/html", "/api/v1/dossiers/2019/pdf", "/api/v1/dossiers/1999/pdf", "/api/v1/dossiers/abcd/html",
                         "/api/v1/dossiers/02023/html"] {
                let missing = try await client.call(.get, path, token: nil)
                #expect(missing.status == .notFound, "\(path)")
                #expect((JSON.object(missing.body)["error"] as? [String: Any])?["code"] as? String == "dossier.notFound", "\(path)")
            }
        }
    }

    // MARK: Helpers

    static func latin1(_ bytes: [UInt8]) -> String { String(bytes.map { Character(Unicode.Scalar($0)) }) }

    static func find(_ needle: String, in bytes: [UInt8], from start: Int = 0) -> Int? {
        let n = Array(needle.utf8)
        guard n.count <= bytes.count else { return nil }
        var i = start
        while i + n.count <= bytes.count {
            if bytes[i] == n[0] && Array(bytes[i..<(i + n.count)]) == n { return i }
            i += 1
        }
        return nil
    }

    /// Parses the trailer and the cross-reference table; every in-use entry must point at
    /// `N 0 obj`. Returns the page count of the page tree (checked against the page objects).
    @discardableResult
    static func checkStructure(_ pdf: [UInt8], sourceLocation: SourceLocation = #_sourceLocation) -> Int {
        let text = latin1(pdf)
        #expect(text.hasSuffix("%%EOF\n"), sourceLocation: sourceLocation)
        guard let startxref = text.range(of: "startxref\n", options: .backwards) else {
            Issue.record("no startxref", sourceLocation: sourceLocation)
            return 0
        }
        let offsetText = text[startxref.upperBound...].prefix { $0.isNumber }
        guard let xrefOffset = Int(offsetText), xrefOffset < pdf.count else {
            Issue.record("bad startxref", sourceLocation: sourceLocation)
            return 0
        }
        let header = Array("xref\n0 ".utf8)
        #expect(Array(pdf[xrefOffset..<(xrefOffset + header.count)]) == header, sourceLocation: sourceLocation)
        var i = xrefOffset + header.count
        var digits = ""
        while pdf[i] != 0x0A { digits.append(Character(Unicode.Scalar(pdf[i]))); i += 1 }
        let size = Int(digits) ?? 0
        #expect(size > 5, sourceLocation: sourceLocation)
        i += 1
        for object in 0..<size {
            let entry = String(decoding: pdf[i..<(i + 20)], as: UTF8.self)
            i += 20
            if object == 0 {
                #expect(entry == "0000000000 65535 f \n", sourceLocation: sourceLocation)
                continue
            }
            #expect(entry.hasSuffix(" 00000 n \n"), "entry \(object): \(entry)", sourceLocation: sourceLocation)
            guard let offset = Int(entry.prefix(10)), offset < pdf.count else {
                Issue.record("entry \(object) has no offset", sourceLocation: sourceLocation)
                continue
            }
            let marker = Array("\(object) 0 obj\n".utf8)
            #expect(Array(pdf[offset..<min(pdf.count, offset + marker.count)]) == marker, "object \(object) at \(offset)", sourceLocation: sourceLocation)
        }
        #expect(String(decoding: pdf[i..<(i + 8)], as: UTF8.self) == "trailer\n", sourceLocation: sourceLocation)
        #expect(text.contains("/Size \(size) /Root 1 0 R"), sourceLocation: sourceLocation)
        // Stream lengths match.
        var searchFrom = 0
        while let streamStart = find(">>\nstream\n", in: pdf, from: searchFrom) {
            // The dictionary's /Length is the last one before the stream keyword.
            let window = Array(pdf[max(0, streamStart - 40)..<streamStart])
            var lengthAt: Int?
            var k = 0
            while let hit = find("/Length ", in: window, from: k) { lengthAt = hit; k = hit + 1 }
            if let lengthAt {
                let digits = window[(lengthAt + 8)...].prefix { $0 >= 0x30 && $0 <= 0x39 }
                let length = Int(String(decoding: digits, as: UTF8.self)) ?? -1
                let dataStart = streamStart + ">>\nstream\n".utf8.count
                let end = Array("\nendstream".utf8)
                #expect(length >= 0 && dataStart + length + end.count <= pdf.count
                        && Array(pdf[(dataStart + length)..<(dataStart + length + end.count)]) == end,
                        "stream at \(streamStart)", sourceLocation: sourceLocation)
            } else {
                Issue.record("stream without /Length at \(streamStart)", sourceLocation: sourceLocation)
            }
            searchFrom = streamStart + 1
        }
        // The page tree's count equals the number of page objects.
        guard let pagesRange = text.range(of: "/Type /Pages /Kids [") else {
            Issue.record("no page tree", sourceLocation: sourceLocation)
            return 0
        }
        let afterKids = text[pagesRange.upperBound...]
        let count = afterKids.range(of: "/Count ").map { Int(afterKids[$0.upperBound...].prefix { $0.isNumber }) ?? 0 } ?? 0
        #expect(text.components(separatedBy: "/Type /Page /Parent").count - 1 == count, sourceLocation: sourceLocation)
        return count
    }

    static func extract(_ pdf: [UInt8]) throws -> String {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("rt-dossier-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let input = directory.appendingPathComponent("dossier.pdf"), output = directory.appendingPathComponent("dossier.txt")
        try Data(pdf).write(to: input)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/pdftotext")
        process.arguments = ["-enc", "UTF-8", input.path, output.path]
        let errors = Pipe()
        process.standardError = errors
        try process.run()
        process.waitUntilExit()
        let stderr = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(process.terminationStatus == 0)
        #expect(stderr.isEmpty, "pdftotext complained: \(stderr)")
        return try String(contentsOf: output, encoding: .utf8)
    }
}
