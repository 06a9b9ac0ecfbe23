import Foundation
import HubCore
import Testing

/// The lexical rules of RFC 5545: escaping, parameter quoting, folding at 75 octets without
/// splitting a UTF-8 sequence, CRLF.
@Suite("Meetings: iCalendar escaping and folding")
struct ICalendarFoldingTests {
    static func unfold(_ document: String) -> String { document.replacingOccurrences(of: "\r\n ", with: "") }

    @Test("TEXT escaping: backslash, semicolon, comma and every kind of line break; control characters dropped", arguments: [
        ("a\\b", "a\\\\b"),
        ("Raum 2; Haus B, 1. OG", "Raum 2\\; Haus B\\, 1. OG"),
        ("Zeile 1\nZeile 2", "Zeile 1\\nZeile 2"),
        ("Zeile 1\r\nZeile 2", "Zeile 1\\nZeile 2"),
        ("Zeile 1\rZeile 2", "Zeile 1\\nZeile 2"),
        ("Absatz\n\nAbsatz", "Absatz\\n\\nAbsatz"),
        ("Tab\tbleibt", "Tab\tbleibt"),
        ("Klingel\u{07}\u{7F}weg", "Klingelweg"),
        ("Doppelpunkt: \"bleibt\"", "Doppelpunkt: \"bleibt\""),
        ("\\;", "\\\\\\;"),
    ])
    func escaping(input: String, expected: String) {
        #expect(ICalendarText.escape(input) == expected)
    }

    @Test("Parameter values: quoted when they contain : ; or , and never able to end the parameter", arguments: [
        ("Jana Koordinatorin", "Jana Koordinatorin"),
        ("Müller, Jörg", "\"Müller, Jörg\""),
        ("AG §78: Hilfen", "\"AG §78: Hilfen\""),
        ("Der \"Chef\"", "Der ^'Chef^'"),
        ("x^y", "x^^y"),
        ("Zeile\nUmbruch", "Zeile Umbruch"),
    ])
    func parameters(input: String, expected: String) {
        #expect(ICalendarText.parameterValue(input) == expected)
    }

    @Test("Folding: at most 75 octets per physical line, a continuation starts with one space", arguments: [
        // (logical line, octets of each physical line including the leading space)
        (String(repeating: "X", count: 75), [75]),
        (String(repeating: "X", count: 76), [75, 2]),
        (String(repeating: "X", count: 200), [75, 75, 52]),
        // "ä" is 2 octets: 12 + 31 × 2 = 74, a 32nd would make 76.
        ("DESCRIPTION:" + String(repeating: "ä", count: 40), [74, 19]),
        // "🚸" is 4 octets: 8 + 16 × 4 = 72, a 17th would make 76.
        ("SUMMARY:" + String(repeating: "🚸", count: 20), [72, 17]),
        // A 3-octet "€" that would straddle octet 75 moves whole to the next line.
        (String(repeating: "X", count: 73) + "€", [73, 4]),
        (String(repeating: "X", count: 72) + "€", [75]),
        (String(repeating: "X", count: 74) + "ß" + "X", [74, 4]),
    ])
    func folding(line: String, expected: [Int]) {
        let lines = ICalendarText.fold(line)
        #expect(lines.map(\.utf8.count) == expected)
        #expect(lines.dropFirst().allSatisfy { $0.hasPrefix(" ") })
        #expect(lines.first! + lines.dropFirst().map { String($0.dropFirst()) }.joined() == line)
    }

    @Test("Folded German and emoji text: every physical line is valid UTF-8 and unfolding restores the text exactly")
    func foldingKeepsUTF8Intact() throws {
        let samples = [
            "Übergangsmanagement für Jugendliche: Schüler*innen, Eltern & Träger – Größe, Maß, Äpfel, Öfen, Übung",
            String(repeating: "👩‍👩‍👧 Familienzentrum ", count: 8),
            String(repeating: "ẞ€😀ä", count: 50),
        ]
        for text in samples {
            for prefixLength in 0..<8 {
                let line = "DESCRIPTION:" + String(repeating: "x", count: prefixLength) + ICalendarText.escape(text)
                let document = ICalendarText.document([line])
                let bytes = Array(document.utf8)
                var start = 0
                var physical: [[UInt8]] = []
                for i in 0..<(bytes.count - 1) where bytes[i] == 13 && bytes[i + 1] == 10 {
                    physical.append(Array(bytes[start..<i]))
                    start = i + 2
                }
                for chunk in physical {
                    #expect(chunk.count <= 75)
                    #expect(String(bytes: chunk, encoding: .utf8) != nil, "a line must not end or begin inside a UTF-8 sequence")
                    #expect(chunk.first.map { $0 & 0xC0 != 0x80 } ?? true)
                }
                #expect(Self.unfold(document) == line + "\r\n")
            }
        }
    }

    @Test("User text cannot inject properties: line breaks in a title stay inside the SUMMARY value")
    func noInjection() {
        let event = ContentLine.text("SUMMARY", "Treffen\r\nATTENDEE:mailto:evil@example.org\nEND:VEVENT")
        let document = ICalendarText.document([event.rendered])
        #expect(Self.unfold(document) == "SUMMARY:Treffen\\nATTENDEE:mailto:evil@example.org\\nEND:VEVENT\r\n")
        #expect(document.components(separatedBy: "\r\n").allSatisfy { !$0.hasPrefix("ATTENDEE") && !$0.hasPrefix("END:") })
    }

    @Test("Content lines put parameters between name and value")
    func contentLine() {
        let line = ContentLine("ATTENDEE", [("CN", "Müller, Jörg"), ("ROLE", "CHAIR")], "mailto:j@gemeinde.example")
        #expect(line.rendered == "ATTENDEE;CN=\"Müller, Jörg\";ROLE=CHAIR:mailto:j@gemeinde.example")
    }
}
